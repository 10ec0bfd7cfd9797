"""Regenerate the sourced data tables in data/raw/ from the official source files.

Usage:  python data/compile_raw.py            (every table)
        python data/compile_raw.py systems    (only the per-system tables)

The source files (official workbooks and extracts of them) live in a shared folder,
by default ``<workspace>/shared/data/raw``; set ICS_SHARED_RAW to use another folder.
Their provenance is in that folder's SOURCES.md; the provenance of the tables written
here is in data/SOURCES.md. The script only reads the sources and writes the CSV files
below; it is deterministic (same inputs, byte-identical outputs). Every workbook (.xls and
.xlsx) is read with python-calamine, which the app's requirements already pin.

Tables written to data/raw/:
    rtt_monthly.csv                 NHS England RTT waiting list, monthly 2007-04..2025-12
    ae_monthly.csv                  NHS England A&E attendances and emergency admissions, 2010-08..2026-03
    budgets.csv                     NHS England RDEL and DHSC TDEL, cash and real, 2013/14..2028/29
    health_spending_long_run.csv    England health expenditure 1979/80..2019/20 (Commons Library SN00724)
    icbs.csv                        The 42 ICBs: registered and need-weighted populations 2025/26
    population_projection.csv       ONS 2022-based projection for England by broad age band, 2022..2050
    funding_index.csv               NHS England budget indices (real, per head, per age-weighted head)
    tdel_growth_by_government.csv   Average real growth of DHSC TDEL by government
    icb_allocations.csv             The 42 ICBs' 2025/26 allocations (all streams) and distance from target
    rtt_by_icb.csv                  RTT waiting list by ICB, monthly 2022-04..2026-04, provider gaps flagged
    icb_population_projection.csv   ONS 2018-based projection by ICB and broad age band, 2024..2043
    icb_changes_2026.csv            The April 2026 reorganisation of ICBs (42 -> 36), old to new
    age_cost_profile.csv            Hospital bed days by age group (the shape of the cost-by-age weights)
    icb_boundaries.geojson          ONS ICB boundaries (April 2023), simplified for the map
    national_targets.csv            National success measures: 2025/26 guidance and 2026/27-2028/29 MTPF
    national_targets_history.csv    How many national targets each framework set, with sources
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pandas as pd

OUT_DIR = Path(__file__).resolve().parent / "raw"
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the workbook readers are the model package's (ics_model.workbooks)
    sys.path.insert(0, str(ROOT))
SHARED_RAW = Path(
    os.environ.get("ICS_SHARED_RAW") or Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"
)


# --------------------------------------------------------------------------- helpers


def fiscal_year(start: int) -> str:
    """2013 -> '2013/14'."""
    return f"{start}/{(start + 1) % 100:02d}"


def months(first: str, last: str) -> list[str]:
    """Every month from first to last inclusive, as 'YYYY-MM'."""
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def write(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """UTF-8, comma-separated, header row, no index; missing values as empty cells."""
    table.to_csv(OUT_DIR / name, index=False, encoding="utf-8", lineterminator="\n")
    return table


def assert_close(a: pd.Series, b: pd.Series, tol: float, what: str) -> None:
    """Both missing, or equal within tol."""
    a, b = pd.to_numeric(a), pd.to_numeric(b)
    bad = ~(((a - b).abs() <= tol) | (a.isna() & b.isna()))
    assert not bad.any(), f"{what}: mismatch at {list(a.index[bad][:5])}"


def excel_month(value) -> str:
    """A month cell from an NHS England workbook: a date, or text such as '* Feb-24'."""
    if isinstance(value, str):
        return pd.to_datetime(value.strip("* "), format="%b-%y").strftime("%Y-%m")
    return pd.Timestamp(value).strftime("%Y-%m")


# --------------------------------------------------------------------------- 1. RTT

RTT_CSV = "nhse_rtt_national_monthly_2007_2025_dec25_timeseries.csv"
RTT_XLSX = "nhse_RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Dec25.xlsx"

# Workbook columns (group header, sub-header) -> our column. All are the variants
# "with estimates for missing data", which is what the CSV extract carries.
# ("Total waiting (mil)" is the workbook's label; the values are counts, not millions.)
RTT_XLSX_COLUMNS = {
    ("Incomplete RTT pathways", "Total waiting (mil) with estimates for missing data"): "incomplete_pathways",
    ("New RTT periods", "No. of new RTT periods with estimates for missing data"): "clock_starts",
    (
        "Completed admitted (unadjusted) RTT pathways",
        "No. of pathways (all) with estimates for missing data",
    ): "completed_admitted",
    (
        "Completed non-admitted RTT pathways",
        "No. of pathways (all) with estimates for missing data",
    ): "completed_nonadmitted",
    ("Incomplete RTT pathways", "% within 18 weeks with estimates for missing data"): "pct_within_18wks",
}
RTT_INT_COLUMNS = ["incomplete_pathways", "clock_starts", "completed_admitted", "completed_nonadmitted"]


def read_rtt_workbook() -> pd.DataFrame:
    """Sheet 'Full Time Series' of the NHS England RTT overview workbook, one row per month."""
    sheet = pd.read_excel(
        SHARED_RAW / RTT_XLSX, sheet_name="Full Time Series", header=None, engine="calamine"
    )
    header_row = sheet.index[sheet[2].eq("Month")][0]
    groups = sheet.loc[header_row].ffill()  # group headers span several columns
    subs = sheet.loc[header_row + 1]
    wanted = {}
    for col in sheet.columns:
        key = (str(groups[col]).strip(), str(subs[col]).strip())
        if key in RTT_XLSX_COLUMNS:
            wanted[col] = RTT_XLSX_COLUMNS[key]
    assert sorted(wanted.values()) == sorted(RTT_XLSX_COLUMNS.values()), wanted
    body = sheet.loc[header_row + 2 :]
    body = body.loc[: body[2].isna().idxmax() - 1]  # data end at the first blank month cell
    table = body[list(wanted)].rename(columns=wanted).replace("-", pd.NA).apply(pd.to_numeric)
    table.index = body[2].map(excel_month)
    return table


def rtt_monthly() -> pd.DataFrame:
    extract = pd.read_csv(SHARED_RAW / RTT_CSV, dtype={"month": str}).set_index("month")
    extract = extract.rename(
        columns={
            "incomplete_pathways_total": "incomplete_pathways",  # incl. estimates for missing trusts
            "new_rtt_periods": "clock_starts",
        }
    )
    workbook = read_rtt_workbook()
    all_months = months("2007-04", "2025-12")
    # The workbook also has empty placeholder rows for January-March 2026.
    assert workbook.drop(index=all_months).isna().all().all()
    workbook = workbook.loc[all_months]

    cols = [
        "incomplete_pathways",
        "clock_starts",
        "completed_admitted",
        "completed_nonadmitted",
        "pct_within_18wks",
    ]
    # Cross-check every month of the extract against the workbook: counts equal after
    # rounding (estimated counts are fractional in the workbook), percentages to 4 dp.
    common = workbook.loc[extract.index]
    for col in RTT_INT_COLUMNS:
        assert_close(common[col], extract[col], 0.5, f"RTT {col}")
    assert_close(common["pct_within_18wks"], extract["pct_within_18wks"], 0.00005, "RTT pct")

    # The extract lacks February 2024 (labelled '* Feb-24' in the workbook): take it
    # from the workbook, rounded like the extract (counts to integers, % to 4 dp).
    table = extract[cols].reindex(all_months)
    gap = [m for m in all_months if m not in extract.index]
    assert gap == ["2024-02"], gap
    fill = workbook.loc[gap, cols].copy()
    fill[RTT_INT_COLUMNS] = fill[RTT_INT_COLUMNS].round()
    fill["pct_within_18wks"] = fill["pct_within_18wks"].round(4)
    table.loc[gap] = fill

    table[RTT_INT_COLUMNS] = table[RTT_INT_COLUMNS].round().astype("Int64")
    table = table.rename_axis("month").reset_index()
    assert table.loc[table.month.eq("2020-02"), "incomplete_pathways"].item() == 4573675
    assert table.loc[table.month.eq("2023-09"), "incomplete_pathways"].item() == 7768573
    assert table.loc[table.month.lt("2015-10"), "clock_starts"].isna().all()
    assert table.loc[table.month.ge("2015-10"), "clock_starts"].notna().all()
    return write(table[["month", *cols]], "rtt_monthly.csv")


# --------------------------------------------------------------------------- 2. A&E

AE_CSV = "nhse_ae_attendances_emergency_admissions_monthly_2010_2026_mar26_timeseries.csv"
AE_XLS = "nhse_Monthly-AE-Time-Series-March-2026.xls"


def read_ae_sheet(sheet_name: str) -> pd.DataFrame:
    """An England-level sheet of the Monthly A&E Time Series, columns named by their header."""
    sheet = pd.read_excel(SHARED_RAW / AE_XLS, sheet_name=sheet_name, header=None, engine="calamine")
    header_row = sheet.index[sheet[1].eq("Period")][0]
    body = sheet.loc[header_row + 1 :]
    body = body[body[1].notna()]
    body.columns = sheet.loc[header_row]
    body.index = body["Period"].map(excel_month)
    return body


def ae_monthly() -> pd.DataFrame:
    extract = pd.read_csv(SHARED_RAW / AE_CSV, dtype={"month": str}).set_index("month")
    assert list(extract.index) == months("2010-08", "2026-03")

    # Cross-check every month against the workbook (Nov 2010 - May 2015 counts are
    # estimates from weekly data and fractional in the workbook; the extract rounds them).
    activity, performance = read_ae_sheet("Activity"), read_ae_sheet("Performance")
    assert_close(
        activity["Total Attendances"].reindex(extract.index),
        extract["total_attendances"],
        0.5,
        "A&E attendances",
    )
    assert_close(
        activity["Total Emergency Admissions"].reindex(extract.index),
        extract["total_emergency_admissions"],
        0.5,
        "A&E emergency admissions",
    )
    assert_close(
        performance["Percentage in 4 hours or less (all)"].reindex(extract.index),
        extract["pct_within_4h_all"],
        0.00005,
        "A&E 4-hour %",
    )

    table = pd.DataFrame(
        {
            "month": extract.index,
            "ae_attendances": extract["total_attendances"].astype("int64").values,  # all types
            "emergency_admissions": extract["total_emergency_admissions"].astype("int64").values,
            "pct_within_4h": extract["pct_within_4h_all"].values,  # all types; from Nov 2010
        }
    )
    return write(table, "ae_monthly.csv")


# --------------------------------------------------------------------------- 3. budgets

BUDGETS_CSV = "dhsc_nhse_budgets_cash_real_2013_2028_realcentre.csv"


def budgets() -> pd.DataFrame:
    # REAL Centre output/budget_data.csv: £m cash and £m real (2025/26 prices).
    src = pd.read_csv(SHARED_RAW / BUDGETS_CSV)
    src = src[src["budget_type"].isin(["nhse_rdel", "dhsc_tdel"])]
    status = {"outtrun": "outturn", "planned": "plan"}  # source spells 'outtrun'
    assert set(src["planned_or_outtrun"]) <= set(status)
    table = (
        pd.DataFrame(
            {
                "fiscal_year": src["date"].map(fiscal_year),
                "year": src["date"].astype("int64"),
                "measure": src["budget_type"],
                "cash_bn": (src["cash_values"] / 1000).round(3),
                "real_bn": (src["real_values"] / 1000).round(3),
                "deflator_index": src["deflator_index"],
                "status": src["planned_or_outtrun"].map(status),
            }
        )
        .sort_values(["measure", "year"])
        .reset_index(drop=True)
    )
    assert len(table) == 32
    assert table["year"].between(2013, 2028).all()
    assert table["status"].eq("outturn").eq(table["year"] <= 2023).all()  # outturn to 2023/24
    nhse_2025 = table[(table.measure == "nhse_rdel") & (table.year == 2025)].iloc[0]
    assert nhse_2025.cash_bn == 195.6
    assert nhse_2025.real_bn == 195.6
    return write(table, "budgets.csv")


# --------------------------------------------------------------------------- 4. long-run spending

LONG_RUN_CSV = "england_health_expenditure_1979_2019_commonslib_sn00724_via_realcentre.csv"


def health_spending_long_run() -> pd.DataFrame:
    # House of Commons Library SN00724 Table 2, pasted from Excel. By position: column 1
    # holds the year labels and section markers, 3 cash £bn, 6 real £bn (2018/19 prices),
    # 9 real change (fraction). The right-hand columns (a DHSC TDEL series on its own rows)
    # and the per-household columns are not used.
    raw = pd.read_csv(SHARED_RAW / LONG_RUN_CSV, header=None, skiprows=1, dtype=str, keep_default_na=False)
    titles = raw[raw[1].str.startswith("Cash prices")].iloc[0]
    assert " ".join(titles[6].split()) == "Real (2018/19 prices)"
    assert titles[9].startswith("Real terms change")

    rows, basis = [], "cash"
    for _, r in raw.iterrows():
        label = r[1].strip()
        if label.startswith("Stage 1 Resource"):
            basis = "stage 1 resource"
        elif label.startswith("Stage 2 Resource"):
            basis = "stage 2 resource"
        year = re.match(r"^(\d{4})[/-](\d{2})", label)  # also fixes '1996-97', '2003/04a'
        if not year:
            continue
        start = int(year.group(1))
        assert int(year.group(2)) == (start + 1) % 100, label
        rows.append(
            {
                "fiscal_year": fiscal_year(start),
                "year": start,
                "cash_bn": float(r[3]),
                "real_bn_2018_19": float(r[6]),
                "real_change_pct": None if r[9] == "-" else float(r[9]),
                "basis": basis,
                "planned": "planned" in label,
            }
        )
    table = pd.DataFrame(rows)
    assert table["year"].tolist() == sorted(table["year"])
    assert len(table) == 41 + 2
    assert table.loc[table.year.duplicated(keep=False), "year"].unique().tolist() == [1999, 2002]
    assert table.loc[table.planned, "fiscal_year"].tolist() == ["2019/20"]
    cols = ["fiscal_year", "year", "cash_bn", "real_bn_2018_19", "basis", "planned", "real_change_pct"]
    return write(table[cols], "health_spending_long_run.csv")


# --------------------------------------------------------------------------- 5. ICBs

PRACTICES_CSV = "nhse_icb_allocation_tool_gp_practice_weighted_populations_2025_26.csv"
ICB_DERIVED_CSV = "icb_42_population_weighted_need_2025_26_derived_from_nhse_allocation_tool.csv"


def icbs() -> pd.DataFrame:
    # NHS England ICB allocation tool, 2025/26: one row per GP practice. 'Population' is the
    # projected registered population 2025/26; 'Final WP' the need-weighted population.
    practices = pd.read_csv(SHARED_RAW / PRACTICES_CSV, encoding="utf-8-sig")
    labels = practices[["ICB", "ICBname", "Region"]].drop_duplicates()
    assert labels["ICB"].is_unique, "an ICB with two names or regions"
    sums = practices.groupby("ICB")[["Population", "Final WP"]].sum()
    table = labels.set_index("ICB").join(sums).sort_index().reset_index()
    table = pd.DataFrame(
        {
            "icb_code": table["ICB"],
            "icb_name": table["ICBname"],
            "region": table["Region"],
            "registered_population": table["Population"].round().astype("int64"),
            "need_weighted_population": table["Final WP"].round().astype("int64"),
        }
    )
    table["need_index"] = (table.need_weighted_population / table.registered_population).round(4)

    # Cross-check against the ICB-level file derived from the same practice data.
    derived = pd.read_csv(SHARED_RAW / ICB_DERIVED_CSV).set_index("icb_ods_code")
    ours = table.set_index("icb_code")
    assert len(ours) == 42
    assert sorted(derived.index) == list(ours.index)
    derived = derived.loc[ours.index]
    assert (derived["icb_name"] == ours["icb_name"]).all()
    assert (derived["region"] == ours["region"]).all()
    assert_close(
        derived["gp_registered_population_projected"], ours["registered_population"], 1, "ICB population"
    )
    assert_close(derived["final_wp"], ours["need_weighted_population"], 1, "ICB final WP")
    assert_close(derived["need_index_final_wp"], ours["need_index"], 0.0001, "ICB need index")
    assert abs(table.registered_population.sum() - 63.85e6) < 0.01e6
    return write(table, "icbs.csv")


# --------------------------------------------------------------------------- 6. population

POP_SINGLE_CSV = "ons_2022based_pop_projection_england_single_year_age_sex_2022_2122_via_realcentre.csv"
POP_BROAD_CSV = "ons_2022based_pop_projection_england_broad_age_2022_2050_derived.csv"
AGE_BANDS = [(0, 17, "0-17"), (18, 64, "18-64"), (65, 74, "65-74"), (75, 84, "75-84"), (85, 999, "85+")]


def age_band(age_label: str) -> str:
    age = int(re.match(r"\d+", age_label).group())  # '105 - 109', '110 and over'
    return next(band for low, high, band in AGE_BANDS if low <= age <= high)


def population_projection() -> pd.DataFrame:
    # ONS 2022-based principal projection, England, by sex and single year of age.
    single = pd.read_csv(SHARED_RAW / POP_SINGLE_CSV, dtype={"age": str})
    years = [str(y) for y in range(2022, 2051)]
    wide = single.groupby(single["age"].map(age_band))[years].sum()  # both sexes summed
    wide = wide.loc[[band for _, _, band in AGE_BANDS]]

    assert wide["2022"].sum() == 57_112_542
    broad = pd.read_csv(SHARED_RAW / POP_BROAD_CSV).set_index("year")
    by_year = wide.T.set_axis(broad.index)
    assert (by_year.sum(axis=1) == broad["total"]).all()
    assert (by_year["0-17"] == broad["age_0_17"]).all()
    assert (by_year["18-64"] == broad["age_18_64"]).all()
    assert (by_year["85+"] == broad["age_85_plus"]).all()
    assert (by_year["65-74"] == broad["age_65_plus"] - broad["age_75_plus"]).all()
    assert (by_year["75-84"] == broad["age_75_plus"] - broad["age_85_plus"]).all()

    table = by_year.reset_index().melt(id_vars="year", var_name="age_band", value_name="population")
    table["band_order"] = table["age_band"].map({band: i for i, (_, _, band) in enumerate(AGE_BANDS)})
    table = table.sort_values(["year", "band_order"]).drop(columns="band_order")
    table["population"] = table["population"].astype("int64")
    return write(table.reset_index(drop=True), "population_projection.csv")


# --------------------------------------------------------------------------- 7. funding index

FUNDING_INDEX_CSV = "nhse_funding_index_real_percapita_ageweighted_2013_2028_realcentre.csv"


def funding_index() -> pd.DataFrame:
    # REAL Centre output/fig_4.csv: NHS England budget indices, 2013/14 = 1.
    src = pd.read_csv(SHARED_RAW / FUNDING_INDEX_CSV)
    table = pd.DataFrame(
        {
            "fiscal_year": src["date"].map(fiscal_year),
            "year": src["date"].astype("int64"),
            "real_index": src["real_values"],
            "real_per_capita_index": src["real_per_capita"],
            "real_per_age_weighted_index": src["real_age_weighted"],
        }
    )
    # Implied age-weighted population relative to 2013/14.
    table["age_weighted_population_index"] = (table.real_index / table.real_per_age_weighted_index).round(6)
    assert table["year"].tolist() == list(range(2013, 2029))
    assert (table.iloc[0, 2:] == 1).all()
    return write(table, "funding_index.csv")


# --------------------------------------------------------------------------- 8. TDEL growth

TDEL_GROWTH_CSV = "dhsc_tdel_real_growth_by_government_1979_2028_realcentre.csv"


def tdel_growth_by_government() -> pd.DataFrame:
    # REAL Centre output/fig_3.csv: compound annual real growth of DHSC TDEL by government.
    src = pd.read_csv(SHARED_RAW / TDEL_GROWTH_CSV)
    table = pd.DataFrame(
        {
            "period": src["govt_simple"],
            "start_year": src["start_date"].astype("int64"),
            "end_year": src["end_date"].astype("int64"),
            "cagr": src["cagr"],
        }
    )
    return write(table, "tdel_growth_by_government.csv")


# --------------------------------------------------------------------------- 9. ICB allocations

ALLOC_XLSX = "nhse_icb_allocations_2025_26_all_funding_streams.xlsx"
ALLOC_CSV = "nhse_icb_allocations_2025_26_by_icb_all_streams_derived.csv"
DFT_CSV = "nhse_icb_allocations_distance_from_target_2023_24_to_2025_26_derived.csv"


def icb_allocations() -> pd.DataFrame:
    # The 2025/26 columns come from the workbook through the same reader as
    # `python -m ics_model refresh --allocations` (ics_model.workbooks), so a refresh with
    # this workbook reproduces the table; the 2023/24 and 2024/25 columns from the extract.
    from ics_model.data import SCHEMAS
    from ics_model.workbooks import allocations_table, read_allocations_workbook

    workbook = read_allocations_workbook((SHARED_RAW / ALLOC_XLSX).read_bytes(), ALLOC_XLSX)
    table = allocations_table(workbook)
    codes = table.icb_code
    # Cross-check the derived extract (£0.1k, % to 3 dp) against the workbook for every stream.
    streams = pd.read_csv(SHARED_RAW / ALLOC_CSV).set_index("icb_code").loc[codes]
    by_code = workbook.set_index("icb_code").loc[codes]
    for column in streams.columns:
        if column in by_code.columns and column.endswith(("_gbp_k", "_pct")):
            assert_close(
                by_code[column], streams[column], 0.05 if column.endswith("_gbp_k") else 0.0005, column
            )
    dft = pd.read_csv(SHARED_RAW / DFT_CSV)
    core_2025_26 = (
        dft[(dft.stream == "core") & (dft.financial_year == "2025/26")].set_index("icb_code").loc[codes]
    )
    assert_close(
        core_2025_26["post_convergence_distance_from_target_pct"],
        table.set_index("icb_code").core_dft_post_2025_26_pct.loc[codes],
        0.0005,
        "core DfT 2025/26",
    )

    def m(values: pd.Series) -> pd.Series:
        return (values / 1000).round(3)  # £k to £m, kept to the £k

    table = table.set_index("icb_code")
    for year in ("2023/24", "2024/25"):
        rows = dft[(dft.stream == "core") & (dft.financial_year == year)].set_index("icb_code").loc[codes]
        tag = year.replace("/", "_")
        post = rows["post_convergence_distance_from_target_pct"]
        table[f"core_target_{tag}_m"] = m(rows["recurrent_allocation_gbp_k"] / (1 + post / 100))
        table[f"core_dft_pre_{tag}_pct"] = rows["prior_year_distance_from_target_pct"]
        table[f"core_dft_post_{tag}_pct"] = post
        table[f"core_convergence_{tag}_pct"] = rows["convergence_pct"]
    table = table.reset_index()[SCHEMAS["icb_allocations"].names]

    # Published checks (SOURCES.md section 6; PQ 51302 for QOQ, QF7, QWO).
    assert round(table.core_recurrent_m.sum() * 1000) == 116_741_038
    total = table.set_index("icb_code").core_total_m * 1000
    assert [round(total[c]) for c in ("QOQ", "QF7", "QWO")] == [3_646_033, 3_108_129, 5_266_745]
    post = table.set_index("icb_name").core_dft_post_2025_26_pct
    assert (post.idxmin(), round(post.min(), 1)) == ("NHS Birmingham and Solihull ICB", -4.4)
    assert (post.idxmax(), round(post.max(), 1)) == ("NHS Surrey Heartlands ICB", 8.0)
    assert abs(table.all_streams_m.sum() - 167_170.370) < 0.01
    return write(table, "icb_allocations.csv")


def convergence_pace_2025_26() -> float:
    """Share of the core distance from target closed in 2025/26, weighted by baseline."""
    dft = pd.read_csv(SHARED_RAW / DFT_CSV)
    rows = dft[(dft.stream == "core") & (dft.financial_year == "2025/26")]
    weight = rows["prior_year_adjusted_recurrent_baseline_gbp_k"]
    before = (rows["prior_year_distance_from_target_pct"].abs() * weight).sum()
    after = (rows["post_convergence_distance_from_target_pct"].abs() * weight).sum()
    return float(1 - after / before)


# --------------------------------------------------------------------------- 10. RTT by ICB

RTT_ICB_CSV = "nhse_rtt_incomplete_pathways_by_icb_monthly_2022_2026_via_drjmartins.csv"
# A month is flagged when the list is below this fraction of the last unflagged month: a
# provider stopped reporting (named step falls in the source notes).
GAP_THRESHOLD = 0.8


def provider_gaps(series: pd.Series) -> pd.Series:
    """True for months whose list falls below GAP_THRESHOLD of the last clean month."""
    flags, reference = [], None
    for value in series:
        bad = reference is not None and value < GAP_THRESHOLD * reference
        flags.append(bad)
        if not bad:
            reference = value
    return pd.Series(flags, index=series.index)


def rtt_by_icb(codes: list[str]) -> pd.DataFrame:
    src = pd.read_csv(SHARED_RAW / RTT_ICB_CSV, dtype={"month": str})
    src = src[src.icb_code.isin(codes)].sort_values(["icb_code", "month"])
    assert sorted(src.icb_code.unique()) == sorted(codes)
    src["provider_gap"] = src.groupby("icb_code", group_keys=False)["incomplete_pathways"].apply(
        provider_gaps
    )
    table = src[
        ["month", "icb_code", "incomplete_pathways", "within_18_weeks", "over_52_weeks", "provider_gap"]
    ]
    table = table.astype(
        {"incomplete_pathways": "int64", "within_18_weeks": "int64", "over_52_weeks": "int64"}
    )
    flagged = table[table.provider_gap]
    # The step falls named in the source notes are all caught.
    qf7 = set(flagged[flagged.icb_code == "QF7"].month)
    assert qf7 == {m for m in table[table.icb_code == "QF7"].month if m >= "2025-07"}, qf7
    assert {"2025-11"} == set(flagged[flagged.icb_code == "QMF"].month)
    assert {"2026-04"} == set(flagged[flagged.icb_code == "QJK"].month)
    # December 2025: the 42 ICBs sum to 7,060,280 (98.1% of the national reported total).
    assert table[table.month == "2025-12"].incomplete_pathways.sum() == 7_060_280
    return write(table.reset_index(drop=True), "rtt_by_icb.csv")


# --------------------------------------------------------------------------- 11. ICB population

SNPP_ICB_CSV = "ons_2018based_snpp_principal_icb24_broad_age_2024_2043_derived.csv"
BAND_COLUMNS = {
    "0-17": "age_0_17",
    "18-64": "age_18_64",
    "65-74": "age_65_74",
    "75-84": "age_75_84",
    "85+": "age_85_plus",
}


def icb_population_projection(codes: list[str]) -> pd.DataFrame:
    src = pd.read_csv(SHARED_RAW / SNPP_ICB_CSV)
    wide = src.pivot_table(index=["icb_code", "year"], columns="age_band", values="population", aggfunc="sum")
    table = wide[list(BAND_COLUMNS)].rename(columns=BAND_COLUMNS).astype("int64").reset_index()
    assert sorted(table.icb_code.unique()) == sorted(codes)
    assert table.year.min() == 2024
    assert table.year.max() == 2043
    assert abs(table[table.year == 2025][list(BAND_COLUMNS.values())].to_numpy().sum() - 58_060_346) <= 50
    return write(table, "icb_population_projection.csv")


# --------------------------------------------------------------------------- 12. ICB changes 2026

CHANGES_CSV = "nhs_icb_reorganisation_april2026_old_to_new_mapping.csv"


def icb_changes_2026(codes: list[str]) -> pd.DataFrame:
    src = pd.read_csv(SHARED_RAW / CHANGES_CSV)
    table = src[["old_icb_code", "new_icb_code", "new_icb_name", "relation", "notes"]].sort_values(
        ["old_icb_code", "new_icb_code"]
    )
    assert sorted(table.old_icb_code.unique()) == sorted(codes)
    assert table.new_icb_code.nunique() == 36
    assert table.relation.value_counts().to_dict() == {"same": 30, "merged": 9, "part": 7}
    return write(table.reset_index(drop=True), "icb_changes_2026.csv")


# --------------------------------------------------------------------------- 13. age cost profile


def age_cost_profile() -> pd.DataFrame:
    # HSCIC, "Focus on the health and care of older people" (2014), England 2012/13, as
    # reported by The Guardian datablog (26 June 2014): people aged 65+ were 17% of the
    # population and had 54% of hospital bed days; people aged 85+ were 2% and 18%.
    table = pd.DataFrame(
        {
            "age_group": ["65+", "85+"],
            "population_share": [0.17, 0.02],
            "bed_day_share": [0.54, 0.18],
        }
    )
    return write(table, "age_cost_profile.csv")


# --------------------------------------------------------------------------- 14. ICB boundaries

BOUNDARIES_GEOJSON = "ons_icb_boundaries_april2023_bsc_via_fingertipsnext.geojson"
SIMPLIFY_DEGREES = 0.01  # about 1 km: ample for a map of England a few hundred pixels high


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on a closed ring, coordinates then rounded to 3 decimals (about 100 m)."""
    points = [(float(x), float(y)) for x, y in ring]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for k in range(first + 1, last):
            x0, y0 = points[k]
            if norm == 0:
                dist = ((x0 - x1) ** 2 + (y0 - y1) ** 2) ** 0.5
            else:
                dist = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / norm
            if dist > best:
                best, index = dist, k
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    out: list[list[float]] = []
    for point, kept in zip(points, keep, strict=True):
        rounded = [round(point[0], 3), round(point[1], 3)]
        if kept and (not out or out[-1] != rounded):
            out.append(rounded)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def icb_boundaries(codes: list[str]) -> dict:
    """A compact copy of the ONS ICB boundaries (April 2023, BSC): ODS code and name only."""
    import json

    source = json.loads((SHARED_RAW / BOUNDARIES_GEOJSON).read_text(encoding="utf-8"))
    features = []
    for feature in source["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        simplified = []
        for polygon in polygons:
            rings = [simplify_ring(ring, SIMPLIFY_DEGREES) for ring in polygon]
            if len(rings[0]) >= 4:
                simplified.append([r for r in rings if len(r) >= 4])
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {"icb_code": props["ICB23CDH"], "ons_code": props["ICB23CD"]},
                "geometry": {"type": "MultiPolygon", "coordinates": simplified},
            }
        )
    features.sort(key=lambda f: f["properties"]["icb_code"])
    assert [f["properties"]["icb_code"] for f in features] == sorted(codes)
    collection = {
        "type": "FeatureCollection",
        "attribution": (
            "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
            "Contains OS data © Crown copyright and database right 2023"
        ),
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    (OUT_DIR / "icb_boundaries.geojson").write_text(text + "\n", encoding="utf-8")
    return collection


# --------------------------------------------------------------------------- 9. national targets

TARGETS_CSV = "nhse_national_targets_2025_26_guidance_and_2026_29_mtpf_derived.csv"
GUIDANCE_2023 = (
    "NHS England, 2023/24 priorities and operational planning guidance (23 Dec 2022): '30+' national "
    "objectives; NHS Confederation counted 'around 30 headline targets'"
)
GUIDANCE_2025 = (
    "NHS England, 2025/26 priorities and operational planning guidance (Jan 2025, PRN01625), table "
    "'National priorities and success measures for 2025/26': 18 success measures in 7 priority areas"
)
HEWITT = "Hewitt Review (4 April 2023): 'no more than 10 national priorities'"


def national_targets() -> pd.DataFrame:
    # Transcribed from the two NHS England documents (shared SOURCES.md section 10); the MTPF
    # rows are those legible in the text copy, so they are not a complete count of its measures.
    src = pd.read_csv(SHARED_RAW / TARGETS_CSV, dtype={"success_measure_number": "Int64"})
    frameworks = {
        "planning_guidance_2025_26": "2025/26 planning guidance",
        "medium_term_planning_framework_2026_29": "Medium Term Planning Framework 2026/27-2028/29",
    }
    assert set(src["framework"]) == set(frameworks)
    table = pd.DataFrame(
        {
            "target_year": src["target_year"],
            "framework": src["framework"].map(frameworks),
            "measure_number": src["success_measure_number"],
            "priority_area": src["priority_area"],
            "measure": src["success_measure"],
            "target": src["target"],
            "source": src["source"],
        }
    )
    current = table[table["framework"] == "2025/26 planning guidance"]
    assert current["measure_number"].tolist() == list(range(1, 19))  # 18 national success measures
    assert current["priority_area"].nunique() == 7  # in 7 priority areas
    return write(table, "national_targets.csv")


def national_targets_history() -> pd.DataFrame:
    # Counts as the documents state them; '30+' is stored as its lower bound, 30.
    table = pd.DataFrame(
        [
            ("2023/24", "2023/24 planning guidance", "30+", 30, GUIDANCE_2023),
            ("2023", "Hewitt Review recommendation", "no more than 10", 10, HEWITT),
            ("2025/26", "2025/26 planning guidance", "18", 18, GUIDANCE_2025),
        ],
        columns=["period", "framework", "count_label", "count", "source"],
    )
    return write(table, "national_targets_history.csv")


# --------------------------------------------------------------------------- main


def systems_tables() -> dict[str, pd.DataFrame]:
    """The per-system tables (ICB allocations, waiting lists, populations, 2026 changes)."""
    allocations = icb_allocations()
    codes = sorted(allocations.icb_code)
    print(f"  ICB core recurrent 2025/26:       £{allocations.core_recurrent_m.sum() * 1000:,.0f}k")
    print(f"  Core convergence 2025/26:         {convergence_pace_2025_26():.4f} of the distance closed")
    return {
        "icb_allocations.csv": allocations,
        "rtt_by_icb.csv": rtt_by_icb(codes),
        "icb_population_projection.csv": icb_population_projection(codes),
        "icb_changes_2026.csv": icb_changes_2026(codes),
        "age_cost_profile.csv": age_cost_profile(),
        "icb_boundaries.geojson": pd.DataFrame(icb_boundaries(codes)["features"]),
    }


def main() -> None:
    assert SHARED_RAW.is_dir(), f"source folder not found: {SHARED_RAW} (set ICS_SHARED_RAW)"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if sys.argv[1:] == ["systems"]:  # only the per-system tables
        systems_tables()
        return
    tables = {
        "rtt_monthly.csv": rtt_monthly(),
        "ae_monthly.csv": ae_monthly(),
        "budgets.csv": budgets(),
        "health_spending_long_run.csv": health_spending_long_run(),
        "icbs.csv": icbs(),
        "population_projection.csv": population_projection(),
        "funding_index.csv": funding_index(),
        "tdel_growth_by_government.csv": tdel_growth_by_government(),
        "national_targets.csv": national_targets(),
        "national_targets_history.csv": national_targets_history(),
    }
    tables.update(systems_tables())

    rtt, budget, icb, pop = (
        tables[n] for n in ["rtt_monthly.csv", "budgets.csv", "icbs.csv", "population_projection.csv"]
    )
    peak = rtt.loc[rtt.incomplete_pathways.idxmax()]
    nhse = budget[(budget.measure == "nhse_rdel") & (budget.year == 2025)].iloc[0]
    print("Checks")
    print(f"  RTT waiting list Feb 2020:        {rtt.set_index('month').incomplete_pathways['2020-02']:,}")
    print(
        f"  RTT waiting list Sep 2023:        {rtt.set_index('month').incomplete_pathways['2023-09']:,}"
        f"  (series peak: {peak.month}, {peak.incomplete_pathways:,})"
    )
    print(f"  NHS England RDEL 2025/26:         £{nhse.cash_bn}bn cash, £{nhse.real_bn}bn real")
    print(f"  ICB registered population total:  {icb.registered_population.sum():,} (42 ICBs: {len(icb)})")
    print(f"  ONS 2022 England population:      {pop[pop.year == 2022].population.sum():,}")
    print("Rows")
    for name, table in tables.items():
        print(f"  {name:32s} {len(table):5d}")


if __name__ == "__main__":
    main()
