"""A reviewed snapshot of every preset's headline. Regenerate with UPDATE_SNAPSHOTS=1 and
read the diff: any change in a headline figure should be explained by a data or model change."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd
import pytest

from ics_model import Inputs, presets, project

SNAPSHOT = Path(__file__).parent / "snapshots" / "preset_headlines.csv"


def _headlines(inputs: Inputs) -> pd.DataFrame:
    rows = []
    for name, scenario in presets(inputs).items():
        h = project(scenario, inputs).headline
        rows.append({"preset": name, **scenario.as_dict(), **dataclasses.asdict(h)})
    return pd.DataFrame(rows)


def test_preset_headlines_match_snapshot(inputs: Inputs) -> None:
    current = _headlines(inputs)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        current.to_csv(SNAPSHOT, index=False, float_format="%.6f")
    expected = pd.read_csv(SNAPSHOT, keep_default_na=False, na_values=[""])
    assert list(expected["preset"]) == list(current["preset"])
    for column in ("gap_bn_at_horizon", "cumulative_gap_bn", "breakeven_uplift", "probability_gap_closed"):
        assert current[column].tolist() == pytest.approx(expected[column].tolist(), abs=1e-5), column
    assert current["waiting_list_at_horizon"].tolist() == pytest.approx(
        expected["waiting_list_at_horizon"].tolist(), abs=1.0
    )
    # Monte Carlo shares: 1,000 seeded draws, so reproducible to the last digit.
    assert current["probability_list_below_feb_2020"].tolist() == pytest.approx(
        expected["probability_list_below_feb_2020"].tolist(), abs=1e-9
    )
    months = current["month_list_below_feb_2020"].fillna("").tolist()
    assert months == expected["month_list_below_feb_2020"].fillna("").tolist()
