"""The command line for the 42 systems: new columns, one system, clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ics_model import Inputs, Scenario, project_system
from ics_model.cli import main

NEW_COLUMNS = [
    "icb_code",
    "icb_name",
    "region",
    "allocation_m",
    "core_allocation_m",
    "distance_from_target_pct",
    "local_demand_growth",
    "funding_m_at_horizon",
    "pressure_m_at_horizon",
    "gap_m_at_horizon",
    "gap_per_head",
    "gap_pct_of_allocation",
    "waiting_list_latest",
    "waiting_list_latest_month",
    "waiting_list_at_horizon",
]


def test_systems_table_carries_the_new_columns(tmp_path: Path) -> None:
    out = tmp_path / "systems.csv"
    assert main(["project", "--table", "systems", "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    assert len(frame) == 42
    assert set(NEW_COLUMNS) <= set(frame.columns)


def test_one_system(tmp_path: Path, inputs: Inputs) -> None:
    out = tmp_path / "qoq.csv"
    assert main(["project", "--system", "QOQ", "--funding-uplift", "4.0", "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    expected = project_system("QOQ", Scenario(funding_uplift=0.04), inputs).gap
    assert frame["gap_m"].tolist() == pytest.approx(expected["gap_m"].tolist())
    row = tmp_path / "row.csv"
    assert main(["project", "--table", "systems", "--system", "qoq", "--out", str(row)]) == 0
    assert pd.read_csv(row)["icb_code"].tolist() == ["QOQ"]


def test_unknown_system_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "--system", "NOPE"]) == 2
    assert "not one of the 42" in capsys.readouterr().err
