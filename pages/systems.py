"""42 systems: each ICS's formula-based fair share of the funding and the gap."""

import streamlit as st

from components import charts, summaries
from components.analysis import system_metrics
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, metric_grid, render_sidebar, show_table
from components.exports import csv_download
from ics_model import project

MEASURES = {
    "gap_per_patient": "Gap per patient",
    "funding_per_patient": "Funding per patient",
    "gap_horizon_m": "Gap, £m",
}

scenario = render_sidebar()
inputs = get_inputs()
proj, base = project(scenario, inputs), baseline_projection()
year = proj.headline.horizon_fiscal_year
frame = charts.systems_frame(proj.systems, base.systems)

st.title("42 integrated care systems")
st.caption(
    "**Formula-based fair share, not the actual allocation**: each system's share is its need-weighted "
    "population in NHS England's 2025/26 allocation formula; actual allocations differ."
)
how_to_read(
    "Bars are the scenario, coloured by NHS region; grey ticks are Current plans. Per patient is per GP-registered patient."
)
measure = st.segmented_control(
    "Show",
    list(MEASURES),
    format_func=MEASURES.get,
    default="gap_per_patient",
    key="systems_measure",
    required=True,
)
chart = charts.systems_chart(frame, measure, title=f"{MEASURES[measure]} in {year}, by ICS")
show_chart(chart, summaries.systems(frame, measure, MEASURES[measure]), frame, key="systems")

pick = st.selectbox("Look at one system", sorted(frame["name"]), key="systems_pick")
chosen = frame["name"] == pick
metric_grid(system_metrics(proj.systems[chosen].iloc[0], base.systems[chosen].iloc[0], year))

four = st.column_config.NumberColumn(format="%.4f")
show_table(frame, digits=1, column_config={"share": four, "need_index": four})
csv_download(frame, "systems.csv", key="dl_systems")
