"""Evidence charts: leaders' surveys, growth by government, the 2018 settlement."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts._spec import Figure, named, template
from components.charts._theme import (
    BASELINE_DASH,
    BASELINE_GREY,
    BASELINE_NAME,
    CATEGORICAL,
    FONT_SIZE,
    HISTORY_BLACK,
    NARROW,
    NHS_BLUE,
    SKY_BLUE,
    SOLID,
    WRAP,
    finish,
    label_limit,
    legend_columns,
    wrap_label,
)


def evidence_percent_chart(evidence: pd.DataFrame, *, title: str) -> Figure:
    """Survey shares (per cent) from leaders' surveys and public attitudes, with sources."""
    data = evidence[evidence["unit"] == "%"].assign(
        label=lambda f: (f["measure"] + " (" + f["year"].astype(str) + ")").map(lambda t: wrap_label(t, 64))
    )
    # The evidence table is fixed (not the scenario's): its labels and sources shape the spec.
    spec = _evidence_percent(title, tuple(data["label"]), tuple(dict.fromkeys(data["source"])))
    return Figure(spec, {"evidence": data})


@template
def _evidence_percent(title: str, order: tuple[str, ...], sources: tuple[str, ...]) -> alt.LayerChart:
    y = (
        alt.Y("label:N")
        .title(None)
        .sort(list(order))
        .axis(labelLimit=label_limit(520, phone_only=True), labelExpr=WRAP)
    )
    colour = (
        alt.Color("source:N")
        .scale(domain=list(sources), range=CATEGORICAL[: len(sources)])
        .title(None)
        .legend(columns=1, labelLimit=label_limit(700, share=0.4))
    )
    bars, text = _labelled_bars(
        "evidence",
        y,
        alt.X("value:Q").title("% of respondents").scale(domain=[0, 100]),
        unit="%",
        fmt=".0f",
        colour=colour,
        year_tooltip=True,
    )
    return finish(alt.layer(bars, text, title=title), height=40 * len(order))


GROWTH_RULES = ["Long-run average 1979/80–2019/20", "Scenario uplift", f"{BASELINE_NAME} uplift"]


def growth_by_government_chart(
    tdel: pd.DataFrame, scenario_uplift_pct: float, baseline_uplift_pct: float, *, title: str
) -> Figure:
    """Real growth of the health budget by government, the long-run average and the uplifts."""
    is_avg = tdel["period"].str.startswith("Long-run")
    bars_frame = tdel[~is_avg].assign(
        cagr_pct=lambda f: f["cagr"] * 100,
        label=lambda f: (
            f["period"].map(lambda p: wrap_label(p, 14))
            + "|"
            + f["start_year"].astype(str)
            + "–"
            + f["end_year"].astype(str)
        ),
    )
    average = float(tdel.loc[is_avg, "cagr"].iloc[0]) * 100 if is_avg.any() else float("nan")
    rules = pd.DataFrame(
        {"series": GROWTH_RULES, "value": [average, scenario_uplift_pct, baseline_uplift_pct]}
    )
    order = tuple(bars_frame.sort_values("start_year")["label"])  # the fixed table's, not the scenario's
    return Figure(_growth_by_government(title, order), {"governments": bars_frame, "rules": rules})


@template
def _growth_by_government(title: str, order: tuple[str, ...]) -> alt.LayerChart:
    # On a narrow screen (a phone) each name is one line turned upright, so the six fit.
    x = (
        alt.X("label:N")
        .title(None)
        .sort(list(order))
        .axis(
            labelAngle=alt.ExprRef(f"{NARROW} ? -90 : 0"),
            labelExpr=f"{NARROW} ? join({WRAP}, ' ') : {WRAP}",
            labelOverlap=False,
        )
    )
    bars = (
        alt.Chart(named("governments"))
        .mark_bar(color=SKY_BLUE)
        .encode(
            x,
            alt.Y("cagr_pct:Q").title("Real growth, % a year"),
            tooltip=[
                alt.Tooltip("period:N", title="Government"),
                alt.Tooltip("start_year:O", title="From"),
                alt.Tooltip("end_year:O", title="To"),
                alt.Tooltip("cagr_pct:Q", title="% a year", format=".2f"),
            ],
        )
    )
    text = bars.mark_text(dy=-10, fontSize=FONT_SIZE, color=HISTORY_BLACK).encode(
        alt.Text("cagr_pct:Q", format=".1f")
    )
    rule = (
        alt.Chart(named("rules"))
        .mark_rule(strokeWidth=3)
        .encode(
            alt.Y("value:Q"),
            alt.Color("series:N")
            .scale(domain=GROWTH_RULES, range=[HISTORY_BLACK, NHS_BLUE, BASELINE_GREY])
            .legend(title=None, columns=legend_columns(3)),
            alt.StrokeDash("series:N")
            .scale(domain=GROWTH_RULES, range=[[2, 3], SOLID, BASELINE_DASH])
            .legend(title=None, columns=legend_columns(3)),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title="% a year", format=".2f"),
            ],
        )
    )
    return finish(alt.layer(bars, text, rule, title=title), height=300)


UPLIFT_RULES = ["Scenario uplift", f"{BASELINE_NAME} uplift"]


def funding_evidence_chart(
    evidence: pd.DataFrame, scenario_uplift_pct: float, baseline_uplift_pct: float, *, title: str
) -> Figure:
    """The 2018 settlement against what economists said was needed, with the uplifts."""
    data = evidence[evidence["unit"] == "% a year"].assign(label=lambda f: f["measure"])
    rules = pd.DataFrame({"series": UPLIFT_RULES, "value": [scenario_uplift_pct, baseline_uplift_pct]})
    # The evidence table is fixed (not the scenario's): its labels shape the spec.
    return Figure(_funding_evidence(title, tuple(data["label"])), {"evidence": data, "rules": rules})


@template
def _funding_evidence(title: str, order: tuple[str, ...]) -> alt.LayerChart:
    y = alt.Y("label:N").title(None).sort(list(order)).axis(labelLimit=label_limit(420, phone_only=True))
    bars, text = _labelled_bars(
        "evidence",
        y,
        alt.X("value:Q").title("Real growth, % a year"),
        unit="% a year",
        fmt=".1f",
        colour=SKY_BLUE,
    )
    rule = (
        alt.Chart(named("rules"))
        .mark_rule(strokeWidth=3)
        .encode(
            alt.X("value:Q"),
            alt.Color("series:N")
            .scale(domain=UPLIFT_RULES, range=[NHS_BLUE, BASELINE_GREY])
            .legend(title=None, columns=1),
            alt.StrokeDash("series:N")
            .scale(domain=UPLIFT_RULES, range=[SOLID, BASELINE_DASH])
            .legend(title=None, columns=1),
            tooltip=[
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("value:Q", title="% a year", format=".1f"),
            ],
        )
    )
    return finish(alt.layer(bars, text, rule, title=title), height=40 * len(order))


def _labelled_bars(
    data: str,
    y: alt.Y,
    x: alt.X,
    *,
    unit: str,
    fmt: str,
    colour: alt.Color | str,
    year_tooltip: bool = False,
) -> tuple[alt.Chart, alt.Chart]:
    """Horizontal bars of a sourced evidence measure (the dataset ``data``), each labelled with its value."""
    tooltip = [alt.Tooltip("source:N", title="Source")]
    if year_tooltip:
        tooltip.append(alt.Tooltip("year:O", title="Year"))
    tooltip += [
        alt.Tooltip("measure:N", title="Measure"),
        alt.Tooltip("value:Q", title=unit, format=fmt),
        alt.Tooltip("note:N", title="Note"),
    ]
    base = alt.Chart(named(data))
    bars = (
        base.mark_bar(color=colour).encode(y, x, tooltip=tooltip)
        if isinstance(colour, str)
        else base.mark_bar().encode(y, x, colour, tooltip=tooltip)
    )
    text = bars.mark_text(align="left", dx=4, fontSize=FONT_SIZE, color=HISTORY_BLACK).encode(
        alt.Text("value:Q", format=fmt)
    )
    return bars, text
