"""Batch runs: many scenarios at once, vectorised over scenarios with numpy.

One row of inputs per scenario, columns named as the Scenario fields (the CLI options with
underscores), rates in percent as on the sliders and the command line (``funding_uplift`` 4.0
is 4% a year). Empty cells and missing columns take the Scenario's defaults. A column named
``scenario`` is carried through as a label. Rows are numbered from 1 (the first scenario).

Funding, pressure and the gap are closed-form in the levers, and the waiting list is a
cumulative sum, so every scenario is computed in the same few array operations. The joint
Monte Carlo (``uncertainty.simulate``: its draws, seed and equations) is run for every scenario
at once, in chunks, for the probabilities and the pressure fan; the per-system model
(``systems.project_systems``) likewise. The results equal ``project()`` for the same scenario.

Tables: ``headline`` has every ``Headline`` field (the break-even uplift in percent, as
``breakeven_uplift_pct``), ``gap`` the columns of ``Projection.gap`` and ``systems`` those of
``Projection.systems``, each beside the row number, label and inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ics_model.inputs import Inputs
from ics_model.projection import BASE_YEAR, fiscal_year, growth_rates, targets_dividend
from ics_model.scenario import CONSTANTS, Parameter, Scenario, scenario_parameters
from ics_model.systems import SystemBase, system_base
from ics_model.uncertainty import (
    QUANTILES,
    Spreads,
    default_draws,
    list_paths,
    premium_log_growth,
    standard_draws,
)

BatchTable = Literal["headline", "gap", "systems"]
TABLES: tuple[str, ...] = ("headline", "gap", "systems")
LABEL_COLUMN = "scenario"
MAX_SCENARIOS = 1_000_000
_NUMBER = r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?"


class BatchError(ValueError):
    """The batch cannot run (or, in strict mode, a row is bad); the message says why."""


@dataclass(frozen=True)
class BatchResult:
    """A batch's results and the rows that were skipped.

    Attributes:
        results: the requested table, with a ``row`` column (data-row number, first scenario
            is 1) and the inputs in percent beside the outputs.
        problems: one message per skipped row, such as ``row 3: funding_uplift ...``.
        scenarios: the number of scenarios that ran.
    """

    results: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    scenarios: int = 0


def _specs() -> dict[str, Parameter]:
    return {p.name: p for p in scenario_parameters()}


def _describe(spec: Parameter) -> str:
    assert spec.low is not None
    assert spec.high is not None
    kind = "a whole number" if spec.is_integer else "a number"
    return f"{kind} from {spec.to_display(spec.low):g} to {spec.to_display(spec.high):g} ({spec.unit})"


def parse_scenarios(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray], np.ndarray, list[str]]:
    """Validate a frame of scenarios (display units) into model-unit arrays.

    Returns:
        Arrays of every Scenario field in model units for the good rows, the good rows'
        numbers (1-based), and one problem message per bad row.

    Raises:
        BatchError: a column is not a Scenario field (nor ``scenario``), or there are no rows.
    """
    specs = _specs()
    unknown = [str(c) for c in frame.columns if c not in specs and c != LABEL_COLUMN]
    if unknown:
        raise BatchError(
            f"unknown column(s) {', '.join(unknown)}; use any of {', '.join(specs)} "
            f"(rates in percent) and optionally {LABEL_COLUMN!r}"
        )
    if frame.columns.duplicated().any():
        raise BatchError("a column name appears more than once")
    n = len(frame)
    if n == 0:
        raise BatchError("no scenarios: the table has no data rows")
    if n > MAX_SCENARIOS:
        raise BatchError(f"{n:,} scenarios is more than the limit of {MAX_SCENARIOS:,}")
    defaults = Scenario().as_dict()
    bad: dict[int, list[str]] = {}
    values: dict[str, np.ndarray] = {}
    for name, spec in specs.items():
        assert spec.low is not None
        assert spec.high is not None
        if name not in frame.columns:
            values[name] = np.full(n, float(defaults[name]))
            continue
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            shown = column.to_numpy(dtype=float, na_value=np.nan)
            empty = column.isna().to_numpy()
        else:
            text = column.astype("string").str.strip()
            empty = (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
            # ASCII numbers only: float() would also take 'nan', 'inf' and non-ASCII digits.
            numeric = pd.to_numeric(text.where(text.str.fullmatch(_NUMBER).fillna(False)))
            shown = numeric.to_numpy(dtype=float, na_value=np.nan)
        model = np.round(shown / spec.display_scale, 9)
        finite = np.isfinite(model)
        in_range = finite & (model >= spec.low - 1e-12) & (model <= spec.high + 1e-12)
        whole = ~finite | (np.round(shown) == shown) if spec.is_integer else np.ones(n, dtype=bool)
        ok = empty | (finite & in_range & whole)
        for i in np.flatnonzero(~ok):
            bad.setdefault(int(i), []).append(
                f"{name} = {str(column.iloc[i])[:40]!r} is not {_describe(spec)}"
            )
        values[name] = np.where(empty, float(defaults[name]), np.where(ok, model, np.nan))
    keep = np.ones(n, dtype=bool)
    keep[list(bad)] = False
    rows = np.arange(1, n + 1)[keep]
    problems = [f"row {i + 1}: " + "; ".join(bad[i]) for i in sorted(bad)]
    return {name: array[keep] for name, array in values.items()}, rows, problems


def _months_to_horizon(horizon: np.ndarray, inputs: Inputs) -> np.ndarray:
    """Months from the latest actual month to March of each horizon year (``n`` of the list)."""
    last = inputs.last_month
    return (BASE_YEAR + horizon + 1) * 12 + 2 - (last.year * 12 + last.month - 1)


def _waiting_lists(
    v: dict[str, np.ndarray], a: np.ndarray, inputs: Inputs
) -> tuple[np.ndarray, list[str | None]]:
    """The central waiting list at the horizon and the first month below February 2020, per scenario.

    The same flows and arithmetic as ``projection._waiting_lists``, for every scenario of one
    horizon at once.
    """
    b = inputs.baselines
    count = len(a)
    at_horizon = np.empty(count)
    below: list[str | None] = [None] * count
    floor = min(b["lowest_list"], b["latest_list"])
    for horizon in np.unique(v["horizon_years"]):
        idx = np.flatnonzero(v["horizon_years"] == horizon)
        end = pd.Period(f"{BASE_YEAR + int(horizon) + 1}-03", freq="M")
        n = (end - inputs.last_month).n
        months = pd.period_range(inputs.last_month, end, freq="M")
        steps = np.arange(1, n + 1)
        moy = (inputs.last_month.month + steps - 1) % 12
        referral_base = b["referrals_last12"] / 12 * inputs.referral_season[moy]
        removal_base = b["removal_factor"] * b["completions_last12"] / 12 * inputs.completion_season[moy]
        referrals = referral_base * (1 + v["demand_growth"][idx, None]) ** (steps / 12)
        completions = removal_base * (1 + a[idx, None]) ** (steps / 12) * premium_factor(b, steps)
        lists = list_paths(b["latest_list"], referrals, completions, floor)
        at_horizon[idx] = lists[:, -1]
        under = lists < b["feb_2020_list"]
        first = np.argmax(under, axis=1)
        labels = [str(m) for m in months]
        for j in np.flatnonzero(under.any(axis=1)):
            below[idx[j]] = labels[first[j]]
    return at_horizon, below


def _inputs_frame(v: dict[str, np.ndarray], rows: np.ndarray, labels: pd.Series | None) -> pd.DataFrame:
    """The row number, label and every input in display units (percent for rates)."""
    frame = pd.DataFrame({"row": rows})
    if labels is not None:
        frame[LABEL_COLUMN] = labels.to_numpy()
    for name, spec in _specs().items():
        shown = np.round(v[name] * spec.display_scale, 6)
        frame[name] = shown.astype("int64") if spec.is_integer else shown
    return frame


@dataclass(frozen=True)
class _Paths:
    """Yearly funding and pressure of every scenario (rows) over years 0..max horizon."""

    v: dict[str, np.ndarray]
    tau: np.ndarray
    g: np.ndarray
    a: np.ndarray
    horizon: np.ndarray
    years: np.ndarray
    in_horizon: np.ndarray
    funding: np.ndarray
    pressure: np.ndarray

    @classmethod
    def of(cls, v: dict[str, np.ndarray], inputs: Inputs) -> _Paths:
        f0 = inputs.base_funding_bn
        tau = np.asarray(targets_dividend(v["national_targets"], v["autonomy_share"], v["autonomy_dividend"]))
        g, a = growth_rates(
            v["funding_uplift"],
            v["demand_growth"],
            v["unit_cost_growth"],
            v["productivity_growth"],
            tau,
            premium=inputs.baselines.get("activity_premium", 0.0),
        )
        horizon = v["horizon_years"].astype(int)
        years = np.arange(int(horizon.max()) + 1)
        return cls(
            v=v,
            tau=tau,
            g=np.asarray(g),
            a=np.asarray(a),
            horizon=horizon,
            years=years,
            in_horizon=years[None, :] <= horizon[:, None],
            funding=f0 * (1 + v["funding_uplift"][:, None]) ** years,
            pressure=f0 * (1 + np.asarray(g)[:, None]) ** years,
        )

    def at_horizon(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Funding and gap at each scenario's horizon, and the cumulative gap to it."""
        last = np.arange(len(self.horizon))
        funding_h = self.funding[last, self.horizon]
        gap_h = self.pressure[last, self.horizon] - funding_h
        cumulative = np.where(self.in_horizon, self.pressure - self.funding, 0.0).sum(axis=1)
        return funding_h, gap_h, cumulative


# Scenario x draw cells per chunk of the Monte Carlo (bounds memory to some tens of MB).
CHUNK_CELLS = 100_000


def premium_factor(baselines: dict[str, float], steps: np.ndarray) -> np.ndarray:
    """The transitory activity premium's cumulative factor on removals at each step (month)."""
    return np.exp(
        premium_log_growth(
            baselines.get("activity_premium", 0.0), steps, CONSTANTS["activity_premium_half_life"]
        )
    )


def _weighted_sums(log_rate: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_{m=1..n} weights_m exp(log_rate m / 12)`` by Horner's rule over the months.

    ``weights`` has the months on its last axis (broadcast against ``log_rate``); zeros past a
    row's own n leave its sum unchanged. For flows whose monthly weights do not repeat yearly
    (removals carrying the decaying activity premium), where ``_flow_sums`` does not apply.
    """
    monthly = np.exp(log_rate / 12)
    total = np.zeros(np.broadcast_shapes(log_rate.shape, weights.shape[:-1]))
    for m in range(weights.shape[-1] - 1, -1, -1):
        total = total * monthly + weights[..., m]
    return np.asarray(total * monthly)


def _flow_sums(
    log_rate: np.ndarray, base12: np.ndarray, q: int | np.ndarray, whole_years: np.ndarray
) -> np.ndarray:
    """``sum_{m=1..n} base_m exp(log_rate m / 12)`` for every element of ``log_rate``.

    ``base_m`` repeats every 12 months (``base12[..., m - 1]``, broadcast against ``log_rate``)
    and n = 12 J + q (``whole_years`` is J), so the sum is ``P12(x) (y^J - 1)/(y - 1) + y^J Pq(x)``
    with x the monthly and y = x^12 the yearly growth factor and P12, Pq the seasonal
    polynomials over 12 and over q months: a few operations per element instead of one per
    month. Equal to the running monthly sum to rounding (about 1e-12 relative).
    """
    monthly = np.exp(log_rate / 12)
    power = monthly.copy()
    full = np.zeros(np.broadcast_shapes(log_rate.shape, base12.shape[:-1]))
    part = np.zeros_like(full)
    for r in range(12):
        term = base12[..., r] * power
        full += term
        if np.ndim(q) == 0:
            if r < int(q):
                part += term
        else:
            part += np.where(r < q, term, 0.0)
        power *= monthly
    yearly = np.expm1(log_rate)
    span = np.expm1(whole_years * log_rate)
    geometric = np.where(yearly == 0, whole_years, span / np.where(yearly == 0, 1.0, yearly))
    return np.asarray(full * geometric + (1 + span) * part)


@dataclass(frozen=True)
class _Draws:
    """The joint Monte Carlo of ``uncertainty.simulate`` for every scenario, by chunk of scenarios."""

    probability_gap_closed: np.ndarray
    probability_list_below_feb_2020: np.ndarray | None
    growth_quantiles: np.ndarray | None  # (scenarios, 4): low80, high80, low95, high95 of g


# Spacing of the screening tables of the flows, in the yearly growth factor (see _FlowTable).
GRID_STEP = 2e-5


@dataclass(frozen=True)
class _FlowTable:
    """``S(y) = sum_{m=1..n} base_m y^(m/12)`` tabulated on a fine grid of the yearly growth
    factor y, with a bound on the error of linear interpolation between grid points.

    Used to screen draws: a draw whose interpolated list at the horizon is further from the
    threshold than the error bounds is decided by it; the few others are computed exactly.
    """

    low: float
    values: np.ndarray
    slopes: np.ndarray
    error: float

    @classmethod
    def build(
        cls, low: float, high: float, base12: np.ndarray, n: int, factor: np.ndarray | None = None
    ) -> _FlowTable:
        low, high = low - 2 * GRID_STEP, high + 2 * GRID_STEP
        grid = low + GRID_STEP * np.arange(int(np.ceil((high - low) / GRID_STEP)) + 1)
        weights = base12[np.arange(n) % 12] * (1.0 if factor is None else factor)
        if factor is None:
            values = _flow_sums(np.log(grid), base12, n % 12, np.asarray(n // 12))
        else:
            values = _weighted_sums(np.log(grid)[:, None], weights[None, :])[:, 0]
        # |S''(y)| <= sum w_m e (max(e, 1)) max(y_low^(e-2), y_high^(e-2)), e = m/12.
        e = np.arange(1, n + 1) / 12
        curvature = float(
            np.sum(
                np.abs(weights) * e * np.maximum(e, 1) * np.maximum(grid[0] ** (e - 2), grid[-1] ** (e - 2))
            )
        )
        return cls(float(grid[0]), values[:-1], np.diff(values), GRID_STEP**2 / 8 * curvature)

    @property
    def largest(self) -> float:
        return float(np.max(np.abs(self.values)) + np.max(np.abs(self.slopes)))

    def __call__(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The interpolated sums, and where y is off the grid (not screened; None if nowhere)."""
        t = (y - self.low) * (1 / GRID_STEP)
        last = len(self.slopes) - 1
        outside = None
        if t.min() < 0 or t.max() >= last + 1:
            outside = (t < 0) | (t >= last + 1)
            t = np.clip(t, 0, last)
        i = t.astype(np.intp)
        return self.values.take(i) + (t - i) * self.slopes.take(i), outside


@dataclass(frozen=True)
class _ListDraws:
    """The waiting-list side of the Monte Carlo: is each draw's list at the horizon below
    February 2020's, as in ``simulate`` (floored, and kept in float32 there)."""

    referral12: np.ndarray  # seasonal referrals before growth, months 1..12 after the latest
    removal12: np.ndarray
    premium: float
    baselines: dict[str, float]
    floor: float
    latest: float
    feb_2020: float
    referral_level: np.ndarray  # (draws,) the persistent shifts of the flows' levels
    removal_level: np.ndarray

    @classmethod
    def of(cls, inputs: Inputs, spreads: Spreads, z: np.ndarray) -> _ListDraws:
        b = inputs.baselines
        moy = (inputs.last_month.month + np.arange(1, 13) - 1) % 12
        return cls(
            referral12=b["referrals_last12"] / 12 * inputs.referral_season[moy],
            removal12=b["removal_factor"] * b["completions_last12"] / 12 * inputs.completion_season[moy],
            premium=b.get("activity_premium", 0.0),
            baselines=b,
            floor=min(b["lowest_list"], b["latest_list"]),
            latest=b["latest_list"],
            feb_2020=b["feb_2020_list"],
            referral_level=1 + spreads.referrals * z[3],
            removal_level=1 + spreads.removals * z[4],
        )

    def tables(
        self, n: int, demand: tuple[float, float], activity: tuple[float, float]
    ) -> tuple[_FlowTable, _FlowTable, float]:
        """Screening tables over these ranges of the yearly growth factors, and the margin
        within which a screened draw is computed exactly."""
        ref_table = _FlowTable.build(*demand, self.referral12, n)
        rem_table = _FlowTable.build(
            *activity, self.removal12, n, premium_factor(self.baselines, np.arange(1, n + 1))
        )
        levels = float(np.abs(self.referral_level).max()), float(np.abs(self.removal_level).max())
        # Interpolation error, rounding (1e-9 of the sums) and float32 (the simulation's lists).
        margin = (
            ref_table.error * levels[0]
            + rem_table.error * levels[1]
            + 1e-9 * (self.latest + ref_table.largest * levels[0] + rem_table.largest * levels[1])
            + 1.0
        )
        return ref_table, rem_table, (np.inf if self.floor >= self.feb_2020 - margin else margin)

    def exact(self, n: int, d: np.ndarray, log_a: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """Below February 2020 at the horizon, from the closed-form sums of the flows."""
        years = np.asarray(n // 12)
        lists = (
            self.latest
            + self.referral_level[draw] * _flow_sums(np.log1p(d), self.referral12, n % 12, years)
            - self.removal_level[draw]
            * _weighted_sums(
                log_a[:, None],
                (self.removal12[np.arange(n) % 12] * premium_factor(self.baselines, np.arange(1, n + 1)))[
                    None, :
                ],
            )[:, 0]
        )
        return np.asarray(np.maximum(lists, self.floor).astype(np.float32) < self.feb_2020)


def _monte_carlo(p: _Paths, inputs: Inputs, *, lists: bool, quantiles: bool) -> _Draws:
    """The same draws and seed as ``project()``'s simulation, vectorised over scenarios.

    Pressure growth g is drawn exactly as in ``simulate`` (the same arithmetic, so the
    probability that the gap closes and the quantiles of g are identical). Whether a draw's
    waiting list ends below February 2020's needs only its total flows: most draws are decided
    from tabulated sums (``_FlowTable``) with a rigorous error margin, the rest from the exact
    closed form (``_flow_sums``), which equals the simulation's monthly running sum to about
    1e-12 relative. The scenarios are taken by horizon and in chunks to bound memory.
    """
    v = p.v
    spreads = Spreads.from_inputs(inputs)
    z = standard_draws(*default_draws())
    count, draws = len(p.horizon), z.shape[1]
    closed = np.empty(count)
    below = np.empty(count) if lists else None
    growth_q = np.empty((count, len(QUANTILES))) if quantiles else None
    ld = _ListDraws.of(inputs, spreads, z)
    months = _months_to_horizon(p.horizon, inputs)
    u_all, d_all, c_all = v["funding_uplift"], v["demand_growth"], v["unit_cost_growth"]
    prod_all = v["productivity_growth"] + p.tau
    size = max(1, CHUNK_CELLS // draws)
    for horizon in np.unique(p.horizon):
        group = np.flatnonzero(p.horizon == horizon)
        n = int(months[group[0]])
        u, d, prod, c = u_all[group], d_all[group], prod_all[group], c_all[group]
        if below is not None:
            sd = spreads
            ref_table, rem_table, margin = ld.tables(
                n,
                (1 + d.min() + sd.demand * z[0].min(), 1 + d.max() + sd.demand * z[0].max()),
                (
                    (1 + u.min())
                    * (1 + prod.min() + sd.productivity * z[1].min())
                    / (1 + c.max() + sd.unit_cost * z[2].max()),
                    (1 + u.max())
                    * (1 + prod.max() + sd.productivity * z[1].max())
                    / (1 + c.min() + sd.unit_cost * z[2].min()),
                ),
            )
        for start in range(0, len(group), size):
            rows = group[start : start + size]
            u = u_all[rows, None]
            d = d_all[rows, None] + spreads.demand * z[0]
            prod = prod_all[rows, None] + spreads.productivity * z[1]
            c = c_all[rows, None] + spreads.unit_cost * z[2]
            demand_factor, cost_factor, productivity_factor = 1 + d, 1 + c, 1 + prod
            g = demand_factor * cost_factor / productivity_factor - 1  # as simulate: (1+d)(1+c)/(1+p) - 1
            closed[rows] = np.mean(g <= u + 1e-12, axis=1)
            if growth_q is not None:
                growth_q[rows] = np.quantile(g, QUANTILES, axis=1).T
            if below is None:
                continue
            referrals, ref_off = ref_table(demand_factor)
            removals, rem_off = rem_table((1 + u) * productivity_factor / cost_factor)
            screened = ld.latest + ld.referral_level * referrals - ld.removal_level * removals
            under = screened < ld.feb_2020
            unsure = np.abs(screened - ld.feb_2020) <= margin
            for off in (ref_off, rem_off):
                if off is not None:
                    unsure |= off
            r, k = np.nonzero(unsure)
            if r.size:
                log_a = np.log1p(u[r, 0]) + np.log1p(prod[r, k]) - np.log1p(c[r, k])
                under[r, k] = ld.exact(n, d[r, k], log_a, k)
            below[rows] = np.mean(under, axis=1)
    return _Draws(closed, below, growth_q)


def _gap_table(p: _Paths, base: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """One row per scenario and year, the columns of ``Projection.gap``."""
    f0 = inputs.base_funding_bn
    growth_q = _monte_carlo(p, inputs, lists=False, quantiles=True).growth_quantiles
    assert growth_q is not None
    gap = p.pressure - p.funding
    cumulative = np.cumsum(gap, axis=1)
    scen, t = np.nonzero(p.in_horizon)
    years = p.years[t]
    long = base.iloc[scen].reset_index(drop=True)
    names = [fiscal_year(BASE_YEAR + int(y)) for y in p.years]
    long["fiscal_year"] = [names[y] for y in t.tolist()]
    long["t"] = t
    long["funding_bn"] = p.funding[scen, t]
    long["pressure_bn"] = p.pressure[scen, t]
    long["gap_bn"] = gap[scen, t]
    long["gap_pct"] = gap[scen, t] / p.funding[scen, t] * 100
    long["cumulative_gap_bn"] = cumulative[scen, t]
    # The pressure fan: pressure is monotone in g, so its quantiles are F0 (1 + g_q)^t.
    for column, k in (
        ("pressure_low_bn", 0),
        ("pressure_high_bn", 1),
        ("pressure_low95_bn", 2),
        ("pressure_high95_bn", 3),
    ):
        long[column] = f0 * (1 + growth_q[scen, k]) ** years
    return long


def _system_arrays(
    p: _Paths, inputs: Inputs
) -> tuple[SystemBase, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``project_systems`` at the horizon for every scenario (rows) and system (columns).

    Returns the system base, local demand growth, funding and pressure (£m) at the horizon and
    the waiting list at the horizon. The same equations as ``systems.project_systems``,
    by horizon and in chunks of scenarios.
    """
    sb = system_base(inputs)
    bl, v = inputs.baselines, p.v
    count = len(p.horizon)
    d_all, funding_all, pressure_all, lists_all = (np.empty((count, sb.n)) for _ in range(4))
    demographic = bl["demographic_growth_proj"]
    q = sb.list_latest / bl["latest_list"]
    referrals_year = q * bl["referrals_last12"]
    removals_year = referrals_year - sb.list_change12
    floor = sb.list_latest * min(1.0, bl["lowest_list"] / bl["latest_list"])
    england = sb.weighted_pop.sum(axis=0)
    size = max(1, CHUNK_CELLS // sb.n)
    for horizon in np.unique(p.horizon):
        h = int(horizon)
        span = min(h, sb.weighted_pop.shape[1] - 1)
        own = (sb.weighted_pop[:, span] / sb.weighted_pop[:, 0]) ** (1 / span) - 1
        national = (england[span] / england[0]) ** (1 / span) - 1
        dem_i = (1 + demographic) * (1 + own) / (1 + national) - 1
        end = pd.Period(f"{BASE_YEAR + h + 1}-03", freq="M")
        # Months of flows after each system's own latest clean month, n_i = 12 J_i + q_i.
        n_i = (end - sb.month0).n - sb.list_start
        moy = (sb.month0.month - 1 + sb.list_start[:, None] + np.arange(1, 13)[None, :]) % 12
        ref12 = referrals_year[:, None] / 12 * inputs.referral_season[moy]
        rem12 = removals_year[:, None] / 12 * inputs.completion_season[moy]
        # Each system's removals by month after its own start, with the decaying premium (as
        # systems.project_systems); zero past its own horizon month.
        steps = np.arange(1, int(n_i.max()) + 1)
        rem_weights = np.where(
            steps[None, :] <= n_i[:, None],
            rem12[:, (steps - 1) % 12] * premium_factor(bl, steps)[None, :],
            0.0,
        )
        group = np.flatnonzero(p.horizon == h)
        for start in range(0, len(group), size):
            idx = group[start : start + size]
            u = v["funding_uplift"][idx, None]
            c = v["unit_cost_growth"][idx, None]
            prod = v["productivity_growth"][idx, None]
            tau = p.tau[idx, None]
            d_i = v["demand_growth"][idx, None] - demographic + dem_i[None, :]
            g_i, _ = growth_rates(u, d_i, c, prod, tau)
            pace = v["pace_of_change"][idx, None]
            share0 = sb.fair_share[None, :] + (sb.share0 - sb.fair_share)[None, :] * (1 - pace) ** 0
            share_h = sb.fair_share[None, :] + (sb.share0 - sb.fair_share)[None, :] * (1 - pace) ** h
            funding0 = sb.total_m * (1 + u) ** 0 * share0
            funding_h = sb.total_m * (1 + u) ** h * share_h
            pressure_h = sb.allocation_m[None, :] * (1 + np.asarray(g_i)) ** h
            f_i = (funding_h / funding0) ** (1 / max(h, 1)) - 1
            _, a_i = growth_rates(f_i, d_i, c, prod, tau)
            referrals = _flow_sums(np.log1p(d_i), ref12, n_i % 12, n_i // 12)
            removals = _weighted_sums(np.log1p(np.asarray(a_i)), rem_weights)
            lists_h = sb.list_latest[None, :] + referrals - removals
            d_all[idx] = d_i
            funding_all[idx] = funding_h
            pressure_all[idx] = pressure_h
            lists_all[idx] = np.maximum(lists_h, floor[None, :])
    return sb, d_all, funding_all, pressure_all, lists_all


def _systems_table(p: _Paths, base: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """One row per scenario and ICB, the columns of ``Projection.systems``: each system's
    formula-based fair share of the national gap, then its own figures (``project_systems``)."""
    funding_h, gap_h, cumulative = p.at_horizon()
    icbs = inputs.icbs
    share = (icbs["need_weighted_population"] / icbs["need_weighted_population"].sum()).to_numpy()
    k = len(icbs)
    scen = np.repeat(np.arange(len(p.horizon)), k)
    system = np.tile(np.arange(k), len(p.horizon))
    long = base.iloc[scen].reset_index(drop=True)
    info = icbs[["icb_code", "icb_name", "region", "registered_population", "need_index"]]
    long = pd.concat([long, info.iloc[system].reset_index(drop=True)], axis=1)
    long["share"] = share[system]
    long["funding_base_bn"] = share[system] * p.funding[scen, 0]
    long["funding_horizon_bn"] = share[system] * funding_h[scen]
    long["gap_horizon_bn"] = share[system] * gap_h[scen]
    long["cumulative_gap_bn"] = share[system] * cumulative[scen]
    population = long["registered_population"].to_numpy()
    long["funding_per_patient"] = long["funding_horizon_bn"] * 1e9 / population
    long["gap_per_patient"] = long["gap_horizon_bn"] * 1e9 / population
    # The per-system model, its systems put in the order of the fair-share rows.
    sb, d_i, funding_m, pressure_m, lists_h = _system_arrays(p, inputs)
    order = np.array([sb.index[str(code)] for code in icbs["icb_code"]])
    i = order[system]
    gap_m = pressure_m[scen, i] - funding_m[scen, i]
    own_population = sb.population[i]
    long["allocation_m"] = sb.allocation_m[i]
    long["core_allocation_m"] = sb.core_allocation_m[i]
    long["distance_from_target_pct"] = sb.core_dft_pct[i]
    long["fair_share_distance_pct"] = ((sb.share0 / sb.fair_share - 1) * 100)[i]
    long["local_demand_growth"] = d_i[scen, i]
    long["funding_m_at_horizon"] = funding_m[scen, i]
    long["pressure_m_at_horizon"] = pressure_m[scen, i]
    long["gap_m_at_horizon"] = gap_m
    long["gap_per_head"] = gap_m * 1e6 / own_population
    long["gap_pct_of_allocation"] = gap_m / funding_m[scen, i] * 100
    long["allocation_per_head"] = (sb.allocation_m * 1e6 / sb.population)[i]
    long["waiting_list_latest"] = sb.list_latest[i]
    long["waiting_list_latest_month"] = sb.list_latest_month[i]
    long["waiting_list_at_horizon"] = lists_h[scen, i]
    long["waiting_list_per_1000"] = lists_h[scen, i] / own_population * 1000
    long["icb_name_2026"] = sb.new_names[i]
    long["change_2026"] = sb.relations[i]
    return long


def _headline_table(p: _Paths, base: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """One row per scenario, the fields of ``Projection.headline`` (the break-even uplift in
    percent, as ``breakeven_uplift_pct``)."""
    funding_h, gap_h, cumulative = p.at_horizon()
    draws = _monte_carlo(p, inputs, lists=True, quantiles=False)
    premium = inputs.baselines.get("activity_premium", 0.0)
    waiting, below = _waiting_lists(p.v, (1 + p.a) / (1 + premium) - 1, inputs)
    out = base
    names = {int(h): fiscal_year(BASE_YEAR + int(h)) for h in np.unique(p.horizon)}
    out["horizon_fiscal_year"] = [names[h] for h in p.horizon.tolist()]
    out["gap_bn_at_horizon"] = gap_h
    out["gap_pct_at_horizon"] = gap_h / funding_h * 100
    out["cumulative_gap_bn"] = cumulative
    out["breakeven_uplift_pct"] = p.g * 100
    out["probability_gap_closed"] = draws.probability_gap_closed
    out["waiting_list_at_horizon"] = waiting
    out["month_list_below_feb_2020"] = pd.array(below, dtype="string")
    out["probability_list_below_feb_2020"] = draws.probability_list_below_feb_2020
    return out


def run_batch(
    frame: pd.DataFrame,
    inputs: Inputs,
    *,
    table: BatchTable = "headline",
    strict: bool = False,
) -> BatchResult:
    """Project many scenarios at once.

    Args:
        frame: one row per scenario; columns named as the Scenario fields (any subset), rates in
            percent (as the CLI options), and optionally a ``scenario`` label column.
        inputs: cached data and fitted baselines from ``load_inputs``.
        table: ``headline`` (one row per scenario: every ``Headline`` field, the break-even
            uplift in percent), ``gap`` (one row per scenario and year: ``Projection.gap``) or
            ``systems`` (one row per scenario and ICB: ``Projection.systems``, each system's own
            figures and its fair share of the national gap).
        strict: raise on the first bad row instead of skipping bad rows.

    Returns:
        A BatchResult: the results table and the skipped rows' problems.

    Raises:
        BatchError: unknown columns, no rows, or (strict) any bad row.
    """
    if table not in TABLES:
        raise BatchError(f"table must be one of {', '.join(TABLES)}, got {table!r}")
    v, rows, problems = parse_scenarios(frame)
    if strict and problems:
        raise BatchError(f"{len(problems)} bad row(s); first: {problems[0]}")
    labels = frame[LABEL_COLUMN].iloc[rows - 1].astype("string") if LABEL_COLUMN in frame.columns else None
    base = _inputs_frame(v, rows, labels)
    if len(rows) == 0:
        return BatchResult(base, problems, 0)
    paths = _Paths.of(v, inputs)
    build = {"gap": _gap_table, "systems": _systems_table, "headline": _headline_table}[table]
    return BatchResult(build(paths, base, inputs), problems, len(rows))


MAX_FILE_BYTES = 200 * 1024 * 1024


def read_scenarios(path: Path) -> pd.DataFrame:
    """A scenarios file (.csv or .parquet) as a frame of text or numbers, unchecked.

    Raises:
        BatchError: the file is missing, too big, of another kind, or not readable as a table.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BatchError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise BatchError(f"{path.name}: {size / 1e6:.0f} MB is over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".csv":
            # Text throughout, so 'abc' or '1e309' is reported by row rather than guessed at.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            return frame.rename(columns=lambda c: str(c).strip())
    except UnicodeDecodeError as exc:
        raise BatchError(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BatchError(f"{path.name}: cannot be read as a {suffix[1:]} table ({str(exc)[:160]})") from exc
    except Exception as exc:  # pyarrow raises its own types for corrupt Parquet
        raise BatchError(f"{path.name}: cannot be read as a {suffix[1:]} table ({str(exc)[:160]})") from exc
    raise BatchError(f"{path.name}: the scenarios file must end in .csv or .parquet")
