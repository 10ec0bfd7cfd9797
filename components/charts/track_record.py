"""Track-record charts: projections from past cut-offs against what happened, and residuals."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import CATEGORICAL, HISTORY_BLACK, finish

COVID_NOTE = "COVID-disrupted (not scored)"


def backtest_chart(
    history: pd.DataFrame, projections: pd.DataFrame, covid: pd.DataFrame, *, title: str, unit: str
) -> Figure:
    """What happened (black) against each cut-off's projection with its 80% band; COVID shaded."""
    # The cut-offs in the order they come, as a rank in the data: a cut-off of one's own
    # changes the data, not the spec.
    rank = projections["cutoff"].map({c: i for i, c in enumerate(dict.fromkeys(projections["cutoff"]))})
    data = {"covid": covid, "projections": projections.assign(cutoff_rank=rank), "history": history}
    return Figure(_backtest(title, unit), data)


@template
def _backtest(title: str, unit: str) -> alt.LayerChart:
    x = alt.X("month:T").title(None)
    # The colour domain is the cut-offs in their rank order (first come, first colour), as
    # an explicit domain of them would be.
    colour = (
        alt.Color("cutoff:N")
        .sort(field="cutoff_rank", op="min")
        .scale(range=CATEGORICAL)
        .legend(title=None, orient="bottom", columns=2)
    )
    shade = (
        alt.Chart(named("covid"))
        .mark_rect(color="#d9d9d9", opacity=0.5)
        .encode(alt.X("start:T"), alt.X2("end:T"), tooltip=[alt.Tooltip("label:N", title="Months")])
    )
    band = (
        alt.Chart(named("projections"))
        .mark_area(opacity=0.18)
        .encode(x, alt.Y("lower80:Q"), alt.Y2("upper80:Q"), colour)
    )
    projected = (
        alt.Chart(named("projections"))
        .mark_line(strokeWidth=2.5, strokeDash=[6, 3])
        .encode(
            x,
            alt.Y("projected:Q").title(unit).scale(zero=False),
            colour,
            tooltip=[
                alt.Tooltip("cutoff:N", title="Projection"),
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("projected:Q", title=f"Projected ({unit})", format=",.2f"),
                alt.Tooltip("lower80:Q", title="80% low", format=",.2f"),
                alt.Tooltip("upper80:Q", title="80% high", format=",.2f"),
                alt.Tooltip("actual:Q", title=f"Actual ({unit})", format=",.2f"),
            ],
        )
    )
    actual = (
        alt.Chart(named("history"))
        .mark_line(color=HISTORY_BLACK, strokeWidth=2)
        .encode(
            x,
            alt.Y("actual:Q"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("actual:Q", title=f"Actual ({unit})", format=",.2f"),
            ],
        )
    )
    return finish(alt.layer(shade, band, projected, actual, title=title))  # type: ignore[no-any-return]


ZERO = pd.DataFrame({"y": [0.0]})


def residual_chart(residuals: pd.DataFrame, *, title: str) -> Figure:
    """Residuals of one fit (log scale) by month, with the zero line."""
    frame = residuals.assign(month=pd.PeriodIndex(residuals["month"], freq="M").to_timestamp())
    return Figure(_residuals(title), {"zero": ZERO, "residuals": frame})


@template
def _residuals(title: str) -> alt.LayerChart:
    points = (
        alt.Chart(named("residuals"))
        .mark_point(filled=True, size=30, color=CATEGORICAL[1])
        .encode(
            alt.X("month:T").title(None),
            alt.Y("residual:Q").title("Residual (log points)"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("residual:Q", title="Residual", format="+.3f"),
            ],
        )
    )
    zero = alt.Chart(named("zero")).mark_rule(color=HISTORY_BLACK).encode(alt.Y("y:Q"))
    return finish(alt.layer(zero, points, title=title), height=220)  # type: ignore[no-any-return]
