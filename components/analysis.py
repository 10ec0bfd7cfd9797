"""Pure helpers the pages share: number formatting, plain-English text and small derived frames.

No Streamlit import: everything here is a function of the model's outputs and is unit-tested.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ics_model import (
    DESCRIPTIONS,
    PARAMETERS,
    Headline,
    Inputs,
    Parameter,
    Scenario,
    Targets,
    project,
    scenario_parameters,
    sweep,
)

BASELINE_NAME = "Current plans"


# --- formatting ------------------------------------------------------------------------------


def money_bn(value: float, *, signed: bool = False, digits: int = 1) -> str:
    """£ billions with the sign before the pound: '-£2.5bn', '+£1.0bn'."""
    sign = "-" if value < 0 else ("+" if signed else "")
    return f"{sign}£{abs(value):,.{digits}f}bn"


def percent(value: float, *, signed: bool = False, digits: int = 1) -> str:
    """A value already in percent: '3.4%'."""
    return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"


def points(value: float, digits: int = 1) -> str:
    """A difference of percentages: '+0.4 points'."""
    return f"{value:+.{digits}f} points"


def millions(count: float, digits: int = 2) -> str:
    """A count in millions: '7.29 million'."""
    return f"{count / 1e6:.{digits}f} million"


def month_label(period: str | None) -> str:
    """'2031-03' to 'March 2031'; None to 'not within the horizon'."""
    if period is None:
        return "not within the horizon"
    return pd.Period(period, freq="M").strftime("%B %Y")


def delta_args(diff: float, text: str, *, worse_when_up: bool = True, tol: float = 5e-4) -> dict[str, str]:
    """st.metric delta arguments against the baseline: neutral when (nearly) the same."""
    if abs(diff) < tol:
        return {"delta": f"Same as {BASELINE_NAME}", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": f"{text} vs {BASELINE_NAME}", "delta_color": "inverse" if worse_when_up else "normal"}


def shown_value(spec: Parameter, value: float) -> str:
    """A scenario value in display units with its unit."""
    shown = spec.to_display(value)
    number = f"{int(shown)}" if spec.is_integer else f"{shown:g}"
    unit = "%" if spec.display_scale == 100 else f" {spec.unit}"
    return f"{number}{unit}"


# --- metric cards ----------------------------------------------------------------------------

Metric = dict[str, Any]


def metric(
    label: str,
    value: str,
    *,
    help: str | None = None,
    diff: float | None = None,
    text: str = "",
    worse_when_up: bool = True,
    tol: float = 5e-4,
) -> Metric:
    """Keyword arguments for one st.metric card, with its delta against the baseline if any."""
    card: Metric = {"label": label, "value": value, "help": help}
    if diff is not None:
        card.update(delta_args(diff, text, worse_when_up=worse_when_up, tol=tol))
    return card


def below_feb_2020(headline: Headline) -> str:
    """The month the list falls below February 2020, or 'Not by <horizon>'."""
    month = headline.month_list_below_feb_2020
    return month_label(month) if month else f"Not by {headline.horizon_fiscal_year}"


def headline_metrics(scenario: Scenario, h: Headline, b: Headline, feb_2020: float) -> list[Metric]:
    """The Overview's cards: the scenario's headline figures against the baseline's."""
    year = h.horizon_fiscal_year
    gap, cum = h.gap_bn_at_horizon - b.gap_bn_at_horizon, h.cumulative_gap_bn - b.cumulative_gap_bn
    pct, breakeven = (
        h.gap_pct_at_horizon - b.gap_pct_at_horizon,
        (h.breakeven_uplift - b.breakeven_uplift) * 100,
    )
    prob = (h.probability_gap_closed - b.probability_gap_closed) * 100
    waiting = (h.waiting_list_at_horizon - b.waiting_list_at_horizon) / 1e6
    return [
        metric(f"Gap in {year}", money_bn(h.gap_bn_at_horizon), diff=gap, text=money_bn(gap, signed=True)),
        metric("Gap as % of budget", percent(h.gap_pct_at_horizon), diff=pct, text=points(pct)),
        metric(
            f"Cumulative gap to {year}",
            money_bn(h.cumulative_gap_bn),
            diff=cum,
            text=money_bn(cum, signed=True),
        ),
        metric(
            "Break-even funding uplift",
            percent(h.breakeven_uplift * 100, digits=2),
            help="The real growth a year that closes the gap: the growth of pressure.",
            diff=breakeven,
            text=points(breakeven, 2),
        ),
        metric(
            "Chance the gap is closed",
            f"{h.probability_gap_closed * 100:.0f}%",
            help="From the standard error of the fitted demand growth.",
            diff=prob,
            text=points(prob, 0),
            worse_when_up=False,
        ),
        metric(
            f"Waiting list in {year}",
            millions(h.waiting_list_at_horizon),
            diff=waiting,
            text=f"{waiting:+.2f} million",
        ),
        metric(
            f"List below Feb 2020 ({feb_2020 / 1e6:.2f}m)",
            below_feb_2020(h),
            help="The first month the projected list falls below its February 2020 level.",
        ),
        metric(
            "Funding uplift / demand growth",
            f"{scenario.funding_uplift * 100:.1f}% / {scenario.demand_growth * 100:.1f}%",
        ),
    ]


def system_metrics(row: pd.Series, base: pd.Series, year: str) -> list[Metric]:
    """Cards for one ICS (a row of Projection.systems) against its Current plans row."""
    funding = row["funding_horizon_bn"] - base["funding_horizon_bn"]
    gap_m = (row["gap_horizon_bn"] - base["gap_horizon_bn"]) * 1e3
    per_patient = row["gap_per_patient"] - base["gap_per_patient"]
    return [
        metric(
            "Fair share of England",
            f"{row['share'] * 100:.2f}%",
            help=f"Need index {row['need_index']:.3f}; {row['registered_population']:,.0f} registered patients",
        ),
        metric(
            f"Fair-share funding {year}",
            f"£{row['funding_horizon_bn']:,.2f}bn",
            diff=funding,
            text=f"{funding:+,.2f}bn",
            worse_when_up=False,
        ),
        metric(
            f"Gap {year}",
            f"£{row['gap_horizon_bn'] * 1e3:,.0f}m",
            diff=gap_m,
            text=f"{gap_m:+,.0f}m",
            tol=0.5,
        ),
        metric(
            "Gap per patient",
            f"£{row['gap_per_patient']:,.0f}",
            diff=per_patient,
            text=f"{per_patient:+,.0f}",
            tol=0.5,
        ),
    ]


def targets_metrics(t: Targets, baseline_targets: int, year: str) -> list[Metric]:
    """Cards for the burden of national targets and the stylised dividend."""
    return [
        metric(f"Burden of {t.national_targets} targets", f"£{t.burden_m:,.0f}m a year"),
        metric("Staff time", f"{t.burden_fte:,.0f} FTE", help=f"{t.burden_hours:,.0f} hours a year"),
        metric(f"Saved against {baseline_targets} targets", f"£{t.burden_saved_m:,.0f}m a year"),
        metric("Dividend (extra productivity)", f"{t.dividend * 100:.2f}% a year"),
        metric(f"Gap in {year} with the dividend", money_bn(t.gap_bn_with_dividend)),
        metric(f"Gap in {year} without it", money_bn(t.gap_bn_without_dividend)),
        metric(
            "Objectives left to local choice",
            f"{max(0, baseline_targets - t.national_targets)} of {baseline_targets}",
            help="National objectives no longer set nationally become local choices for each system.",
        ),
        metric("Dividend's effect on the gap", money_bn(-t.dividend_bn, signed=True)),
    ]


# --- headline text ---------------------------------------------------------------------------


def summary_text(scenario: Scenario, headline: Headline, baseline: Headline, feb_2020: float) -> str:
    """A plain-English paragraph of the headline figures, generated from the numbers."""
    h = headline
    uplift = scenario.funding_uplift * 100
    demand = scenario.demand_growth * 100
    years = scenario.horizon_years
    if h.gap_bn_at_horizon > 0.05:
        gap = (
            f"the NHS in England would be {money_bn(h.gap_bn_at_horizon)} a year short of what it needs "
            f"to keep pace with demand by {h.horizon_fiscal_year} ({percent(h.gap_pct_at_horizon)} of its budget)"
        )
    elif h.gap_bn_at_horizon < -0.05:
        gap = (
            f"funding would exceed the cost of meeting demand by {money_bn(-h.gap_bn_at_horizon)} a year "
            f"by {h.horizon_fiscal_year} ({percent(-h.gap_pct_at_horizon)} of its budget)"
        )
    else:
        gap = f"funding would just keep pace with demand to {h.horizon_fiscal_year}"
    cumulative = (
        f"{money_bn(h.cumulative_gap_bn)} in total over {years} years"
        if h.cumulative_gap_bn >= 0
        else f"a surplus of {money_bn(-h.cumulative_gap_bn)} in total over {years} years"
    )
    diff = h.gap_bn_at_horizon - baseline.gap_bn_at_horizon
    if abs(diff) < 0.05:
        versus = f"That is the same as under {BASELINE_NAME}."
    else:
        versus = f"That is {money_bn(abs(diff))} {'more' if diff > 0 else 'less'} than under {BASELINE_NAME}."
    below = (
        f"would fall below its February 2020 level ({millions(feb_2020)}) in {month_label(h.month_list_below_feb_2020)}"
        if h.month_list_below_feb_2020
        else f"would not fall below its February 2020 level ({millions(feb_2020)}) within the horizon"
    )
    return (
        f"With funding rising {uplift:.1f}% a year in real terms and demand for care growing "
        f"{demand:.1f}% a year, {gap}: {cumulative}. {versus} Closing the gap needs real growth of "
        f"{h.breakeven_uplift * 100:.2f}% a year; given the uncertainty in demand growth, the chance that "
        f"this funding closes the gap is about {h.probability_gap_closed * 100:.0f}%. The elective waiting "
        f"list would be {millions(h.waiting_list_at_horizon)} in {h.horizon_fiscal_year} and {below}."
    )


# --- trade-offs ------------------------------------------------------------------------------

TORNADO_STEPS = {
    # A comparable "small change" for each field, in model units (display: 0.5 points, etc.).
    "funding_uplift": 0.005,
    "national_targets": 10,
    "autonomy_share": 0.25,
    "demand_growth": 0.005,
    "unit_cost_growth": 0.005,
    "productivity_growth": 0.005,
    "autonomy_dividend": 0.005,
    "horizon_years": 2,
}


def _clip(spec: Parameter, value: float) -> float:
    assert spec.low is not None
    assert spec.high is not None
    clipped = min(max(value, spec.low), spec.high)
    return round(clipped) if spec.is_integer else round(clipped, 9)


def tornado_frame(scenario: Scenario, inputs: Inputs, *, full_range: bool = False) -> pd.DataFrame:
    """The gap at the horizon with each field at a low and a high setting, the rest unchanged.

    ``full_range`` uses each field's range ends; otherwise a small step either side
    (``TORNADO_STEPS``), clipped to the range.
    """
    rows = []
    for spec in scenario_parameters():
        current = getattr(scenario, spec.name)
        assert spec.low is not None
        assert spec.high is not None
        if full_range:
            low, high = _clip(spec, spec.low), _clip(spec, spec.high)
        else:
            step = TORNADO_STEPS[spec.name]
            low, high = _clip(spec, current - step), _clip(spec, current + step)
        low_change: dict[str, Any] = {spec.name: low}
        high_change: dict[str, Any] = {spec.name: high}
        # The gap alone: no Monte Carlo needed (the headline would run one per scenario).
        low_gap = project(replace(scenario, **low_change), inputs).gap_bn_at_horizon
        high_gap = project(replace(scenario, **high_change), inputs).gap_bn_at_horizon
        rows.append(
            {
                "field": spec.name,
                "label": spec.label,
                "low": low,
                "high": high,
                "low_shown": shown_value(spec, low),
                "high_shown": shown_value(spec, high),
                "low_gap_bn": low_gap,
                "high_gap_bn": high_gap,
            }
        )
    return pd.DataFrame(rows)


def heatmap_grid(
    scenario: Scenario, inputs: Inputs, x: str = "funding_uplift", y: str = "demand_growth", n: int = 40
) -> pd.DataFrame:
    """The sweep over two levers in display units (percent for rates)."""
    grid = sweep(scenario, inputs, x=x, y=y, n=n)
    for name in (x, y):
        grid[name] = grid[name] * PARAMETERS[name].display_scale
    return grid


def heatmap_points(
    scenario: Scenario, baseline: Scenario, gap_bn: float, baseline_gap_bn: float
) -> pd.DataFrame:
    """The scenario and the baseline as points on the funding x demand heat map (percent)."""
    return pd.DataFrame(
        {
            "label": ["Scenario", BASELINE_NAME],
            "funding_uplift": [scenario.funding_uplift * 100, baseline.funding_uplift * 100],
            "demand_growth": [scenario.demand_growth * 100, baseline.demand_growth * 100],
            "gap_bn": [gap_bn, baseline_gap_bn],
        }
    )


def applicable_value(field: str, value: float) -> float:
    """A goal-seek result rounded to 4 decimals in display units, so the URL carries it exactly."""
    spec = PARAMETERS[field]
    return value if spec.is_integer else spec.from_display(round(spec.to_display(value), 4))


def goal_seek_levers() -> list[str]:
    """Fields goal seek can solve for (every Scenario field except the horizon)."""
    return [p.name for p in scenario_parameters() if p.name != "horizon_years"]


# --- targets ---------------------------------------------------------------------------------


def dividend_sensitivity(scenario: Scenario, inputs: Inputs, n: int = 21) -> pd.DataFrame:
    """Gap at the horizon as the stylised dividend k runs over its whole range."""
    spec = PARAMETERS["autonomy_dividend"]
    assert spec.low is not None
    assert spec.high is not None
    ks = np.linspace(spec.low, spec.high, n)
    gaps = [project(replace(scenario, autonomy_dividend=float(k)), inputs).gap_bn_at_horizon for k in ks]
    return pd.DataFrame({"k": ks, "k_pct": ks * 100, "gap_bn": gaps})


def burden_frame(burden_bn: float, gap_bn: float, baseline_gap_bn: float, targets: int) -> pd.DataFrame:
    """The yearly burden of targets next to the gap at the horizon, all in £bn."""
    return pd.DataFrame(
        {
            "item": [
                f"Oversight burden of {targets} national targets",
                "Gap at horizon: scenario",
                f"Gap at horizon: {BASELINE_NAME}",
            ],
            "series": ["Scenario", "Scenario", BASELINE_NAME],
            "value_bn": [burden_bn, gap_bn, baseline_gap_bn],
        }
    )


# --- compare ---------------------------------------------------------------------------------


def compare_frames(scenarios: dict[str, Scenario], inputs: Inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gap trajectories (long form) and a delta table against the first entry (the baseline)."""
    names = list(scenarios)
    projections = {name: project(s, inputs) for name, s in scenarios.items()}
    lines = pd.concat(
        [p.gap[["fiscal_year", "gap_bn"]].assign(series=name) for name, p in projections.items()],
        ignore_index=True,
    )
    base = projections[names[0]].headline
    rows = []
    for name, p in projections.items():
        h = p.headline
        rows.append(
            {
                "scenario": name,
                "funding_uplift_pct": p.scenario.funding_uplift * 100,
                "demand_growth_pct": p.scenario.demand_growth * 100,
                "national_targets": p.scenario.national_targets,
                "horizon": h.horizon_fiscal_year,
                "gap_bn_at_horizon": h.gap_bn_at_horizon,
                "gap_vs_baseline_bn": h.gap_bn_at_horizon - base.gap_bn_at_horizon,
                "cumulative_gap_bn": h.cumulative_gap_bn,
                "cumulative_vs_baseline_bn": h.cumulative_gap_bn - base.cumulative_gap_bn,
                "waiting_list_m": h.waiting_list_at_horizon / 1e6,
                "waiting_list_vs_baseline_m": (h.waiting_list_at_horizon - base.waiting_list_at_horizon)
                / 1e6,
                "probability_gap_closed_pct": h.probability_gap_closed * 100,
            }
        )
    return lines, pd.DataFrame(rows)


_SNAPSHOT_NAME = re.compile(r"[^\w \-'&().,/%+]+")


def clean_snapshot_name(text: str, taken: set[str], limit: int = 40) -> str:
    """A short, plain label for a snapshot: odd characters dropped, made unique."""
    name = _SNAPSHOT_NAME.sub("", text).strip()[:limit] or "Snapshot"
    base, n = name, 2
    while name in taken or name == BASELINE_NAME:
        name = f"{base} ({n})"
        n += 1
    return name


# --- assumptions page ------------------------------------------------------------------------


def parameter_table(scenario: Scenario) -> pd.DataFrame:
    """Every parameter and constant: value now, default, range, unit, kind and source."""
    rows = []
    for spec in PARAMETERS.values():
        value = getattr(scenario, spec.name, spec.default)

        def fmt(v: float | None, spec: Parameter = spec) -> str:
            return "" if v is None else f"{spec.to_display(v):g}"

        rows.append(
            {
                "parameter": spec.label,
                "name": spec.name,
                "kind": spec.kind,
                "value": fmt(value),
                "default": fmt(spec.default),
                "low": fmt(spec.low),
                "high": fmt(spec.high),
                "unit": spec.unit,
                "source": spec.source,
            }
        )
    return pd.DataFrame(rows)


def preset_table(named: dict[str, Scenario]) -> pd.DataFrame:
    """Each named scenario: what it is, and its policy levers."""
    levers = [p for p in scenario_parameters() if p.kind == "lever"]
    rows = [
        {
            "preset": name,
            "what it is": DESCRIPTIONS.get(name, ""),
            "levers": "; ".join(f"{p.label} {shown_value(p, getattr(scenario, p.name))}" for p in levers),
        }
        for name, scenario in named.items()
    ]
    return pd.DataFrame(rows)


def source_sections(path: Path) -> dict[str, str]:
    """The provenance section of each table in SOURCES.md, keyed by table name."""
    if not path.exists():
        return {}
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^## `([a-z_0-9]+)\.csv`", line)
        if match or line.startswith("## "):
            if current:
                sections[current] = "\n".join(lines).strip()
            current = match.group(1) if match else None
            lines = [line]
        elif current and line.strip() != "---":
            lines.append(line)
    if current:
        sections[current] = "\n".join(lines).strip()
    return sections
