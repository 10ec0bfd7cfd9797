"""Pure Altair chart builders by subject: tidy frame in, chart out. No Streamlit here.

One shape throughout: a named base chart, one named layer per mark, combined with ``+``;
explicit encoding types (fiscal years ``:O``, real dates ``:T``); tooltips with units; one
colour-blind-safe palette and theme (``_theme``), with NHS blue for the scenario and a grey
dashed "Current plans" baseline on every projection chart. Pages use ``charts.<builder>``.
"""

from __future__ import annotations

from components.charts._spec import Figure
from components.charts._theme import (
    BASELINE_GREY,
    BASELINE_NAME,
    CATEGORICAL,
    NHS_BLUE,
    THEME,
    finish,
    wrap_label,
)
from components.charts.evidence import (
    evidence_percent_chart,
    funding_evidence_chart,
    growth_by_government_chart,
)
from components.charts.funding import (
    FUNDING_SERIES,
    WATERFALL_KINDS,
    funding_frame,
    funding_vs_pressure,
    gap_bars,
    waterfall,
    waterfall_frame,
)
from components.charts.live import live_frame, live_funding_chart
from components.charts.national_targets import targets_history_chart
from components.charts.systems import (
    SYSTEM_MEASURES,
    compare_chart,
    systems_chart,
    systems_frame,
)
from components.charts.systems_map import (
    ATTRIBUTION,
    MAP_MEASURES,
    SELECT_NAME,
    region_chart,
    system_funding_chart,
    system_waiting_chart,
    system_waiting_frame,
    systems_map,
    systems_strip,
    systems_view_frame,
)
from components.charts.targets import (
    burden_vs_gap_chart,
    dividend_sensitivity_chart,
)
from components.charts.track_record import backtest_chart, residual_chart
from components.charts.tradeoffs import (
    colour_limit,
    tornado,
    tradeoff_heatmap,
    zero_gap_line,
)
from components.charts.waiting_list import (
    FLOW_SERIES,
    WAITING_SERIES,
    flows_chart,
    flows_frame,
    rtt_standard_chart,
    waiting_list_chart,
    waiting_list_frames,
)

__all__ = [
    "ATTRIBUTION",
    "BASELINE_GREY",
    "BASELINE_NAME",
    "CATEGORICAL",
    "FLOW_SERIES",
    "FUNDING_SERIES",
    "MAP_MEASURES",
    "NHS_BLUE",
    "SELECT_NAME",
    "SYSTEM_MEASURES",
    "THEME",
    "WAITING_SERIES",
    "WATERFALL_KINDS",
    "Figure",
    "backtest_chart",
    "burden_vs_gap_chart",
    "colour_limit",
    "compare_chart",
    "dividend_sensitivity_chart",
    "evidence_percent_chart",
    "finish",
    "flows_chart",
    "flows_frame",
    "funding_evidence_chart",
    "funding_frame",
    "funding_vs_pressure",
    "gap_bars",
    "growth_by_government_chart",
    "live_frame",
    "live_funding_chart",
    "region_chart",
    "residual_chart",
    "rtt_standard_chart",
    "system_funding_chart",
    "system_waiting_chart",
    "system_waiting_frame",
    "systems_chart",
    "systems_frame",
    "systems_map",
    "systems_strip",
    "systems_view_frame",
    "targets_history_chart",
    "tornado",
    "tradeoff_heatmap",
    "waiting_list_chart",
    "waiting_list_frames",
    "waterfall",
    "waterfall_frame",
    "wrap_label",
    "zero_gap_line",
]
