"""An analyst's session with the Python API: a sweep, a batch and one system's projection.

Run from anywhere (it finds the project next to it)::

    python examples/analyst_example.py --out results/

Writes sweep.csv, batch.csv and system_QWO.csv into the folder and prints a summary.
Rates are fractions in Python (0.04 is 4% a year); the batch table takes percent, like the
command line and a batch file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ics_model import Scenario, load_inputs, presets, project, run_batch, sweep

SYSTEM = "QWO"  # NHS West Yorkshire ICB (ODS code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results"))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)

    inputs = load_inputs()  # the Arrow cache and the fitted baselines, once
    current = presets(inputs)["Current plans"]

    # 1. A sweep: the gap at the horizon over funding uplift x demand growth (21 x 21 grid).
    grid = sweep(current, inputs, x="funding_uplift", y="demand_growth", n=21)
    grid.to_csv(out / "sweep.csv", index=False)
    closed = grid[grid["gap_bn"] <= 0]
    print(f"sweep: {len(closed)} of {len(grid)} combinations close the gap by the horizon")

    # 2. A batch: named scenarios in the batch file's units (percent for rates).
    scenarios = pd.DataFrame(
        {
            "scenario": ["Current plans", "Long Term Plan 2018", "4% and 10 targets"],
            "funding_uplift": [current.funding_uplift * 100, 3.4, 4.0],
            "national_targets": [31, 31, 10],
            "autonomy_share": [0, 0, 60],
        }
    )
    batch = run_batch(scenarios, inputs)
    batch.results.to_csv(out / "batch.csv", index=False)
    for _, row in batch.results.iterrows():
        print(
            f"batch: {row['scenario']:<22s} gap in {row['horizon_fiscal_year']} "
            f"£{row['gap_bn_at_horizon']:.1f}bn, waiting list {row['waiting_list_at_horizon'] / 1e6:.2f}m"
        )

    # 3. One system: its share of funding and of the gap, year by year, under a scenario.
    scenario = Scenario(funding_uplift=0.04, national_targets=10, autonomy_share=0.6)
    result = project(scenario, inputs)
    system = result.systems.set_index("icb_code").loc[SYSTEM]
    yearly = result.gap[["fiscal_year", "funding_bn", "pressure_bn", "gap_bn"]].copy()
    for column in ("funding_bn", "pressure_bn", "gap_bn"):
        yearly[column] = yearly[column] * system["share"]
    yearly.insert(0, "icb_code", SYSTEM)
    yearly.insert(1, "icb_name", system["icb_name"])
    yearly.to_csv(out / f"system_{SYSTEM}.csv", index=False)
    last = yearly.iloc[-1]
    print(
        f"system: {system['icb_name']} ({system['share']:.1%} of need-weighted population): "
        f"gap £{last['gap_bn'] * 1000:,.0f}m in {last['fiscal_year']}, "
        f"£{system['gap_per_patient']:,.0f} per registered patient"
    )
    print(f"wrote sweep.csv, batch.csv and system_{SYSTEM}.csv to {out}")


if __name__ == "__main__":
    main()
