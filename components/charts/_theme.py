"""Pure Altair chart builders: tidy frame in, chart out. No Streamlit here (tests check it).

One shape throughout: a named base chart, one named layer per mark, combined with ``+``;
explicit encoding types (fiscal years ``:O``, real dates ``:T``); tooltips with units;
one colour-blind-safe palette with NHS blue for the scenario and a grey dashed
"Current plans" baseline on every projection chart; fonts readable on a projector.
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt

# Palette: NHS blue for the scenario, NHS mid grey for the baseline, Okabe-Ito for the rest
# (Okabe & Ito 2008, distinguishable under the common colour-vision deficiencies).
NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
BASELINE_GREY = "#768692"
HISTORY_BLACK = "#231F20"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
BLUE = "#0072B2"
CATEGORICAL = [
    ORANGE,
    SKY_BLUE,
    GREEN,
    VERMILLION,
    PURPLE,
    BLUE,
    HISTORY_BLACK,
    YELLOW,
]  # yellow last: low contrast

BASELINE_NAME = "Current plans"
BASELINE_DASH = [6, 4]
SOLID: list[int] = []

FONT_SIZE = 14
TITLE_SIZE = 17
HEIGHT = 380


NARROW = "containerSize()[0] > 0 && containerSize()[0] < 560"  # a Vega test: the chart is on a phone


def label_limit(px: int, share: float = 0.45, *, phone_only: bool = False) -> Any:
    """At most ``px`` for an axis label, and at most ``share`` of the chart's container (never
    below 90 px), so on a phone long category names leave room for the bars; ``phone_only``:
    ``px`` on anything wider than a phone. Where there is no container (PNG and SVG files) the
    limit is ``px``."""
    size = "containerSize()[0]"
    share_of_width = f"max(90, {size} * {share})"
    if phone_only:
        return alt.ExprRef(f"{NARROW} ? {share_of_width} : {px}")
    return alt.ExprRef(f"{size} > 0 ? min({px}, {share_of_width}) : {px}")


# One theme for every chart, built once (chained configure_* calls deep-copy the whole chart).
THEME = alt.Config(
    axis=alt.AxisConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=label_limit(320)),
    legend=alt.LegendConfig(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="bottom", labelLimit=420, columns=3
    ),
    title=alt.TitleConfig(fontSize=TITLE_SIZE, anchor="start", subtitleFontSize=FONT_SIZE),
    header=alt.HeaderConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE),
    text=alt.MarkConfig(fontSize=FONT_SIZE),
    view=alt.ViewConfig(stroke=None),
)


def finish(chart: Any, *, height: int = HEIGHT) -> Any:
    """Apply the one theme: projector-size fonts, no chart border.

    ``height`` is the plotting area's: autosize "fit-x" fits the width to the page but adds
    axes, legend and title on top of the height (Streamlit's default "fit" squeezes them in).
    """
    # Set in place: the builder owns ``chart``, and .properties() would deep-copy it again.
    chart.height = height
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    chart.config = THEME
    return chart


def wrap_label(text: str, width: int = 12) -> str:
    """Break a category label into lines for ``WRAP`` (lines joined by '|')."""
    return "|".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


LEGEND_COLUMN_PX = 210  # a legend column's width at FONT_SIZE: symbol and a label of about 24 characters


def legend_columns(most: int) -> Any:
    """Up to ``most`` legend columns, as many as the chart's width holds (one on a phone), so
    a legend is never cut at the chart's edge. A Vega expression: the width is the browser's."""
    if most <= 1:
        return most
    return alt.ExprRef(f"max(1, min({most}, floor(width / {LEGEND_COLUMN_PX})))")


def series_scales(
    domain: list[str], colours: list[str], dashes: list[list[int]], *, columns: int = 3
) -> dict[str, Any]:
    """Colour and dash encodings sharing one legend for a fixed list of series."""
    legend = alt.Legend(
        title=None, symbolType="stroke", symbolStrokeWidth=3, symbolSize=400, columns=legend_columns(columns)
    )
    return {
        "color": alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), legend=legend),
        "strokeDash": alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=dashes), legend=legend),
    }


WRAP = "split(datum.label, '|')"  # Vega labelExpr for multi-line category labels (see wrap_label)
