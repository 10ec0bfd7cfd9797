"""Specs of the per-system charts: the map, one system's funding and waiting list, the strip
and region charts. Checked on ``chart.to_dict()``, not pixels."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from components import charts
from components.analysis import compare_frames
from components.charts._spec import Figure, records
from components.charts.systems_map import FUNDING_NAMES, Prebuilt
from ics_model import Inputs, Projection, Scenario, baseline, project, project_system
from ics_model.paths import RAW_DIR
from tests.test_charts import check_common, datasets, layers, rows_of


@pytest.fixture(scope="module")
def base(inputs: Inputs) -> Projection:
    return project(baseline(inputs), inputs)


@pytest.fixture(scope="module")
def scen(inputs: Inputs) -> Projection:
    return project(replace(baseline(inputs), funding_uplift=0.04, pace_of_change=0.5), inputs)


@pytest.fixture(scope="module")
def frame(scen: Projection, base: Projection) -> Any:
    return charts.systems_view_frame(scen.systems, base.systems)


RAW_CODES = [line.split(",")[0] for line in (RAW_DIR / "icb_allocations.csv").read_text().splitlines()[1:]]


@pytest.fixture(scope="module")
def geojson() -> str:
    return (RAW_DIR / "icb_boundaries.geojson").read_text(encoding="utf-8")


def test_boundaries_file(geojson: str) -> None:
    collection = json.loads(geojson)
    features = collection["features"]
    assert "Office for National Statistics" in collection["attribution"]
    assert "Contains OS data © Crown copyright" in collection["attribution"]
    assert len(features) == 42
    assert {f["properties"]["icb_code"] for f in features} == set(RAW_CODES)
    assert (RAW_DIR / "icb_boundaries.geojson").stat().st_size < 100_000  # compact enough to send each rerun


def test_view_frame(frame: Any) -> None:
    assert len(frame) == 42
    assert frame["rank_gap_per_head"].min() == 1
    assert frame.loc[frame["icb_code"] == "QOQ", "name"].item() == "Humber and North Yorkshire"
    for measure in charts.MAP_MEASURES:
        assert frame[measure].notna().all()


@pytest.mark.parametrize("measure", list(charts.MAP_MEASURES))
def test_map(frame: Any, geojson: str, measure: str) -> None:
    features = Prebuilt(json.loads(geojson)["features"])
    spec = check_common(charts.systems_map(frame, features, measure, title="t"), baseline_required=False)
    data = spec["data"]
    shapes = data["values"] if "values" in data else datasets(spec)[data["name"]]
    assert len(shapes) == 42
    assert shapes[0]["type"] == "Feature"
    assert spec["mark"]["type"] == "geoshape"
    assert spec["projection"] == {"type": "mercator"}
    lookup = spec["transform"][0]
    assert lookup["lookup"] == "properties.icb_code"
    looked_up = datasets(spec)[lookup["from"]["data"]["name"]]
    assert {r["icb_code"] for r in looked_up} == set(frame["icb_code"])
    assert spec["encoding"]["color"]["field"] == measure
    assert spec["params"][0]["name"] == charts.SELECT_NAME
    assert "Office for National Statistics" in " ".join(spec["title"]["subtitle"])
    diverging = charts.MAP_MEASURES[measure][2]
    assert (spec["encoding"]["color"]["scale"].get("domainMid") == 0) is diverging


def test_system_funding_chart(inputs: Inputs, scen: Projection, base: Projection) -> None:
    one = project_system("QOQ", scen.scenario, inputs, scen.systems_result)
    was = project_system("QOQ", base.scenario, inputs, base.systems_result)
    spec = check_common(charts.system_funding_chart(one.gap, was.gap, title="t"), baseline_required=True)
    rows = rows_of(spec, layers(spec)[0])
    series = {r["series"] for r in rows}
    assert series == set(FUNDING_NAMES)
    first = {r["series"]: r["value"] for r in rows if r["fiscal_year"] == "2025/26"}
    # Every path starts at the 2025/26 all-streams allocation, £4,876.752m.
    assert list(first.values()) == pytest.approx([4876.752] * 6)


def test_system_waiting_chart(inputs: Inputs, scen: Projection, base: Projection) -> None:
    one = project_system("QF7", scen.scenario, inputs, scen.systems_result)
    was = project_system("QF7", base.scenario, inputs, base.systems_result)
    data = charts.system_waiting_frame(one.waiting_list, was.waiting_list)
    spec = check_common(charts.system_waiting_chart(data, title="t"), baseline_required=True)
    drawn = {r["series"] for r in rows_of(spec, layers(spec)[0])}
    domain = layers(spec)[0]["encoding"]["color"]["scale"]["domain"]
    assert drawn == {"Reported", "Projection (scenario)", "Projection: Current plans"}
    assert drawn <= set(domain)  # every line has its colour and legend entry
    gap_rows = rows_of(spec, layers(spec)[1])
    assert gap_rows, "South Yorkshire's months without Sheffield's data are marked"
    assert all(r["series"] == "Provider not reporting" for r in gap_rows)
    assert sum(len(v) for v in datasets(spec).values()) < 2000


@pytest.mark.parametrize("measure", ["gap_per_head", "local_demand_growth_pct"])
def test_strip_and_region(frame: Any, measure: str) -> None:
    spec = check_common(charts.systems_strip(frame, measure, "QOQ", title="t"), baseline_required=False)
    chosen = rows_of(spec, layers(spec)[1])
    assert [r["icb_code"] for r in chosen] == ["QOQ"]
    assert len(rows_of(spec, layers(spec)[0])) == 41
    spec = check_common(charts.region_chart(frame, "QOQ", measure, title="t"), baseline_required=False)
    rows = rows_of(spec, layers(spec)[0])
    assert {r["region"] for r in rows} == {"North East and Yorkshire"}
    assert {r["icb_code"] for r in rows} == {"QOQ", "QF7", "QWO", "QHM"}


def _value_paths(spec: Any, path: str = "") -> list[str]:
    """Where inline ``values`` sit in a spec."""
    if isinstance(spec, dict):
        found = [f"{path}/values"] if "values" in spec else []
        return found + [p for key, value in spec.items() for p in _value_paths(value, f"{path}/{key}")]
    if isinstance(spec, list):
        return [p for i, value in enumerate(spec) for p in _value_paths(value, f"{path}/{i}")]
    return []


def test_figures_share_one_data_free_template(inputs: Inputs, geojson: str) -> None:
    """Two scenarios, one cached spec per builder: only the data travels with a scenario."""
    features = Prebuilt(json.loads(geojson)["features"])
    base = project(baseline(inputs), inputs)

    def figures(scenario: Scenario) -> dict[str, Figure]:
        proj = project(scenario, inputs)
        one = project_system("QF7", scenario, inputs, proj.systems_result)
        was = project_system("QF7", base.scenario, inputs, base.systems_result)
        view = charts.systems_view_frame(proj.systems, base.systems)
        named = {
            "Current plans": baseline(inputs),
            "Current scenario": scenario,
            "Four": Scenario(funding_uplift=0.04),
        }
        lines, _ = compare_frames(named, inputs)
        return {
            "systems_chart": charts.systems_chart(
                charts.systems_frame(proj.fair_share_systems, base.fair_share_systems),
                "gap_per_patient",
                title="t",
            ),
            "compare_chart": charts.compare_chart(lines, list(named), title="t"),
            "systems_map": charts.systems_map(view, features, "gap_per_head", title="t"),
            "system_funding_chart": charts.system_funding_chart(one.gap, was.gap, title="t"),
            "system_waiting_chart": charts.system_waiting_chart(
                charts.system_waiting_frame(one.waiting_list, was.waiting_list), title="t"
            ),
            "systems_strip": charts.systems_strip(view, "gap_per_head", "QOQ", title="t"),
            "region_chart": charts.region_chart(view, "QOQ", "gap_per_head", title="t"),
        }

    first = figures(replace(baseline(inputs), funding_uplift=0.04, pace_of_change=0.5))
    second = figures(replace(baseline(inputs), funding_uplift=0.01, pace_of_change=0.2))
    for name, figure in first.items():
        other = second[name]
        assert isinstance(figure, Figure), name
        assert isinstance(other, Figure), name
        assert figure.template is other.template, f"{name}: a new spec for a new scenario"
        assert "datasets" not in figure.template, name
        inline = _value_paths(figure.template)
        if name == "systems_map":
            # Only the fixed boundaries, held by the template as they are (never converted again).
            assert inline == ["/data/values"]
            assert figure.template["data"]["values"] is features.to_dict()
        else:
            assert inline == [], f"{name}: inline data in the template at {inline}"
        assert any(not a.equals(b) for a, b in zip(figure.data.values(), other.data.values(), strict=True)), (
            name
        )
        spec = figure.to_dict()  # validates against the Vega-Lite schema
        assert set(spec["datasets"]) == set(figure.data), name
        for dataset, frame in figure.data.items():
            assert spec["datasets"][dataset] == records(frame), f"{name}: {dataset}"
        assert sum(len(rows) for rows in spec["datasets"].values()) > 0, name
