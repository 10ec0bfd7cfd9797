"""The live headline chart: funding against pressure, and the gap, recomputed in the browser.

Two Vega-Lite parameters bound to the chart's own range inputs (funding uplift and demand
growth, in percent) drive ``calculate`` transforms that carry the model's closed-form
equations (``ics_model.live.live_expressions``), so the lines move on every frame of a drag
with no server round trip. Current plans is drawn grey and dashed from fixed data. Each mark's
accessible description carries its values (two decimals), which is also how the tests read
the browser's numbers back.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    FONT_SIZE,
    HISTORY_BLACK,
    NHS_BLUE,
    ORANGE,
    SOLID,
    THEME,
    series_scales,
)
from ics_model import Inputs, Parameter, Projection, Scenario
from ics_model.live import live_constants, live_expressions
from ics_model.projection import BASE_YEAR, fiscal_year

# Point selections bound to range inputs (not plain value params): Streamlit reports selections
# back to the server, so the value can be synced to the sidebar when a drag ends. Named
# explicitly so the spec is identical between reruns. Each selection's value is the Vega
# signal ``<name>_<field>``, which the expressions read.
UPLIFT_PARAM = "live_funding_uplift"
DEMAND_PARAM = "live_demand_growth"
FIELD = "pct"
LIVE_SERIES = [
    "Pressure (scenario)",
    "Funding (scenario)",
    f"Pressure: {BASELINE_NAME}",
    f"Funding: {BASELINE_NAME}",
]
_FIELDS = {
    "pressure_bn": LIVE_SERIES[0],
    "funding_bn": LIVE_SERIES[1],
    "base_pressure_bn": LIVE_SERIES[2],
    "base_funding_bn": LIVE_SERIES[3],
}


def live_frame(baseline: Projection, horizon_years: int) -> pd.DataFrame:
    """The fixed data: year index and fiscal year to the horizon, and the Current plans lines
    and gap (empty beyond Current plans' own horizon)."""
    gap = baseline.gap.set_index("t")
    years = pd.RangeIndex(horizon_years + 1, name="t")
    return pd.DataFrame(
        {
            "t": years,
            "fiscal_year": [fiscal_year(BASE_YEAR + t) for t in years],
            "base_funding_bn": gap["funding_bn"].reindex(years).round(6).to_numpy(),
            "base_pressure_bn": gap["pressure_bn"].reindex(years).round(6).to_numpy(),
            "base_gap_bn": gap["gap_bn"].reindex(years).round(6).to_numpy(),
        }
    )


def _param(name: str, spec: Parameter, value: float, label: str) -> alt.Parameter:
    """A point selection bound to a range input, starting at ``value`` (percent)."""
    assert spec.low is not None
    assert spec.high is not None
    assert spec.step is not None
    return alt.selection_point(
        name=name,
        fields=[FIELD],
        value=value,
        bind=alt.binding_range(
            min=round(spec.low * 100, 4),
            max=round(spec.high * 100, 4),
            step=round(spec.step * 100, 4),
            name=f"{label}, % a year ",
        ),
    )


def live_funding_chart(
    frame: pd.DataFrame,
    scenario: Scenario,
    inputs: Inputs,
    uplift: Parameter,
    demand: Parameter,
    *,
    title: str,
) -> Figure:
    """Funding vs pressure over the gap, both recomputed in the browser as two sliders move.

    The spec depends only on where the two inputs start; the scenario's other levers travel in
    the data (``live_constants``), so moving them updates the chart in place.
    """
    constants = live_constants(scenario, inputs)
    data = frame.assign(f0=constants.f0, cost_ratio=constants.cost_ratio)
    start = (round(scenario.funding_uplift * 100, 4), round(scenario.demand_growth * 100, 4))
    # SVG: its marks are what the drag benchmark and the browser tests read while it is dragged.
    return Figure(_started(uplift, demand, start, title), {"years": data}, renderer="svg")


@functools.lru_cache(maxsize=32)
def _started(
    uplift: Parameter, demand: Parameter, start: tuple[float, float], title: str
) -> Mapping[str, Any]:
    """The chart's spec with its two inputs starting at ``start``: a copy of the one built spec
    with the inputs' values set (about 26 ms of Altair saved at each new sidebar value)."""
    spec = _live_funding_chart(uplift, demand, title)
    values = {UPLIFT_PARAM: start[0], DEMAND_PARAM: start[1]}
    return {**spec, "params": [{**param, "value": values[param["name"]]} for param in spec["params"]]}


@template
def _live_funding_chart(uplift: Parameter, demand: Parameter, title: str) -> alt.VConcatChart:
    """Built once; ``_started`` sets where its inputs start (they start at their lowest here)."""
    exprs = live_expressions(uplift_param=f"{UPLIFT_PARAM}_{FIELD}", demand_param=f"{DEMAND_PARAM}_{FIELD}")
    assert uplift.low is not None
    assert demand.low is not None
    u = _param(UPLIFT_PARAM, uplift, round(uplift.low * 100, 4), "Funding uplift")
    d = _param(DEMAND_PARAM, demand, round(demand.low * 100, 4), "Demand growth")
    x = alt.X("fiscal_year:O").title(None).axis(labelAngle=-45)
    base = (
        alt.Chart(named("years"))
        .transform_calculate(funding_bn=exprs.funding_bn, pressure_bn=exprs.pressure_bn)
        .transform_calculate(gap_bn=exprs.gap_bn)
    )
    described = (
        "datum.fiscal_year + ': funding £' + format(datum.funding_bn, '.2f') + 'bn; pressure £' + "
        "format(datum.pressure_bn, '.2f') + 'bn; gap £' + format(datum.gap_bn, '.2f') + 'bn'"
    )
    label = "{" + ", ".join(f"'{k}': '{v}'" for k, v in _FIELDS.items()) + "}[datum.key]"
    scales = series_scales(
        LIVE_SERIES,
        [NHS_BLUE, ORANGE, BASELINE_GREY, BASELINE_GREY],
        [SOLID, SOLID, BASELINE_DASH, [2, 3]],
        columns=1,  # half a page or a phone wide: more columns were cut off
    )
    lines = (
        base.transform_calculate(description=described)
        .transform_fold(list(_FIELDS), as_=["key", "value"])
        .transform_calculate(series=label)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x,
            alt.Y("value:Q").title("£bn a year, 2025/26 prices").scale(zero=False),
            scales["color"],
            scales["strokeDash"],
            alt.Description("description:N"),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fiscal_year:O", title="Year"),
                alt.Tooltip("value:Q", title="£bn", format=",.1f"),
            ],
        )
        .properties(height=300, title=alt.Title(title, subtitle="Drag the sliders under the chart."))
        .add_params(u, d)  # hoisted to the top level: one pair of inputs drives both panels
    )
    bars = base.mark_bar(color=NHS_BLUE, opacity=0.9).encode(
        x,
        alt.Y("gap_bn:Q").title("Gap, £bn"),
        alt.Description("gap_text:N"),
        tooltip=[
            alt.Tooltip("fiscal_year:O", title="Year"),
            alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.1f"),
            alt.Tooltip("base_gap_bn:Q", title=f"{BASELINE_NAME} (£bn)", format=",.1f"),
        ],
    )
    bars = bars.transform_calculate(
        gap_text="datum.fiscal_year + ': gap £' + format(datum.gap_bn, '.2f') + 'bn'"
    )
    baseline_gap = (
        alt.Chart(named("years"))
        .mark_line(color=BASELINE_GREY, strokeDash=BASELINE_DASH, strokeWidth=3)
        .encode(
            x,
            alt.Y("base_gap_bn:Q"),
            tooltip=[alt.Tooltip("base_gap_bn:Q", title=f"{BASELINE_NAME} gap (£bn)", format=",.1f")],
        )
    )
    # Decorative (the axis says where zero is): hidden from screen readers, which need no alt text.
    zero = alt.Chart(named("years")).mark_rule(color=HISTORY_BLACK, aria=False).encode(alt.Y(datum=0))
    gap = alt.layer(bars, baseline_gap, zero).properties(
        height=160, title=alt.Title("The gap (bars; grey dashed: Current plans)", fontSize=FONT_SIZE)
    )
    chart = alt.vconcat(lines, gap)
    chart.config = THEME
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    return chart
