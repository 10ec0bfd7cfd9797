"""Downloads of exactly what a chart or table shows: CSV, and the projection as Parquet too."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from ics_model import Projection
from ics_model.uploads import neutralise_formulas


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    # Text a spreadsheet would run as a formula (=HYPERLINK(...) in an uploaded table) is defused.
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8")


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def csv_download(frame: pd.DataFrame, file_name: str, *, label: str = "Download CSV", key: str) -> None:
    """A CSV download button; the file is generated only when clicked."""
    st.download_button(
        label,
        data=lambda: _csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def parquet_download(frame: pd.DataFrame, file_name: str, *, label: str, key: str) -> None:
    """A Parquet download of a frame, built only when clicked."""
    st.download_button(
        label,
        data=lambda: _parquet_bytes(frame),
        file_name=file_name,
        mime="application/vnd.apache.parquet",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def projection_downloads(projection: Projection, *, key: str) -> None:
    """The scenario's yearly gap and monthly waiting list as CSV and Parquet."""
    gap, waiting = projection.gap, projection.waiting_list
    cols = st.columns(4)
    with cols[0]:
        csv_download(gap, "ics_gap.csv", label="Gap by year (CSV)", key=f"{key}_gap_csv")
    with cols[1]:
        parquet_download(gap, "ics_gap.parquet", label="Gap by year (Parquet)", key=f"{key}_gap_parquet")
    with cols[2]:
        csv_download(waiting, "ics_waiting_list.csv", label="Waiting list (CSV)", key=f"{key}_wl_csv")
    with cols[3]:
        parquet_download(
            waiting, "ics_waiting_list.parquet", label="Waiting list (Parquet)", key=f"{key}_wl_parquet"
        )
