"""Command line: ``python -m ics_model project|sweep|build-data``.

Scenario options are generated from the Scenario metadata, in the UI's units (percent
for rates), so ``--funding-uplift 4.0`` means 4% a year.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ics_model.data import DataError, build_cache
from ics_model.inputs import load_inputs
from ics_model.projection import project, sweep
from ics_model.scenario import Scenario, scenario_parameters


def _add_scenario_options(parser: argparse.ArgumentParser) -> None:
    for spec in scenario_parameters():
        assert spec.low is not None
        assert spec.high is not None
        parser.add_argument(
            f"--{spec.name.replace('_', '-')}",
            type=float,
            default=None,
            metavar="N",
            help=f"{spec.label} ({spec.unit}, {spec.to_display(spec.low):g} to "
            f"{spec.to_display(spec.high):g}; default {spec.to_display(spec.default):g})",
        )


def _scenario(args: argparse.Namespace) -> Scenario:
    changes: dict[str, Any] = {}
    for spec in scenario_parameters():
        shown = getattr(args, spec.name)
        if shown is not None:
            value = spec.from_display(shown)
            changes[spec.name] = int(value) if spec.is_integer and float(value).is_integer() else value
    return Scenario(**changes)


# Public names for other command lines that take a scenario (components.board_pack).
add_scenario_options = _add_scenario_options
scenario_from_args = _scenario


def _write(frame: pd.DataFrame, out: Path | None) -> None:
    if out is None:
        frame.to_csv(sys.stdout, index=False)
    elif out.suffix == ".parquet":
        frame.to_parquet(out, index=False)
    elif out.suffix == ".csv":
        frame.to_csv(out, index=False)
    else:
        raise ValueError(f"--out must end in .csv or .parquet, got {out.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ics_model", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    proj = commands.add_parser("project", help="project one scenario to its horizon")
    _add_scenario_options(proj)
    proj.add_argument("--table", choices=["gap", "waiting_list", "systems", "drivers"], default="gap")
    proj.add_argument("--out", type=Path, help="write .csv or .parquet (default: CSV to stdout)")
    grid = commands.add_parser("sweep", help="gap at the horizon over a grid of two levers")
    _add_scenario_options(grid)
    grid.add_argument("--x", default="funding_uplift")
    grid.add_argument("--y", default="demand_growth")
    grid.add_argument("--n", type=int, default=50)
    grid.add_argument("--out", type=Path)
    commands.add_parser("build-data", help="validate data/raw and rebuild the Arrow cache")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "build-data":
            tables = build_cache()
            print(f"built {len(tables)} tables into data/cache")
            return 0
        scenario = _scenario(args)
        inputs = load_inputs()
        if args.command == "project":
            result = project(scenario, inputs)
            _write(getattr(result, args.table), args.out)
            h = result.headline
            print(
                f"gap in {h.horizon_fiscal_year}: £{h.gap_bn_at_horizon:.1f}bn "
                f"({h.gap_pct_at_horizon:.1f}% of funding); break-even uplift "
                f"{h.breakeven_uplift * 100:.2f}%; waiting list {h.waiting_list_at_horizon / 1e6:.2f}m",
                file=sys.stderr,
            )
        else:
            if not 2 <= args.n <= 400:
                raise ValueError("--n must be from 2 to 400")
            _write(sweep(scenario, inputs, x=args.x, y=args.y, n=args.n), args.out)
    except (ValueError, DataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
