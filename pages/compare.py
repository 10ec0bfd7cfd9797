"""Compare: named snapshots of scenarios, overlaid, with deltas against Current plans and links."""

import streamlit as st

from components import charts, summaries
from components.analysis import compare_frames
from components.cache import get_inputs, get_presets
from components.chart_view import show_chart
from components.controls import (
    CURRENT_NAME,
    SNAPSHOT_LIMIT,
    SNAPSHOT_NAME_KEY,
    change_scenario,
    how_to_read,
    remove_snapshot,
    render_sidebar,
    save_snapshot,
    scenario_page,
    show_table,
    snapshot_link,
    snapshots,
)
from components.exports import csv_download
from components.story_ui import story_builder
from ics_model import Scenario

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    saved = snapshots()

    st.title("Compare scenarios")
    how_to_read(
        "Save the sidebar's scenario under a name, change the levers, save again; each snapshot is drawn "
        "against Current plans (grey dashed) and the scenario now in the sidebar (blue)."
    )
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(
        "Snapshot name", key=SNAPSHOT_NAME_KEY, max_chars=40, placeholder="e.g. 4% and Hewitt targets"
    )
    full = len(saved) >= SNAPSHOT_LIMIT
    save_col.button(
        "Save current scenario", on_click=save_snapshot, disabled=full, key="snapshot_save", width="stretch"
    )

    scenarios = {"Current plans": get_presets()["Current plans"], CURRENT_NAME: scenario, **saved}
    lines, table = compare_frames(scenarios, inputs)
    show_chart(
        charts.compare_chart(lines, list(scenarios), title="The gap each year, £bn"),
        summaries.compare(lines),
        lines,
        key="compare",
    )
    csv_download(lines, "compare_gap.csv", key="dl_compare_lines")

    st.subheader("Against Current plans")
    show_table(table)
    csv_download(table, "compare_table.csv", key="dl_compare_table")

    for i, (name, snap) in enumerate(saved.items()):
        with st.container(border=True):
            text, open_col, remove_col = st.columns([4, 1, 1], vertical_alignment="center")
            text.markdown(f"**Snapshot {i + 1}**")
            text.text(name)  # typed by the user: plain text, never markdown or HTML
            text.code(snapshot_link(snap), language=None, wrap_lines=True)
            open_col.button("Open", key=f"snap_open_{i}", on_click=change_scenario, args=(snap,))
            remove_col.button("Remove", key=f"snap_remove_{i}", on_click=remove_snapshot, args=(name,))
    if not saved:
        st.caption("No snapshots yet.")

    story_builder(get_presets()["Current plans"])


scenario_page(show)
