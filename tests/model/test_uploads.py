"""Uploads: a user's own table checked against the schema, every problem listed; hostile files refused."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ics_model import Inputs
from ics_model.paths import RAW_DIR
from ics_model.uploads import MAX_BYTES, Problem, inputs_with_table, neutralise_formulas, read_upload

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RTT_XLSX = FIXTURES / "nhse_RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Dec25.xlsx"
AE_XLS = FIXTURES / "nhse_Monthly-AE-Time-Series-March-2026.xls"
TODAY = dt.date(2026, 11, 30)
RTT_CSV = (RAW_DIR / "rtt_monthly.csv").read_bytes()


def rtt_frame() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(RTT_CSV), dtype=str, keep_default_na=False)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def edited(row: int, column: str, value: str) -> bytes:
    """The published RTT table with one cell changed (row counts data rows from 1)."""
    frame = rtt_frame()
    frame.loc[row - 1, column] = value
    return csv_bytes(frame)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    return out.getvalue()


def parquet_bomb() -> bytes:
    """A small Parquet file whose one text cell unpacks to 60 MB."""
    frame = pd.DataFrame({"month": ["2025-01"], "incomplete_pathways": ["9" * 60_000_000]})
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, compression="zstd")
    return buffer.getvalue()


def parquet_of(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def test_the_published_tables_pass_in_every_format(inputs: Inputs) -> None:
    assert read_upload("rtt_monthly", "rtt.csv", RTT_CSV, TODAY).ok
    # Parquet saved from pandas: whole numbers with gaps arrive as floats (4573675.0).
    assert read_upload("rtt_monthly", "rtt.parquet", parquet_of(inputs.tables["rtt_monthly"]), TODAY).ok
    from_xlsx = read_upload("rtt_monthly", RTT_XLSX.name, RTT_XLSX.read_bytes(), TODAY)
    assert from_xlsx.ok
    assert from_xlsx.table is not None
    assert from_xlsx.table.to_pandas()["month"].iloc[-1] == "2025-12"
    assert read_upload("ae_monthly", AE_XLS.name, AE_XLS.read_bytes(), TODAY).ok
    icbs = (RAW_DIR / "icbs.csv").read_bytes()
    assert read_upload("icbs", "icbs.csv", icbs, TODAY).ok


# (id, table, file name, content, the problem's text must contain)
HOSTILE: list[tuple[str, str, str, bytes, str]] = [
    ("empty", "rtt_monthly", "rtt.csv", b"", "the file is empty"),
    ("header only", "rtt_monthly", "rtt.csv", RTT_CSV.splitlines(keepends=True)[0], "no data rows"),
    ("binary", "rtt_monthly", "rtt.csv", bytes(range(256)) * 40, "binary file"),
    (
        "non-UTF-8",
        "rtt_monthly",
        "rtt.csv",
        RTT_CSV.replace(b"2007-04", "2007-04é".encode("latin-1")),
        "not UTF-8",
    ),
    (
        "enormous",
        "rtt_monthly",
        "rtt.csv",
        b"month\n" + b"2025-01\n" * (MAX_BYTES // 8 + 1),
        "the limit is 5 MB",
    ),
    ("zip bomb", "rtt_monthly", "rtt.xlsx", zip_bomb(), "zip bomb"),
    ("workbook for another table", "icbs", "rtt.xlsx", RTT_XLSX.read_bytes(), "only the RTT and A&E tables"),
    ("xls as the RTT workbook", "rtt_monthly", "rtt.xls", AE_XLS.read_bytes(), "expected the .xlsx"),
    ("truncated workbook", "rtt_monthly", "rtt.xlsx", RTT_XLSX.read_bytes()[:50_000], "truncated"),
    ("parquet bomb", "rtt_monthly", "rtt.parquet", parquet_bomb(), "would unpack to"),
    ("corrupt parquet", "rtt_monthly", "rtt.parquet", b"PAR1" + b"\x00" * 100, "not a readable Parquet"),
    ("other kind of file", "rtt_monthly", "rtt.pdf", b"%PDF-1.4", "expected a .csv, .parquet"),
    (
        "hyperlink formula in a number cell",
        "rtt_monthly",
        "rtt.csv",
        edited(225, "incomplete_pathways", '=HYPERLINK("http://example.com","click")'),
        "row 225, column incomplete_pathways: a whole number, found '=HYPERLINK",
    ),
    (
        "formula in a text cell",
        "icbs",
        "icbs.csv",
        (RAW_DIR / "icbs.csv").read_bytes().replace(b"NHS Bath", b"=cmd|' /C calc'!A0 NHS Bath", 1),
        "column icb_name: plain text, not a formula",
    ),
    ("text in a number cell", "rtt_monthly", "rtt.csv", edited(200, "pct_within_18wks", "n/a"), "row 200"),
    ("month in the future", "rtt_monthly", "rtt.csv", edited(225, "month", "2031-01"), "in the future"),
    ("not a month", "rtt_monthly", "rtt.csv", edited(10, "month", "Jan 2008"), "a month as YYYY-MM"),
    ("missing month", "rtt_monthly", "rtt.csv", csv_bytes(rtt_frame().drop(index=100)), "consecutive months"),
    ("negative count", "rtt_monthly", "rtt.csv", edited(150, "clock_starts", "-5"), "negative values"),
    (
        "infinite",
        "rtt_monthly",
        "rtt.csv",
        edited(150, "pct_within_18wks", "1e999"),
        "a number, found '1e999'",
    ),
    (
        "wrong columns",
        "rtt_monthly",
        "rtt.csv",
        RTT_CSV.replace(b"clock_starts", b"referrals", 1),
        "clock_starts: these columns are missing",
    ),
    (
        "41 ICBs",
        "icbs",
        "icbs.csv",
        b"".join((RAW_DIR / "icbs.csv").read_bytes().splitlines(True)[:-1]),
        "42 ICBs",
    ),
    ("a table that cannot be replaced", "assumptions", "a.csv", b"name\nx\n", "cannot be replaced"),
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_uploads_are_refused_with_a_clear_message(hostile: tuple[str, str, str, bytes, str]) -> None:
    _, table, name, content, words = hostile
    upload = read_upload(table, name, content, TODAY)
    assert not upload.ok
    assert upload.table is None
    text = "; ".join(str(p) for p in upload.problems)
    assert words in text, text


def test_every_problem_is_listed_with_row_column_and_expectation() -> None:
    frame = rtt_frame()
    frame.loc[4, "incomplete_pathways"] = "lots"
    frame.loc[9, "pct_within_18wks"] = "50%"
    frame.loc[19, "month"] = ""
    upload = read_upload("rtt_monthly", "mine.csv", csv_bytes(frame), TODAY)
    assert [str(p) for p in upload.problems] == [
        "row 20, column month: a value (text); the cell is empty",
        "row 5, column incomplete_pathways: a whole number, found 'lots'",
        "row 10, column pct_within_18wks: a number, found '50%'",
    ]
    assert str(Problem(None, None, "x")) == "x"


def test_uploaded_table_replaces_the_published_one_and_refits(inputs: Inputs) -> None:
    frame = rtt_frame()
    upload = read_upload("rtt_monthly", "to_2024.csv", csv_bytes(frame[frame["month"] <= "2024-06"]), TODAY)
    assert upload.ok
    assert upload.table is not None
    mine = inputs_with_table(inputs, "rtt_monthly", upload.table)
    assert str(mine.last_month) == "2024-06"
    assert mine.baselines["latest_list"] == 7_621_297  # NHS England RTT, June 2024
    assert mine.baselines["demand_growth"] != inputs.baselines["demand_growth"]
    # The published Inputs are untouched.
    assert str(inputs.last_month) == "2025-12"
    assert len(inputs.tables["rtt_monthly"]) == 225


def test_a_series_too_short_to_fit_is_refused(inputs: Inputs) -> None:
    frame = rtt_frame().iloc[:3]
    upload = read_upload("rtt_monthly", "short.csv", csv_bytes(frame), TODAY)
    assert upload.table is not None
    with pytest.raises(ValueError, match=r"could not be fitted|not finite"):
        inputs_with_table(inputs, "rtt_monthly", upload.table)


def test_csv_exports_neutralise_formulas() -> None:
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "Leeds", None], "value": [-1, 2, 3, 4, 5, 6]}
    )
    out = neutralise_formulas(frame)
    assert out["name"].tolist()[:5] == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "Leeds"]
    assert out["value"].tolist() == [-1, 2, 3, 4, 5, 6]  # numbers stay numbers
    assert frame["name"].iloc[0] == '=HYPERLINK("x")'  # a copy: the shown table is unchanged


def test_size_limit_matches_the_server_setting() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES
