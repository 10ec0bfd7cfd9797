"""The joint Monte Carlo: reproducible, seeded, and consistent with the model's equations."""

from __future__ import annotations

import numpy as np
import pytest

from ics_model import CONSTANTS, Inputs, Scenario, project
from ics_model.uncertainty import Spreads, fan, simulate


def _simulate(inputs: Inputs, scenario: Scenario, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    result = project(scenario, inputs)
    referrals, removals, steps = result.flow_bases
    sim = simulate(
        scenario,
        inputs,
        dividend=result.dividend,
        referrals=referrals,
        removals=removals,
        steps=steps,
        seed=seed,
    )
    return sim.pressure_growth, sim.lists


def test_same_seed_same_numbers(inputs: Inputs) -> None:
    g1, lists1 = _simulate(inputs, Scenario(), seed=7)
    g2, lists2 = _simulate(inputs, Scenario(), seed=7)
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_array_equal(lists1, lists2)
    g3, _ = _simulate(inputs, Scenario(), seed=8)
    assert not np.array_equal(g1, g3)


def test_headline_probabilities_are_reproducible(inputs: Inputs) -> None:
    # Two separate projections of one scenario give identical Monte Carlo figures.
    a = project(Scenario(funding_uplift=0.032), inputs)
    b = project(Scenario(funding_uplift=0.032), inputs)
    assert a.headline == b.headline
    assert a.waiting_list.equals(b.waiting_list)
    assert len(a.simulation.pressure_growth) == CONSTANTS["mc_draws"]


def test_fan_is_numpys_quantile() -> None:
    paths = np.random.default_rng(0).normal(size=(1000, 30))
    np.testing.assert_allclose(fan(paths), np.quantile(paths, [0.10, 0.90, 0.025, 0.975], axis=0))


def test_no_spread_collapses_the_fans_onto_the_centre(inputs: Inputs) -> None:
    s = Scenario()
    result = project(s, inputs)
    referrals, removals, steps = result.flow_bases
    none = Spreads(demand=0.0, productivity=0.0, unit_cost=0.0, referrals=0.0, removals=0.0)
    sim = simulate(
        s, inputs, dividend=0.0, referrals=referrals, removals=removals, steps=steps, spreads=none, draws=50
    )
    np.testing.assert_allclose(sim.list_fan[0], result.lists[0], rtol=1e-6)
    np.testing.assert_allclose(sim.pressure_fan[1], result.pressure, rtol=1e-12)
    # Without spread the probability is 0 or 1: g = 3.3125% against u = 3.0%, the gap stays open.
    assert sim.probability_gap_closed == 0.0


def test_probability_list_below_feb_2020_moves_with_funding(inputs: Inputs) -> None:
    lean = project(Scenario(funding_uplift=0.0, horizon_years=3), inputs).headline
    rich = project(Scenario(funding_uplift=0.06, horizon_years=3), inputs).headline
    assert 0.0 <= lean.probability_list_below_feb_2020 <= rich.probability_list_below_feb_2020 <= 1.0
    assert lean.probability_list_below_feb_2020 < 0.5 < rich.probability_list_below_feb_2020


def test_spreads_are_labelled_in_the_assumptions_table() -> None:
    for name in ("productivity_sd", "unit_cost_sd", "flow_noise_scale", "mc_draws", "mc_seed"):
        assert name in CONSTANTS
    assert CONSTANTS["flow_noise_scale"] == pytest.approx(0.5)
