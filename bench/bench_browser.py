"""Browser and server speed of the app against a bare Streamlit page, measured in one run.

What it measures (medians and p95; nothing is asserted):

1. Slider key press -> updated metric text and repainted charts, in headless Chromium, on
   several app pages and on ``bench/bare_app.py`` (one slider, one metric, one small chart),
   each served by its own ``streamlit run`` on a free loopback port. The probe runs in the
   page: a keydown listener stamps ``performance.now()``, a MutationObserver marks the DOM
   dirty, and a ``requestAnimationFrame`` loop compares the metric text and every chart's
   SVG (or canvas) content with their values before the press. A press is complete at the
   last frame in which the metric or a chart changed, once the script is ``notRunning`` and
   the DOM has been quiet for 300 ms. Presses alternate ArrowRight / ArrowLeft.
2. Server work per rerun, in-process with AppTest (which skips Streamlit's post-run
   ``gc.collect(2)``; that collection is timed separately, with and without ``gc.freeze()``).
3. Cold start: server launch -> first chart drawn in a fresh browser context.
4. Server RSS (VmRSS of the process and its children) with 1 and with 10 browser contexts
   open on Overview.
5. ``--load``: 20 browser contexts moving sliders for 60 s against one server: errors,
   latency and RSS before/after.

Run from the repository root (never ``playwright install``; Debian's /usr/bin/chromium)::

    python bench/bench_browser.py --quick          # about 2 minutes
    python bench/bench_browser.py                  # full run, about 6 minutes
    python bench/bench_browser.py --load           # adds the 20-session load test
    # try a server option or a patched copy of the app:
    python bench/bench_browser.py --server-opt runner.postScriptGC=false
    python bench/bench_browser.py --app-root /tmp/scratch --label freeze
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make the repository's packages importable

from apptools.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402

BARE_APP = ROOT / "bench" / "bare_app.py"
OUT_DIR = ROOT / "artifacts" / "bench"
VIEWPORT = {"width": 1400, "height": 900}
QUIET_MS = 300
PRESS_TIMEOUT_MS = 10_000
SLIDER = "funding_uplift"  # the bare page's slider has the same key
# DESIGN.md section 8: every page's median and the pooled p95 within 200 ms, the pooled
# median no slower than the bare page in the same run, cold start 2.5 s, 300 MB with 10 sessions.
GOALS = {
    "p50_ms": 200,
    "p95_ms": 200,
    "ratio": 1.0,
    "rerun_ms": 50,
    "cold_s": 2.5,
    "rss10_mb": 300,
}

# (title, URL path, page script) of the app pages measured; the first four always.
APP_PAGES: list[tuple[str, str, str]] = [
    ("Overview", "", "pages/overview.py"),
    ("Funding gap", "funding_gap", "pages/funding_gap.py"),
    ("Trade-offs", "trade_offs", "pages/trade_offs.py"),
    ("Waiting list", "waiting_list", "pages/waiting_list.py"),
    ("Targets & autonomy", "targets", "pages/targets.py"),
    ("42 systems", "systems", "pages/systems.py"),
    ("Compare", "compare", "pages/compare.py"),
    ("Evidence", "evidence", "pages/evidence.py"),
]

# In every page: window.__bench.arm() before a key press, await window.__bench.result() after.
PROBE_JS = """
window.__bench = (() => {
  const S = {};
  // A canvas chart redraws without touching the DOM: count the drawing calls on each canvas
  // (cheap, unlike reading its pixels every frame, which would slow the page it measures).
  const ctx2d = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  if (ctx2d) {
    for (const name of ['fill', 'stroke', 'fillRect', 'strokeRect', 'clearRect', 'fillText', 'drawImage']) {
      const draw = ctx2d[name];
      ctx2d[name] = function (...args) { this.canvas.__draws = (this.canvas.__draws || 0) + 1; return draw.apply(this, args); };
    }
  }
  const main = () => document.querySelector('[data-testid="stMain"]') || document.body;
  const metricSig = () => [...main().querySelectorAll('[data-testid="stMetricValue"]')]
    .map(e => e.textContent).join('|');
  const chartSig = c => {
    const svg = c.querySelector('svg.marks') || c.querySelector('svg');
    if (svg) {
      let s = '';
      // Marks move by their path data, a transform (symbols, text, groups) or line ends (rules).
      for (const p of svg.querySelectorAll('path, g, text, line')) {
        for (const a of ['d', 'transform', 'x1', 'y1', 'x2', 'y2']) s += (p.getAttribute(a) || '') + ',';
      }
      for (const t of svg.querySelectorAll('text')) s += t.textContent + ';';
      return s;
    }
    const cv = c.querySelector('canvas');
    if (cv) return 'drawn ' + (cv.__draws || 0);
    return '';
  };
  const canvasDraws = () => [...main().querySelectorAll('[data-testid="stVegaLiteChart"] canvas')]
    .reduce((n, cv) => n + (cv.__draws || 0), 0);
  const chartSigs = () => [...main().querySelectorAll('[data-testid="stVegaLiteChart"]')].map(chartSig);
  const state = () => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
  let observer = null;
  function arm(quietMs, timeoutMs) {
    const charts = chartSigs();
    Object.assign(S, {
      before: {metric: metricSig(), charts}, prev: {metric: metricSig(), charts: charts.slice()},
      t0: null, tMetric: null, tCharts: charts.map(() => null), lastMut: performance.now(),
      dirty: false, draws: canvasDraws(), quietMs, timeoutMs,
    });
    if (observer) observer.disconnect();
    S.ranAfterPress = false;
    observer = new MutationObserver(records => {
      S.dirty = true; S.lastMut = performance.now();
      // A run finished after the key press (running -> notRunning), seen even within one batch.
      if (S.t0 !== null && records.some(r => r.attributeName === 'data-test-script-state' && r.oldValue === 'running')) {
        S.ranAfterPress = true;
      }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true,
                                     attributeOldValue: true});
    window.addEventListener('keydown', () => { S.t0 = performance.now(); S.lastMut = S.t0; },
                            {capture: true, once: true});
    return charts.length;
  }
  function result() {
    return new Promise(resolve => {
      const finish = timedOut => {
        observer.disconnect();
        const changed = S.tCharts.filter(t => t !== null);
        const times = [...changed, ...(S.tMetric !== null ? [S.tMetric] : [])];
        resolve({
          complete: times.length ? Math.max(...times) - S.t0 : null,
          metric: S.tMetric !== null ? S.tMetric - S.t0 : null,
          charts_changed: changed.length, charts: S.tCharts.length,
          changed_mask: S.tCharts.map(t => t !== null),
          metric_changed: S.tMetric !== null, timed_out: timedOut,
        });
      };
      const frame = () => {
        const now = performance.now();
        const drawn = S.t0 !== null && canvasDraws() !== S.draws;
        if (S.t0 !== null && (S.dirty || drawn)) {
          S.dirty = false; S.draws = canvasDraws();
          const m = metricSig();
          if (m !== S.prev.metric) { S.prev.metric = m; S.tMetric = now; }
          const cs = chartSigs();
          if (cs.length !== S.prev.charts.length) {
            S.tCharts = cs.map(() => now); S.prev.charts = cs;
          } else {
            cs.forEach((sig, i) => { if (sig !== S.prev.charts[i]) { S.prev.charts[i] = sig; S.tCharts[i] = now; } });
          }
        }
        if (S.t0 !== null) {
          const elapsed = now - S.t0;
          // Done once the rerun has visibly happened (a finished run or a changed metric/chart),
          // the script is idle and the DOM has been quiet; under load the server may take longer
          // than the quiet window just to start the rerun.
          const happened = S.ranAfterPress || S.tMetric !== null || S.tCharts.some(t => t !== null);
          if (happened && state() === 'notRunning' && !S.dirty && now - S.lastMut >= S.quietMs) {
            return finish(false);
          }
          if (elapsed > S.timeoutMs) return finish(true);
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  }
  return {arm, result};
})();
"""

WAIT_RENDERED_JS = """
async ([stableMs, timeoutMs]) => {
  const start = performance.now();
  let lastSig = null, since = performance.now();
  while (performance.now() - start < timeoutMs) {
    const app = document.querySelector('[data-testid="stApp"]');
    const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    if (document.querySelector('[data-testid="stException"]')) return 'exception';
    const ready = app && app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelector('[data-testid="stSlider"]')
      && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]')
      && charts.every(c => c.querySelector('svg, canvas'));
    const sig = ready ? document.querySelectorAll('[data-testid="stElementContainer"]').length + '/' + charts.length
      : null;
    if (sig !== lastSig) { lastSig = sig; since = performance.now(); }
    else if (sig !== null && performance.now() - since >= stableMs) return true;
    await new Promise(r => setTimeout(r, 25));
  }
  return false;
}
"""


# --- statistics ------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank, 0 < q <= 100), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


# --- servers ---------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_mb(pid: int) -> float:
    """VmRSS of a process and all its descendants, in MB."""
    total_kb = 0
    for p in [pid, *_descendants(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (exited ones are not counted)."""
    ticks = 0
    for p in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _process_kind(pid: int) -> str:
    """'renderer', 'gpu-process', 'utility', 'zygote', 'chromium' (browser process) or 'driver'."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "gone"
    # Chromium rewrites its child processes' titles, so search the whole line.
    found = re.search(rb"--type=([a-z-]+)", cmdline)
    if found:
        return found.group(1).decode()
    return "chromium" if b"chrom" in cmdline.split(b" ", 1)[0] else "driver"


def cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds of the server tree and of each kind of process this script started."""
    server = [server_pid, *_descendants(server_pid)]
    out = {"server": cpu_seconds(server)}
    for pid in _descendants(os.getpid()):
        if pid not in server:
            kind = _process_kind(pid)
            out[kind] = out.get(kind, 0.0) + cpu_seconds([pid])
    out["browser"] = sum(v for k, v in out.items() if k != "server")
    return out


class Server(StreamlitServer):
    """The shared server helper, logging to artifacts/bench/LOG_NAME.log, with RSS."""

    def __init__(self, script: Path, cwd: Path, options: list[str] | None = None, log_name: str = "server"):
        super().__init__(script=script, cwd=cwd, log=OUT_DIR / f"{log_name}.log", options=options or [])

    def rss_mb(self) -> float:
        assert self.process is not None
        return rss_mb(self.process.pid)


def server_options(pairs: list[str]) -> list[str]:
    """KEY=VALUE pairs to streamlit command-line options."""
    options = []
    for pair in pairs:
        key, _, value = pair.partition("=")
        options += [f"--{key}", value]
    return options


# --- browser ---------------------------------------------------------------------------------


async def new_page(browser: Any, errors: list[str] | None = None) -> Any:
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(PROBE_JS)
    page = await context.new_page()
    if errors is not None:

        def where() -> str:
            return urlsplit(page.url).path or "/"

        def on_console(m: Any) -> None:
            source = m.location.get("url", "")
            # Ignored: Streamlit's base-path probe (404 on /<page>/_stcore/...).
            if m.type == "error" and "_stcore/" not in source:
                errors.append(f"console on {where()}: {m.text.splitlines()[0]} @ {source}")

        page.on("pageerror", lambda e: errors.append(f"pageerror on {where()}: {e}"))
        page.on("console", on_console)
    return page


async def open_rendered(page: Any, url: str, timeout_ms: int = 60_000) -> None:
    await page.goto(url, wait_until="domcontentloaded")
    status = await page.evaluate(WAIT_RENDERED_JS, [400, timeout_ms])
    if status == "exception":
        raise RuntimeError(f"{url} shows an exception (is the app mid-edit? bench a copy with --app-root)")
    if status is not True:
        raise RuntimeError(f"{url} did not finish rendering within {timeout_ms / 1000:.0f} s")


async def press_and_measure(page: Any, key: str, arrow: str) -> dict[str, Any]:
    await page.locator(f'.st-key-{key} input[type="range"]').focus()
    await page.evaluate("([q, t]) => window.__bench.arm(q, t)", [QUIET_MS, PRESS_TIMEOUT_MS])
    await page.keyboard.press(arrow)
    return await page.evaluate("() => window.__bench.result()")


async def latency_run(page: Any, url: str, presses: int, warmup: int) -> dict[str, Any]:
    """Open a page (a fresh session) and time ``presses`` alternating key presses."""
    await open_rendered(page, url)
    for i in range(warmup):
        await press_and_measure(page, SLIDER, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
    results = []
    for i in range(presses):
        results.append(await press_and_measure(page, SLIDER, "ArrowRight" if i % 2 == 0 else "ArrowLeft"))
        await asyncio.sleep(0.05)
    complete = [r["complete"] for r in results if r["complete"] is not None and not r["timed_out"]]
    metric = [r["metric"] for r in results if r["metric"] is not None and not r["timed_out"]]
    return {
        "n": len(results),
        "p50": median(complete),
        "p95": pct(complete, 95),
        "metric_p50": median(metric),
        "metric_p95": pct(metric, 95),
        "charts": max((r["charts"] for r in results), default=0),
        "charts_changed": median([r["charts_changed"] for r in results]),
        "metric_changed": sum(r["metric_changed"] for r in results),
        "timeouts": sum(r["timed_out"] for r in results),
        "no_change": sum(r["complete"] is None for r in results),
        "changed_mask": [
            any(r["changed_mask"][i] for r in results if len(r["changed_mask"]) > i)
            for i in range(max((len(r["changed_mask"]) for r in results), default=0))
        ],
        "samples": complete,
        "metric_samples": metric,
    }


# --- AppTest (server work per rerun, in a clean subprocess) -----------------------------------


def apptest_worker(app_root: Path, runs: int) -> None:
    """Print JSON: median AppTest rerun per page and the bare page, and gc.collect() cost."""
    import gc

    os.chdir(app_root)
    sys.path.insert(0, str(app_root))
    from streamlit.testing.v1 import AppTest

    def time_reruns(at: Any, values: tuple[float, float]) -> dict[str, Any]:
        assert not at.exception, [e.value for e in at.exception]
        times = []
        for i in range(runs + 3):
            slider = at.slider(key=SLIDER)
            start = time.perf_counter()
            slider.set_value(values[i % 2]).run()  # on the app, only the scenario views rerun
            if i >= 3:
                times.append((time.perf_counter() - start) * 1e3)
            if not at.slider:
                at.run()  # untimed: AppTest's tree holds only what the last run drew
        assert not at.exception, [e.value for e in at.exception]
        return {"p50": median(times), "p95": pct(times, 95), "n": len(times)}

    out: dict[str, Any] = {"pages": {}}
    at = AppTest.from_file(str(app_root / "app.py"), default_timeout=60)
    at.run()
    for title, _, script in APP_PAGES:
        if title != "Overview":
            at.switch_page(script)
            at.run()
        out["pages"][title] = time_reruns(at, (3.1, 3.0))
    bare = AppTest.from_file(str(BARE_APP), default_timeout=60)
    bare.run()
    out["bare"] = time_reruns(bare, (3.5, 3.4))

    def time_gc(n: int = 15) -> float:
        times = []
        for _ in range(n):
            start = time.perf_counter()
            gc.collect(2)
            times.append((time.perf_counter() - start) * 1e3)
        return statistics.median(times)

    out["gc_tracked_objects"] = len(gc.get_objects())
    out["gc_collect_ms"] = time_gc()
    gc.freeze()
    out["gc_collect_frozen_ms"] = time_gc()
    print("APPTEST-JSON " + json.dumps(out))


def run_apptest(app_root: Path, runs: int) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--apptest-worker",
            "--app-root",
            str(app_root),
            "--apptest-runs",
            str(runs),
        ],
        capture_output=True,
        text=True,
        cwd=app_root,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("APPTEST-JSON "):
            return json.loads(line.removeprefix("APPTEST-JSON "))
    raise RuntimeError(f"AppTest worker failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


# --- the benchmark ---------------------------------------------------------------------------


async def cold_start(
    browser: Any, script: Path, cwd: Path, options: list[str], *, runs: int, path: str = "funding_gap"
) -> dict[str, Any]:
    """Server launch -> first chart drawn (Funding gap) in a fresh context, ``runs`` times."""
    marks: dict[str, list[float]] = {
        "health_s": [],
        "page_loaded_s": [],
        "first_element_s": [],
        "first_chart_s": [],
    }
    for i in range(runs):
        server = Server(script, cwd, options, log_name=f"cold-{script.stem}-{i}")
        try:
            server.start()
            page = await new_page(browser)
            await page.goto(f"{server.url}/{path}", wait_until="domcontentloaded")
            loaded = time.perf_counter()
            await page.wait_for_selector(
                '[data-testid="stMain"] [data-testid="stElementContainer"]:visible', timeout=60_000
            )
            element = time.perf_counter()
            await page.wait_for_selector('[data-testid="stVegaLiteChart"] .marks', timeout=60_000)
            chart = time.perf_counter()
            marks["health_s"].append(server.healthy_at - server.started_at)
            marks["page_loaded_s"].append(loaded - server.started_at)
            marks["first_element_s"].append(element - server.started_at)
            marks["first_chart_s"].append(chart - server.started_at)
            await page.context.close()
        finally:
            server.stop()
    return {**{k: median(v) for k, v in marks.items()}, "runs": runs, "all": marks["first_chart_s"]}


async def memory(browser: Any, server: Server, sessions: int = 10) -> dict[str, Any]:
    """Server RSS with 1 and with ``sessions`` browser contexts open on Overview."""
    idle = server.rss_mb()
    pages = [await new_page(browser)]
    await open_rendered(pages[0], server.url)
    await asyncio.sleep(1)
    one = server.rss_mb()
    for _ in range(sessions - 1):
        page = await new_page(browser)
        await open_rendered(page, server.url)
        pages.append(page)
    await asyncio.sleep(1)
    many = server.rss_mb()
    for page in pages:
        await page.context.close()
    return {"idle_mb": idle, "one_mb": one, "many_mb": many, "sessions": sessions}


async def load_test(
    browser: Any, server: Server, contexts: int, seconds: float, think_s: float = 0.0
) -> dict[str, Any]:
    """``contexts`` sessions each pressing slider keys for ``seconds``; errors, latency, RSS.

    ``think_s`` is a pause between one press's update and the next press (0: back to back).
    """
    errors: list[str] = []
    latencies: list[float] = []
    counts = {"presses": 0, "timeouts": 0, "no_change": 0}
    rss = {"before_mb": server.rss_mb(), "peak_mb": 0.0}
    pages = []
    for i in range(contexts):
        page = await new_page(browser, errors)
        await open_rendered(page, f"{server.url}/{APP_PAGES[i % 4][1]}", timeout_ms=120_000)
        pages.append(page)
    rss["open_mb"] = server.rss_mb()
    tracebacks_before = server.tracebacks()
    assert server.process is not None
    cpu_before = cpu_split(server.process.pid)
    started = time.monotonic()
    deadline = started + seconds

    async def user(page: Any) -> None:
        i = 0
        while time.monotonic() < deadline:
            try:
                r = await press_and_measure(page, SLIDER, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
            except Exception as exc:  # a failed press is a finding, not a crash of the benchmark
                errors.append(f"press failed: {exc}")
                return
            counts["presses"] += 1
            counts["timeouts"] += r["timed_out"]
            counts["no_change"] += r["complete"] is None
            if r["complete"] is not None and not r["timed_out"]:
                latencies.append(r["complete"])
            i += 1
            if think_s:
                await asyncio.sleep(think_s)

    async def sample_rss() -> None:
        while time.monotonic() < deadline:
            rss["peak_mb"] = max(rss["peak_mb"], server.rss_mb())
            await asyncio.sleep(1)

    await asyncio.gather(*(user(p) for p in pages), sample_rss())
    elapsed = time.monotonic() - started
    cpu_after = cpu_split(server.process.pid)
    cores = os.cpu_count() or 1
    cpu = {
        f"{k}_cpu_pct": (cpu_after[k] - cpu_before.get(k, 0.0)) / elapsed / cores * 100
        for k in cpu_after
        if k != "gone"
    }
    exceptions = 0
    for page in pages:
        exceptions += await page.locator('[data-testid="stException"]').count()
    for page in pages:
        await page.context.close()
    await asyncio.sleep(2)
    rss["after_mb"] = server.rss_mb()
    return {
        "contexts": contexts,
        "seconds": seconds,
        "think_s": think_s,
        **cpu,
        **counts,
        "p50": median(latencies),
        "p95": pct(latencies, 95),
        "max": max(latencies, default=None),
        "samples": [round(x, 1) for x in latencies],
        "errors": len(errors),
        "error_samples": errors[:5],
        "exceptions_on_page": exceptions,
        "server_tracebacks": server.tracebacks() - tracebacks_before,
        **rss,
    }


async def measure_latency(
    browser: Any, app: Server, bare: Server, pages: list[tuple[str, str, str]], *, presses: int, quick: bool
) -> dict[str, Any]:
    """Press -> update latency per app page and the bare page; rounds interleave app and bare."""
    page = await new_page(browser)
    for _, path, _ in pages:  # warm the server's caches and the browser's code cache
        await open_rendered(page, f"{app.url}/{path}")
    await open_rendered(page, bare.url)
    latency: dict[str, Any] = {}
    rounds = 1 if quick else 2  # interleaving spreads any drift over app and bare alike
    for r in range(rounds):
        for title, path in [*((t, p) for t, p, _ in pages), ("Bare page", None)]:
            url = bare.url if path is None else f"{app.url}/{path}"
            run = await latency_run(page, url, presses // rounds, warmup=4 if r == 0 else 2)
            if title in latency:
                run = merge_runs(latency[title], run)
            latency[title] = run
            print(
                f"  latency {title:<20} p50 {fmt(run['p50'])} ms  p95 {fmt(run['p95'])} ms  "
                f"(metric p50 {fmt(run['metric_p50'])} ms; {run['charts_changed']}/{run['charts']} "
                f"charts changed {run['changed_mask']}; {run['timeouts']} timeouts)",
                flush=True,
            )
    await page.context.close()
    return latency


def merge_runs(prev: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    samples = prev["samples"] + run["samples"]
    metric = prev["metric_samples"] + run["metric_samples"]
    return {
        **run,
        "samples": samples,
        "metric_samples": metric,
        "n": prev["n"] + run["n"],
        "p50": median(samples),
        "p95": pct(samples, 95),
        "metric_p50": median(metric),
        "metric_p95": pct(metric, 95),
        "timeouts": prev["timeouts"] + run["timeouts"],
        "no_change": prev["no_change"] + run["no_change"],
        "metric_changed": prev["metric_changed"] + run["metric_changed"],
    }


def bare_location(streamlit_defaults: bool) -> tuple[Path, Path]:
    """The bare page and the directory it is served from. From the repository root it runs under
    the app's .streamlit/config.toml; with ``streamlit_defaults``, from a directory of its own."""
    if not streamlit_defaults:
        return BARE_APP, ROOT
    own = OUT_DIR / "bare-defaults"
    own.mkdir(parents=True, exist_ok=True)
    shutil.copy(BARE_APP, own / BARE_APP.name)
    return own / BARE_APP.name, own


async def core_measurements(
    browser: Any,
    args: argparse.Namespace,
    result: dict[str, Any],
    *,
    pages: list[tuple[str, str, str]],
    presses: int,
) -> None:
    """Latency (app pages and bare page), AppTest reruns, cold start and memory, into ``result``."""
    app_root = Path(args.app_root).resolve()
    options = server_options(args.server_opt)
    bare_options = options if args.bare_same_options else []
    bare_script, bare_root = bare_location(args.bare_streamlit_defaults)
    # 1. Latency: app pages and the bare page, each on its own server, warmed first.
    app = Server(app_root / "app.py", app_root, options, log_name=f"app-{args.label}").start()
    bare = Server(bare_script, bare_root, bare_options, log_name=f"bare-{args.label}").start()
    try:
        result["latency"] = await measure_latency(
            browser, app, bare, pages, presses=presses, quick=args.quick
        )
        result["app_server_tracebacks"] = app.tracebacks()
    finally:
        app.stop()
        bare.stop()

    # 2. Server work per rerun (AppTest, subprocess).
    if not args.skip_apptest:
        print("  AppTest reruns ...", flush=True)
        result["apptest"] = run_apptest(app_root, args.apptest_runs)

    # 3. Cold start; 4. memory on a fresh server.
    print("  cold start ...", flush=True)
    runs = 1 if args.quick else 3
    result["cold"] = await cold_start(browser, app_root / "app.py", app_root, options, runs=runs)
    result["cold_bare"] = await cold_start(browser, bare_script, bare_root, bare_options, runs=runs, path="")
    print("  memory ...", flush=True)
    server = Server(app_root / "app.py", app_root, options, log_name=f"memory-{args.label}").start()
    try:
        result["memory"] = await memory(browser, server, sessions=10)
    finally:
        server.stop()


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    app_root = Path(args.app_root).resolve()
    options = server_options(args.server_opt)
    bare_options = options if args.bare_same_options else []
    pages = APP_PAGES[:4] if args.quick else APP_PAGES
    if args.pages:
        wanted = {t.strip() for t in args.pages.split(",")}
        pages = [p for p in APP_PAGES if p[0] in wanted]
    presses = args.presses or (12 if args.quick else 40)
    result: dict[str, Any] = {
        "label": args.label,
        "app_root": str(app_root),
        "server_options": options,
        "bare_server_options": bare_options,
        "presses": presses,
    }

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            if not args.load_only:
                await core_measurements(browser, args, result, pages=pages, presses=presses)

            # 5. Load.
            if args.load or args.load_only:
                contexts = max(1, min(args.load_contexts or (5 if args.quick else 20), 40))
                seconds = max(5.0, min(args.load_seconds or (15 if args.quick else 60), 300))
                print(f"  load: {contexts} contexts x {seconds:.0f} s ...", flush=True)
                server = Server(app_root / "app.py", app_root, options, log_name=f"load-{args.label}").start()
                try:
                    result["load"] = await load_test(browser, server, contexts, seconds, args.load_think)
                finally:
                    server.stop()
        finally:
            await browser.close()
    return result


def mark(ok: bool | None) -> str:
    return "" if ok is None else (" ok" if ok else " MISS")


def within(value: float | None, goal: float, skip: bool = False) -> bool | None:
    """None (no mark) for the reference row or a missing value; else value <= goal."""
    return None if skip or value is None else value <= goal


def report(result: dict[str, Any]) -> None:
    print(f"\n## {result['label']}  (server options: {' '.join(result['server_options']) or 'defaults'})")
    if "latency" in result:
        report_core(result)
    if "load" in result:
        report_load(result["load"])


def report_core(result: dict[str, Any]) -> None:
    lat = result["latency"]
    bare = lat["Bare page"]
    at = result.get("apptest", {})
    at_pages = at.get("pages", {})
    at_bare = at.get("bare", {}).get("p50")
    g = GOALS
    print(
        "\n| page | press->update p50 ms | p95 ms | metric p50 ms | ratio p50 / p95 to bare | charts changed "
        "| AppTest rerun p50 ms | AppTest ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for title, run in lat.items():
        ratio50 = run["p50"] / bare["p50"] if run["p50"] and bare["p50"] else None
        ratio95 = run["p95"] / bare["p95"] if run["p95"] and bare["p95"] else None
        rerun50 = (at.get("bare", {}) if title == "Bare page" else at_pages.get(title, {})).get("p50")
        is_bare = title == "Bare page"
        print(
            f"| {title} | {fmt(run['p50'])}{mark(within(run['p50'], g['p50_ms'], is_bare))} "
            f"| {fmt(run['p95'])}{mark(within(run['p95'], g['p95_ms'], is_bare))} "
            f"| {fmt(run['metric_p50'])} "
            f"| {fmt(ratio50, 2)} / {fmt(ratio95, 2)}{mark(within(ratio50, g['ratio'], is_bare))} "
            f"| {run['charts_changed']}/{run['charts']}"
            + (f", {run['no_change']} presses unchanged" if run["no_change"] else "")
            + f" | {fmt(rerun50, 1)}{mark(within(rerun50, g['rerun_ms'], is_bare))} "
            f"| {fmt(rerun50 / at_bare if rerun50 and at_bare else None, 2)} |"
        )
    app_runs = [r for t, r in lat.items() if t != "Bare page"]
    all_samples = [s for r in app_runs for s in r["samples"]]
    print(
        f"\nAll app pages pooled: p50 {fmt(median(all_samples))} ms, p95 {fmt(pct(all_samples, 95))} ms "
        f"(goals p50 <= {g['p50_ms']}, p95 <= {g['p95_ms']}); bare p50 {fmt(bare['p50'])} ms, p95 {fmt(bare['p95'])} ms; "
        f"timeouts {sum(r['timeouts'] for r in lat.values())}, presses with no visible change "
        f"{sum(r['no_change'] for r in lat.values())}; server tracebacks {result.get('app_server_tracebacks')}"
    )
    if at:
        print(
            f"Post-run gc.collect(2) with the app imported ({at['gc_tracked_objects']:,} tracked objects): "
            f"{at['gc_collect_ms']:.1f} ms; after gc.freeze(): {at['gc_collect_frozen_ms']:.1f} ms "
            "(AppTest skips this collection; the real server pays it on every rerun unless "
            "runner.postScriptGC is off)"
        )
    cold = result["cold"]
    print(
        f"Cold start (launch -> first chart, median of {cold['runs']}): {cold['first_chart_s']:.2f} s"
        f"{mark(cold['first_chart_s'] <= g['cold_s'])} (health endpoint up at {cold['health_s']:.2f} s, "
        f"page HTML loaded {cold['page_loaded_s']:.2f} s, first element {cold['first_element_s']:.2f} s)"
    )
    if "cold_bare" in result:
        cb = result["cold_bare"]
        print(
            f"Cold start of the bare page, same measure: {cb['first_chart_s']:.2f} s (health {cb['health_s']:.2f} s, "
            f"HTML {cb['page_loaded_s']:.2f} s, first element {cb['first_element_s']:.2f} s)"
        )
    mem = result["memory"]
    print(
        f"Server RSS: idle {mem['idle_mb']:.0f} MB, 1 session {mem['one_mb']:.0f} MB, "
        f"{mem['sessions']} sessions {mem['many_mb']:.0f} MB{mark(mem['many_mb'] <= g['rss10_mb'])} "
        f"({(mem['many_mb'] - mem['one_mb']) / max(1, mem['sessions'] - 1):.2f} MB per extra session)"
    )


def report_load(ld: dict[str, Any]) -> None:
    """The --load line: presses, latency, errors and RSS; the CPU split shows who was saturated."""
    print(
        f"Load: {ld['contexts']} contexts x {ld['seconds']:.0f} s (think {ld.get('think_s', 0):g} s): "
        f"{ld['presses']} presses ({ld['no_change']} without a visible change), "
        f"p50 {fmt(ld['p50'])} ms, p95 {fmt(ld['p95'])} ms, timeouts {ld['timeouts']}, "
        f"errors {ld['errors']}, exceptions on page {ld['exceptions_on_page']}, server tracebacks "
        f"{ld['server_tracebacks']}; RSS before {ld['before_mb']:.0f} MB, all open {ld['open_mb']:.0f} MB, "
        f"peak {ld['peak_mb']:.0f} MB, after closing {ld['after_mb']:.0f} MB"
    )
    if "server_cpu_pct" in ld:
        print(
            f"  CPU during the load (% of all cores): server {ld['server_cpu_pct']:.0f}%, "
            f"browser {ld['browser_cpu_pct']:.0f}% ("
            + ", ".join(
                f"{k.removesuffix('_cpu_pct')} {v:.0f}%"
                for k, v in sorted(ld.items())
                if k.endswith("_cpu_pct") and k not in ("server_cpu_pct", "browser_cpu_pct")
            )
            + ")"
        )
    for sample in ld["error_samples"]:
        print(f"  error: {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="four pages, fewer presses, one cold start")
    parser.add_argument("--load", action="store_true", help="add the concurrent-sessions load test")
    parser.add_argument("--load-contexts", type=int, default=0, help="browser contexts for --load (max 40)")
    parser.add_argument("--load-seconds", type=float, default=0, help="duration of --load (max 300)")
    parser.add_argument("--load-think", type=float, default=0.0, help="pause between presses in --load, s")
    parser.add_argument("--pages", default="", help="comma-separated app page titles to time (default: all)")
    parser.add_argument("--presses", type=int, default=0, help="timed key presses per page")
    parser.add_argument(
        "--app-root", default=str(ROOT), help="directory holding app.py (e.g. a scratch copy)"
    )
    parser.add_argument(
        "--server-opt",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra streamlit option for the app's servers, e.g. runner.postScriptGC=false",
    )
    parser.add_argument(
        "--bare-same-options", action="store_true", help="give the bare page the --server-opt options too"
    )
    parser.add_argument(
        "--bare-streamlit-defaults",
        action="store_true",
        help="serve the bare page under Streamlit's own defaults, not the app's config.toml",
    )
    parser.add_argument("--label", default="default", help="name of this run in the output")
    parser.add_argument("--skip-apptest", action="store_true")
    parser.add_argument("--load-only", action="store_true", help="run only the --load test")
    parser.add_argument("--apptest-runs", type=int, default=30)
    parser.add_argument("--apptest-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", metavar="JSON", help="print the table of an earlier run's JSON and exit")
    args = parser.parse_args()

    if args.report:
        report(json.loads(Path(args.report).read_text()))
        return
    if args.apptest_worker:
        apptest_worker(Path(args.app_root).resolve(), args.apptest_runs)
        return
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium (never `playwright install`)")
    started = time.perf_counter()
    result = asyncio.run(main_async(args))
    result["wall_s"] = time.perf_counter() - started
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"browser-{args.label}.json"
    for run in result.get("latency", {}).values():
        run["samples"] = [round(s, 1) for s in run["samples"]]
        run["metric_samples"] = [round(s, 1) for s in run["metric_samples"]]
    out.write_text(json.dumps(result, indent=2))
    report(result)
    print(f"\n(wall {result['wall_s']:.0f} s; raw numbers in {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
