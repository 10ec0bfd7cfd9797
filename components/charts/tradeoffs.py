"""Trade-off charts: the heat map over two levers and the tornado."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    FONT_SIZE,
    HISTORY_BLACK,
    NHS_BLUE,
    NHS_DARK_BLUE,
    ORANGE,
    SKY_BLUE,
    SOLID,
    finish,
    label_limit,
)

# --- Trade-offs ----------------------------------------------------------------------------


def zero_gap_line(grid: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Where the gap crosses zero along each column of a regular grid (linear interpolation)."""
    xs_all, ys_all, gaps_all = (grid[c].to_numpy(float) for c in (x, y, "gap_bn"))
    order = np.lexsort((ys_all, xs_all))  # by x, then y
    xs_all, ys_all, gaps_all = xs_all[order], ys_all[order], gaps_all[order]
    x_values, starts = np.unique(xs_all, return_index=True)
    found_x, found_y = [], []
    for x_value, ys, gaps in zip(
        x_values, np.split(ys_all, starts[1:]), np.split(gaps_all, starts[1:]), strict=True
    ):
        sign_change = np.flatnonzero(np.sign(gaps[:-1]) != np.sign(gaps[1:]))
        if sign_change.size:
            i = int(sign_change[0])
            y0, y1, g0, g1 = ys[i], ys[i + 1], gaps[i], gaps[i + 1]
            found_x.append(x_value)
            found_y.append(y0 + (y1 - y0) * g0 / (g0 - g1) if g1 != g0 else y0)
    return pd.DataFrame({x: np.asarray(found_x, float), y: np.asarray(found_y, float)}, columns=[x, y])


def colour_limit(gaps: pd.Series) -> float:
    """The colour scale's half-width: the largest gap rounded up to a whole step (10 £bn above
    £10bn), so the scale stays put while a slider moves and the chart is not rebuilt."""
    largest = float(np.nanmax(np.abs(gaps.to_numpy()))) if len(gaps) else 0.0
    step = 10.0 if largest > 10 else 1.0
    return max(step, float(np.ceil(largest / step) * step))


def tradeoff_heatmap(
    grid: pd.DataFrame,
    zero_line: pd.DataFrame,
    points: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    title: str,
) -> Figure:
    """The gap at the horizon over two levers, the zero-gap line, the scenario and the baseline."""
    x_at, y_at = grid[x].to_numpy(float), grid[y].to_numpy(float)
    xs, ys = np.unique(x_at), np.unique(y_at)
    dx = float(xs[1] - xs[0]) / 2 if xs.size > 1 else 0.5
    dy = float(ys[1] - ys[0]) / 2 if ys.size > 1 else 0.5
    # Cells overlap by 5% so anti-aliasing leaves no hairline seams between them. Built from
    # plain arrays: this runs on every slider move.
    cells = pd.DataFrame(
        {
            **{column: grid[column].to_numpy() for column in grid.columns},
            "x_lo": x_at - dx,
            "x_hi": x_at + 1.05 * dx,
            "y_lo": y_at - dy,
            "y_hi": y_at + 1.05 * dy,
        }
    )
    label = points["label"].to_numpy(object)
    data = {
        "cells": cells,
        "zero": zero_line.assign(series="Gap = 0"),
        "scenario": points[label == "Scenario"],
        "baseline": points[label == BASELINE_NAME],
    }
    domains = (float(xs[0] - dx), float(xs[-1] + dx), float(ys[0] - dy), float(ys[-1] + dy))
    axes = {"x": x, "y": y, "x_title": x_title, "y_title": y_title, "title": title}
    return Figure(_tradeoff_heatmap(domains, colour_limit(grid["gap_bn"]), **axes), data)


@template
def _tradeoff_heatmap(
    domains: tuple[float, float, float, float],
    limit: float,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    title: str,
) -> alt.LayerChart:
    x_low, x_high, y_low, y_high = domains
    heat = (
        alt.Chart(named("cells"))
        .mark_rect()
        .encode(
            alt.X("x_lo:Q").title(x_title).scale(domain=[x_low, x_high], nice=False).axis(tickCount=12),
            alt.X2("x_hi:Q"),
            alt.Y("y_lo:Q").title(y_title).scale(domain=[y_low, y_high], nice=False).axis(tickCount=12),
            alt.Y2("y_hi:Q"),
            alt.Color("gap_bn:Q")
            .title("Gap (£bn)")
            .scale(scheme="blueorange", domain=[-limit, limit], domainMid=0)
            .legend(orient="right", gradientLength=300),
            tooltip=[
                alt.Tooltip(f"{x}:Q", title=x_title, format=".2f"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=".2f"),
                alt.Tooltip("gap_bn:Q", title="Gap at horizon (£bn)", format=",.1f"),
                alt.Tooltip("gap_pct:Q", title="Gap (% of funding)", format=".1f"),
            ],
        )
    )
    zero = (
        alt.Chart(named("zero"))
        .mark_line(color=HISTORY_BLACK, strokeWidth=3)
        .encode(
            alt.X(f"{x}:Q"),
            alt.Y(f"{y}:Q"),
            alt.Order(f"{x}:Q"),
            tooltip=[alt.Tooltip("series:N", title="Line")],
        )
    )
    point_tooltip = [
        alt.Tooltip("label:N", title="Point"),
        alt.Tooltip(f"{x}:Q", title=x_title, format=".2f"),
        alt.Tooltip(f"{y}:Q", title=y_title, format=".2f"),
        alt.Tooltip("gap_bn:Q", title="Gap at horizon (£bn)", format=",.1f"),
    ]
    base_mark = (
        alt.Chart(named("baseline"))
        .mark_point(
            shape="diamond", size=260, filled=True, color=BASELINE_GREY, stroke="white", strokeWidth=1.5
        )
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), tooltip=point_tooltip)
    )
    scen_mark = (
        alt.Chart(named("scenario"))
        .mark_point(shape="circle", size=520, filled=False, color=NHS_BLUE, strokeWidth=4)
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), tooltip=point_tooltip)
    )
    label_style: dict[str, Any] = {"align": "left", "dx": 16, "fontSize": FONT_SIZE, "fontWeight": "bold"}
    base_text = (
        alt.Chart(named("baseline"))
        .mark_text(dy=16, color="#425563", **label_style)
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), alt.Text("label:N"))
    )
    scen_text = (
        alt.Chart(named("scenario"))
        .mark_text(dy=-16, color=NHS_DARK_BLUE, **label_style)
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), alt.Text("label:N"))
    )
    return finish(alt.layer(heat, zero, base_mark, scen_mark, base_text, scen_text, title=title), height=400)


def tornado(frame: pd.DataFrame, scenario_gap: float, baseline_gap: float, *, title: str) -> Figure:
    """Each lever's low and high effect on the gap at the horizon, widest first."""
    low, high = frame["low_gap_bn"].to_numpy(float), frame["high_gap_bn"].to_numpy(float)
    width = np.abs(high - low)
    n = len(frame)
    long = pd.DataFrame(
        {
            "label": np.tile(frame["label"].to_numpy(object), 2),
            "end": ["Low value"] * n + ["High value"] * n,
            "gap_bn": np.concatenate([low, high]),
            "setting": np.concatenate(
                [frame["low_shown"].to_numpy(object), frame["high_shown"].to_numpy(object)]
            ),
            "width": np.tile(width, 2),
            "scenario_gap": np.full(2 * n, scenario_gap),
        }
    )
    rules = pd.DataFrame({"series": ["Scenario", BASELINE_NAME], "gap_bn": [scenario_gap, baseline_gap]})
    return Figure(_tornado(title, len(frame)), {"bars": long, "rules": rules})


@template
def _tornado(title: str, levers: int) -> alt.LayerChart:
    # Widest first, sorted in the browser so the order is data, not spec.
    order = alt.EncodingSortField(field="width", op="max", order="descending")
    y = alt.Y("label:N", sort=order).title(None).axis(labelLimit=label_limit(320))
    bars = (
        alt.Chart(named("bars"))
        .mark_bar(opacity=0.9)
        .encode(
            y,
            alt.X("gap_bn:Q").title("Gap at horizon, £bn").axis(tickCount=10),
            alt.X2("scenario_gap:Q"),
            alt.Color("end:N")
            .scale(domain=["Low value", "High value"], range=[SKY_BLUE, ORANGE])
            .title(None),
            tooltip=[
                alt.Tooltip("label:N", title="Lever"),
                alt.Tooltip("end:N", title="End"),
                alt.Tooltip("setting:N", title="Setting"),
                alt.Tooltip("gap_bn:Q", title="Gap at horizon (£bn)", format=",.1f"),
            ],
        )
    )
    rule = (
        alt.Chart(named("rules"))
        .mark_rule(strokeWidth=3)
        .encode(
            alt.X("gap_bn:Q"),
            alt.Color("series:N")
            .scale(domain=["Scenario", BASELINE_NAME], range=[NHS_BLUE, BASELINE_GREY])
            .legend(None),
            alt.StrokeDash("series:N")
            .scale(domain=["Scenario", BASELINE_NAME], range=[SOLID, BASELINE_DASH])
            .legend(None),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.1f"),
            ],
        )
    )
    chart = alt.layer(bars, rule, title=title).resolve_scale(color="independent", strokeDash="independent")
    return finish(chart, height=34 * levers)
