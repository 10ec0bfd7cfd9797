"""Overview: the headline figures for the scenario against Current plans, in numbers and words."""

import streamlit as st

from components.analysis import headline_metrics, summary_text
from components.cache import baseline_projection, get_inputs, get_presets
from components.controls import apply_preset, how_to_read, metric_grid, render_sidebar
from components.live_view import show_live_chart
from ics_model import DESCRIPTIONS, project

scenario = render_sidebar()
inputs = get_inputs()
proj = project(scenario, inputs)
h, b = proj.headline, baseline_projection().headline
feb_2020 = inputs.baselines["feb_2020_list"]

st.title("ICS Policy Explorer")
how_to_read(
    "The sustainability gap is what meeting demand would cost minus the money available, in £bn at "
    "2025/26 prices. Each figure is compared with Current plans (NHS England's planned real growth, "
    "continued); a red arrow means worse than Current plans. Move the levers in the sidebar."
)
metric_grid(headline_metrics(scenario, h, b, feb_2020))
show_live_chart(proj, inputs)

st.subheader("In plain English")
st.markdown(summary_text(scenario, h, b, feb_2020))

st.subheader("Presets")
named = get_presets()
for i, (column, (name, preset)) in enumerate(zip(st.columns(len(named)), named.items(), strict=True)):
    column.button(
        name,
        key=f"preset_button_{i}",
        on_click=apply_preset,
        args=(name,),
        help=DESCRIPTIONS[name],
        width="stretch",
        wrap=True,
        type="primary" if preset == scenario else "secondary",
    )
