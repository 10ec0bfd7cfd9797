"""Batch runs: the vectorised results equal project() scenario by scenario; bad rows by number."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ics_model import Headline, Inputs, Scenario, project, run_batch, scenario_parameters
from ics_model.batch import BatchError, read_scenarios


def _scenario(row: pd.Series) -> Scenario:
    """A batch row (percent for rates) as the Scenario that project() takes: every field."""
    return Scenario(
        **{
            spec.name: int(row[spec.name]) if spec.is_integer else spec.from_display(row[spec.name])
            for spec in scenario_parameters()
        }
    )


@pytest.fixture(scope="module")
def scenarios() -> pd.DataFrame:
    rng = np.random.default_rng(20261130)
    n = 60
    return pd.DataFrame(
        {
            "funding_uplift": rng.uniform(0, 6, n).round(1),
            "national_targets": rng.integers(0, 41, n),
            "autonomy_share": rng.uniform(0, 100, n).round(0),
            "demand_growth": rng.uniform(0, 6, n).round(1),
            "unit_cost_growth": rng.uniform(-1, 4, n).round(1),
            "productivity_growth": rng.uniform(-1, 3, n).round(1),
            "autonomy_dividend": rng.uniform(0, 2, n).round(1),
            "pace_of_change": rng.uniform(0, 100, n).round(1),
            "horizon_years": rng.integers(3, 16, n),
        }
    )


def test_headline_equals_project(scenarios: pd.DataFrame, inputs: Inputs) -> None:
    result = run_batch(scenarios, inputs)
    assert result.problems == []
    assert result.results["row"].tolist() == list(range(1, len(scenarios) + 1))
    for _, row in result.results.iterrows():
        h = project(_scenario(row), inputs).headline
        assert row["gap_bn_at_horizon"] == pytest.approx(h.gap_bn_at_horizon, rel=1e-12, abs=1e-9)
        assert row["gap_pct_at_horizon"] == pytest.approx(h.gap_pct_at_horizon, rel=1e-12, abs=1e-9)
        assert row["cumulative_gap_bn"] == pytest.approx(h.cumulative_gap_bn, rel=1e-12, abs=1e-9)
        assert row["breakeven_uplift_pct"] == pytest.approx(h.breakeven_uplift * 100, rel=1e-12)
        # The joint Monte Carlo: the same draws and seed, so the same shares of draws.
        assert row["probability_gap_closed"] == h.probability_gap_closed
        assert row["probability_list_below_feb_2020"] == h.probability_list_below_feb_2020
        assert row["waiting_list_at_horizon"] == pytest.approx(h.waiting_list_at_horizon, rel=1e-12)
        below = row["month_list_below_feb_2020"]
        assert (None if pd.isna(below) else below) == h.month_list_below_feb_2020
        assert row["horizon_fiscal_year"] == h.horizon_fiscal_year


def test_headline_carries_every_headline_field(inputs: Inputs) -> None:
    columns = run_batch(pd.DataFrame({"funding_uplift": [4.0]}), inputs).results.columns
    # The break-even uplift is in percent, as the batch's other rates.
    expected = [f.name if f.name != "breakeven_uplift" else "breakeven_uplift_pct" for f in fields(Headline)]
    assert [c for c in columns if c in expected] == expected


def test_every_scenario_field_is_an_input(inputs: Inputs) -> None:
    frame = pd.DataFrame({"pace_of_change": [0.0, 100.0], "funding_uplift": [4.0, 4.0]})
    results = run_batch(frame, inputs, table="systems").results
    assert [s.name for s in scenario_parameters()] == [
        c for c in results.columns if c in {s.name for s in scenario_parameters()}
    ]
    slow, fast = (results[results["row"] == i] for i in (1, 2))
    # 100% pace: every system at its fair share the next year, so funding differs by system.
    assert not np.allclose(slow["funding_m_at_horizon"], fast["funding_m_at_horizon"])
    expected = project(Scenario(pace_of_change=1.0, funding_uplift=0.04), inputs).systems
    pd.testing.assert_frame_equal(
        fast[expected.columns].reset_index(drop=True), expected, check_dtype=False, rtol=1e-12
    )


def test_gap_and_systems_tables_equal_project(scenarios: pd.DataFrame, inputs: Inputs) -> None:
    some = scenarios.iloc[:5]
    gap = run_batch(some, inputs, table="gap").results
    systems = run_batch(some, inputs, table="systems").results
    for i, (_, row) in enumerate(some.iterrows(), start=1):
        proj = project(_scenario(run_batch(some.iloc[[i - 1]], inputs).results.iloc[0]), inputs)
        assert proj.scenario.pace_of_change == pytest.approx(row["pace_of_change"] / 100)
        mine = gap[gap["row"] == i].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[proj.gap.columns], proj.gap, check_dtype=False, rtol=1e-12)
        theirs = systems[systems["row"] == i].reset_index(drop=True)
        pd.testing.assert_frame_equal(
            theirs[proj.systems.columns], proj.systems, check_dtype=False, rtol=1e-12
        )
        assert int(row["horizon_years"]) + 1 == len(mine)


def test_hand_worked_row(inputs: Inputs) -> None:
    # funding 3%, pressure g = 1.015*1.026/1.008 - 1 = 3.3125% (no targets dividend: 31 targets);
    # gap after 10 years = F0 * (1.033125^10 - 1.03^10).
    frame = pd.DataFrame({"funding_uplift": ["3.0"]})
    row = run_batch(frame, inputs).results.iloc[0]
    f0 = inputs.base_funding_bn
    assert row["breakeven_uplift_pct"] == pytest.approx(3.3125)
    assert row["gap_bn_at_horizon"] == pytest.approx(f0 * (1.033125**10 - 1.03**10))


def test_bad_rows_are_numbered_and_skipped(inputs: Inputs) -> None:
    frame = pd.DataFrame(
        {
            "scenario": ["ok", "text", "too high", "not whole", "blank", "inf", "arabic"],
            "funding_uplift": ["4", "abc", "60", "4", "", "1e309", "٤"],
            "national_targets": ["10", "10", "10", "10.5", "", "10", "10"],
        }
    )
    result = run_batch(frame, inputs)
    assert result.results["row"].tolist() == [1, 5]
    assert result.results["scenario"].tolist() == ["ok", "blank"]
    assert [p.split(":")[0] for p in result.problems] == ["row 2", "row 3", "row 4", "row 6", "row 7"]
    assert "funding_uplift = 'abc' is not a number from 0 to 6" in result.problems[0]
    assert "national_targets = '10.5' is not a whole number from 0 to 40" in result.problems[2]
    # The blank row takes the defaults.
    assert result.results.iloc[1]["funding_uplift"] == pytest.approx(Scenario().funding_uplift * 100)
    with pytest.raises(BatchError, match="row 2"):
        run_batch(frame, inputs, strict=True)


def test_unknown_columns_and_empty_tables_fail(inputs: Inputs) -> None:
    with pytest.raises(BatchError, match="unknown column"):
        run_batch(pd.DataFrame({"funding": [4]}), inputs)
    with pytest.raises(BatchError, match="no scenarios"):
        run_batch(pd.DataFrame({"funding_uplift": []}), inputs)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "cannot be read"),
        ("latin1.csv", "funding_uplift\n4\n\xe9\n".encode("latin-1"), "not UTF-8"),
        ("binary.parquet", b"\x00\x01\x02garbage", "cannot be read"),
        ("scenarios.txt", b"funding_uplift\n4\n", "must end in .csv or .parquet"),
    ],
)
def test_hostile_scenario_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BatchError, match=message):
        read_scenarios(path)
