"""Waiting list: RTT history since 2007, the projection with its band, and the flows behind it."""

import streamlit as st

from components import charts, summaries
from components.analysis import below_feb_2020, metric, millions, month_label
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, metric_grid, render_sidebar, scenario_page
from components.exports import csv_download
from ics_model import CONSTANTS, Scenario, project

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    proj, base = project(scenario, inputs), baseline_projection()
    h, rtt, feb = proj.headline, inputs.tables["rtt_monthly"], inputs.baselines["feb_2020_list"]
    diff = (h.waiting_list_at_horizon - base.headline.waiting_list_at_horizon) / 1e6

    st.title("Waiting list")
    how_to_read(
        "Black is the elective (RTT) waiting list as published by NHS England; blue is the scenario's projection "
        "with its 80% and 95% bands; grey dashed is Current plans. The list grows when referrals outpace the "
        "completions that funding buys. The dotted line is February 2020, before the pandemic."
    )
    metric_grid(
        [
            metric(
                f"Latest ({inputs.last_month.strftime('%b %Y')})", millions(inputs.baselines["latest_list"])
            ),
            metric("February 2020", millions(feb)),
            metric(
                f"Projected, {h.horizon_fiscal_year}",
                millions(h.waiting_list_at_horizon),
                diff=diff,
                text=f"{diff:+.2f} million",
            ),
            metric("Falls below February 2020", below_feb_2020(h)),
        ]
    )
    lines, band = charts.waiting_list_frames(rtt, proj.waiting_list, base.waiting_list)
    table = lines.merge(band, on="month", how="left")  # the chart's data, as table and CSV
    show_chart(
        charts.waiting_list_chart(lines, band, feb / 1e6, title="RTT waiting list, million pathways"),
        summaries.waiting_list(lines, feb / 1e6),
        table,
        key="waiting_list",
    )
    how_to_read(
        f"The fan is {int(CONSTANTS['mc_draws']):,} seeded joint draws of demand, productivity and unit cost growth and the referral and removal "
        "levels, its spread calibrated so the 80% band held about 80% of months in the backtests (Track record page); "
        f"in {h.probability_list_below_feb_2020 * 100:.0f}% of draws the list is below its February 2020 level "
        f"in March {int(h.horizon_fiscal_year[:4]) + 1}."
    )
    csv_download(table, "waiting_list.csv", key="dl_wl")

    left, right = st.columns(2)
    with left:
        flows = charts.flows_frame(proj.waiting_list, base.waiting_list)
        show_chart(
            charts.flows_chart(flows, title="Referrals against completions"),
            summaries.flows(flows),
            flows,
            key="flows",
        )
        how_to_read(
            "Completions include other removals (validation, no longer needed), calibrated so the latest 12 months "
            "reproduce the list's actual change. Complete fiscal years only."
        )
        csv_download(flows, "referrals_completions.csv", key="dl_flows")
    with right:
        standard = CONSTANTS["rtt_standard"]
        show_chart(
            charts.rtt_standard_chart(rtt, standard, title="Waiting within 18 weeks"),
            summaries.rtt_standard(rtt, standard),
            rtt[["month", "incomplete_pathways", "pct_within_18wks"]],
            key="rtt_standard",
        )
        met = rtt.loc[rtt["pct_within_18wks"] >= standard, "month"]
        last_met = f"; it was last met in {month_label(met.max())}" if len(met) else ""
        how_to_read(f"The NHS Constitution standard is 92% of the list waiting under 18 weeks{last_met}.")
        csv_download(
            rtt[["month", "incomplete_pathways", "pct_within_18wks"]], "rtt_history.csv", key="dl_rtt"
        )


scenario_page(show)
