"""Backtests: how the model's projections would have done from past cut-offs.

``backtest(inputs, cutoff)`` refits every statsmodels fit the projection uses on data up to the
cut-off month only (activity trends, seasonal profiles, flow residuals, the removal
calibration), projects forward with the funding growth that actually followed (real growth of
NHS England's budget, budgets.csv), and compares with what happened: the RTT waiting list,
A&E attendances and emergency admissions. statsmodels is imported here lazily, only when a
backtest runs (never at app start or on a slider move).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ics_model.inputs import Inputs
from ics_model.scenario import CONSTANTS, Scenario
from ics_model.uncertainty import Spreads, fan, growth_paths, list_paths, premium_log_growth, standard_draws

CUTOFFS = ("2019-03", "2023-03", "2024-03")
HORIZONS = (6, 12, 24)
MAX_HORIZON = 24
FIRST_CUTOFF = "2017-09"  # clock starts are published from October 2015: two years of them first
SERIES = {
    "waiting_list": "RTT waiting list",
    "ae_attendances": "A&E attendances",
    "emergency_admissions": "Emergency admissions",
}
ACTIVITY = {
    "ae_attendances": "ae_monthly",
    "emergency_admissions": "ae_monthly",
    "clock_starts": "rtt_monthly",
}


@dataclass(frozen=True)
class Backtest:
    """Projected against actual from one cut-off.

    Attributes:
        cutoff: the last month of data the fits saw.
        series: tidy frame (series, month, actual, projected, lower80, upper80, horizon_months,
            disrupted); ``actual`` is empty where the month has not been published.
        errors: (series, horizon_months, mape, bias, n_months): mean absolute percentage error and
            mean signed error (projected minus actual, % of actual) over the first h months,
            COVID-disrupted months not scored.
        fits: (model, term, coef, se) of every refitted regression, with r_squared and n.
        residuals: (model, month, fitted, residual) on the log scale.
        growth: the rates the projection used (demand growth and its SE, funding growth by year).
    """

    cutoff: str
    series: pd.DataFrame
    errors: pd.DataFrame
    fits: pd.DataFrame
    residuals: pd.DataFrame
    growth: dict[str, float] = field(default_factory=dict)


def is_disrupted(months: pd.Series) -> pd.Series:
    """True for the COVID-disrupted months (March 2020 to March 2022, assumptions.csv)."""
    code = months.str.replace("-", "").astype(int)
    return (code >= CONSTANTS["disrupted_start"]) & (code <= CONSTANTS["disrupted_end"])


def _design(months: pd.Series) -> pd.DataFrame:
    period = pd.PeriodIndex(months, freq="M")
    return pd.DataFrame({"t": (period.year - 2000) + (period.month - 1) / 12, "moy": period.month})


def _fit(name: str, months: pd.Series, values: pd.Series, *, hac: bool) -> dict[str, Any]:
    """Log-linear trend + calendar-month OLS on non-disrupted months; diagnostics included."""
    import statsmodels.formula.api as smf  # lazily: only when a backtest runs

    keep = values.notna().to_numpy() & ~is_disrupted(months).to_numpy()
    frame = _design(months[keep].reset_index(drop=True)).assign(
        y=np.log(values[keep].astype(float).to_numpy())
    )
    model = smf.ols("y ~ t + C(moy)", data=frame)
    result = model.fit(cov_type="HAC", cov_kwds={"maxlags": 12}) if hac else model.fit()
    effects = np.array([0.0] + [float(result.params.get(f"C(moy)[T.{m}]", 0.0)) for m in range(2, 13)])
    season = np.exp(effects)
    slope, slope_se = float(result.params["t"]), float(result.bse["t"])
    return {
        "name": name,
        "growth": math.expm1(slope),
        "se": math.exp(slope) * slope_se,
        "season": season / season.mean(),
        "resid_sd": float(np.sqrt(result.scale)),
        "params": pd.DataFrame(
            {
                "model": name,
                "term": result.params.index,
                "coef": result.params.values,
                "se": result.bse.values,
            }
        ).assign(r_squared=float(result.rsquared), n=int(result.nobs)),
        "residuals": pd.DataFrame(
            {
                "model": name,
                "month": months[keep].to_numpy(),
                "fitted": np.asarray(result.fittedvalues),
                "residual": np.asarray(result.resid),
            }
        ),
    }


def funding_growth_by_year(budgets: pd.DataFrame) -> dict[int, float]:
    """Real growth of NHS England's budget in each fiscal year (first calendar year as key)."""
    nhse = budgets.query("measure == 'nhse_rdel'").sort_values("year")
    real = dict(zip(nhse["year"].astype(int), nhse["real_bn"].astype(float), strict=True))
    return {year: real[year] / real[year - 1] - 1 for year in real if year - 1 in real}


def funding_growth_history(budgets: pd.DataFrame, long_run: pd.DataFrame) -> dict[int, float]:
    """Real funding growth by fiscal year for the activity premium: NHS England's budget from
    2014/15 (budgets.csv) and, before it, England health spending (Commons Library SN00724,
    health_spending_long_run.csv), so the austerity years 2009/10-2013/14 are included."""
    history = long_run.dropna(subset=["real_change_pct"]).drop_duplicates("year", keep="last")
    growth = {int(y): float(v) for y, v in zip(history["year"], history["real_change_pct"], strict=True)}
    growth.update(funding_growth_by_year(budgets))
    return growth


def _fiscal_start(period: pd.Period) -> int:
    return period.year if period.month >= 4 else period.year - 1


def activity_premium(rtt: pd.DataFrame, funding: dict[int, float]) -> tuple[float, float, int]:
    """How much faster completed pathways grew than the model's funding-to-activity rule gave.

    The rule is a = (1 + u)(1 + p)/(1 + c) - 1 at the default productivity p and unit cost c.
    Over whole fiscal years (and their previous year) free of COVID-disrupted months, the
    premium is the mean of (1 + completions growth)(1 + c) / ((1 + real funding growth)(1 + p)) - 1,
    with its standard error (the mean's: an OLS fit of the yearly values on a constant).

    Returns:
        (premium, standard error, number of years).
    """
    months = rtt["month"]
    period = pd.PeriodIndex(months, freq="M")
    frame = pd.DataFrame(
        {
            "fy": np.where(period.month >= 4, period.year, period.year - 1),
            "completions": (rtt["completed_admitted"] + rtt["completed_nonadmitted"]).to_numpy(dtype=float),
            "disrupted": is_disrupted(months).to_numpy(),
        }
    )
    years = frame.groupby("fy").agg(
        completions=("completions", "sum"), n=("completions", "count"), disrupted=("disrupted", "any")
    )
    whole = (years["n"] == 12) & ~years["disrupted"]
    default = Scenario()
    conversion = (1 + default.productivity_growth) / (1 + default.unit_cost_growth)
    ratios = [
        (years.loc[y, "completions"] / years.loc[y - 1, "completions"]) / ((1 + funding[y]) * conversion) - 1
        for y in years.index
        if y in funding and y - 1 in years.index and whole[y] and whole[y - 1]
    ]
    if len(ratios) < 2:
        return 0.0, 0.0, len(ratios)
    values = np.array(ratios)
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values))), len(values)


def _truncate(inputs: Inputs, cutoff: pd.Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    end = str(cutoff)
    rtt = inputs.tables["rtt_monthly"]
    ae = inputs.tables["ae_monthly"]
    return rtt[rtt["month"] <= end].copy(), ae[ae["month"] <= end].copy()


def parse_cutoff(inputs: Inputs, cutoff: str) -> pd.Period:
    """A YYYY-MM cut-off, checked against the data.

    Raises:
        ValueError: naming the months that can be used.
    """
    latest = inputs.last_month - 1  # at least one month to compare with
    if not isinstance(cutoff, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", cutoff):
        raise ValueError(f"cut-off {cutoff!r} is not a month in YYYY-MM form")
    period = pd.Period(cutoff, freq="M")
    if not pd.Period(FIRST_CUTOFF, freq="M") <= period <= latest:
        raise ValueError(f"cut-off {cutoff} must be from {FIRST_CUTOFF} to {latest}")
    return period


@dataclass(frozen=True)
class CutoffFits:
    """Every statsmodels fit the projection uses, refitted on data up to one cut-off."""

    cutoff: str
    models: dict[str, dict[str, Any]]
    demand_growth: float
    demand_growth_se: float
    referrals12: float
    completions12: float
    removal_factor: float
    latest_list: float
    lowest_list: float
    ae_last12: dict[str, float]
    activity_premium: float
    activity_premium_se: float
    premium_years: int


def fit_at_cutoff(inputs: Inputs, cutoff: str, removal_window: int = 12) -> CutoffFits:
    """Refit every fit on data up to ``cutoff`` only (statsmodels; a few hundred ms).

    Raises:
        ValueError: the cut-off is not a usable month.
    """
    period = parse_cutoff(inputs, cutoff)
    rtt, ae = _truncate(inputs, period)
    rtt = rtt.assign(completions=rtt["completed_admitted"] + rtt["completed_nonadmitted"])
    tables = {"rtt_monthly": rtt, "ae_monthly": ae}

    # Activity trends, as in the model's demand fit: pooled equally, SE within + between.
    models = {}
    for name, table in ACTIVITY.items():
        frame = tables[table].dropna(subset=[name])
        models[name] = _fit(name, frame["month"], frame[name], hac=True)
    growths = np.array([models[n]["growth"] for n in ACTIVITY])
    ses = np.array([models[n]["se"] for n in ACTIVITY])
    demand_se = math.sqrt(float((ses**2).sum()) / len(ses) ** 2 + float(growths.var(ddof=1)) / len(growths))

    # Seasonal profile and residual variation of completions (referrals share clock starts').
    flows = rtt.dropna(subset=["clock_starts", "completions"])
    models["completions"] = _fit("completions", flows["month"], flows["completions"], hac=False)

    # The removal calibration on the latest 12 months to the cut-off, as in the model.
    last13 = rtt.dropna(subset=["incomplete_pathways"]).tail(13)
    last12 = last13.tail(12)
    referrals12, completions12 = float(last12["clock_starts"].sum()), float(last12["completions"].sum())
    window = rtt.dropna(subset=["incomplete_pathways"]).tail(removal_window + 1)
    window_change = float(window["incomplete_pathways"].iloc[-1] - window["incomplete_pathways"].iloc[0])
    removal_factor = (float(window["clock_starts"].tail(removal_window).sum()) - window_change) / float(
        window["completions"].tail(removal_window).sum()
    )
    premium, premium_se, premium_years = activity_premium(
        rtt, funding_growth_history(inputs.tables["budgets"], inputs.tables["health_spending_long_run"])
    )
    return CutoffFits(
        cutoff=str(period),
        models=models,
        demand_growth=float(growths.mean()),
        demand_growth_se=demand_se,
        referrals12=referrals12,
        completions12=completions12,
        removal_factor=removal_factor,
        latest_list=float(last13["incomplete_pathways"].iloc[-1]),
        lowest_list=float(rtt["incomplete_pathways"].min()),
        ae_last12={
            name: float(ae[name].tail(12).sum()) for name in ("ae_attendances", "emergency_admissions")
        },
        activity_premium=premium,
        activity_premium_se=premium_se,
        premium_years=premium_years,
    )


def backtest(
    inputs: Inputs,
    cutoff: str,
    *,
    fitted: CutoffFits | None = None,
    scenario: Scenario | None = None,
    horizon_months: int = MAX_HORIZON,
    spreads_scale: float | None = None,
    draws: int | None = None,
    seed: int | None = None,
    premium: bool | float = True,
    premium_half_life: float | None = None,
) -> Backtest:
    """Refit on data up to ``cutoff``, project with the funding that followed, compare.

    Args:
        inputs: the cached tables (only months up to the cut-off are used for fitting).
        cutoff: last month the fits may see, 'YYYY-MM'.
        scenario: productivity and unit cost growth (defaults: the model's defaults).
        horizon_months: months projected after the cut-off.
        spreads_scale: multiple of the flows' residual SD for the band (default: the calibrated
            constant ``flow_noise_scale``).
        draws: Monte Carlo draws for the bands (default from the assumptions table).
        seed: random seed (default from the assumptions table).
        fitted: the cut-off's fits from ``fit_at_cutoff`` (refitted here when not given).
        premium: the activity premium e0 (True: fitted up to the cut-off; False: none).
        premium_half_life: the premium's half-life in years (default: the assumptions table's
            ``activity_premium_half_life``; ``math.inf``: the premium for ever).

    Raises:
        ValueError: the cut-off is not a usable month.
    """
    period = parse_cutoff(inputs, cutoff)
    f = fitted if fitted is not None and fitted.cutoff == str(period) else fit_at_cutoff(inputs, cutoff)
    s = scenario or Scenario()
    fits = f.models
    demand, demand_se = f.demand_growth, f.demand_growth_se

    # Project month by month with the funding growth that followed.
    steps = np.arange(1, horizon_months + 1)
    months = pd.period_range(period + 1, periods=horizon_months, freq="M")
    moy = months.month.to_numpy() - 1
    funding = funding_growth_by_year(inputs.tables["budgets"])
    uplift = np.array([funding.get(_fiscal_start(m), np.nan) for m in months])
    if np.isnan(uplift).any():
        raise ValueError(f"no budget outturn or plan for every year after {cutoff}")
    log_funding = np.cumsum(np.log1p(uplift)) / 12  # cumulative log funding growth by month

    n_default = int(CONSTANTS["mc_draws"])
    z = standard_draws(draws or n_default, int(CONSTANTS["mc_seed"]) if seed is None else seed)
    scale = CONSTANTS["flow_noise_scale"] if spreads_scale is None else spreads_scale
    spreads = Spreads(
        demand=demand_se,
        productivity=CONSTANTS["productivity_sd"],
        unit_cost=CONSTANTS["unit_cost_sd"],
        referrals=scale * fits["clock_starts"]["resid_sd"],
        removals=scale * fits["completions"]["resid_sd"],
    )
    d = np.concatenate([[demand], demand + spreads.demand * z[0]])  # row 0: the central path
    p = np.concatenate([[s.productivity_growth], s.productivity_growth + spreads.productivity * z[1]])
    c = np.concatenate([[s.unit_cost_growth], s.unit_cost_growth + spreads.unit_cost * z[2]])
    shift_r = np.concatenate([[0.0], spreads.referrals * z[3]])
    shift_c = np.concatenate([[0.0], spreads.removals * z[4]])
    demand_path = growth_paths(np.log1p(d), steps)
    # Activity the funding buys, as in the model: a = (1 + u)(1 + p)(1 + e)/(1 + c) - 1, with the
    # activity premium e fitted up to the cut-off (premium=False: the rule without it).
    e = premium if not isinstance(premium, bool) else f.activity_premium if premium else 0.0
    # The premium is transitory: it decays from the cut-off with its half-life.
    half_life = CONSTANTS["activity_premium_half_life"] if premium_half_life is None else premium_half_life
    rate = np.log1p(p) - np.log1p(c)
    activity_path = np.exp(
        log_funding[None, :]
        + rate[:, None] * steps[None, :] / 12
        + premium_log_growth(e, steps, half_life)[None, :]
    )

    ref_base = f.referrals12 / 12 * fits["clock_starts"]["season"][moy]
    rem_base = f.removal_factor * f.completions12 / 12 * fits["completions"]["season"][moy]
    lists = list_paths(
        f.latest_list,
        ref_base[None, :] * (1 + shift_r)[:, None] * demand_path,
        rem_base[None, :] * (1 + shift_c)[:, None] * activity_path,
        min(f.lowest_list, f.latest_list),
    )[:, 1:]
    projected = {"waiting_list": (lists[0], fan(lists[1:]))}
    # Monthly counts scatter around their trend by the fit's residual SD (independent months).
    monthly = np.random.default_rng(int(CONSTANTS["mc_seed"]) + 1 if seed is None else seed + 1)
    for name in ("ae_attendances", "emergency_admissions"):
        base = f.ae_last12[name] / 12 * fits[name]["season"][moy]
        noise = np.exp(fits[name]["resid_sd"] * monthly.standard_normal((len(d) - 1, len(steps))))
        paths = base[None, :] * demand_path
        projected[name] = (paths[0], fan(paths[1:] * noise))

    actual_rtt = inputs.tables["rtt_monthly"].set_index("month")["incomplete_pathways"]
    actual_ae = inputs.tables["ae_monthly"].set_index("month")
    labels = months.strftime("%Y-%m")
    frames = []
    for name, (centre, band) in projected.items():
        source = actual_rtt if name == "waiting_list" else actual_ae[name]
        frames.append(
            pd.DataFrame(
                {
                    "series": name,
                    "month": labels,
                    "actual": source.reindex(labels).astype(float).to_numpy(),
                    "projected": centre,
                    "lower80": band[0],
                    "upper80": band[1],
                    "horizon_months": steps,
                }
            )
        )
    series = pd.concat(frames, ignore_index=True)
    series["disrupted"] = is_disrupted(series["month"])
    return Backtest(
        cutoff=str(period),
        series=series,
        errors=error_table(series),
        fits=pd.concat([f["params"] for f in fits.values()], ignore_index=True),
        residuals=pd.concat([f["residuals"] for f in fits.values()], ignore_index=True),
        growth={
            "demand_growth": demand,
            "demand_growth_se": demand_se,
            "removal_factor": f.removal_factor,
            **{f"funding_growth_{fy}": funding[fy] for fy in sorted({_fiscal_start(m) for m in months})},
        },
    )


def error_table(series: pd.DataFrame, horizons: tuple[int, ...] = HORIZONS) -> pd.DataFrame:
    """MAPE and bias (% of actual) over the first h months, disrupted months not scored."""
    scored = series.dropna(subset=["actual"])
    scored = scored[~scored["disrupted"]]
    rows = []
    for name in SERIES:
        one = scored[scored["series"] == name]
        for h in horizons:
            window = one[one["horizon_months"] <= h]
            pct = (window["projected"] - window["actual"]) / window["actual"] * 100
            rows.append(
                {
                    "series": name,
                    "horizon_months": h,
                    "mape": float(pct.abs().mean()) if len(pct) else np.nan,
                    "bias": float(pct.mean()) if len(pct) else np.nan,
                    "n_months": len(pct),
                }
            )
    return pd.DataFrame(rows)


def coverage(backtests: list[Backtest], series: str = "waiting_list") -> tuple[float, int]:
    """Share of scored months (published, not disrupted) whose actual lies in the 80% band."""
    frames = [b.series for b in backtests]
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[(rows["series"] == series) & rows["actual"].notna() & ~rows["disrupted"]]
    inside = (rows["actual"] >= rows["lower80"]) & (rows["actual"] <= rows["upper80"])
    return float(inside.mean()) if len(rows) else float("nan"), len(rows)


def calibration_cutoffs(inputs: Inputs) -> list[str]:
    """Every September and March cut-off from the first usable one to a year before the data
    end, outside the disrupted period: the backtests the waiting-list band is calibrated on."""
    last = inputs.last_month - 12
    months = pd.period_range(FIRST_CUTOFF, last, freq="M")
    chosen = [m for m in months if m.month in (3, 9)]
    labels = pd.Series([str(m) for m in chosen])
    return labels[~is_disrupted(labels)].tolist()


def calibrate_flow_noise(
    inputs: Inputs, cutoffs: list[str] | None = None, target: float = 0.80, iterations: int = 20
) -> tuple[float, float, int]:
    """The flow-spread scale whose 80% band covers ``target`` of backtest months (bisection).

    Returns:
        (scale, coverage at that scale, number of months scored).
    """
    chosen = cutoffs or calibration_cutoffs(inputs)
    fitted = {c: fit_at_cutoff(inputs, c) for c in chosen}
    low, high = 0.0, 4.0

    def measured(scale: float) -> tuple[float, int]:
        return coverage([backtest(inputs, c, fitted=fitted[c], spreads_scale=scale) for c in chosen])

    for _ in range(iterations):
        mid = (low + high) / 2
        if measured(mid)[0] < target:
            low = mid
        else:
            high = mid
    scale = round(high, 3)
    cov, n = measured(scale)
    return scale, cov, n
