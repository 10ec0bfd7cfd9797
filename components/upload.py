"""The user's own data for this session only: the upload panel, the banner and the way back.

The checks are in ``ics_model.uploads`` (pure); this module keeps the result in
``st.session_state`` (never in a shared cache), so only the session that uploaded the file
sees it. ``components.cache.get_inputs`` returns those Inputs while they are in use, so every
page's model and charts are recomputed from them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.cache import SESSION_INPUTS_KEY, published_inputs
from ics_model.uploads import UPLOADABLE, Upload, inputs_with_table, read_upload

UPLOAD_KEY = "_upload_in_use"  # UploadInUse while the user's table replaces a published one
PROBLEMS_KEY = "_upload_problems"
TABLE_WIDGET = "upload_table"
FILE_WIDGET = "upload_file"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@dataclass(frozen=True)
class UploadInUse:
    """Which table this session replaced, from which file, and when."""

    table: str
    file_name: str
    uploaded_at: dt.datetime

    def banner_text(self) -> str:
        label = UPLOADABLE.get(self.table, self.table)
        return f"Using your {label} data from {self.file_name}, uploaded {self.uploaded_at:%H:%M}"


def plain(text: str, limit: int = 80) -> str:
    """Text from a user (a file name) made safe to show inside markdown: no links, no markup."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)[:limit]
    return _MARKDOWN.sub(r"\\\1", cleaned)


def in_use() -> UploadInUse | None:
    """The session's upload while it replaces a published table, else None."""
    current = st.session_state.get(UPLOAD_KEY)
    return current if isinstance(current, UploadInUse) else None


def use_published() -> None:
    """Callback: back to the published data (the upload is forgotten)."""
    st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(SESSION_INPUTS_KEY, None)
    st.session_state.pop(PROBLEMS_KEY, None)


def apply_upload(upload: Upload, now: dt.datetime | None = None) -> list[str]:
    """Use a checked upload for this session; the problems (and nothing changed) if it is bad."""
    if not upload.ok or upload.table is None:
        return [str(p) for p in upload.problems] or ["the file could not be used"]
    try:
        inputs = inputs_with_table(published_inputs(), upload.table_name, upload.table)
    except ValueError as exc:
        return [str(exc)]
    st.session_state[SESSION_INPUTS_KEY] = inputs
    st.session_state[UPLOAD_KEY] = UploadInUse(
        upload.table_name, upload.file_name, now or dt.datetime.now().astimezone()
    )
    return []


def banner() -> None:
    """On every page while the user's data are in use: what is in use and a way back."""
    current = in_use()
    if current is None:
        return
    text, button = st.columns([2.2, 1], vertical_alignment="center")
    text.info(plain(current.banner_text(), limit=160), icon=":material/upload_file:")
    button.button(
        "Back to the published data",
        on_click=use_published,
        key="upload_back",
        icon=":material/undo:",
        width="stretch",
    )


def _on_use(name: str, file_name: str, data: bytes) -> None:
    upload = read_upload(name, file_name, data)
    problems = apply_upload(upload) if upload.ok else [str(p) for p in upload.problems]
    st.session_state[PROBLEMS_KEY] = (file_name, problems)


def upload_panel() -> None:
    """The Assumptions & data page's upload: choose a table, a file, check and use it."""
    st.caption(
        "Replace one table with your own for this browser session only: nobody else sees it, and "
        "closing the tab or the button in the banner brings back the published data. CSV or Parquet "
        "with the table's columns (download a table below for the layout; rates as in the table), or "
        "NHS England's own RTT (.xlsx) and A&E (.xls) workbooks."
    )
    names = list(UPLOADABLE)
    choice = st.selectbox(
        "Table to replace",
        names,
        format_func=lambda n: f"{UPLOADABLE[n]} ({n})",
        key=TABLE_WIDGET,
    )
    file = st.file_uploader(
        "Your file",
        type=["csv", "parquet", "xlsx", "xls"],
        key=FILE_WIDGET,
        help="At most 5 MB. Checked against the table's schema before anything changes.",
    )
    if file is not None and st.button("Check and use this file", type="primary", icon=":material/check:"):
        with st.spinner("Checking the file and refitting the model…"):
            _on_use(choice, file.name, file.getvalue())
        st.rerun()  # so the banner, the sidebar and every chart use the new data
    outcome = st.session_state.get(PROBLEMS_KEY)
    if outcome:
        file_name, problems = outcome
        if problems:
            st.error(
                f"{plain(file_name)} was not used: {len(problems)} problem(s) found. Nothing has changed."
            )
            st.dataframe(pd.DataFrame({"problem": problems}), hide_index=True, width="stretch")
        elif in_use() is not None:
            st.success(f"{plain(file_name)} is in use for this session. Every page now uses it.")
