"""Readers of NHS England's workbooks as published, into the project's tables.

- RTT Overview Timeseries (.xlsx), sheet "Full Time Series" -> ``rtt_monthly``
- Monthly A&E Time Series (.xls), sheets "Activity" and "Performance" -> ``ae_monthly``
- ICB allocations 2025/26, all funding streams (.xlsx), sheets "ICB Core Allocations 2025-26",
  "Specialised Allocations 2025-26", "PMC Allocation 2025-26", "POD Allocation 2025-26" and
  "ICB running cost allowance" -> the 2025/26 columns of ``icb_allocations`` (one row per ICB;
  ``allocations_table``), as data/compile_raw.py compiles them

python-calamine reads both .xls and .xlsx. Every problem raises a ``WorkbookError`` whose
message is one line naming the file, the sheet and the cell (``RTT.xlsx, sheet 'Full Time
Series', cell C215: ...``). The readers are pure: bytes in, a DataFrame out, nothing written.
Before the workbook is parsed its size, its kind (from its first bytes) and, for .xlsx (a zip
archive), the unpacked size of its parts are checked, so a zip bomb is refused unread.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ics_model.data import SCHEMAS, DataError

Kind = Literal["xlsx", "xls"]

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # the published workbooks are 0.1-0.5 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # sum of an .xlsx archive's parts, unpacked
MAX_PACKING_RATIO = 200  # a part unpacking to more than 200x its packed size is refused
MAX_PARTS = 2_000
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound document

RTT_SHEET = "Full Time Series"
AE_SHEETS = ("Activity", "Performance")
ALLOCATIONS_SHEET = "ICB Core Allocations 2025-26"

# (group header, sub-header) -> rtt_monthly column; the "with estimates for missing data"
# variants, as data/compile_raw.py uses. "(mil)" is the workbook's label; values are counts.
RTT_COLUMNS: dict[tuple[str, str], str] = {
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
RTT_ORDER = [
    "incomplete_pathways",
    "clock_starts",
    "completed_admitted",
    "completed_nonadmitted",
    "pct_within_18wks",
]
AE_COLUMNS = {
    ("Activity", "Total Attendances"): "ae_attendances",
    ("Activity", "Total Emergency Admissions"): "emergency_admissions",
    ("Performance", "Percentage in 4 hours or less (all)"): "pct_within_4h",
}
# Sheet -> {header -> (column, kind)}: money in £k, rates as fractions (read as percent).
# The core sheet also gives the names; the other sheets are matched to it by ICB code.
ALLOCATION_SHEETS: dict[str, dict[str, tuple[str, str]]] = {
    ALLOCATIONS_SHEET: {
        "R23": ("region_code", "text"),
        "Region": ("region", "text"),
        "ICB23": ("icb_code", "text"),
        "Integrated Care Board (ICB)": ("icb_name", "text"),
        "2024/25 Adjusted recurrent baseline (£k)": ("core_2024_25_adjusted_recurrent_baseline_gbp_k", "gbp"),
        "2024/25 Fair shares target (£k)": ("core_2024_25_fair_shares_target_gbp_k", "gbp"),
        "2024/25 Distance from target (%)": ("core_2024_25_distance_from_target_pct", "pct"),
        "2025/26 Base growth (%)": ("core_2025_26_base_growth_pct", "pct"),
        "2025/26 Convergence (%)": ("core_2025_26_convergence_pct", "pct"),
        "2025/26 Recurrent allocation (£k)": ("core_2025_26_recurrent_allocation_gbp_k", "gbp"),
        "2025/26 Recurrent allocation £/head": ("core_2025_26_recurrent_allocation_gbp_per_head", "gbp"),
        "2025/26 Post-convergence distance from target (%)": (
            "core_2025_26_post_convergence_distance_from_target_pct",
            "pct",
        ),
        "2025/26 Recurrent allocation growth (%)": ("core_2025_26_recurrent_growth_pct", "pct"),
        "2025/26 Total allocation (£k)": ("core_2025_26_total_allocation_gbp_k", "gbp"),
    },
    "Specialised Allocations 2025-26": {
        "ICB23": ("icb_code", "text"),
        "2025/26 Physical health services + HCDD recurrent allocation (£k)": (
            "specialised_2025_26_physical_plus_hcdd_recurrent_gbp_k",
            "gbp",
        ),
        "2025/26 Post-convergence distance from target (%)": (
            "specialised_2025_26_post_convergence_distance_from_target_pct",
            "pct",
        ),
        "2025/26 Delegated MH resource allocation (£k)": ("specialised_2025_26_delegated_mh_gbp_k", "gbp"),
        "2025/26 Corneal tissue (£k)": ("specialised_2025_26_corneal_tissue_gbp_k", "gbp"),
    },
    "PMC Allocation 2025-26": {
        "ICB23": ("icb_code", "text"),
        "2025/26 Recurrent allocation (£k)": ("pmc_2025_26_recurrent_allocation_gbp_k", "gbp"),
        "2025/26 Post-convergence distance from target (%)": (
            "pmc_2025_26_post_convergence_distance_from_target_pct",
            "pct",
        ),
        "Revised recurrent allocation (£k)": ("pmc_2025_26_revised_recurrent_allocation_gbp_k", "gbp"),
    },
    "POD Allocation 2025-26": {
        "ICB23": ("icb_code", "text"),
        "2025/26 Total allocation (£k)": ("pod_2025_26_total_allocation_gbp_k", "gbp"),
    },
    "ICB running cost allowance": {
        "ICB23": ("icb_code", "text"),
        "2025/26 (£k)": ("running_cost_allowance_2025_26_gbp_k", "gbp"),
    },
}
# The column whose ICB rows must add up to the sheet's England total row (None: no such check,
# as the POD sheet's England row also counts NHS England's own regional lines).
ALLOCATION_TOTALS: dict[str, str | None] = {
    ALLOCATIONS_SHEET: "2025/26 Recurrent allocation (£k)",
    "Specialised Allocations 2025-26": "2025/26 Physical health services + HCDD recurrent allocation (£k)",
    "PMC Allocation 2025-26": "2025/26 Recurrent allocation (£k)",
    "POD Allocation 2025-26": None,
    "ICB running cost allowance": "2025/26 (£k)",
}
ALLOCATION_COLUMNS = ALLOCATION_SHEETS[ALLOCATIONS_SHEET]  # the core sheet's
# The icb_allocations columns the 2025/26 workbook gives; the 2023/24 and 2024/25 distance from
# target columns come from the previous workbook and are kept by a refresh.
ALLOCATION_TABLE_COLUMNS = [  # the table's own schema, less the earlier years' columns
    name for name in SCHEMAS["icb_allocations"].names if "2023_24" not in name and "2024_25" not in name
]
N_ICBS = 42

_MONTH_TEXT = re.compile(r"^\*?\s*([A-Za-z]{3})-(\d{2})\s*\*?$")  # '* Feb-24'
_FORMULA_START = ("=", "+", "@", "\t", "\r")


class WorkbookError(DataError):
    """A workbook that cannot be used; a one-line message naming file, sheet and cell."""


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Sheet:
    """One worksheet's used range as Python values, with Excel cell names for messages."""

    file: str
    name: str
    rows: list[list[Any]]
    first_row: int  # 0-based position of rows[0] in the sheet
    first_col: int

    def cell(self, i: int, j: int) -> str:
        return f"{column_letter(self.first_col + j)}{self.first_row + i + 1}"

    def where(self, i: int | None = None, j: int | None = None) -> str:
        """'FILE, sheet 'NAME'' plus ', cell C12' when a cell is known."""
        place = f"{self.file}, sheet {self.name!r}"
        if i is not None and j is not None:
            place += f", cell {self.cell(i, j)}"
        elif i is not None:
            place += f", row {self.first_row + i + 1}"
        return place

    def error(self, message: str, i: int | None = None, j: int | None = None) -> WorkbookError:
        return WorkbookError(f"{self.where(i, j)}: {message}")

    def value(self, i: int, j: int) -> Any:
        row = self.rows[i] if i < len(self.rows) else []
        return row[j] if j < len(row) else ""


def _check_archive(data: bytes, file: str) -> None:
    """Refuse an .xlsx whose parts would unpack to too much (a zip bomb) or that is cut short."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise WorkbookError(f"{file}: not a complete .xlsx workbook (truncated or corrupt: {exc})") from exc
    if len(parts) > MAX_PARTS:
        raise WorkbookError(f"{file}: refused, the .xlsx archive has {len(parts):,} parts")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            f"{file}: refused, the .xlsx would unpack to {unpacked / 1e6:,.0f} MB "
            f"(limit {MAX_UNPACKED_BYTES / 1e6:.0f} MB)"
        )
    for part in parts:
        if part.file_size > 1_000_000 and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1):
            raise WorkbookError(
                f"{file}: refused, part {part.filename[:60]!r} unpacks to "
                f"{part.file_size / max(part.compress_size, 1):,.0f} times its size (a zip bomb?)"
            )


def workbook_kind(data: bytes) -> Kind | None:
    """'xlsx' or 'xls' from the first bytes, None for anything else."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        return "xls"
    return None


def open_workbook(data: bytes, file: str, expect: Kind | None = None) -> Any:
    """A python-calamine workbook from bytes, after the size, kind and archive checks."""
    from python_calamine import CalamineWorkbook

    if not data:
        raise WorkbookError(f"{file}: the file is empty")
    if len(data) > MAX_WORKBOOK_BYTES:
        raise WorkbookError(
            f"{file}: refused, {len(data) / 1e6:.1f} MB is over the {MAX_WORKBOOK_BYTES / 1e6:.0f} MB limit"
        )
    kind = workbook_kind(data)
    if kind is None:
        raise WorkbookError(
            f"{file}: not an Excel workbook (expected {'.' + expect if expect else '.xlsx or .xls'})"
        )
    if expect is not None and kind != expect:
        raise WorkbookError(f"{file}: this is an .{kind} workbook; expected the .{expect} publication")
    if kind == "xlsx":
        _check_archive(data, file)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types for corrupt files
        raise WorkbookError(
            f"{file}: cannot be read as a workbook (truncated or corrupt: {str(exc)[:120]})"
        ) from exc


def read_sheet(workbook: Any, file: str, name: str) -> Sheet:
    """One sheet's values; a clear error naming the sheets there are when it is missing."""
    if name not in workbook.sheet_names:
        raise WorkbookError(
            f"{file}: no sheet {name!r} (renamed?); the sheets are {', '.join(map(repr, workbook.sheet_names))}"
        )
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python()
        first_row, first_col = sheet.start or (0, 0)
    except Exception as exc:
        raise WorkbookError(f"{file}, sheet {name!r}: cannot be read ({str(exc)[:120]})") from exc
    return Sheet(file, name, rows, int(first_row), int(first_col))


def _month(sheet: Sheet, i: int, j: int) -> str:
    """A month cell (a date, or text such as '* Feb-24') as 'YYYY-MM'."""
    value = sheet.value(i, j)
    if isinstance(value, (dt.date, dt.datetime)):
        if isinstance(value, dt.datetime):
            value = value.date()
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        match = _MONTH_TEXT.match(value.strip())
        if match:
            try:
                return dt.datetime.strptime(f"{match.group(1).title()}-{match.group(2)}", "%b-%y").strftime(
                    "%Y-%m"
                )
            except ValueError:
                pass
    raise sheet.error(f"expected a month, found {str(value)[:40]!r}", i, j)


def _number(sheet: Sheet, i: int, j: int, *, blank_ok: bool = True) -> float:
    """A number cell; '' and '-' (not published) are NaN; text is an error."""
    value = sheet.value(i, j)
    if isinstance(value, bool):
        raise sheet.error(f"expected a number, found {value!r}", i, j)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise sheet.error(f"expected a finite number, found {value!r}", i, j)
        if value < 0:
            raise sheet.error(f"expected a count or share, found the negative {value!r}", i, j)
        return float(value)
    if isinstance(value, str) and value.strip() in ("", "-") and blank_ok:
        return math.nan
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        raise sheet.error(f"expected a number, found a formula or formula-like text {value[:40]!r}", i, j)
    raise sheet.error(f"expected a number, found text {str(value)[:40]!r}", i, j)


def _find_row(sheet: Sheet, label: str, limit: int = 40) -> tuple[int, int]:
    """The first cell whose text equals ``label`` in the first ``limit`` rows."""
    for i, row in enumerate(sheet.rows[:limit]):
        for j, value in enumerate(row):
            if isinstance(value, str) and value.strip() == label:
                return i, j
    raise sheet.error(f"no header cell {label!r} in the first {limit} rows (not the expected layout?)")


def _check_months(sheet: Sheet, months: list[str], rows: list[int], col: int, today: dt.date) -> None:
    """Consecutive months, none repeated, none missing, none after the current month."""
    this_month = pd.Period(today, freq="M")
    for k, month in enumerate(months):
        period = pd.Period(month, freq="M")
        if period > this_month:
            raise sheet.error(f"the month {month} is in the future", rows[k], col)
        if k and period != pd.Period(months[k - 1], freq="M") + 1:
            what = "repeated or out of order" if period <= pd.Period(months[k - 1], freq="M") else "missing"
            raise sheet.error(f"{month} follows {months[k - 1]}: month(s) {what}", rows[k], col)


def _body(sheet: Sheet, header_row: int, month_col: int) -> list[int]:
    """Rows of data: from below the header to the first row with a blank month cell."""
    rows = []
    for i in range(header_row, len(sheet.rows)):
        value = sheet.value(i, month_col)
        if value == "" or value is None:
            break
        rows.append(i)
    if not rows:
        raise sheet.error("no months below the header", header_row, month_col)
    return rows


def _round_counts(frame: pd.DataFrame, counts: list[str], shares: list[str]) -> pd.DataFrame:
    """Counts to whole numbers (estimates are fractional in the workbooks), shares to 4 dp."""
    for column in counts:
        frame[column] = pd.array(np.round(frame[column].to_numpy(dtype=float)), dtype="Int64")
    for column in shares:
        frame[column] = frame[column].round(4)
    return frame


def read_rtt_workbook(data: bytes, file: str = "RTT workbook", today: dt.date | None = None) -> pd.DataFrame:
    """The RTT Overview Timeseries workbook as the ``rtt_monthly`` table.

    Trailing placeholder months with no figures (the workbook carries the rest of the
    financial year) are dropped. Raises WorkbookError naming the file, sheet and cell.
    """
    today = today or dt.date.today()
    sheet = read_sheet(open_workbook(data, file, "xlsx"), file, RTT_SHEET)
    header, month_col = _find_row(sheet, "Month")
    groups: list[str] = []
    current = ""
    for j in range(
        max(len(sheet.rows[header]), len(sheet.rows[header + 1]) if header + 1 < len(sheet.rows) else 0)
    ):
        text = str(sheet.value(header, j)).strip()
        current = text or current
        groups.append(current)
    wanted: dict[str, int] = {}
    for j, group in enumerate(groups):
        key = (group, str(sheet.value(header + 1, j)).strip())
        if key in RTT_COLUMNS and RTT_COLUMNS[key] not in wanted:
            wanted[RTT_COLUMNS[key]] = j
    missing = [f"{g} / {s}" for (g, s), name in RTT_COLUMNS.items() if name not in wanted]
    if missing:
        raise sheet.error(f"column(s) not found in the header: {'; '.join(missing)}", header + 1)
    body = _body(sheet, header + 2, month_col)
    months = [_month(sheet, i, month_col) for i in body]
    values = {name: [_number(sheet, i, j) for i in body] for name, j in wanted.items()}
    frame = pd.DataFrame({"month": months, **values})
    # Drop the trailing months that have no figures at all (placeholders to March).
    filled = frame[RTT_ORDER].notna().any(axis=1).to_numpy()
    if not filled.any():
        raise sheet.error("no figures in any month", body[0], month_col)
    last = int(np.flatnonzero(filled)[-1])
    frame, body = frame.iloc[: last + 1].reset_index(drop=True), body[: last + 1]
    _check_months(sheet, frame["month"].tolist(), body, month_col, today)
    return _round_counts(frame[["month", *RTT_ORDER]], RTT_ORDER[:4], ["pct_within_18wks"])


def read_ae_workbook(data: bytes, file: str = "A&E workbook", today: dt.date | None = None) -> pd.DataFrame:
    """The Monthly A&E Time Series workbook (England) as the ``ae_monthly`` table.

    Raises WorkbookError naming the file, sheet and cell.
    """
    today = today or dt.date.today()
    workbook = open_workbook(data, file, "xls")
    parts: dict[str, pd.DataFrame] = {}
    for name in AE_SHEETS:
        sheet = read_sheet(workbook, file, name)
        header, month_col = _find_row(sheet, "Period")
        columns = {str(sheet.value(header, j)).strip(): j for j in range(len(sheet.rows[header]))}
        frame: dict[str, list[Any]] = {}
        body = _body(sheet, header + 1, month_col)
        months = [_month(sheet, i, month_col) for i in body]
        _check_months(sheet, months, body, month_col, today)
        frame["month"] = months
        for (sheet_name, label), column in AE_COLUMNS.items():
            if sheet_name != name:
                continue
            if label not in columns:
                raise sheet.error(f"column {label!r} not found in the header", header)
            j = columns[label]
            frame[column] = [_number(sheet, i, j, blank_ok=column == "pct_within_4h") for i in body]
        parts[name] = pd.DataFrame(frame).set_index("month")
    activity, performance = parts["Activity"], parts["Performance"]
    extra = performance.index.difference(activity.index)
    if len(extra):
        raise WorkbookError(
            f"{file}, sheet 'Performance': month {extra[0]} is not in sheet 'Activity' (extra months)"
        )
    table = activity.join(performance).reset_index()
    return _round_counts(table, ["ae_attendances", "emergency_admissions"], ["pct_within_4h"])


def _allocation_row(
    sheet: Sheet, i: int, columns: dict[str, int], spec: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    """One ICB's row of an allocations sheet: names as text, money (£k) and rates (%) as numbers."""
    record: dict[str, Any] = {}
    for label, (name, kind) in spec.items():
        j = columns[label]
        value = sheet.value(i, j)
        if kind == "text":
            if not isinstance(value, str) or not value.strip() or value.startswith(_FORMULA_START):
                raise sheet.error(f"expected a name or code, found {str(value)[:40]!r}", i, j)
            record[name] = value.strip()
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise sheet.error(f"expected a number, found {str(value)[:40]!r}", i, j)
        else:
            # Rates are fractions in the workbook; the tables have them in percent.
            record[name] = float(value) * 100 if kind == "pct" else float(value)
    return record


def _check_england_total(sheet: Sheet, end: int, label: str, summed: float) -> None:
    """The England row below the ICB rows (in the regional summary) must equal the ICBs' sum."""
    for k in range(end, len(sheet.rows)):
        if not any(str(v).strip().upper() == "ENGLAND" for v in sheet.rows[k]):
            continue
        # The summary has its own header (shifted right); fall back to the ICB header's column.
        header = next(
            (h for h in range(k - 1, -1, -1) if any(str(v).strip() == "R23" for v in sheet.rows[h])), None
        )
        labels = [str(v).strip() for v in sheet.rows[header]] if header is not None else []
        if label not in labels:
            return
        j = labels.index(label)
        total = sheet.value(k, j)
        if isinstance(total, (int, float)) and abs(float(total) - summed) > 1.0:
            raise sheet.error(
                f"the England total {float(total):,.0f} does not equal the ICBs' sum {summed:,.0f}", k, j
            )
        return


def _read_allocation_sheet(workbook: Any, file: str, name: str, codes: list[str] | None) -> pd.DataFrame:
    """One allocations sheet's 42 ICB rows.

    The ICB rows run from below the header to the first blank code cell, the England total
    row (code cell "Total") or the first of NHS England's own regional lines (whose ICB23 cell
    repeats the R23 region code).
    ``codes``, when given, are the ICB codes the rows must carry (in any order).
    """
    spec = ALLOCATION_SHEETS[name]
    sheet = read_sheet(workbook, file, name)
    header, code_col = _find_row(sheet, "ICB23", limit=10)
    columns = {str(sheet.value(header, j)).strip(): j for j in range(len(sheet.rows[header]))}
    missing = [label for label in spec if label not in columns]
    if missing:
        raise sheet.error(f"column(s) not found in the header: {'; '.join(missing)}", header)
    region_col = columns.get("R23")
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    i = header + 1
    while i < len(sheet.rows) and str(sheet.value(i, code_col)).strip():
        code = str(sheet.value(i, code_col)).strip()
        region = str(sheet.value(i, region_col)).strip() if region_col is not None else None
        if code in ("Total", region):
            break  # NHS England's regional lines (POD sheet) or the England total row, not ICBs
        records.append(_allocation_row(sheet, i, columns, spec))
        rows.append(i)
        i += 1
    if len(records) != N_ICBS:
        raise sheet.error(
            f"expected {N_ICBS} ICB rows below the header, found {len(records)}", header, code_col
        )
    table = pd.DataFrame(records)
    for k, code in enumerate(table["icb_code"]):
        if not re.fullmatch(r"[A-Z0-9]{3}", code):
            raise sheet.error(f"expected a three-character ICB code, found {code[:20]!r}", rows[k], code_col)
        if codes is not None and code not in codes:
            raise sheet.error(
                f"ICB code {code} is not one of the {len(codes)} ICBs expected (a foreign or renamed ICB?)",
                rows[k],
                code_col,
            )
    if table["icb_code"].duplicated().any():
        k = int(np.flatnonzero(table["icb_code"].duplicated().to_numpy())[0])
        raise sheet.error(f"ICB code {table['icb_code'].iloc[k]} appears twice", rows[k], code_col)
    if codes is not None and set(codes) - set(table["icb_code"]):
        absent = sorted(set(codes) - set(table["icb_code"]))
        raise sheet.error(f"ICB code(s) {', '.join(absent[:5])} missing", header, code_col)
    total = ALLOCATION_TOTALS[name]
    if total is not None:
        _check_england_total(sheet, i, total, float(table[spec[total][0]].sum()))
    return table


def read_allocations_workbook(
    data: bytes, file: str = "allocations workbook", codes: list[str] | None = None
) -> pd.DataFrame:
    """The ICB allocations workbook (all funding streams, 2025/26): one row per ICB.

    Reads the core, specialised, primary medical care (PMC), POD and running cost allowance
    sheets by header name; money in £k, rates in percent, as published (not rounded). Adds
    ``specialised_2025_26_total_gbp_k`` (physical health + HCDD, delegated mental health and
    corneal tissue) and ``all_streams_2025_26_total_gbp_k`` (core total, specialised total, PMC
    revised recurrent, POD total and running cost allowance). Checks 42 ICBs with distinct
    three-character codes, the same in every sheet (and equal to ``codes`` when given), and that
    the core, specialised, PMC and running cost figures add up to each sheet's England row.
    Raises WorkbookError naming file, sheet and cell.
    """
    workbook = open_workbook(data, file, "xlsx")
    table = _read_allocation_sheet(workbook, file, ALLOCATIONS_SHEET, codes)
    table = table.set_index("icb_code", drop=False)
    core_codes = table["icb_code"].tolist()
    for name in ALLOCATION_SHEETS:
        if name == ALLOCATIONS_SHEET:
            continue
        part = _read_allocation_sheet(workbook, file, name, core_codes)
        table = table.join(part.set_index("icb_code"))
    table["specialised_2025_26_total_gbp_k"] = (
        table["specialised_2025_26_physical_plus_hcdd_recurrent_gbp_k"]
        + table["specialised_2025_26_delegated_mh_gbp_k"]
        + table["specialised_2025_26_corneal_tissue_gbp_k"]
    )
    table["all_streams_2025_26_total_gbp_k"] = (
        table["core_2025_26_total_allocation_gbp_k"]
        + table["specialised_2025_26_total_gbp_k"]
        + table["pmc_2025_26_revised_recurrent_allocation_gbp_k"]
        + table["pod_2025_26_total_allocation_gbp_k"]
        + table["running_cost_allowance_2025_26_gbp_k"]
    )
    return table.reset_index(drop=True)


def allocations_table(workbook: pd.DataFrame) -> pd.DataFrame:
    """The ``icb_allocations`` columns the 2025/26 workbook gives (ALLOCATION_TABLE_COLUMNS).

    From ``read_allocations_workbook``: £k to £m kept to the £k, percentages to 3 decimals,
    sorted by ICB code. ``core_target_2025_26_m`` is the recurrent allocation divided by one
    plus the (rounded) post-convergence distance from target. The specialised, PMC, POD, running
    cost and all-streams figures are first taken to £0.1k, as in the extract the table was
    first compiled from, so the same workbook gives the same table byte for byte.
    """

    def m(gbp_k: pd.Series) -> pd.Series:
        return (gbp_k / 1000).round(3)

    def m_tenth(gbp_k: pd.Series) -> pd.Series:
        return m(gbp_k.round(1))

    w = workbook.sort_values("icb_code").reset_index(drop=True)
    post = w["core_2025_26_post_convergence_distance_from_target_pct"].round(3)
    table = pd.DataFrame(
        {
            "icb_code": w["icb_code"],
            "icb_name": w["icb_name"],
            "region": w["region"],
            "core_recurrent_m": m(w["core_2025_26_recurrent_allocation_gbp_k"]),
            "core_total_m": m(w["core_2025_26_total_allocation_gbp_k"]),
            "specialised_m": m_tenth(w["specialised_2025_26_total_gbp_k"]),
            "specialised_targeted_m": m_tenth(w["specialised_2025_26_physical_plus_hcdd_recurrent_gbp_k"]),
            "specialised_dft_post_2025_26_pct": w[
                "specialised_2025_26_post_convergence_distance_from_target_pct"
            ].round(3),
            "primary_medical_care_m": m_tenth(w["pmc_2025_26_revised_recurrent_allocation_gbp_k"]),
            "pmc_dft_post_2025_26_pct": w["pmc_2025_26_post_convergence_distance_from_target_pct"].round(3),
            "pod_m": m_tenth(w["pod_2025_26_total_allocation_gbp_k"]),
            "running_costs_m": m_tenth(w["running_cost_allowance_2025_26_gbp_k"]),
            "all_streams_m": m_tenth(w["all_streams_2025_26_total_gbp_k"]),
            "core_target_2025_26_m": m(w["core_2025_26_recurrent_allocation_gbp_k"] / (1 + post / 100)),
            "core_dft_pre_2025_26_pct": w["core_2024_25_distance_from_target_pct"].round(3),
            "core_dft_post_2025_26_pct": post,
            "core_convergence_2025_26_pct": w["core_2025_26_convergence_pct"].round(3),
        }
    )
    return table[ALLOCATION_TABLE_COLUMNS]


Reader = Callable[..., pd.DataFrame]
READERS: dict[str, Reader] = {
    "rtt_monthly": read_rtt_workbook,
    "ae_monthly": read_ae_workbook,
}


def read_path(path: Path, reader: Reader, **kwargs: Any) -> pd.DataFrame:
    """Run a reader on a file, with OS errors turned into WorkbookError naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            raise WorkbookError(
                f"{path.name}: refused, {size / 1e6:.1f} MB is over the {MAX_WORKBOOK_BYTES / 1e6:.0f} MB limit"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return reader(data, path.name, **kwargs)
