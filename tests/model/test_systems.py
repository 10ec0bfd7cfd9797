"""The per-system model (section 4b): published figures, hand-worked values, consistency, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ics_model.systems as systems_module
from ics_model import Inputs, Scenario, project, project_system, project_systems
from ics_model.paths import RAW_DIR
from ics_model.systems import band_shape, converged_shares, system_base

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PLAIN = Scenario(
    funding_uplift=0.03,
    demand_growth=0.015,
    unit_cost_growth=0.026,
    productivity_growth=0.008,
    autonomy_share=0.0,
    pace_of_change=0.0,
    horizon_years=10,
)


# --- published figures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def allocations() -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / "icb_allocations.csv").set_index("icb_code")


def test_core_recurrent_total_is_the_workbook_england_row(allocations: pd.DataFrame) -> None:
    # NHS England ICB allocations 2025/26, core: England total recurrent allocation £116,741,038k.
    assert round(allocations["core_recurrent_m"].sum() * 1000) == 116_741_038


def test_core_totals_match_the_parliamentary_answer(allocations: pd.DataFrame) -> None:
    # Written answer 51302: 2025/26 total allocations of the three Yorkshire ICBs.
    k = (allocations["core_total_m"] * 1000).round()
    assert k["QOQ"] == 3_646_033
    assert k["QF7"] == 3_108_129
    assert k["QWO"] == 5_266_745


def test_post_convergence_distance_from_target_range(allocations: pd.DataFrame) -> None:
    dft = allocations.set_index("icb_name")["core_dft_post_2025_26_pct"]
    assert dft.idxmin() == "NHS Birmingham and Solihull ICB"
    assert round(dft.min(), 1) == -4.4
    assert dft.idxmax() == "NHS Surrey Heartlands ICB"
    assert round(dft.max(), 1) == 8.0


def test_all_streams_total_and_forty_two_systems(allocations: pd.DataFrame) -> None:
    assert len(allocations) == 42
    assert allocations["all_streams_m"].sum() == pytest.approx(167_170.370, abs=0.01)  # £167.2bn


def test_latest_clean_waiting_lists(inputs: Inputs) -> None:
    base = system_base(inputs)
    row = {str(c): i for i, c in enumerate(base.codes)}
    # South Yorkshire: Sheffield Teaching Hospitals stopped reporting from July 2025.
    assert base.list_latest_month[row["QF7"]] == "2025-06"
    assert base.list_latest[row["QF7"]] == 194_616
    # Devon: April 2026 is a provider gap, so March 2026 is the latest clean month.
    assert base.list_latest_month[row["QJK"]] == "2026-03"
    assert base.list_latest[row["QJK"]] == 151_302
    # North East London: November 2025 dipped, later months are clean.
    assert base.list_latest_month[row["QMF"]] == "2026-04"
    # Closed on 2026-04-01: the last month is March 2026.
    assert base.list_latest_month[row["QM7"]] == "2026-03"


def test_age_weights_reproduce_the_national_demographic_growth(inputs: Inputs) -> None:
    # Shape from the bed-day shares: under 65 (46/83), 65-84 (36/15), 85+ (18/2) per head.
    shape = band_shape(inputs.tables["age_cost_profile"])
    assert shape[2] == pytest.approx((0.36 / 0.15) / (0.46 / 0.83))
    assert shape[4] == pytest.approx((0.18 / 0.02) / (0.46 / 0.83))
    weights = system_base(inputs).age_weights
    pop = inputs.tables["population_projection"].pivot_table(
        index="year", columns="age_band", values="population"
    )
    weighted = pop[["0-17", "18-64", "65-74", "75-84", "85+"]].to_numpy(float) @ weights
    years = list(pop.index)
    growth = (weighted[years.index(2028)] / weighted[years.index(2025)]) ** (1 / 3) - 1
    assert growth == pytest.approx(inputs.baselines["demographic_growth_proj"], abs=1e-9)
    # Cross-check: about half of the weighted total is spent on people aged 65+ (2025).
    spend = pop.loc[2025, ["0-17", "18-64", "65-74", "75-84", "85+"]].to_numpy(float) * weights
    assert 0.45 < spend[2:].sum() / spend.sum() < 0.6


# --- hand-worked values -----------------------------------------------------------------------


def test_convergence_by_hand() -> None:
    # s(t) = s* + (s0 - s*)(1 - pace)^t with s0 = (0.6, 0.4), s* = (0.5, 0.5), pace 0.5:
    # t=1: 0.5 + 0.1 * 0.5 = 0.55; t=2: 0.5 + 0.1 * 0.25 = 0.525.
    shares = converged_shares(np.array([0.6, 0.4]), np.array([0.5, 0.5]), 0.5, np.arange(3))
    np.testing.assert_allclose(shares, [[0.6, 0.55, 0.525], [0.4, 0.45, 0.475]])


def test_humber_and_north_yorkshire_by_hand(inputs: Inputs) -> None:
    one = project_system("QOQ", PLAIN, inputs)
    gap = one.gap.set_index("t")
    # Pace 0: funding grows at the uplift from the actual all-streams allocation, £4,876.752m.
    # t=1: 4,876.752 x 1.03 = 5,023.055; t=10: 4,876.752 x 1.03^10 (1.343916) = 6,553.94.
    assert gap.loc[1, "funding_m"] == pytest.approx(5023.055, abs=0.001)
    assert gap.loc[10, "funding_m"] == pytest.approx(6553.94, abs=0.01)
    # Pressure: 4,876.752 x ((1 + d_i) x 1.026 / 1.008)^t with the system's local demand growth.
    d_i = one.row["local_demand_growth"]
    assert gap.loc[1, "pressure_m"] == pytest.approx(4876.752 * (1 + d_i) * 1.026 / 1.008)
    # Per head: the gap in £ over 2025/26 registered patients (allocation tool).
    patients = inputs.icbs.set_index("icb_code").loc["QOQ", "registered_population"]
    assert one.row["gap_per_head"] == pytest.approx(gap.loc[10, "gap_m"] * 1e6 / patients)
    assert one.row["waiting_list_latest"] == one.waiting_list.query("series == 'Projection'").iloc[0, 1]


def test_unknown_code_is_a_clear_error(inputs: Inputs) -> None:
    with pytest.raises(ValueError, match="not one of the 42"):
        project_system("XYZ", PLAIN, inputs)
    assert project_system(" qoq ", PLAIN, inputs).code == "QOQ"


# --- consistency ------------------------------------------------------------------------------


@pytest.fixture
def uniform_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every system's demand grows at the national rate."""
    monkeypatch.setattr(
        systems_module,
        "local_demand_growth",
        lambda base, scenario, demographic: np.full(base.n, scenario.demand_growth),
    )


@pytest.mark.usefixtures("uniform_demand")
def test_gaps_sum_to_the_icb_share_of_the_national_gap(inputs: Inputs) -> None:
    proj = project(PLAIN, inputs)
    result = project_systems(PLAIN, inputs)
    icb_share = result.base.total_m / (inputs.base_funding_bn * 1e3)  # about 167.2 / 195.6
    national = proj.gap["gap_bn"].to_numpy() * 1e3
    np.testing.assert_allclose(result.gap.sum(axis=0), icb_share * national, rtol=1e-9)


@pytest.mark.usefixtures("uniform_demand")
def test_waiting_lists_reconcile_with_the_national_projection(inputs: Inputs) -> None:
    proj = project(PLAIN, inputs)
    result = project_systems(PLAIN, inputs)
    start_share = result.base.list_latest.sum() / inputs.baselines["latest_list"]
    # Three years on (March 2029), before the lists approach the floor of the lowest list on
    # record, which the systems and the nation reach at different times.
    national = proj.waiting_list.set_index("month")["waiting_list"]
    column = list(result.months.astype(str)).index("2029-03")
    share_2029 = np.nansum(result.lists[:, column]) / national[pd.Timestamp("2029-03")]
    # The 42 ICBs hold about 97% of the national list; the rest is commissioned nationally.
    assert 0.9 < start_share < 1.0
    assert share_2029 == pytest.approx(start_share, abs=0.1)


def test_systems_frame_keeps_the_fair_share_view(inputs: Inputs) -> None:
    frame = project(PLAIN, inputs).systems
    assert len(frame) == 42
    for column in ("share", "gap_per_patient", "gap_m_at_horizon", "waiting_list_latest_month", "icb_name"):
        assert column in frame
    assert frame["share"].sum() == pytest.approx(1)


# --- properties -------------------------------------------------------------------------------

scenarios = st.builds(
    Scenario,
    funding_uplift=st.floats(0.0, 0.06),
    demand_growth=st.floats(0.0, 0.06),
    pace_of_change=st.floats(0.0, 1.0),
    horizon_years=st.integers(3, 15),
)


@SETTINGS
@given(scenario=scenarios)
def test_shares_sum_to_one_and_funding_to_the_icb_total(inputs: Inputs, scenario: Scenario) -> None:
    result = project_systems(scenario, inputs)
    np.testing.assert_allclose(result.shares.sum(axis=0), 1.0, rtol=1e-12)
    total = result.base.total_m * (1 + scenario.funding_uplift) ** result.years
    np.testing.assert_allclose(result.funding.sum(axis=0), total, rtol=1e-12)
    assert np.isfinite(result.lists[~np.isnan(result.lists)]).all()
    assert (result.lists[~np.isnan(result.lists)] > 0).all()


@SETTINGS
@given(scenario=scenarios, bump=st.floats(0.01, 0.5))
def test_pace_moves_funding_toward_fair_share(inputs: Inputs, scenario: Scenario, bump: float) -> None:
    faster = min(scenario.pace_of_change + bump, 1.0)
    # Something left to move: not yet converged to machine precision, and a real step faster.
    assume((1 - scenario.pace_of_change) ** scenario.horizon_years >= 1e-9)
    assume(faster - scenario.pace_of_change >= 1e-6)
    before = project_systems(scenario, inputs)
    after = project_systems(scenario.with_changes(pace_of_change=faster), inputs)
    base = before.base
    above, below = base.share0 > base.fair_share, base.share0 < base.fair_share
    # Strictly in the first year; at the horizon (1 - pace)^t may underflow to the same value.
    assert (after.funding[above, 1] < before.funding[above, 1]).all()
    assert (after.funding[below, 1] > before.funding[below, 1]).all()
    assert (after.funding[above, -1] <= before.funding[above, -1] * (1 + 1e-12)).all()
    assert (after.funding[below, -1] >= before.funding[below, -1] * (1 - 1e-12)).all()


@SETTINGS
@given(scenario=scenarios, bump=st.floats(0.001, 0.02))
def test_each_gap_falls_as_uplift_rises(inputs: Inputs, scenario: Scenario, bump: float) -> None:
    higher = min(scenario.funding_uplift + bump, 0.06)
    if higher - scenario.funding_uplift < 1e-6:
        return
    before = project_systems(scenario, inputs)
    after = project_systems(scenario.with_changes(funding_uplift=higher), inputs)
    assert (after.gap[:, -1] < before.gap[:, -1]).all()


@SETTINGS
@given(scenario=scenarios, bump=st.floats(0.001, 0.02))
def test_local_demand_moves_one_for_one_with_national(
    inputs: Inputs, scenario: Scenario, bump: float
) -> None:
    higher = min(scenario.demand_growth + bump, 0.06)
    before = project_systems(scenario, inputs).demand_growth
    after = project_systems(scenario.with_changes(demand_growth=higher), inputs).demand_growth
    np.testing.assert_allclose(after - before, higher - scenario.demand_growth, atol=1e-12)
