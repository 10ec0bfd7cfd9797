"""Targets and autonomy charts: the dividend's sensitivity and the burden."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    NHS_BLUE,
    ORANGE,
    finish,
)

# --- Targets and autonomy ------------------------------------------------------------------


def dividend_sensitivity_chart(
    frame: pd.DataFrame, current_k: float, without_gap: float, baseline_gap: float, *, title: str
) -> alt.LayerChart:
    """Gap at the horizon over the autonomy dividend k, against no dividend and the baseline."""
    x = alt.X("k_pct:Q").title("Autonomy dividend k, % a year at full freedom (stylised)")
    line = (
        alt.Chart(frame)
        .mark_line(color=NHS_BLUE, strokeWidth=3)
        .encode(
            x,
            alt.Y("gap_bn:Q").title("Gap at horizon, £bn").scale(zero=True),
            tooltip=[
                alt.Tooltip("k_pct:Q", title="k (% a year)", format=".1f"),
                alt.Tooltip("gap_bn:Q", title="Gap at horizon (£bn)", format=",.2f"),
            ],
        )
    )
    current = frame.iloc[[int(np.argmin(np.abs(frame["k_pct"].to_numpy() - current_k)))]]
    point = alt.Chart(current).mark_point(size=220, filled=True, color=NHS_BLUE).encode(x, alt.Y("gap_bn:Q"))
    rules = pd.DataFrame(
        {"series": ["No dividend (scenario)", BASELINE_NAME], "gap_bn": [without_gap, baseline_gap]}
    )
    rule = (
        alt.Chart(rules)
        .mark_rule(strokeWidth=3)
        .encode(
            alt.Y("gap_bn:Q"),
            alt.Color("series:N")
            .scale(domain=["No dividend (scenario)", BASELINE_NAME], range=[ORANGE, BASELINE_GREY])
            .legend(title=None),
            alt.StrokeDash("series:N")
            .scale(domain=["No dividend (scenario)", BASELINE_NAME], range=[[2, 3], BASELINE_DASH])
            .legend(title=None),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.2f"),
            ],
        )
    )
    return finish(alt.layer(line, point, rule, title=title), height=280)


def burden_vs_gap_chart(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """The oversight burden of national targets next to the gap, on one £bn scale."""
    domain = frame["item"].tolist()
    chart = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            alt.Y("item:N").title(None).sort(domain).axis(labelLimit=360),
            alt.X("value_bn:Q").title("£bn a year"),
            alt.Color("series:N")
            .scale(domain=["Scenario", BASELINE_NAME], range=[NHS_BLUE, BASELINE_GREY])
            .legend(title=None),
            tooltip=[
                alt.Tooltip("item:N", title="Item"),
                alt.Tooltip("value_bn:Q", title="£bn", format=",.3f"),
            ],
        )
    )
    return finish(chart, height=120)
