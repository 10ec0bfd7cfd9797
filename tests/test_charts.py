"""Chart builders, checked on their Vega-Lite specs (``to_dict()``, schema-validated), not pixels.

Every projection chart must carry a grey dashed "Current plans" baseline; fiscal years are
ordinal, real dates temporal; data stays small; fonts are projector-sized.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from components import charts
from components.analysis import (
    burden_frame,
    compare_frames,
    dividend_sensitivity,
    heatmap_grid,
    heatmap_points,
    tornado_frame,
)
from components.charts._spec import Figure, records
from components.national_targets import history_frame as targets_history_frame
from ics_model import CONSTANTS, Inputs, Projection, Scenario, baseline, project

MAX_ROWS = 2000


# --- helpers ---------------------------------------------------------------------------------


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every unit spec in a (possibly layered) chart."""
    return spec.get("layer", [spec])


def mark_type(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def datasets(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return spec.get("datasets", {})


def rows_of(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The data rows a layer draws (its own data, else the chart's)."""
    data = layer.get("data") or spec.get("data")
    return datasets(spec)[data["name"]]


def field_types(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Each encoded field and the types it is encoded with, across layers."""
    found: dict[str, set[str]] = {}
    for layer in layers(spec):
        for name, channel in layer.get("encoding", {}).items():
            items = channel if isinstance(channel, list) else [channel]
            for item in items:
                if name not in ("x2", "y2") and isinstance(item, dict) and "field" in item:
                    found.setdefault(item["field"], set()).add(item["type"])
    return found


def has_baseline(spec: dict[str, Any]) -> bool:
    """A layer draws 'Current plans' rows in the baseline grey (fixed colour or scale range)."""
    for layer in layers(spec):
        mark, enc = layer["mark"], layer.get("encoding", {})
        colour = mark.get("color") if isinstance(mark, dict) else None
        rows = rows_of(spec, layer)
        named = any("Current plans" in str(v) for row in rows for v in row.values())
        if colour == charts.BASELINE_GREY and (named or "baseline" in " ".join(map(str, enc.values()))):
            return True
        scale = enc.get("color", {}).get("scale", {})
        domain, colours = scale.get("domain", []), scale.get("range", [])
        for name, value in zip(domain, colours, strict=False):
            if "Current plans" in str(name) and value == charts.BASELINE_GREY and named:
                return True
    return False


def check_common(chart: Any, *, baseline_required: bool) -> dict[str, Any]:
    """The checks every chart passes; returns the validated spec."""
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    for name, values in datasets(spec).items():
        assert len(values) < MAX_ROWS, f"dataset {name} has {len(values)} rows"
    config = spec["config"]
    assert config["axis"]["labelFontSize"] >= 13
    assert config["axis"]["titleFontSize"] >= 13
    assert config["legend"]["labelFontSize"] >= 13
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert "title" in spec
    if baseline_required:
        assert has_baseline(spec), "projection chart without the Current plans baseline"
    for layer in layers(spec):
        for name, channel in layer.get("encoding", {}).items():
            # x2/y2 share their primary channel's type and take none of their own.
            if name not in ("x2", "y2") and isinstance(channel, dict) and "field" in channel:
                assert "type" in channel, f"implicit encoding type for {channel['field']}"
    return spec


@pytest.fixture(scope="module")
def base(inputs: Inputs) -> Projection:
    return project(baseline(inputs), inputs)


@pytest.fixture(scope="module")
def scen(inputs: Inputs) -> Projection:
    """A scenario that differs from the baseline on every axis the charts show."""
    return project(
        replace(baseline(inputs), funding_uplift=0.04, national_targets=10, autonomy_share=0.5), inputs
    )


# --- funding gap -----------------------------------------------------------------------------


def test_funding_vs_pressure(inputs: Inputs, scen: Projection, base: Projection) -> None:
    lines, band = charts.funding_frame(scen.gap, base.gap, inputs.tables["budgets"])
    spec = check_common(charts.funding_vs_pressure(lines, band, title="t"), baseline_required=True)
    assert field_types(spec)["fiscal_year"] == {"ordinal"}
    assert set(lines["series"]) == set(charts.FUNDING_SERIES)
    # The scenario's funding at the horizon is drawn at its model value.
    funding = lines[(lines["series"] == "Funding (scenario)") & (lines["fiscal_year"] == "2035/36")]
    assert funding["value"].iloc[0] == pytest.approx(scen.gap["funding_bn"].iloc[-1])
    # History: NHS England's real budget from 2013/14, outturn and plan both present.
    history = lines[lines["series"].str.startswith("NHS England")]
    assert history["fiscal_year"].min() == "2013/14"
    assert {"NHS England budget (outturn)", "NHS England budget (plan)"} <= set(history["series"])
    # Two bands (95% and 80%), the 95% band wider than the 80% band.
    areas = [layer for layer in layers(spec) if mark_type(layer) == "area"]
    assert len(areas) == 2
    assert (band["pressure_high95_bn"] >= band["pressure_high_bn"]).all()
    assert (band["pressure_low95_bn"] <= band["pressure_low_bn"]).all()


def test_gap_bars(scen: Projection, base: Projection) -> None:
    spec = check_common(charts.gap_bars(scen.gap, base.gap, title="t"), baseline_required=True)
    assert field_types(spec)["fiscal_year"] == {"ordinal"}
    bars = next(layer for layer in layers(spec) if mark_type(layer) == "bar")
    assert len(rows_of(spec, bars)) == scen.scenario.horizon_years + 1
    dashed = [
        layer for layer in layers(spec) if isinstance(layer["mark"], dict) and layer["mark"].get("strokeDash")
    ]
    assert dashed, "the baseline line is dashed"


def test_waterfall_arithmetic(scen: Projection, base: Projection) -> None:
    frame = charts.waterfall_frame(scen.drivers, base.drivers)
    by_step = frame.set_index("step")
    # Base budget plus each driver reaches pressure at the horizon.
    drivers = ["Demand growth", "Unit cost growth", "Productivity", "Targets dividend"]
    assert by_step.loc["Targets dividend", "end"] == pytest.approx(by_step.loc["Pressure at horizon", "end"])
    assert by_step.loc["Base-year budget", "end"] + by_step.loc[drivers, "value_bn"].sum() == pytest.approx(
        scen.pressure[-1]
    )
    # The gap bar runs from funding to pressure.
    assert by_step.loc["Gap at horizon", "start"] == pytest.approx(scen.funding[-1])
    assert by_step.loc["Gap at horizon", "end"] == pytest.approx(scen.pressure[-1])
    assert by_step.loc["Pressure at horizon", "baseline_end"] == pytest.approx(base.pressure[-1])
    spec = check_common(charts.waterfall(frame, title="t"), baseline_required=False)
    ticks = [layer for layer in layers(spec) if mark_type(layer) == "tick"]
    assert ticks[0]["mark"]["color"] == charts.BASELINE_GREY
    assert ticks[0]["encoding"]["y"]["field"] == "baseline_end"


# --- trade-offs ------------------------------------------------------------------------------


def test_zero_gap_line_hand_worked() -> None:
    # gap = y - x on a grid: the zero line is y = x (interpolated between grid points).
    xs, ys = np.linspace(0, 4, 5), np.linspace(0, 4, 9)
    grid = pd.DataFrame([(x, y, y - x) for x in xs for y in ys], columns=["a", "b", "gap_bn"])
    line = charts.zero_gap_line(grid, "a", "b")
    assert line["a"].tolist() == pytest.approx(list(xs))
    assert line["b"].tolist() == pytest.approx(list(xs))


def test_tradeoff_heatmap(inputs: Inputs, scen: Projection, base: Projection) -> None:
    grid = heatmap_grid(scen.scenario, inputs, n=40)
    assert len(grid) == 1600
    zero = charts.zero_gap_line(grid, "funding_uplift", "demand_growth")
    points = heatmap_points(scen.scenario, base.scenario, scen.headline.gap_bn_at_horizon, 0.0)
    chart = charts.tradeoff_heatmap(
        grid, zero, points, x="funding_uplift", y="demand_growth", x_title="x", y_title="y", title="t"
    )
    spec = check_common(chart, baseline_required=False)
    marks = [mark_type(layer) for layer in layers(spec)]
    assert marks[:2] == ["rect", "line"]
    # The baseline is marked on the map as a grey diamond, the scenario as a blue ring.
    point_layers = [layer for layer in layers(spec) if mark_type(layer) == "point"]
    colours = {layer["mark"]["color"] for layer in point_layers}
    assert colours == {charts.BASELINE_GREY, charts.NHS_BLUE}
    heat = layers(spec)[0]
    assert heat["encoding"]["color"]["scale"]["domainMid"] == 0
    # Along the zero line, the gap is zero: the break-even uplift equals pressure growth.
    at_scenario_demand = np.interp(
        scen.scenario.demand_growth * 100, zero["demand_growth"], zero["funding_uplift"]
    )
    assert at_scenario_demand == pytest.approx(scen.growth * 100, abs=0.05)


def test_tornado(inputs: Inputs, scen: Projection, base: Projection) -> None:
    frame = tornado_frame(scen.scenario, inputs)
    spec = check_common(
        charts.tornado(frame, scen.headline.gap_bn_at_horizon, base.headline.gap_bn_at_horizon, title="t"),
        baseline_required=True,
    )
    rule = next(layer for layer in layers(spec) if mark_type(layer) == "rule")
    assert {"Scenario", "Current plans"} == {row["series"] for row in rows_of(spec, rule)}
    assert len(frame) == 8


# --- waiting list ----------------------------------------------------------------------------


def test_waiting_list_chart(inputs: Inputs, scen: Projection, base: Projection) -> None:
    lines, band = charts.waiting_list_frames(
        inputs.tables["rtt_monthly"], scen.waiting_list, base.waiting_list
    )
    feb = inputs.baselines["feb_2020_list"] / 1e6
    spec = check_common(charts.waiting_list_chart(lines, band, feb, title="t"), baseline_required=True)
    assert field_types(spec)["month"] == {"temporal"}
    history = lines[lines["series"] == "Actual (NHS England RTT)"]
    assert history["month"].min() == pd.Timestamp("2007-08-01")  # the list is published from August 2007
    assert history["value"].max() == pytest.approx(7.768573)  # peak, September 2023 (SOURCES.md)
    rules = [layer for layer in layers(spec) if mark_type(layer) == "rule"]
    assert rows_of(spec, rules[0])[0]["value"] == pytest.approx(4.573675)


def test_flows_are_whole_fiscal_years(scen: Projection, base: Projection) -> None:
    flows = charts.flows_frame(scen.waiting_list, base.waiting_list)
    assert set(flows["series"]) == set(charts.FLOW_SERIES)
    spec = check_common(charts.flows_chart(flows, title="t"), baseline_required=True)
    assert field_types(spec)["fiscal_year"] == {"ordinal"}
    months = scen.waiting_list.dropna(subset=["referrals"])
    first = months[months["month"] >= pd.Timestamp("2026-04-01")].head(12)
    referrals = flows[(flows["series"] == "Referrals (scenario)") & (flows["fiscal_year"] == "2026/27")]
    assert referrals["value"].iloc[0] == pytest.approx(first["referrals"].sum() / 1e6)


def test_rtt_standard_chart(inputs: Inputs) -> None:
    spec = check_common(
        charts.rtt_standard_chart(inputs.tables["rtt_monthly"], CONSTANTS["rtt_standard"], title="t"),
        baseline_required=False,
    )
    rule = next(layer for layer in layers(spec) if mark_type(layer) == "rule")
    assert rows_of(spec, rule)[0]["pct"] == pytest.approx(92.0)


# --- targets, systems, compare, evidence -----------------------------------------------------


def test_dividend_sensitivity_chart(inputs: Inputs, scen: Projection, base: Projection) -> None:
    frame = dividend_sensitivity(scen.scenario, inputs)
    assert frame["gap_bn"].is_monotonic_decreasing  # autonomy > 0 and targets < T0: a bigger k helps
    chart = charts.dividend_sensitivity_chart(
        frame, 0.5, scen.targets.gap_bn_without_dividend, base.headline.gap_bn_at_horizon, title="t"
    )
    check_common(chart, baseline_required=True)


def test_burden_chart(scen: Projection, base: Projection) -> None:
    t = scen.targets
    frame = burden_frame(
        t.burden_m / 1e3, scen.headline.gap_bn_at_horizon, base.headline.gap_bn_at_horizon, 10
    )
    spec = check_common(charts.burden_vs_gap_chart(frame, title="t"), baseline_required=True)
    bar = layers(spec)[0]
    # A fixed bar height collapses a band scale's rows on top of each other.
    assert not (isinstance(bar["mark"], dict) and "height" in bar["mark"])
    burden = next(r for r in rows_of(spec, bar) if r["item"].startswith("Oversight"))
    assert burden["value_bn"] == pytest.approx(
        10 * 42 * CONSTANTS["hours_per_target"] * CONSTANTS["cost_per_hour"] / 1e9
    )


def test_systems_chart(scen: Projection, base: Projection) -> None:
    frame = charts.systems_frame(scen.systems, base.systems)
    assert len(frame) == 42
    # Fair shares add up to the national gap.
    assert frame["gap_horizon_m"].sum() / 1e3 == pytest.approx(scen.headline.gap_bn_at_horizon)
    for measure in charts.SYSTEM_MEASURES:
        spec = check_common(charts.systems_chart(frame, measure, title="t"), baseline_required=True)
        assert spec["height"] >= 20 * 42  # one readable row per system
        colour = layers(spec)[0]["encoding"]["color"]
        assert colour["field"] == "region"
        assert colour["type"] == "nominal"


def test_compare_chart(inputs: Inputs) -> None:
    named = {
        "Current plans": baseline(inputs),
        "Current scenario": Scenario(),
        "Four per cent": Scenario(funding_uplift=0.04),
    }
    lines, table = compare_frames(named, inputs)
    spec = check_common(charts.compare_chart(lines, list(named), title="t"), baseline_required=True)
    assert field_types(spec)["fiscal_year"] == {"ordinal"}
    assert table.loc[0, "gap_vs_baseline_bn"] == 0
    assert table.set_index("scenario").loc["Four per cent", "gap_vs_baseline_bn"] < 0


def test_evidence_charts(inputs: Inputs) -> None:
    evidence = inputs.tables["evidence"]
    spec = check_common(charts.evidence_percent_chart(evidence, title="t"), baseline_required=False)
    rows = rows_of(spec, layers(spec)[0])
    assert {r["value"] for r in rows} >= {61.0, 44.0, 42.0, 80.0, 29.0}
    assert all(r["source"] for r in rows)
    check_common(charts.funding_evidence_chart(evidence, 3.0, 3.0, title="t"), baseline_required=True)


def test_growth_by_government(inputs: Inputs) -> None:
    tdel = inputs.tables["tdel_growth_by_government"]
    spec = check_common(charts.growth_by_government_chart(tdel, 4.0, 3.0, title="t"), baseline_required=True)
    bars = rows_of(spec, layers(spec)[0])
    assert len(bars) == len(tdel) - 1  # the long-run average is a rule, not a bar
    rule = next(layer for layer in layers(spec) if mark_type(layer) == "rule")
    average = next(r for r in rows_of(spec, rule) if r["series"].startswith("Long-run"))
    assert average["value"] == pytest.approx(3.80, abs=0.01)  # 1979/80-2019/20, REAL Centre


def test_wrap_label() -> None:
    assert charts.wrap_label("Unit cost growth", 10) == "Unit cost|growth"
    assert charts.wrap_label("Gap", 10) == "Gap"


def test_specs_are_deterministic(scen: Projection, base: Projection) -> None:
    """Two builds of the same chart give the same spec, so Vega need not rebuild the view."""
    first = charts.gap_bars(scen.gap, base.gap, title="t").to_dict()
    second = charts.gap_bars(scen.gap, base.gap, title="t").to_dict()
    assert first == second


# --- templates: one spec per chart shape, the data by name ----------------------------------


def _figures(projection: Projection, base: Projection, inputs: Inputs) -> dict[str, Any]:
    lines, band = charts.funding_frame(projection.gap, base.gap, inputs.tables["budgets"])
    wl_lines, wl_band = charts.waiting_list_frames(
        inputs.tables["rtt_monthly"], projection.waiting_list, base.waiting_list
    )
    grid = heatmap_grid(projection.scenario, inputs, n=12)
    gap, base_gap = projection.headline.gap_bn_at_horizon, base.headline.gap_bn_at_horizon
    return {
        "funding": charts.funding_vs_pressure(lines, band, title="t"),
        "gap": charts.gap_bars(projection.gap, base.gap, title="t"),
        "waterfall": charts.waterfall(charts.waterfall_frame(projection.drivers, base.drivers), title="t"),
        "waiting": charts.waiting_list_chart(wl_lines, wl_band, 4.57, title="t"),
        "flows": charts.flows_chart(
            charts.flows_frame(projection.waiting_list, base.waiting_list), title="t"
        ),
        "rtt": charts.rtt_standard_chart(inputs.tables["rtt_monthly"], 0.92, title="t"),
        "tornado": charts.tornado(tornado_frame(projection.scenario, inputs), gap, base_gap, title="t"),
        "heatmap": charts.tradeoff_heatmap(
            grid,
            charts.zero_gap_line(grid, "funding_uplift", "demand_growth"),
            heatmap_points(projection.scenario, base.scenario, gap, base_gap),
            x="funding_uplift",
            y="demand_growth",
            x_title="x",
            y_title="y",
            title="t",
        ),
    }


def test_a_slider_move_changes_the_data_not_the_spec(
    inputs: Inputs, scen: Projection, base: Projection
) -> None:
    """Two scenarios one funding step apart draw every chart from the very same cached spec."""
    nudged = project(replace(scen.scenario, funding_uplift=scen.scenario.funding_uplift + 0.001), inputs)
    first, second = _figures(scen, base, inputs), _figures(nudged, base, inputs)
    for name, figure in first.items():
        assert second[name].template is figure.template, name
        assert not inline_data_keys(figure.template), name
        spec = figure.to_dict()  # validated, with the rows inline
        assert set(spec["datasets"]) == set(figure.data), name
    assert not first["gap"].data["scenario"].equals(second["gap"].data["scenario"])


def test_colour_limit_rounds_up_to_a_whole_step() -> None:
    assert charts.colour_limit(pd.Series([-87.3, 12.0])) == 90.0
    assert charts.colour_limit(pd.Series([5.2, -1.0])) == 6.0
    assert charts.colour_limit(pd.Series([0.0])) == 1.0
    assert charts.colour_limit(pd.Series([-40.0, 40.0])) == 40.0


def test_tornado_sorts_widest_first_in_the_browser(inputs: Inputs, scen: Projection) -> None:
    frame = tornado_frame(scen.scenario, inputs)
    spec = charts.tornado(frame, 0.0, 0.0, title="t").to_dict()
    bars = next(layer for layer in layers(spec) if mark_type(layer) == "bar")
    assert bars["encoding"]["y"]["sort"] == {"field": "width", "op": "max", "order": "descending"}
    widths = {row["label"]: row["width"] for row in rows_of(spec, bars)}
    for row in frame.itertuples():
        assert widths[row.label] == pytest.approx(abs(row.high_gap_bn - row.low_gap_bn))


# --- cached templates ------------------------------------------------------------------------


def inline_data_keys(spec: Any) -> set[str]:
    """The keys that would hold inline data ("values", "datasets") anywhere in a spec."""
    if isinstance(spec, dict):
        found = {key for key in spec if key in ("values", "datasets")}
        for value in spec.values():
            found |= inline_data_keys(value)
        return found
    if isinstance(spec, list):
        return set().union(*map(inline_data_keys, spec)) if spec else set()
    return set()


def check_shared_template(first: Any, second: Any) -> list[dict[str, Any]]:
    """Two builds for different inputs share one data-free spec; each ``to_dict()`` holds its rows."""
    assert isinstance(first, Figure)
    assert isinstance(second, Figure)
    assert first.template is second.template
    assert not inline_data_keys(first.template)
    assert first.data.keys() == second.data.keys()
    assert any(not first.data[name].equals(second.data[name]) for name in first.data), "inputs do not differ"
    specs = []
    for figure in (first, second):
        spec = figure.to_dict()  # validates against the Vega-Lite schema
        assert spec["datasets"] == {name: records(frame) for name, frame in figure.data.items()}
        for layer in layers(spec):
            assert rows_of(spec, layer), "a layer without rows"
        specs.append(spec)
    return specs


def test_evidence_figures_share_a_template(inputs: Inputs, scen: Projection, base: Projection) -> None:
    evidence, tdel = inputs.tables["evidence"], inputs.tables["tdel_growth_by_government"]
    revised = evidence.assign(value=evidence["value"] + 1.0)  # the same measures, other figures
    check_shared_template(
        charts.evidence_percent_chart(evidence, title="t"), charts.evidence_percent_chart(revised, title="t")
    )
    uplifts = [(p.scenario.funding_uplift * 100, base.scenario.funding_uplift * 100) for p in (scen, base)]
    assert uplifts[0] != uplifts[1]
    specs = check_shared_template(*(charts.funding_evidence_chart(evidence, *u, title="t") for u in uplifts))
    assert [r["value"] for r in specs[0]["datasets"]["rules"]] == pytest.approx([4.0, 3.0])
    specs = check_shared_template(*(charts.growth_by_government_chart(tdel, *u, title="t") for u in uplifts))
    assert [r["value"] for r in specs[1]["datasets"]["rules"]][1:] == pytest.approx([3.0, 3.0])


def test_targets_figures_share_a_template(inputs: Inputs, scen: Projection, base: Projection) -> None:
    dividend, burden = [], []
    for p in (scen, base):
        sens = dividend_sensitivity(p.scenario, inputs)
        dividend.append(
            charts.dividend_sensitivity_chart(
                sens,
                p.scenario.autonomy_dividend * 100,
                p.targets.gap_bn_without_dividend,
                base.headline.gap_bn_at_horizon,
                title="t",
            )
        )
        t = p.targets
        frame = burden_frame(
            t.burden_m / 1e3,
            p.headline.gap_bn_at_horizon,
            base.headline.gap_bn_at_horizon,
            t.national_targets,
        )
        burden.append(charts.burden_vs_gap_chart(frame, title="t"))
    check_shared_template(*dividend)
    specs = check_shared_template(*burden)
    # The items name the count of targets, so they are kept in the data's order, not a sort list.
    first, second = ([r["item"] for r in spec["datasets"]["burden"]] for spec in specs)
    assert first[0] != second[0]
    assert layers(specs[0])[0]["encoding"]["y"]["sort"] is None


def test_national_targets_figure_shares_a_template(inputs: Inputs) -> None:
    history = inputs.tables["national_targets_history"]
    specs = check_shared_template(
        *(charts.targets_history_chart(targets_history_frame(history, n), title="t") for n in (10, 25))
    )
    assert [r["count"] for r in specs[1]["datasets"]["targets"]][-1] == 25
    check_common(
        charts.targets_history_chart(targets_history_frame(history, 10), title="t"), baseline_required=False
    )


def _projections(cutoffs: list[str]) -> pd.DataFrame:
    months = pd.date_range("2019-04-01", periods=6, freq="MS")
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "month": months,
                    "cutoff": cutoff,
                    "projected": 7.0 + i,
                    "lower80": 6.5 + i,
                    "upper80": 7.5 + i,
                    "actual": 7.2,
                }
            )
            for i, cutoff in enumerate(cutoffs)
        ],
        ignore_index=True,
    )


def test_track_record_figures_share_a_template() -> None:
    history = pd.DataFrame({"month": pd.date_range("2017-01-01", periods=40, freq="MS"), "actual": 7.0})
    covid = pd.DataFrame(
        {"start": [pd.Timestamp("2020-03-01")], "end": [pd.Timestamp("2022-03-01")], "label": ["COVID"]}
    )
    # A cut-off of one's own, added last though it is earlier, takes the next colour.
    runs = (["From March 2019", "From March 2024"], ["From March 2019", "From March 2024", "From June 2021"])
    figures = [charts.backtest_chart(history, _projections(c), covid, title="t", unit="m") for c in runs]
    specs = check_shared_template(*figures)
    for figure, spec, cutoffs in zip(figures, specs, runs, strict=True):
        check_common(figure, baseline_required=False)
        ranks = {r["cutoff"]: r["cutoff_rank"] for r in spec["datasets"]["projections"]}
        assert sorted(ranks, key=ranks.__getitem__) == cutoffs
    colour = next(layer for layer in layers(specs[0]) if "color" in layer.get("encoding", {}))["encoding"][
        "color"
    ]
    assert colour["sort"] == {"field": "cutoff_rank", "op": "min"}
    assert colour["scale"]["range"][:3] == charts.CATEGORICAL[:3]
    residuals = [
        pd.DataFrame({"month": ["2019-01", "2019-02", "2019-03"], "residual": [0.01 * k, -0.02, 0.03]})
        for k in (1, 2)
    ]
    figures = [charts.residual_chart(r, title="t") for r in residuals]
    specs = check_shared_template(*figures)
    check_common(figures[0], baseline_required=False)
    assert specs[0]["datasets"]["zero"] == [{"y": 0.0}]


# --- layout that follows the chart's width (legend columns, label limits) -------------------


def _legend_label_xs(spec: dict[str, Any], width: int) -> set[float]:
    """The x positions of the legend's labels when the chart is drawn ``width`` pixels wide."""
    import vl_convert as vlc

    xs: set[float] = set()

    def walk(mark: dict[str, Any], x0: float) -> None:
        for item in mark.get("items", []):
            x = x0 + float(item.get("x", 0) or 0)
            if mark.get("role") == "legend-label":
                xs.add(round(x))
            for child in item.get("items", []):
                walk(child, x)

    walk(vlc.vegalite_to_scenegraph({**spec, "width": width})["scenegraph"], 0.0)
    return xs


def test_legend_columns_follow_the_chart_width(inputs: Inputs, scen: Projection, base: Projection) -> None:
    """Six funding series: three columns on a desktop-wide chart, one on a phone-wide one."""
    lines, band = charts.funding_frame(scen.gap, base.gap, inputs.tables["budgets"])
    spec = charts.funding_vs_pressure(lines, band, title="t").to_dict()
    assert len(_legend_label_xs(spec, 700)) == 3
    assert len(_legend_label_xs(spec, 300)) == 1


def test_files_keep_the_full_label_limit(scen: Projection, base: Projection) -> None:
    """Label limits shrink with the browser's container; a PNG or SVG file has no container, so
    the longest system name is written out in full, as before."""
    from components.chart_export import to_svg

    frame = charts.systems_frame(scen.systems, base.systems)
    longest = max(frame["name"], key=len)
    svg = to_svg(
        charts.systems_chart(frame, next(iter(charts.SYSTEM_MEASURES)), title="t").to_dict()
    ).decode()
    assert f">{longest.replace('&', '&amp;')}</text>" in svg  # drawn whole: no ellipsis
    assert "…</text>" not in svg
