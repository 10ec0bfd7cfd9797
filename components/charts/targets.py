"""Targets and autonomy charts: the dividend's sensitivity and the burden."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    NHS_BLUE,
    ORANGE,
    finish,
    label_limit,
)

# --- Targets and autonomy ------------------------------------------------------------------


DIVIDEND_RULES = ["No dividend (scenario)", BASELINE_NAME]


def dividend_sensitivity_chart(
    frame: pd.DataFrame, current_k: float, without_gap: float, baseline_gap: float, *, title: str
) -> Figure:
    """Gap at the horizon over the autonomy dividend k, against no dividend and the baseline."""
    data = {
        "sensitivity": frame,
        "current": frame.iloc[[int(np.argmin(np.abs(frame["k_pct"].to_numpy() - current_k)))]],
        "rules": pd.DataFrame({"series": DIVIDEND_RULES, "gap_bn": [without_gap, baseline_gap]}),
    }
    return Figure(_dividend_sensitivity(title), data)


@template
def _dividend_sensitivity(title: str) -> alt.LayerChart:
    x = alt.X("k_pct:Q").title("Autonomy dividend k, % a year at full freedom (stylised)")
    line = (
        alt.Chart(named("sensitivity"))
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
    point = (
        alt.Chart(named("current"))
        .mark_point(size=220, filled=True, color=NHS_BLUE)
        .encode(x, alt.Y("gap_bn:Q"))
    )
    rule = (
        alt.Chart(named("rules"))
        .mark_rule(strokeWidth=3)
        .encode(
            alt.Y("gap_bn:Q"),
            alt.Color("series:N")
            .scale(domain=DIVIDEND_RULES, range=[ORANGE, BASELINE_GREY])
            .legend(title=None),
            alt.StrokeDash("series:N")
            .scale(domain=DIVIDEND_RULES, range=[[2, 3], BASELINE_DASH])
            .legend(title=None),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("gap_bn:Q", title="Gap (£bn)", format=",.2f"),
            ],
        )
    )
    return finish(alt.layer(line, point, rule, title=title), height=280)


def burden_vs_gap_chart(frame: pd.DataFrame, *, title: str) -> Figure:
    """The oversight burden of national targets next to the gap, on one £bn scale."""
    return Figure(_burden_vs_gap(title), {"burden": frame})


@template
def _burden_vs_gap(title: str) -> alt.Chart:
    # The items in the frame's order: sort None, not the list of items, which names the
    # scenario's count of targets and so would change the spec with the slider.
    chart = (
        alt.Chart(named("burden"), title=title)
        .mark_bar()
        .encode(
            alt.Y("item:N").title(None).sort(None).axis(labelLimit=label_limit(360)),
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
