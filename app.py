"""ICS Policy Explorer: the entry point is a thin frame (page config, navigation, run).

Each page draws the scenario sidebar itself (components.controls.render_sidebar), so the
sliders survive page switches and AppTest interactions.
"""

import streamlit as st

from components.cache import freeze_after_warm_up
from components.navigation import navigation_pages

# Presenter view (components.controls): sidebar collapsed, pages in the top bar. Before the
# first page run the flag is only in the link.
PRESENTING = bool(st.session_state.get("presenter_view", st.query_params.get("presenter") == "1"))

st.set_page_config(
    page_title="ICS Policy Explorer",
    page_icon="🏥",  # an emoji favicon is inline; a :material: one is fetched from fonts.gstatic.com
    layout="wide",
    initial_sidebar_state="collapsed" if PRESENTING else "auto",  # auto: closed on a phone
)

# The page list lives in components.navigation (the sidebar menu draws the same list); the
# built-in page list is hidden because its markup is not accessible (see that module). In
# presenter view the sidebar is closed, so the pages sit in the top bar instead.
st.navigation(navigation_pages(), position="top" if PRESENTING else "hidden").run()

# Once per process, after the first page has been sent: freeze what it loaded (components.cache).
freeze_after_warm_up()
