"""Readers of NHS England's workbooks as published, into the project's tables.

- RTT Overview Timeseries (.xlsx), sheet "Full Time Series" -> ``rtt_monthly``
- Monthly A&E Time Series (.xls), sheets "Activity" and "Performance" -> ``ae_monthly``
- ICB allocations, all funding streams (.xlsx), sheet "ICB Core Allocations 2025-26"
  -> ``icb_allocations`` (core services, one row per ICB)

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

from ics_model.data import DataError

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
# Core allocations sheet header -> icb_allocations column (£k; rates as fractions -> percent).
ALLOCATION_COLUMNS: dict[str, tuple[str, str]] = {
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
}
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


def _allocation_row(sheet: Sheet, i: int, columns: dict[str, int]) -> dict[str, Any]:
    """One ICB's row of the core allocations sheet: names as text, money and rates as numbers."""
    record: dict[str, Any] = {}
    for label, (name, kind) in ALLOCATION_COLUMNS.items():
        j = columns[label]
        value = sheet.value(i, j)
        if kind == "text":
            if not isinstance(value, str) or not value.strip() or value.startswith(_FORMULA_START):
                raise sheet.error(f"expected a name or code, found {str(value)[:40]!r}", i, j)
            record[name] = value.strip()
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise sheet.error(f"expected a number, found {str(value)[:40]!r}", i, j)
        else:
            # Rates are fractions in the workbook; the table has them in percent.
            record[name] = round(float(value) * 100, 3) if kind == "pct" else round(float(value), 2)
    return record


def read_allocations_workbook(data: bytes, file: str = "allocations workbook") -> pd.DataFrame:
    """The ICB allocations workbook's core services sheet: one row per ICB (£k, rates in %).

    Checks 42 ICBs with distinct three-character codes, and that the recurrent allocations
    add up to the sheet's England total row. Raises WorkbookError naming file, sheet and cell.
    """
    sheet = read_sheet(open_workbook(data, file, "xlsx"), file, ALLOCATIONS_SHEET)
    header, code_col = _find_row(sheet, "ICB23", limit=10)
    columns = {str(sheet.value(header, j)).strip(): j for j in range(len(sheet.rows[header]))}
    missing = [label for label in ALLOCATION_COLUMNS if label not in columns]
    if missing:
        raise sheet.error(f"column(s) not found in the header: {'; '.join(missing)}", header)
    records: list[dict[str, Any]] = []
    i = header + 1
    while i < len(sheet.rows) and str(sheet.value(i, code_col)).strip():
        record = _allocation_row(sheet, i, columns)
        records.append(record)
        i += 1
    if len(records) != N_ICBS:
        raise sheet.error(f"expected {N_ICBS} ICB rows below the header, found {len(records)}", header)
    table = pd.DataFrame(records)
    bad = table.loc[~table["icb_code"].str.fullmatch(r"[A-Z0-9]{3}"), "icb_code"]
    if len(bad):
        row = header + 1 + int(bad.index[0])
        raise sheet.error(f"expected a three-character ICB code, found {bad.iloc[0][:20]!r}", row, code_col)
    if table["icb_code"].duplicated().any():
        raise sheet.error(
            f"ICB code {table.loc[table.icb_code.duplicated(), 'icb_code'].iloc[0]} appears twice"
        )
    # The England total row of the regional summary below must match the ICBs' sum.
    total_col = columns["2025/26 Recurrent allocation (£k)"]
    for k in range(i, len(sheet.rows)):
        if any(str(v).strip().upper() == "ENGLAND" for v in sheet.rows[k]):
            total = sheet.value(k, total_col)
            summed = float(table["core_2025_26_recurrent_allocation_gbp_k"].sum())
            if isinstance(total, (int, float)) and abs(float(total) - summed) > 1.0:
                raise sheet.error(
                    f"the England total {float(total):,.0f} does not equal the ICBs' sum {summed:,.0f}",
                    k,
                    total_col,
                )
            break
    return table


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
