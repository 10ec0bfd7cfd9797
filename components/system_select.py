"""Which of the 42 systems the session is looking at: the ``?system=`` link parameter, the
picker, the jump to the Your system page, and the headline cards for one system."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components.analysis import metric
from components.cache import get_inputs
from ics_model import find_system, short_name
from ics_model.systems import system_base

SYSTEM_KEY = "system_code"  # the chosen ODS code (non-widget), or absent for the national view
PICK_WIDGET = "system_pick"
QUERY = "system"
PAGE = "pages/your_system.py"
MAX_CODE = 12  # longer values are not codes: rejected before any lookup


def money(value: float, suffix: str = "") -> str:
    """£ with the sign in front: -£68m, £149m."""
    return f"{'-' if value < 0 else ''}£{abs(value):,.0f}{suffix}"


def restore_system() -> list[str]:
    """First run of a session: the system from the link; problems for the one warning."""
    values = st.query_params.get_all(QUERY)
    if not values:
        return []
    raw = values[-1]
    index = find_system(raw, get_inputs()) if len(values) == 1 and len(raw) <= MAX_CODE else None
    if index is None:
        st.session_state.pop(SYSTEM_KEY, None)
        return ["System: the link's system code was not recognised, so the national view is shown"]
    st.session_state[SYSTEM_KEY] = str(system_base(get_inputs()).codes[index])
    return []


def current_system() -> str | None:
    """The chosen system's ODS code, or None (national view)."""
    code = st.session_state.get(SYSTEM_KEY)
    return str(code) if code else None


def system_query() -> dict[str, str]:
    """The ``system`` query parameter for links and the address bar."""
    code = current_system()
    return {QUERY: code} if code else {}


def set_system(code: str | None) -> None:
    """Choose a system (None for the national view)."""
    if code:
        st.session_state[SYSTEM_KEY] = code
    else:
        st.session_state.pop(SYSTEM_KEY, None)


def open_system(code: str) -> None:
    """Choose a system and open it on the Your system page."""
    set_system(code)
    # Keep the scenario in the address bar: switch_page would otherwise clear it.
    query = {key: st.query_params.get_all(key)[-1] for key in st.query_params}
    st.switch_page(PAGE, query_params=query | {QUERY: code})


def system_labels() -> dict[str, str]:
    """ODS code -> 'Name (CODE)', with the April 2026 ICB where the name changed; sorted by name."""
    base = system_base(get_inputs())
    labels = {}
    for code, name, new in zip(base.codes, base.names, base.new_names, strict=True):
        old = short_name(str(name))
        news = " / ".join(short_name(n) for n in str(new).split(" / "))
        labels[str(code)] = f"{old} ({code})" if news == old else f"{old} ({code}) → from April 2026: {news}"
    return dict(sorted(labels.items(), key=lambda item: item[1]))


def _on_pick() -> None:
    set_system(st.session_state.get(PICK_WIDGET))
    st.rerun()  # the whole app: the address bar and share link carry the system too


def system_picker() -> str | None:
    """A searchable picker by old or new (April 2026) ICB name; returns the chosen code."""
    labels = system_labels()
    st.session_state[PICK_WIDGET] = current_system()
    st.selectbox(
        "Choose a system (type any part of its 2025/26 or April 2026 name)",
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        placeholder="England (national view): choose a system",
        key=PICK_WIDGET,
        on_change=_on_pick,
    )
    return current_system()


def system_cards(row: pd.Series, base_row: pd.Series, year: str) -> list[dict[str, Any]]:
    """Headline cards for one system, with the gap's change against Current plans."""
    gap_diff = float(row["gap_m_at_horizon"] - base_row["gap_m_at_horizon"])
    month = pd.Period(str(row["waiting_list_latest_month"]), freq="M").strftime("%b %Y")
    return [
        metric(
            "Allocation 2025/26",
            f"£{row['allocation_m']:,.0f}m",
            help="All funding streams (core, specialised, primary medical care, POD, running costs). "
            "Source: NHS England ICB allocations 2025/26.",
        ),
        metric(
            "Allocation per patient",
            f"£{row['allocation_per_head']:,.0f}",
            help="Per GP-registered patient, 2025/26.",
        ),
        metric(
            "Distance from target",
            f"{row['distance_from_target_pct']:+.1f}%",
            help="Core allocation against its fair-shares target after 2025/26 convergence (NHS England). "
            "Positive = above target.",
        ),
        metric(
            "Local demand growth a year",
            f"{row['local_demand_growth'] * 100:.2f}%",
            help="National demand growth with the national demographic component replaced by this system's "
            "age-weighted population growth (ONS 2018-based projection, relative to England).",
        ),
        metric(
            f"Gap in {year}",
            money(row["gap_m_at_horizon"], "m"),
            diff=gap_diff,
            text=f"{'+' if gap_diff >= 0 else ''}{money(gap_diff, 'm')}",  # " vs Current plans" is added
            help="Pressure at local demand growth minus funding after convergence, £m at 2025/26 prices.",
        ),
        metric(
            "Gap per patient",
            money(row["gap_per_head"]),
            help=f"In {year}, per 2025/26 registered patient.",
        ),
        metric(
            f"Waiting list, {month}",
            f"{row['waiting_list_latest']:,.0f}",
            help=f"Latest month with every provider reporting: {month} (NHS England RTT, commissioner basis).",
        ),
        metric(f"Waiting list in {year}", f"{row['waiting_list_at_horizon']:,.0f}"),
    ]


def reorganisation_note(row: pd.Series) -> str | None:
    """What the April 2026 reorganisation did to this system, or None if unchanged."""
    relation = str(row["change_2026"])
    new = " / ".join(short_name(n) for n in str(row["icb_name_2026"]).split(" / "))
    if relation == "merged":
        return f"From 1 April 2026 this ICB merged into **{new}**. Figures here are for the 2025/26 ICB."
    if relation == "part":
        return (
            f"From 1 April 2026 this ICB was split: its parts went to **{new}**. "
            "Figures here are for the 2025/26 ICB as a whole."
        )
    if short_name(str(row["icb_name"])) != new:
        return f"From 1 April 2026 this ICB is **{new}** (its boundary changed)."
    return None


TABLE_COLUMNS: dict[str, Any] = {
    "icb_code": st.column_config.TextColumn("Code"),
    "name": st.column_config.TextColumn("System"),
    "region": st.column_config.TextColumn("Region"),
    "registered_population": st.column_config.NumberColumn("Patients", format="localized"),
    "allocation_m": st.column_config.NumberColumn("Allocation 2025/26, £m", format="%.0f"),
    "allocation_per_head": st.column_config.NumberColumn("Per patient, £", format="%.0f"),
    "distance_from_target_pct": st.column_config.NumberColumn("Core distance from target, %", format="%.1f"),
    "local_demand_growth_pct": st.column_config.NumberColumn("Local demand growth, %", format="%.2f"),
    "funding_m_at_horizon": st.column_config.NumberColumn("Funding at horizon, £m", format="%.0f"),
    "pressure_m_at_horizon": st.column_config.NumberColumn("Pressure at horizon, £m", format="%.0f"),
    "gap_m_at_horizon": st.column_config.NumberColumn("Gap at horizon, £m", format="%.0f"),
    "gap_per_head": st.column_config.NumberColumn("Gap per patient, £", format="%.0f"),
    "gap_pct_of_allocation": st.column_config.NumberColumn("Gap, % of funding", format="%.1f"),
    "waiting_list_latest": st.column_config.NumberColumn("Waiting list", format="localized"),
    "waiting_list_latest_month": st.column_config.TextColumn("Latest clean month"),
    "waiting_list_at_horizon": st.column_config.NumberColumn("Waiting list at horizon", format="%.0f"),
    "waiting_list_per_1000": st.column_config.NumberColumn("Per 1,000 patients at horizon", format="%.0f"),
    "icb_name_2026": st.column_config.TextColumn("ICB from April 2026"),
    "change_2026": st.column_config.TextColumn("April 2026 change"),
    "baseline_gap_per_head": st.column_config.NumberColumn(
        "Gap per patient, Current plans, £", format="%.0f"
    ),
    "rank_gap_per_head": st.column_config.NumberColumn("Rank by gap per patient"),
}


def map_selection(event: Any) -> str | None:
    """The system clicked on the map (an st.altair_chart selection event), if any."""
    from components.charts import SELECT_NAME

    try:
        points = event.selection.get(SELECT_NAME) or []
    except AttributeError:
        return None
    codes = [p.get("icb_code") for p in points if isinstance(p, dict)]
    return str(codes[0]) if codes and codes[0] else None


def table_selection(event: Any, table: pd.DataFrame) -> str | None:
    """The system of the row selected in the table (an st.dataframe selection event), if any."""
    try:
        rows = event.selection.rows
    except AttributeError:
        return None
    return str(table["icb_code"].iloc[rows[0]]) if rows else None
