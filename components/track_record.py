"""Track record: tidy frames and plain-English verdicts from backtests (pure, no Streamlit)."""

from __future__ import annotations

import pandas as pd

from ics_model.backtest import SERIES, Backtest, coverage

SCALE = {"waiting_list": 1e6, "ae_attendances": 1e6, "emergency_admissions": 1e3}
UNITS = {
    "waiting_list": "million pathways",
    "ae_attendances": "million a month",
    "emergency_admissions": "thousand a month",
}


def month_label(month: str) -> str:
    """'2023-03' to 'March 2023'."""
    return pd.Period(month, freq="M").strftime("%B %Y")


def projection_frame(backtests: list[Backtest], series: str) -> pd.DataFrame:
    """Each cut-off's projection of one series, scaled for the chart (month as a date)."""
    frames = []
    for b in backtests:
        one = b.series[b.series["series"] == series]
        frames.append(
            pd.DataFrame(
                {
                    "month": pd.PeriodIndex(one["month"], freq="M").to_timestamp(),
                    "cutoff": f"From {month_label(b.cutoff)}",
                    "projected": one["projected"].to_numpy() / SCALE[series],
                    "lower80": one["lower80"].to_numpy() / SCALE[series],
                    "upper80": one["upper80"].to_numpy() / SCALE[series],
                    "actual": one["actual"].to_numpy() / SCALE[series],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def history_frame(tables: dict[str, pd.DataFrame], series: str, start: str) -> pd.DataFrame:
    """What happened, monthly from ``start``, scaled for the chart."""
    if series == "waiting_list":
        table, column = tables["rtt_monthly"], "incomplete_pathways"
    else:
        table, column = tables["ae_monthly"], series
    rows = table[(table["month"] >= start)].dropna(subset=[column])
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(rows["month"], freq="M").to_timestamp(),
            "actual": rows[column].to_numpy(dtype=float) / SCALE[series],
        }
    )


def errors_table(backtests: list[Backtest]) -> pd.DataFrame:
    """Every cut-off's errors, one row per cut-off, series and horizon."""
    frames = [b.errors.assign(cutoff=b.cutoff) for b in backtests]
    table = pd.concat(frames, ignore_index=True)
    table["series"] = table["series"].map(SERIES)
    return table[["cutoff", "series", "horizon_months", "mape", "bias", "n_months"]]


def verdict(backtests: list[Backtest], series: str) -> str:
    """One plain-English paragraph on how far off the projections of one series were."""
    parts = []
    for b in backtests:
        errors = b.errors[(b.errors["series"] == series)].set_index("horizon_months")
        row12 = errors.loc[12] if 12 in errors.index else None
        row24 = errors.loc[24] if 24 in errors.index else None
        if row12 is None or pd.isna(row12["mape"]):
            parts.append(f"from {month_label(b.cutoff)} there is nothing yet to score")
            continue
        text = f"from {month_label(b.cutoff)} it was {row12['mape']:.1f}% off on average over a year"
        if row24 is not None and not pd.isna(row24["mape"]) and row24["n_months"] > row12["n_months"]:
            text += f" and {row24['mape']:.1f}% over two years"
        direction = "too high" if row12["bias"] > 0 else "too low"
        text += f" ({direction} by {abs(row12['bias']):.1f}% over the year)"
        parts.append(text)
    name = SERIES[series].lower() if series != "waiting_list" else "the waiting list"
    scored = [b for b in backtests if not b.errors[b.errors["series"] == series]["mape"].isna().all()]
    overall = ""
    if scored:
        mean12 = pd.concat(
            [b.errors[(b.errors["series"] == series) & (b.errors["horizon_months"] == 12)] for b in scored]
        )
        worst = float(mean12["mape"].max())
        quality = "close" if worst < 3 else "fair" if worst < 8 else "poor"
        overall = (
            f" Overall the one-year track record is {quality}: the largest one-year error is {worst:.1f}%."
        )
    share, months = coverage(backtests, series)
    band = f" {share * 100:.0f}% of the {months} scored months fell inside the 80% band." if months else ""
    return f"For {name}, " + "; ".join(parts) + "." + overall + band
