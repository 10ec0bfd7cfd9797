"""Overview: the headline figures for the scenario against Current plans, in numbers, a chart and words."""

import streamlit as st

from components import charts, summaries
from components.analysis import headline_metrics, summary_text
from components.cache import baseline_projection, get_inputs, get_presets
from components.chart_view import show_chart
from components.controls import apply_preset, how_to_read, metric_grid, render_sidebar, scenario_page
from components.exports import board_pack_downloads
from components.live_view import show_live_chart
from components.presenter import headline_hidden, reveal
from ics_model import DESCRIPTIONS, Scenario, project

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()
    h, b = proj.headline, base.headline
    feb_2020, rtt = inputs.baselines["feb_2020_list"], inputs.tables["rtt_monthly"]

    st.title("ICS Policy Explorer")
    how_to_read(
        "The sustainability gap is what meeting demand would cost minus the money available, in £bn at "
        "2025/26 prices. Each figure is compared with Current plans (NHS England's planned real growth, "
        "continued); a red arrow means worse than Current plans. Move the levers in the sidebar."
    )
    if headline_hidden(scenario):
        st.info(
            "**Predict first.** What will this scenario do to the gap and the waiting list? "
            "Take guesses from the room, then reveal the figures.",
            icon=":material/psychology_alt:",
        )
        st.button(
            "Reveal",
            key="reveal",
            on_click=reveal,
            args=(scenario,),
            type="primary",
            icon=":material/visibility:",
        )
    else:
        metric_grid(headline_metrics(scenario, h, b, feb_2020))
        left, right = st.columns(2)
        with left:
            show_live_chart(proj, inputs)
        with right:
            wl_lines, wl_band = charts.waiting_list_frames(
                rtt[rtt["month"] >= "2018-04"], proj.waiting_list, base.waiting_list
            )
            show_chart(
                charts.waiting_list_chart(
                    wl_lines, wl_band, feb_2020 / 1e6, title="Waiting list, million pathways"
                ),
                summaries.waiting_list(wl_lines, feb_2020 / 1e6),
                wl_lines.merge(wl_band, on="month", how="left"),
                key="overview_waiting_list",
            )
        st.subheader("In plain English")
        st.markdown(summary_text(scenario, h, b, feb_2020))

    st.subheader("Presets")
    named = get_presets()
    # One row of buttons that wraps on a narrow screen (a row, not columns: fewer elements to
    # redraw on a slider move).
    with st.container(horizontal=True, gap="small", key="preset_buttons"):
        for i, (name, preset) in enumerate(named.items()):
            st.button(
                name,
                key=f"preset_button_{i}",
                on_click=apply_preset,
                args=(name,),
                help=DESCRIPTIONS[name],
                type="primary" if preset == scenario else "secondary",
            )

    board_pack_downloads(proj, base)


scenario_page(show)
