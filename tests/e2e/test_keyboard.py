"""Everything from the keyboard: a lever reached with Tab and moved with the arrow keys, a preset,
a download, and the live chart's own slider (synced back to the sidebar)."""

from __future__ import annotations

from typing import Any

import pytest

from ics_model import Inputs, presets

MAX_TABS = 120


def focused_key(page: Any) -> str:
    """The widget key (``st-key-...`` class) around the focused slider thumb, or the focused tag."""
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                const thumb = el && (el.getAttribute('role') === 'slider' || el.type === 'range');
                if (!thumb) return el ? el.tagName : '';
                const keyed = el.closest('[class*="st-key-"]');
                const key = keyed && [...keyed.classList].find(c => c.startsWith('st-key-'));
                return key ? key.slice(7) : (el ? el.tagName : '');
            }"""
        )
    )


def test_tab_to_a_slider_and_move_it_with_arrow_keys(app: Any, inputs: Inputs) -> None:
    base = presets(inputs)["Current plans"]
    app.goto("")
    page = app.page
    page.locator('[data-testid="stMain"] h1').first.click()  # start from the page, not the address bar
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused_key(page) == "funding_uplift":
            break
    else:
        pytest.fail("the funding uplift slider is not reachable with Tab")
    before = app.headline()
    for _ in range(2):
        query = page.evaluate("() => new URLSearchParams(location.search).get('funding_uplift')")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "q => new URLSearchParams(location.search).get('funding_uplift') !== q", arg=query
        )
        app.wait_rendered()
    assert app.slider_value("funding_uplift") == pytest.approx(base.funding_uplift * 100 + 0.2)
    assert app.headline() != before
    assert app.query().get("funding_uplift") == [f"{base.funding_uplift * 100 + 0.2:g}"]
    assert app.app_errors() == []


def test_preset_and_download_from_the_keyboard(app: Any, inputs: Inputs) -> None:
    app.goto("")
    page = app.page
    names = list(presets(inputs))
    button = page.locator(f".st-key-preset_button_{names.index('Long Term Plan 2018')} button").first
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('funding_uplift') === '3.4'")
    app.wait_rendered()
    assert app.slider_value("funding_uplift") == pytest.approx(
        presets(inputs)["Long Term Plan 2018"].funding_uplift * 100
    )

    app.goto("funding_gap")
    download = page.locator('[data-testid="stDownloadButton"] button', has_text="Gap by year (CSV)")
    download.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "ics_gap.csv"
    # A chart's files: its expander opened with Enter, then its PNG button.
    page.locator(".st-key-chart_data_gap summary").first.focus()
    page.keyboard.press("Enter")
    png = page.locator(".st-key-png_gap button").first
    png.wait_for(timeout=30_000)
    png.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "gap.png"
    assert app.app_errors() == []


def test_live_chart_slider_syncs_to_the_sidebar(app: Any) -> None:
    """The live chart's own range input moves the lines in the browser; when it stops, the
    scenario in the sidebar and the URL follow."""
    app.goto("")
    page = app.page
    chart = page.locator(".st-key-chart_live")
    uplift = chart.locator(".vega-bind", has_text="Funding uplift").locator('input[type="range"]')
    lines_before = chart.locator("svg.marks").inner_html()
    uplift.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('funding_uplift') !== null", timeout=30_000
    )
    app.wait_rendered()
    synced = app.slider_value("funding_uplift")
    assert synced > 3.0
    assert app.query().get("funding_uplift") == [f"{synced:g}"]
    assert float(uplift.input_value()) == pytest.approx(synced)
    assert chart.locator("svg.marks").inner_html() != lines_before
    assert app.app_errors() == []
