"""Your system in a real browser: a click on the map opens the system, the link keeps the
system and the scenario, a bad link gives one warning and the national view."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.e2e.conftest import wait_rendered

CHART = '[data-testid="stVegaLiteChart"]'


def test_map_click_link_and_bad_link(app: Any, screenshot_dir: Path) -> None:
    page = app.page
    # 42 systems: a click in the middle of England's map opens that system on Your system.
    # The first page of a cold server may be slow on a busy machine: allow it longer.
    page.goto(f"{app.server.url}/systems?funding_uplift=4", wait_until="domcontentloaded")
    wait_rendered(page, timeout_ms=120_000)
    box = page.locator(f"{CHART} .marks").first.bounding_box()  # a canvas: the browser picks the mark
    page.locator(f"{CHART} .marks").first.click(position={"x": box["width"] / 2, "y": box["height"] * 0.55})
    page.wait_for_url("**/your_system?**")
    app.wait_rendered()
    # The switch is a second run: wait for its cards and all four charts to be drawn.
    page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]').first.wait_for()
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] .marks').length >= 4"
    )
    query = app.query()
    assert query["funding_uplift"] == ["4"]
    code = query["system"][0]
    assert len(code) == 3
    assert page.locator('[data-testid="stMain"] h1').inner_text() == "Your system"
    assert "of 42 by gap per patient" in page.locator('[data-testid="stMain"]').inner_text()
    assert "Allocation 2025/26" in dict(app.main_metrics())
    charts = page.locator(CHART).all()
    assert len(charts) == 4
    for chart in charts:
        assert chart.locator("svg .mark-group, canvas").count() > 0, "a chart did not draw"
    app.full_screenshot(screenshot_dir / "your-system-from-map.png")

    assert app.app_errors() == []


def _fresh(app: Any, query: str) -> tuple[Any, Any]:
    """A new browser context (so a new Streamlit session) opened on Your system with ``query``."""
    context = app.page.context.browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{app.server.url}/your_system?{query}", wait_until="domcontentloaded")
    wait_rendered(page, timeout_ms=60_000)
    return context, page


def test_shared_and_bad_links(app: Any) -> None:
    # A shared link: the system's own figures, and the system kept in the address bar.
    context, page = _fresh(app, "system=QOQ")
    try:
        page.get_by_text("£4,877m").first.wait_for()
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "£4,877m" in main  # NHS England 2025/26 allocation, all streams, Humber and North Yorkshire
        assert "Humber and North Yorkshire" in main
        assert parse_qs(urlsplit(page.url).query)["system"] == ["QOQ"]
    finally:
        context.close()
    # A bad link: one warning, the national view, and no system in the address bar.
    context, page = _fresh(app, "system=%3Cscript%3E")
    try:
        warnings = page.locator('[data-testid="stAlertContentWarning"]')
        warnings.first.wait_for()
        page.get_by_text("England as a whole").wait_for()
        assert warnings.count() == 1
        assert "system code was not recognised" in warnings.inner_text()
        assert "England as a whole" in page.locator('[data-testid="stMain"]').inner_text()
        assert "system" not in parse_qs(urlsplit(page.url).query)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
