"""The scenario in a real browser: keyboard sliders, the URL both ways, hostile links."""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import urlsplit

import pytest

from components.analysis import money_bn
from ics_model import Inputs, Scenario, presets, project, scenario_from_query
from ics_model.version import stamp


def current_plans(inputs: Inputs) -> Scenario:
    return presets(inputs)["Current plans"]


def expected_headline(scenario: Scenario, inputs: Inputs) -> tuple[str, str]:
    """The Overview's first metric (label, value) as the page formats it."""
    h = project(scenario, inputs).headline
    return f"Gap in {h.horizon_fiscal_year}", money_bn(h.gap_bn_at_horizon)


def test_keyboard_slider_updates_headline_and_url(app: Any, inputs: Inputs) -> None:
    base = current_plans(inputs)
    app.goto("")
    assert app.slider_value("funding_uplift") == pytest.approx(base.funding_uplift * 100)
    assert app.headline() == expected_headline(base, inputs)
    assert "funding_uplift" not in app.query()  # at the baseline the field is omitted

    app.press("funding_uplift", "ArrowRight", times=3)

    moved = base.with_changes(funding_uplift=round(base.funding_uplift + 0.003, 3))
    assert app.slider_value("funding_uplift") == pytest.approx(moved.funding_uplift * 100)
    assert app.headline() != expected_headline(base, inputs)
    assert app.headline() == expected_headline(moved, inputs)
    assert app.query().get("funding_uplift") == [f"{moved.funding_uplift * 100:g}"]
    assert app.page.locator('[data-testid="stException"]').count() == 0
    assert app.app_errors() == []


def test_scenario_survives_a_page_switch(app: Any, inputs: Inputs) -> None:
    """Sidebar navigation keeps the session's scenario (AppTest checks this too; here, a real browser)."""
    app.goto("")
    app.press("national_targets", "ArrowLeft", times=2)
    targets = current_plans(inputs).national_targets - 2
    assert app.slider_value("national_targets") == targets

    app.page.locator(".st-key-page_menu a", has_text="Funding gap").click()
    app.page.wait_for_url("**/funding_gap*")
    app.wait_rendered()

    assert app.page.locator('[data-testid="stMain"] h1').first.inner_text() == "Funding gap"
    assert app.slider_value("national_targets") == targets
    assert app.query().get("national_targets") == [str(targets)]
    assert app.app_errors() == []


def test_shared_url_restores_the_scenario(app: Any, inputs: Inputs) -> None:
    query = {"funding_uplift": "4.5", "national_targets": "12"}
    scenario, problems = scenario_from_query(query, base=current_plans(inputs))
    assert problems == []

    app.goto("", "funding_uplift=4.5&national_targets=12")

    assert app.slider_value("funding_uplift") == pytest.approx(4.5)
    assert app.slider_value("national_targets") == 12
    assert app.headline() == expected_headline(scenario, inputs)
    assert app.page.locator('[data-testid="stAlertContentWarning"]').count() == 0
    assert app.query() == {"funding_uplift": ["4.5"], "national_targets": ["12"], "v": [stamp(inputs)]}
    # The share box draws its link when opened; the link is the address bar's scenario.
    sidebar = app.page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stCode"]').count() == 0
    sidebar.get_by_text("Share this scenario").click()
    link = sidebar.locator('[data-testid="stCode"]')
    link.wait_for(timeout=15_000)
    assert "funding_uplift=4.5&national_targets=12&v=" in link.inner_text()
    assert app.app_errors() == []


HOSTILE = {
    "script-and-overflow": "funding_uplift=<script>alert(1)</script>&national_targets=1e309",
    "nan-inf": "funding_uplift=nan&demand_growth=-1e309&horizon_years=inf",
    "repeated-key": "funding_uplift=5&funding_uplift=6",
    "arabic-indic-digit-nul-and-5000-nines": "funding_uplift=%D9%A3&autonomy_share=%00&national_targets="
    + "9" * 5000,
}


@pytest.mark.parametrize("query", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_url_warns_and_falls_back(app: Any, inputs: Inputs, query: str) -> None:
    base = current_plans(inputs)
    app.goto("", query)
    page = app.page

    assert page.locator('[data-testid="stException"]').count() == 0
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    assert warning.count() == 1
    assert "not valid" in warning.inner_text()
    assert app.slider_value("funding_uplift") == pytest.approx(base.funding_uplift * 100)
    assert app.slider_value("national_targets") == base.national_targets
    assert app.headline() == expected_headline(base, inputs)
    # Nothing from the link ran or reached the page as markup.
    assert app.dialogs == []
    assert page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))") is False
    assert "<script>" not in page.locator('[data-testid="stMain"]').inner_text()
    assert app.app_errors() == []


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/_stcore/../../../../etc/passwd",
        "/app/static/../../../../etc/passwd",
        "/app/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/component/..%2f..%2f..%2f..%2fetc%2fpasswd",
    ],
)
def test_no_path_traversal(app_server: Any, path: str) -> None:
    """Raw HTTP (no browser normalisation) must not serve files from outside the app."""
    parts = urlsplit(app_server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        body = connection.getresponse().read()
    finally:
        connection.close()
    assert b"root:x:0:0" not in body
