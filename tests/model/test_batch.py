"""Batch runs: the vectorised results equal project() scenario by scenario; bad rows by number."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ics_model import Inputs, Scenario, project, run_batch
from ics_model.batch import BatchError, read_scenarios
from ics_model.cli import main


def _scenario(row: pd.Series) -> Scenario:
    """A batch row (percent for rates) as the Scenario that project() takes."""
    return Scenario(
        funding_uplift=row["funding_uplift"] / 100,
        national_targets=int(row["national_targets"]),
        autonomy_share=row["autonomy_share"] / 100,
        demand_growth=row["demand_growth"] / 100,
        unit_cost_growth=row["unit_cost_growth"] / 100,
        productivity_growth=row["productivity_growth"] / 100,
        autonomy_dividend=row["autonomy_dividend"] / 100,
        horizon_years=int(row["horizon_years"]),
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
        assert row["probability_gap_closed"] == pytest.approx(h.probability_gap_closed, abs=1e-12)
        assert row["waiting_list_at_horizon"] == pytest.approx(h.waiting_list_at_horizon, rel=1e-12)
        below = row["month_list_below_feb_2020"]
        assert (None if pd.isna(below) else below) == h.month_list_below_feb_2020
        assert row["horizon_fiscal_year"] == h.horizon_fiscal_year


def test_gap_and_systems_tables_equal_project(scenarios: pd.DataFrame, inputs: Inputs) -> None:
    some = scenarios.iloc[:5]
    gap = run_batch(some, inputs, table="gap").results
    systems = run_batch(some, inputs, table="systems").results
    for i, (_, row) in enumerate(some.iterrows(), start=1):
        proj = project(_scenario(run_batch(some.iloc[[i - 1]], inputs).results.iloc[0]), inputs)
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
