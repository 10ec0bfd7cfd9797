"""The live headline chart on a page, with its values synced back to the scenario during a drag.

The chart's two range inputs are Vega-Lite point selections bound to inputs, so Streamlit
reports their values (``on_select``, debounced by Streamlit) while and after they move. The
callback moves the sidebar's scenario (and so the URL) to the chart's values, snapped to the
sliders' steps.

A rerun must not re-embed the chart while its slider is held: the browser would replace the
input under the pointer and end the drag. So the spec stays byte-identical when the scenario
differs from the one the chart was embedded with only by the values the chart itself reported;
any other change (a sidebar slider, a preset, the horizon) rebuilds it at the new scenario.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from components import charts, summaries
from components.cache import baseline_projection
from components.chart_view import show_chart
from components.charts.live import DEMAND_PARAM, FIELD, UPLIFT_PARAM, live_frame, live_funding_chart
from components.controls import SPECS, change_scenario, current_scenario
from ics_model import Inputs, Parameter, Projection, Scenario

LIVE_KEY = "live"
_LEVERS = {UPLIFT_PARAM: "funding_uplift", DEMAND_PARAM: "demand_growth"}
_EMBEDDED = "_live_embedded"  # the Scenario the chart in the browser was built from
_SHOWN = "_live_shown"  # the scenario with the values the chart's own inputs now show
_VERSION = "_live_version"  # bumped on a rebuild, so a rebuilt spec never equals a stale one
ALT = (
    "Live chart of the scenario's funding against pressure (lines, Current plans dashed) and the gap "
    "each year (bars), with sliders for the funding uplift and demand growth under it; each point "
    "carries its values, and the table below lists them."
)


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
    moved = scenario_from_selection(current_scenario(), selection)
    st.session_state[_SHOWN] = moved
    change_scenario(moved)  # the sidebar's sliders and the address bar follow the drag


def embedded_scenario(
    scenario: Scenario, embedded: Scenario | None, shown: Scenario | None
) -> Scenario | None:
    """The scenario to keep building the chart from, or None to rebuild it at ``scenario``."""
    if embedded is None or shown is None or scenario != shown:
        return None
    keep: dict[str, Any] = {
        "funding_uplift": embedded.funding_uplift,
        "demand_growth": embedded.demand_growth,
    }
    return embedded if replace(scenario, **keep) == embedded else None


def show_live_chart(projection: Projection, inputs: Inputs) -> None:
    """The live funding-vs-pressure and gap chart for the session's scenario."""
    scenario, base = projection.scenario, baseline_projection()
    state = st.session_state
    built_from = embedded_scenario(scenario, state.get(_EMBEDDED), state.get(_SHOWN))
    if built_from is None:
        built_from = state[_EMBEDDED] = state[_SHOWN] = scenario
        state[_VERSION] = state.get(_VERSION, 0) + 1
    chart = live_funding_chart(
        live_frame(base, built_from.horizon_years),
        built_from,
        inputs,
        SPECS["funding_uplift"],
        SPECS["demand_growth"],
        title="Funding and pressure, £bn a year",
    )
    # A copy of the cached spec with this rebuild's number (the template itself is shared).
    chart = replace(chart, template={**chart.template, "usermeta": {"live_version": state[_VERSION]}})
    show_chart(
        chart,
        ALT,
        projection.gap[["fiscal_year", "funding_bn", "pressure_bn", "gap_bn"]],
        key=LIVE_KEY,
        on_select=_on_live_select,
        table_summary=summaries.funding_vs_pressure(projection.gap, base.gap),
        # The files are the same chart drawn statically (a chart with bound inputs has no fixed
        # size), built only when a file is asked for.
        files=lambda: _static_chart(projection, base, inputs),
    )


def _static_chart(projection: Projection, base: Projection, inputs: Inputs) -> charts.Figure:
    lines, band = charts.funding_frame(projection.gap, base.gap, inputs.tables["budgets"])
    return charts.funding_vs_pressure(lines, band, title="Funding and pressure, £bn a year")
