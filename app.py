"""ICS Policy Explorer: the entry point is a thin frame (page config, navigation, run).

Each page draws the scenario sidebar itself (components.controls.render_sidebar), so the
sliders survive page switches and AppTest interactions.
"""

import streamlit as st

# Presenter view (components.controls): sidebar collapsed, pages in the top bar. Before the
# first page run the flag is only in the link.
PRESENTING = bool(st.session_state.get("presenter_view", st.query_params.get("presenter") == "1"))

st.set_page_config(
    page_title="ICS Policy Explorer",
    page_icon="🏥",  # an emoji favicon is inline; a :material: one is fetched from fonts.gstatic.com
    layout="wide",
    initial_sidebar_state="collapsed" if PRESENTING else "auto",  # auto: closed on a phone
)

PAGES = {
    "Scenario": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/funding_gap.py", title="Funding gap", icon=":material/account_balance:"),
        st.Page("pages/trade_offs.py", title="Trade-offs", icon=":material/balance:"),
        st.Page("pages/waiting_list.py", title="Waiting list", icon=":material/schedule:"),
        st.Page("pages/targets.py", title="Targets & autonomy", icon=":material/flag:"),
        st.Page("pages/systems.py", title="42 systems", icon=":material/map:"),
        st.Page("pages/your_system.py", title="Your system", icon=":material/location_on:"),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    ],
    "Reference": [
        st.Page("pages/evidence.py", title="Evidence", icon=":material/menu_book:"),
        st.Page("pages/track_record.py", title="Track record", icon=":material/history:"),
        st.Page("pages/assumptions.py", title="Assumptions & data", icon=":material/dataset:"),
    ],
}

st.navigation(PAGES, position="top" if PRESENTING else "sidebar").run()
