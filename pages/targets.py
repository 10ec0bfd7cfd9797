"""Targets & autonomy: the burden of national targets and the stylised dividend of local freedom."""

import streamlit as st

from components import charts, summaries
from components.analysis import burden_frame, dividend_sensitivity, money_bn, targets_metrics
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, metric_grid, render_sidebar
from components.exports import csv_download
from ics_model import CONSTANTS, project

scenario = render_sidebar()
inputs = get_inputs()
proj, base = project(scenario, inputs), baseline_projection()
t, year, gap = proj.targets, proj.headline.horizon_fiscal_year, proj.headline.gap_bn_at_horizon

st.title("Targets & autonomy")
how_to_read(
    f"The burden is the reporting and assurance time {t.national_targets} national targets take in 42 systems "
    "(hours per target and cost per hour are labelled assumptions on the Assumptions page). The dividend is "
    "extra productivity growth that fewer targets and earned autonomy might buy."
)
st.info(
    "**The dividend is a stylised assumption, not evidence.** No study quantifies the productivity gain from "
    "fewer national targets or earned autonomy; the chart below shows how much the answer depends on it.",
    icon=":material/warning:",
)
metric_grid(targets_metrics(t, int(CONSTANTS["baseline_targets"]), year))
word = "gap" if gap >= 0 else "surplus"
share = ""
if abs(gap) > 0.01:
    share = (
        f", {t.burden_m / 1e3 / abs(gap) * 100:.1f}% of the size of the {money_bn(abs(gap))} {word} in {year}"
    )
st.markdown(
    f"**The burden is small next to the gap.** {t.national_targets} national targets cost about £{t.burden_m:,.0f}m "
    f"a year in reporting and assurance{share}. Cutting targets matters for the money "
    "only if local freedom raises productivity, which is the stylised dividend."
)
left, right = st.columns(2)
with left:
    sens = dividend_sensitivity(scenario, inputs)
    title = f"Gap in {year} over the dividend k"
    show_chart(
        charts.dividend_sensitivity_chart(
            sens,
            scenario.autonomy_dividend * 100,
            t.gap_bn_without_dividend,
            base.headline.gap_bn_at_horizon,
            title=title,
        ),
        summaries.dividend_sensitivity(sens, t.gap_bn_without_dividend, base.headline.gap_bn_at_horizon),
        sens,
        key="dividend",
    )
    how_to_read(
        "k is the extra productivity growth full freedom (all systems autonomous, no national targets) would add; "
        "the dot is the sidebar's value. The line is flat when no system has earned autonomy."
    )
    csv_download(sens, "dividend_sensitivity.csv", key="dl_sens")
with right:
    burden = burden_frame(t.burden_m / 1e3, gap, base.headline.gap_bn_at_horizon, t.national_targets)
    show_chart(
        charts.burden_vs_gap_chart(burden, title="Burden of targets against the gap, £bn"),
        summaries.burden(burden),
        burden,
        key="burden",
    )
    csv_download(burden, "burden_vs_gap.csv", key="dl_burden")
