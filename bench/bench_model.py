"""Model speed: medians of the pure ``ics_model`` calls a slider move or a page depends on.

Goals: one ``project()`` under 1 ms; a 50 x 50 ``sweep`` under 20 ms.
Run from the repository root::

    python bench/bench_model.py            # full run
    python bench/bench_model.py --quick    # fewer repeats

Prints one line per measurement and a summary table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ics_model import Scenario, load_inputs, project, sweep  # noqa: E402

COLD_SNIPPET = """
import time
t0 = time.perf_counter()
from ics_model import load_inputs
t1 = time.perf_counter()
load_inputs()
t2 = time.perf_counter()
print(f"{(t1 - t0) * 1e3:.3f} {(t2 - t1) * 1e3:.3f}")
"""


def per_call_ms(func, number: int, repeat: int) -> tuple[float, float]:
    """Median and minimum time of one call in ms, over ``repeat`` timings of ``number`` calls."""
    times = [t / number * 1e3 for t in timeit.repeat(func, number=number, repeat=repeat)]
    return statistics.median(times), min(times)


def cold_load(runs: int) -> tuple[float, float, float]:
    """Fresh interpreters: median ms of importing ics_model, of load_inputs(), and of the process."""
    imports, loads, totals = [], [], []
    for _ in range(runs):
        start = timeit.default_timer()
        out = subprocess.run(
            [sys.executable, "-c", COLD_SNIPPET], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        totals.append((timeit.default_timer() - start) * 1e3)
        imports.append(float(out[0]))
        loads.append(float(out[1]))
    return statistics.median(imports), statistics.median(loads), statistics.median(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = parser.parse_args()
    repeat = 7 if args.quick else 25
    scale = 1 if args.quick else 4

    inputs = load_inputs()
    scenario = Scenario(funding_uplift=0.04, national_targets=12, autonomy_share=0.5)
    rows: list[tuple[str, float, float, str]] = []

    def record(name: str, median: float, best: float, goal: str) -> None:
        rows.append((name, median, best, goal))
        print(f"{name:<44} median {median:9.3f} ms   min {best:9.3f} ms   goal {goal}", flush=True)

    record("project()", *per_call_ms(lambda: project(scenario, inputs), 200 * scale, repeat), "< 1 ms")
    record(
        "project().headline",
        *per_call_ms(lambda: project(scenario, inputs).headline, 200 * scale, repeat),
        "-",
    )
    record(
        "project().headline + .gap frame",
        *per_call_ms(lambda: (p := project(scenario, inputs)).headline and p.gap, 50 * scale, repeat),
        "-",
    )
    record(
        "project() + .waiting_list frame",
        *per_call_ms(lambda: project(scenario, inputs).waiting_list, 50 * scale, repeat),
        "-",
    )
    record(
        "sweep() 50 x 50", *per_call_ms(lambda: sweep(scenario, inputs, n=50), 10 * scale, repeat), "< 20 ms"
    )
    record("load_inputs() warm (same process)", *per_call_ms(load_inputs, 2 * scale, repeat), "-")
    runs = 3 if args.quick else 7
    imp, load, total = cold_load(runs)
    record(f"import ics_model, fresh process ({runs} runs)", imp, imp, "-")
    record("load_inputs() cold, fresh process", load, load, "-")
    record("python + import + load_inputs(), wall", total, total, "-")

    print("\n| measurement | median ms | goal |\n|---|---:|---|")
    for name, median, _, goal in rows:
        print(f"| {name} | {median:.3f} | {goal} |")


if __name__ == "__main__":
    main()
