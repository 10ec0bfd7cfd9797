"""The Arrow cache: rebuilt when missing or stale, a clear error when corrupt, reproducible."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ics_model import DataError, load_inputs
from ics_model.data import SCHEMAS, build_cache, cache_status, read_raw_table
from ics_model.paths import CACHE_DIR, RAW_DIR


@pytest.fixture
def data_dirs(tmp_path: Path) -> tuple[Path, Path]:
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    shutil.copytree(RAW_DIR, raw)
    shutil.copytree(CACHE_DIR, cache)
    return raw, cache


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def data_differences(a: Path, b: Path, rel: float = 1e-9) -> list[str]:
    """What differs between two data folders: every file byte for byte, except the float columns
    of Parquet files, compared to ``rel``. A fit's last digits can differ between machines (their
    linear algebra libraries round differently), and one near a rounding boundary of the cache's
    12 significant digits then flips (seen: 0.00217422114219 against ...218)."""
    files_a = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    files_b = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return [f"files: {files_a} != {files_b}"]
    problems = []
    for name in files_a:
        if (a / name).read_bytes() == (b / name).read_bytes():
            continue
        if not name.endswith(".parquet"):
            problems.append(name)
            continue
        left, right = pq.read_table(a / name), pq.read_table(b / name)
        if left.schema != right.schema or left.num_rows != right.num_rows:
            problems.append(f"{name}: schema or rows")
            continue
        for column in left.column_names:
            x, y = left[column], right[column]
            if pa.types.is_floating(x.type):
                same = np.allclose(x.to_numpy(), y.to_numpy(), rtol=rel, atol=0.0, equal_nan=True)
            else:
                same = x.equals(y)
            if not same:
                problems.append(f"{name}: {column}")
    return problems


def test_committed_cache_is_fresh() -> None:
    assert cache_status() == "fresh"


def test_missing_cache_is_rebuilt(data_dirs: tuple[Path, Path]) -> None:
    raw, cache = data_dirs
    shutil.rmtree(cache)
    inputs = load_inputs(raw, cache)
    assert inputs.cache_status == "rebuilt (missing)"
    assert (cache / "rtt_monthly.parquet").exists()
    assert cache_status(raw, cache) == "fresh"


def test_stale_cache_is_rebuilt(data_dirs: tuple[Path, Path]) -> None:
    raw, cache = data_dirs
    budgets = raw / "budgets.csv"
    budgets.write_text(budgets.read_text().replace("195.6,195.6", "200.0,200.0"))
    assert cache_status(raw, cache) == "stale"
    inputs = load_inputs(raw, cache)
    assert inputs.cache_status == "rebuilt (stale)"
    assert inputs.base_funding_bn == pytest.approx(200.0)


def test_corrupt_cache_names_the_file(data_dirs: tuple[Path, Path]) -> None:
    raw, cache = data_dirs
    (cache / "icbs.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DataError, match=r"icbs\.parquet.*corrupt.*build-data"):
        load_inputs(raw, cache)


def test_malformed_raw_table_names_the_file(data_dirs: tuple[Path, Path]) -> None:
    raw, _ = data_dirs
    path = raw / "icbs.csv"
    path.write_text(path.read_text().replace("1870895", "lots", 1))
    with pytest.raises(DataError, match=r"icbs\.csv: does not match its schema"):
        read_raw_table("icbs", raw)
    path.write_text("icb_code,name\nX,Y\n")
    with pytest.raises(DataError, match=r"icbs\.csv: columns"):
        read_raw_table("icbs", raw)


def test_every_table_matches_its_schema() -> None:
    for name, schema in SCHEMAS.items():
        assert read_raw_table(name).schema.names == schema.names


def test_build_is_reproducible(tmp_path: Path) -> None:
    build_cache(RAW_DIR, tmp_path / "a")
    build_cache(RAW_DIR, tmp_path / "b")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    # ... and the committed cache's data (its fitted floats to 1e-9: they were fitted on another machine).
    assert data_differences(tmp_path / "a", CACHE_DIR) == []
