"""Story mode in the app: the story bar on every page, opening stories from links and files,
and the builder on the Compare page. The story itself is ``components.story`` (pure).

State: the steps, their link token and the step shown, in three session-state keys. A step
only sets the session's scenario (so Undo works across steps, and every chart draws it
against Current plans as usual).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.controls import (
    BASELINE_NAME,
    SNAPSHOTS_KEY,
    current_scenario,
    set_scenario,
    share_link,
    snapshots,
    stamped,
    whole_app,
)
from components.story import MAX_STEPS, Step, StoryError, decode, encode, from_json, make_story, to_json
from ics_model import Scenario

STORY_KEY, TOKEN_KEY, POS_KEY = "story", "_story_token", "story_pos"
ERROR_KEY = "_story_error"
UPLOAD_KEY = "story_upload"


def story() -> tuple[Step, ...]:
    """The session's story (empty if none)."""
    steps: tuple[Step, ...] = st.session_state.get(STORY_KEY, ())
    return steps


def position() -> int:
    return int(st.session_state.get(POS_KEY, 0))


def start(steps: tuple[Step, ...], base: Scenario, at: int = 0) -> None:
    """Make ``steps`` the session's story and show step ``at``."""
    st.session_state[STORY_KEY] = steps
    st.session_state[TOKEN_KEY] = encode(steps, base)
    go_to(at)


def go_to(index: int) -> None:
    """Callback: show one step of the story."""
    steps = story()
    if steps:
        index = min(max(index, 0), len(steps) - 1)
        st.session_state[POS_KEY] = index
        set_scenario(steps[index].scenario)


def end() -> None:
    """Callback: leave the story (the scenario on screen stays)."""
    for key in (STORY_KEY, TOKEN_KEY, POS_KEY):
        st.session_state.pop(key, None)


def query_part() -> dict[str, str]:
    """The story's part of the address bar: the token and the step (1-based)."""
    token = st.session_state.get(TOKEN_KEY)
    return {"story": token, "step": str(position() + 1)} if token and story() else {}


def story_link() -> str:
    """A link that opens the story at its first step."""
    token = st.session_state.get(TOKEN_KEY)
    return share_link(stamped({"story": token})) if token else ""


def restore_from_link(params: dict[str, str], base: Scenario) -> str | None:
    """First run: open the story in the link at its step; an error message if it cannot be read."""
    token = params.get("story")
    if token is None:
        return None
    try:
        steps = decode(token, base)
    except StoryError as exc:
        return f"{exc} The explorer opened without it."
    step = params.get("step", "1")
    index = int(step) - 1 if step.isascii() and step.isdigit() and len(step) <= 2 else 0
    start(steps, base, min(max(index, 0), len(steps) - 1))
    return None


# --- the bar on every page ---------------------------------------------------------------------


def story_bar() -> None:
    """Step n of N with its name and note, Previous and Next (only while a story is open)."""
    steps = story()
    if not steps:
        return
    i, n = position(), len(steps)
    step = steps[i]
    with st.container(border=True, key="story_bar"):
        text, prev_col, next_col, end_col = st.columns([6, 1.2, 1.2, 1.2], vertical_alignment="center")
        with text:
            st.progress((i + 1) / n, text=f"**Story: {i + 1} of {n}**")
            st.text(step.name + (f": {step.note}" if step.note else ""))  # user text: plain only
            if current_scenario() != step.scenario:
                st.caption("The levers have been moved since this step was shown.")
        prev_col.button(
            "Previous",
            key="story_prev",
            on_click=whole_app(go_to),
            args=(i - 1,),
            disabled=i == 0,
            width="stretch",
            icon=":material/chevron_left:",
        )
        next_col.button(
            "Next",
            key="story_next",
            on_click=whole_app(go_to),
            args=(i + 1,),
            disabled=i == n - 1,
            width="stretch",
            icon=":material/chevron_right:",
            type="primary",
        )
        end_col.button("End story", key="story_end", on_click=whole_app(end), width="stretch")


# --- the builder (Compare page) ------------------------------------------------------------------


def _from_snapshots(base: Scenario) -> None:
    saved = snapshots()
    named = [
        (name, str(st.session_state.get(f"story_note_{i}", "")), scenario)
        for i, (name, scenario) in enumerate(saved.items())
    ]
    try:
        start(make_story(named), base)
    except StoryError as exc:
        st.session_state[ERROR_KEY] = str(exc)


def _on_upload(base: Scenario) -> None:
    uploaded: Any = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        return
    try:
        steps = from_json(uploaded.getvalue(), base)
    except StoryError as exc:
        st.session_state[ERROR_KEY] = f"{exc} The story you had is unchanged."
        return
    start(steps, base)


def story_builder(base: Scenario) -> None:
    """Notes for each snapshot, "Present as a story", the story's link, JSON download and upload."""
    st.subheader("Story")
    saved = snapshots() if SNAPSHOTS_KEY in st.session_state else {}
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(error, icon=":material/error:")
    if saved:
        st.caption(
            f"Add a one-line note to each snapshot, then present them in order (up to {MAX_STEPS}); "
            f"every chart draws each step against {BASELINE_NAME}."
        )
        for i, name in enumerate(saved):
            note_col, name_col = st.columns([3, 1], vertical_alignment="bottom")
            name_col.text(name)
            note_col.text_input(
                f"Note for snapshot {i + 1}",
                key=f"story_note_{i}",
                max_chars=140,
                placeholder="One line for the board",
            )
        st.button(
            "Present these snapshots as a story",
            key="story_make",
            on_click=whole_app(_from_snapshots),
            args=(base,),
            type="primary",
            icon=":material/slideshow:",
            disabled=len(saved) > MAX_STEPS,
        )
    steps = story()
    if steps:
        st.markdown(f"**The story's link** ({len(steps)} steps): opens it at the first step.")
        st.code(story_link(), language=None, wrap_lines=True)
        st.download_button(
            "Story (JSON)",
            data=to_json(steps, base),
            file_name="ics_story.json",
            mime="application/json",
            key="story_json",
            on_click="ignore",
            icon=":material/download:",
        )
    st.file_uploader(
        "Open a story file (JSON)",
        type=["json"],
        key=UPLOAD_KEY,
        on_change=whole_app(_on_upload),
        args=(base,),
        help="A story saved from this page. It replaces the story you have only if it can be read.",
    )
