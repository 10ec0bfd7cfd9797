"""Your system in a real browser: a click on the map opens the system, the link keeps the
system and the scenario, a bad link gives one warning and the national view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHART = '[data-testid="stVegaLiteChart"]'


def test_map_click_link_and_bad_link(app: Any, screenshot_dir: Path) -> None:
    page = app.page
    # 42 systems: a click in the middle of England's map opens that system on Your system.
    app.goto("systems", "funding_uplift=4")
    box = page.locator(f"{CHART} svg.marks").first.bounding_box()
    page.locator(f"{CHART} svg.marks").first.click(
        position={"x": box["width"] / 2, "y": box["height"] * 0.55}
    )
    page.wait_for_url("**/your_system?**")
    app.wait_rendered()
    query = app.query()
    assert query["funding_uplift"] == ["4"]
    code = query["system"][0]
    assert len(code) == 3
    assert page.locator('[data-testid="stMain"] h1').inner_text() == "Your system"
    assert (
        f"({code})" in page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.inner_text()
    )
    charts = page.locator(CHART).all()
    assert len(charts) == 4
    for chart in charts:
        assert chart.locator("svg .mark-group, canvas").count() > 0, "a chart did not draw"
    app.full_screenshot(screenshot_dir / "your-system-from-map.png")

    # A shared link: the system's own figures; a lever keeps the system in the address bar.
    app.goto("your_system", "system=QOQ")
    metrics = dict(app.main_metrics())
    assert metrics["Allocation 2025/26"] == "£4,877m"  # NHS England 2025/26, all streams
    app.press("funding_uplift")
    assert app.query()["system"] == ["QOQ"]
    assert "funding_uplift" in app.query()

    # A bad link: one warning, the national view, and no system in the address bar.
    app.goto("your_system", "system=%3Cscript%3E")
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    assert warnings.count() == 1
    assert "system code was not recognised" in warnings.inner_text()
    assert "England as a whole" in page.locator('[data-testid="stMain"]').inner_text()
    assert "system" not in app.query()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert app.app_errors() == []
