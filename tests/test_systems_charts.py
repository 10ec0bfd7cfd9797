"""Specs of the per-system charts: the map, one system's funding and waiting list, the strip
and region charts. Checked on ``chart.to_dict()``, not pixels."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from components import charts
from components.charts.systems_map import FUNDING_NAMES, Prebuilt
from ics_model import Inputs, Projection, baseline, project, project_system
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
