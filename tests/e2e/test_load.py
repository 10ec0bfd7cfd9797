"""No errors under load: 8 browser sessions moving sliders and switching pages for 30 s.

Fails on any console error, uncaught page exception, exception shown on a page or traceback in
the server log. The sessions are driven round-robin from one thread without waiting for their
reruns, so the server and the browser handle many overlapping reruns and page switches (the
conditions in which Vega errors appeared before). Speed is measured by bench/, not here.
"""

from __future__ import annotations

import random
import time
from typing import Any

from components.navigation import PAGES
from tests.e2e.conftest import RUN_COUNTER, wait_rendered, watch_errors

SESSIONS = 8
SECONDS = 30
SLIDERS = ["funding_uplift", "demand_growth", "national_targets", "horizon_years", "autonomy_share"]


def test_sessions_moving_sliders_and_switching_pages(
    browser: Any, app_server: Any, error_filter: Any
) -> None:

    log_start = len(app_server.log_text())
    rng = random.Random(11)
    errors: list[str] = []
    contexts, pages = [], []
    for i in range(SESSIONS):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.add_init_script(RUN_COUNTER)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch_errors(page, errors)
        page.goto(
            f"{app_server.url}/{PAGES[i % len(PAGES)].url_path}",
            wait_until="domcontentloaded",
            timeout=120_000,
        )
        contexts.append(context)
        pages.append(page)
    try:
        for page in pages:
            wait_rendered(page, timeout_ms=90_000)
        actions, deadline = 0, time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            page = rng.choice(pages)
            if rng.random() < 0.15:
                link = page.locator(".st-key-page_menu a").nth(rng.randrange(len(PAGES)))
                link.click(timeout=10_000, no_wait_after=True)
            else:
                key = rng.choice(SLIDERS)
                thumb = page.locator(
                    f'.st-key-{key} input[type="range"], .st-key-{key} [role="slider"]'
                ).first
                thumb.press(rng.choice(["ArrowLeft", "ArrowRight"]), timeout=10_000)
            actions += 1
            time.sleep(rng.uniform(0.02, 0.12))
        for page in pages:
            wait_rendered(page, timeout_ms=90_000)
            assert page.locator('[data-testid="stException"]').count() == 0, page.url
        assert actions >= SESSIONS  # the load really ran
        assert error_filter(errors) == []
        new_log = app_server.log_text()[log_start:]
        assert "Traceback" not in new_log, new_log[-3000:]
    finally:
        for context in contexts:
            context.close()
