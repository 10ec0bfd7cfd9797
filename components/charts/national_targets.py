"""The count of national targets over time, against the scenario's."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts._theme import BASELINE_GREY, NHS_BLUE, finish


def targets_history_chart(frame: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Horizontal bars: the national targets each framework set, and this scenario's count."""
    base = alt.Chart(frame, title=title).encode(
        alt.Y("label:N").sort(None).title(None).axis(labelLimit=220),
        alt.X("count:Q").title("National targets").scale(domainMin=0),
        tooltip=[
            alt.Tooltip("label:N", title="Framework"),
            alt.Tooltip("shown:N", title="Count as stated"),
        ],
    )
    bars = base.mark_bar().encode(
        alt.Color("kind:N")
        .scale(domain=["history", "scenario"], range=[BASELINE_GREY, NHS_BLUE])
        .legend(None)
    )
    labels = base.mark_text(align="left", dx=4).encode(alt.Text("shown:N"))
    return finish(bars + labels, height=200)  # type: ignore[no-any-return]
