"""Track record and today's targets in a real browser: the backtest chart draws, a cut-off of the
user's own is fitted with progress shown, and switching a measure off moves the targets slider."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_track_record_and_targets(app: Any, screenshot_dir: Path) -> None:
    app.goto("track_record")
    page = app.page
    assert page.locator('[data-testid="stException"]').count() == 0
    main = page.locator('[data-testid="stMain"]')
    assert "For the waiting list, from March 2019" in main.inner_text()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 1
    assert charts.first.locator("svg .mark-group, canvas").count() > 0
    app.full_screenshot(screenshot_dir / "track-record.png")

    # A cut-off of the user's own: the slider's last month (fitted on first use, then cached).
    app.press("bt_cutoff", "End")
    text = main.inner_text()
    assert "November 2025" in text, text[:400]
    assert page.locator('[data-testid="stException"]').count() == 0

    app.goto("targets")
    before = app.slider_value("national_targets")
    page.locator(".st-key-measure_16 label").first.click()
    app.wait_rendered()
    assert app.slider_value("national_targets") == before - 1
    assert "Maintain collective focus" in page.locator('[data-testid="stAlert"]').all_inner_texts()[-1]
    assert app.app_errors() == []
