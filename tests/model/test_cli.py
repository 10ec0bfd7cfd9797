"""The command line: options from the Scenario metadata, CSV/Parquet output, clean errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ics_model import Inputs, Scenario, project
from ics_model.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_project_to_csv(tmp_path: Path, inputs: Inputs) -> None:
    out = tmp_path / "results.csv"
    assert main(["project", "--funding-uplift", "4.0", "--national-targets", "10", "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    expected = project(Scenario(funding_uplift=0.04, national_targets=10), inputs).gap
    assert frame["gap_bn"].tolist() == pytest.approx(expected["gap_bn"].tolist())
    assert frame["fiscal_year"].iloc[-1] == "2035/36"


def test_project_to_parquet_and_other_tables(tmp_path: Path) -> None:
    out = tmp_path / "systems.parquet"
    assert main(["project", "--table", "systems", "--out", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 42


def test_sweep(tmp_path: Path) -> None:
    out = tmp_path / "grid.csv"
    assert (
        main(["sweep", "--n", "5", "--x", "funding_uplift", "--y", "productivity_growth", "--out", str(out)])
        == 0
    )
    grid = pd.read_csv(out)
    assert len(grid) == 25
    assert list(grid.columns) == ["funding_uplift", "productivity_growth", "gap_bn", "gap_pct"]


def test_bad_value_exits_non_zero_with_one_line() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ics_model", "project", "--funding-uplift", "60"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "error: funding_uplift = 60 is outside its range 0 to 6 % a year (real)"
    ]
    assert run.stdout == ""


def test_bad_output_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "must end in .csv or .parquet" in capsys.readouterr().err
