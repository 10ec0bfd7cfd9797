"""Board-room mode in a real browser: presenter view at projector sizes, undo/redo, a story
from a link, and every export downloaded and read back."""

from __future__ import annotations

import io
import json
import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pypdf import PdfReader

from components.analysis import money_bn
from components.story import encode, make_story, to_json
from ics_model import Inputs, Scenario, presets, project
from ics_model.scenario import lever_names

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]

# Each metric value (and its inner text block) against its box: scrollWidth > clientWidth means
# the text is cut (an ellipsis or hidden overflow).
TRUNCATED = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetricValue"]')]
  .flatMap(v => [v, ...v.querySelectorAll('*')])
  .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis'
               && e.scrollWidth > e.clientWidth)
  .map(e => e.innerText)"""


def open_page(app: Any, path: str = "", query: str = "", *, metrics: int = 8) -> None:
    """app.goto, with a second wait for a cold server on a busy machine, until the page shows
    ``metrics`` headline cards (the Overview's eight)."""
    try:
        app.goto(path, query)
    except AssertionError:
        app.wait_rendered()
    app.page.wait_for_function(
        'n => document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stMetric"]\').length >= n',
        arg=metrics,
    )
    app.wait_rendered()


def current_plans(inputs: Inputs) -> Scenario:
    return presets(inputs)["Current plans"]


def headline_value(scenario: Scenario, inputs: Inputs) -> str:
    return money_bn(project(scenario, inputs).headline.gap_bn_at_horizon)


@pytest.fixture
def sized(app: Any) -> Any:
    """The shared page; its viewport is put back after the test."""
    size = app.page.viewport_size
    yield app
    app.page.set_viewport_size(size)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_presenter_view_shows_every_value_in_full(
    sized: Any, width: int, height: int, screenshot_dir: Path
) -> None:
    app = sized
    app.page.set_viewport_size({"width": width, "height": height})
    # A scenario with long values: a surplus, a long waiting list, "Not by 2035/36".
    open_page(app, "", "presenter=1&funding_uplift=2.2&demand_growth=2.9")
    page = app.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.bounding_box() is None or sidebar.bounding_box()["width"] < 5  # collapsed
    assert page.locator('[data-testid="stMainMenu"]').is_hidden()
    assert page.locator(
        ".st-key-presenter_bar input[type=range], .st-key-presenter_bar [role=slider]"
    ).count() == len(lever_names())
    values = [v for _, v in app.main_metrics()]
    assert len(values) == 8
    assert all(values)
    assert page.evaluate(TRUNCATED) == []
    # The charts use the page's width: two side by side, each close to half of it.
    charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
    assert charts.count() == 2
    assert charts.first.bounding_box()["width"] > 0.4 * width
    page.screenshot(path=str(screenshot_dir / f"presenter_{width}x{height}.png"))
    assert app.app_errors() == []


def test_presenter_shortcut_and_predict_then_reveal(app: Any, inputs: Inputs, screenshot_dir: Path) -> None:
    open_page(app)
    page = app.page
    page.mouse.click(5, 5)
    page.keyboard.press("p")
    page.wait_for_function("() => new URLSearchParams(location.search).get('presenter') === '1'")
    app.wait_rendered()
    assert page.locator(".st-key-presenter_bar").count() == 1

    page.locator(".st-key-predict label").click()
    app.wait_rendered()
    assert len(app.main_metrics()) == 8  # the scenario on screen stays shown
    page.locator(
        ".st-key-bar_funding_uplift [role=slider], .st-key-bar_funding_uplift input[type=range]"
    ).first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('funding_uplift') === '3.1'")
    app.wait_rendered()
    assert app.main_metrics() == []
    page.screenshot(path=str(screenshot_dir / "predict_hidden.png"))
    page.locator(".st-key-reveal button").click()
    app.wait_rendered()
    moved = replace(current_plans(inputs), funding_uplift=0.031)
    assert app.headline()[1] == headline_value(moved, inputs)
    assert app.app_errors() == []


def test_undo_and_redo(app: Any, inputs: Inputs) -> None:
    base = current_plans(inputs)
    open_page(app)
    app.press("funding_uplift", "ArrowRight", times=3)  # three changes: 3.1, 3.2, 3.3
    page = app.page
    undo = page.locator(".st-key-undo button").first
    redo = page.locator(".st-key-redo button").first
    assert redo.is_disabled()
    for expected in (3.2, 3.1):
        undo.click()
        page.wait_for_function(
            "v => new URLSearchParams(location.search).get('funding_uplift') === v", arg=f"{expected:g}"
        )
        app.wait_rendered()
        assert app.slider_value("funding_uplift") == pytest.approx(expected)
        assert app.headline()[1] == headline_value(replace(base, funding_uplift=expected / 100), inputs)
    redo.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('funding_uplift') === '3.2'")
    app.wait_rendered()
    assert app.slider_value("funding_uplift") == pytest.approx(3.2)
    assert not redo.is_disabled()
    # Ctrl+Z undoes too.
    page.mouse.click(5, 5)
    page.keyboard.press("Control+z")
    page.wait_for_function("() => new URLSearchParams(location.search).get('funding_uplift') === '3.1'")
    app.wait_rendered()
    assert app.headline()[1] == headline_value(replace(base, funding_uplift=0.031), inputs)
    assert app.app_errors() == []


def test_three_step_story_from_a_link(app: Any, inputs: Inputs, screenshot_dir: Path) -> None:
    base = current_plans(inputs)
    steps = make_story(
        [
            ("Today", "Current plans continued", base),
            (
                "Four per cent",
                "What economists said would improve services",
                replace(base, funding_uplift=0.04),
            ),
            ("Hewitt", "Ten targets, earned autonomy for 60%", presets(inputs)["Hewitt"]),
        ]
    )
    open_page(app, "", f"story={encode(steps, base)}")
    page = app.page
    bar = page.locator(".st-key-story_bar")
    for i, step in enumerate(steps):
        assert f"{i + 1} of 3" in bar.inner_text()
        assert f"{step.name}: {step.note}" in bar.inner_text()
        assert app.headline()[1] == headline_value(step.scenario, inputs)
        if i == 1:
            page.screenshot(path=str(screenshot_dir / "story_step_2.png"))
        if i < 2:
            bar.get_by_role("button", name="Next").click()
            page.wait_for_function(
                "n => new URLSearchParams(location.search).get('step') === n", arg=str(i + 2)
            )
            app.wait_rendered()
    assert bar.get_by_role("button", name="Next").is_disabled()
    bar.get_by_role("button", name="Previous").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '2'")
    app.wait_rendered()
    assert app.headline()[1] == headline_value(steps[1].scenario, inputs)
    assert app.app_errors() == []


def _download(page: Any, locator: Any) -> bytes:
    with page.expect_download() as info:
        locator.click()
    path = info.value.path()
    return Path(path).read_bytes()


def _open_files(page: Any, name: str) -> None:
    """Open the chart's "Chart as text, table and files" expander, where its PNG and SVG are."""
    page.locator(f".st-key-chart_data_{name} summary").first.click()
    page.locator(f".st-key-png_{name} button").first.wait_for(timeout=30_000)


def test_every_overview_export_downloads_and_reads_back(app: Any, inputs: Inputs) -> None:
    scenario = replace(current_plans(inputs), funding_uplift=0.04)
    open_page(app, "", "funding_uplift=4")
    page = app.page
    h = project(scenario, inputs).headline

    for name in ("live", "overview_waiting_list"):
        _open_files(page, name)
        png = _download(page, page.locator(f".st-key-png_{name} button").first)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">I", png[16:20])[0] == 1800  # 900 px at 2x
        svg = _download(page, page.locator(f".st-key-svg_{name} button").first).decode("utf-8")
        assert svg.lstrip().startswith("<svg")
        assert "Scenario: funding uplift: 4%; otherwise as Current plans" in svg
        assert "Source: ICS Policy Explorer model" in svg

    deck = Presentation(
        io.BytesIO(_download(page, page.get_by_role("button", name="Board pack (PowerPoint)").first))
    )
    headline_slide = deck.slides[1]
    cells = [c.text for s in headline_slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
    assert f"£{abs(h.gap_bn_at_horizon):,.1f}bn surplus" in cells
    brief = PdfReader(
        io.BytesIO(_download(page, page.get_by_role("button", name="One-page brief (PDF)").first))
    )
    assert len(brief.pages) == 1
    text = brief.pages[0].extract_text()
    assert f"£{abs(h.gap_bn_at_horizon):,.1f}bn surplus" in text
    assert "funding_uplift=4" in text
    assert app.app_errors() == []


def test_chart_exports_on_another_page(app: Any) -> None:
    open_page(app, "funding_gap", "national_targets=10&autonomy_share=60", metrics=0)
    page = app.page
    _open_files(page, "gap")
    svg = _download(page, page.locator(".st-key-svg_gap button").first).decode("utf-8")
    assert "The gap each year" in svg
    assert "national targets: 10 targets per ICS, earned autonomy: 60%" in svg
    _open_files(page, "drivers")
    png = _download(page, page.locator(".st-key-png_drivers button").first)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.app_errors() == []


def test_phone_starts_with_the_sidebar_closed_and_cards_stacked(sized: Any, screenshot_dir: Path) -> None:
    app = sized
    app.page.set_viewport_size({"width": 390, "height": 844})
    open_page(app)
    page = app.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 5  # off screen
    lefts = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
             .map(m => Math.round(m.getBoundingClientRect().left))"""
    )
    assert len(lefts) == 8
    assert len(set(lefts)) == 1  # one column
    assert page.evaluate(TRUNCATED) == []
    page.screenshot(path=str(screenshot_dir / "phone_overview.png"))


def test_story_file_download_and_upload(app: Any, inputs: Inputs, tmp_path: Path) -> None:
    base = current_plans(inputs)
    three = make_story(
        [("A", "first", base), ("B", "second", replace(base, funding_uplift=0.04)), ("C", "", base)]
    )
    open_page(app, "compare", f"story={encode(three, base)}", metrics=0)
    page = app.page
    bar = page.locator(".st-key-story_bar")
    assert "1 of 3" in bar.inner_text()
    saved = json.loads(_download(page, page.locator(".st-key-story_json button").first))
    assert [s["name"] for s in saved["steps"]] == ["A", "B", "C"]
    assert saved["steps"][1]["scenario"] == {"funding_uplift": "4"}

    # A malformed file: one clear message, and the story that was there stays.
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "ics-policy-explorer-story", "version": 1, "steps": [{"name": "x", '
        '"scenario": {"funding_uplift": "<script>"}}]}'
    )
    page.locator('.st-key-story_upload input[type="file"]').set_input_files(str(bad))
    page.wait_for_selector('[data-testid="stAlertContentError"]')
    app.wait_rendered()
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert len(errors) == 1
    assert "The story file could not be read" in errors[0]
    assert "<script>" not in errors[0]
    assert "1 of 3" in bar.inner_text()

    # A good file replaces it.
    good = tmp_path / "good.json"
    two = make_story([("X", "one", replace(base, national_targets=10)), ("Y", "two", base)])
    good.write_bytes(to_json(two, base))
    page.locator('.st-key-story_upload input[type="file"]').set_input_files(str(good))
    page.wait_for_function("() => document.querySelector('.st-key-story_bar')?.innerText.includes('1 of 2')")
    app.wait_rendered()
    assert app.query()["national_targets"] == ["10"]
    assert app.app_errors() == []
