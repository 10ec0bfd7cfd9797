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
import numpy as np
import pandas as pd

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


# One theme for every chart, built once (chained configure_* calls deep-copy the whole chart).
THEME = alt.Config(
    axis=alt.AxisConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=320),
    legend=alt.LegendConfig(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="bottom", labelLimit=420, columns=3
    ),
    title=alt.TitleConfig(fontSize=TITLE_SIZE, anchor="start", subtitleFontSize=FONT_SIZE),
    header=alt.HeaderConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE),
    text=alt.MarkConfig(fontSize=FONT_SIZE),
    view=alt.ViewConfig(stroke=None),
)


def _finish(chart: Any, *, height: int = HEIGHT) -> Any:
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
    """Break a category label into lines for ``_WRAP`` (lines joined by '|')."""
    return "|".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def _series_scales(
    domain: list[str], colours: list[str], dashes: list[list[int]], *, columns: int = 3
) -> dict[str, Any]:
    """Colour and dash encodings sharing one legend for a fixed list of series."""
    legend = alt.Legend(title=None, symbolType="stroke", symbolStrokeWidth=3, symbolSize=400, columns=columns)
    return {
        "color": alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), legend=legend),
        "strokeDash": alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=dashes), legend=legend),
    }


# --- Funding gap ---------------------------------------------------------------------------


def funding_frame(
    gap: pd.DataFrame, baseline_gap: pd.DataFrame, budgets: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long-form lines (scenario, baseline, NHS England budget history) and the pressure band."""
    lines = [
        gap.assign(series="Pressure (scenario)", value=gap["pressure_bn"]),
        gap.assign(series="Funding (scenario)", value=gap["funding_bn"]),
        baseline_gap.assign(series=f"Pressure: {BASELINE_NAME}", value=baseline_gap["pressure_bn"]),
        baseline_gap.assign(series=f"Funding: {BASELINE_NAME}", value=baseline_gap["funding_bn"]),
    ]
    nhse = budgets[budgets["measure"] == "nhse_rdel"]
    for status, name in (("outturn", "NHS England budget (outturn)"), ("plan", "NHS England budget (plan)")):
        part = nhse[nhse["status"] == status]
        lines.append(
            pd.DataFrame({"fiscal_year": part["fiscal_year"], "series": name, "value": part["real_bn"]})
        )
    line_frame = pd.concat([f[["fiscal_year", "series", "value"]] for f in lines], ignore_index=True)
    band = gap[
        ["fiscal_year", "pressure_low_bn", "pressure_high_bn", "pressure_low95_bn", "pressure_high95_bn"]
    ].copy()
    return line_frame, band


FUNDING_SERIES = [
    "Pressure (scenario)",
    "Funding (scenario)",
    f"Pressure: {BASELINE_NAME}",
    f"Funding: {BASELINE_NAME}",
    "NHS England budget (outturn)",
    "NHS England budget (plan)",
]


def funding_vs_pressure(lines: pd.DataFrame, band: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Funding against pressure with the 80% and 95% band, the baseline and the budget history."""
    scales = _series_scales(
        FUNDING_SERIES,
        [NHS_BLUE, ORANGE, BASELINE_GREY, BASELINE_GREY, HISTORY_BLACK, HISTORY_BLACK],
        [SOLID, SOLID, BASELINE_DASH, [2, 3], SOLID, [4, 2]],
    )
    x = alt.X("fiscal_year:O").title(None).axis(labelAngle=-45)
    band_base = alt.Chart(band).encode(x)
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
        alt.Chart(lines)
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
    return _finish(alt.layer(band95, band80, line, title=title), height=360)


def gap_bars(gap: pd.DataFrame, baseline_gap: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """The gap each year as bars, with the Current plans gap as a grey dashed line."""
    base_frame = baseline_gap[["fiscal_year", "gap_bn"]].assign(series=BASELINE_NAME)
    x = alt.X("fiscal_year:O").title(None).axis(labelAngle=-45)
    bars = (
        alt.Chart(gap[["fiscal_year", "gap_bn", "gap_pct", "cumulative_gap_bn"]].assign(series="Scenario"))
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
        alt.Chart(base_frame)
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
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=HISTORY_BLACK).encode(alt.Y("y:Q"))
    return _finish(alt.layer(bars, baseline, zero, title=title), height=300)


WATERFALL_KINDS = ["total", "increase", "decrease", "gap"]
_WRAP = "split(datum.label, '|')"  # multi-line category labels (see wrap_label)


def waterfall_frame(drivers: pd.DataFrame, baseline_drivers: pd.DataFrame) -> pd.DataFrame:
    """Start and end of each waterfall bar, with the baseline's bar end beside it."""

    def spans(frame: pd.DataFrame) -> pd.DataFrame:
        starts, ends, level = [], [], 0.0
        funding = float(frame.loc[frame["step"] == "Funding at horizon", "value_bn"].iloc[0])
        for step, value, kind in frame[["step", "value_bn", "kind"]].itertuples(index=False):
            if kind == "total":
                start, end = 0.0, float(value)
                level = end if step != "Funding at horizon" else level
            elif kind == "gap":
                start, end = funding, funding + float(value)
            else:
                start, end = level, level + float(value)
                level = end
            starts.append(start)
            ends.append(end)
        return frame.assign(start=starts, end=ends)

    scenario = spans(drivers)
    baseline = spans(baseline_drivers)
    scenario["baseline_end"] = baseline["end"].to_numpy()
    scenario["order"] = np.arange(len(scenario))
    return scenario


def waterfall(frame: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """What moves pressure from the base-year budget to the horizon, against funding."""
    frame = frame.assign(step_label=frame["step"].map(lambda s: wrap_label(s, 10)))
    order = frame["step_label"].tolist()
    x = alt.X("step_label:N").title(None).sort(order).axis(labelAngle=0, labelExpr=_WRAP, labelOverlap=False)
    bars = (
        alt.Chart(frame)
        .mark_bar(size=46)
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
        alt.Chart(frame)
        .mark_tick(color=BASELINE_GREY, thickness=4, size=60, strokeDash=BASELINE_DASH)
        .encode(
            x,
            alt.Y("baseline_end:Q"),
            tooltip=[alt.Tooltip("baseline_end:Q", title=BASELINE_NAME, format=",.1f")],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(dy=-10, fontSize=FONT_SIZE, color=HISTORY_BLACK)
        .encode(x, alt.Y("end:Q"), alt.Text("value_bn:Q", format=",.1f"))
    )
    return _finish(alt.layer(bars, baseline, labels, title=title), height=300)


# --- Trade-offs ----------------------------------------------------------------------------


def zero_gap_line(grid: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Where the gap crosses zero along each column of a regular grid (linear interpolation)."""
    rows = []
    for x_value, column in grid.sort_values([x, y]).groupby(x, sort=True):
        ys, gaps = column[y].to_numpy(), column["gap_bn"].to_numpy()
        sign_change = np.flatnonzero(np.sign(gaps[:-1]) != np.sign(gaps[1:]))
        if sign_change.size:
            i = int(sign_change[0])
            y0, y1, g0, g1 = ys[i], ys[i + 1], gaps[i], gaps[i + 1]
            rows.append({x: x_value, y: y0 + (y1 - y0) * g0 / (g0 - g1) if g1 != g0 else y0})
    return pd.DataFrame(rows, columns=[x, y])


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
) -> alt.LayerChart:
    """The gap at the horizon over two levers, the zero-gap line, the scenario and the baseline."""
    xs, ys = np.sort(grid[x].unique()), np.sort(grid[y].unique())
    dx = float(xs[1] - xs[0]) / 2 if xs.size > 1 else 0.5
    dy = float(ys[1] - ys[0]) / 2 if ys.size > 1 else 0.5
    # Cells overlap by 5% so anti-aliasing leaves no hairline seams between them.
    cells = grid.assign(
        x_lo=grid[x] - dx, x_hi=grid[x] + 1.05 * dx, y_lo=grid[y] - dy, y_hi=grid[y] + 1.05 * dy
    )
    limit = float(np.nanmax(np.abs(grid["gap_bn"]))) or 1.0
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            alt.X("x_lo:Q")
            .title(x_title)
            .scale(domain=[float(xs[0] - dx), float(xs[-1] + dx)], nice=False)
            .axis(tickCount=12),
            alt.X2("x_hi:Q"),
            alt.Y("y_lo:Q")
            .title(y_title)
            .scale(domain=[float(ys[0] - dy), float(ys[-1] + dy)], nice=False)
            .axis(tickCount=12),
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
        alt.Chart(zero_line.assign(series="Gap = 0"))
        .mark_line(color=HISTORY_BLACK, strokeWidth=3)
        .encode(
            alt.X(f"{x}:Q"),
            alt.Y(f"{y}:Q"),
            alt.Order(f"{x}:Q"),
            tooltip=[alt.Tooltip("series:N", title="Line")],
        )
    )
    scenario_pt = points[points["label"] == "Scenario"]
    baseline_pt = points[points["label"] == BASELINE_NAME]
    point_tooltip = [
        alt.Tooltip("label:N", title="Point"),
        alt.Tooltip(f"{x}:Q", title=x_title, format=".2f"),
        alt.Tooltip(f"{y}:Q", title=y_title, format=".2f"),
        alt.Tooltip("gap_bn:Q", title="Gap at horizon (£bn)", format=",.1f"),
    ]
    base_mark = (
        alt.Chart(baseline_pt)
        .mark_point(
            shape="diamond", size=260, filled=True, color=BASELINE_GREY, stroke="white", strokeWidth=1.5
        )
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), tooltip=point_tooltip)
    )
    scen_mark = (
        alt.Chart(scenario_pt)
        .mark_point(shape="circle", size=520, filled=False, color=NHS_BLUE, strokeWidth=4)
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), tooltip=point_tooltip)
    )
    label_style: dict[str, Any] = {"align": "left", "dx": 16, "fontSize": FONT_SIZE, "fontWeight": "bold"}
    base_text = (
        alt.Chart(baseline_pt)
        .mark_text(dy=16, color="#425563", **label_style)
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), alt.Text("label:N"))
    )
    scen_text = (
        alt.Chart(scenario_pt)
        .mark_text(dy=-16, color=NHS_DARK_BLUE, **label_style)
        .encode(alt.X(f"{x}:Q"), alt.Y(f"{y}:Q"), alt.Text("label:N"))
    )
    return _finish(alt.layer(heat, zero, base_mark, scen_mark, base_text, scen_text, title=title), height=400)


def tornado(frame: pd.DataFrame, scenario_gap: float, baseline_gap: float, *, title: str) -> alt.LayerChart:
    """Each lever's low and high effect on the gap at the horizon, widest first."""
    order = (
        frame.assign(width=(frame["high_gap_bn"] - frame["low_gap_bn"]).abs())
        .sort_values("width", ascending=False)["label"]
        .tolist()
    )
    long = pd.concat(
        [
            frame.assign(end="Low value", gap_bn=frame["low_gap_bn"], setting=frame["low_shown"]),
            frame.assign(end="High value", gap_bn=frame["high_gap_bn"], setting=frame["high_shown"]),
        ],
        ignore_index=True,
    )[["label", "end", "gap_bn", "setting"]].assign(scenario_gap=scenario_gap)
    y = alt.Y("label:N").title(None).sort(order).axis(labelLimit=320)
    bars = (
        alt.Chart(long)
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
    rules = pd.DataFrame({"series": ["Scenario", BASELINE_NAME], "gap_bn": [scenario_gap, baseline_gap]})
    rule = (
        alt.Chart(rules)
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
    return _finish(chart, height=34 * len(frame))


# --- Waiting list --------------------------------------------------------------------------


def waiting_list_frames(
    rtt: pd.DataFrame, projection: pd.DataFrame, baseline: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lines in millions (history, scenario, baseline) and the scenario's band, monthly."""
    history = rtt.dropna(subset=["incomplete_pathways"])
    lines = pd.concat(
        [
            pd.DataFrame(
                {
                    "month": pd.PeriodIndex(history["month"], freq="M").to_timestamp(),
                    "series": "Actual (NHS England RTT)",
                    "value": history["incomplete_pathways"].to_numpy() / 1e6,
                }
            ),
            pd.DataFrame(
                {
                    "month": projection["month"],
                    "series": "Scenario",
                    "value": projection["waiting_list"] / 1e6,
                }
            ),
            pd.DataFrame(
                {"month": baseline["month"], "series": BASELINE_NAME, "value": baseline["waiting_list"] / 1e6}
            ),
        ],
        ignore_index=True,
    )
    band = pd.DataFrame(
        {
            "month": projection["month"],
            "lower": projection["lower"] / 1e6,
            "upper": projection["upper"] / 1e6,
            "lower95": projection["lower95"] / 1e6,
            "upper95": projection["upper95"] / 1e6,
        }
    )
    return lines, band


WAITING_SERIES = ["Actual (NHS England RTT)", "Scenario", BASELINE_NAME]


def waiting_list_chart(
    lines: pd.DataFrame, band: pd.DataFrame, feb_2020_m: float, *, title: str
) -> alt.LayerChart:
    """RTT waiting list: history, the scenario with its bands, the baseline and February 2020."""
    scales = _series_scales(
        WAITING_SERIES, [HISTORY_BLACK, NHS_BLUE, BASELINE_GREY], [SOLID, SOLID, BASELINE_DASH]
    )
    x = alt.X("month:T").title(None).axis(format="%Y", tickCount=12)
    band95 = (
        alt.Chart(band)
        .mark_area(opacity=0.12, color=NHS_BLUE)
        .encode(x, alt.Y("lower95:Q"), alt.Y2("upper95:Q"))
    )
    band80 = (
        alt.Chart(band)
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
        alt.Chart(lines)
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
    ref = pd.DataFrame({"value": [feb_2020_m], "label": [f"February 2020: {feb_2020_m:.2f}m"]})
    rule = (
        alt.Chart(ref)
        .mark_rule(color=VERMILLION, strokeDash=[2, 3], strokeWidth=2)
        .encode(alt.Y("value:Q"), tooltip=[alt.Tooltip("label:N", title="Reference")])
    )
    text = (
        alt.Chart(ref)
        .mark_text(align="left", x=6, dy=-10, fontSize=FONT_SIZE, color=VERMILLION)
        .encode(alt.Y("value:Q"), alt.Text("label:N"))
    )
    return _finish(alt.layer(band95, band80, line, rule, text, title=title), height=380)


FLOW_SERIES = [
    "Referrals (scenario)",
    "Completions and removals (scenario)",
    f"Referrals: {BASELINE_NAME}",
    f"Completions and removals: {BASELINE_NAME}",
]


def flows_frame(projection: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    """Referrals and completions a year (million), complete fiscal years only, scenario and baseline."""
    parts = []
    for frame, suffix in ((projection, " (scenario)"), (baseline, f": {BASELINE_NAME}")):
        flows = frame.dropna(subset=["referrals"])
        months = pd.DatetimeIndex(flows["month"])
        start = np.asarray(months.year - (months.month < 4))  # April to March
        years, first, counts = np.unique(start, return_index=True, return_counts=True)
        whole = counts == 12
        for column, name in (("referrals", "Referrals"), ("completions", "Completions and removals")):
            totals = np.add.reduceat(flows[column].to_numpy(), first)[whole] / 1e6
            labels = [f"{y}/{(y + 1) % 100:02d}" for y in years[whole]]
            parts.append(pd.DataFrame({"fiscal_year": labels, "series": name + suffix, "value": totals}))
    return pd.concat(parts, ignore_index=True)


def flows_chart(flows: pd.DataFrame, *, title: str) -> alt.Chart:
    """Referrals (clock starts) against completions and other removals, a year."""
    scales = _series_scales(
        FLOW_SERIES,
        [NHS_BLUE, ORANGE, BASELINE_GREY, BASELINE_GREY],
        [SOLID, SOLID, BASELINE_DASH, [2, 3]],
        columns=2,
    )
    chart = (
        alt.Chart(flows, title=title)
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
    return _finish(chart, height=280)


def rtt_standard_chart(rtt: pd.DataFrame, standard: float, *, title: str) -> alt.LayerChart:
    """Share of the waiting list within 18 weeks against the 92% constitutional standard."""
    frame = rtt.dropna(subset=["pct_within_18wks"])
    data = pd.DataFrame(
        {
            "month": pd.PeriodIndex(frame["month"], freq="M").to_timestamp(),
            "pct": frame["pct_within_18wks"].to_numpy() * 100,
        }
    )
    x = alt.X("month:T").title(None).axis(format="%Y", tickCount=12)
    line = (
        alt.Chart(data)
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
    ref = pd.DataFrame({"pct": [standard * 100], "label": [f"Standard: {standard * 100:.0f}%"]})
    rule = alt.Chart(ref).mark_rule(color=VERMILLION, strokeDash=[2, 3], strokeWidth=2).encode(alt.Y("pct:Q"))
    text = (
        alt.Chart(ref)
        .mark_text(align="left", x=6, dy=-10, fontSize=FONT_SIZE, color=VERMILLION)
        .encode(alt.Y("pct:Q"), alt.Text("label:N"))
    )
    return _finish(alt.layer(line, rule, text, title=title), height=280)


# --- Targets and autonomy ------------------------------------------------------------------


def dividend_sensitivity_chart(
    frame: pd.DataFrame, current_k: float, without_gap: float, baseline_gap: float, *, title: str
) -> alt.LayerChart:
    """Gap at the horizon over the autonomy dividend k, against no dividend and the baseline."""
    x = alt.X("k_pct:Q").title("Autonomy dividend k, % a year at full freedom (stylised)")
    line = (
        alt.Chart(frame)
        .mark_line(color=NHS_BLUE, strokeWidth=3)
        .encode(
            x,
            alt.Y("gap_bn:Q").title("Gap at horizon, £bn").scale(zero=True),
            tooltip=[
                alt.Tooltip("k_pct:Q", title="k (% a year)", format=".1f"),
                alt.Tooltip("gap_bn:Q", title="Gap at horizon (£bn)", format=",.2f"),
            ],
        )
    )
    current = frame.iloc[[int(np.argmin(np.abs(frame["k_pct"].to_numpy() - current_k)))]]
    point = alt.Chart(current).mark_point(size=220, filled=True, color=NHS_BLUE).encode(x, alt.Y("gap_bn:Q"))
    rules = pd.DataFrame(
        {"series": ["No dividend (scenario)", BASELINE_NAME], "gap_bn": [without_gap, baseline_gap]}
    )
    rule = (
        alt.Chart(rules)
        .mark_rule(strokeWidth=3)
        .encode(
            alt.Y("gap_bn:Q"),
            alt.Color("series:N")
            .scale(domain=["No dividend (scenario)", BASELINE_NAME], range=[ORANGE, BASELINE_GREY])
            .legend(title=None),
            alt.StrokeDash("series:N")
            .scale(domain=["No dividend (scenario)", BASELINE_NAME], range=[[2, 3], BASELINE_DASH])
            .legend(title=None),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.2f"),
            ],
        )
    )
    return _finish(alt.layer(line, point, rule, title=title), height=280)


def burden_vs_gap_chart(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """The oversight burden of national targets next to the gap, on one £bn scale."""
    domain = frame["item"].tolist()
    chart = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            alt.Y("item:N").title(None).sort(domain).axis(labelLimit=360),
            alt.X("value_bn:Q").title("£bn a year"),
            alt.Color("series:N")
            .scale(domain=["Scenario", BASELINE_NAME], range=[NHS_BLUE, BASELINE_GREY])
            .legend(title=None),
            tooltip=[
                alt.Tooltip("item:N", title="Item"),
                alt.Tooltip("value_bn:Q", title="£bn", format=",.3f"),
            ],
        )
    )
    return _finish(chart, height=120)


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


def systems_chart(frame: pd.DataFrame, measure: str, *, title: str) -> alt.LayerChart:
    """Each ICS's formula-based fair share on one measure, coloured by region, with the baseline."""
    axis_title, fmt = SYSTEM_MEASURES[measure]
    data = frame.assign(value=frame[measure], baseline=frame[f"baseline_{measure}"])
    order = data.sort_values("value", ascending=False)["name"].tolist()
    y = alt.Y("name:N").title(None).sort(order).axis(labelFontSize=13, labelLimit=360, labelOverlap=False)
    regions = sorted(data["region"].unique())
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y,
            alt.X("value:Q").title(axis_title),
            alt.Color("region:N").scale(domain=regions, range=CATEGORICAL[: len(regions)]).title("Region"),
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
        alt.Chart(data)
        .mark_tick(color=BASELINE_GREY, thickness=3, size=16)
        .encode(y, alt.X("baseline:Q"), tooltip=[alt.Tooltip("baseline:Q", title=BASELINE_NAME, format=fmt)])
    )
    return _finish(alt.layer(bars, ticks, title=title), height=22 * len(data))


# --- Compare ---------------------------------------------------------------------------------


def compare_chart(frame: pd.DataFrame, names: list[str], *, title: str) -> alt.LayerChart:
    """Gap trajectories of saved snapshots and the current scenario, the baseline dashed on top."""
    colours = [BASELINE_GREY, NHS_BLUE] + [CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(names) - 2)]
    dashes = [BASELINE_DASH] + [SOLID] * (len(names) - 1)
    scales = _series_scales(names, colours, dashes)
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
    is_baseline = frame["series"] == BASELINE_NAME
    others = alt.Chart(frame[~is_baseline]).mark_line(strokeWidth=3, point=True).encode(**encoding)
    # Drawn last so an identical scenario does not hide it.
    baseline = alt.Chart(frame[is_baseline]).mark_line(strokeWidth=3, point=True).encode(**encoding)
    return _finish(alt.layer(others, baseline, title=title), height=340)


# --- Evidence --------------------------------------------------------------------------------


def evidence_percent_chart(evidence: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Survey shares (per cent) from leaders' surveys and public attitudes, with sources."""
    data = evidence[evidence["unit"] == "%"].assign(
        label=lambda f: (f["measure"] + " (" + f["year"].astype(str) + ")").map(lambda t: wrap_label(t, 64))
    )
    sources = list(dict.fromkeys(data["source"]))
    y = alt.Y("label:N").title(None).sort(data["label"].tolist()).axis(labelLimit=520, labelExpr=_WRAP)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y,
            alt.X("value:Q").title("% of respondents").scale(domain=[0, 100]),
            alt.Color("source:N")
            .scale(domain=sources, range=CATEGORICAL[: len(sources)])
            .title(None)
            .legend(columns=1, labelLimit=700),
            tooltip=[
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="%", format=".0f"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
    )
    text = bars.mark_text(align="left", dx=4, fontSize=FONT_SIZE, color=HISTORY_BLACK).encode(
        alt.Text("value:Q", format=".0f")
    )
    return _finish(alt.layer(bars, text, title=title), height=40 * len(data))


def growth_by_government_chart(
    tdel: pd.DataFrame, scenario_uplift_pct: float, baseline_uplift_pct: float, *, title: str
) -> alt.LayerChart:
    """Real growth of the health budget by government, the long-run average and the uplifts."""
    is_avg = tdel["period"].str.startswith("Long-run")
    bars_frame = tdel[~is_avg].assign(
        cagr_pct=lambda f: f["cagr"] * 100,
        label=lambda f: (
            f["period"].map(lambda p: wrap_label(p, 14))
            + "|"
            + f["start_year"].astype(str)
            + "–"
            + f["end_year"].astype(str)
        ),
    )
    order = bars_frame.sort_values("start_year")["label"].tolist()
    x = alt.X("label:N").title(None).sort(order).axis(labelAngle=0, labelExpr=_WRAP, labelOverlap=False)
    bars = (
        alt.Chart(bars_frame)
        .mark_bar(color=SKY_BLUE, size=60)
        .encode(
            x,
            alt.Y("cagr_pct:Q").title("Real growth, % a year"),
            tooltip=[
                alt.Tooltip("period:N", title="Government"),
                alt.Tooltip("start_year:O", title="From"),
                alt.Tooltip("end_year:O", title="To"),
                alt.Tooltip("cagr_pct:Q", title="% a year", format=".2f"),
            ],
        )
    )
    text = bars.mark_text(dy=-10, fontSize=FONT_SIZE, color=HISTORY_BLACK).encode(
        alt.Text("cagr_pct:Q", format=".1f")
    )
    average = float(tdel.loc[is_avg, "cagr"].iloc[0]) * 100 if is_avg.any() else float("nan")
    rules = pd.DataFrame(
        {
            "series": ["Long-run average 1979/80–2019/20", "Scenario uplift", f"{BASELINE_NAME} uplift"],
            "value": [average, scenario_uplift_pct, baseline_uplift_pct],
        }
    )
    domain = rules["series"].tolist()
    rule = (
        alt.Chart(rules)
        .mark_rule(strokeWidth=3)
        .encode(
            alt.Y("value:Q"),
            alt.Color("series:N")
            .scale(domain=domain, range=[HISTORY_BLACK, NHS_BLUE, BASELINE_GREY])
            .title(None),
            alt.StrokeDash("series:N").scale(domain=domain, range=[[2, 3], SOLID, BASELINE_DASH]).title(None),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title="% a year", format=".2f"),
            ],
        )
    )
    return _finish(alt.layer(bars, text, rule, title=title), height=300)


def funding_evidence_chart(
    evidence: pd.DataFrame, scenario_uplift_pct: float, baseline_uplift_pct: float, *, title: str
) -> alt.LayerChart:
    """The 2018 settlement against what economists said was needed, with the uplifts."""
    data = evidence[evidence["unit"] == "% a year"].assign(label=lambda f: f["measure"])
    y = alt.Y("label:N").title(None).sort(data["label"].tolist()).axis(labelLimit=420)
    bars = (
        alt.Chart(data)
        .mark_bar(color=SKY_BLUE)
        .encode(
            y,
            alt.X("value:Q").title("Real growth, % a year"),
            tooltip=[
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="% a year", format=".1f"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
    )
    text = bars.mark_text(align="left", dx=4, fontSize=FONT_SIZE, color=HISTORY_BLACK).encode(
        alt.Text("value:Q", format=".1f")
    )
    rules = pd.DataFrame(
        {
            "series": ["Scenario uplift", f"{BASELINE_NAME} uplift"],
            "value": [scenario_uplift_pct, baseline_uplift_pct],
        }
    )
    rule = (
        alt.Chart(rules)
        .mark_rule(strokeWidth=3)
        .encode(
            alt.X("value:Q"),
            alt.Color("series:N")
            .scale(domain=rules["series"].tolist(), range=[NHS_BLUE, BASELINE_GREY])
            .legend(title=None, columns=1),
            alt.StrokeDash("series:N")
            .scale(domain=rules["series"].tolist(), range=[SOLID, BASELINE_DASH])
            .legend(title=None, columns=1),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title="% a year", format=".1f"),
            ],
        )
    )
    return _finish(alt.layer(bars, text, rule, title=title), height=40 * len(data))
