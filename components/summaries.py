"""One-sentence text alternatives for the charts, computed from the frames each chart draws.

Pure (no Streamlit): each function takes what the page already holds and says what the chart
shows for the scenario, with the numbers a sighted reader would take from it. Used as the
chart's accessible name and above its data table (``components.chart_view.show_chart``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.analysis import money_bn
from components.charts._spec import per_table

BASELINE = "Current plans"


def _last(frame: pd.DataFrame, series: str, column: str = "value") -> float:
    """The last value of one series of a long-form frame (plain arrays: this runs every move)."""
    rows = np.flatnonzero(frame["series"].to_numpy(object) == series)
    return float(frame[column].to_numpy()[rows[-1]]) if len(rows) else float("nan")


def funding_vs_pressure(gap: pd.DataFrame, baseline_gap: pd.DataFrame) -> str:
    """Funding and pressure at the horizon, with the Current plans gap."""
    end, base = gap.iloc[-1], baseline_gap.iloc[-1]
    return (
        f"Line chart: by {end['fiscal_year']} pressure reaches {money_bn(end['pressure_bn'])} and funding "
        f"{money_bn(end['funding_bn'])} a year, a gap of {money_bn(end['gap_bn'])} "
        f"(Current plans: {money_bn(base['gap_bn'])}), from {money_bn(gap['funding_bn'].iloc[0])} "
        f"in {gap['fiscal_year'].iloc[0]}."
    )


def gap_bars(gap: pd.DataFrame, baseline_gap: pd.DataFrame) -> str:
    """The gap each year, its size at the horizon and its cumulative total."""
    end = gap.iloc[-1]
    return (
        f"Bar chart of the gap each year: {money_bn(end['gap_bn'])} in {end['fiscal_year']} "
        f"({money_bn(end['cumulative_gap_bn'])} in total over the years), against "
        f"{money_bn(baseline_gap['gap_bn'].iloc[-1])} under Current plans."
    )


def waterfall(frame: pd.DataFrame) -> str:
    """Each driver of pressure in order, with its £bn contribution."""
    steps = "; ".join(
        f"{step} {money_bn(float(value), signed=True)}"
        for step, value in zip(frame["step"], frame["value_bn"], strict=True)
    )
    return f"Waterfall chart of what drives pressure to the horizon: {steps}."


def tradeoff_heatmap(points: pd.DataFrame, x_title: str, y_title: str) -> str:
    """The heat map's two points: the scenario and Current plans."""
    scen = points[points["label"] == "Scenario"].iloc[0]
    base = points[points["label"] == BASELINE].iloc[0]
    return (
        f"Heat map of the gap at the horizon over {x_title.lower()} and {y_title.lower()}: the scenario "
        f"({scen['funding_uplift']:.1f}% uplift, {scen['demand_growth']:.1f}% demand growth) has a gap of "
        f"{money_bn(scen['gap_bn'])}; Current plans {money_bn(base['gap_bn'])}."
    )


def tornado(frame: pd.DataFrame) -> str:
    """The lever with the widest effect on the gap."""
    widths = (frame["high_gap_bn"] - frame["low_gap_bn"]).abs()
    top = frame.iloc[int(widths.to_numpy().argmax())]
    return (
        f"Tornado chart of each setting's low and high effect on the gap at the horizon; the widest is "
        f"{top['label']}, from {money_bn(top['low_gap_bn'])} to {money_bn(top['high_gap_bn'])}."
    )


def waiting_list(lines: pd.DataFrame, feb_2020_m: float) -> str:
    """The list now, the scenario's list at the horizon and Current plans'."""
    return (
        f"Line chart of the RTT waiting list: {_last(lines, 'Actual (NHS England RTT)'):.2f} million in the latest month; "
        f"the scenario reaches {_last(lines, 'Scenario'):.2f} million at the horizon (Current plans "
        f"{_last(lines, BASELINE):.2f} million; February 2020: {feb_2020_m:.2f} million)."
    )


def flows(frame: pd.DataFrame) -> str:
    """Referrals against completions in the last whole year shown."""
    year = frame["fiscal_year"].iloc[-1]
    return (
        f"Line chart of referrals against completions a year: in {year} the scenario has "
        f"{_last(frame, 'Referrals (scenario)'):.2f} million referrals and "
        f"{_last(frame, 'Completions and removals (scenario)'):.2f} million completions and removals."
    )


@per_table
def rtt_standard(rtt: pd.DataFrame, standard: float) -> str:
    """The latest share within 18 weeks against the standard."""
    latest = rtt.dropna(subset=["pct_within_18wks"]).iloc[-1]
    return (
        f"Line chart of the share of the waiting list within 18 weeks since 2007: "
        f"{latest['pct_within_18wks'] * 100:.1f}% in the latest month against the {standard * 100:.0f}% standard."
    )


def dividend_sensitivity(frame: pd.DataFrame, without_gap: float, baseline_gap: float) -> str:
    """The gap's range over the dividend k."""
    return (
        f"Line chart of the gap at the horizon as the stylised dividend k runs from {frame['k_pct'].iloc[0]:.1f}% "
        f"to {frame['k_pct'].iloc[-1]:.1f}%: from {money_bn(frame['gap_bn'].iloc[0])} to "
        f"{money_bn(frame['gap_bn'].iloc[-1])} (no dividend {money_bn(without_gap)}, Current plans "
        f"{money_bn(baseline_gap)})."
    )


def burden(frame: pd.DataFrame) -> str:
    """Each bar with its value."""
    bars = "; ".join(
        f"{item} {money_bn(float(value), digits=2)}"
        for item, value in zip(frame["item"], frame["value_bn"], strict=True)
    )
    return f"Bar chart on one £bn scale: {bars}."


def systems(frame: pd.DataFrame, measure: str, label: str) -> str:
    """The highest and lowest system on the measure shown."""
    ordered = frame.sort_values(measure, ascending=False)
    top, bottom = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"Bar chart of {label.lower()} for each of the {len(frame)} systems, coloured by region: highest "
        f"{top['name']} ({top[measure]:,.0f}), lowest {bottom['name']} ({bottom[measure]:,.0f})."
    )


def compare(lines: pd.DataFrame) -> str:
    """Each scenario's gap at the horizon."""
    ends = lines.groupby("series", sort=False)["gap_bn"].last()
    listed = "; ".join(f"{name} {money_bn(value)}" for name, value in ends.items())
    return f"Line chart of the gap each year for each scenario; at the horizon: {listed}."


def evidence_percent(evidence: pd.DataFrame) -> str:
    """Every survey share with its year."""
    data = evidence[evidence["unit"] == "%"]
    listed = "; ".join(f"{row.measure} ({row.year}) {row.value:.0f}%" for row in data.itertuples())
    return f"Bar chart of survey shares: {listed}."


def funding_evidence(evidence: pd.DataFrame, uplift_pct: float, baseline_pct: float) -> str:
    """The settlement and the economists' figures against the uplifts."""
    data = evidence[evidence["unit"] == "% a year"]
    listed = "; ".join(f"{row.measure} {row.value:.1f}%" for row in data.itertuples())
    return (
        f"Bar chart of real growth a year: {listed}; the scenario's uplift is {uplift_pct:.1f}% "
        f"and Current plans' {baseline_pct:.1f}%."
    )


def growth_by_government(tdel: pd.DataFrame, uplift_pct: float) -> str:
    """The highest and lowest growth by government and the scenario's uplift."""
    bars = tdel[~tdel["period"].str.startswith("Long-run")]
    growth = bars["cagr"].to_numpy()
    top, bottom = bars.iloc[int(growth.argmax())], bars.iloc[int(growth.argmin())]
    return (
        f"Bar chart of the health budget's real growth by government: highest {top['period']} "
        f"{top['cagr'] * 100:.1f}% a year, lowest {bottom['period']} {bottom['cagr'] * 100:.1f}%; the "
        f"scenario's uplift is {uplift_pct:.1f}%."
    )


# --- one system, the 42 systems, the track record, the targets' history ------------------------


def system_funding(gap: pd.DataFrame, name: str) -> str:
    """One system's funding and pressure at the horizon, £m."""
    end, start = gap.iloc[-1], gap.iloc[0]
    return (
        f"Line chart of {name}'s funding and pressure, £m a year: by {end['fiscal_year']} pressure reaches "
        f"£{end['pressure_m']:,.0f}m and funding £{end['funding_m']:,.0f}m, a gap of £{end['gap_m']:,.0f}m "
        f"({end['gap_pct']:.1f}% of its funding), from £{start['funding_m']:,.0f}m in {start['fiscal_year']}."
    )


def system_waiting(frame: pd.DataFrame) -> str:
    """One system's reported waiting list and its projection at the horizon."""

    def last(series: str) -> str:
        rows = frame[frame["series"] == series].dropna(subset=["waiting_list"])
        return f"{rows['waiting_list'].iloc[-1]:,.0f}" if len(rows) else "not available"

    return (
        f"Line chart of the system's RTT waiting list: {last('Reported')} pathways in the latest reported "
        f"month; the scenario projects {last('Projection')} at the horizon "
        f"(Current plans: {last('Projection: Current plans')})."
    )


def _measure_value(value: float, fmt: str) -> str:
    return format(value, fmt)


def systems_strip(frame: pd.DataFrame, measure: str, code: str, label: str, fmt: str) -> str:
    """Where one system sits among the 42 on a measure."""
    ordered = frame.sort_values(measure, ascending=False).reset_index(drop=True)
    at = ordered.index[ordered["icb_code"] == code][0]
    row = ordered.iloc[at]
    return (
        f"Strip chart of the 42 systems on {label.lower()}: {row['name']} is "
        f"{_measure_value(row[measure], fmt)}, {at + 1} of 42 from the highest; the systems run from "
        f"{_measure_value(ordered[measure].min(), fmt)} to {_measure_value(ordered[measure].max(), fmt)}."
    )


def region_systems(frame: pd.DataFrame, code: str, measure: str, label: str, fmt: str) -> str:
    """The systems of one system's region side by side on a measure."""
    region = frame.loc[frame["icb_code"] == code, "region"].iloc[0]
    rows = frame[frame["region"] == region].sort_values(measure, ascending=False)
    listing = "; ".join(f"{r['name']} {_measure_value(r[measure], fmt)}" for _, r in rows.iterrows())
    return f"Bar chart of the {len(rows)} systems in {region} on {label.lower()}: {listing}."


def systems_map(frame: pd.DataFrame, measure: str, label: str, fmt: str) -> str:
    """The map of the 42 systems: the highest and lowest on the measure."""
    ordered = frame.sort_values(measure, ascending=False)
    top, bottom = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"Map of England's 42 integrated care systems shaded by {label.lower()}: highest "
        f"{top['name']} ({_measure_value(top[measure], fmt)}), lowest {bottom['name']} "
        f"({_measure_value(bottom[measure], fmt)}). The table below the map lists every system."
    )


def backtest(projections: pd.DataFrame, label: str) -> str:
    """Projected against actual from each cut-off."""
    cutoffs = ", ".join(dict.fromkeys(projections["cutoff"].str.removeprefix("From ")))
    return (
        f"Line chart of {label.lower()}: what happened (black) against the projections made from {cutoffs}, "
        "each with its 80% band; COVID months are shaded. The errors are in the table below the chart."
    )


def residuals(frame: pd.DataFrame) -> str:
    """A fit's residuals by month."""
    values = frame["residual"].astype(float)
    return (
        f"Residuals of the fitted model by month: {len(values)} months, the largest "
        f"{values.abs().max():.3f} in absolute value (log points)."
    )


def targets_history(history: pd.DataFrame) -> str:
    """How many national targets each framework set, and the scenario's count."""
    listing = "; ".join(f"{r['label']}: {r['shown']}" for _, r in history.iterrows())
    return f"Bar chart of the number of national targets: {listing}."
