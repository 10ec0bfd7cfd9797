"""Real-browser fixtures: one Streamlit server and one headless Chromium per test session.

The server is the real app (``streamlit run app.py``) on a free loopback port; the browser is
Debian's chromium driven by the ``playwright`` package (never ``playwright install``: it
downloads a browser, which fails offline). Without /usr/bin/chromium (or $E2E_CHROMIUM) the e2e
tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from apptools.server import CHROMIUM_ARGS, StreamlitServer, free_port, stop_process, wait_healthy
from components.navigation import PAGES as NAV_PAGES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots" / "e2e"
SERVER_LOG = ARTIFACTS / "e2e-server.log"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))  # override for other machines
HEALTH_TIMEOUT_S = 60
RENDER_TIMEOUT_MS = 30_000

# (title, URL path) for every page, in menu order, from the app's one page list; the default
# page (Overview) is served at "/".
PAGES: list[tuple[str, str]] = [(page.title, page.url_path) for page in NAV_PAGES]

# Console errors that are not the app's fault: (regex over "text @ url", reason). Only these.
BENIGN_CONSOLE: list[tuple[str, str]] = [
    # Opened directly on a page URL (/funding_gap), Streamlit's frontend first probes
    # /funding_gap/_stcore/health and /host-config to discover the base path, gets 404 and
    # falls back to the root. Streamlit's own behaviour; the app then connects normally.
    (
        r"status of 404 .* @ http://127\.0\.0\.1:\d+/[a-z_]+/_stcore/(health|host-config)$",
        "Streamlit's base-path probe when a page URL is opened directly",
    ),
]

# Installed in every document: counts completed script runs, so a test can wait for the rerun
# that its key press caused (the DOM flag flips back to notRunning before late elements mount).
RUN_COUNTER = """
(() => {
  window.__stRuns = 0;
  // Count every running -> notRunning transition, even two in one observer batch.
  new MutationObserver(records => {
    for (const r of records) {
      if (r.oldValue === 'running' && r.target.getAttribute('data-test-script-state') !== 'running') {
        window.__stRuns += 1;
      }
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""

# Resolves when a script run has finished and the page has settled: state notRunning, nothing
# stale, the sidebar and the page's title drawn, no skeleton placeholder left, every chart drawn,
# and no element added or removed for STABLE_MS.
WAIT_RENDERED = """
async ([stableMs, timeoutMs]) => {
  const start = performance.now();
  let lastSig = null, since = performance.now();
  while (performance.now() - start < timeoutMs) {
    const app = document.querySelector('[data-testid="stApp"]');
    const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    const ready = app && app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelector('[data-testid="stSidebar"] [data-testid="stSlider"]')
      // Every page has a title, and no element is still a placeholder waiting for its code
      // (Streamlit loads metrics and charts lazily and shows a skeleton meanwhile).
      && document.querySelector('[data-testid="stMain"] h1')
      && !document.querySelector('[data-testid="stSkeleton"]')
      && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]')
      && charts.every(c => c.querySelector('svg, canvas'));
    const sig = ready ? document.querySelectorAll('[data-testid="stElementContainer"]').length + '/'
      + charts.length + '/' + document.querySelectorAll('[data-testid="stMetricValue"]').length : null;
    if (sig !== lastSig) { lastSig = sig; since = performance.now(); }
    else if (sig !== null && performance.now() - since >= stableMs) return true;
    await new Promise(r => setTimeout(r, 25));
  }
  return false;
}
"""
STABLE_MS = 400


def _off_server(url: str) -> bool:
    return urlsplit(url).hostname not in (None, "127.0.0.1", "localhost")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian chromium, or a skip (a failure when CI is set)."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python package is not installed (pip install playwright)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"chromium is required under CI: {problem}")
        pytest.skip(f"e2e tests need a browser: {problem}")
    return CHROMIUM


Server = StreamlitServer  # the fixtures' type for the app's server


@pytest.fixture(scope="session")
def app_server(chromium_path: Path) -> Iterator[Server]:
    """The real app on a free loopback port for the whole session."""
    server = StreamlitServer(script=ROOT / "app.py", cwd=ROOT, log=SERVER_LOG)
    try:
        yield server.start(HEALTH_TIMEOUT_S)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Watched:
    """The shared browser page, recording console errors, page errors, dialogs and any request
    that leaves the loopback server; with helpers for the app's pages and sliders."""

    page: Any
    server: Server
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.errors.clear()
        self.dialogs.clear()
        self.external.clear()

    def goto(self, path: str = "", query: str = "") -> None:
        """Open an app page (a new Streamlit session) and wait until it has fully rendered."""
        url = f"{self.server.url}/{path}" + (f"?{query}" if query else "")
        self.page.goto(url, wait_until="domcontentloaded")
        wait_rendered(self.page)

    def wait_rendered(self) -> None:
        wait_rendered(self.page)

    def app_errors(self) -> list[str]:
        """Console and page errors, less the documented benign ones and less failed loads of
        off-server URLs: those are reported, with their URLs, by the no-external-requests test."""
        return app_errors(self.errors)

    def slider(self, key: str) -> Any:
        """The thumb of the slider with widget key ``key`` (an input[type=range] in 1.67)."""
        return self.page.locator(f'.st-key-{key} input[type="range"], .st-key-{key} [role="slider"]').first

    def slider_value(self, key: str) -> float:
        thumb = self.slider(key)
        return float(thumb.get_attribute("aria-valuenow") or thumb.input_value())

    def press(self, key: str, arrow: str = "ArrowRight", times: int = 1) -> None:
        """Press an arrow key on a slider ``times`` times, waiting for each rerun to finish.

        A rerun is seen as a finished run (the counter) or as the scenario's URL query changing
        for this key (very short runs can flip the DOM's script state too fast to observe).
        """
        thumb = self.slider(key)
        thumb.focus()
        for _ in range(times):
            before = self.page.evaluate(
                "k => [window.__stRuns, new URLSearchParams(location.search).get(k)]", key
            )
            thumb.press(arrow)
            self.page.wait_for_function(
                """([k, runs, query]) => {
                    const app = document.querySelector('[data-testid="stApp"]');
                    const done = window.__stRuns > runs || new URLSearchParams(location.search).get(k) !== query;
                    return done && app.getAttribute('data-test-script-state') === 'notRunning';
                }""",
                arg=[key, *before],
                timeout=RENDER_TIMEOUT_MS,
            )
        self.wait_rendered()

    def main_metrics(self) -> list[tuple[str, str]]:
        """(label, value) of each st.metric in the main area, in page order."""
        rows = self.page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
                 .map(m => [m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() ?? '',
                            m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() ?? ''])"""
        )
        return [(label, value) for label, value in rows]

    def headline(self) -> tuple[str, str]:
        """The first metric of the main area (on Overview: the gap at the horizon)."""
        metrics = self.main_metrics()
        assert metrics, "no st.metric on this page"
        return metrics[0]

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query, keep_blank_values=True)

    def full_screenshot(self, path: Path) -> None:
        """The whole page: Streamlit scrolls inside stMain, so grow the viewport to fit it."""
        size = self.page.viewport_size
        height = self.page.evaluate(
            """() => Math.max(...['stMain', 'stSidebarContent'].map(id =>
                 document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0), window.innerHeight)"""
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.page.set_viewport_size({"width": size["width"], "height": min(int(height), 12_000)})
            self.page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            )
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(size)


def app_errors(errors: list[str]) -> list[str]:
    """Errors recorded as "console: TEXT @ URL" or "pageerror: TEXT", less the benign ones."""
    return [
        e
        for e in errors
        if not any(re.search(p, e) for p, _ in BENIGN_CONSOLE)
        and not (e.startswith("console: Failed to load resource") and _off_server(e.rsplit(" @ ", 1)[-1]))
    ]


def watch_errors(page: Any, errors: list[str]) -> None:
    """Record the page's console errors and uncaught exceptions into ``errors``."""

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} @ {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))


@pytest.fixture(scope="session")
def error_filter() -> Any:
    """``app_errors`` for tests that watch pages of their own."""
    return app_errors


def wait_rendered(page: Any, timeout_ms: int = RENDER_TIMEOUT_MS) -> None:
    """Wait for a finished, settled script run (see WAIT_RENDERED)."""
    if not page.evaluate(WAIT_RENDERED, [STABLE_MS, timeout_ms]):
        raise AssertionError(f"the page did not finish rendering within {timeout_ms / 1000:.0f} s")
    # Vega draws asynchronously after the element appears: give it two animation frames.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.fixture(scope="session")
def _session_page(browser: Any, app_server: Server) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    watched = Watched(page=page, server=app_server)
    page.add_init_script(RUN_COUNTER)

    def on_request(request: Any) -> None:
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and _off_server(request.url):
            watched.external.append(request.url)

    watch_errors(page, watched.errors)
    page.on("request", on_request)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture
def app(_session_page: Watched, app_server: Server) -> Iterator[Watched]:
    """The shared page, with fresh error lists; fails a test whose run logged a server traceback."""
    _session_page.clear()
    start = len(app_server.log_text())
    yield _session_page
    new_log = app_server.log_text()[start:]
    assert "Traceback" not in new_log, f"the server logged an exception:\n{new_log[-3000:]}"


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests asking for ``page_spec`` run once per app page: (index, title, URL path)."""
    if "page_spec" in metafunc.fixturenames:
        specs = [(i, title, path) for i, (title, path) in enumerate(PAGES)]
        metafunc.parametrize("page_spec", specs, ids=[path or "overview" for _, path in PAGES])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is an e2e test (select or skip with -m e2e / -m 'not e2e')."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def e2e_kit() -> SimpleNamespace:
    """This module's helpers for tests that run their own servers (the proxy test)."""
    return SimpleNamespace(
        free_port=free_port,
        wait_healthy=wait_healthy,
        stop=stop_process,
        wait_rendered=wait_rendered,
        Server=Server,
        Watched=Watched,
        RUN_COUNTER=RUN_COUNTER,
        CHROMIUM_ARGS=CHROMIUM_ARGS,
        BENIGN_CONSOLE=BENIGN_CONSOLE,
        ARTIFACTS=ARTIFACTS,
    )
