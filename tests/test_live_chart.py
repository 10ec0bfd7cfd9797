"""The live chart: its in-browser equations give project()'s numbers, read back from the rendered chart.

Streamlit does not expose the Vega view, so the chart's spec is evaluated offline by vl-convert
(the same Vega-Lite major version the browser runs) with the bound inputs set to each setting;
each mark's accessible description carries its values to two decimals.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
import vl_convert as vlc

from components import charts
from components.charts.live import DEMAND_PARAM, UPLIFT_PARAM
from components.live_view import selected_value, snapped
from ics_model import PARAMETERS, Inputs, Scenario, baseline, project
from ics_model.live import live_constants, live_expressions
from ics_model.projection import targets_dividend

VL_VERSION = "6.4"  # Altair 6.3 writes Vega-Lite v6.4 specs
LINE = re.compile(r"^(\d{4}/\d{2}): funding £(\S+)bn; pressure £(\S+)bn; gap £(\S+)bn$")


def number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))  # d3 writes a Unicode minus


def chart_spec(scenario: Scenario, inputs: Inputs) -> dict[str, Any]:
    frame = charts.live_frame(project(baseline(inputs), inputs), scenario.horizon_years)
    chart = charts.live_funding_chart(
        frame, scenario, inputs, PARAMETERS["funding_uplift"], PARAMETERS["demand_growth"], title="Live"
    )
    spec: dict[str, Any] = chart.to_dict()  # validated against the Vega-Lite schema
    return spec


def rendered_values(spec: dict[str, Any]) -> dict[str, tuple[float, float, float]]:
    """fiscal year -> (funding, pressure, gap) as the rendered marks describe them."""
    found: dict[str, tuple[float, float, float]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            match = LINE.match(str(node.get("description", "")))
            if match:
                found[match[1]] = (number(match[2]), number(match[3]), number(match[4]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(vlc.vegalite_to_scenegraph(spec, vl_version=VL_VERSION))
    return found


def with_inputs(spec: dict[str, Any], uplift_pct: float, demand_pct: float) -> dict[str, Any]:
    """The spec with the bound inputs moved, as a drag would move them."""
    for param in spec["params"]:
        if param["name"] == UPLIFT_PARAM:
            param["value"] = uplift_pct
        elif param["name"] == DEMAND_PARAM:
            param["value"] = demand_pct
    return spec


SETTINGS = [
    # (scenario changes fixed in the spec, then the inputs dragged to uplift %, demand %)
    ({}, 3.0, 1.5),
    ({}, 4.5, 2.0),
    ({}, 0.0, 5.0),
    ({"national_targets": 10, "autonomy_share": 0.6, "autonomy_dividend": 0.01}, 6.0, 0.0),
    ({"unit_cost_growth": 0.03, "productivity_growth": 0.02, "horizon_years": 15}, 2.2, 3.7),
]


@pytest.mark.parametrize(("changes", "uplift_pct", "demand_pct"), SETTINGS)
def test_rendered_values_equal_project(
    inputs: Inputs, changes: dict[str, Any], uplift_pct: float, demand_pct: float
) -> None:
    scenario = replace(baseline(inputs), **changes)
    values = rendered_values(with_inputs(chart_spec(scenario, inputs), uplift_pct, demand_pct))
    expected = project(
        replace(scenario, funding_uplift=uplift_pct / 100, demand_growth=demand_pct / 100), inputs
    ).gap
    assert sorted(values) == sorted(expected["fiscal_year"])  # every year drawn, once
    for row in expected.itertuples():
        funding, pressure, gap = values[row.fiscal_year]
        assert funding == pytest.approx(row.funding_bn, abs=0.01)
        assert pressure == pytest.approx(row.pressure_bn, abs=0.01)
        assert gap == pytest.approx(row.gap_bn, abs=0.01)


def test_inputs_start_at_the_scenario(inputs: Inputs) -> None:
    scenario = replace(baseline(inputs), funding_uplift=0.042, demand_growth=0.027)
    params = {p["name"]: p for p in chart_spec(scenario, inputs)["params"]}
    assert params[UPLIFT_PARAM]["value"] == pytest.approx(4.2)
    assert params[DEMAND_PARAM]["value"] == pytest.approx(2.7)
    bind = params[UPLIFT_PARAM]["bind"]
    spec = PARAMETERS["funding_uplift"]
    assert (bind["input"], bind["min"], bind["max"]) == ("range", spec.low * 100, spec.high * 100)
    # Unmoved, the chart shows the scenario itself.
    values = rendered_values(chart_spec(scenario, inputs))
    end = project(scenario, inputs).gap.iloc[-1]
    assert values[end["fiscal_year"]][2] == pytest.approx(end["gap_bn"], abs=0.01)


def test_spec_is_deterministic(inputs: Inputs) -> None:
    """Vega keeps the view (and a drag in progress) only if the spec is identical between reruns."""
    assert chart_spec(baseline(inputs), inputs) == chart_spec(baseline(inputs), inputs)


def test_constants_carry_the_other_levers(inputs: Inputs) -> None:
    """Only u and d are free: tau, c and p enter through the scenario's constants, in the data."""
    plain = live_constants(baseline(inputs), inputs)
    freer = live_constants(replace(baseline(inputs), national_targets=5, autonomy_share=1.0), inputs)
    assert plain.f0 == freer.f0 == pytest.approx(inputs.base_funding_bn)
    assert freer.cost_ratio < plain.cost_ratio  # fewer targets, more autonomy: a bigger dividend
    s = baseline(inputs)
    assert plain.cost_ratio == pytest.approx(
        (1 + s.unit_cost_growth)
        / (
            1
            + s.productivity_growth
            + targets_dividend(s.national_targets, s.autonomy_share, s.autonomy_dividend)
        )
    )
    exprs = live_expressions(uplift_param="u", demand_param="d")
    assert exprs.funding_bn == "datum.f0 * pow(1 + u / 100, datum.t)"
    assert "d / 100" in exprs.pressure_bn
    assert "datum.cost_ratio" in exprs.pressure_bn


def test_other_levers_change_the_data_not_the_spec(inputs: Inputs) -> None:
    """A sidebar move other than the two dragged levers keeps the chart (and a drag) in the browser."""
    frame = charts.live_frame(project(baseline(inputs), inputs), 10)
    args = (inputs, PARAMETERS["funding_uplift"], PARAMETERS["demand_growth"])
    first = charts.live_funding_chart(frame, baseline(inputs), *args, title="Live")
    moved = replace(baseline(inputs), productivity_growth=0.02, national_targets=5)
    second = charts.live_funding_chart(frame, moved, *args, title="Live")
    assert second.template is first.template
    assert not second.data["years"].equals(first.data["years"])
    dragged = charts.live_funding_chart(frame, replace(moved, funding_uplift=0.05), *args, title="Live")
    assert dragged.template is not first.template  # the input starts where the scenario is


def test_selected_value_reads_streamlit_selections() -> None:
    assert selected_value({UPLIFT_PARAM: {"pct": 4.2}}, UPLIFT_PARAM) == 4.2
    assert selected_value({UPLIFT_PARAM: [{"pct": 4.2}]}, UPLIFT_PARAM) == 4.2
    assert selected_value({UPLIFT_PARAM: {"pct": [3.5]}}, UPLIFT_PARAM) == 3.5
    for empty in ({}, {UPLIFT_PARAM: {}}, {UPLIFT_PARAM: []}, {UPLIFT_PARAM: {"pct": "4"}}, None):
        assert selected_value(empty, UPLIFT_PARAM) is None


def test_snapped_to_the_slider_step_and_range() -> None:
    spec = PARAMETERS["funding_uplift"]
    assert snapped(spec, 3.04) == pytest.approx(0.030)
    assert snapped(spec, 3.06) == pytest.approx(0.031)
    assert snapped(spec, -5.0) == spec.low
    assert snapped(spec, 99.0) == spec.high


def test_chart_kept_while_only_its_own_inputs_moved(inputs: Inputs) -> None:
    """The sync rerun keeps the embedded spec (a drag goes on); any other change rebuilds it."""
    from components.live_view import embedded_scenario

    embedded = baseline(inputs)
    dragged = replace(embedded, funding_uplift=0.045, demand_growth=0.02)
    assert embedded_scenario(dragged, embedded, dragged) == embedded  # the chart reported these values
    assert embedded_scenario(embedded, embedded, embedded) == embedded  # nothing moved
    assert embedded_scenario(dragged, embedded, embedded) is None  # moved in the sidebar: rebuild
    other = replace(dragged, productivity_growth=0.02)
    assert embedded_scenario(other, embedded, other) is None  # another lever changed: rebuild
    assert embedded_scenario(dragged, None, None) is None  # first run
