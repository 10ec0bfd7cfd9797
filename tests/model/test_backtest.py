"""Backtests: no leakage past the cut-off, errors as defined, and the band's coverage."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ics_model import CONSTANTS, Inputs
from ics_model.backtest import (
    CUTOFFS,
    backtest,
    calibration_cutoffs,
    coverage,
    error_table,
    fit_at_cutoff,
)


def _corrupt_after(inputs: Inputs, cutoff: str) -> Inputs:
    """Every RTT and A&E value after the cut-off replaced by nonsense."""
    tables = dict(inputs.tables)
    for name in ("rtt_monthly", "ae_monthly"):
        frame = tables[name].copy()
        later = frame["month"] > cutoff
        for column in frame.columns.drop("month"):
            frame[column] = frame[column].astype(float)
            frame.loc[later, column] = frame.loc[later, column] * 7.0 + 12345.0
        tables[name] = frame
    return replace(inputs, tables=tables)


@pytest.mark.parametrize("cutoff", CUTOFFS)
def test_no_data_after_the_cutoff_leaks_in(inputs: Inputs, cutoff: str) -> None:
    clean = backtest(inputs, cutoff)
    corrupt = backtest(_corrupt_after(inputs, cutoff), cutoff)
    for column in ("projected", "lower80", "upper80"):
        np.testing.assert_array_equal(clean.series[column].to_numpy(), corrupt.series[column].to_numpy())
    pd.testing.assert_frame_equal(clean.fits, corrupt.fits)
    # ... while the actuals it is scored against did change.
    assert not np.allclose(clean.series["actual"].dropna(), corrupt.series["actual"].dropna())


def test_backtest_shape_and_cutoff_checks(inputs: Inputs) -> None:
    b = backtest(inputs, "2023-03")
    assert set(b.series.columns) >= {"series", "month", "actual", "projected", "lower80", "upper80"}
    assert set(b.errors.columns) >= {"series", "horizon_months", "mape", "bias"}
    assert b.series["month"].iloc[0] == "2023-04"
    assert len(b.series) == 3 * 24
    assert (b.series["lower80"] <= b.series["upper80"]).all()
    assert set(b.fits["model"]) == {"ae_attendances", "emergency_admissions", "clock_starts", "completions"}
    assert (b.fits["se"] > 0).all()
    for bad in ("2030-01", "2010-01", "March 2019", ""):
        with pytest.raises(ValueError, match="cut-off"):
            backtest(inputs, bad)


def test_covid_months_are_marked_and_not_scored(inputs: Inputs) -> None:
    b = backtest(inputs, "2019-03")
    marked = b.series.loc[b.series["disrupted"], "month"]
    assert marked.min() == "2020-03"
    assert marked.max() == "2021-03"  # 24 months on from March 2019
    errors = b.errors.set_index(["series", "horizon_months"])
    # Apr 2019 - Feb 2020 are scored; from March 2020 nothing is.
    assert errors.loc[("waiting_list", 12), "n_months"] == 11
    assert errors.loc[("waiting_list", 24), "n_months"] == 11


def test_error_measures_by_hand() -> None:
    # Two months: projected 110 and 90 against 100 and 100: errors +10% and -10%.
    series = pd.DataFrame(
        {
            "series": "waiting_list",
            "month": ["2024-04", "2024-05"],
            "actual": [100.0, 100.0],
            "projected": [110.0, 90.0],
            "lower80": [0.0, 0.0],
            "upper80": [200.0, 200.0],
            "horizon_months": [1, 2],
            "disrupted": [False, False],
        }
    )
    errors = error_table(series, horizons=(1, 2)).set_index(["series", "horizon_months"])
    assert errors.loc[("waiting_list", 1), "mape"] == pytest.approx(10.0)
    assert errors.loc[("waiting_list", 1), "bias"] == pytest.approx(10.0)
    assert errors.loc[("waiting_list", 2), "mape"] == pytest.approx(10.0)  # mean(|10|, |-10|)
    assert errors.loc[("waiting_list", 2), "bias"] == pytest.approx(0.0)  # mean(10, -10)


def test_refits_use_only_data_to_the_cutoff(inputs: Inputs) -> None:
    fitted = fit_at_cutoff(inputs, "2019-03")
    residual_months = set(fitted.models["clock_starts"]["residuals"]["month"])
    assert max(residual_months) == "2019-03"
    # The removal factor is the latest 12 months' (April 2018 - March 2019) as in the model.
    assert 1.1 < fitted.removal_factor < 1.3


def test_waiting_list_band_covers_about_80_percent(inputs: Inputs) -> None:
    """The calibrated 80% band contains about 80% of backtest months (measured: 147 of 188, with
    the activity premium's two-year half-life)."""
    cutoffs = calibration_cutoffs(inputs)
    assert cutoffs[0] == "2017-09"
    share, months = coverage([backtest(inputs, c) for c in cutoffs])
    assert months >= 150
    assert 0.75 <= share <= 0.85
    # With no flow spread the band is much too narrow: the calibration is doing the work.
    narrow, _ = coverage([backtest(inputs, c, spreads_scale=0.0) for c in cutoffs])
    assert narrow < 0.6
    assert CONSTANTS["flow_noise_scale"] > 0
