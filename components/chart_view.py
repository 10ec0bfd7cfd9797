"""Every chart on every page goes through ``show_chart``: the chart with a text alternative.

- The chart's accessible name (``alt``) says what it is; the one-sentence summary of what it
  shows for the scenario follows it as text a screen reader reads next (hidden from sight).
  The name stays fixed because Streamlit writes it into the spec: a name that changed with
  every slider move would make the browser rebuild the chart instead of updating its data.
- The data behind the chart is a table one click away, with the chart's PNG and SVG files: a
  collapsed expander that tracks its state, so they are built only when someone opens it. A
  slider move then redraws three elements a chart (chart, summary, expander), not seven:
  Streamlit's browser side re-renders every element on every run.
- Each chart's spec is built once per shape (``components.charts._spec``) without Altair's
  per-object validation; the chart tests validate every spec against the schema instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from altair.utils import schemapi

from components.charts._spec import Figure

# Altair also validates every schema object as it is built ("debug mode"): about three quarters
# of a builder's time. The app renders specs the chart tests have validated, so it skips that too.
schemapi.disable_debug_mode()


def show_chart(
    chart: Figure,
    summary: str,
    data: pd.DataFrame,
    *,
    key: str,
    on_select: Callable[[], None] | str | None = None,
    selection_mode: str | None = None,
    table_summary: str | None = None,
    files: bool | Callable[[], Figure] = True,
) -> Any:
    """Draw ``chart``, then ``summary`` as text for screen readers, and ``data`` as a table on request.

    ``on_select`` (a callback, or "rerun" with ``selection_mode``: the event is returned) makes Streamlit report the chart's selections, as the live chart's
    bound inputs need; the chart's state is then ``st.session_state["chart_" + key]``.
    ``table_summary`` replaces ``summary`` above the table (for a chart whose accessible name
    must stay fixed while it is being dragged). ``files`` adds the "PNG" and "SVG" downloads of
    the chart, or of the chart a function builds (the live chart's files are drawn statically).
    """
    extra: dict[str, Any] = {"selection_mode": selection_mode} if selection_mode else {}
    # The same spec every run with the data under fixed names: the browser swaps the data into
    # the chart it has instead of building a new one.
    event = st.vega_lite_chart(  # type: ignore[call-overload]  # on_select: a callback or a mode
        spec=chart.streamlit_spec(),
        width="stretch",
        alt=accessible_name(chart),
        key=f"chart_{key}",
        on_select=on_select or "ignore",
        **extra,
    )
    # Hidden from sight by the stylesheet (components.presenter): the text right after a chart.
    st.text(summary)  # may quote a typed snapshot name: plain text, never markdown
    file_chart = (files if callable(files) else chart) if files else None
    _data_table(table_summary or summary, data, key, file_chart)
    return event


def accessible_name(figure: Figure) -> str:
    """The fixed accessible name of a chart: its title (or its first panel's) and where its figures are."""
    return f"Chart: {_title_text(figure.template) or 'the scenario'}. Its figures for this scenario follow as text."


def _title_text(spec: Any) -> str:
    if not isinstance(spec, dict):
        return ""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    text = " ".join(text) if isinstance(text, list) else str(text)
    if text:
        return text.rstrip(".")
    panels = [panel for key in ("vconcat", "hconcat", "concat", "layer") for panel in spec.get(key, [])]
    return next((found for found in map(_title_text, panels) if found), "")


def _data_table(
    summary: str, data: pd.DataFrame, key: str, file_chart: Figure | Callable[[], Figure] | None
) -> None:
    """The files, the summary and the table, built only while the expander is open. Opening or
    closing it reruns the page's view (not a fragment of its own: one element less to redraw on
    every lever move)."""
    label = "Chart as text, table and files" if file_chart is not None else "Chart as text and table"
    with st.expander(label, key=f"chart_data_{key}", on_change="rerun", icon=":material/table_view:") as box:
        if box.open:
            if file_chart is not None:
                from components.exports import chart_file_buttons  # exports builds on the sidebar module

                chart_file_buttons(file_chart, key)
            st.text(summary)  # may quote a typed snapshot name: plain text, never markdown
            floats = {
                c: st.column_config.NumberColumn(format="%.2f") for c in data.select_dtypes("float").columns
            }
            st.dataframe(data, hide_index=True, height=min(400, 36 + 35 * len(data)), column_config=floats)
