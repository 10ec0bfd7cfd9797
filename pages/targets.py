"""Targets & autonomy: the burden of national targets and the stylised dividend of local freedom."""

import pandas as pd
import streamlit as st

from components import charts, summaries
from components.analysis import burden_frame, dividend_sensitivity, money_bn, targets_metrics
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import (
    current_scenario,
    how_to_read,
    metric_grid,
    render_sidebar,
    scenario_page,
    scenario_view,
    set_value,
)
from components.exports import csv_download
from components.national_targets import areas_without_target, current_measures, history_frame, later_measures
from ics_model import CONSTANTS, Inputs, Scenario, project

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()
    t, year, gap = proj.targets, proj.headline.horizon_fiscal_year, proj.headline.gap_bn_at_horizon

    st.title("Targets & autonomy")
    how_to_read(
        f"The burden is the reporting and assurance time {t.national_targets} national targets take in 42 systems "
        "(hours per target and cost per hour are labelled assumptions on the Assumptions page). The dividend is "
        "extra productivity growth that fewer targets and earned autonomy might buy."
    )
    st.info(
        "**The dividend is a stylised assumption, not evidence.** No study quantifies the productivity gain from "
        "fewer national targets or earned autonomy; the chart below shows how much the answer depends on it.",
        icon=":material/warning:",
    )
    metric_grid(targets_metrics(t, int(CONSTANTS["baseline_targets"]), year))
    word = "gap" if gap >= 0 else "surplus"
    share = ""
    if abs(gap) > 0.01:
        share = f", {t.burden_m / 1e3 / abs(gap) * 100:.1f}% of the size of the {money_bn(abs(gap))} {word} in {year}"
    st.markdown(
        f"**The burden is small next to the gap.** {t.national_targets} national targets cost about £{t.burden_m:,.0f}m "
        f"a year in reporting and assurance{share}. Cutting targets matters for the money "
        "only if local freedom raises productivity, which is the stylised dividend."
    )
    left, right = st.columns(2)
    with left:
        sens = dividend_sensitivity(scenario, inputs)
        title = f"Gap in {year} over the dividend k"
        show_chart(
            charts.dividend_sensitivity_chart(
                sens,
                scenario.autonomy_dividend * 100,
                t.gap_bn_without_dividend,
                base.headline.gap_bn_at_horizon,
                title=title,
            ),
            summaries.dividend_sensitivity(sens, t.gap_bn_without_dividend, base.headline.gap_bn_at_horizon),
            sens,
            key="dividend",
        )
        how_to_read(
            "k is the extra productivity growth full freedom (all systems autonomous, no national targets) would add; "
            "the dot is the sidebar's value. The line is flat when no system has earned autonomy."
        )
        csv_download(sens, "dividend_sensitivity.csv", key="dl_sens")
    with right:
        burden = burden_frame(t.burden_m / 1e3, gap, base.headline.gap_bn_at_horizon, t.national_targets)
        show_chart(
            charts.burden_vs_gap_chart(burden, title="Burden of targets against the gap, £bn"),
            summaries.burden(burden),
            burden,
            key="burden",
        )
        csv_download(burden, "burden_vs_gap.csv", key="dl_burden")


def _todays_targets(inputs: Inputs) -> None:
    """The 2025/26 success measures, each a switch that sets the national-targets count. The
    switches are drawn outside the scenario views (a lever move does not send them again); the
    chart and the status beside them are a view of their own."""
    measures = current_measures(inputs.tables["national_targets"])
    measure_keys = {int(n): f"measure_{int(n)}" for n in measures["measure_number"]}

    def _kept() -> list[int]:
        return [n for n, key in measure_keys.items() if st.session_state.get(key, True)]

    def _on_measure() -> None:
        """A measure switched on or off: the national-targets count follows the list."""
        set_value("national_targets", len(_kept()))

    st.subheader("Today's national targets")
    how_to_read(
        f"The 2025/26 planning guidance set {len(measures)} national success measures in "
        f"{measures['priority_area'].nunique()} priority areas (NHS England, January 2025). Switch a measure off to "
        "see the count (the sidebar's National targets) follow, and which areas would be left without a national target."
    )
    scenario_view("targets_status", lambda: _status(current_scenario(), inputs, measures, _kept()))
    for area, group in measures.groupby("priority_area", sort=False):
        with st.container(border=True):
            st.markdown(f"**{area}**")
            for row in group.itertuples(index=False):
                st.checkbox(
                    f"{int(row.measure_number)}. {row.measure}",
                    value=True,
                    key=measure_keys[int(row.measure_number)],
                    help=f"Target: {row.target}",
                    on_change=_on_measure,
                )
    csv_download(measures, "national_targets_2025_26.csv", key="dl_measures")
    with st.expander("Next: the Medium Term Planning Framework, 2026/27 to 2028/29"):
        later = later_measures(inputs.tables["national_targets"])
        st.caption(
            "Rows legible in the text copy of the framework's success-measure tables (not a complete count); "
            "check against the published document before quoting."
        )
        st.dataframe(later[["target_year", "priority_area", "measure", "target"]], hide_index=True)
        csv_download(later, "national_targets_2026_29.csv", key="dl_mtpf")


def _status(scenario: Scenario, inputs: Inputs, measures: pd.DataFrame, kept: list[int]) -> None:
    """How many targets there have been, against the scenario's count, and what the list keeps."""
    history_col, status_col = st.columns([3, 2])
    with history_col:
        history = history_frame(inputs.tables["national_targets_history"], scenario.national_targets)
        show_chart(
            charts.targets_history_chart(history, title="How many national targets?"),
            summaries.targets_history(history),
            history,
            key="targets_history",
        )
        how_to_read("'30+' is the 2023/24 guidance's own wording; the bar is drawn at 30.")
    left_without = areas_without_target(measures, kept)
    with status_col:
        st.metric("Measures kept from the 2025/26 list", f"{len(kept)} of {len(measures)}")
        if left_without:
            st.warning(
                "Left without a national target: " + "; ".join(left_without) + ".", icon=":material/flag:"
            )
        else:
            st.success("Every priority area keeps at least one national target.", icon=":material/check:")
        if scenario.national_targets != len(kept):
            st.caption(
                f"The sidebar is set to {scenario.national_targets} targets; switch a measure on or off to set the "
                "count from this list."
            )


scenario_page(show)
_todays_targets(get_inputs())
