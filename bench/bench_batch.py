"""Batch speed: ``run_batch`` over 10,000 random scenarios (goal: under 2 s).

Run from the repository root::

    python bench/bench_batch.py             # 10,000 scenarios, 5 repeats per table
    python bench/bench_batch.py --n 2000 --repeat 3

Prints the median and minimum time of each output table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ics_model import load_inputs, run_batch  # noqa: E402


def scenarios(n: int, seed: int = 20261130) -> pd.DataFrame:
    """n scenarios over every lever's range, in the batch file's units (percent for rates)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "funding_uplift": rng.uniform(0, 6, n).round(1),
            "national_targets": rng.integers(0, 41, n),
            "autonomy_share": rng.uniform(0, 100, n).round(0),
            "demand_growth": rng.uniform(0, 6, n).round(1),
            "unit_cost_growth": rng.uniform(-1, 4, n).round(1),
            "productivity_growth": rng.uniform(-1, 3, n).round(1),
            "autonomy_dividend": rng.uniform(0, 2, n).round(1),
            "horizon_years": rng.integers(3, 16, n),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    inputs = load_inputs()
    frame = scenarios(args.n)
    # As read from a CSV file: every cell text, checked and converted by the batch.
    as_text = frame.astype(str)
    run_batch(frame.head(10), inputs)  # warm up (imports)
    print(f"run_batch over {args.n:,} scenarios, {args.repeat} repeats")
    for label, data, table in (
        ("headline (numbers)", frame, "headline"),
        ("headline (text, as from CSV)", as_text, "headline"),
        ("gap", frame, "gap"),
        ("systems", frame, "systems"),
    ):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run_batch(data, inputs, table=table)  # type: ignore[arg-type]
            times.append(time.perf_counter() - start)
        assert result.scenarios == args.n
        print(
            f"  {label:30s} median {statistics.median(times):.3f} s, min {min(times):.3f} s "
            f"({len(result.results):,} rows)"
        )


if __name__ == "__main__":
    main()
