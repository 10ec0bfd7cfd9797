"""Assumptions & data: every parameter with its source, the equations, and each table's provenance."""

import streamlit as st

from components.analysis import parameter_table, preset_table
from components.cache import get_inputs, get_presets, get_source_sections
from components.controls import how_to_read, render_sidebar, scenario_page
from components.exports import csv_download
from components.upload import upload_panel
from ics_model import CONSTANTS, Scenario
from ics_model.systems import EQUATIONS as SYSTEM_EQUATIONS

render_sidebar()


def show(scenario: Scenario) -> None:
    inputs = get_inputs()
    tables, sources = inputs.tables, get_source_sections()

    st.title("Assumptions & data")
    how_to_read("Every number the explorer uses is here with its source. Rates are shown in percent.")

    st.subheader("Parameters and constants")
    st.caption(
        "'value' is the scenario now in the sidebar; 'default' is the model's own default. The explorer opens "
        "at Current plans, whose funding uplift is computed from the budget plans (see the presets below)."
    )
    params = parameter_table(scenario)
    st.table(params.drop(columns="name"), hide_index=True)
    csv_download(params, "parameters.csv", key="dl_params")

    st.subheader("Presets")
    st.table(preset_table(get_presets()), hide_index=True)

    st.subheader("The equations")
    st.markdown(
        "Base year $b$ = 2025/26, $t = 0 \\dots H$; $F_0$ = NHS England revenue budget 2025/26 "
        f"(£{inputs.base_funding_bn:.1f}bn, plan)."
    )
    for eq in (
        r"\text{funding}_t = F_0 (1 + u)^t",
        r"\tau = k \cdot \text{autonomy share} \cdot \max(0, T_0 - T) / T_0, \qquad p_\text{eff} = p + \tau",
        r"g = \frac{(1 + d)(1 + c)}{1 + p_\text{eff}} - 1, \qquad \text{pressure}_t = F_0 (1 + g)^t",
        r"\text{gap}_t = \text{pressure}_t - \text{funding}_t, \qquad u^* = g \ \text{(break-even uplift)}",
        r"\text{burden} = T \times 42 \times \text{hours per target} \times \text{cost per hour}",
        r"L_{m+1} = L_m + R_m - C_m, \qquad a = \frac{(1 + u)(1 + p_\text{eff})(1 + e)}{1 + c} - 1",
    ):
        st.latex(eq)
    st.markdown(
        "$u$ funding uplift, $d$ demand growth, $c$ unit cost growth, $p$ productivity growth, $T$ national targets, "
        "$T_0$ baseline targets, $k$ autonomy dividend. Referrals $R$ start from their latest 12 months with the fitted "
        "seasonal profile and grow at $d$; completions $C$ grow at the activity growth $a$ that funding buys, where $e$ "
        "is the activity premium fitted from the data (completed pathways have grown faster than funding alone gives; "
        "see the Track record page), treated as transitory: it decays as $e_0 \\times 0.5^{t/h}$ with the half-life "
        "$h$ in the table above. The 80% and 95% bands and the probabilities come from a seeded Monte Carlo of "
        f"{int(CONSTANTS['mc_draws']):,} joint draws of $d$ (its fitted standard error), $p$, $c$ and the referral and removal levels (spreads "
        "in the table above). Each system's share is its "
        "need-weighted population over England's."
    )

    st.markdown(
        "**Each system** $i$ (section 4b of the design): $A_i$ its actual 2025/26 allocation (all streams), "
        "$s^*_i$ its fair-shares target share, dem the national demographic growth and dem$_i$ its own "
        "age-weighted growth; referrals grow at $d_i$, removals at the activity its funding buys."
    )
    for eq in SYSTEM_EQUATIONS:
        st.latex(eq)

    st.subheader("Fitted baselines")
    st.dataframe(tables["baselines"], hide_index=True)
    csv_download(tables["baselines"], "baselines.csv", key="dl_baselines")
    st.dataframe(tables["demand_fits"], hide_index=True)
    csv_download(tables["demand_fits"], "demand_fits.csv", key="dl_fits")

    st.subheader("Your own data")
    upload_panel()

    st.subheader("Data tables")
    fitted = "Fitted by `ics_model/fits.py` (statsmodels) from the sourced tables when the cache is built."
    for name in sorted(tables):
        with st.expander(f"{name} ({len(tables[name])} rows)"):
            st.markdown(
                sources.get(
                    name,
                    fitted
                    if name in ("baselines", "demand_fits", "seasonal_profiles")
                    else "See data/SOURCES.md.",
                )
            )
            st.dataframe(tables[name], hide_index=True, height=240)
            csv_download(tables[name], f"{name}.csv", key=f"dl_table_{name}")


scenario_page(show)
