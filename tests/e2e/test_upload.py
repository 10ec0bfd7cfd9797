"""The upload in a real browser: a hostile file lists its problems and changes nothing; a good
one puts the banner on every page until the way back is clicked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ics_model.paths import RAW_DIR


def _files(folder: Path) -> tuple[Path, Path]:
    frame = pd.read_csv(RAW_DIR / "rtt_monthly.csv", dtype=str, keep_default_na=False)
    good = folder / "my_rtt_to_june_2024.csv"
    frame[frame["month"] <= "2024-06"].to_csv(good, index=False)
    bad = folder / "[click](javascript:alert(1)).csv"
    hostile = frame.copy()
    hostile.loc[5, "incomplete_pathways"] = '=HYPERLINK("http://example.com","click")'
    hostile.loc[len(hostile) - 1, "month"] = "2031-01"
    hostile.to_csv(bad, index=False)
    return good, bad


def _use(app: Any, path: Path) -> None:
    app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    app.page.get_by_role("button", name="Check and use this file").click()
    app.wait_rendered()


def test_upload_banner_and_way_back(app: Any, tmp_path: Path, screenshot_dir: Path) -> None:
    good, bad = _files(tmp_path)
    app.goto("assumptions")
    _use(app, bad)
    page = app.page
    error = page.locator('[data-testid="stAlertContentError"]').filter(has_text="was not used").first
    assert "2 problem(s) found. Nothing has changed." in error.inner_text()
    assert page.locator("a[href^='javascript']").count() == 0  # the file name is not a link
    assert not page.get_by_text("Using your RTT data").count()
    app.full_screenshot(screenshot_dir / "upload_problems.png")

    _use(app, good)
    banner = page.get_by_text("Using your RTT data from my_rtt_to_june_2024.csv, uploaded")
    # The button's run (its part of the page) ends with a rerun of the whole app, which draws the
    # banner: wait for that second run rather than the first.
    banner.first.wait_for(state="visible", timeout=30_000)
    assert banner.count() == 1
    page.locator(".st-key-page_menu a", has_text="Waiting list").first.click()
    page.wait_for_url("**/waiting_list*")
    app.wait_rendered()
    assert page.get_by_text("Using your RTT data").count() == 1
    assert any(label.startswith("Latest (Jun 2024)") for label, _ in app.main_metrics())
    app.full_screenshot(screenshot_dir / "upload_in_use_waiting_list.png")

    page.get_by_role("button", name="Back to the published data").click()
    app.wait_rendered()
    assert not page.get_by_text("Using your RTT data").count()
    assert any(label.startswith("Latest (Dec 2025)") for label, _ in app.main_metrics())
    assert not page.locator('[data-testid="stException"]').count()
    assert app.app_errors() == []
