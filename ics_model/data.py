"""The project's sourced tables: schemas, validation and the Arrow (Parquet) cache.

``data/raw/*.csv`` are the sourced tables (provenance in data/SOURCES.md). ``build_cache``
validates each against its declared schema, fits the statsmodels baselines, and writes
``data/cache/*.parquet`` with a manifest holding a hash of the raw tables. ``load_tables``
reads the cache, rebuilding it when it is missing or stale.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ics_model.paths import CACHE_DIR, RAW_DIR

# Bump when the fitted baselines' method changes, so old caches count as stale.
CACHE_VERSION = "1"
MANIFEST = "manifest.json"

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FISCAL = re.compile(r"^\d{4}/\d{2}$")

SCHEMAS: dict[str, pa.Schema] = {
    "rtt_monthly": pa.schema(
        [
            ("month", pa.string()),
            ("incomplete_pathways", pa.int64()),
            ("clock_starts", pa.int64()),
            ("completed_admitted", pa.int64()),
            ("completed_nonadmitted", pa.int64()),
            ("pct_within_18wks", pa.float64()),
        ]
    ),
    "ae_monthly": pa.schema(
        [
            ("month", pa.string()),
            ("ae_attendances", pa.int64()),
            ("emergency_admissions", pa.int64()),
            ("pct_within_4h", pa.float64()),
        ]
    ),
    "budgets": pa.schema(
        [
            ("fiscal_year", pa.string()),
            ("year", pa.int64()),
            ("measure", pa.string()),
            ("cash_bn", pa.float64()),
            ("real_bn", pa.float64()),
            ("deflator_index", pa.float64()),
            ("status", pa.string()),
        ]
    ),
    "health_spending_long_run": pa.schema(
        [
            ("fiscal_year", pa.string()),
            ("year", pa.int64()),
            ("cash_bn", pa.float64()),
            ("real_bn_2018_19", pa.float64()),
            ("basis", pa.string()),
            ("planned", pa.bool_()),
            ("real_change_pct", pa.float64()),
        ]
    ),
    "icbs": pa.schema(
        [
            ("icb_code", pa.string()),
            ("icb_name", pa.string()),
            ("region", pa.string()),
            ("registered_population", pa.int64()),
            ("need_weighted_population", pa.int64()),
            ("need_index", pa.float64()),
        ]
    ),
    "population_projection": pa.schema(
        [("year", pa.int64()), ("age_band", pa.string()), ("population", pa.int64())]
    ),
    "funding_index": pa.schema(
        [
            ("fiscal_year", pa.string()),
            ("year", pa.int64()),
            ("real_index", pa.float64()),
            ("real_per_capita_index", pa.float64()),
            ("real_per_age_weighted_index", pa.float64()),
            ("age_weighted_population_index", pa.float64()),
        ]
    ),
    "tdel_growth_by_government": pa.schema(
        [
            ("period", pa.string()),
            ("start_year", pa.int64()),
            ("end_year", pa.int64()),
            ("cagr", pa.float64()),
        ]
    ),
    "evidence": pa.schema(
        [
            ("source", pa.string()),
            ("year", pa.int64()),
            ("measure", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("note", pa.string()),
        ]
    ),
    "icb_allocations": pa.schema(
        [
            ("icb_code", pa.string()),
            ("icb_name", pa.string()),
            ("region", pa.string()),
            *[
                (name, pa.float64())
                for name in (
                    "core_recurrent_m",
                    "core_total_m",
                    "specialised_m",
                    "specialised_targeted_m",
                    "specialised_dft_post_2025_26_pct",
                    "primary_medical_care_m",
                    "pmc_dft_post_2025_26_pct",
                    "pod_m",
                    "running_costs_m",
                    "all_streams_m",
                )
            ],
            *[
                (f"core_{measure}_{year}{unit}", pa.float64())
                for year in ("2023_24", "2024_25", "2025_26")
                for measure, unit in (
                    ("target", "_m"),
                    ("dft_pre", "_pct"),
                    ("dft_post", "_pct"),
                    ("convergence", "_pct"),
                )
            ],
        ]
    ),
    "rtt_by_icb": pa.schema(
        [
            ("month", pa.string()),
            ("icb_code", pa.string()),
            ("incomplete_pathways", pa.int64()),
            ("within_18_weeks", pa.int64()),
            ("over_52_weeks", pa.int64()),
            ("provider_gap", pa.bool_()),
        ]
    ),
    "icb_population_projection": pa.schema(
        [
            ("icb_code", pa.string()),
            ("year", pa.int64()),
            ("age_0_17", pa.int64()),
            ("age_18_64", pa.int64()),
            ("age_65_74", pa.int64()),
            ("age_75_84", pa.int64()),
            ("age_85_plus", pa.int64()),
        ]
    ),
    "icb_changes_2026": pa.schema(
        [
            ("old_icb_code", pa.string()),
            ("new_icb_code", pa.string()),
            ("new_icb_name", pa.string()),
            ("relation", pa.string()),
            ("notes", pa.string()),
        ]
    ),
    "age_cost_profile": pa.schema(
        [("age_group", pa.string()), ("population_share", pa.float64()), ("bed_day_share", pa.float64())]
    ),
    "national_targets": pa.schema(
        [
            ("target_year", pa.string()),
            ("framework", pa.string()),
            ("measure_number", pa.int64()),
            ("priority_area", pa.string()),
            ("measure", pa.string()),
            ("target", pa.string()),
            ("source", pa.string()),
        ]
    ),
    "national_targets_history": pa.schema(
        [
            ("period", pa.string()),
            ("framework", pa.string()),
            ("count_label", pa.string()),
            ("count", pa.int64()),
            ("source", pa.string()),
        ]
    ),
    "assumptions": pa.schema(
        [
            ("name", pa.string()),
            ("kind", pa.string()),
            ("label", pa.string()),
            ("unit", pa.string()),
            ("display_scale", pa.float64()),
            ("default", pa.float64()),
            ("low", pa.float64()),
            ("high", pa.float64()),
            ("step", pa.float64()),
            ("source", pa.string()),
        ]
    ),
}

# Columns that may never be empty (the rest may have gaps where a series was not published).
REQUIRED: dict[str, tuple[str, ...]] = {
    "rtt_monthly": ("month",),
    "ae_monthly": ("month", "ae_attendances", "emergency_admissions"),
    "budgets": ("fiscal_year", "year", "measure", "cash_bn", "real_bn", "status"),
    "health_spending_long_run": ("fiscal_year", "year", "cash_bn", "real_bn_2018_19", "basis"),
    "icbs": ("icb_code", "icb_name", "region", "registered_population", "need_weighted_population"),
    "population_projection": ("year", "age_band", "population"),
    "funding_index": ("year", "age_weighted_population_index"),
    "tdel_growth_by_government": ("period", "cagr"),
    "evidence": ("source", "year", "measure", "value", "unit"),
    "assumptions": ("name", "kind", "label", "default", "source"),
    "icb_allocations": ("icb_code", "icb_name", "region", "core_recurrent_m", "all_streams_m"),
    "rtt_by_icb": ("month", "icb_code", "incomplete_pathways", "provider_gap"),
    "icb_population_projection": ("icb_code", "year", "age_0_17", "age_85_plus"),
    "icb_changes_2026": ("old_icb_code", "new_icb_code", "new_icb_name", "relation"),
    "age_cost_profile": ("age_group", "population_share", "bed_day_share"),
    "national_targets": ("target_year", "framework", "priority_area", "measure", "target", "source"),
    "national_targets_history": ("period", "framework", "count_label", "count", "source"),
}


class DataError(Exception):
    """A table or cache file is missing, malformed or corrupt; the message names the file."""


def _check_values(name: str, table: pa.Table) -> list[str]:
    """Table-specific sanity checks beyond types; returns problems."""
    problems: list[str] = []
    cols = table.column_names
    if "month" in cols:
        bad = [m for m in table["month"].to_pylist() if not _MONTH.match(m)]
        if bad:
            problems.append(f"months not in YYYY-MM form: {bad[:3]}")
    if "fiscal_year" in cols:
        bad = [f for f in table["fiscal_year"].to_pylist() if f and not _FISCAL.match(f)]
        if bad:
            problems.append(f"fiscal years not in 2025/26 form: {bad[:3]}")
    for field in table.schema:
        if pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
            if field.name in ("low", "high", "default", "real_change_pct", "cagr"):
                continue
            if name == "icb_allocations" and field.name.endswith("_pct"):
                continue  # distance from target and convergence can be negative
            values = [v for v in table[field.name].to_pylist() if v is not None]
            if any(v < 0 for v in values):
                problems.append(f"negative values in {field.name}")
    if name == "budgets":
        allowed = {"outturn", "plan"}
        if not set(table["status"].to_pylist()) <= allowed:
            problems.append(f"status must be one of {sorted(allowed)}")
    return problems + _check_icb_tables(name, table)


def _check_icb_tables(name: str, table: pa.Table) -> list[str]:
    """The ICB tables: 42 systems; known relations in the 2026 changes."""
    problems: list[str] = []
    if name in ("icbs", "icb_allocations") and table.num_rows != 42:
        problems.append(f"expected 42 ICBs, found {table.num_rows}")
    if name == "icb_changes_2026" and not set(table["relation"].to_pylist()) <= {"same", "merged", "part"}:
        problems.append("relation must be one of same, merged, part")
    return problems


def read_raw_table(name: str, raw_dir: Path = RAW_DIR) -> pa.Table:
    """Read one sourced CSV and validate it against its declared schema.

    Raises:
        DataError: naming the file and what is wrong with it.
    """
    path = raw_dir / f"{name}.csv"
    schema = SCHEMAS[name]
    if not path.exists():
        raise DataError(f"{path}: missing sourced table")
    try:
        header = path.open(encoding="utf-8").readline().strip().split(",")
        if header != schema.names:
            raise DataError(f"{path}: columns {header} do not match the schema {schema.names}")
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=schema, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        ).select(schema.names)
        table = table.cast(schema)
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: does not match its schema ({exc})") from exc
    for column in REQUIRED[name]:
        if table[column].null_count:
            raise DataError(f"{path}: column {column} has empty cells")
    problems = _check_values(name, table)
    if problems:
        raise DataError(f"{path}: " + "; ".join(problems))
    return table


def raw_hash(raw_dir: Path = RAW_DIR) -> str:
    """A hash of every sourced table, so a cache built from other data counts as stale."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for name in sorted(SCHEMAS):
        path = raw_dir / f"{name}.csv"
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


FitFunction = Callable[[dict[str, pa.Table]], dict[str, pa.Table]]


def _round_floats(table: pa.Table, digits: int = 12) -> pa.Table:
    """Fitted floats to 12 significant digits, so another machine's linear algebra rounding
    seldom changes the cache's bytes (a value within that noise of a rounding boundary can still
    flip its last digit: the tests compare fitted floats to 1e-9)."""

    def rounded(column: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
        if not pa.types.is_floating(column.type):
            return column
        values = column.to_numpy(zero_copy_only=False)
        return pa.array([float(f"{v:.{digits}g}") for v in values], type=column.type)

    return pa.table([rounded(column) for column in table.columns], schema=table.schema)


def build_cache(
    raw_dir: Path = RAW_DIR, cache_dir: Path = CACHE_DIR, fit: FitFunction | None = None
) -> dict[str, pa.Table]:
    """Validate the raw tables, fit the baselines and write the Parquet cache.

    Args:
        raw_dir: folder of sourced CSV tables.
        cache_dir: folder to write ``*.parquet`` and the manifest into.
        fit: function from raw tables to fitted tables; defaults to the statsmodels fits.

    Returns:
        Every cached table (raw and fitted) by name.
    """
    if fit is None:
        from ics_model.fits import fit_baselines  # statsmodels is imported only here

        fit = fit_baselines
    tables = {name: read_raw_table(name, raw_dir) for name in SCHEMAS}
    tables.update({name: _round_floats(table) for name, table in fit(tables).items()})
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        # No statistics timestamps or pandas metadata: the same inputs give the same bytes.
        pq.write_table(table.replace_schema_metadata(None), cache_dir / f"{name}.parquet")
    manifest = {"raw_hash": raw_hash(raw_dir), "tables": sorted(tables)}
    (cache_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return tables


def cache_status(raw_dir: Path = RAW_DIR, cache_dir: Path = CACHE_DIR) -> str:
    """'fresh', 'missing' or 'stale'."""
    manifest_path = cache_dir / MANIFEST
    if not manifest_path.exists():
        return "missing"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "stale"
    if not isinstance(manifest, dict) or manifest.get("raw_hash") != raw_hash(raw_dir):
        return "stale"
    tables = manifest.get("tables", [])
    if not all((cache_dir / f"{name}.parquet").exists() for name in tables):
        return "missing"
    return "fresh"


def read_cache(cache_dir: Path = CACHE_DIR) -> dict[str, pa.Table]:
    """Read every cached table named in the manifest.

    Raises:
        DataError: naming the corrupt file and how to rebuild it.
    """
    manifest = json.loads((cache_dir / MANIFEST).read_text(encoding="utf-8"))
    tables: dict[str, pa.Table] = {}
    for name in manifest["tables"]:
        path = cache_dir / f"{name}.parquet"
        try:
            tables[name] = pq.read_table(path)
        except (pa.ArrowException, OSError) as exc:
            raise DataError(
                f"{path}: the cached file is corrupt ({exc}). "
                "Rebuild the cache with: python -m ics_model build-data"
            ) from exc
    return tables


def load_tables(raw_dir: Path = RAW_DIR, cache_dir: Path = CACHE_DIR) -> tuple[dict[str, pa.Table], str]:
    """The cached tables, rebuilt first if the cache is missing or stale.

    Returns:
        The tables and what happened: 'fresh', or 'rebuilt (missing)' / 'rebuilt (stale)'.
    """
    status = cache_status(raw_dir, cache_dir)
    if status == "fresh":
        return read_cache(cache_dir), status
    return build_cache(raw_dir, cache_dir), f"rebuilt ({status})"
