"""A user's own table (CSV, Parquet or an official workbook) checked against the project's schema.

Pure: bytes in; the validated table, or every problem found (row, column, what was expected),
out. Nothing is written anywhere. ``inputs_with_table`` then builds model Inputs in which that
one table replaces the published one, with the statsmodels baselines refitted to it; the app
keeps those Inputs in the session that uploaded them only (components/upload.py).

Hostile files get a clear message: empty, binary or non-UTF-8 text, over the size or row limit,
a zip bomb dressed as .xlsx, cells a spreadsheet would run as a formula (``=HYPERLINK(...)``),
months in the future.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ics_model.data import REQUIRED, SCHEMAS, _check_values, _round_floats
from ics_model.inputs import Inputs, inputs_from_tables
from ics_model.workbooks import WorkbookError, read_ae_workbook, read_rtt_workbook, workbook_kind

# Tables a user may replace, with a label for messages and banners. (The assumptions table is
# the model's own metadata, so it is not replaceable.)
UPLOADABLE: dict[str, str] = {
    "rtt_monthly": "RTT",
    "ae_monthly": "A&E",
    "icbs": "ICB",
    "budgets": "budget",
    "population_projection": "population",
    "funding_index": "funding index",
    "health_spending_long_run": "long-run spending",
    "tdel_growth_by_government": "DHSC growth by government",
    "evidence": "evidence",
}
WORKBOOK_TABLES = {"rtt_monthly": read_rtt_workbook, "ae_monthly": read_ae_workbook}
MAX_BYTES = 5 * 1024 * 1024  # as server.maxUploadSize in .streamlit/config.toml
MAX_ROWS = 20_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PROBLEMS = 200
PARQUET_MAGIC = b"PAR1"
# A text cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_INTEGER = re.compile(r"^[-+]?[0-9]{1,15}(\.0*)?$")  # 12.0 from a float column is whole
_DECIMAL = re.compile(r"^[-+]?([0-9]{1,15}(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,3})?$")
_BOOLEAN = {"true": True, "false": False, "True": True, "False": False, "TRUE": True, "FALSE": False}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: where (data row from 1, column) and what was expected."""

    row: int | None
    column: str | None
    expected: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.expected}" if where else self.expected


@dataclass(frozen=True)
class Upload:
    """The outcome of checking one file: the table (None if unusable) and the problems."""

    table_name: str
    file_name: str
    table: pa.Table | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.table is not None and not self.problems


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells a spreadsheet would run as a formula start with an apostrophe.

    Cells of text columns beginning with = + - @ tab or carriage return (OWASP's CSV injection
    list) get a leading ``'``, which spreadsheets show as text. Numbers are left alone.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            text = series.astype("string")
            risky = text.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[column] = series.where(~risky, "'" + text)
    return out


def _kind_of(type_: pa.DataType) -> str:
    if pa.types.is_integer(type_):
        return "a whole number"
    if pa.types.is_floating(type_):
        return "a number"
    if pa.types.is_boolean(type_):
        return "true or false"
    return "text"


def _cell_value(text: str, type_: pa.DataType) -> Any:
    """A text cell as the schema's type, or raise ValueError."""
    if pa.types.is_integer(type_):
        if not _INTEGER.match(text):
            raise ValueError
        return int(float(text)) if "." in text else int(text)
    if pa.types.is_floating(type_):
        if not _DECIMAL.match(text):
            raise ValueError
        value = float(text)
        if not math.isfinite(value):
            raise ValueError
        return value
    if pa.types.is_boolean(type_):
        return _BOOLEAN[text]
    return text


def _parse_cell(raw: Any, field: pa.Field, required: bool, this_month: str) -> tuple[Any, str | None]:
    """One cell as the field's type, or None and what was expected instead."""
    text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
    if text == "":
        return None, (f"a value ({_kind_of(field.type)}); the cell is empty" if required else None)
    numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type)
    if text.startswith(FORMULA_START) and not numeric:
        return None, f"plain text, not a formula ({text[:30]!r})"
    try:
        value = _cell_value(text, field.type)
    except (ValueError, KeyError):
        return None, f"{_kind_of(field.type)}, found {text[:30]!r}"
    if field.name == "month":
        if not _MONTH.match(value):
            return None, f"a month as YYYY-MM, found {text[:30]!r}"
        if value > this_month:
            return None, f"a month up to {this_month}, found {value} (in the future)"
    return value, None


def _parse_column(
    field: pa.Field, cells: list[Any], required: bool, this_month: str
) -> tuple[pa.Array, list[Problem]]:
    values, problems = [], []
    for i, raw in enumerate(cells, start=1):
        value, problem = _parse_cell(raw, field, required, this_month)
        values.append(value)
        if problem:
            problems.append(Problem(i, field.name, problem))
            if len(problems) >= MAX_PROBLEMS:
                break
    return pa.array(values if not problems else [None] * len(values), type=field.type), problems


def validate_frame(
    name: str, frame: pd.DataFrame, today: dt.date | None = None
) -> tuple[pa.Table | None, list[Problem]]:
    """Check a frame of text cells (as read from a CSV) against a table's schema.

    Every problem is listed, up to MAX_PROBLEMS: missing or extra columns, cells of the wrong
    type, empty required cells, formula-like text, months not in YYYY-MM form or in the future,
    and the table's own rules (no negative counts, 42 ICBs ...).
    """
    today = today or dt.date.today()
    schema = SCHEMAS[name]
    columns = [str(c) for c in frame.columns]
    problems: list[Problem] = []
    missing = [c for c in schema.names if c not in columns]
    extra = [c for c in columns if c not in schema.names]
    if missing:
        problems.append(
            Problem(None, ", ".join(missing), "these columns are missing (see the table's download)")
        )
    if extra:
        problems.append(
            Problem(None, ", ".join(extra[:10]), f"unknown columns; expected {', '.join(schema.names)}")
        )
    if len(set(columns)) != len(columns):
        problems.append(Problem(None, None, "a column name appears more than once"))
    if problems:
        return None, problems
    if frame.empty:
        return None, [Problem(None, None, "the table has no data rows")]
    if len(frame) > MAX_ROWS:
        return None, [Problem(None, None, f"{len(frame):,} rows is more than the limit of {MAX_ROWS:,}")]
    this_month = f"{today.year:04d}-{today.month:02d}"
    arrays = []
    for field in schema:
        array, found = _parse_column(
            field, frame[field.name].tolist(), field.name in REQUIRED[name], this_month
        )
        problems.extend(found)
        if len(problems) >= MAX_PROBLEMS:
            return None, [
                *problems[:MAX_PROBLEMS],
                Problem(None, None, f"stopped after {MAX_PROBLEMS} problems"),
            ]
        arrays.append(array)
    if problems:
        return None, problems
    table = pa.Table.from_arrays(arrays, schema=schema)
    return _check_table(name, table)


def _check_table(name: str, table: pa.Table) -> tuple[pa.Table | None, list[Problem]]:
    """The rules every table obeys beyond types (as data/raw's), and months in order."""
    problems = [Problem(None, None, p) for p in _check_values(name, table)]
    if "month" in table.column_names:
        months = table["month"].to_pylist()
        for i in range(1, len(months)):
            if months[i] is not None and months[i - 1] is not None:
                expected = pd.Period(months[i - 1], freq="M") + 1
                if pd.Period(months[i], freq="M") != expected:
                    problems.append(
                        Problem(i + 1, "month", f"{expected} (consecutive months), found {months[i]}")
                    )
                    break
    return (None, problems) if problems else (table, [])


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise ValueError("this is a binary file, not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8") from exc


def read_upload(table_name: str, file_name: str, data: bytes, today: dt.date | None = None) -> Upload:
    """Check an uploaded file as a replacement for one table. Never raises for bad files."""
    if table_name not in UPLOADABLE:
        return Upload(
            table_name, file_name, None, [Problem(None, None, f"{table_name!r} cannot be replaced")]
        )

    def fail(message: str) -> Upload:
        return Upload(table_name, file_name, None, [Problem(None, None, message)])

    if not data:
        return fail("the file is empty")
    if len(data) > MAX_BYTES:
        return fail(f"the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix in ("xlsx", "xls") or workbook_kind(data) is not None:
        return _from_workbook(table_name, file_name, data, today)
    if suffix == "parquet" or data.startswith(PARQUET_MAGIC):
        return _from_parquet(table_name, file_name, data, today)
    if suffix not in ("csv", "txt", ""):
        return fail(f"expected a .csv, .parquet, .xlsx or .xls file, not .{suffix[:10]}")
    try:
        text = _decode_csv(data)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, nrows=MAX_ROWS + 1)
    except ValueError as exc:
        return fail(str(exc)[:200])
    except pd.errors.EmptyDataError:
        return fail("the file has no header row")
    except pd.errors.ParserError as exc:
        return fail(f"not a well-formed CSV table ({str(exc)[:120]})")
    checked, problems = validate_frame(table_name, frame, today)
    return Upload(table_name, file_name, checked, problems)


def _from_workbook(table_name: str, file_name: str, data: bytes, today: dt.date | None) -> Upload:
    reader = WORKBOOK_TABLES.get(table_name)
    if reader is None:
        message = (
            "only the RTT and A&E tables can be read from NHS England's workbooks; "
            "upload this table as CSV or Parquet"
        )
        return Upload(table_name, file_name, None, [Problem(None, None, message)])
    try:
        frame = reader(data, file_name, today=today)
    except WorkbookError as exc:
        return Upload(table_name, file_name, None, [Problem(None, None, str(exc))])
    table = pa.Table.from_pandas(frame, schema=SCHEMAS[table_name], preserve_index=False)
    checked, problems = _check_table(table_name, table)
    return Upload(table_name, file_name, checked, problems)


def _from_parquet(table_name: str, file_name: str, data: bytes, today: dt.date | None) -> Upload:
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        meta = parquet.metadata
        rows = meta.num_rows
        # Compressed pages can unpack to far more than the file: refuse before reading them.
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if unpacked > MAX_UNPACKED_BYTES:
            message = f"refused: the Parquet file would unpack to {unpacked / 1e6:,.0f} MB"
            return Upload(table_name, file_name, None, [Problem(None, None, message)])
        frame = parquet.read().to_pandas(types_mapper=pd.ArrowDtype) if rows <= MAX_ROWS else None
    except Exception as exc:  # pyarrow raises several types for corrupt files
        return Upload(
            table_name,
            file_name,
            None,
            [Problem(None, None, f"not a readable Parquet file ({str(exc)[:100]})")],
        )
    if frame is None:
        return Upload(
            table_name,
            file_name,
            None,
            [Problem(None, None, f"{rows:,} rows is more than the limit of {MAX_ROWS:,}")],
        )
    # Through text, so Parquet and CSV are checked by the same rules.
    text = frame.astype("string").astype(object).where(frame.notna(), None)
    checked, problems = validate_frame(table_name, text, today)
    return Upload(table_name, file_name, checked, problems)


def inputs_with_table(inputs: Inputs, name: str, table: pa.Table) -> Inputs:
    """Inputs in which one sourced table is replaced, with the baselines refitted to it.

    Raises:
        ValueError: the model cannot be fitted to the data (too short a series, for example).
    """
    from ics_model.fits import fit_baselines  # statsmodels, imported only when refitting

    raw = {
        n: pa.Table.from_pandas(inputs.tables[n], schema=SCHEMAS[n], preserve_index=False)
        for n in SCHEMAS
        if n in inputs.tables
    }
    raw[name] = table
    try:
        fitted = {n: _round_floats(t) for n, t in fit_baselines(raw).items()}
    except Exception as exc:  # statsmodels and pandas raise many types on degenerate series
        raise ValueError(f"the model could not be fitted to these data ({str(exc)[:160]})") from exc
    frames = {n: t.to_pandas() for n, t in {**raw, **fitted}.items()}
    result = inputs_from_tables(frames, cache_status=f"uploaded {name}")
    bad = [k for k, v in result.baselines.items() if not math.isfinite(v)]
    if bad:
        raise ValueError(f"the fitted baselines are not finite with these data: {', '.join(bad[:5])}")
    return replace(result)
