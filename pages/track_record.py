"""Track record: how the model's projections from past cut-offs compared with what happened."""

import pandas as pd
import streamlit as st

from components import charts, summaries
from components.cache import get_backtest, get_cutoff_fits, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, render_sidebar
from components.exports import csv_download
from components.track_record import (
    UNITS,
    errors_table,
    history_frame,
    month_label,
    projection_frame,
    verdict,
)
from ics_model import CONSTANTS
from ics_model.backtest import CUTOFFS, FIRST_CUTOFF, SERIES, coverage

render_sidebar()
inputs = get_inputs()

st.title("Track record")
how_to_read(
    "How would this model have done? From each cut-off, every statsmodels fit is redone on the data up to that "
    "month only, and the model projects forward with the real funding growth that actually followed. Dashed "
    "lines are those projections with their 80% bands; black is what happened. Grey shading marks the COVID "
    "months (March 2020 to March 2022), which are shown but not scored."
)

months = [str(m) for m in pd.period_range(FIRST_CUTOFF, inputs.last_month - 1, freq="M")]
left, right = st.columns([3, 2])
with left:
    series = (
        st.segmented_control(
            "Series",
            options=list(SERIES),
            format_func=lambda s: SERIES[s],
            default="waiting_list",
            key="bt_series",
        )
        or "waiting_list"
    )
with right:
    extra = st.select_slider(
        "Add a cut-off of your own",
        options=["none", *months],
        value="none",
        format_func=lambda m: "None" if m == "none" else month_label(m),
        key="bt_cutoff",
        help="Any month from September 2017 (two years of referral data) to a month before the latest data.",
    )
chosen = list(CUTOFFS) + ([extra] if extra != "none" and extra not in CUTOFFS else [])

progress = st.progress(0.0, text="Fitting the models…")
backtests = []
for number, cutoff in enumerate(chosen):
    progress.progress(number / len(chosen), text=f"Fitting the models on data to {month_label(cutoff)}…")
    backtests.append(get_backtest(cutoff))
progress.empty()

st.markdown(verdict(backtests, series))
history = history_frame(inputs.tables, series, "2017-01")
projections = projection_frame(backtests, series)
covid = pd.DataFrame(
    {
        "start": [pd.Timestamp("2020-03-01")],
        "end": [pd.Timestamp("2022-03-01")],
        "label": ["COVID-disrupted (not scored)"],
    }
)
show_chart(
    charts.backtest_chart(
        history,
        projections,
        covid,
        title=f"{SERIES[series]}: projected against actual",
        unit=UNITS[series],
    ),
    summaries.backtest(projections, SERIES[series]),
    projections,
    key="backtest",
)
csv_download(projections, f"backtest_{series}.csv", key="dl_backtest")

st.subheader("Errors")
how_to_read(
    "MAPE is the mean absolute percentage error over the first 6, 12 or 24 months after the cut-off; bias is the "
    "mean signed error (positive: the model projected more than happened). Months with no data yet, and COVID "
    "months, are not scored."
)
errors = errors_table(backtests)
st.dataframe(
    errors,
    hide_index=True,
    column_config={
        "cutoff": "Cut-off",
        "series": "Series",
        "horizon_months": st.column_config.NumberColumn("Months ahead", format="%d"),
        "mape": st.column_config.NumberColumn("MAPE, %", format="%.1f"),
        "bias": st.column_config.NumberColumn("Bias, %", format="%+.1f"),
        "n_months": st.column_config.NumberColumn("Months scored", format="%d"),
    },
)
csv_download(errors, "backtest_errors.csv", key="dl_bt_errors")

st.subheader("The waiting list's central path and band")
without = [get_backtest(c, premium=False) for c in chosen]
rows = []
for with_premium, old in zip(backtests, without, strict=True):
    new_e = with_premium.errors.set_index(["series", "horizon_months"])
    old_e = old.errors.set_index(["series", "horizon_months"])
    for h in (12, 24):
        rows.append(
            {
                "cutoff": with_premium.cutoff,
                "months ahead": h,
                "bias without premium, %": old_e.loc[("waiting_list", h), "bias"],
                "bias with premium, %": new_e.loc[("waiting_list", h), "bias"],
            }
        )
share, scored = coverage(backtests)
premium = inputs.baselines["activity_premium"]
how_to_read(
    f"Completed pathways have grown faster than the funding rule alone gives: by {premium * 100:.1f}% a year on "
    f"average (standard error {inputs.baselines['activity_premium_se'] * 100:.1f} points, "
    f"{inputs.baselines['activity_premium_years']:.0f} whole years outside COVID). Without that activity premium "
    "the model projected the list too high after the COVID recovery; the table shows the waiting list's bias "
    "with and without it. The projections let the premium fade with a half-life of "
    f"{CONSTANTS['activity_premium_half_life']:g} years (chosen on these backtests; see the Assumptions page). "
    f"The band's spread was calibrated on backtests every March and September 2017-2024: multiple "
    f"{CONSTANTS['flow_noise_scale']:g} of the fitted flow residuals. Here, {share * 100:.0f}% of {scored} scored "
    "months fall inside the 80% band."
)
st.dataframe(pd.DataFrame(rows).round(2), hide_index=True)

with st.expander("Model diagnostics (for analysts): coefficients, standard errors, R², residuals"):
    cutoff = st.selectbox("Cut-off", chosen, format_func=month_label, key="bt_diag_cutoff")
    fitted = get_cutoff_fits(cutoff)
    labels = {
        "ae_attendances": "A&E attendances: log-linear trend + calendar month (HAC errors)",
        "emergency_admissions": "Emergency admissions: log-linear trend + calendar month (HAC errors)",
        "clock_starts": "RTT clock starts: log-linear trend + calendar month (HAC errors)",
        "completions": "Completed pathways: log-linear trend + calendar month (seasonal profile)",
    }
    model = st.selectbox("Model", list(labels), format_func=lambda m: labels[m], key="bt_diag_model")
    fit = fitted.models[model]
    params = fit["params"]
    st.markdown(
        f"R² {params['r_squared'].iloc[0]:.3f} on {params['n'].iloc[0]} months to {month_label(cutoff)}; "
        f"trend growth {fit['growth'] * 100:.2f}% a year (SE {fit['se'] * 100:.2f} points)."
    )
    terms = params["term"].str.replace(r"C\(moy\)\[T\.(\d+)\]", r"Calendar month \1 vs January", regex=True)
    terms = terms.replace({"t": "Trend, log points a year", "Intercept": "Intercept (log, January 2000)"})
    st.dataframe(params[["coef", "se"]].assign(term=terms)[["term", "coef", "se"]].round(5), hide_index=True)
    show_chart(
        charts.residual_chart(fit["residuals"], title="Residuals by month"),
        summaries.residuals(fit["residuals"]),
        fit["residuals"],
        key="residuals",
    )
    csv_download(fit["residuals"], f"residuals_{model}_{cutoff}.csv", key="dl_residuals")
