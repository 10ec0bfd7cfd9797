"""The two views of the 42 systems page: each system's own figures (map and table, a selection
opens Your system) and the formula fair share of the national gap."""

from __future__ import annotations

import streamlit as st

from components import charts, summaries
from components.analysis import system_metrics
from components.cache import get_boundaries
from components.chart_view import show_chart
from components.controls import how_to_read, metric_grid, show_table
from components.exports import csv_download
from components.system_select import TABLE_COLUMNS, map_selection, open_system, table_selection
from ics_model import Projection

FAIR_SHARE = {
    "gap_per_patient": "Gap per patient",
    "funding_per_patient": "Funding per patient",
    "gap_horizon_m": "Gap, £m",
}


def map_measure_picker(label: str, *, key: str) -> str:
    """Which of the systems' measures (charts.MAP_MEASURES) to show; gap per patient first."""
    measure: str = st.segmented_control(
        label,
        list(charts.MAP_MEASURES),
        format_func=lambda m: charts.MAP_MEASURES[m][0],
        default="gap_per_head",
        key=key,
        required=True,
    )
    return measure


def own_figures_view(proj: Projection, base: Projection, year: str) -> None:
    """Map and sortable table of every system's own gap; a click or a row opens the system."""
    frame = charts.systems_view_frame(proj.systems, base.systems)
    st.caption(
        "Each system's **own** 2025/26 allocation (all funding streams, NHS England), converging to its fair "
        "share at the chosen pace, against pressure at its **local** demand growth. Per-system deficits are "
        "not in public files, so these gaps are the model's, not reported deficits."
    )
    measure = map_measure_picker("Colour by", key="systems_map_measure")
    how_to_read("Click a system on the map, or a row of the table, to open it on the Your system page.")
    chart = charts.systems_map(
        frame, get_boundaries(), measure, title=f"{charts.MAP_MEASURES[measure][0]}, {year}"
    )
    label, fmt, _ = charts.MAP_MEASURES[measure]
    event = show_chart(
        chart,
        summaries.systems_map(frame, measure, label, fmt),
        frame.drop(columns=["icb_name"]),
        key="systems_map",
        on_select="rerun",
        selection_mode=charts.SELECT_NAME,
    )
    st.caption(" ".join(charts.ATTRIBUTION))
    picked = map_selection(event)
    table = frame.drop(columns=["icb_name", "local_demand_growth"]).sort_values(
        "gap_per_head", ascending=False
    )
    rows = st.dataframe(
        table,
        hide_index=True,
        column_config=TABLE_COLUMNS,
        on_select="rerun",
        selection_mode="single-row",
        key="systems_table",
    )
    picked = picked or table_selection(rows, table)
    if picked:
        open_system(picked)
    csv_download(table, "systems.csv", key="dl_systems")


def fair_share_view(proj: Projection, base: Projection, year: str) -> None:
    """Each system's formula-based fair share of the national gap (the earlier view)."""
    frame = charts.systems_frame(proj.fair_share_systems, base.fair_share_systems)
    st.caption(
        "**Formula-based fair share, not the actual allocation**: each system's share is its need-weighted "
        "population in NHS England's 2025/26 allocation formula, times the national gap."
    )
    how_to_read(
        "Bars are the scenario, coloured by NHS region; grey ticks are Current plans. Per patient is per GP-registered patient."
    )
    measure: str = st.segmented_control(
        "Show",
        list(FAIR_SHARE),
        format_func=FAIR_SHARE.__getitem__,
        default="gap_per_patient",
        key="systems_measure",
        required=True,
    )
    show_chart(
        charts.systems_chart(frame, measure, title=f"{FAIR_SHARE[measure]} in {year}, by ICS"),
        summaries.systems(frame, measure, FAIR_SHARE[measure]),
        frame,
        key="systems_fair_share",
    )
    pick = st.selectbox("Look at one system", sorted(frame["name"]), key="systems_pick")
    chosen = frame["name"] == pick
    metric_grid(
        system_metrics(proj.fair_share_systems[chosen].iloc[0], base.fair_share_systems[chosen].iloc[0], year)
    )
    four = st.column_config.NumberColumn(format="%.4f")
    show_table(frame, digits=1, column_config={"share": four, "need_index": four})
    csv_download(frame, "systems_fair_share.csv", key="dl_systems")
