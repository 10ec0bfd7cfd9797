"""statsmodels fits of the baselines, run once per data version by the cache build.

Nothing here runs on a slider move: the results are written into the Arrow cache, so the
app never needs to import statsmodels unless it has to rebuild the cache.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import statsmodels.formula.api as smf

from ics_model.scenario import CONSTANTS

ACTIVITY_SERIES = {
    "ae_attendances": ("ae_monthly", "A&E attendances (all types)"),
    "emergency_admissions": ("ae_monthly", "Emergency admissions"),
    "clock_starts": ("rtt_monthly", "RTT clock starts (new referrals)"),
}


def _month_index(months: pd.Series) -> pd.DataFrame:
    """Year-fraction trend and calendar month from YYYY-MM strings."""
    period = pd.PeriodIndex(months, freq="M")
    return pd.DataFrame(
        {"t": (period.year - 2000) + (period.month - 1) / 12, "moy": period.month},
        index=months.index,
    )


def _disrupted(months: pd.Series) -> pd.Series:
    """True for the COVID-disrupted months excluded from trend fits."""
    code = months.str.replace("-", "").astype(int)
    return (code >= CONSTANTS["disrupted_start"]) & (code <= CONSTANTS["disrupted_end"])


def fit_trend(months: pd.Series, values: pd.Series) -> dict[str, float]:
    """Log-linear trend with calendar-month effects, disrupted months excluded.

    Returns the annual growth rate, its standard error (delta method, Newey-West errors
    with 12 lags for autocorrelated monthly residuals), the sample size and R squared.
    """
    frame = _month_index(months).assign(y=np.log(values.astype(float)))
    frame = frame[values.notna() & ~_disrupted(months)]
    model = smf.ols("y ~ t + C(moy)", data=frame).fit(cov_type="HAC", cov_kwds={"maxlags": 12})
    slope, slope_se = float(model.params["t"]), float(model.bse["t"])
    return {
        "growth": math.expm1(slope),
        "se": math.exp(slope) * slope_se,
        "n_months": float(model.nobs),
        "r_squared": float(model.rsquared),
    }


def seasonal_profile(months: pd.Series, values: pd.Series) -> np.ndarray:
    """Multiplicative calendar-month factors (mean 1) from a trend + month-effect fit."""
    frame = _month_index(months).assign(y=np.log(values.astype(float)))
    frame = frame[values.notna()]
    model = smf.ols("y ~ t + C(moy)", data=frame).fit()
    effects = np.array([0.0] + [model.params[f"C(moy)[T.{m}]"] for m in range(2, 13)])
    factors = np.exp(effects)
    return factors / factors.mean()


def residual_sd(months: pd.Series, values: pd.Series) -> float:
    """Residual standard deviation (log scale) of the trend + calendar-month fit: the monthly
    variation of a flow that trend and season do not explain."""
    frame = _month_index(months).assign(y=np.log(values.astype(float)))
    frame = frame[values.notna() & ~_disrupted(months)]
    model = smf.ols("y ~ t + C(moy)", data=frame).fit()
    return float(np.sqrt(model.scale))


def mean_growth(changes: pd.Series) -> tuple[float, float]:
    """Average yearly growth and its standard error: OLS of the yearly changes on a constant."""
    model = smf.ols("y ~ 1", data=pd.DataFrame({"y": changes.astype(float)})).fit()
    return float(model.params["Intercept"]), float(model.bse["Intercept"])


def cagr(start: float, end: float, years: float) -> float:
    return float((end / start) ** (1 / years) - 1)


def _demand(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per-series activity trends and the combined default demand growth."""
    rows = []
    for series, (table, label) in ACTIVITY_SERIES.items():
        frame = tables[table].dropna(subset=[series])
        fit = fit_trend(frame["month"], frame[series])
        rows.append(
            {
                "series": series,
                "label": label,
                "start_month": frame["month"].iloc[0],
                "end_month": frame["month"].iloc[-1],
                **fit,
            }
        )
    fits = pd.DataFrame(rows)
    # Pool the three series equally. The SE combines each fit's own error with the spread
    # between series, which dominates: the series disagree more than any one is uncertain.
    activity = float(fits["growth"].mean())
    within = float((fits["se"] ** 2).sum()) / len(fits) ** 2
    between = float(fits["growth"].var(ddof=1)) / len(fits)
    activity_se = math.sqrt(within + between)

    index = tables["funding_index"].set_index("year")["age_weighted_population_index"]
    # Age-weighted population growth over the fit years with data (2013/14-2019/20) and as
    # projected for the planned budget years (2025/26-2028/29).
    demog_hist = cagr(index[2013], index[2019], 6)
    demog_proj = cagr(index[2025], index[2028], 3)
    non_demographic = (1 + activity) / (1 + demog_hist) - 1
    demand = (1 + demog_proj) * (1 + non_demographic) - 1
    return fits, {
        "activity_growth_hist": activity,
        "activity_growth_se": activity_se,
        "demographic_growth_hist": demog_hist,
        "demographic_growth_proj": demog_proj,
        "non_demographic_growth": non_demographic,
        "demand_growth": demand,
        "demand_growth_se": activity_se * (1 + demog_proj) / (1 + demog_hist),
    }


def _funding(tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Long-run and 2010s real growth, base-year funding and the planned growth."""
    spend = tables["health_spending_long_run"].dropna(subset=["real_change_pct"])
    # The published yearly real changes bridge the resource-accounting breaks (the repeated
    # years carry no change), so their mean is the long-run growth rate without the jumps.
    long_run, long_run_se = mean_growth(spend["real_change_pct"])
    decade = spend[(spend["year"] >= 2010) & (spend["year"] <= 2018)]
    growth_2010s, _ = mean_growth(decade["real_change_pct"])

    nhse_frame = tables["budgets"].query("measure == 'nhse_rdel'")
    nhse = dict(zip(nhse_frame["year"].astype(int), nhse_frame["real_bn"].astype(float), strict=True))
    return {
        "long_run_growth": long_run,
        "long_run_growth_se": long_run_se,
        "growth_2010s": growth_2010s,
        "base_funding_bn": float(nhse[2025]),
        "current_plans_growth": cagr(nhse[2025], nhse[2028], 3),
        "settlement_2018_growth": cagr(nhse[2018], nhse[2023], 5),
        "nhse_growth_2013_2018": cagr(nhse[2013], nhse[2018], 5),
    }


def _waiting_list(rtt: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    """Seasonal profiles of referrals and completions, and the removal calibration."""
    rtt = rtt.assign(completions=rtt["completed_admitted"] + rtt["completed_nonadmitted"])
    recent = rtt[rtt["month"] > "2022-03"]  # post-disruption months only
    profiles = pd.DataFrame(
        {
            "month_of_year": np.tile(np.arange(1, 13), 2),
            "series": ["clock_starts"] * 12 + ["completions"] * 12,
            "factor": np.concatenate(
                [
                    seasonal_profile(recent["month"], recent["clock_starts"]),
                    seasonal_profile(recent["month"], recent["completions"]),
                ]
            ),
        }
    )
    last13 = rtt.dropna(subset=["incomplete_pathways"]).tail(13)
    last12 = last13.tail(12)
    change = float(last13["incomplete_pathways"].iloc[-1] - last13["incomplete_pathways"].iloc[0])
    referrals, completions = float(last12["clock_starts"].sum()), float(last12["completions"].sum())
    # Clock starts exceed reported completions by far more than the list grows: pathways
    # also close through validation and patients no longer needing treatment. Scale
    # completions so the latest 12 months' flows reproduce the list's actual change.
    removal_factor = (referrals - change) / completions
    feb_2020 = float(rtt.loc[rtt["month"] == "2020-02", "incomplete_pathways"].iloc[0])
    # A list never empties: some patients are always between referral and treatment. The
    # projection is floored at the lowest level on record.
    lowest = float(rtt["incomplete_pathways"].min())
    return profiles, {
        "referrals_resid_sd": residual_sd(recent["month"], recent["clock_starts"]),
        "completions_resid_sd": residual_sd(recent["month"], recent["completions"]),
        "referrals_last12": referrals,
        "completions_last12": completions,
        "list_change_last12": change,
        "removal_factor": removal_factor,
        "feb_2020_list": feb_2020,
        "latest_list": float(last13["incomplete_pathways"].iloc[-1]),
        "lowest_list": lowest,
    }


NOTES = {
    "demand_growth": "Default demand growth: activity trend net of past demography plus projected demography",
    "demand_growth_se": "Standard error of demand growth (within-series and between-series)",
    "activity_growth_hist": "Mean trend growth of the three activity series, disrupted months excluded",
    "activity_growth_se": "Standard error of the pooled activity trend",
    "demographic_growth_hist": "Age-weighted population growth 2013/14-2019/20 (REAL Centre index)",
    "demographic_growth_proj": "Age-weighted population growth 2025/26-2028/29 (REAL Centre index, ONS 2022-based)",
    "non_demographic_growth": "Activity growth beyond demography",
    "long_run_growth": "Mean yearly real growth of England health spending 1979/80-2019/20 (HoC Library SN00724)",
    "long_run_growth_se": "Standard error of the long-run mean growth",
    "growth_2010s": "Mean yearly real growth of England health spending 2010/11-2018/19",
    "base_funding_bn": "NHS England revenue budget 2025/26, £bn (plan)",
    "current_plans_growth": "Real growth of NHS England's planned budget 2025/26-2028/29 (CAGR)",
    "settlement_2018_growth": "Real growth of NHS England's budget 2018/19-2023/24 (CAGR, outturn)",
    "nhse_growth_2013_2018": "Real growth of NHS England's budget 2013/14-2018/19 (CAGR)",
    "referrals_resid_sd": "Residual SD (log) of monthly clock starts around trend and season, since April 2022",
    "completions_resid_sd": "Residual SD (log) of monthly completions around trend and season, since April 2022",
    "referrals_last12": "RTT clock starts in the latest 12 months",
    "completions_last12": "Completed RTT pathways (admitted + non-admitted) in the latest 12 months",
    "list_change_last12": "Change in the waiting list over the latest 12 months",
    "removal_factor": "Ratio of all removals to reported completions (latest 12 months)",
    "feb_2020_list": "RTT waiting list, February 2020",
    "activity_premium": (
        "Activity premium e: mean yearly excess of completed-pathway growth over (1 + u)(1 + p)/(1 + c) "
        "at the default p and c, whole fiscal years free of COVID disruption (backtests: it removes most "
        "of the central bias)"
    ),
    "activity_premium_se": "Standard error of the activity premium (mean of the yearly values)",
    "activity_premium_years": "Fiscal years behind the activity premium",
    "latest_list": "RTT waiting list, latest month",
    "lowest_list": "Lowest RTT waiting list on record (January 2010): the projection's floor",
}


def fit_baselines(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Every statsmodels fit and derived baseline, as Arrow tables for the cache."""
    frames = {name: table.to_pandas() for name, table in tables.items()}
    demand_fits, demand = _demand(frames)
    profiles, waiting = _waiting_list(frames["rtt_monthly"])
    from ics_model.backtest import activity_premium, funding_growth_history

    premium, premium_se, premium_years = activity_premium(
        frames["rtt_monthly"], funding_growth_history(frames["budgets"], frames["health_spending_long_run"])
    )
    values = {
        **demand,
        **_funding(frames),
        **waiting,
        "activity_premium": premium,
        "activity_premium_se": premium_se,
        "activity_premium_years": float(premium_years),
    }
    baselines = pd.DataFrame(
        {
            "name": list(values),
            "value": [float(v) for v in values.values()],
            "note": [NOTES[name] for name in values],
        }
    )
    return {
        "baselines": pa.Table.from_pandas(baselines, preserve_index=False),
        "demand_fits": pa.Table.from_pandas(demand_fits, preserve_index=False),
        "seasonal_profiles": pa.Table.from_pandas(profiles, preserve_index=False),
    }
