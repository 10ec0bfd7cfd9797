"""Funding gap charts: funding vs pressure, the gap by year, the waterfall of drivers."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    FONT_SIZE,
    GREEN,
    HISTORY_BLACK,
    NHS_BLUE,
    NHS_DARK_BLUE,
    ORANGE,
    SOLID,
    VERMILLION,
    finish,
    series_scales,
)

# --- Funding gap ---------------------------------------------------------------------------


BAND_COLUMNS = [
    "fiscal_year",
    "pressure_low_bn",
    "pressure_high_bn",
    "pressure_low95_bn",
    "pressure_high95_bn",
]


def funding_frame(
    gap: pd.DataFrame, baseline_gap: pd.DataFrame, budgets: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long-form lines (scenario, baseline, NHS England budget history) and the pressure band.

    Built from plain arrays in one constructor: it runs on every slider move, and each pandas
    step on these small frames costs about a millisecond.
    """
    parts: list[tuple[np.ndarray, str, np.ndarray]] = [
        (frame["fiscal_year"].to_numpy(object), name, frame[column].to_numpy(float))
        for frame, name, column in (
            (gap, "Pressure (scenario)", "pressure_bn"),
            (gap, "Funding (scenario)", "funding_bn"),
            (baseline_gap, f"Pressure: {BASELINE_NAME}", "pressure_bn"),
            (baseline_gap, f"Funding: {BASELINE_NAME}", "funding_bn"),
        )
    ]
    nhse = budgets["measure"].to_numpy(object) == "nhse_rdel"
    status = budgets["status"].to_numpy(object)
    for kind, name in (("outturn", "NHS England budget (outturn)"), ("plan", "NHS England budget (plan)")):
        rows = nhse & (status == kind)
        parts.append(
            (budgets["fiscal_year"].to_numpy(object)[rows], name, budgets["real_bn"].to_numpy(float)[rows])
        )
    line_frame = pd.DataFrame(
        {
            "fiscal_year": np.concatenate([years for years, _, _ in parts]),
            "series": np.concatenate([np.full(len(years), name, dtype=object) for years, name, _ in parts]),
            "value": np.concatenate([values for _, _, values in parts]),
        }
    )
    band = pd.DataFrame({column: gap[column].to_numpy() for column in BAND_COLUMNS})
    return line_frame, band


FUNDING_SERIES = [
    "Pressure (scenario)",
    "Funding (scenario)",
    f"Pressure: {BASELINE_NAME}",
    f"Funding: {BASELINE_NAME}",
    "NHS England budget (outturn)",
    "NHS England budget (plan)",
]


def funding_vs_pressure(lines: pd.DataFrame, band: pd.DataFrame, *, title: str) -> Figure:
    """Funding against pressure with the 80% and 95% band, the baseline and the budget history."""
    return Figure(_funding_vs_pressure(title), {"band": band, "lines": lines})


@template
def _funding_vs_pressure(title: str) -> alt.LayerChart:
    scales = series_scales(
        FUNDING_SERIES,
        [NHS_BLUE, ORANGE, BASELINE_GREY, BASELINE_GREY, HISTORY_BLACK, HISTORY_BLACK],
        [SOLID, SOLID, BASELINE_DASH, [2, 3], SOLID, [4, 2]],
    )
    x = alt.X("fiscal_year:O").title(None).axis(labelAngle=-45)
    band_base = alt.Chart(named("band")).encode(x)
    band95 = band_base.mark_area(opacity=0.12, color=NHS_BLUE).encode(
        alt.Y("pressure_low95_bn:Q"),
        alt.Y2("pressure_high95_bn:Q"),
        tooltip=[
            alt.Tooltip("fiscal_year:O", title="Year"),
            alt.Tooltip("pressure_low95_bn:Q", title="Pressure, 95% low (£bn)", format=",.1f"),
            alt.Tooltip("pressure_high95_bn:Q", title="Pressure, 95% high (£bn)", format=",.1f"),
        ],
    )
    band80 = band_base.mark_area(opacity=0.22, color=NHS_BLUE).encode(
        alt.Y("pressure_low_bn:Q"),
        alt.Y2("pressure_high_bn:Q"),
        tooltip=[
            alt.Tooltip("fiscal_year:O", title="Year"),
            alt.Tooltip("pressure_low_bn:Q", title="Pressure, 80% low (£bn)", format=",.1f"),
            alt.Tooltip("pressure_high_bn:Q", title="Pressure, 80% high (£bn)", format=",.1f"),
        ],
    )
    line = (
        alt.Chart(named("lines"))
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True), strokeWidth=3)
        .encode(
            x,
            alt.Y("value:Q").title("£bn a year, 2025/26 prices").scale(zero=False),
            scales["color"],
            scales["strokeDash"],
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fiscal_year:O", title="Year"),
                alt.Tooltip("value:Q", title="£bn", format=",.1f"),
            ],
        )
    )
    return finish(alt.layer(band95, band80, line, title=title), height=360)


ZERO = pd.DataFrame({"y": [0.0]})


def gap_bars(gap: pd.DataFrame, baseline_gap: pd.DataFrame, *, title: str) -> Figure:
    """The gap each year as bars, with the Current plans gap as a grey dashed line."""
    data = {
        "scenario": gap[["fiscal_year", "gap_bn", "gap_pct", "cumulative_gap_bn"]].assign(series="Scenario"),
        "baseline": baseline_gap[["fiscal_year", "gap_bn"]].assign(series=BASELINE_NAME),
        "zero": ZERO,
    }
    return Figure(_gap_bars(title), data)


@template
def _gap_bars(title: str) -> alt.LayerChart:
    x = alt.X("fiscal_year:O").title(None).axis(labelAngle=-45)
    bars = (
        alt.Chart(named("scenario"))
        .mark_bar(color=NHS_BLUE, opacity=0.9)
        .encode(
            x,
            alt.Y("gap_bn:Q").title("Gap, £bn (pressure minus funding)"),
            tooltip=[
                alt.Tooltip("fiscal_year:O", title="Year"),
                alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.1f"),
                alt.Tooltip("gap_pct:Q", title="Gap (% of funding)", format=".1f"),
                alt.Tooltip("cumulative_gap_bn:Q", title="Cumulative gap (£bn)", format=",.1f"),
            ],
        )
    )
    baseline = (
        alt.Chart(named("baseline"))
        .mark_line(color=BASELINE_GREY, strokeDash=BASELINE_DASH, strokeWidth=3, point=True)
        .encode(
            x,
            alt.Y("gap_bn:Q"),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fiscal_year:O", title="Year"),
                alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.1f"),
            ],
        )
    )
    zero = alt.Chart(named("zero")).mark_rule(color=HISTORY_BLACK).encode(alt.Y("y:Q"))
    return finish(alt.layer(bars, baseline, zero, title=title), height=300)


WATERFALL_KINDS = ["total", "increase", "decrease", "gap"]


def waterfall_frame(drivers: pd.DataFrame, baseline_drivers: pd.DataFrame) -> pd.DataFrame:
    """Start and end of each waterfall bar, with the baseline's bar end beside it."""
    starts, ends = _spans(drivers)
    columns = {column: drivers[column].to_numpy() for column in drivers.columns}
    return pd.DataFrame(
        {
            **columns,
            "start": starts,
            "end": ends,
            "baseline_end": _spans(baseline_drivers)[1],
            "order": np.arange(len(drivers)),
        }
    )


def _spans(frame: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Where each bar starts and ends: totals from zero, steps from the running level, the gap
    from funding."""
    steps, kinds = frame["step"].to_list(), frame["kind"].to_list()
    values = frame["value_bn"].to_numpy(float).tolist()
    funding = values[steps.index("Funding at horizon")]
    starts, ends, level = [], [], 0.0
    for step, value, kind in zip(steps, values, kinds, strict=True):
        if kind == "total":
            start, end = 0.0, value
            level = end if step != "Funding at horizon" else level
        elif kind == "gap":
            start, end = funding, funding + value
        else:
            start, end = level, level + value
            level = end
        starts.append(start)
        ends.append(end)
    return starts, ends


def waterfall(frame: pd.DataFrame, *, title: str) -> Figure:
    """What moves pressure from the base-year budget to the horizon, against funding."""
    return Figure(_waterfall(title, tuple(frame["step"])), {"steps": frame})


@template
def _waterfall(title: str, order: tuple[str, ...]) -> alt.LayerChart:
    x = (
        alt.X("step:N")
        .title(None)
        .sort(list(order))
        # Angled single lines: in a half-width column the bands are too narrow for wrapped text.
        .axis(labelAngle=-35, labelOverlap=False)
    )
    bars = (
        alt.Chart(named("steps"))
        .mark_bar()
        .encode(
            x,
            alt.Y("start:Q").title("£bn, 2025/26 prices"),
            alt.Y2("end:Q"),
            alt.Color("kind:N")
            .scale(domain=WATERFALL_KINDS, range=[NHS_DARK_BLUE, VERMILLION, GREEN, ORANGE])
            .legend(None),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("value_bn:Q", title="£bn", format="+,.1f"),
                alt.Tooltip("end:Q", title="Running total (£bn)", format=",.1f"),
                alt.Tooltip("baseline_end:Q", title=f"{BASELINE_NAME} (£bn)", format=",.1f"),
            ],
        )
    )
    baseline = (
        alt.Chart(named("steps"))
        .mark_tick(color=BASELINE_GREY, thickness=4, strokeDash=BASELINE_DASH)
        .encode(
            x,
            alt.Y("baseline_end:Q"),
            tooltip=[alt.Tooltip("baseline_end:Q", title=BASELINE_NAME, format=",.1f")],
        )
    )
    labels = (
        alt.Chart(named("steps"))
        .mark_text(dy=-10, fontSize=FONT_SIZE, color=HISTORY_BLACK)
        # Steps signed, so their direction does not rest on red and green alone.
        .transform_calculate(
            value_label="indexof(['increase', 'decrease'], datum.kind) >= 0 "
            "? format(datum.value_bn, '+,.1f') : format(datum.value_bn, ',.1f')",
            top="max(datum.start, datum.end)",  # above the bar, whichever way it goes
        )
        .encode(x, alt.Y("top:Q"), alt.Text("value_label:N"))
    )
    return finish(alt.layer(bars, baseline, labels, title=title), height=300)
