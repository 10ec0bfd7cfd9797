"""Every page in a real browser: renders, no exception, no console errors, no calls out, screenshot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def test_page_renders_cleanly(app: Any, page_spec: tuple[int, str, str], screenshot_dir: Path) -> None:
    index, title, path = page_spec
    app.goto(path)
    page = app.page

    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "the page has no title"
    # st.navigation marks the page being shown in the sidebar.
    nav = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    assert nav.count() == 1
    assert nav.inner_text().strip().splitlines()[-1] == title  # after the icon's ligature text
    # Every chart on the page was drawn (an SVG or canvas with marks in it).
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        assert chart.locator("svg .mark-group, canvas").count() > 0, "a chart did not draw"
    assert app.app_errors() == []
    assert app.dialogs == []

    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    app.full_screenshot(screenshot_dir / f"{index + 1:02d}-{slug}.png")


def test_no_request_leaves_the_server(app: Any) -> None:
    """The app must not call out: every request the browser makes goes to the app's server."""
    app.goto("")
    app.goto("funding_gap")
    assert app.external == [], (
        "the browser requested off-server URLs (a :material/...: page_icon makes Streamlit load the "
        f"favicon from fonts.gstatic.com): {sorted(set(app.external))}"
    )
