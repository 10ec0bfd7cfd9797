"""Every page in a real browser: renders, no exception, no console errors, no calls out, no serious
accessibility violations (axe-core, run offline from the copy bundled with axe-playwright-python),
screenshot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe

from components.navigation import PAGES

AXE_FAILING = ("critical", "serious")


def test_page_renders_cleanly(app: Any, page_spec: tuple[int, str, str], screenshot_dir: Path) -> None:
    index, title, path = page_spec
    app.goto(path)
    page = app.page

    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "the page has no title"
    # The app's own page menu (components.navigation): every page, in order, as a link; the
    # built-in list (inaccessible markup) is hidden.
    page.locator(".st-key-page_menu a").first.wait_for()
    links = page.locator(".st-key-page_menu a").all_inner_texts()
    assert [text.strip().splitlines()[-1] for text in links] == [p.title for p in PAGES]  # after the icon
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    # Every chart on the page was drawn (an SVG or canvas with marks in it).
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        assert chart.locator("svg .mark-group, canvas").count() > 0, "a chart did not draw"
    assert app.app_errors() == []
    assert app.dialogs == []
    # Every chart has a text alternative: its one-sentence summary as the accessible name.
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        assert chart_name(chart).endswith("."), "a chart without a text alternative"
    # ...and its summary for this scenario follows it as text: in the page, hidden from sight.
    summaries = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stElementContainer"]')]
            .filter(e => e.querySelector('[data-testid="stVegaLiteChart"]'))
            .map(e => { const next = e.nextElementSibling, text = next && next.querySelector('[data-testid="stText"]');
                        return text ? [text.textContent.trim(), getComputedStyle(next).clipPath] : null; })"""
    )
    assert all(s is not None and s[0] and s[1] == "inset(50%)" for s in summaries), summaries

    results = Axe().run(page)
    failing = [v for v in results.response["violations"] if v["impact"] in AXE_FAILING]
    assert failing == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in failing
    )

    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    app.full_screenshot(screenshot_dir / f"{index + 1:02d}-{slug}.png")


def chart_name(chart: Any) -> str:
    """The accessible name Streamlit gives a chart (its ``alt``)."""
    return str(chart.get_attribute("aria-label") or "")


def test_no_request_leaves_the_server(app: Any) -> None:
    """The app must not call out: every request the browser makes goes to the app's server."""
    app.goto("")
    app.goto("funding_gap")
    assert app.external == [], (
        "the browser requested off-server URLs (a :material/...: page_icon makes Streamlit load the "
        f"favicon from fonts.gstatic.com): {sorted(set(app.external))}"
    )
