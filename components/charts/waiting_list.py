"""Waiting-list charts: RTT history and projection, flows, the 18-week standard."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from components.charts._spec import Figure, named, per_table, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    FONT_SIZE,
    HISTORY_BLACK,
    NHS_BLUE,
    ORANGE,
    SOLID,
    VERMILLION,
    finish,
    series_scales,
)

# --- Waiting list --------------------------------------------------------------------------


def month_starts(months: pd.Series) -> pd.DatetimeIndex:
    """'YYYY-MM' text as the first day of each month."""
    return pd.DatetimeIndex(pd.to_datetime(months, format="%Y-%m"))


def _long(months: Any, series: str, values: np.ndarray) -> dict[str, Any]:
    return {
        "month": np.asarray(months, dtype="datetime64[ns]"),
        "series": [series] * len(values),
        "value": values,
    }


def waiting_list_frames(
    rtt: pd.DataFrame, projection: pd.DataFrame, baseline: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lines in millions (history, scenario, baseline) and the scenario's band, monthly."""
    parts = [
        _history_lines(rtt),
        _long(projection["month"], "Scenario", projection["waiting_list"].to_numpy() / 1e6),
        _long(baseline["month"], BASELINE_NAME, baseline["waiting_list"].to_numpy() / 1e6),
    ]
    lines = pd.DataFrame(
        {key: np.concatenate([np.asarray(p[key]) for p in parts]) for key in ("month", "series", "value")}
    )
    band = pd.DataFrame(
        {
            "month": projection["month"].to_numpy(),
            **{
                column: projection[column].to_numpy() / 1e6
                for column in ("lower", "upper", "lower95", "upper95")
            },
        }
    )
    return lines, band


@per_table
def _history_lines(rtt: pd.DataFrame) -> dict[str, Any]:
    history = rtt.dropna(subset=["incomplete_pathways"])
    return _long(
        month_starts(history["month"]), WAITING_SERIES[0], history["incomplete_pathways"].to_numpy() / 1e6
    )


WAITING_SERIES = ["Actual (NHS England RTT)", "Scenario", BASELINE_NAME]


def waiting_list_chart(lines: pd.DataFrame, band: pd.DataFrame, feb_2020_m: float, *, title: str) -> Figure:
    """RTT waiting list: history, the scenario with its bands, the baseline and February 2020."""
    ref = pd.DataFrame({"value": [feb_2020_m], "label": [f"February 2020: {feb_2020_m:.2f}m"]})
    return Figure(_waiting_list_chart(title), {"band": band, "lines": lines, "ref": ref})


@template
def _waiting_list_chart(title: str) -> alt.LayerChart:
    scales = series_scales(
        WAITING_SERIES, [HISTORY_BLACK, NHS_BLUE, BASELINE_GREY], [SOLID, SOLID, BASELINE_DASH]
    )
    x = alt.X("month:T").title(None).axis(format="%Y", formatType="time", tickCount=12)
    band95 = (
        alt.Chart(named("band"))
        .mark_area(opacity=0.12, color=NHS_BLUE)
        .encode(x, alt.Y("lower95:Q"), alt.Y2("upper95:Q"))
    )
    band80 = (
        alt.Chart(named("band"))
        .mark_area(opacity=0.25, color=NHS_BLUE)
        .encode(
            x,
            alt.Y("lower:Q"),
            alt.Y2("upper:Q"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("lower:Q", title="80% low (million)", format=".2f"),
                alt.Tooltip("upper:Q", title="80% high (million)", format=".2f"),
                alt.Tooltip("lower95:Q", title="95% low (million)", format=".2f"),
                alt.Tooltip("upper95:Q", title="95% high (million)", format=".2f"),
            ],
        )
    )
    line = (
        alt.Chart(named("lines"))
        .mark_line(strokeWidth=3)
        .encode(
            x,
            alt.Y("value:Q").title("Waiting list, million pathways"),
            scales["color"],
            scales["strokeDash"],
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title="Million pathways", format=".2f"),
            ],
        )
    )
    rule = (
        alt.Chart(named("ref"))
        .mark_rule(color=VERMILLION, strokeDash=[2, 3], strokeWidth=2)
        .encode(alt.Y("value:Q"), tooltip=[alt.Tooltip("label:N", title="Reference")])
    )
    text = (
        alt.Chart(named("ref"))
        .mark_text(align="left", x=6, dy=-10, fontSize=FONT_SIZE, color=VERMILLION)
        .encode(alt.Y("value:Q"), alt.Text("label:N"))
    )
    return finish(alt.layer(band95, band80, line, rule, text, title=title), height=380)


FLOW_SERIES = [
    "Referrals (scenario)",
    "Completions and removals (scenario)",
    f"Referrals: {BASELINE_NAME}",
    f"Completions and removals: {BASELINE_NAME}",
]


def flows_frame(projection: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    """Referrals and completions a year (million), complete fiscal years only, scenario and baseline."""
    labels: list[str] = []
    names: list[str] = []
    values: list[np.ndarray] = []
    for frame, suffix in ((projection, " (scenario)"), (baseline, f": {BASELINE_NAME}")):
        referrals = frame["referrals"].to_numpy(float)
        kept = ~np.isnan(referrals)
        months = frame["month"].to_numpy("datetime64[M]")[kept].astype(int)  # months since 1970
        start = months // 12 + 1970 - (months % 12 < 3)  # the April that starts each fiscal year
        years, first, counts = np.unique(start, return_index=True, return_counts=True)
        whole = counts == 12
        year_labels = [f"{y}/{(y + 1) % 100:02d}" for y in years[whole]]
        for column, name in (("referrals", "Referrals"), ("completions", "Completions and removals")):
            totals = np.add.reduceat(frame[column].to_numpy(float)[kept], first)[whole] / 1e6
            labels += year_labels
            names += [name + suffix] * len(year_labels)
            values.append(totals)
    return pd.DataFrame({"fiscal_year": labels, "series": names, "value": np.concatenate(values)})


def flows_chart(flows: pd.DataFrame, *, title: str) -> Figure:
    """Referrals (clock starts) against completions and other removals, a year."""
    return Figure(_flows_chart(title), {"flows": flows})


@template
def _flows_chart(title: str) -> alt.Chart:
    scales = series_scales(
        FLOW_SERIES,
        [NHS_BLUE, ORANGE, BASELINE_GREY, BASELINE_GREY],
        [SOLID, SOLID, BASELINE_DASH, [2, 3]],
        columns=2,
    )
    chart = (
        alt.Chart(named("flows"), title=title)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            alt.X("fiscal_year:O").title(None).axis(labelAngle=-45),
            alt.Y("value:Q").title("Million pathways a year").scale(zero=False),
            scales["color"],
            scales["strokeDash"],
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fiscal_year:O", title="Year"),
                alt.Tooltip("value:Q", title="Million pathways", format=".2f"),
            ],
        )
    )
    return finish(chart, height=280)


def rtt_standard_chart(rtt: pd.DataFrame, standard: float, *, title: str) -> Figure:
    """Share of the waiting list within 18 weeks against the 92% constitutional standard."""
    return Figure(_rtt_standard_chart(title), _rtt_standard_data(rtt, standard))


@per_table
def _rtt_standard_data(rtt: pd.DataFrame, standard: float) -> dict[str, pd.DataFrame]:
    frame = rtt.dropna(subset=["pct_within_18wks"])
    data = pd.DataFrame(
        {
            "month": month_starts(frame["month"]),
            "pct": frame["pct_within_18wks"].to_numpy() * 100,
        }
    )
    ref = pd.DataFrame({"pct": [standard * 100], "label": [f"Standard: {standard * 100:.0f}%"]})
    return {"history": data, "ref": ref}


@template
def _rtt_standard_chart(title: str) -> alt.LayerChart:
    x = alt.X("month:T").title(None).axis(format="%Y", formatType="time", tickCount=12)
    line = (
        alt.Chart(named("history"))
        .mark_line(color=HISTORY_BLACK, strokeWidth=3)
        .encode(
            x,
            alt.Y("pct:Q").title("% within 18 weeks").scale(domain=[40, 100]),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("pct:Q", title="% within 18 weeks", format=".1f"),
            ],
        )
    )
    rule = (
        alt.Chart(named("ref"))
        .mark_rule(color=VERMILLION, strokeDash=[2, 3], strokeWidth=2)
        .encode(alt.Y("pct:Q"))
    )
    text = (
        alt.Chart(named("ref"))
        .mark_text(align="left", x=6, dy=-10, fontSize=FONT_SIZE, color=VERMILLION)
        .encode(alt.Y("pct:Q"), alt.Text("label:N"))
    )
    return finish(alt.layer(line, rule, text, title=title), height=280)
