"""The policy model: funding, pressure, gap, waiting list, systems and targets.

The equations are listed in the README and shown on the Assumptions & data page.
``project`` does arithmetic only (well under a millisecond); its tidy frames are built
on first access.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ics_model.inputs import Inputs
from ics_model.scenario import CONSTANTS, PARAMETERS, Scenario
from ics_model.systems import SystemsResult, project_systems
from ics_model.uncertainty import (
    Simulation,
    default_draws,
    inputs_key,
    list_paths,
    memoised,
    premium_log_growth,
    simulate,
)

BASE_YEAR = 2025  # fiscal year 2025/26
Z80 = 1.2815515655446004  # two-sided 80% normal quantile
Z95 = 1.959963984540054
N_SYSTEMS = 42


def fiscal_year(start: int) -> str:
    """2025 -> '2025/26'."""
    return f"{start}/{(start + 1) % 100:02d}"


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def targets_dividend(
    national_targets: float | np.ndarray,
    autonomy_share: float | np.ndarray,
    autonomy_dividend: float | np.ndarray,
) -> float | np.ndarray:
    """tau = k * autonomy_share * max(0, T0 - T) / T0: productivity bought by local freedom."""
    t0 = CONSTANTS["baseline_targets"]
    return autonomy_dividend * autonomy_share * np.maximum(0.0, t0 - national_targets) / t0


def growth_rates(
    funding_uplift: float | np.ndarray,
    demand_growth: float | np.ndarray,
    unit_cost_growth: float | np.ndarray,
    productivity_growth: float | np.ndarray,
    dividend: float | np.ndarray,
    *,
    premium: float | np.ndarray = 0.0,
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Pressure growth g and the activity growth a that the funding buys (broadcasts).

    ``premium`` is the fitted activity premium e: how much faster completed pathways have
    grown than (1 + u)(1 + p)/(1 + c) alone gives (fits.py; checked by the backtests). The
    projections treat it as transitory (``premium_log_growth``): this is the rate at the start.
    """
    p_eff = productivity_growth + dividend
    g = (1 + demand_growth) * (1 + unit_cost_growth) / (1 + p_eff) - 1
    a = (1 + funding_uplift) * (1 + p_eff) * (1 + premium) / (1 + unit_cost_growth) - 1
    return g, a


@dataclass(frozen=True)
class Headline:
    """The figures a board asks for first."""

    horizon_fiscal_year: str
    gap_bn_at_horizon: float
    gap_pct_at_horizon: float
    cumulative_gap_bn: float
    breakeven_uplift: float
    probability_gap_closed: float
    waiting_list_at_horizon: float
    month_list_below_feb_2020: str | None
    probability_list_below_feb_2020: float


@dataclass(frozen=True)
class Targets:
    """The oversight burden of national targets and the stylised autonomy dividend."""

    national_targets: int
    burden_hours: float
    burden_m: float
    burden_fte: float
    burden_saved_m: float  # against the baseline count T0
    dividend: float  # tau, extra productivity growth a year
    gap_bn_with_dividend: float
    gap_bn_without_dividend: float

    @property
    def dividend_bn(self) -> float:
        return self.gap_bn_without_dividend - self.gap_bn_with_dividend


@dataclass(frozen=True)
class Projection:
    """One scenario's projection. Arrays are computed eagerly; frames on first access."""

    scenario: Scenario
    inputs: Inputs
    years: np.ndarray  # t = 0..H
    funding: np.ndarray
    pressure: np.ndarray
    growth: float  # g
    activity_growth: float  # a at the start (with the full premium e0, which then decays)
    dividend: float  # tau
    months: pd.PeriodIndex
    lists: np.ndarray  # one row: the central path (the bands come from ``simulation``)
    referrals: np.ndarray
    completions: np.ndarray
    flow_bases: tuple[np.ndarray, np.ndarray, np.ndarray]  # referrals, removals before growth; steps

    @property
    def gap_bn_at_horizon(self) -> float:
        """The gap in the horizon year, £bn (the headline's, without running the Monte Carlo)."""
        return float(self.pressure[-1] - self.funding[-1])

    @cached_property
    def simulation(self) -> Simulation:
        """The joint Monte Carlo for this scenario (seeded; memoised per scenario and inputs)."""
        referrals, removals, steps = self.flow_bases
        key = (self.scenario, default_draws(), inputs_key(self.inputs))
        return memoised(
            key,
            lambda: simulate(
                self.scenario,
                self.inputs,
                dividend=self.dividend,
                referrals=referrals,
                removals=removals,
                steps=steps,
            ),
        )

    @cached_property
    def gap(self) -> pd.DataFrame:
        """One row per year t = 0..H, £bn at 2025/26 prices."""
        gap = self.pressure - self.funding
        b = dict(zip(("low80", "high80", "low95", "high95"), self.simulation.pressure_fan, strict=True))
        return pd.DataFrame(
            {
                "fiscal_year": [fiscal_year(BASE_YEAR + int(t)) for t in self.years],
                "t": self.years,
                "funding_bn": self.funding,
                "pressure_bn": self.pressure,
                "gap_bn": gap,
                "gap_pct": gap / self.funding * 100,
                "cumulative_gap_bn": np.cumsum(gap),
                "pressure_low_bn": b["low80"],
                "pressure_high_bn": b["high80"],
                "pressure_low95_bn": b["low95"],
                "pressure_high95_bn": b["high95"],
            }
        )

    @cached_property
    def waiting_list(self) -> pd.DataFrame:
        """Monthly RTT waiting list from the latest actual month to the horizon, with the
        Monte Carlo's 80% and 95% bands."""
        band = self.simulation.list_fan
        return pd.DataFrame(
            {
                "month": self.months.to_timestamp(),
                "waiting_list": self.lists[0],
                "lower": band[0],
                "upper": band[1],
                "lower95": band[2],
                "upper95": band[3],
                "referrals": self.referrals,
                "completions": self.completions,
            }
        )

    @cached_property
    def systems_result(self) -> SystemsResult:
        """The 42 systems' own funding, pressure and waiting lists (section 4b)."""
        return project_systems(self.scenario, self.inputs)

    @cached_property
    def systems(self) -> pd.DataFrame:
        """Each ICS's own figures (actual allocation, local demand, own waiting list) and,
        in the older columns, its formula-based fair share of the national gap."""
        return self.fair_share_systems.merge(
            self.systems_result.table(), on="icb_code", validate="one_to_one"
        )

    @cached_property
    def fair_share_systems(self) -> pd.DataFrame:
        """Each ICS's formula-based fair share of funding and gap (not its actual allocation)."""
        icbs = self.inputs.icbs
        share = icbs["need_weighted_population"] / icbs["need_weighted_population"].sum()
        gap = self.gap
        horizon = gap.iloc[-1]
        frame = icbs[["icb_code", "icb_name", "region", "registered_population", "need_index"]].copy()
        frame["share"] = share
        frame["funding_base_bn"] = share * self.funding[0]
        frame["funding_horizon_bn"] = share * horizon["funding_bn"]
        frame["gap_horizon_bn"] = share * horizon["gap_bn"]
        frame["cumulative_gap_bn"] = share * horizon["cumulative_gap_bn"]
        frame["funding_per_patient"] = frame["funding_horizon_bn"] * 1e9 / frame["registered_population"]
        frame["gap_per_patient"] = frame["gap_horizon_bn"] * 1e9 / frame["registered_population"]
        return frame.reset_index(drop=True)

    @cached_property
    def targets(self) -> Targets:
        s = self.scenario
        hours = s.national_targets * N_SYSTEMS * CONSTANTS["hours_per_target"]
        baseline_hours = CONSTANTS["baseline_targets"] * N_SYSTEMS * CONSTANTS["hours_per_target"]
        cost = CONSTANTS["cost_per_hour"] / 1e6
        without = project(replace(s, autonomy_share=0.0), self.inputs)
        return Targets(
            national_targets=s.national_targets,
            burden_hours=hours,
            burden_m=hours * cost,
            burden_fte=hours / CONSTANTS["hours_per_fte"],
            burden_saved_m=(baseline_hours - hours) * cost,
            dividend=self.dividend,
            gap_bn_with_dividend=self.headline.gap_bn_at_horizon,
            gap_bn_without_dividend=float(without.pressure[-1] - without.funding[-1]),
        )

    @cached_property
    def drivers(self) -> pd.DataFrame:
        """What moves pressure from the base year to the horizon, in £bn (log shares)."""
        s = self.scenario
        logs = {
            "Demand growth": math.log1p(s.demand_growth),
            "Unit cost growth": math.log1p(s.unit_cost_growth),
            "Productivity": -math.log1p(s.productivity_growth),
            "Targets dividend": -(
                math.log1p(s.productivity_growth + self.dividend) - math.log1p(s.productivity_growth)
            ),
        }
        base, pressure_h = float(self.funding[0]), float(self.pressure[-1])
        total_log = sum(logs.values())
        horizon = float(self.years[-1])
        rows = [("Base-year budget", base, "total")]
        for name, value in logs.items():
            # Each driver's share of log growth; the linear limit when g is zero.
            amount = (
                (pressure_h - base) * value / total_log if abs(total_log) > 1e-12 else base * horizon * value
            )
            rows.append((name, amount, "increase" if amount >= 0 else "decrease"))
        rows.append(("Pressure at horizon", pressure_h, "total"))
        rows.append(("Funding at horizon", float(self.funding[-1]), "total"))
        rows.append(("Gap at horizon", pressure_h - float(self.funding[-1]), "gap"))
        return pd.DataFrame(rows, columns=["step", "value_bn", "kind"])

    @cached_property
    def headline(self) -> Headline:
        s = self.scenario
        gap_h = self.gap_bn_at_horizon
        feb_2020 = self.inputs.baselines["feb_2020_list"]
        below = np.flatnonzero(self.lists[0] < feb_2020)
        return Headline(
            horizon_fiscal_year=fiscal_year(BASE_YEAR + s.horizon_years),
            gap_bn_at_horizon=gap_h,
            gap_pct_at_horizon=gap_h / float(self.funding[-1]) * 100,
            cumulative_gap_bn=float(np.sum(self.pressure - self.funding)),
            breakeven_uplift=float(self.growth),
            probability_gap_closed=self.simulation.probability_gap_closed,
            waiting_list_at_horizon=float(self.lists[0, -1]),
            month_list_below_feb_2020=str(self.months[below[0]]) if below.size else None,
            probability_list_below_feb_2020=self.simulation.probability_list_below_feb_2020,
        )


def _waiting_lists(
    scenario: Scenario, inputs: Inputs, activity_growth: float, premium: float
) -> tuple[pd.PeriodIndex, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Monthly central list L[m+1] = L[m] + R[m] - C[m], and the flows' bases for the bands."""
    b = inputs.baselines
    end = pd.Period(f"{BASE_YEAR + scenario.horizon_years + 1}-03", freq="M")
    n = (end - inputs.last_month).n
    months = pd.period_range(inputs.last_month, end, freq="M")
    steps = np.arange(1, n + 1)
    moy = np.array([(inputs.last_month.month + k - 1) % 12 for k in steps])
    referral_base = b["referrals_last12"] / 12 * inputs.referral_season[moy]
    removal_base = b["removal_factor"] * b["completions_last12"] / 12 * inputs.completion_season[moy]
    referrals = referral_base * (1 + scenario.demand_growth) ** (steps / 12)
    # Activity without the premium, times the transitory premium's cumulative factor.
    completions = (
        removal_base
        * (1 + activity_growth) ** (steps / 12)
        * np.exp(premium_log_growth(premium, steps, CONSTANTS["activity_premium_half_life"]))
    )
    # Floor at the lowest list on record: below it the flow arithmetic no longer applies.
    lists = list_paths(b["latest_list"], referrals, completions, min(b["lowest_list"], b["latest_list"]))
    r = np.concatenate([[np.nan], referrals])
    c = np.concatenate([[np.nan], completions])
    return months, lists[None, :], r, c, (referral_base, removal_base, steps)


def project(scenario: Scenario, inputs: Inputs) -> Projection:
    """Project a scenario to its horizon.

    Args:
        scenario: the levers and assumptions.
        inputs: cached data and fitted baselines from ``load_inputs``.

    Returns:
        A Projection with the gap, waiting list, systems, targets and headline figures.
    """
    s = scenario
    tau = float(targets_dividend(s.national_targets, s.autonomy_share, s.autonomy_dividend))
    premium = inputs.baselines.get("activity_premium", 0.0)
    g, a = growth_rates(
        s.funding_uplift, s.demand_growth, s.unit_cost_growth, s.productivity_growth, tau, premium=premium
    )
    _, a_without = growth_rates(
        s.funding_uplift, s.demand_growth, s.unit_cost_growth, s.productivity_growth, tau
    )
    years = np.arange(s.horizon_years + 1)
    f0 = inputs.base_funding_bn
    months, lists, referrals, completions, flow_bases = _waiting_lists(s, inputs, float(a_without), premium)
    return Projection(
        scenario=s,
        inputs=inputs,
        years=years,
        funding=f0 * (1 + s.funding_uplift) ** years,
        pressure=f0 * (1 + g) ** years,
        growth=float(g),
        activity_growth=float(a),
        dividend=tau,
        months=months,
        lists=lists,
        referrals=referrals,
        completions=completions,
        flow_bases=flow_bases,
    )


def gap_at_horizon(inputs: Inputs, **levers: float | np.ndarray) -> np.ndarray:
    """The gap at the horizon for arrays of lever values (broadcast), defaults elsewhere."""
    values: dict[str, Any] = {**Scenario().as_dict(), **levers}
    tau = targets_dividend(values["national_targets"], values["autonomy_share"], values["autonomy_dividend"])
    g, _ = growth_rates(
        values["funding_uplift"],
        values["demand_growth"],
        values["unit_cost_growth"],
        values["productivity_growth"],
        tau,
    )
    horizon = values["horizon_years"]
    return np.asarray(
        inputs.base_funding_bn * ((1 + g) ** horizon - (1 + values["funding_uplift"]) ** horizon)
    )


@dataclass(frozen=True)
class GoalSeekResult:
    """The lever value that brings the gap at the horizon to the target, if reachable."""

    lever: str
    value: float | None
    gap_bn: float | None
    message: str


def goal_seek(lever: str, scenario: Scenario, inputs: Inputs, target_gap_bn: float = 0.0) -> GoalSeekResult:
    """Solve for the value of one lever that gives the target gap at the horizon.

    All other fields stay as in ``scenario``. The search covers the lever's whole range
    on a fine grid, then refines by bisection between the bracketing grid points.
    """
    spec = PARAMETERS.get(lever)
    if spec is None or lever not in {f.name for f in fields(Scenario)} or lever == "horizon_years":
        raise ValueError(f"cannot goal-seek {lever!r}; choose one of the Scenario's numeric levers")
    assert spec.low is not None
    assert spec.high is not None
    assert spec.step is not None
    others = {k: v for k, v in scenario.as_dict().items() if k != lever}

    def gap(x: np.ndarray) -> np.ndarray:
        return gap_at_horizon(inputs, **others, **{lever: x}) - target_gap_bn

    grid = np.linspace(spec.low, spec.high, round((spec.high - spec.low) / spec.step) + 1)
    values = gap(grid)
    crossings = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
    exact = np.flatnonzero(values == 0)
    if exact.size:
        x = float(grid[exact[0]])
    elif crossings.size:
        lo, hi = float(grid[crossings[0]]), float(grid[crossings[0] + 1])
        if spec.is_integer:
            x = lo if abs(values[crossings[0]]) <= abs(values[crossings[0] + 1]) else hi
        else:
            f_lo = float(gap(np.array(lo)))
            for _ in range(60):
                mid = (lo + hi) / 2
                f_mid = float(gap(np.array(mid)))
                if np.sign(f_mid) == np.sign(f_lo):
                    lo, f_lo = mid, f_mid
                else:
                    hi = mid
            x = (lo + hi) / 2
    else:
        best = float(grid[int(np.argmin(np.abs(values)))])
        return GoalSeekResult(
            lever,
            None,
            None,
            f"No value of {spec.label} from {spec.to_display(spec.low):g} to "
            f"{spec.to_display(spec.high):g} {spec.unit} reaches a gap of £{target_gap_bn:.1f}bn; "
            f"the closest is {spec.to_display(best):g} {spec.unit} with the others unchanged.",
        )
    achieved = float(gap(np.array(x))) + target_gap_bn
    shown = int(x) if spec.is_integer else x
    return GoalSeekResult(
        lever,
        shown,
        achieved,
        f"{spec.label} of {spec.to_display(x):.2f} {spec.unit} gives a gap of £{achieved:.2f}bn "
        f"in {fiscal_year(BASE_YEAR + scenario.horizon_years)}.",
    )


def sweep(
    scenario: Scenario,
    inputs: Inputs,
    x: str = "funding_uplift",
    y: str = "demand_growth",
    n: int = 50,
) -> pd.DataFrame:
    """The gap at the horizon over an n x n grid of two levers' ranges (tidy, vectorised).

    Returns columns ``x``, ``y`` (in model units), ``gap_bn`` and ``gap_pct``.
    """
    if x == y:
        raise ValueError("sweep needs two different levers")
    axes = {}
    for name in (x, y):
        spec = PARAMETERS.get(name)
        if spec is None or spec.kind == "constant" or name == "horizon_years":
            raise ValueError(f"cannot sweep {name!r}")
        assert spec.low is not None
        assert spec.high is not None
        axes[name] = np.linspace(spec.low, spec.high, n)
    xx, yy = np.meshgrid(axes[x], axes[y], indexing="ij")
    others = {k: v for k, v in scenario.as_dict().items() if k not in (x, y)}
    gap = gap_at_horizon(inputs, **others, **{x: xx, y: yy})
    funding_h = (
        inputs.base_funding_bn
        * (1 + (xx if x == "funding_uplift" else yy if y == "funding_uplift" else scenario.funding_uplift))
        ** scenario.horizon_years
    )
    return pd.DataFrame(
        {x: xx.ravel(), y: yy.ravel(), "gap_bn": gap.ravel(), "gap_pct": (gap / funding_h * 100).ravel()}
    )
