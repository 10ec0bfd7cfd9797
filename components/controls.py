"""The scenario sidebar, presets, reset, URL sync and presenter view, shared by every page.

``render_sidebar()`` is called at the top of every page (not in app.py: sidebar widgets drawn by the entry script are lost by AppTest after the first interaction when a pages/ folder exists).
The Scenario lives in one non-widget session-state key; the widgets' keys equal the Scenario
field names and their on_change callbacks update that one key. Before each widget is drawn,
its state is set from the Scenario, so presets, reset and URL loads reach the sliders.

A lever move redraws only what shows the scenario: each such part is a keyed fragment drawn
through ``scenario_view`` (the page body through ``scenario_page``), and a lever's callback
reruns just those. The sliders, the page menu and the notes around them are not sent again;
the browser re-renders every element it is sent, so this is most of a slider move's cost.
Any other change of the scenario (preset, undo, reset, a button on a page) reruns the whole
app, so the sliders show it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components import presenter as pv
from components.analysis import clean_snapshot_name
from components.cache import get_inputs, get_presets, rebuild_data
from components.history import History, record, redo, undo
from components.navigation import render_menu
from components.system_select import restore_system, system_query
from components.upload import banner as upload_banner
from ics_model import (
    DataError,
    Inputs,
    Parameter,
    Scenario,
    scenario_from_query,
    scenario_parameters,
    scenario_to_query,
)
from ics_model.version import describe_update, stamp

SCENARIO_KEY = "scenario"  # the one source of truth for the session's Scenario
PRESENTER_KEY = "presenter_view"  # non-widget copy of the presenter toggle
PRESENTER_WIDGET = "presenter"
PRESET_WIDGET = "preset"
SHARE_KEY = "share_link_open"  # the share-link box: its link is drawn only while it is open
PROBLEMS_KEY = "_url_problems"
STORY_LINK_ERROR_KEY = "_story_link_error"
VERSION_NOTE_KEY = "_version_note"
HISTORY_KEY = "_history"  # components.history.History of Scenarios (undo/redo)
BAR_PREFIX = "bar_"  # widget keys of the presenter view's lever bar
REBUILD_ERROR_KEY = "_rebuild_error"
VIEWS_KEY = "_scenario_views"  # keys of the fragments that show the scenario, this page
PAGE_VIEW = "page"
CUSTOM = "Custom scenario"
BASELINE_NAME = "Current plans"

SPECS: dict[str, Parameter] = {p.name: p for p in scenario_parameters()}


# --- values between the model and the widgets ------------------------------------------------


def to_widget(spec: Parameter, value: float) -> float | int:
    """A model value in the slider's units (percent for rates; int for counts)."""
    shown = spec.to_display(value)
    return round(shown) if spec.is_integer else float(shown)


def from_widget(spec: Parameter, shown: float) -> float | int:
    """A slider value back in model units."""
    value = spec.from_display(float(shown))
    return round(value) if spec.is_integer else value


def _slider_format(spec: Parameter) -> str:
    if spec.is_integer:
        return "%d years" if spec.name == "horizon_years" else "%d"
    if spec.display_scale == 100:
        return "%.0f%%" if spec.step is not None and spec.step * 100 >= 1 else "%.1f%%"
    return "%g"


# --- state -----------------------------------------------------------------------------------


def current_scenario() -> Scenario:
    """The session's Scenario (call render_sidebar first)."""
    scenario: Scenario = st.session_state[SCENARIO_KEY]
    return scenario


def set_scenario(scenario: Scenario) -> None:
    """Replace the session's Scenario; usable as a widget callback."""
    st.session_state[SCENARIO_KEY] = scenario


def whole_app(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback followed by a rerun of the whole app: for a widget in a scenario view
    whose change shows outside that view (the sliders, the address bar, the story bar)."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> None:
        callback(*args, **kwargs)
        st.rerun()

    return run


# Callbacks that show another scenario, or another value of one field, everywhere.
change_scenario = whole_app(set_scenario)


def apply_preset(name: str) -> None:
    """Callback: switch to a named preset."""
    chosen = get_presets().get(name)
    if chosen is not None:
        change_scenario(chosen)


def apply_value(field: str, value: float) -> None:
    """Callback: change one field of the scenario (ignored if out of range)."""
    change: dict[str, Any] = {field: value}
    try:
        set_scenario(replace(current_scenario(), **change))
    except ValueError:
        return


set_value = whole_app(apply_value)


def _on_slider(field: str, key: str | None = None) -> None:
    apply_value(field, from_widget(SPECS[field], st.session_state[key or field]))
    views: list[str] = st.session_state.get(VIEWS_KEY, [])
    if PAGE_VIEW in views:  # a page drawn whole (no scenario_page) reruns whole
        st.rerun(page_first(views))


def page_first(views: list[str]) -> list[str]:
    """The scenario views in the order a lever move reruns them: the page's first, so its
    figures and charts reach the browser before the sidebar's preset box and Undo/Reset
    (Overview's metrics about 20 ms sooner, Waiting list's 30 ms; bench/README.md)."""
    return sorted(views, key=lambda view: view != PAGE_VIEW)


def scenario_view(key: str, draw: Callable[[], None]) -> None:
    """Draw ``draw`` as a fragment that reruns on its own when a lever moves.

    ``draw`` reads the scenario with ``current_scenario()``; its own widgets rerun only it.
    A widget callback in it that changes what is drawn outside it calls ``st.rerun()``.
    """
    views: list[str] = st.session_state.setdefault(VIEWS_KEY, [])
    if key not in views:
        views.append(key)
    st.fragment(draw, key=key)()


def scenario_page(show: Callable[[Scenario], None]) -> None:
    """Draw a page's body, ``show(scenario)``, as the view a lever move redraws."""
    scenario_view(PAGE_VIEW, lambda: show(current_scenario()))


def _on_preset() -> None:
    apply_preset(str(st.session_state[PRESET_WIDGET]))


def _on_presenter() -> None:
    st.session_state[PRESENTER_KEY] = bool(st.session_state[PRESENTER_WIDGET])


def _toggle_presenter() -> None:
    st.session_state[PRESENTER_KEY] = not presenter()


# --- undo and redo ---------------------------------------------------------------------------


def history() -> History[Scenario]:
    """The session's scenario history (the link's scenario is its start, not a step)."""
    found: History[Scenario] | None = st.session_state.get(HISTORY_KEY)
    return found if found is not None else History(present=current_scenario())


def _record_history(scenario: Scenario) -> None:
    """Every change of the scenario since the last run (slider, preset, reset, story, ...) is a step."""
    st.session_state[HISTORY_KEY] = record(history(), scenario)


def undo_scenario() -> None:
    """Callback: back to the scenario before the last change."""
    moved = undo(history())
    st.session_state[HISTORY_KEY] = moved
    change_scenario(moved.present)


def redo_scenario() -> None:
    """Callback: forward again to the scenario last undone."""
    moved = redo(history())
    st.session_state[HISTORY_KEY] = moved
    change_scenario(moved.present)


def _on_rebuild() -> None:
    st.session_state[REBUILD_ERROR_KEY] = rebuild_data()


def presenter() -> bool:
    """True in presenter view: captions and tables are hidden for a clean board demo."""
    return bool(st.session_state.get(PRESENTER_KEY, False))


def how_to_read(text: str) -> None:
    """A short 'how to read this' caption, hidden in presenter view."""
    if not presenter():
        st.caption(f"**How to read this.** {text}")


def show_table(frame: pd.DataFrame, *, digits: int = 2, **kwargs: Any) -> None:
    """A table with floats rounded for reading, hidden in presenter view."""
    if presenter():
        return
    floats = {
        c: st.column_config.NumberColumn(format=f"%.{digits}f") for c in frame.select_dtypes("float").columns
    }
    st.dataframe(
        frame, hide_index=True, column_config={**floats, **kwargs.pop("column_config", {})}, **kwargs
    )


def metric_grid(cards: list[dict[str, Any]], per_row: int = 4) -> None:
    """Bordered st.metric cards, ``per_row`` to a row (see components.analysis.metric)."""
    for start in range(0, len(cards), per_row):
        for column, card in zip(st.columns(per_row), cards[start : start + per_row], strict=False):
            column.metric(border=True, **card)


# --- snapshots (Compare page) ----------------------------------------------------------------

SNAPSHOTS_KEY, SNAPSHOT_NAME_KEY, SNAPSHOT_LIMIT = "snapshots", "snapshot_name", 8
CURRENT_NAME = "Current scenario"


def snapshots() -> dict[str, Scenario]:
    """The session's saved scenarios by name, oldest first."""
    saved: dict[str, Scenario] = st.session_state.setdefault(SNAPSHOTS_KEY, {})
    return saved


def save_snapshot() -> None:
    """Callback: store the current scenario under the typed name (cleaned, made unique)."""
    saved = snapshots()
    if len(saved) < SNAPSHOT_LIMIT:
        typed = str(st.session_state.get(SNAPSHOT_NAME_KEY, ""))
        saved[clean_snapshot_name(typed, set(saved) | {CURRENT_NAME})] = current_scenario()
    st.session_state[SNAPSHOT_NAME_KEY] = ""


def remove_snapshot(name: str) -> None:
    """Callback: forget one snapshot."""
    snapshots().pop(name, None)


# --- URL -------------------------------------------------------------------------------------


def _restore_from_url(base: Scenario) -> None:
    """First run of a session: the scenario and presenter flag from the query string."""
    problems: list[str] = []
    single: dict[str, str] = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        spec = SPECS.get(key)
        if spec is not None and len(values) > 1:
            problems.append(f"{spec.label}: given more than once, so ignored")
        elif values:
            single[key] = values[-1]
    try:
        scenario, found = scenario_from_query(single, base=base)
    except ValueError:
        scenario, found = base, ["The link's scenario could not be read, so Current plans is shown"]
    problems.extend(found + restore_system())
    st.session_state[SCENARIO_KEY] = scenario
    from components import story_ui  # story_ui builds on this module

    story_error = story_ui.restore_from_link(single, base)
    if story_error:
        st.session_state[STORY_LINK_ERROR_KEY] = story_error
    elif story_ui.story() and not any(key in SPECS for key in single):
        st.session_state[SCENARIO_KEY] = story_ui.story()[story_ui.position()].scenario
    st.session_state[PRESENTER_KEY] = single.get("presenter") == "1"
    if "v" in single:
        note = describe_update(single["v"], stamp(get_inputs()))
        if note:
            st.session_state[VERSION_NOTE_KEY] = note
    if problems:
        st.session_state[PROBLEMS_KEY] = problems


def _query(scenario: Scenario, base: Scenario) -> dict[str, str]:
    from components import story_ui

    query = scenario_to_query(scenario, base)
    if presenter():
        query["presenter"] = "1"
    query.update(system_query())
    query.update(story_ui.query_part())
    return stamped(query)


def stamped(query: dict[str, str]) -> dict[str, str]:
    """A link's query with the version stamp last (no stamp on a bare link: nothing to date)."""
    return {**query, "v": stamp(get_inputs())} if query else query


def _sync_url(query: dict[str, str]) -> None:
    """Mirror the scenario into the address bar (only when it differs, to avoid churn)."""
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in query.items()}:
        st.query_params.from_dict(query)


def share_link(query: dict[str, str]) -> str:
    """The full address of this page with the scenario in its query string."""
    url = st.context.url or ""
    return f"{url}?{urlencode(query)}" if query else (url or "(this page's address)")


def snapshot_link(scenario: Scenario) -> str:
    """A shareable link that opens this page with the given scenario."""
    query = stamped(scenario_to_query(scenario, get_presets()[BASELINE_NAME]))
    url = st.context.url or ""
    return f"{url}?{urlencode(query)}" if query else (url or "(the app's address)")


def scenario_share_link(scenario: Scenario) -> str:
    """The share link of a scenario as the board pack prints it (the app's address if none is known)."""
    query = stamped(scenario_to_query(scenario, get_presets()[BASELINE_NAME]))
    url = st.context.url or "http://localhost:8501/"
    return f"{url}?{urlencode(query)}" if query else url


# --- data errors -----------------------------------------------------------------------------


def require_inputs() -> Inputs:
    """The model inputs, or a clear error with a Rebuild button (and the page stops)."""
    try:
        return get_inputs()
    except DataError as exc:
        st.error("The explorer's data could not be loaded. Nothing below can be shown until it is fixed.")
        st.code(str(exc), language=None, wrap_lines=True)
        failed = st.session_state.pop(REBUILD_ERROR_KEY, None)
        if failed:
            st.error("Rebuilding from data/raw failed too:")
            st.code(str(failed), language=None, wrap_lines=True)
        st.button("Rebuild data", on_click=_on_rebuild, type="primary", icon=":material/build:")
        st.stop()
        raise  # unreachable: st.stop() ends the run


# --- the sidebar -----------------------------------------------------------------------------


def _slider(spec: Parameter, scenario: Scenario, *, key: str | None = None) -> None:
    key = key or spec.name
    st.session_state[key] = to_widget(spec, getattr(scenario, spec.name))
    assert spec.low is not None
    assert spec.high is not None
    assert spec.step is not None
    st.slider(
        spec.label,
        min_value=to_widget(spec, spec.low),
        max_value=to_widget(spec, spec.high),
        step=to_widget(spec, spec.step),
        format=_slider_format(spec),
        key=key,
        help=f"{spec.unit}. Source: {spec.source}",
        on_change=_on_slider,
        args=(spec.name, key),
    )


def _history_buttons(*, prefix: str = "", shortcuts: bool = True, inline: bool = False) -> None:
    """Undo and Redo side by side (keyboard: Ctrl+Z and Ctrl+Y, bound once per page).

    ``inline`` draws them into the enclosing horizontal container; otherwise they are stacked
    full width, so the shortcut beside each label has room in the sidebar.
    """
    past, future = history().can_undo, history().can_redo
    left, right = st, st
    width: Any = "content" if inline else "stretch"
    left.button(
        "Undo",
        key=f"{prefix}undo",
        on_click=undo_scenario,
        icon=":material/undo:",
        width=width,
        disabled=not past,
        shortcut="Ctrl+Z" if shortcuts else None,
        help="Back to the scenario before the last change.",
    )
    right.button(
        "Redo",
        key=f"{prefix}redo",
        on_click=redo_scenario,
        icon=":material/redo:",
        width=width,
        disabled=not future,
        shortcut="Ctrl+Y" if shortcuts else None,
        help="Forward again to the scenario you undid.",
    )


def _presenter_bar(scenario: Scenario, base: Scenario) -> None:
    """Presenter view: the policy levers in one compact row above the page, the rest in a popover."""
    levers = [p for p in scenario_parameters() if p.kind == "lever"]
    with st.container(key="presenter_bar"):
        *slots, tools = st.columns([1] * len(levers) + [2], vertical_alignment="bottom")
        for column, spec in zip(slots, levers, strict=True):
            with column:
                _slider(spec, scenario, key=f"{BAR_PREFIX}{spec.name}")
        with tools:
            with st.container(horizontal=True, vertical_alignment="center"):
                with st.popover("Assumptions", icon=":material/tune:"):
                    for spec in scenario_parameters():
                        if spec.kind != "lever":
                            _slider(spec, scenario, key=f"{BAR_PREFIX}{spec.name}")
                scenario_view("bar_tools", lambda: _bar_tools(base))
            pv.predict_toggle()


def _bar_tools(base: Scenario) -> None:
    """The presenter bar's Undo, Redo and Reset, whose state follows the scenario (in a row of
    their own: a fragment is one block in the row around it)."""
    with st.container(horizontal=True, vertical_alignment="center"):
        _history_buttons(prefix=BAR_PREFIX, shortcuts=False, inline=True)
        st.button(
            "Reset",
            key=f"{BAR_PREFIX}reset",
            on_click=change_scenario,
            args=(base,),
            icon=":material/restart_alt:",
            disabled=current_scenario() == base,
            help=f"Back to {BASELINE_NAME}.",
        )


def _notices() -> None:
    """One-off messages for this page: link problems, the user's own data, the version, the story."""
    problems = st.session_state.pop(PROBLEMS_KEY, None)
    if problems:
        st.warning(
            "Some settings in the link were not valid and were ignored; the defaults are shown instead.\n\n"
            + "\n".join(f"- {p}" for p in problems)
        )
    upload_banner()
    version_note = st.session_state.pop(VERSION_NOTE_KEY, None)
    if version_note:
        st.info(version_note, icon=":material/update:")  # generated text; the stamp is never echoed
    story_error = st.session_state.pop(STORY_LINK_ERROR_KEY, None)
    if story_error:
        st.error(story_error, icon=":material/error:")  # generated text, never the link's own


def render_sidebar() -> Scenario:
    """Draw the scenario controls in the sidebar and return the session's Scenario."""
    inputs = require_inputs()
    named = get_presets()
    base = named[BASELINE_NAME]
    if SCENARIO_KEY not in st.session_state:
        _restore_from_url(base)
    st.session_state[VIEWS_KEY] = []  # this run's scenario views register again as they are drawn
    _notices()
    scenario = current_scenario()
    presenting = presenter()
    pv.inject_css(presenting)
    # The shortcut P switches presenter view on and off (the button itself is hidden by CSS).
    st.button("Presenter view", key="presenter_shortcut", on_click=_toggle_presenter, shortcut="P")
    if presenting:
        _presenter_bar(scenario, base)
    from components import story_ui

    scenario_view("story_bar", story_ui.story_bar)

    render_menu()
    with st.sidebar:
        scenario_view("preset_box", lambda: _preset_box(named))
        st.subheader("Policy levers")
        levers = [p for p in scenario_parameters() if p.kind == "lever"]
        for spec in levers:
            _slider(spec, scenario)
        with st.expander("Assumptions", expanded=True, icon=":material/tune:"):
            for spec in scenario_parameters():
                if spec.kind == "lever":
                    continue
                _slider(spec, scenario)
                if spec.name == "demand_growth":
                    fitted = inputs.baselines["demand_growth"] * 100
                    se = inputs.baselines["demand_growth_se"] * 100
                    st.caption(
                        f"Fitted from the data: **{fitted:.2f}%** a year (standard error {se:.2f} points)."
                    )
        scenario_view("scenario_tools", lambda: _scenario_tools(base))
        st.session_state[PRESENTER_WIDGET] = presenting
        st.toggle(
            "Presenter view",
            key=PRESENTER_WIDGET,
            on_change=_on_presenter,
            help="A projector view: the levers in a bar above the page, large type, no notes or tables. "
            "Shortcut: P.",
        )
        if not presenting:
            pv.predict_toggle()
    return scenario


def _preset_box(named: dict[str, Scenario]) -> None:
    """The preset picker, showing the preset the scenario matches (or Custom scenario)."""
    scenario = current_scenario()
    st.session_state[PRESET_WIDGET] = next((name for name, s in named.items() if s == scenario), CUSTOM)
    st.selectbox(
        "Scenario preset",
        [CUSTOM, *named],
        key=PRESET_WIDGET,
        on_change=_on_preset,
        help="Named scenarios; Current plans is the baseline every chart compares against.",
    )


def _scenario_tools(base: Scenario) -> None:
    """Undo, Redo, Reset and the share link, which follow the scenario; records each change as a
    step and mirrors the scenario into the address bar."""
    scenario = current_scenario()
    _record_history(scenario)
    _history_buttons()
    st.button(
        f"Reset to {BASELINE_NAME}",
        on_click=change_scenario,
        args=(base,),
        icon=":material/restart_alt:",
        width="stretch",
        disabled=scenario == base,
    )
    query = _query(scenario, base)
    # The link is drawn only while the box is open: a code block is the browser's heaviest
    # element to load (about 0.8 s on a cold start) and would redraw on every lever move.
    with st.expander("Share this scenario", icon=":material/link:", key=SHARE_KEY, on_change="rerun") as box:
        if box.open:
            st.caption("Copy this link to open the explorer with the same settings.")
            st.code(share_link(query), language=None, wrap_lines=True)
    _sync_url(query)
