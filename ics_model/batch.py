"""Batch runs: many scenarios at once, vectorised over scenarios with numpy.

One row of inputs per scenario, columns named as the Scenario fields (the CLI options with
underscores), rates in percent as on the sliders and the command line (``funding_uplift`` 4.0
is 4% a year). Empty cells and missing columns take the Scenario's defaults. A column named
``scenario`` is carried through as a label. Rows are numbered from 1 (the first scenario).

Funding, pressure and the gap are closed-form in the levers, and the waiting list is a
cumulative sum, so every scenario is computed in the same few array operations; the results
equal ``project()`` for the same scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ics_model.inputs import Inputs
from ics_model.projection import BASE_YEAR, Z80, Z95, fiscal_year, growth_rates, targets_dividend
from ics_model.scenario import Parameter, Scenario, scenario_parameters

BatchTable = Literal["headline", "gap", "systems"]
TABLES: tuple[str, ...] = ("headline", "gap", "systems")
LABEL_COLUMN = "scenario"
MAX_SCENARIOS = 1_000_000
_NUMBER = r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?"


class BatchError(ValueError):
    """The batch cannot run (or, in strict mode, a row is bad); the message says why."""


@dataclass(frozen=True)
class BatchResult:
    """A batch's results and the rows that were skipped.

    Attributes:
        results: the requested table, with a ``row`` column (data-row number, first scenario
            is 1) and the inputs in percent beside the outputs.
        problems: one message per skipped row, such as ``row 3: funding_uplift ...``.
        scenarios: the number of scenarios that ran.
    """

    results: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    scenarios: int = 0


def _specs() -> dict[str, Parameter]:
    return {p.name: p for p in scenario_parameters()}


def _describe(spec: Parameter) -> str:
    assert spec.low is not None
    assert spec.high is not None
    kind = "a whole number" if spec.is_integer else "a number"
    return f"{kind} from {spec.to_display(spec.low):g} to {spec.to_display(spec.high):g} ({spec.unit})"


def parse_scenarios(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray], np.ndarray, list[str]]:
    """Validate a frame of scenarios (display units) into model-unit arrays.

    Returns:
        Arrays of every Scenario field in model units for the good rows, the good rows'
        numbers (1-based), and one problem message per bad row.

    Raises:
        BatchError: a column is not a Scenario field (nor ``scenario``), or there are no rows.
    """
    specs = _specs()
    unknown = [str(c) for c in frame.columns if c not in specs and c != LABEL_COLUMN]
    if unknown:
        raise BatchError(
            f"unknown column(s) {', '.join(unknown)}; use any of {', '.join(specs)} "
            f"(rates in percent) and optionally {LABEL_COLUMN!r}"
        )
    if frame.columns.duplicated().any():
        raise BatchError("a column name appears more than once")
    n = len(frame)
    if n == 0:
        raise BatchError("no scenarios: the table has no data rows")
    if n > MAX_SCENARIOS:
        raise BatchError(f"{n:,} scenarios is more than the limit of {MAX_SCENARIOS:,}")
    defaults = Scenario().as_dict()
    bad: dict[int, list[str]] = {}
    values: dict[str, np.ndarray] = {}
    for name, spec in specs.items():
        assert spec.low is not None
        assert spec.high is not None
        if name not in frame.columns:
            values[name] = np.full(n, float(defaults[name]))
            continue
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            shown = column.to_numpy(dtype=float, na_value=np.nan)
            empty = column.isna().to_numpy()
        else:
            text = column.astype("string").str.strip()
            empty = (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
            # ASCII numbers only: float() would also take 'nan', 'inf' and non-ASCII digits.
            numeric = pd.to_numeric(text.where(text.str.fullmatch(_NUMBER).fillna(False)))
            shown = numeric.to_numpy(dtype=float, na_value=np.nan)
        model = np.round(shown / spec.display_scale, 9)
        finite = np.isfinite(model)
        in_range = finite & (model >= spec.low - 1e-12) & (model <= spec.high + 1e-12)
        whole = ~finite | (np.round(shown) == shown) if spec.is_integer else np.ones(n, dtype=bool)
        ok = empty | (finite & in_range & whole)
        for i in np.flatnonzero(~ok):
            bad.setdefault(int(i), []).append(
                f"{name} = {str(column.iloc[i])[:40]!r} is not {_describe(spec)}"
            )
        values[name] = np.where(empty, float(defaults[name]), np.where(ok, model, np.nan))
    keep = np.ones(n, dtype=bool)
    keep[list(bad)] = False
    rows = np.arange(1, n + 1)[keep]
    problems = [f"row {i + 1}: " + "; ".join(bad[i]) for i in sorted(bad)]
    return {name: array[keep] for name, array in values.items()}, rows, problems


def _waiting_lists(
    v: dict[str, np.ndarray], a: np.ndarray, inputs: Inputs
) -> tuple[np.ndarray, list[str | None]]:
    """The centre waiting list at the horizon and the first month below February 2020, per scenario.

    The same flows as ``projection._waiting_lists``, for every scenario of one horizon at once.
    """
    b = inputs.baselines
    count = len(a)
    at_horizon = np.empty(count)
    below: list[str | None] = [None] * count
    floor = min(b["lowest_list"], b["latest_list"])
    for horizon in np.unique(v["horizon_years"]):
        idx = np.flatnonzero(v["horizon_years"] == horizon)
        end = pd.Period(f"{BASE_YEAR + int(horizon) + 1}-03", freq="M")
        n = (end - inputs.last_month).n
        months = pd.period_range(inputs.last_month, end, freq="M")
        steps = np.arange(1, n + 1)
        moy = (inputs.last_month.month + steps - 1) % 12
        d = v["demand_growth"][idx]
        referrals = (
            b["referrals_last12"] / 12 * inputs.referral_season[moy] * (1 + d[:, None]) ** (steps / 12)
        )
        completions = (
            b["removal_factor"]
            * b["completions_last12"]
            / 12
            * inputs.completion_season[moy]
            * (1 + a[idx, None]) ** (steps / 12)
        )
        lists = np.concatenate(
            [
                np.full((len(idx), 1), b["latest_list"]),
                b["latest_list"] + np.cumsum(referrals - completions, 1),
            ],
            axis=1,
        )
        lists = np.maximum(lists, floor)
        at_horizon[idx] = lists[:, -1]
        under = lists < b["feb_2020_list"]
        first = np.argmax(under, axis=1)
        labels = [str(m) for m in months]
        for j in np.flatnonzero(under.any(axis=1)):
            below[idx[j]] = labels[first[j]]
    return at_horizon, below


def _inputs_frame(v: dict[str, np.ndarray], rows: np.ndarray, labels: pd.Series | None) -> pd.DataFrame:
    """The row number, label and every input in display units (percent for rates)."""
    frame = pd.DataFrame({"row": rows})
    if labels is not None:
        frame[LABEL_COLUMN] = labels.to_numpy()
    for name, spec in _specs().items():
        shown = np.round(v[name] * spec.display_scale, 6)
        frame[name] = shown.astype("int64") if spec.is_integer else shown
    return frame


@dataclass(frozen=True)
class _Paths:
    """Yearly funding and pressure of every scenario (rows) over years 0..max horizon."""

    v: dict[str, np.ndarray]
    tau: np.ndarray
    g: np.ndarray
    a: np.ndarray
    horizon: np.ndarray
    years: np.ndarray
    in_horizon: np.ndarray
    funding: np.ndarray
    pressure: np.ndarray

    @classmethod
    def of(cls, v: dict[str, np.ndarray], f0: float) -> _Paths:
        tau = np.asarray(targets_dividend(v["national_targets"], v["autonomy_share"], v["autonomy_dividend"]))
        g, a = growth_rates(
            v["funding_uplift"], v["demand_growth"], v["unit_cost_growth"], v["productivity_growth"], tau
        )
        horizon = v["horizon_years"].astype(int)
        years = np.arange(int(horizon.max()) + 1)
        return cls(
            v=v,
            tau=tau,
            g=np.asarray(g),
            a=np.asarray(a),
            horizon=horizon,
            years=years,
            in_horizon=years[None, :] <= horizon[:, None],
            funding=f0 * (1 + v["funding_uplift"][:, None]) ** years,
            pressure=f0 * (1 + np.asarray(g)[:, None]) ** years,
        )

    def at_horizon(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Funding and gap at each scenario's horizon, and the cumulative gap to it."""
        last = np.arange(len(self.horizon))
        funding_h = self.funding[last, self.horizon]
        gap_h = self.pressure[last, self.horizon] - funding_h
        cumulative = np.where(self.in_horizon, self.pressure - self.funding, 0.0).sum(axis=1)
        return funding_h, gap_h, cumulative


def _gap_table(p: _Paths, base: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """One row per scenario and year, the columns of ``Projection.gap``."""
    f0, se, v = inputs.base_funding_bn, inputs.baselines["demand_growth_se"], p.v
    bands = {}
    for name, z in (("low80", -Z80), ("high80", Z80), ("low95", -Z95), ("high95", Z95)):
        g_band, _ = growth_rates(
            v["funding_uplift"],
            v["demand_growth"] + z * se,
            v["unit_cost_growth"],
            v["productivity_growth"],
            p.tau,
        )
        bands[name] = f0 * (1 + np.asarray(g_band)[:, None]) ** p.years
    gap = p.pressure - p.funding
    cumulative = np.cumsum(gap, axis=1)
    scen, t = np.nonzero(p.in_horizon)
    long = base.iloc[scen].reset_index(drop=True)
    names = [fiscal_year(BASE_YEAR + int(y)) for y in p.years]
    long["fiscal_year"] = [names[y] for y in t.tolist()]
    long["t"] = t
    long["funding_bn"] = p.funding[scen, t]
    long["pressure_bn"] = p.pressure[scen, t]
    long["gap_bn"] = gap[scen, t]
    long["gap_pct"] = gap[scen, t] / p.funding[scen, t] * 100
    long["cumulative_gap_bn"] = cumulative[scen, t]
    long["pressure_low_bn"] = bands["low80"][scen, t]
    long["pressure_high_bn"] = bands["high80"][scen, t]
    long["pressure_low95_bn"] = bands["low95"][scen, t]
    long["pressure_high95_bn"] = bands["high95"][scen, t]
    return long


def _systems_table(p: _Paths, base: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """One row per scenario and ICB, the columns of ``Projection.systems``."""
    funding_h, gap_h, cumulative = p.at_horizon()
    icbs = inputs.icbs
    share = (icbs["need_weighted_population"] / icbs["need_weighted_population"].sum()).to_numpy()
    k = len(icbs)
    scen = np.repeat(np.arange(len(p.horizon)), k)
    system = np.tile(np.arange(k), len(p.horizon))
    long = base.iloc[scen].reset_index(drop=True)
    info = icbs[["icb_code", "icb_name", "region", "registered_population", "need_index"]]
    long = pd.concat([long, info.iloc[system].reset_index(drop=True)], axis=1)
    long["share"] = share[system]
    long["funding_base_bn"] = share[system] * p.funding[scen, 0]
    long["funding_horizon_bn"] = share[system] * funding_h[scen]
    long["gap_horizon_bn"] = share[system] * gap_h[scen]
    long["cumulative_gap_bn"] = share[system] * cumulative[scen]
    population = long["registered_population"].to_numpy()
    long["funding_per_patient"] = long["funding_horizon_bn"] * 1e9 / population
    long["gap_per_patient"] = long["gap_horizon_bn"] * 1e9 / population
    return long


def _headline_table(p: _Paths, base: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """One row per scenario, the fields of ``Projection.headline``."""
    from scipy.special import ndtr  # the normal CDF over arrays

    funding_h, gap_h, cumulative = p.at_horizon()
    se, d = inputs.baselines["demand_growth_se"], p.v["demand_growth"]
    prob = ndtr((p.a - d) / se) if se > 0 else (p.a >= d).astype(float)
    waiting, below = _waiting_lists(p.v, p.a, inputs)
    out = base
    names = {int(h): fiscal_year(BASE_YEAR + int(h)) for h in np.unique(p.horizon)}
    out["horizon_fiscal_year"] = [names[h] for h in p.horizon.tolist()]
    out["gap_bn_at_horizon"] = gap_h
    out["gap_pct_at_horizon"] = gap_h / funding_h * 100
    out["cumulative_gap_bn"] = cumulative
    out["breakeven_uplift_pct"] = p.g * 100
    out["probability_gap_closed"] = prob
    out["waiting_list_at_horizon"] = waiting
    out["month_list_below_feb_2020"] = pd.array(below, dtype="string")
    return out


def run_batch(
    frame: pd.DataFrame,
    inputs: Inputs,
    *,
    table: BatchTable = "headline",
    strict: bool = False,
) -> BatchResult:
    """Project many scenarios at once.

    Args:
        frame: one row per scenario; columns named as the Scenario fields (any subset), rates in
            percent (as the CLI options), and optionally a ``scenario`` label column.
        inputs: cached data and fitted baselines from ``load_inputs``.
        table: ``headline`` (one row per scenario), ``gap`` (one row per scenario and year) or
            ``systems`` (one row per scenario and ICB, the fair-share split of ``project``).
        strict: raise on the first bad row instead of skipping bad rows.

    Returns:
        A BatchResult: the results table and the skipped rows' problems.

    Raises:
        BatchError: unknown columns, no rows, or (strict) any bad row.
    """
    if table not in TABLES:
        raise BatchError(f"table must be one of {', '.join(TABLES)}, got {table!r}")
    v, rows, problems = parse_scenarios(frame)
    if strict and problems:
        raise BatchError(f"{len(problems)} bad row(s); first: {problems[0]}")
    labels = frame[LABEL_COLUMN].iloc[rows - 1].astype("string") if LABEL_COLUMN in frame.columns else None
    base = _inputs_frame(v, rows, labels)
    if len(rows) == 0:
        return BatchResult(base, problems, 0)
    paths = _Paths.of(v, inputs.base_funding_bn)
    build = {"gap": _gap_table, "systems": _systems_table, "headline": _headline_table}[table]
    return BatchResult(build(paths, base, inputs), problems, len(rows))


MAX_FILE_BYTES = 200 * 1024 * 1024


def read_scenarios(path: Path) -> pd.DataFrame:
    """A scenarios file (.csv or .parquet) as a frame of text or numbers, unchecked.

    Raises:
        BatchError: the file is missing, too big, of another kind, or not readable as a table.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BatchError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise BatchError(f"{path.name}: {size / 1e6:.0f} MB is over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".csv":
            # Text throughout, so 'abc' or '1e309' is reported by row rather than guessed at.
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            return frame.rename(columns=lambda c: str(c).strip())
    except UnicodeDecodeError as exc:
        raise BatchError(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
    except (ValueError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BatchError(f"{path.name}: cannot be read as a {suffix[1:]} table ({str(exc)[:160]})") from exc
    except Exception as exc:  # pyarrow raises its own types for corrupt Parquet
        raise BatchError(f"{path.name}: cannot be read as a {suffix[1:]} table ({str(exc)[:160]})") from exc
    raise BatchError(f"{path.name}: the scenarios file must end in .csv or .parquet")
