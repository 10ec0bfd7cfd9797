"""Evidence: what system leaders, reviews and the public said, with sources, and the funding record."""

import pandas as pd
import streamlit as st

from components import charts, summaries
from components.cache import baseline_projection, get_inputs
from components.chart_view import show_chart
from components.controls import how_to_read, render_sidebar, scenario_page, set_scenario, show_table
from components.exports import csv_download
from ics_model import Scenario
from ics_model.published import published_projections

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    evidence, tdel = inputs.tables["evidence"], inputs.tables["tdel_growth_by_government"]
    uplift, base_uplift = scenario.funding_uplift * 100, baseline_projection().scenario.funding_uplift * 100

    st.title("Evidence")
    how_to_read(
        "Figures from surveys of NHS leaders, reviews and public attitudes, each with its source (hover a bar, "
        "or see the table). They are context for the scenario, not inputs to the model."
    )
    show_chart(
        charts.evidence_percent_chart(evidence, title="What leaders and the public said, %"),
        summaries.evidence_percent(evidence),
        evidence[evidence["unit"] == "%"],
        key="evidence_percent",
    )

    settlement = "The 2018 settlement against what was needed"
    show_chart(
        charts.funding_evidence_chart(evidence, uplift, base_uplift, title=settlement),
        summaries.funding_evidence(evidence, uplift, base_uplift),
        evidence[evidence["unit"] == "% a year"],
        key="settlement",
    )
    how_to_read("Blue is the scenario's funding uplift, grey dashed Current plans.")
    by_government = "Real growth of the health budget by government"
    show_chart(
        charts.growth_by_government_chart(tdel, uplift, base_uplift, title=by_government),
        summaries.growth_by_government(tdel, uplift),
        tdel,
        key="by_government",
    )
    how_to_read(
        "DHSC total budget (TDEL), compound average real growth a year; years after 2023/24 are plans. "
        "Source: Health Foundation REAL Centre."
    )

    counts = evidence[~evidence["unit"].isin(["%", "% a year"])]
    cols = st.columns(len(counts))
    for col, row in zip(cols, counts.itertuples(index=False), strict=True):
        with col.container(border=True, height="stretch"):
            st.subheader(f"£{row.value:g}bn" if row.unit == "£bn" else f"{row.value:g} {row.unit}")
            st.markdown(row.measure)
            st.caption(f"{row.source}, {row.year}. {row.note}")

    st.subheader("Hewitt Review (2023)")
    st.markdown(
        "- Earned autonomy for the strongest systems\n- A significantly smaller number of national targets "
        "(no more than 10)\n- Less data submitted to NHS England"
    )
    show_table(evidence, digits=1)
    csv_download(evidence, "evidence.csv", key="dl_evidence")
    csv_download(tdel, "growth_by_government.csv", label="Growth by government (CSV)", key="dl_tdel")

    st.subheader("Published projections, reproduced")
    how_to_read(
        "What each publication found, and what this explorer's own model gives for the same growth rates and years "
        "(unit cost and productivity at their defaults, demand growth set so pressure grows at the published rate). "
        "Open one to see it on the Funding gap page."
    )
    published = published_projections(inputs)
    for number, item in enumerate(published):
        with st.container(border=True):
            claim_col, figure_col, open_col = st.columns([6, 3, 2], vertical_alignment="center")
            claim_col.markdown(f"**{item.name}.** {item.claim}.")
            claim_col.caption(item.source)
            figure_col.markdown(
                f"Published **{item.published:g}**, reproduced **{item.reproduced:.2f}**  \n{item.unit}"
            )
            if open_col.button(
                "Open", key=f"open_published_{number}", help="Set the sidebar to this scenario"
            ):
                set_scenario(item.scenario)
                st.switch_page("pages/funding_gap.py")
    csv_download(
        pd.DataFrame(
            [
                {
                    "projection": p.name,
                    "claim": p.claim,
                    "published": p.published,
                    "reproduced": round(p.reproduced, 4),
                    "unit": p.unit,
                    "source": p.source,
                }
                for p in published
            ]
        ),
        "published_projections.csv",
        key="dl_published",
    )


scenario_page(show)
