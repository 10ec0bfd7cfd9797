"""Joint uncertainty: a seeded, vectorised Monte Carlo over the model's uncertain inputs.

Each draw takes its own demand growth (normal, the statsmodels fit's standard error), its own
productivity and unit cost growth (normal, spreads labelled in data/raw/assumptions.csv) and
its own level of the waiting-list flows (normal shifts of referrals and removals, the fits'
residual variation times a scale calibrated against the backtests). Pressure and the waiting
list follow each draw through the model's own equations; the fans are the draws' quantiles.

Deterministic: the same seed gives the same numbers. A few milliseconds per scenario; results
are memoised per scenario and inputs.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from ics_model.inputs import Inputs
from ics_model.scenario import CONSTANTS, Scenario

# Quantiles of the fans: 80% (10th-90th percentile) and 95% (2.5th-97.5th).
QUANTILES = np.array([0.10, 0.90, 0.025, 0.975])
MEMO_SIZE = 48  # each holds a draws x months float32 matrix (about 0.5 MB)


@dataclass(frozen=True)
class Spreads:
    """Standard deviations of the uncertain inputs (rates as fractions a year)."""

    demand: float  # fitted standard error of demand growth
    productivity: float
    unit_cost: float
    referrals: float  # persistent shift of the referral level, as a fraction
    removals: float  # persistent shift of the removal level, as a fraction

    @staticmethod
    def from_inputs(inputs: Inputs) -> Spreads:
        """The labelled spreads: fitted ones from the baselines, assumed ones from the constants."""
        b, scale = inputs.baselines, CONSTANTS["flow_noise_scale"]
        return Spreads(
            demand=b["demand_growth_se"],
            productivity=CONSTANTS["productivity_sd"],
            unit_cost=CONSTANTS["unit_cost_sd"],
            referrals=scale * b.get("referrals_resid_sd", 0.0),
            removals=scale * b.get("completions_resid_sd", 0.0),
        )


@lru_cache(maxsize=8)
def standard_draws(draws: int, seed: int) -> np.ndarray:
    """Independent standard normals, one row per input (5 x draws), fixed by the seed."""
    rng = np.random.default_rng(seed)
    out = rng.standard_normal((5, draws))
    out.setflags(write=False)
    return out


def default_draws() -> tuple[int, int]:
    """(number of draws, seed) from the assumptions table."""
    return int(CONSTANTS["mc_draws"]), int(CONSTANTS["mc_seed"])


def list_paths(latest: float, referrals: np.ndarray, removals: np.ndarray, floor: float) -> np.ndarray:
    """L[m+1] = L[m] + R[m] - C[m] along the last axis from ``latest``, floored at ``floor``."""
    steps = latest + np.cumsum(referrals - removals, axis=-1)
    start = np.full((*steps.shape[:-1], 1), latest)
    return np.maximum(np.concatenate([start, steps], axis=-1), floor)


def fan(paths: np.ndarray) -> np.ndarray:
    """Rows low80, high80, low95, high95 of draws (axis 0) for each column.

    The same as ``np.quantile`` (linear interpolation), from one sort, which is faster here.
    """
    ordered = np.sort(paths, axis=0)
    position = QUANTILES * (len(ordered) - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, len(ordered) - 1)
    weight = (position - below)[:, None]
    return np.asarray(ordered[below] * (1 - weight) + ordered[above] * weight)


def premium_log_growth(premium: float | np.ndarray, steps: np.ndarray, half_life_years: float) -> np.ndarray:
    """Cumulative log growth the transitory activity premium adds to completions by each step.

    The premium's yearly log rate log(1 + e0) decays with a half-life of ``half_life_years``:
    r(s) = log(1 + e0) x 0.5 ** (s / (12 h)) at month s. Its integral over months 0..m, in
    closed form, is log(1 + e0) / 12 x (1 - 0.5 ** (m / (12 h))) / lambda, lambda = ln 2 / (12 h);
    with an infinite half-life, log(1 + e0) x m / 12 (the premium for ever). ``premium`` may be
    an array (one value per row); the result has shape (rows, len(steps)) or (len(steps),).
    """
    rate = np.log1p(np.asarray(premium, dtype=float))[..., None] / 12  # log a month
    m = np.asarray(steps, dtype=float)
    if math.isinf(half_life_years):
        months = m
    else:
        decay = math.log(2) / (12 * half_life_years)
        months = -np.expm1(-decay * m) / decay  # integral of exp(-decay s) over 0..m
    return np.asarray(rate * months)


def growth_paths(log_rate: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """exp(log_rate x steps / 12) for each draw (rows) and month (columns), by a running
    product of the monthly factor (steps are 1, 2, 3, ...; several times faster than exp)."""
    monthly = np.exp(log_rate / 12)
    return np.cumprod(np.broadcast_to(monthly[:, None], (len(log_rate), len(steps))), axis=1)


@dataclass(frozen=True)
class Simulation:
    """A scenario's draws: pressure growth per draw and the waiting list per draw and month."""

    pressure_growth: np.ndarray  # (draws,)
    funding_uplift: float
    base_funding_bn: float
    years: np.ndarray
    lists: np.ndarray  # (draws, months)
    feb_2020_list: float

    @property
    def probability_gap_closed(self) -> float:
        """Share of draws in which funding meets pressure at the horizon."""
        return float(np.mean(self.pressure_growth <= self.funding_uplift + 1e-12))

    @property
    def probability_list_below_feb_2020(self) -> float:
        """Share of draws in which the list at the horizon is below February 2020's."""
        return float(np.mean(self.lists[:, -1] < self.feb_2020_list))

    @cached_property
    def pressure_fan(self) -> np.ndarray:
        """Rows low80, high80, low95, high95 of pressure (£bn) by year t."""
        # Pressure is monotone in g at every t, so its quantiles are those of g.
        g = np.quantile(self.pressure_growth, QUANTILES)
        return np.asarray(self.base_funding_bn * (1 + g[:, None]) ** self.years[None, :])

    @cached_property
    def list_fan(self) -> np.ndarray:
        """Rows low80, high80, low95, high95 of the waiting list by month."""
        return fan(self.lists)


def simulate(
    scenario: Scenario,
    inputs: Inputs,
    *,
    dividend: float,
    referrals: np.ndarray,
    removals: np.ndarray,
    steps: np.ndarray,
    spreads: Spreads | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> Simulation:
    """Draw the uncertain inputs and carry each draw through the model's equations.

    Args:
        scenario: levers and central assumptions.
        inputs: data and fitted baselines.
        dividend: the targets dividend tau (extra productivity growth).
        referrals: central monthly referrals, before growth (seasonal base x 1).
        removals: central monthly removals, before growth.
        steps: months from the latest actual month, 1..n.
        spreads: standard deviations; defaults to ``Spreads.from_inputs``.
        draws: number of draws; defaults to the assumptions table.
        seed: random seed; defaults to the assumptions table.
    """
    s = scenario
    spreads = spreads or Spreads.from_inputs(inputs)
    n_default, seed_default = default_draws()
    z = standard_draws(draws or n_default, seed_default if seed is None else seed)
    d = s.demand_growth + spreads.demand * z[0]
    p = s.productivity_growth + dividend + spreads.productivity * z[1]
    c = s.unit_cost_growth + spreads.unit_cost * z[2]
    g = (1 + d) * (1 + c) / (1 + p) - 1
    # Activity growth as in the model: a = (1 + u)(1 + p_eff)/(1 + c) - 1, times the transitory
    # activity premium (1 + e0) decaying with its half-life.
    log_a = np.log1p(s.funding_uplift) + np.log1p(p) - np.log1p(c)
    premium = np.exp(
        premium_log_growth(
            inputs.baselines.get("activity_premium", 0.0), steps, CONSTANTS["activity_premium_half_life"]
        )
    )
    ref = referrals[None, :] * (1 + spreads.referrals * z[3])[:, None] * growth_paths(np.log1p(d), steps)
    rem = removals[None, :] * (1 + spreads.removals * z[4])[:, None] * growth_paths(log_a, steps) * premium
    b = inputs.baselines
    lists = list_paths(b["latest_list"], ref, rem, min(b["lowest_list"], b["latest_list"]))
    return Simulation(
        pressure_growth=g,
        funding_uplift=s.funding_uplift,
        base_funding_bn=inputs.base_funding_bn,
        years=np.arange(s.horizon_years + 1),
        lists=lists.astype(np.float32),  # to 7 significant figures: ample for quantiles of a list
        feb_2020_list=b["feb_2020_list"],
    )


# --- memo per scenario ---------------------------------------------------------------------

_MEMO: OrderedDict[tuple[object, ...], Simulation] = OrderedDict()


def inputs_key(inputs: Inputs) -> tuple[object, ...]:
    """A content key for the inputs the simulation reads (not the whole tables)."""
    return (
        tuple(sorted(inputs.baselines.items())),
        inputs.referral_season.tobytes(),
        inputs.completion_season.tobytes(),
        str(inputs.last_month),
    )


def memoised(key: tuple[object, ...], compute: object) -> Simulation:
    """Return the memoised simulation for ``key``, computing it with ``compute()`` once."""
    hit = _MEMO.get(key)
    if hit is not None:
        _MEMO.move_to_end(key)
        return hit
    assert callable(compute)
    result: Simulation = compute()
    _MEMO[key] = result
    if len(_MEMO) > MEMO_SIZE:
        _MEMO.popitem(last=False)
    return result


def fan_frame(months: pd.PeriodIndex, sim: Simulation) -> pd.DataFrame:
    """The waiting-list fan as a tidy frame (month, lower, upper, lower95, upper95)."""
    f = sim.list_fan
    return pd.DataFrame(
        {"month": months.to_timestamp(), "lower": f[0], "upper": f[1], "lower95": f[2], "upper95": f[3]}
    )
