"""Refresh the project's tables from NHS England's workbooks as published, atomically.

``refresh(rtt=..., ae=..., allocations=...)`` reads the workbooks (``ics_model.workbooks``),
checks them against the tables they replace (or, for the allocations, update by ICB code),
writes the new tables into a copy of ``data/raw`` in a temporary folder beside it, rebuilds
the cache and refits there, and only when all of that has succeeded swaps the two folders
into place. On any error ``data/raw`` and ``data/cache``
are exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ics_model.data import SCHEMAS, DataError, build_cache, read_cache, read_raw_table
from ics_model.paths import CACHE_DIR, RAW_DIR
from ics_model.progress import Steps
from ics_model.workbooks import (
    ALLOCATION_TABLE_COLUMNS,
    WorkbookError,
    allocations_table,
    read_ae_workbook,
    read_allocations_workbook,
    read_path,
    read_rtt_workbook,
)

ALLOCATIONS_TABLE = "icb_allocations"


@dataclass(frozen=True)
class Change:
    """One table's latest month and values, before and after."""

    table: str
    old_latest: str
    new_latest: str
    new_months: int
    latest_values: dict[str, float | None]


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh changed."""

    changes: list[Change]
    demand_growth_before: float
    demand_growth_after: float
    demand_growth_se_after: float
    allocations: str | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as lines for a terminal."""
        out = []
        for c in self.changes:
            moved = (
                f"latest month {c.old_latest} -> {c.new_latest} ({c.new_months} new)"
                if c.new_latest != c.old_latest
                else f"latest month {c.new_latest} (unchanged)"
            )
            values = ", ".join(
                f"{k} {'-' if v is None else (f'{v:.1%}' if k.startswith('pct') else f'{v:,.0f}')}"
                for k, v in c.latest_values.items()
            )
            out.append(f"{c.table}: {moved}; {values}")
        out.append(
            f"fitted demand growth {self.demand_growth_before:.2%} -> {self.demand_growth_after:.2%} a year "
            f"(standard error {self.demand_growth_se_after:.2%})"
        )
        if self.allocations:
            out.append(self.allocations)
        out.extend(self.notes)
        return out


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """As data/compile_raw.py writes: UTF-8, header, no index, empty cells for missing."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _compare(name: str, file: str, new: pd.DataFrame, old: pd.DataFrame) -> Change:
    """The new table must cover the old one's months: same first month, no earlier end."""
    old_months, new_months = old["month"].tolist(), new["month"].tolist()
    if new_months[0] != old_months[0]:
        raise WorkbookError(
            f"{file}: the series starts at {new_months[0]}, not at {old_months[0]} as the "
            f"{name} table does (missing or extra months at the start)"
        )
    if new_months[-1] < old_months[-1]:
        raise WorkbookError(
            f"{file}: the series ends at {new_months[-1]}, before the {name} table's latest month "
            f"{old_months[-1]} (an older publication?)"
        )
    latest = new.iloc[-1]
    values = {c: (None if pd.isna(latest[c]) else float(latest[c])) for c in new.columns if c != "month"}
    return Change(name, old_months[-1], new_months[-1], len(set(new_months) - set(old_months)), values)


def _fitted_demand_growth(cache_dir: Path) -> float:
    """The demand growth fitted in the current cache (NaN if there is no readable cache)."""
    try:
        fitted = read_cache(cache_dir)["baselines"].to_pandas()
        return float(fitted.set_index("name").loc["demand_growth", "value"])
    except (DataError, OSError, KeyError, ValueError):
        return float("nan")


def _stage_allocations(workbook: pd.DataFrame, staged_raw: Path) -> str:
    """Update the icb_allocations columns the 2025/26 workbook gives, by ICB code; report what changed.

    The other columns (distance from target in 2023/24 and 2024/25, from the previous
    workbook) are kept. The workbook's ICB codes were checked against the table's by the reader.
    """
    old = read_raw_table(ALLOCATIONS_TABLE, staged_raw).to_pandas().set_index("icb_code", drop=False)
    new = allocations_table(workbook).set_index("icb_code", drop=False).loc[old.index]
    table = old.copy()
    columns = [c for c in ALLOCATION_TABLE_COLUMNS if c != "icb_code"]
    for column in columns:
        table[column] = new[column].to_numpy()
    differs = pd.DataFrame({c: (old[c] != table[c]) & ~(old[c].isna() & table[c].isna()) for c in columns})
    changed = [code for code in table.index if differs.loc[code].any()]
    _csv(
        table[SCHEMAS[ALLOCATIONS_TABLE].names].reset_index(drop=True),
        staged_raw / f"{ALLOCATIONS_TABLE}.csv",
    )
    before, after = old["core_recurrent_m"].sum() * 1000, table["core_recurrent_m"].sum() * 1000
    note = f"{ALLOCATIONS_TABLE}: {len(table)} ICBs; core recurrent allocations £{before:,.0f}k -> £{after:,.0f}k"
    if not changed:
        return f"{note}; no ICB's figures changed"
    details = "; ".join(
        f"{code} ({', '.join(c for c in columns if differs.loc[code, c])})" for code in changed[:5]
    )
    more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
    return f"{note}; {len(changed)} ICB(s) changed: {details}{more}"


def _swap(staged: Path, target: Path, backup: Path) -> None:
    """Replace target by staged (both directories); target is moved to backup first."""
    if target.exists():
        target.rename(backup)
    staged.rename(target)


def refresh(
    rtt: Path,
    ae: Path,
    allocations: Path | None = None,
    *,
    raw_dir: Path = RAW_DIR,
    cache_dir: Path = CACHE_DIR,
    today: dt.date | None = None,
    steps: Steps | None = None,
) -> RefreshReport:
    """Update rtt_monthly and ae_monthly (and icb_allocations) from the published workbooks.

    Args:
        rtt: the RTT Overview Timeseries workbook (.xlsx).
        ae: the Monthly A&E Time Series workbook (.xls).
        allocations: optionally the ICB allocations 2025/26 workbook, all funding streams
            (.xlsx); the ``icb_allocations`` columns it gives are updated by ICB code (its 42
            codes must be the table's), the 2023/24 and 2024/25 columns are kept.
        raw_dir: the sourced tables to update.
        cache_dir: the Arrow cache to rebuild.
        today: months after this date's month are refused (default: today).
        steps: terminal progress (default: quiet).

    Returns:
        What changed.

    Raises:
        DataError: a one-line message naming the file, sheet and cell; nothing was changed.
    """
    steps = steps or Steps(6, quiet=True)
    steps.start(f"Reading {rtt.name}")
    new_rtt = read_path(rtt, read_rtt_workbook, today=today)
    steps.finish(f"{len(new_rtt)} months")
    steps.start(f"Reading {ae.name}")
    new_ae = read_path(ae, read_ae_workbook, today=today)
    steps.finish(f"{len(new_ae)} months")
    steps.start(f"Reading {allocations.name}" if allocations else "No allocations workbook given")
    new_alloc = None
    if allocations is not None:
        codes = read_raw_table(ALLOCATIONS_TABLE, raw_dir).column("icb_code").to_pylist()
        new_alloc = read_path(allocations, read_allocations_workbook, codes=codes)
    steps.finish(f"{len(new_alloc)} ICBs" if new_alloc is not None else "skipped")

    steps.start("Checking against the current tables")
    old_rtt = read_raw_table("rtt_monthly", raw_dir).to_pandas()
    old_ae = read_raw_table("ae_monthly", raw_dir).to_pandas()
    changes = [
        _compare("rtt_monthly", rtt.name, new_rtt, old_rtt),
        _compare("ae_monthly", ae.name, new_ae, old_ae),
    ]
    demand_before = _fitted_demand_growth(cache_dir)
    steps.finish()

    # Stage beside data/ so the final renames stay on one file system.
    staging = Path(tempfile.mkdtemp(prefix=".refresh-", dir=raw_dir.parent))
    try:
        staged_raw, staged_cache = staging / "raw", staging / "cache"
        shutil.copytree(raw_dir, staged_raw)
        _csv(new_rtt, staged_raw / "rtt_monthly.csv")
        _csv(new_ae, staged_raw / "ae_monthly.csv")
        allocation_note = _stage_allocations(new_alloc, staged_raw) if new_alloc is not None else None
        steps.start("Validating the tables, rebuilding the cache and refitting (statsmodels)")
        tables = build_cache(staged_raw, staged_cache)
        baselines = tables["baselines"].to_pandas().set_index("name")["value"]
        steps.finish()
        steps.start("Swapping the new data into place")
        raw_backup, cache_backup = staging / "raw.old", staging / "cache.old"
        _swap(staged_raw, raw_dir, raw_backup)
        try:
            _swap(staged_cache, cache_dir, cache_backup)
        except OSError:
            # Put the old raw tables back so the two folders stay consistent.
            raw_dir.rename(staged_raw)
            raw_backup.rename(raw_dir)
            raise
        steps.finish()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RefreshReport(
        changes=changes,
        demand_growth_before=demand_before,
        demand_growth_after=float(baselines["demand_growth"]),
        demand_growth_se_after=float(baselines["demand_growth_se"]),
        allocations=allocation_note,
    )
