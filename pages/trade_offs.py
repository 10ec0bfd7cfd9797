"""Trade-offs: the gap over funding x demand, each lever's effect, and goal seek."""

import streamlit as st

from components import charts, summaries
from components.analysis import (
    applicable_value,
    goal_seek_levers,
    heatmap_grid,
    heatmap_points,
    shown_value,
    tornado_frame,
)
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import SPECS, how_to_read, render_sidebar, scenario_page, set_value
from components.exports import csv_download
from ics_model import Scenario, goal_seek, project

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()
    gap, base_gap, year = (
        proj.headline.gap_bn_at_horizon,
        base.headline.gap_bn_at_horizon,
        proj.headline.horizon_fiscal_year,
    )

    st.title("Trade-offs")
    how_to_read(
        f"Each cell is the gap in {year} for one funding uplift and one demand growth, the other settings as in "
        "the sidebar: orange is a gap, blue a surplus. The black line is where the gap is zero. The blue ring is "
        "your scenario; the grey diamond marks Current plans' funding and demand growth."
    )
    grid = heatmap_grid(scenario, inputs, n=40)
    zero = charts.zero_gap_line(grid, "funding_uplift", "demand_growth")
    points = heatmap_points(scenario, base.scenario, gap, base_gap)
    axes = {
        "x_title": "Funding uplift, % a year",
        "y_title": "Demand growth, % a year",
        "title": f"Gap in {year}, £bn",
    }
    heatmap = charts.tradeoff_heatmap(grid, zero, points, x="funding_uplift", y="demand_growth", **axes)
    show_chart(
        heatmap, summaries.tradeoff_heatmap(points, axes["x_title"], axes["y_title"]), grid, key="heatmap"
    )
    csv_download(grid, "tradeoff_grid.csv", key="dl_grid")

    @st.fragment
    def levers_block() -> None:
        """The tornado and its mode: a fragment, so switching the mode reruns only this block."""
        st.subheader("Which levers matter most")
        modes = ["A small step", "Its whole range"]
        mode = st.segmented_control(
            "Change each setting by", modes, default=modes[0], key="tornado_mode", required=True
        )
        torn = tornado_frame(scenario, inputs, full_range=mode == modes[1])
        title = f"Gap in {year} with each setting low or high"
        show_chart(
            charts.tornado(torn, gap, base_gap, title=title), summaries.tornado(torn), torn, key="tornado"
        )
        how_to_read(
            "A small step is ±0.5 points for rates, ±10 targets, ±25 points of autonomy and ±2 years. "
            "The blue line is your scenario's gap, the grey dashed line Current plans'."
        )
        csv_download(torn, "tornado.csv", key="dl_tornado")

    levers_block()

    st.subheader("Goal seek")
    left, right = st.columns(2)
    lever = left.selectbox(
        "Solve for", goal_seek_levers(), format_func=lambda n: SPECS[n].label, key="gs_lever"
    )
    target = right.number_input(f"Target gap in {year}, £bn", -200.0, 200.0, 0.0, step=1.0, key="gs_target")
    result = goal_seek(lever, scenario, inputs, target_gap_bn=target)
    if result.value is None:
        st.warning(result.message)
    else:
        st.success(result.message)
        value = applicable_value(lever, result.value)
        label = f"Apply {SPECS[lever].label.lower()} = {shown_value(SPECS[lever], value)}"
        st.button(
            label,
            on_click=set_value,
            args=(lever, value),
            type="primary",
            icon=":material/check:",
            key="gs_apply",
        )


scenario_page(show)
