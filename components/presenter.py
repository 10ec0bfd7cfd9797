"""Presenter view for a projector: its stylesheet and the predict-then-reveal state.

The CSS is written here (nothing in it comes from input). ``components.controls`` draws the
compact lever bar; the Overview asks ``headline_hidden`` before showing its figures.
"""

from __future__ import annotations

import streamlit as st

from ics_model import Scenario

PREDICT_KEY = "predict_view"  # non-widget copy of the "Predict, then reveal" toggle
PREDICT_WIDGET = "predict"
REVEALED_KEY = "_revealed"  # the scenario whose figures were last revealed

# Large type and high contrast; metric values wrap instead of ending in an ellipsis; the
# toolbar and main menu are hidden; the sidebar's content stays mounted (keyboard shortcuts).
PRESENTER_CSS = """
<style>
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"], [data-testid="stToolbarActions"] {display: none;}
[data-testid="stMain"] .block-container {padding-top: 4rem; padding-left: 2rem; padding-right: 2rem; max-width: 100%;}
[data-testid="stMain"] {color: #000000; font-size: 1.15rem;}
[data-testid="stMain"] h1 {font-size: 2.1rem; padding-top: 0.2rem; padding-bottom: 0.4rem;}
[data-testid="stMetric"] {background: #FFFFFF; border-color: #231F20 !important;}
[data-testid="stMetricLabel"] p {font-size: 1.05rem; font-weight: 600; color: #000000;}
[data-testid="stMetricValue"] {font-size: clamp(1.6rem, 2.3vw, 2.6rem); font-weight: 700; color: #000000;}
[data-testid="stMetricValue"] p {line-height: 1.15;}
[data-testid="stMetricDelta"] {font-size: 1rem; font-weight: 600;}
[data-testid="stCaptionContainer"] {color: #231F20;}
.st-key-presenter_bar {border-bottom: 2px solid #005EB8; padding-bottom: 0.3rem;}
</style>
"""

# Every view: the hidden shortcut button of the presenter toggle takes no space, and a metric
# label and value wrap onto a second line rather than ending in an ellipsis.
BASE_CSS = """
<style>
.st-key-presenter_shortcut {display: none;}
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p,
[data-testid="stMetricDelta"] > div, [data-testid="stMetricDelta"] p,
[data-testid="stMetricLabel"] > div, [data-testid="stMetricLabel"] p {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word;}
/* A chart's figures for this scenario, read out after it by a screen reader, not shown. */
[data-testid="stElementContainer"]:has([data-testid="stVegaLiteChart"])
  + [data-testid="stElementContainer"]:has(> [data-testid="stText"]) {position: absolute !important; width: 1px;
  height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;}
/* The equations are short enough to fit; a scroll box around each would need keyboard focus. */
.katex-display {overflow: visible !important;}
</style>
"""


def inject_css(presenting: bool) -> None:
    """The stylesheet for this run (a <style> block only: st.html adds no visible element)."""
    st.html(BASE_CSS + (PRESENTER_CSS if presenting else ""))


def predicting() -> bool:
    return bool(st.session_state.get(PREDICT_KEY, False))


def on_predict_toggle() -> None:
    """Callback: switching predict-then-reveal on hides only the scenarios that come next."""
    on = bool(st.session_state.get(PREDICT_WIDGET, False))
    st.session_state[PREDICT_KEY] = on
    if on:
        from components.controls import current_scenario  # controls builds on this module

        st.session_state[REVEALED_KEY] = current_scenario()


def reveal(scenario: Scenario) -> None:
    """Callback of the Reveal button."""
    st.session_state[REVEALED_KEY] = scenario


def headline_hidden(scenario: Scenario) -> bool:
    """True while predict-then-reveal is on and this scenario's figures are not yet revealed."""
    return predicting() and st.session_state.get(REVEALED_KEY) != scenario


def predict_toggle() -> None:
    """The "Predict, then reveal" toggle, kept in step with its non-widget state."""
    st.session_state[PREDICT_WIDGET] = predicting()
    st.toggle(
        "Predict, then reveal",
        key=PREDICT_WIDGET,
        on_change=on_predict_toggle,
        help="Hide the headline figures of each new scenario until you press Reveal, so the board can guess first.",
    )
