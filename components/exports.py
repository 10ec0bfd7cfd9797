"""Downloads of exactly what a chart or table shows: CSV, the projection as Parquet, charts as
PNG and SVG (rendered only when a button is pressed, so a slider move costs nothing extra)."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from components.cache import get_presets
from components.chart_export import DEFAULT_SOURCE, export_spec, scenario_subtitle, to_png, to_svg
from components.controls import BASELINE_NAME, current_scenario, scenario_share_link
from ics_model import Projection
from ics_model.uploads import neutralise_formulas

# A frame, or a function that builds it when its file is asked for.
FrameSource = pd.DataFrame | Callable[[], pd.DataFrame]


def _frame(source: FrameSource) -> pd.DataFrame:
    return source() if callable(source) else source


def _csv_bytes(source: FrameSource) -> bytes:
    # Text a spreadsheet would run as a formula (=HYPERLINK(...) in an uploaded table) is defused.
    return neutralise_formulas(_frame(source)).to_csv(index=False).encode("utf-8")


def _parquet_bytes(source: FrameSource) -> bytes:
    buffer = io.BytesIO()
    _frame(source).to_parquet(buffer, index=False)
    return buffer.getvalue()


def csv_download(frame: FrameSource, file_name: str, *, label: str = "Download CSV", key: str) -> None:
    """A CSV download button; the file (and the frame, if a function gives it) is made only when clicked."""
    st.download_button(
        label,
        data=lambda: _csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def parquet_download(frame: FrameSource, file_name: str, *, label: str, key: str) -> None:
    """A Parquet download of a frame (or of the frame a function gives), built only when clicked."""
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
    """The scenario's yearly gap and monthly waiting list as CSV and Parquet. The waiting list is
    projected only if its file is asked for (a page about money need not project it on every move)."""
    gap = projection.gap

    def waiting() -> pd.DataFrame:
        return projection.waiting_list

    # One row that wraps on a phone (a row, not columns: fewer elements to redraw on a move).
    with st.container(horizontal=True, gap="small", key=f"{key}_downloads"):
        csv_download(gap, "ics_gap.csv", label="Gap by year (CSV)", key=f"{key}_gap_csv")
        parquet_download(gap, "ics_gap.parquet", label="Gap by year (Parquet)", key=f"{key}_gap_parquet")
        csv_download(waiting, "ics_waiting_list.csv", label="Waiting list (CSV)", key=f"{key}_wl_csv")
        parquet_download(
            waiting, "ics_waiting_list.parquet", label="Waiting list (Parquet)", key=f"{key}_wl_parquet"
        )


# (extension, renderer, MIME type, help) of each chart file.
CHART_FILES = (
    ("png", to_png, "image/png", "The chart as a picture for slides (twice screen resolution)."),
    ("svg", to_svg, "image/svg+xml", "The chart as a scalable drawing."),
)


def chart_file_buttons(chart: Any, name: str, *, source: str = DEFAULT_SOURCE) -> None:
    """ "PNG" (2x) and "SVG" downloads of a chart (anything with ``to_dict()``, or a function
    that builds one when a file is asked for), for slides.

    The files carry the chart's title, the scenario as a subtitle and ``source``; they are
    rendered by vl-convert only when a button is pressed.
    """
    subtitle = scenario_subtitle(current_scenario(), get_presets()[BASELINE_NAME])

    def spec() -> dict[str, Any]:
        drawn = chart() if callable(chart) else chart
        return export_spec(drawn.to_dict(), subtitle=subtitle, source=source)

    with st.container(horizontal=True, gap="small", key=f"chart_dl_{name}"):
        for kind, render, mime, about in CHART_FILES:
            st.download_button(
                kind.upper(),
                data=partial(_file_bytes, render, spec),
                file_name=f"{name}.{kind}",
                mime=mime,
                key=f"{kind}_{name}",
                on_click="ignore",
                icon=":material/image:",
                help=about,
            )


def _file_bytes(render: Callable[[dict[str, Any]], bytes], spec: Callable[[], dict[str, Any]]) -> bytes:
    return render(spec())


def _pptx(projection: Projection, base: Projection, link: str) -> bytes:
    from components.board_pack import build_pptx  # python-pptx is imported only when a deck is made

    return build_pptx(projection, base, link=link)


def _pdf(projection: Projection, base: Projection, link: str) -> bytes:
    from components.board_pack import build_pdf  # fpdf2 likewise

    return build_pdf(projection, base, link=link)


def board_pack_downloads(projection: Projection, base: Projection) -> None:
    """The board pack (PowerPoint) and the one-page brief (PDF), built only when requested."""
    link = scenario_share_link(projection.scenario)
    st.subheader("For the board")
    with st.container(horizontal=True, gap="small", key="board_pack"):
        st.download_button(
            "Board pack (PowerPoint)",
            data=lambda: _pptx(projection, base, link),
            file_name="ics_board_pack.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="dl_board_pack",
            on_click="ignore",
            icon=":material/slideshow:",
            help="Headline figures, funding vs pressure, the gap and its drivers, the waiting list, "
            "assumptions and sources; every slide links back to this scenario.",
        )
        st.download_button(
            "One-page brief (PDF)",
            data=lambda: _pdf(projection, base, link),
            file_name="ics_brief.pdf",
            mime="application/pdf",
            key="dl_brief",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            help="The headline, two charts, the plain-English summary and the link, on one A4 page.",
        )
