"""Text alternatives and the page list: every chart has a summary and a data table on request;
app.py and the sidebar menu share one list of pages covering pages/."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import charts, summaries
from components.live_view import scenario_from_selection
from components.navigation import PAGES, groups
from ics_model import PARAMETERS, Inputs, Projection, baseline, project

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CHART_PAGES = [
    "overview",
    "funding_gap",
    "trade_offs",
    "waiting_list",
    "targets",
    "systems",
    "compare",
    "evidence",
]


def start(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_one_page_list_covers_every_page_script() -> None:
    scripts = {p.script for p in PAGES}
    assert scripts == {f"pages/{f.name}" for f in (ROOT / "pages").glob("*.py")}
    assert [p.url_path for p in PAGES if p.default] == [""]
    assert [p for specs in groups().values() for p in specs] == PAGES
    assert "navigation_pages()" in (ROOT / "app.py").read_text()


@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_chart_has_a_summary_and_a_closed_data_table(page: str) -> None:
    at = start(page)
    chart_elements = at.get("vega_lite_chart")
    assert chart_elements
    for chart in chart_elements:
        name = chart.proto.alt  # fixed, so the chart is updated in place, not rebuilt
        assert name.startswith("Chart: "), f"a chart on {page} has no accessible name"
        assert name.endswith(".")
    # Each chart's one-sentence summary for the scenario follows it as (visually hidden) text.
    summaries = [t.value for t in at.main.text if t.value.endswith(".")]
    assert len(summaries) >= len(chart_elements)
    assert all("nan" not in text.lower() for text in summaries)
    assert sum(any(c.isdigit() for c in text) for text in summaries) >= len(chart_elements) - 1
    tables = [e for e in at.expander if e.label.startswith("Chart as text")]
    assert len(tables) == len(chart_elements)
    # Closed, the table is not built (no cost on a slider move).
    assert all(len(e.dataframe) == 0 and len(e.text) == 0 for e in tables)


def test_data_table_opens_on_request() -> None:
    at = start("funding_gap")
    key = "chart_data_funding"
    at.session_state[key] = True  # what a click on the expander does
    at.run()
    box = next(e for e in at.expander if e.key == key)
    assert len(box.dataframe) == 1
    assert box.text[0].value.startswith("Line chart: by 2035/36")


def test_live_chart_selection_moves_the_scenario(inputs: Inputs) -> None:
    """What Streamlit's on_select reports when the chart's sliders stop: the scenario follows,
    snapped to the sliders' steps; anything unreadable changes nothing."""
    from components.charts.live import DEMAND_PARAM, UPLIFT_PARAM

    base = baseline(inputs)
    moved = scenario_from_selection(base, {UPLIFT_PARAM: [{"pct": 4.27}], DEMAND_PARAM: [{"pct": 2.0}]})
    assert moved.funding_uplift == pytest.approx(0.043)
    assert moved.demand_growth == pytest.approx(0.02)
    assert moved.national_targets == base.national_targets
    only_uplift = scenario_from_selection(base, {UPLIFT_PARAM: {"pct": 3.5}})
    assert (only_uplift.funding_uplift, only_uplift.demand_growth) == (
        pytest.approx(0.035),
        base.demand_growth,
    )
    assert scenario_from_selection(base, {}) == base
    assert scenario_from_selection(base, {UPLIFT_PARAM: {"pct": "4"}}) == base


@pytest.fixture(scope="module")
def proj(inputs: Inputs) -> Projection:
    return project(baseline(inputs), inputs)


def test_summaries_quote_the_numbers(proj: Projection) -> None:
    text = summaries.funding_vs_pressure(proj.gap, proj.gap)
    end = proj.gap.iloc[-1]
    assert f"£{end['pressure_bn']:,.1f}bn" in text
    assert f"£{end['funding_bn']:,.1f}bn" in text
    assert "2035/36" in text
    assert summaries.gap_bars(proj.gap, proj.gap).count("£") == 3
    frame = charts.waterfall_frame(proj.drivers, proj.drivers)
    assert all(step in summaries.waterfall(frame) for step in frame["step"])


def test_accessible_name_is_the_title_and_stays_fixed(inputs: Inputs, proj: Projection) -> None:
    from components.chart_view import accessible_name

    gap = charts.gap_bars(proj.gap, proj.gap, title="The gap each year")
    assert accessible_name(gap) == "Chart: The gap each year. Its figures for this scenario follow as text."
    frame = charts.live_frame(proj, 10)
    levers = (PARAMETERS["funding_uplift"], PARAMETERS["demand_growth"])
    live = charts.live_funding_chart(frame, baseline(inputs), inputs, *levers, title="Funding and pressure")
    assert accessible_name(live).startswith("Chart: Funding and pressure. ")  # from its first panel
    moved = replace(baseline(inputs), productivity_growth=0.02)
    assert accessible_name(
        charts.live_funding_chart(frame, moved, inputs, *levers, title="Funding and pressure")
    ) == (accessible_name(live))
