"""Funding gap: funding against pressure with its band, the gap each year and what drives it."""

import streamlit as st

from components import charts, summaries
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, render_sidebar, scenario_page, show_table
from components.exports import csv_download, projection_downloads
from ics_model import CONSTANTS, Scenario, project

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()

    st.title("Funding gap")
    how_to_read(
        "Blue is the pressure (the cost of meeting demand) with its 80% and 95% bands; orange is the funding the uplift gives. Grey dashed lines are Current plans. "
        "Black is NHS England's real revenue budget, outturn then plans. £bn at 2025/26 prices."
    )
    lines, band = charts.funding_frame(proj.gap, base.gap, inputs.tables["budgets"])
    table = lines.merge(band, on="fiscal_year", how="left")  # the chart's data, as table and CSV
    show_chart(
        charts.funding_vs_pressure(lines, band, title="Funding and pressure, £bn a year"),
        summaries.funding_vs_pressure(proj.gap, base.gap),
        table,
        key="funding",
    )
    how_to_read(
        f"The fan is {int(CONSTANTS['mc_draws']):,} seeded joint draws of demand growth (its fitted standard error), productivity and unit cost "
        f"growth (assumed spreads): in {proj.simulation.probability_gap_closed * 100:.0f}% of them funding meets "
        f"pressure in {proj.headline.horizon_fiscal_year}; the bands hold the middle 80% and 95% of the draws."
    )
    csv_download(table, "funding_vs_pressure.csv", key="dl_funding")

    left, right = st.columns(2)
    with left:
        show_chart(
            charts.gap_bars(proj.gap, base.gap, title="The gap each year"),
            summaries.gap_bars(proj.gap, base.gap),
            proj.gap[["fiscal_year", "gap_bn", "gap_pct", "cumulative_gap_bn"]],
            key="gap",
        )
        how_to_read(
            "Bars are the scenario's gap; the grey dashed line is Current plans. Below zero is a surplus."
        )
    with right:
        frame = charts.waterfall_frame(proj.drivers, base.drivers)
        show_chart(
            charts.waterfall(frame, title=f"What drives pressure to {proj.headline.horizon_fiscal_year}"),
            summaries.waterfall(frame),
            frame,
            key="drivers",
        )
        how_to_read(
            "Red adds to pressure, green reduces it; grey ticks mark the Current plans running total."
        )
        csv_download(frame, "pressure_drivers.csv", key="dl_drivers")

    st.subheader("The projection")
    show_table(proj.gap)
    projection_downloads(proj, key="fg")


scenario_page(show)
