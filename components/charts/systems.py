"""Systems and Compare charts: the 42 systems and overlaid snapshots."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    CATEGORICAL,
    NHS_BLUE,
    SOLID,
    finish,
    label_limit,
    series_scales,
)

# --- Systems ---------------------------------------------------------------------------------

SYSTEM_MEASURES = {
    "gap_per_patient": ("Gap at horizon per registered patient, £", ",.0f"),
    "funding_per_patient": ("Fair-share funding at horizon per registered patient, £", ",.0f"),
    "gap_horizon_m": ("Gap at horizon, £m", ",.0f"),
}


def systems_frame(systems: pd.DataFrame, baseline_systems: pd.DataFrame) -> pd.DataFrame:
    """One row per ICS: short name, region and each measure for the scenario and the baseline."""
    frame = systems[["icb_code", "icb_name", "region", "registered_population", "need_index", "share"]].copy()
    frame["name"] = frame["icb_name"].str.removeprefix("NHS ").str.removesuffix(" ICB")
    frame["region"] = frame["region"].str.removeprefix("NHS ")
    frame["gap_per_patient"] = systems["gap_per_patient"]
    frame["funding_per_patient"] = systems["funding_per_patient"]
    frame["gap_horizon_m"] = systems["gap_horizon_bn"] * 1e3
    frame["baseline_gap_per_patient"] = baseline_systems["gap_per_patient"].to_numpy()
    frame["baseline_funding_per_patient"] = baseline_systems["funding_per_patient"].to_numpy()
    frame["baseline_gap_horizon_m"] = baseline_systems["gap_horizon_bn"].to_numpy() * 1e3
    return frame


def sort_order(values: pd.Series) -> pd.Series:
    """Each row's place when ``values`` are sorted largest first (pandas' order, ties included):
    a category axis sorted on it reads its order from the data, not from the spec."""
    ranked = values.sort_values(ascending=False).index
    return pd.Series(range(len(values)), index=ranked).reindex(values.index)


def systems_chart(frame: pd.DataFrame, measure: str, *, title: str) -> Figure:
    """Each ICS's formula-based fair share on one measure, coloured by region, with the baseline."""
    data = frame.assign(value=frame[measure], baseline=frame[f"baseline_{measure}"])
    data["order"] = sort_order(data["value"])
    regions = tuple(sorted(data["region"].unique()))
    return Figure(_systems_chart(measure, title, regions, len(data)), {"systems": data})


@template
def _systems_chart(measure: str, title: str, regions: tuple[str, ...], rows: int) -> alt.LayerChart:
    axis_title, fmt = SYSTEM_MEASURES[measure]
    y = (
        alt.Y("name:N")
        .title(None)
        .sort(field="order", op="min", order="ascending")
        .axis(labelFontSize=13, labelLimit=label_limit(360, share=0.55), labelOverlap=False)
    )
    bars = (
        alt.Chart(named("systems"))
        .mark_bar()
        .encode(
            y,
            alt.X("value:Q").title(axis_title),
            alt.Color("region:N")
            .scale(domain=list(regions), range=CATEGORICAL[: len(regions)])
            .title("Region"),
            tooltip=[
                alt.Tooltip("icb_name:N", title="ICB"),
                alt.Tooltip("region:N", title="Region"),
                alt.Tooltip("value:Q", title=axis_title, format=fmt),
                alt.Tooltip("baseline:Q", title=BASELINE_NAME, format=fmt),
                alt.Tooltip("need_index:Q", title="Need index (England = 1)", format=".3f"),
                alt.Tooltip("registered_population:Q", title="Registered patients", format=",.0f"),
            ],
        )
    )
    ticks = (
        alt.Chart(named("systems"))
        .mark_tick(color=BASELINE_GREY, thickness=3, size=16)
        .encode(y, alt.X("baseline:Q"), tooltip=[alt.Tooltip("baseline:Q", title=BASELINE_NAME, format=fmt)])
    )
    return finish(alt.layer(bars, ticks, title=title), height=22 * rows)


# --- Compare ---------------------------------------------------------------------------------


def compare_chart(frame: pd.DataFrame, names: list[str], *, title: str) -> Figure:
    """Gap trajectories of saved snapshots and the current scenario, the baseline dashed on top."""
    is_baseline = frame["series"] == BASELINE_NAME
    data = {"others": frame[~is_baseline], "baseline": frame[is_baseline]}
    return Figure(_compare_chart(tuple(names), title), data)


@template
def _compare_chart(names: tuple[str, ...], title: str) -> alt.LayerChart:
    colours = [BASELINE_GREY, NHS_BLUE] + [CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(names) - 2)]
    dashes = [BASELINE_DASH] + [SOLID] * (len(names) - 1)
    scales = series_scales(list(names), colours, dashes)
    encoding = {
        "x": alt.X("fiscal_year:O").title(None).axis(labelAngle=-45),
        "y": alt.Y("gap_bn:Q").title("Gap, £bn"),
        "color": scales["color"],
        "strokeDash": scales["strokeDash"],
        "tooltip": [
            alt.Tooltip("series:N", title="Scenario"),
            alt.Tooltip("fiscal_year:O", title="Year"),
            alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.1f"),
        ],
    }
    others = alt.Chart(named("others")).mark_line(strokeWidth=3, point=True).encode(**encoding)
    # Drawn last so an identical scenario does not hide it.
    baseline = alt.Chart(named("baseline")).mark_line(strokeWidth=3, point=True).encode(**encoding)
    return finish(alt.layer(others, baseline, title=title), height=340)
