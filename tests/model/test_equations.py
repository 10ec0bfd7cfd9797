"""Hand-worked values for the model equations (arithmetic in the comments)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from ics_model import CONSTANTS, Inputs, Scenario, goal_seek, project, sweep
from ics_model.projection import Z80, growth_rates, targets_dividend
from ics_model.uncertainty import Spreads, premium_log_growth, simulate

# u 3%, d 2%, c 1%, p 1%, no dividend, 2 years: g = 1.02 * 1.01 / 1.01 - 1 = 2%.
SIMPLE = Scenario(
    funding_uplift=0.03,
    demand_growth=0.02,
    unit_cost_growth=0.01,
    productivity_growth=0.01,
    autonomy_share=0.0,
    horizon_years=3,
)


def test_funding_pressure_and_gap_by_hand(simple_inputs: Inputs) -> None:
    gap = project(SIMPLE, simple_inputs).gap
    # funding: 100, 103, 106.09, 109.2727; pressure: 100, 102, 104.04, 106.1208
    assert gap["funding_bn"].tolist() == pytest.approx([100, 103, 106.09, 109.2727])
    assert gap["pressure_bn"].tolist() == pytest.approx([100, 102, 104.04, 106.1208])
    # gap: 0, -1, -2.05, -3.1519; cumulative -6.2019; % of funding at t=3: -3.1519/109.2727
    assert gap["gap_bn"].tolist() == pytest.approx([0, -1, -2.05, -3.1519])
    assert gap["cumulative_gap_bn"].iloc[-1] == pytest.approx(-6.2019)
    assert gap["gap_pct"].iloc[-1] == pytest.approx(-3.1519 / 109.2727 * 100)
    assert gap["fiscal_year"].tolist() == ["2025/26", "2026/27", "2027/28", "2028/29"]


def test_band_edges_by_hand(simple_inputs: Inputs) -> None:
    # Only demand uncertain (SE 1 point), 40,000 draws: with c = p pressure grows at d, so the
    # 80% band's edges are d = 0.02 -/+ 1.2816 x 0.01 (0.0071845 and 0.0328155), to MC error.
    result = project(SIMPLE, simple_inputs)
    referrals, removals, steps = result.flow_bases
    only_demand = Spreads(demand=0.01, productivity=0.0, unit_cost=0.0, referrals=0.0, removals=0.0)
    sim = simulate(
        SIMPLE,
        simple_inputs,
        dividend=0.0,
        referrals=referrals,
        removals=removals,
        steps=steps,
        spreads=only_demand,
        draws=40_000,
        seed=1,
    )
    d_low, d_high = 0.02 - Z80 * 0.01, 0.02 + Z80 * 0.01
    assert d_low == pytest.approx(0.0071845, abs=1e-7)
    assert sim.pressure_fan[0, 1] == pytest.approx(100 * (1 + d_low), abs=0.05)
    assert sim.pressure_fan[1, 2] == pytest.approx(100 * (1 + d_high) ** 2, abs=0.1)
    # a = 1.03 x 1.01 / 1.01 - 1 = 3%, d = 2% with SE 1%: P(gap closed) = Phi(1.0) = 0.841345.
    assert sim.probability_gap_closed == pytest.approx(0.841345, abs=0.01)


def test_targets_dividend_by_hand() -> None:
    t0 = CONSTANTS["baseline_targets"]
    assert t0 == 18  # the 2025/26 planning guidance's national success measures
    # k 1%, half the population autonomous, 10 targets: 0.01 * 0.5 * (18 - 10) / 18 = 0.0022222
    assert targets_dividend(10, 0.5, 0.01) == pytest.approx(0.0022222222, abs=1e-10)
    # More targets than the baseline buy nothing back (max(0, .)).
    assert targets_dividend(40, 1.0, 0.01) == 0.0
    assert targets_dividend(0, 1.0, 0.02) == pytest.approx(0.02)


def test_growth_rates_by_hand() -> None:
    # g = 1.015 * 1.026 / 1.008 - 1 = 1.04139 / 1.008 - 1 = 0.033125 (the calibrated default: 3.3%)
    g, a = growth_rates(0.03, 0.015, 0.026, 0.008, 0.0)
    assert g == pytest.approx(0.033125, abs=1e-7)
    # a = 1.03 * 1.008 / 1.026 - 1 = 0.0119298
    assert a == pytest.approx(0.0119298, abs=1e-7)


def test_breakeven_uplift_closes_the_gap(simple_inputs: Inputs) -> None:
    scenario = Scenario(autonomy_share=0.5, national_targets=12)
    g = project(scenario, simple_inputs).headline.breakeven_uplift
    closed = project(scenario.with_changes(funding_uplift=g), simple_inputs)
    # Break-even is u* = g, so the gap is zero in every year to rounding.
    assert np.abs(closed.gap["gap_bn"]).max() < 1e-9
    # ... and at break-even the draws fall either side: P is about 50% (1,000 draws).
    assert closed.headline.probability_gap_closed == pytest.approx(0.5, abs=0.05)


def test_probability_gap_closed_by_hand(simple_inputs: Inputs) -> None:
    # The default spreads add productivity and unit cost (SD 0.5 points each) to demand (1 point):
    # g - u has SD about sqrt(0.01^2 + 0.005^2 + 0.005^2) = 0.012247 around -1%, so
    # P = Phi(0.01 / 0.012247) = Phi(0.8165) = 0.793; the 1,000 seeded draws land within 0.03.
    assert project(SIMPLE, simple_inputs).headline.probability_gap_closed == pytest.approx(0.793, abs=0.03)


def test_waiting_list_by_hand(simple_inputs: Inputs) -> None:
    # Flat seasons; referrals 1200 a year = 100 a month; completions 1000 x 1.2 removals = 100.
    flat = Scenario(
        funding_uplift=0.0,
        demand_growth=0.0,
        unit_cost_growth=0.0,
        productivity_growth=0.0,
        autonomy_share=0.0,
        horizon_years=3,
    )
    wl = project(flat, simple_inputs).waiting_list
    assert wl["waiting_list"].tolist() == pytest.approx([1000.0] * len(wl))
    # Latest actual month is Dec 2025; horizon 2028/29 ends in March 2029: 39 months on.
    assert str(wl["month"].iloc[0].date()) == "2025-12-01"
    assert str(wl["month"].iloc[-1].date()) == "2029-03-01"
    # Demand 6% a year, activity 0: month 1 referrals 100 * 1.06 ** (1/12) = 100.4868
    grown = project(flat.with_changes(demand_growth=0.06), simple_inputs).waiting_list
    assert grown["referrals"].iloc[1] == pytest.approx(100 * 1.06 ** (1 / 12))
    assert grown["waiting_list"].iloc[1] == pytest.approx(1000 + 100 * 1.06 ** (1 / 12) - 100)


def test_month_below_feb_2020(simple_inputs: Inputs) -> None:
    # Funding 6% a year, no demand growth: completions outgrow referrals, the list falls
    # from 1000 below the (synthetic) February 2020 level of 900 within the horizon.
    s = Scenario(
        funding_uplift=0.06,
        demand_growth=0.0,
        unit_cost_growth=0.0,
        productivity_growth=0.0,
        horizon_years=10,
    )
    result = project(s, simple_inputs)
    wl = result.waiting_list
    first = result.headline.month_list_below_feb_2020
    assert first is not None
    idx = wl.index[wl["month"].dt.strftime("%Y-%m") == first][0]
    assert wl["waiting_list"].iloc[idx] < 900 <= wl["waiting_list"].iloc[idx - 1]
    rising = project(s.with_changes(funding_uplift=0.0, demand_growth=0.03), simple_inputs)
    assert rising.headline.month_list_below_feb_2020 is None


def test_targets_burden_by_hand(inputs: Inputs) -> None:
    t = project(Scenario(national_targets=18), inputs).targets
    # 18 targets x 42 systems x 750 hours = 567,000 hours; x £50 = £28.35m; / 1,500 = 378 FTE
    assert t.burden_hours == 567_000
    assert t.burden_m == pytest.approx(28.35)
    assert t.burden_fte == pytest.approx(378)
    ten = project(Scenario(national_targets=10), inputs).targets
    # 8 fewer targets x 42 x 750 x £50 = £12.6m saved
    assert ten.burden_saved_m == pytest.approx(12.6)
    # An old link's 2023/24 count (31) still opens and costs more than the baseline.
    old = project(Scenario(national_targets=31), inputs).targets
    assert old.burden_saved_m == pytest.approx(-13 * 42 * 750 * 50 / 1e6)


def test_dividend_lowers_the_gap(inputs: Inputs) -> None:
    t = project(Scenario(national_targets=10, autonomy_share=1.0, autonomy_dividend=0.01), inputs).targets
    assert t.dividend == pytest.approx(0.01 * 8 / 18)
    assert t.gap_bn_with_dividend < t.gap_bn_without_dividend
    assert t.dividend_bn == pytest.approx(t.gap_bn_without_dividend - t.gap_bn_with_dividend)


def test_systems_fair_shares(inputs: Inputs) -> None:
    result = project(Scenario(), inputs)
    systems = result.systems
    assert len(systems) == 42
    assert systems["share"].sum() == pytest.approx(1.0)
    assert systems["gap_horizon_bn"].sum() == pytest.approx(result.headline.gap_bn_at_horizon)
    assert systems["funding_base_bn"].sum() == pytest.approx(195.6)
    # Per patient = (need-weighted / national need-weighted) x national / registered
    #             = national per need-weighted head x need index (published to 4 dp).
    national_per_head = (
        result.gap["funding_bn"].iloc[-1] * 1e9 / inputs.icbs["need_weighted_population"].sum()
    )
    row = systems.iloc[0]
    assert row["funding_per_patient"] == pytest.approx(national_per_head * row["need_index"], rel=1e-4)


def test_drivers_add_up(inputs: Inputs) -> None:
    result = project(Scenario(national_targets=10, autonomy_share=0.5), inputs)
    d = result.drivers.set_index("step")["value_bn"]
    parts = d[["Demand growth", "Unit cost growth", "Productivity", "Targets dividend"]].sum()
    assert d["Base-year budget"] + parts == pytest.approx(d["Pressure at horizon"])
    assert d["Gap at horizon"] == pytest.approx(result.headline.gap_bn_at_horizon)
    assert d["Productivity"] < 0 < d["Demand growth"]
    assert d["Targets dividend"] < 0


def test_goal_seek_funding_matches_breakeven(inputs: Inputs) -> None:
    scenario = Scenario()
    result = goal_seek("funding_uplift", scenario, inputs)
    assert result.value == pytest.approx(project(scenario, inputs).headline.breakeven_uplift, abs=1e-9)
    assert result.gap_bn == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("lever", ["demand_growth", "productivity_growth", "unit_cost_growth"])
def test_goal_seek_other_levers(inputs: Inputs, lever: str) -> None:
    scenario = Scenario(funding_uplift=0.03)
    result = goal_seek(lever, scenario, inputs, target_gap_bn=0.0)
    assert result.value is not None
    solved = project(scenario.with_changes(**{lever: result.value}), inputs)
    assert solved.headline.gap_bn_at_horizon == pytest.approx(0.0, abs=1e-6)


def test_goal_seek_unreachable(inputs: Inputs) -> None:
    # Even 6% demand growth cannot open a £1,000bn gap: no value, a message naming the range.
    result = goal_seek("demand_growth", Scenario(), inputs, target_gap_bn=1000.0)
    assert result.value is None
    assert "0 to 6" in result.message
    with pytest.raises(ValueError, match="cannot goal-seek"):
        goal_seek("horizon_years", Scenario(), inputs)


def test_goal_seek_integer_lever(inputs: Inputs) -> None:
    # With everyone autonomous and k = 2%, fewer targets close a small gap; answer is whole.
    scenario = Scenario(funding_uplift=0.031, autonomy_share=1.0, autonomy_dividend=0.02)
    result = goal_seek("national_targets", scenario, inputs)
    assert isinstance(result.value, int)
    assert 0 <= result.value <= 31


def test_sweep_matches_project(inputs: Inputs) -> None:
    scenario = Scenario()
    grid = sweep(scenario, inputs, n=50)
    assert len(grid) == 2500
    row = grid.iloc[1234]
    point = scenario.with_changes(
        funding_uplift=float(row["funding_uplift"]), demand_growth=float(row["demand_growth"])
    )
    assert row["gap_bn"] == pytest.approx(project(point, inputs).headline.gap_bn_at_horizon)
    assert row["gap_pct"] == pytest.approx(project(point, inputs).headline.gap_pct_at_horizon)
    assert grid["funding_uplift"].min() == 0
    assert math.isclose(grid["funding_uplift"].max(), 0.06)
    with pytest.raises(ValueError, match="two different levers"):
        sweep(scenario, inputs, x="funding_uplift", y="funding_uplift")


def test_activity_premium_by_hand(inputs: Inputs) -> None:
    # a = (1 + u)(1 + p)(1 + e)/(1 + c) - 1: u 3%, p 0.8%, c 2.6%, e 2%:
    # 1.03 x 1.008 x 1.02 / 1.026 - 1 = 1.0590048 / 1.026 - 1 = 0.0321684
    _, a = growth_rates(0.03, 0.015, 0.026, 0.008, 0.0, premium=0.02)
    assert a == pytest.approx(0.0321684, abs=1e-7)
    # The fitted premium is the mean of the yearly excesses it is built from (12 whole years
    # 2009/10-2024/25 outside COVID), positive: completed pathways outgrew the funding rule.
    b = inputs.baselines
    assert b["activity_premium_years"] == 12
    assert 0.0 < b["activity_premium"] < 0.05
    assert b["activity_premium"] == pytest.approx(0.0236, abs=0.0005)
    assert project(Scenario(), inputs).activity_growth == pytest.approx(
        1.03 * 1.008 * (1 + b["activity_premium"]) / 1.026 - 1
    )


def test_transitory_premium_factor_by_hand(simple_inputs: Inputs) -> None:
    # e0 = 2%, half-life 1 year: the monthly log rate ln(1.02)/12 decays by 0.5 ** (s/12), so over
    # 12 months it sums to ln(1.02)/12 x (1 - 0.5) / (ln 2 / 12) = ln(1.02) x 0.5/ln 2
    # = 0.0198026 x 0.7213475 = 0.0142845: a factor 1.0143870 (not the permanent 1.02).
    cumulative = premium_log_growth(0.02, np.array([12, 24, 10_000]), 1.0)
    assert cumulative[0] == pytest.approx(0.0142845, abs=1e-7)
    assert math.exp(cumulative[0]) == pytest.approx(1.0143870, abs=1e-7)
    # 24 months: ln(1.02) x 0.75/ln 2 = 0.0214268; in all, ln(1.02)/ln 2 = 0.0285690 (1/ln 2 years).
    assert cumulative[1] == pytest.approx(0.0214268, abs=1e-7)
    assert cumulative[2] == pytest.approx(math.log(1.02) / math.log(2), abs=1e-9)
    # The closed form is the limit of the month-by-month sum of the decaying rate.
    fine = np.arange(1, 12 * 1000 + 1) / 1000  # months in steps of 1/1000
    rate = math.log(1.02) / 12 * 0.5 ** ((fine - 0.0005) / 12)
    assert rate.sum() / 1000 == pytest.approx(cumulative[0], rel=1e-7)
    # An infinite half-life is the permanent premium; rows broadcast per premium.
    np.testing.assert_allclose(premium_log_growth(0.02, np.array([12]), math.inf), [math.log(1.02)])
    assert premium_log_growth(np.array([0.0, 0.02]), np.array([12, 24]), 1.0).shape == (2, 2)
    # The projection's completions carry that factor over the premium-free growth a.
    inputs = replace(simple_inputs, baselines={**simple_inputs.baselines, "activity_premium": 0.02})
    result = project(Scenario(), inputs)
    half_life = CONSTANTS["activity_premium_half_life"]
    _, a = growth_rates(0.03, 0.015, 0.026, 0.008, 0.0)
    m = np.arange(1, len(result.completions))
    expected = 1000.0 * 1.2 / 12 * (1 + a) ** (m / 12) * np.exp(premium_log_growth(0.02, m, half_life))
    np.testing.assert_allclose(result.completions[1:], expected, rtol=1e-12)
