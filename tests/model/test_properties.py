"""Properties that hold for every scenario (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ics_model import CONSTANTS, Inputs, Scenario, presets, project, scenario_parameters

SPECS = {p.name: p for p in scenario_parameters()}


def _rate(name: str) -> st.SearchStrategy[float]:
    spec = SPECS[name]
    assert spec.low is not None
    assert spec.high is not None
    return st.floats(spec.low, spec.high, allow_nan=False)


scenarios = st.builds(
    Scenario,
    funding_uplift=_rate("funding_uplift"),
    national_targets=st.integers(0, 40),
    autonomy_share=_rate("autonomy_share"),
    demand_growth=_rate("demand_growth"),
    unit_cost_growth=_rate("unit_cost_growth"),
    productivity_growth=_rate("productivity_growth"),
    autonomy_dividend=_rate("autonomy_dividend"),
    horizon_years=st.integers(3, 15),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(scenario=scenarios, bump=st.floats(0.001, 0.02))
def test_gap_falls_as_uplift_rises(inputs: Inputs, scenario: Scenario, bump: float) -> None:
    higher = min(scenario.funding_uplift + bump, 0.06)
    if higher - scenario.funding_uplift < 1e-6:  # at the top of the range
        return
    before = project(scenario, inputs).headline
    after = project(scenario.with_changes(funding_uplift=higher), inputs).headline
    assert after.gap_bn_at_horizon < before.gap_bn_at_horizon
    assert after.probability_gap_closed >= before.probability_gap_closed
    assert after.waiting_list_at_horizon <= before.waiting_list_at_horizon


@SETTINGS
@given(scenario=scenarios, bump=st.floats(0.001, 0.02))
def test_gap_rises_with_demand(inputs: Inputs, scenario: Scenario, bump: float) -> None:
    higher = min(scenario.demand_growth + bump, 0.06)
    if higher - scenario.demand_growth < 1e-6:
        return
    before = project(scenario, inputs).headline
    after = project(scenario.with_changes(demand_growth=higher), inputs).headline
    assert after.gap_bn_at_horizon > before.gap_bn_at_horizon
    assert after.waiting_list_at_horizon >= before.waiting_list_at_horizon


@SETTINGS
@given(scenario=scenarios)
def test_bands_contain_the_centre(inputs: Inputs, scenario: Scenario) -> None:
    result = project(scenario, inputs)
    gap = result.gap
    assert (gap["pressure_low95_bn"] <= gap["pressure_low_bn"] + 1e-9).all()
    assert (gap["pressure_low_bn"] <= gap["pressure_bn"] + 1e-9).all()
    assert (gap["pressure_bn"] <= gap["pressure_high_bn"] + 1e-9).all()
    assert (gap["pressure_high_bn"] <= gap["pressure_high95_bn"] + 1e-9).all()
    wl = result.waiting_list
    assert (wl["lower"] <= wl["waiting_list"] + 1e-6).all()
    assert (wl["waiting_list"] <= wl["upper"] + 1e-6).all()
    assert 0.0 <= result.headline.probability_gap_closed <= 1.0


@SETTINGS
@given(scenario=scenarios)
def test_closed_gap_keeps_the_list_trend(inputs: Inputs, scenario: Scenario) -> None:
    """With the uplift at which activity keeps pace with demand (a = d, i.e.
    (1 + u)(1 + p_eff)/(1 + c) = 1 + d, here with no activity premium, whose decay would bend the
    path), each year's change in the list is the last one's x (1 + d): the recent trend neither
    improves nor worsens."""
    inputs = replace(inputs, baselines={**inputs.baselines, "activity_premium": 0.0})
    base = project(scenario, inputs)
    p_eff = scenario.productivity_growth + base.dividend
    u = (1 + scenario.demand_growth) * (1 + scenario.unit_cost_growth) / (1 + p_eff) - 1
    if not 0.0 <= u <= 0.06:
        return
    closed = project(scenario.with_changes(funding_uplift=u), inputs)
    assert closed.activity_growth == pytest.approx(scenario.demand_growth, abs=1e-12)
    lists = closed.lists[0]
    if lists.min() <= inputs.baselines["lowest_list"]:  # the floor ends the arithmetic
        return
    yearly = lists[12::12] - lists[:-12:12]
    ratios = yearly[1:] / yearly[:-1]
    np.testing.assert_allclose(ratios, 1 + scenario.demand_growth, rtol=1e-9)


@SETTINGS
@given(scenario=scenarios)
def test_system_shares_sum_to_national(inputs: Inputs, scenario: Scenario) -> None:
    result = project(scenario, inputs)
    systems = result.systems
    assert systems["share"].sum() == pytest.approx(1.0)
    assert systems["gap_horizon_bn"].sum() == pytest.approx(result.headline.gap_bn_at_horizon, abs=1e-9)
    assert systems["cumulative_gap_bn"].sum() == pytest.approx(result.headline.cumulative_gap_bn, abs=1e-9)


@SETTINGS
@given(scenario=scenarios, cut=st.floats(0.001, 0.02))
def test_list_at_horizon_rises_as_uplift_falls(inputs: Inputs, scenario: Scenario, cut: float) -> None:
    """With the activity premium's finite half-life, less funding never lowers the list at the
    horizon, and raises it wherever the list is above its floor."""
    assert np.isfinite(CONSTANTS["activity_premium_half_life"])
    lower = max(scenario.funding_uplift - cut, 0.0)
    if scenario.funding_uplift - lower < 1e-6:  # at the bottom of the range
        return
    before = project(scenario, inputs).lists[0, -1]
    after = project(scenario.with_changes(funding_uplift=lower), inputs).lists[0, -1]
    assert after >= before
    if after > inputs.baselines["lowest_list"] + 1:
        assert after > before


def test_squeeze_ends_above_current_plans(inputs: Inputs) -> None:
    """The premium fades, so a 2010s-style squeeze on funding lets the list grow again: at the
    horizon it is above current plans' and above February 2020's, which it never falls below."""
    named = {name: project(s, inputs).headline for name, s in presets(inputs).items()}
    squeeze, current = named["2010s squeeze"], named["Current plans"]
    assert squeeze.waiting_list_at_horizon > current.waiting_list_at_horizon
    assert squeeze.waiting_list_at_horizon > inputs.baselines["feb_2020_list"]
    assert squeeze.month_list_below_feb_2020 is None
