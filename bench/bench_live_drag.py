"""Frames per second of the live headline chart while its funding-uplift slider is dragged.

The Overview's live chart recomputes funding, pressure and the gap in the browser (Vega-Lite
parameters bound to the chart's own range inputs). This drags that input with the mouse in
headless Chromium and counts, with ``requestAnimationFrame``, the frames in which the chart's
SVG changed. Prints medians over several drags; asserts nothing (goal: at least 30 fps).

    python bench/bench_live_drag.py              # 5 drags of 2 s
    python bench/bench_live_drag.py --drags 9 --seconds 3
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make the repository's packages importable

from apptools.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402

OUT_DIR = ROOT / "artifacts" / "bench"
CHART = ".st-key-chart_live"

# Counts animation frames and the frames in which the chart's marks changed.
PROBE_JS = """
(selector) => {
  const chart = document.querySelector(selector);
  const sig = () => [...chart.querySelectorAll('svg .role-mark path, svg .role-mark line')]
    .map(p => p.getAttribute('d') || p.getAttribute('transform') || '').join('|');
  const state = {frames: 0, changed: [], running: true, last: sig()};
  const loop = t => {
    if (!state.running) return;
    state.frames += 1;
    const now = sig();
    if (now !== state.last) { state.changed.push(t); state.last = now; }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  window.__drag = state;
}
"""
# A drag at the display's frame rate, from inside the page: each animation frame moves the input
# one step and fires its input event, as a pointer drag does; then counts the frames in which the
# chart's marks changed. Free of the test driver's per-event round trip, which on a loaded machine
# delivers fewer pointer moves than the display shows frames.
IN_PAGE_DRAG_JS = """
([selector, seconds]) => new Promise(resolve => {
  const chart = document.querySelector(selector);
  const input = [...chart.querySelectorAll('.vega-bind')].find(b => b.textContent.includes('Funding uplift'))
    .querySelector('input[type="range"]');
  const sig = () => [...chart.querySelectorAll('svg .role-mark path')].map(p => p.getAttribute('d')).join('|');
  const min = +input.min, max = +input.max, step = +input.step;
  let value = +input.value, dir = 1, frames = 0, changed = 0, last = sig(), start = null;
  const loop = t => {
    if (start === null) start = t;
    const now = sig();
    if (now !== last) { changed += 1; last = now; }
    frames += 1;
    if (t - start >= seconds * 1000) { resolve({frames, changed, ms: t - start}); return; }
    if (value + dir * step > max || value + dir * step < min) dir = -dir;
    value = Math.round((value + dir * step) / step) * step;
    input.value = String(value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})
"""
READY_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('.st-key-chart_live svg .role-mark');
}"""


def drag_once(page: Any, seconds: float, forward: bool) -> dict[str, float]:
    """One drag across the funding-uplift input; frames and changed frames per second."""
    slider = page.locator(f"{CHART} .vega-bind", has_text="Funding uplift").locator('input[type="range"]')
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    left, right = box["x"] + 6, box["x"] + box["width"] - 6
    start, end = (left, right) if forward else (right, left)
    page.mouse.move(start, y)
    page.mouse.down()
    page.evaluate(PROBE_JS, CHART)
    steps = max(10, int(seconds * 60))
    began = time.perf_counter()
    for i in range(1, steps + 1):
        page.mouse.move(start + (end - start) * i / steps, y)
        remaining = began + seconds * i / steps - time.perf_counter()
        if remaining > 0:
            time.sleep(remaining)
    result = page.evaluate("() => { window.__drag.running = false; return window.__drag; }")
    elapsed = time.perf_counter() - began
    page.mouse.up()
    changed = result["changed"]
    gaps = [b - a for a, b in itertools.pairwise(changed)]
    return {
        "seconds": elapsed,
        "fps_frames": result["frames"] / elapsed,
        "fps_changed": len(changed) / elapsed,
        "median_gap_ms": statistics.median(gaps) if gaps else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = StreamlitServer(script=ROOT / "app.py", cwd=ROOT, log=OUT_DIR / "live-drag.log").start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url, wait_until="domcontentloaded")
            page.wait_for_function(READY_JS, timeout=120_000)
            page.locator(CHART).scroll_into_view_if_needed()
            page.wait_for_timeout(1000)
            in_page = []
            for i in range(args.drags):
                r = page.evaluate(IN_PAGE_DRAG_JS, [CHART, args.seconds])
                fps, frames = r["changed"] / r["ms"] * 1000, r["frames"] / r["ms"] * 1000
                in_page.append(
                    {"fps": fps, "frames": frames, "share": r["changed"] / max(1, r["frames"] - 1)}
                )
                print(
                    f"  in-page drag {i + 1}: {fps:.1f} chart frames/s of {frames:.1f} browser frames/s "
                    f"({in_page[-1]['share']:.0%} of frames redrawn)",
                    flush=True,
                )
                page.wait_for_timeout(1500)
                page.wait_for_function(READY_JS, timeout=60_000)
            runs = []
            for i in range(args.drags):
                run = drag_once(page, args.seconds, forward=i % 2 == 0)
                runs.append(run)
                print(
                    f"  drag {i + 1}: {run['fps_changed']:.1f} chart frames/s "
                    f"(browser {run['fps_frames']:.1f} frames/s, median {run['median_gap_ms']:.1f} ms "
                    "between chart frames)",
                    flush=True,
                )
                page.wait_for_timeout(1500)  # the sync back to the sidebar reruns the page
                page.wait_for_function(READY_JS, timeout=60_000)
            browser.close()
    finally:
        server.stop()
    fps = statistics.median(r["fps_changed"] for r in runs)
    frames = statistics.median(r["fps_frames"] for r in runs)
    print(
        f"\nLive drag, in-page input events each frame: median {statistics.median(r['fps'] for r in in_page):.1f} "
        f"chart frames per second of {statistics.median(r['frames'] for r in in_page):.1f} browser frames "
        f"({statistics.median(r['share'] for r in in_page):.0%} of frames redrawn; goal >= 30 fps)"
    )
    print(
        f"Live drag, pointer moves from the test driver: median {fps:.1f} chart frames per second over "
        f"{len(runs)} drags of {args.seconds:g} s (browser animation frames {frames:.1f}/s)"
    )


if __name__ == "__main__":
    main()
