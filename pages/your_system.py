"""Your system: one ICS's own allocation, demand, gap and waiting list, and its place among the 42."""

import pandas as pd
import streamlit as st

from components import charts, summaries
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, metric_grid, render_sidebar, scenario_page
from components.exports import csv_download
from components.system_select import reorganisation_note, system_cards, system_picker
from components.systems_views import map_measure_picker
from ics_model import Scenario, project, project_system

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()
    year = proj.headline.horizon_fiscal_year

    st.title("Your system")
    code = system_picker()
    if code is None:
        st.info(
            f"England as a whole: a gap of **£{proj.headline.gap_bn_at_horizon:,.1f}bn** in {year}. "
            "Choose one of the 42 systems above (or on the 42 systems page) to see its own figures."
        )
        return

    one = project_system(code, scenario, inputs, proj.systems_result)
    was = project_system(code, base.scenario, inputs, base.systems_result)
    frame = charts.systems_view_frame(proj.systems, base.systems)
    row = frame.set_index("icb_code").loc[code]
    st.subheader(
        f"{row['name']} · {row['region']} · ranked {row['rank_gap_per_head']} of 42 by gap per patient"
    )
    note = reorganisation_note(proj.systems.set_index("icb_code").loc[code])
    if note:
        st.info(note, icon=":material/merge:")
    metric_grid(system_cards(row, base.systems.set_index("icb_code").loc[code], year))
    st.caption(
        "Sources: NHS England ICB allocations 2025/26 (all streams); NHS England RTT waiting times by commissioner; "
        "ONS 2018-based subnational projections for age mix and relative growth only, anchored to the national "
        "2022-based projection. **Per-system deficits are not in public files**: the gap is the model's, not a "
        "reported deficit."
    )

    show_chart(
        charts.system_funding_chart(one.gap, was.gap, title=f"Funding and pressure to {year}, £m"),
        summaries.system_funding(one.gap, row["name"]),
        one.gap,
        key="system_funding",
    )
    how_to_read(
        "Grey: Current plans. Black dotted and dashed: the national uplift and demand growth applied "
        "to this system's 2025/26 allocation, for comparison."
    )
    month = pd.Period(str(row["waiting_list_latest_month"]), freq="M").strftime("%B %Y")
    waiting = charts.system_waiting_frame(one.waiting_list, was.waiting_list)
    show_chart(
        charts.system_waiting_chart(waiting, title="Waiting list: reported and projected"),
        summaries.system_waiting(waiting),
        waiting,
        key="system_waiting",
    )
    how_to_read(f"The projection starts from {month}, the latest month in which every provider reported.")

    measure = map_measure_picker("Compare on", key="your_system_measure")
    label, fmt, _ = charts.MAP_MEASURES[measure]
    show_chart(
        charts.systems_strip(frame, measure, code, title="Among the 42 systems"),
        summaries.systems_strip(frame, measure, code, label, fmt),
        frame[["icb_code", "name", "region", measure]],
        key="system_strip",
    )
    show_chart(
        charts.region_chart(frame, code, measure, title=f"{row['region']}: systems side by side"),
        summaries.region_systems(frame, code, measure, label, fmt),
        frame.loc[frame["region"] == row["region"], ["icb_code", "name", measure]],
        key="system_region",
    )
    csv_download(one.gap, f"system_{code}.csv", key="dl_your_system")


scenario_page(show)
