"""42 systems: each ICS's own gap on a map and in a table; select one to open it."""

import streamlit as st

from components.cache import baseline_projection, get_inputs
from components.controls import render_sidebar, scenario_page
from components.systems_views import fair_share_view, own_figures_view
from ics_model import Scenario, project

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()
    year = proj.headline.horizon_fiscal_year

    st.title("42 integrated care systems")
    view = st.segmented_control(
        "View",
        ["Own figures", "Formula fair share"],
        default="Own figures",
        key="systems_view",
        required=True,
    )
    if view == "Own figures":
        own_figures_view(proj, base, year)
    else:
        fair_share_view(proj, base, year)


scenario_page(show)
