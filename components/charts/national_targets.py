"""The count of national targets over time, against the scenario's."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import BASELINE_GREY, NHS_BLUE, finish, label_limit


def targets_history_chart(frame: pd.DataFrame, *, title: str) -> Figure:
    """Horizontal bars: the national targets each framework set, and this scenario's count."""
    return Figure(_targets_history(title), {"targets": frame})


@template
def _targets_history(title: str) -> alt.LayerChart:
    base = alt.Chart(named("targets")).encode(
        alt.Y("label:N").sort(None).title(None).axis(labelLimit=label_limit(220)),
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
    # The title on the whole chart (not each layer), where the PNG/SVG files look for it.
    return finish(alt.layer(bars, labels, title=title), height=200)
