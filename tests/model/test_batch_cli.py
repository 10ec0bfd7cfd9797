"""The ``batch`` command: files in, results out, bad rows skipped by number or failing the run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ics_model import Inputs, Scenario, project
from ics_model.cli import main


def test_cli_batch(tmp_path: Path, inputs: Inputs) -> None:
    source = tmp_path / "scenarios.csv"
    # As spreadsheets save "CSV UTF-8": a byte-order mark; and a stray space in a header.
    source.write_text(
        "scenario, funding_uplift,horizon_years\na,4.0,10\nb,xyz,10\nc,2.5,5\n", encoding="utf-8-sig"
    )
    out = tmp_path / "results.parquet"
    assert main(["batch", str(source), "--out", str(out)]) == 0
    results = pd.read_parquet(out)
    assert results["row"].tolist() == [1, 3]
    expected = project(Scenario(funding_uplift=0.025, horizon_years=5), inputs).headline
    assert results.iloc[1]["gap_bn_at_horizon"] == pytest.approx(expected.gap_bn_at_horizon)
    assert main(["batch", str(source), "--out", str(tmp_path / "strict.csv"), "--strict"]) == 2
    assert not (tmp_path / "strict.csv").exists()
    gap = tmp_path / "gap.csv"
    assert main(["batch", str(source), "--out", str(gap), "--table", "gap"]) == 0
    assert len(pd.read_csv(gap)) == 11 + 6


def test_cli_batch_systems_and_new_headline_columns(tmp_path: Path, inputs: Inputs) -> None:
    source = tmp_path / "scenarios.csv"
    source.write_text("funding_uplift,pace_of_change,horizon_years\n4.0,50,5\n", encoding="utf-8")
    out = tmp_path / "systems.csv"
    assert main(["batch", str(source), "--out", str(out), "--table", "systems"]) == 0
    systems = pd.read_csv(out)
    scenario = Scenario(funding_uplift=0.04, pace_of_change=0.5, horizon_years=5)
    expected = project(scenario, inputs)
    assert len(systems) == 42
    assert systems["pace_of_change"].tolist() == [50.0] * 42
    assert systems["gap_m_at_horizon"].tolist() == pytest.approx(
        expected.systems["gap_m_at_horizon"].tolist()
    )
    headline = tmp_path / "headline.csv"
    assert main(["batch", str(source), "--out", str(headline)]) == 0
    row = pd.read_csv(headline).iloc[0]
    assert row["probability_gap_closed"] == pytest.approx(expected.headline.probability_gap_closed)
    assert row["probability_list_below_feb_2020"] == pytest.approx(
        expected.headline.probability_list_below_feb_2020
    )
