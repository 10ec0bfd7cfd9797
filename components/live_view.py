"""The live headline chart on a page, with its values synced back to the scenario after a drag.

The chart's two range inputs are Vega-Lite point selections bound to inputs, so Streamlit
reports their values (``on_select``) once the input has been still for Streamlit's selection
debounce (150 ms in 1.67): in practice when a drag ends. The callback then moves the sidebar's
scenario (and so the URL) to the chart's values, rounded to the sliders' steps.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from components import summaries
from components.cache import baseline_projection
from components.chart_view import show_chart
from components.charts.live import DEMAND_PARAM, FIELD, UPLIFT_PARAM, live_frame, live_funding_chart
from components.controls import SPECS, current_scenario, set_scenario
from ics_model import Inputs, Parameter, Projection, Scenario

LIVE_KEY = "live"
_LEVERS = {UPLIFT_PARAM: "funding_uplift", DEMAND_PARAM: "demand_growth"}


def selected_value(selection: Any, param: str) -> float | None:
    """The percent value a bound point selection reports, or None (empty or malformed)."""
    chosen = selection.get(param) if hasattr(selection, "get") else None
    if isinstance(chosen, list):
        chosen = chosen[0] if chosen else None
    value = chosen.get(FIELD) if isinstance(chosen, dict) else None
    if isinstance(value, list):
        value = value[0] if value else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def snapped(spec: Parameter, percent: float) -> float:
    """A percent value from the chart in model units, on the slider's step and inside its range."""
    assert spec.low is not None
    assert spec.high is not None
    assert spec.step is not None
    steps = round((percent / 100 - spec.low) / spec.step)
    return round(min(spec.high, max(spec.low, spec.low + steps * spec.step)), 6)


def scenario_from_selection(scenario: Scenario, selection: Any) -> Scenario:
    """The scenario with the levers the chart reports (snapped), or unchanged if none is readable."""
    changes: dict[str, Any] = {}
    for param, field in _LEVERS.items():
        value = selected_value(selection, param)
        if value is not None:
            changes[field] = snapped(SPECS[field], value)
    try:
        return replace(scenario, **changes) if changes else scenario
    except ValueError:
        return scenario


def _on_live_select() -> None:
    state = st.session_state.get(f"chart_{LIVE_KEY}")
    selection = getattr(state, "selection", None) or (state or {}).get("selection", {})
    set_scenario(scenario_from_selection(current_scenario(), selection))


def show_live_chart(projection: Projection, inputs: Inputs) -> None:
    """The live funding-vs-pressure and gap chart for the session's scenario."""
    scenario, base = projection.scenario, baseline_projection()
    chart = live_funding_chart(
        live_frame(base, scenario.horizon_years),
        scenario,
        inputs,
        SPECS["funding_uplift"],
        SPECS["demand_growth"],
        title="Funding and pressure, £bn a year (drag the sliders under the chart)",
    )
    show_chart(
        chart,
        summaries.funding_vs_pressure(projection.gap, base.gap),
        projection.gap[["fiscal_year", "funding_bn", "pressure_bn", "gap_bn"]],
        key=LIVE_KEY,
        on_select=_on_live_select,
    )
