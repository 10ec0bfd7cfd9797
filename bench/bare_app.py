"""A bare Streamlit page for benchmarks: one slider, one metric, one small Altair chart.

The reference point for ``bench_browser.py``: the app's pages should cost no more than this
page per slider move (DESIGN.md section 8). It is served from the repository root, so it runs
under the app's own .streamlit/config.toml (no full garbage collection after each run).
Run it alone with ``streamlit run bench/bare_app.py``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

value = st.slider("Funding uplift", min_value=0.0, max_value=6.0, value=3.4, step=0.1, key="funding_uplift")
st.metric("Value", f"{value:.1f}%")
frame = pd.DataFrame({"t": range(20), "y": [(1 + value / 100) ** t for t in range(20)]})
st.altair_chart(
    alt.Chart(frame).mark_line().encode(x="t:Q", y="y:Q"),
    width="stretch",
)
