"""Per-system charts: the map of the 42 systems, one system's funding and waiting list, its
place among the 42 and in its region. Frames in, ``Figure``s out (a cached spec and this run's data)."""

from __future__ import annotations

from typing import Any, ClassVar

import altair as alt
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    HISTORY_BLACK,
    NHS_BLUE,
    ORANGE,
    SOLID,
    VERMILLION,
    finish,
    label_limit,
    series_scales,
)
from components.charts.systems import sort_order
from ics_model import short_name

# Measure -> (title, number format, diverging around zero?)
MAP_MEASURES: dict[str, tuple[str, str, bool]] = {
    "gap_per_head": ("Gap at horizon per registered patient, £", ",.0f", True),
    "gap_pct_of_allocation": ("Gap at horizon, % of the system's funding", ",.1f", True),
    "distance_from_target_pct": ("Core distance from fair-shares target 2025/26, %", ",.1f", True),
    "local_demand_growth_pct": ("Local demand growth, % a year", ",.2f", False),
    "waiting_list_per_1000": ("Waiting list at horizon per 1,000 patients", ",.0f", False),
}
SELECT_NAME = "pick_system"
ATTRIBUTION = [
    "Boundaries: Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
    "Contains OS data © Crown copyright and database right 2023. ICBs of April 2023 to March 2026.",
]


def systems_view_frame(systems: pd.DataFrame, baseline_systems: pd.DataFrame) -> pd.DataFrame:
    """One row per system: short names and every map measure, with the baseline's gap per head."""
    frame = systems[
        [
            "icb_code",
            "icb_name",
            "region",
            "registered_population",
            "allocation_m",
            "allocation_per_head",
            "distance_from_target_pct",
            "local_demand_growth",
            "funding_m_at_horizon",
            "pressure_m_at_horizon",
            "gap_m_at_horizon",
            "gap_per_head",
            "gap_pct_of_allocation",
            "waiting_list_latest",
            "waiting_list_latest_month",
            "waiting_list_at_horizon",
            "waiting_list_per_1000",
            "icb_name_2026",
            "change_2026",
        ]
    ].copy()
    frame.insert(1, "name", frame["icb_name"].map(short_name))
    frame["region"] = frame["region"].str.removeprefix("NHS ").str.replace("&", "and")
    frame["local_demand_growth_pct"] = frame["local_demand_growth"] * 100
    frame["baseline_gap_per_head"] = baseline_systems["gap_per_head"].to_numpy()
    frame["rank_gap_per_head"] = frame["gap_per_head"].rank(ascending=False, method="min").astype(int)
    return frame


# The diverging scales' half-width: the largest distance of the measure from zero among the 42,
# worked out by Vega from the data, so the spec is the same for every scenario.
EXTENT_NAME = "map_extent"


def _extent_expr(measure: str) -> str:
    values = f"extent(pluck(data('systems'), '{measure}'))"
    return f"max(abs({values}[0]), abs({values}[1]), 1e-9)"


def _colour(measure: str) -> alt.Color:
    title, fmt, diverging = MAP_MEASURES[measure]
    if diverging:
        half = alt.ExprRef(expr=EXTENT_NAME)
        minus = alt.ExprRef(expr=f"-{EXTENT_NAME}")
        scale = alt.Scale(scheme="redblue", reverse=True, domain=[minus, half], domainMid=0)
    else:
        scale = alt.Scale(scheme="blues")
    legend = alt.Legend(title=title, format=fmt, orient="bottom", titleLimit=600, gradientLength=320)
    return alt.Color(f"{measure}:Q", scale=scale, legend=legend)


class Prebuilt:
    """Plain JSON values that Altair passes through whole. Without it, Altair walks every
    coordinate of the boundaries (about 0.2-0.5 s for 42 simplified shapes). The map's cached
    template holds them inline, so they are converted once, not on each rerun."""

    _schema: ClassVar[dict[str, str]] = {"type": "array"}

    def __init__(self, values: list[dict[str, Any]]) -> None:
        self._values = values

    def to_dict(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        return self._values


def systems_map(frame: pd.DataFrame, features: Prebuilt, measure: str, *, title: str) -> Figure:
    """England's 42 systems coloured by one measure; click a system to select it.

    ``features`` are the boundaries' GeoJSON features (``Prebuilt``, the same object every run:
    it keys the cached template, which holds them inline as fixed geometry); systems join on ODS code.
    """
    fields = list(dict.fromkeys(["name", "region", measure, "icb_code"]))
    return Figure(_systems_map(features, measure, title), {"systems": frame[fields]})


@template
def _systems_map(features: Prebuilt, measure: str, title: str) -> alt.Chart:
    title_text, fmt, diverging = MAP_MEASURES[measure]
    fields = list(dict.fromkeys(["name", "region", measure, "icb_code"]))
    pick = alt.selection_point(name=SELECT_NAME, fields=["icb_code"], on="click", clear="dblclick")
    chart = (
        alt.Chart(
            alt.Data(values=features),
            title=alt.Title(title, subtitle=ATTRIBUTION, subtitleFontSize=11),
        )
        .mark_geoshape(stroke="white", strokeWidth=0.7)
        .transform_lookup(
            lookup="properties.icb_code", from_=alt.LookupData(named("systems"), "icb_code", fields)
        )
        .encode(
            _colour(measure),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[
                alt.Tooltip("name:N", title="System"),
                alt.Tooltip("region:N", title="Region"),
                alt.Tooltip(f"{measure}:Q", title=title_text, format=fmt),
            ],
        )
        .add_params(pick)
        .project(type="mercator")
    )
    if diverging:
        chart = chart.add_params(alt.param(name=EXTENT_NAME, expr=_extent_expr(measure)))
    return finish(chart, height=520)


FUNDING_NAMES = [
    "Pressure",
    "Funding",
    f"Pressure: {BASELINE_NAME}",
    f"Funding: {BASELINE_NAME}",
    "Pressure: national rate",
    "Funding: national rate",
]


def system_funding_chart(gap: pd.DataFrame, baseline_gap: pd.DataFrame, *, title: str) -> Figure:
    """One system's funding and pressure (£m) against Current plans and the national paths
    scaled to its 2025/26 allocation."""
    sources = [
        (gap, "pressure_m"),
        (gap, "funding_m"),
        (baseline_gap, "pressure_m"),
        (baseline_gap, "funding_m"),
        (gap, "national_pressure_m"),
        (gap, "national_funding_m"),
    ]
    long = pd.concat(
        [
            frame[["fiscal_year"]].assign(series=name, value=frame[column])
            for name, (frame, column) in zip(FUNDING_NAMES, sources, strict=True)
        ],
        ignore_index=True,
    )
    return Figure(_system_funding_chart(title), {"lines": long})


@template
def _system_funding_chart(title: str) -> alt.LayerChart:
    scales = series_scales(
        FUNDING_NAMES,
        [VERMILLION, NHS_BLUE, BASELINE_GREY, BASELINE_GREY, HISTORY_BLACK, HISTORY_BLACK],
        [SOLID, SOLID, BASELINE_DASH, [2, 3], [1, 3], [8, 3]],
        columns=2,
    )
    lines = (
        alt.Chart(named("lines"))
        .mark_line(strokeWidth=3)
        .encode(
            alt.X("fiscal_year:O").title(None).axis(labelAngle=-45),
            alt.Y("value:Q").title("£m, 2025/26 prices").scale(zero=False),
            scales["color"],
            scales["strokeDash"],
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fiscal_year:O", title="Year"),
                alt.Tooltip("value:Q", title="£m", format=",.0f"),
            ],
        )
    )
    return finish(alt.layer(lines, title=title), height=320)


WAITING_NAMES = [
    "Reported",
    "Provider not reporting",
    "Projection (scenario)",
    f"Projection: {BASELINE_NAME}",
]


def system_waiting_frame(waiting: pd.DataFrame, baseline_waiting: pd.DataFrame) -> pd.DataFrame:
    """History, the scenario's projection and Current plans' projection in one long frame."""
    scenario = waiting.replace({"series": {"Projection": WAITING_NAMES[2]}})
    base = baseline_waiting[baseline_waiting["series"] == "Projection"].assign(series=WAITING_NAMES[3])
    return pd.concat([base, scenario], ignore_index=True)  # the scenario drawn on top


def system_waiting_chart(frame: pd.DataFrame, *, title: str) -> Figure:
    """One system's reported list, the months a provider did not report, and the projections."""
    gap = frame["series"] == WAITING_NAMES[1]
    return Figure(_system_waiting_chart(title), {"lines": frame[~gap], "gaps": frame[gap]})


@template
def _system_waiting_chart(title: str) -> alt.LayerChart:
    x = alt.X("month:T").title(None)
    y = alt.Y("waiting_list:Q").title("Incomplete pathways").axis(format="~s")
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("month:T", title="Month", format="%b %Y"),
        alt.Tooltip("waiting_list:Q", title="Waiting list", format=",.0f"),
    ]
    scales = series_scales(
        WAITING_NAMES,
        [HISTORY_BLACK, ORANGE, NHS_BLUE, BASELINE_GREY],
        [SOLID, SOLID, SOLID, BASELINE_DASH],
        columns=2,
    )
    lines = (
        alt.Chart(named("lines"))
        .mark_line(strokeWidth=3)
        .encode(x, y, scales["color"], scales["strokeDash"], tooltip=tooltip)
    )
    gaps = (
        alt.Chart(named("gaps"))
        .mark_point(size=70, filled=True, shape="triangle-down")
        .encode(x, y, scales["color"], tooltip=tooltip)
    )
    return finish(alt.layer(lines, gaps, title=title), height=300)


def systems_strip(frame: pd.DataFrame, measure: str, code: str, *, title: str) -> Figure:
    """Every system on one measure as a dot, the chosen one highlighted and labelled."""
    data = frame.assign(value=frame[measure], chosen=frame["icb_code"] == code)
    return Figure(
        _systems_strip(measure, title), {"others": data[~data["chosen"]], "chosen": data[data["chosen"]]}
    )


@template
def _systems_strip(measure: str, title: str) -> alt.LayerChart:
    axis_title, fmt, _ = MAP_MEASURES[measure]
    x = alt.X("value:Q").title(axis_title)
    tooltip = [
        alt.Tooltip("name:N", title="System"),
        alt.Tooltip("region:N", title="Region"),
        alt.Tooltip("value:Q", title=axis_title, format=fmt),
    ]
    others = (
        alt.Chart(named("others"))
        .mark_circle(size=140, opacity=0.6, color=BASELINE_GREY)
        .encode(x, tooltip=tooltip)
    )
    dot = (
        alt.Chart(named("chosen")).mark_circle(size=420, color=NHS_BLUE, opacity=1).encode(x, tooltip=tooltip)
    )
    label = (
        alt.Chart(named("chosen"))
        .mark_text(dy=-20, fontWeight="bold", color=NHS_BLUE)
        .encode(x, text="name:N")
    )
    return finish(alt.layer(others, dot, label, title=title), height=70)


def region_chart(frame: pd.DataFrame, code: str, measure: str, *, title: str) -> Figure:
    """The chosen system's region, side by side on one measure, the chosen system highlighted."""
    region = frame.loc[frame["icb_code"] == code, "region"].iloc[0]
    data = frame[frame["region"] == region].assign(
        value=lambda f: f[measure],
        who=lambda f: (f["icb_code"] == code).map({True: "This system", False: "Others in region"}),
    )
    data["order"] = sort_order(data["value"])
    # The height follows the region's number of systems: it changes with the chosen system only.
    return Figure(_region_chart(measure, title, len(data)), {"region": data})


@template
def _region_chart(measure: str, title: str, rows: int) -> alt.LayerChart:
    axis_title, fmt, _ = MAP_MEASURES[measure]
    bars = (
        alt.Chart(named("region"))
        .mark_bar()
        .encode(
            alt.Y("name:N")
            .sort(field="order", op="min", order="ascending")
            .title(None)
            .axis(labelLimit=label_limit(320, share=0.55)),
            alt.X("value:Q").title(axis_title),
            alt.Color("who:N")
            .scale(domain=["This system", "Others in region"], range=[NHS_BLUE, BASELINE_GREY])
            .title(None),
            tooltip=[
                alt.Tooltip("name:N", title="System"),
                alt.Tooltip("value:Q", title=axis_title, format=fmt),
                alt.Tooltip(
                    "baseline_gap_per_head:Q", title="Gap per head, Current plans (£)", format=",.0f"
                ),
            ],
        )
    )
    return finish(alt.layer(bars, title=title), height=34 * rows)
