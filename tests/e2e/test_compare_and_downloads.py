"""Compare snapshots and CSV downloads in a real browser, checked against ics_model."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from ics_model import Inputs, presets, project, scenario_from_query


def download_csv(app: Any, button_text: str, index: int = 0) -> tuple[str, pd.DataFrame]:
    """Click the index-th download button with this text; the file's name and parsed contents."""
    buttons = app.page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"] button')
    with app.page.expect_download() as info:
        buttons.filter(has_text=button_text).nth(index).click()
    download = info.value
    return download.suggested_filename, pd.read_csv(download.path())


def save_snapshot(app: Any, name: str) -> None:
    box = app.page.locator('.st-key-snapshot_name input[type="text"]')
    box.fill(name)
    box.press("Enter")
    app.wait_rendered()
    app.page.locator(".st-key-snapshot_save button").click()
    app.page.wait_for_function(
        """name => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stText"]')]
                   .some(e => e.innerText.trim() === name)""",
        arg=name,
    )
    app.wait_rendered()


def test_compare_two_snapshots(app: Any, inputs: Inputs) -> None:
    base = presets(inputs)["Current plans"]
    app.goto("compare")
    app.press("funding_uplift", "ArrowLeft", times=5)  # 3.0% -> 2.5%
    save_snapshot(app, "Lean years")
    app.press("funding_uplift", "ArrowRight", times=15)  # -> 4.0%
    app.press("national_targets", "ArrowLeft", times=8)  # 18 -> 10
    save_snapshot(app, "Hewitt at four")

    page = app.page
    summary, *texts = page.locator('[data-testid="stMain"] [data-testid="stText"]').all_inner_texts()
    assert [t.strip() for t in texts] == [
        "Lean years",
        "Hewitt at four",
    ] * 2  # snapshots, then the story list
    assert "Lean years £20.6bn" in summary  # the chart's summary for screen readers names them too
    # Each snapshot's link carries its own scenario.
    links = page.locator('[data-testid="stMain"] [data-testid="stCode"]').all_inner_texts()
    assert any("funding_uplift=2.5" in link and "national_targets" not in link for link in links)
    assert any("funding_uplift=4" in link and "national_targets=10" in link for link in links)
    # Both are drawn in the overlaid chart (a canvas: its figures are read from its summary).
    assert page.locator('[data-testid="stVegaLiteChart"] canvas.marks').count() >= 1
    assert "Hewitt at four" in summary

    # The comparison table, as downloaded, has both rows with the model's numbers.
    # The page's second "Download CSV" is the table (the first is the chart's lines).
    name, table = download_csv(app, "Download CSV", index=1)
    assert name == "compare_table.csv"
    rows = table.set_index("scenario")
    assert list(rows.index) == ["Current plans", "Current scenario", "Lean years", "Hewitt at four"]
    lean = base.with_changes(funding_uplift=0.025)
    hewitt = base.with_changes(funding_uplift=0.04, national_targets=10)
    for label, scenario in (("Lean years", lean), ("Hewitt at four", hewitt), ("Current scenario", hewitt)):
        expected = project(scenario, inputs).headline.gap_bn_at_horizon
        assert rows.loc[label, "gap_bn_at_horizon"] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert rows.loc["Lean years", "funding_uplift_pct"] == pytest.approx(2.5)
    assert rows.loc["Hewitt at four", "national_targets"] == 10
    assert page.locator('[data-testid="stException"]').count() == 0
    assert app.app_errors() == []


def test_gap_csv_download_matches_the_model(app: Any, inputs: Inputs) -> None:
    query = {"funding_uplift": "4.5", "national_targets": "12", "autonomy_share": "50"}
    scenario, problems = scenario_from_query(query, base=presets(inputs)["Current plans"])
    assert problems == []
    expected = project(scenario, inputs).gap

    app.goto("funding_gap", "&".join(f"{k}={v}" for k, v in query.items()))
    name, frame = download_csv(app, "Gap by year (CSV)")

    assert name == "ics_gap.csv"
    assert list(frame.columns) == list(expected.columns)
    assert list(frame["fiscal_year"]) == list(expected["fiscal_year"])
    assert frame["fiscal_year"].iloc[-1] == "2035/36"
    for column in ("funding_bn", "pressure_bn", "gap_bn", "cumulative_gap_bn", "pressure_high_bn"):
        assert frame[column].to_numpy() == pytest.approx(expected[column].to_numpy(), rel=1e-12)
    # The file is exactly what pandas writes for the model's frame.
    assert pd.read_csv(io.StringIO(expected.to_csv(index=False))).equals(frame)
    # The waiting list is projected only when its file is asked for: still the model's frame.
    name, waiting = download_csv(app, "Waiting list (CSV)")
    assert name == "ics_waiting_list.csv"
    written = project(scenario, inputs).waiting_list.to_csv(index=False)
    assert pd.read_csv(io.StringIO(written)).equals(waiting)
    assert app.app_errors() == []
