"""Command line: ``python -m ics_model project|sweep|build-data|batch|refresh``.

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
from ics_model.projection import Projection, project, sweep
from ics_model.scenario import Scenario, scenario_parameters
from ics_model.systems import project_system


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


def _table(result: Projection, table: str, system: str | None) -> pd.DataFrame:
    """The requested table, nationally or for one system."""
    if system is None:
        frame: pd.DataFrame = getattr(result, table)
        return frame
    one = project_system(system, result.scenario, result.inputs, result.systems_result)
    if table == "systems":
        return result.systems[result.systems["icb_code"] == one.code]
    if table == "drivers":
        raise ValueError("--table drivers is national only; use gap, waiting_list or systems with --system")
    return one.gap if table == "gap" else one.waiting_list


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ics_model", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    proj = commands.add_parser("project", help="project one scenario to its horizon")
    _add_scenario_options(proj)
    proj.add_argument("--table", choices=["gap", "waiting_list", "systems", "drivers"], default="gap")
    proj.add_argument("--out", type=Path, help="write .csv or .parquet (default: CSV to stdout)")
    proj.add_argument(
        "--system",
        metavar="CODE",
        help="one ICB by 2025/26 ODS code (e.g. QOQ): its gap (£m), waiting list or systems row",
    )
    grid = commands.add_parser("sweep", help="gap at the horizon over a grid of two levers")
    _add_scenario_options(grid)
    grid.add_argument("--x", default="funding_uplift")
    grid.add_argument("--y", default="demand_growth")
    grid.add_argument("--n", type=int, default=50)
    grid.add_argument("--out", type=Path)
    commands.add_parser("build-data", help="validate data/raw and rebuild the Arrow cache")
    _add_analyst_commands(commands)
    return parser


def _add_analyst_commands(commands: Any) -> None:
    """``batch`` (many scenarios from a file) and ``refresh`` (from NHS England's workbooks)."""
    batch = commands.add_parser(
        "batch",
        help="project every scenario in a CSV or Parquet file (one row each; rates in percent)",
    )
    batch.add_argument("scenarios", type=Path, help="CSV or Parquet: columns named as the options, with _")
    batch.add_argument("--out", type=Path, required=True, help="write .csv or .parquet")
    batch.add_argument("--table", choices=["headline", "gap", "systems"], default="headline")
    batch.add_argument("--strict", action="store_true", help="fail on any bad row instead of skipping it")
    refresh = commands.add_parser("refresh", help="update the data from NHS England's published workbooks")
    refresh.add_argument("--rtt", type=Path, required=True, help="RTT Overview Timeseries (.xlsx)")
    refresh.add_argument("--ae", type=Path, required=True, help="Monthly A&E Time Series (.xls)")
    refresh.add_argument("--allocations", type=Path, help="ICB allocations, all funding streams (.xlsx)")


def _run_batch(args: argparse.Namespace) -> int:
    from ics_model.batch import read_scenarios, run_batch
    from ics_model.progress import Steps
    from ics_model.uploads import neutralise_formulas

    steps = Steps(3)
    steps.start(f"Reading {args.scenarios.name}")
    frame = read_scenarios(args.scenarios)
    steps.finish(f"{len(frame):,} rows")
    steps.start("Loading the data")
    inputs = load_inputs()
    steps.finish()
    steps.start(f"Projecting {len(frame):,} scenarios")
    result = run_batch(frame, inputs, table=args.table, strict=args.strict)
    steps.finish(f"{result.scenarios:,} ran, {len(result.problems)} skipped")
    for problem in result.problems[:20]:
        print(f"skipped {problem}", file=sys.stderr)
    if len(result.problems) > 20:
        print(f"... and {len(result.problems) - 20} more bad rows", file=sys.stderr)
    _write(neutralise_formulas(result.results), args.out)
    print(f"wrote {len(result.results):,} rows to {args.out}", file=sys.stderr)
    return 0


def _run_refresh(args: argparse.Namespace) -> int:
    from ics_model.progress import Steps
    from ics_model.refresh import refresh

    report = refresh(args.rtt, args.ae, args.allocations, steps=Steps(6))
    for line in report.lines():
        print(line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "build-data":
            tables = build_cache()
            print(f"built {len(tables)} tables into data/cache")
            return 0
        if args.command == "batch":
            return _run_batch(args)
        if args.command == "refresh":
            return _run_refresh(args)
        scenario = _scenario(args)
        inputs = load_inputs()
        if args.command == "project":
            result = project(scenario, inputs)
            _write(_table(result, args.table, args.system), args.out)
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
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    return 0
