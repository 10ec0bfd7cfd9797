"""The board pack: a PowerPoint deck and a one-page PDF brief of one scenario. No Streamlit.

``build_pptx`` and ``build_pdf`` take the scenario's Projection and the Current plans one and
return the file's bytes. The deck's charts are native PowerPoint charts (editable, and their
numbers can be read back); the brief's two charts are the app's own Altair charts rendered
offline by vl-convert. Every slide and the brief carry the share link back to the scenario.

Command line, with the same scenario options and units as ``python -m ics_model project``::

    python -m components.board_pack --funding-uplift 4.0 --out pack.pptx
    python -m components.board_pack --national-targets 10 --out brief.pdf
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fpdf import FPDF
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt

from components import charts
from components.analysis import BASELINE_NAME, month_label, summary_text
from components.chart_export import scenario_subtitle, to_png
from ics_model import Projection, Scenario, baseline, load_inputs, project, scenario_parameters
from ics_model.cli import add_scenario_options, scenario_from_args
from ics_model.scenario import scenario_to_query
from ics_model.version import stamp

DEFAULT_LINK_BASE = "http://localhost:8501/"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
GREY = RGBColor(0x76, 0x86, 0x92)
BLACK = RGBColor(0x23, 0x1F, 0x20)
SOURCES = (
    "NHS England: revenue budgets and plans, RTT waiting times, A&E and emergency admissions; "
    "HM Treasury: GDP deflators, Public Expenditure Statistical Analyses; ONS: 2022-based population "
    "projections; NHS England ICB allocations and need indices. Open Government Licence v3.0."
)


# --- words and numbers -----------------------------------------------------------------------


def gap_words(gap_bn: float, *, digits: int = 1) -> str:
    """A gap as words: '£8.1bn gap', '£2.0bn surplus' (a negative gap is a surplus)."""
    if round(gap_bn, digits) == 0:
        return "no gap"
    kind = "gap" if gap_bn > 0 else "surplus"
    return f"£{abs(gap_bn):,.{digits}f}bn {kind}"


def difference_words(diff: float, unit: str, *, digits: int = 1, worse_when_up: bool = True) -> str:
    """'£1.2bn worse', '0.35 million better', 'same'."""
    if round(diff, digits) == 0:
        return "same"
    better = (diff < 0) == worse_when_up
    return f"{unit.format(abs(diff)).strip()} {'better' if better else 'worse'}"


@dataclass(frozen=True)
class Figure:
    """One headline figure: the scenario's value, Current plans' and how they differ, as text."""

    label: str
    scenario: str
    baseline: str
    difference: str


def headline_figures(projection: Projection, base: Projection) -> list[Figure]:
    """The board's headline figures for the scenario against Current plans."""
    h, b = projection.headline, base.headline
    year = h.horizon_fiscal_year
    cum = h.cumulative_gap_bn - b.cumulative_gap_bn
    gap = h.gap_bn_at_horizon - b.gap_bn_at_horizon
    waiting = (h.waiting_list_at_horizon - b.waiting_list_at_horizon) / 1e6
    return [
        Figure(
            f"Gap in {year}",
            gap_words(h.gap_bn_at_horizon),
            gap_words(b.gap_bn_at_horizon),
            difference_words(gap, "£{:,.1f}bn"),
        ),
        Figure(
            "Gap as % of budget",
            f"{h.gap_pct_at_horizon:.1f}%",
            f"{b.gap_pct_at_horizon:.1f}%",
            difference_words(h.gap_pct_at_horizon - b.gap_pct_at_horizon, "{:.1f} points"),
        ),
        Figure(
            f"Cumulative to {year}",
            gap_words(h.cumulative_gap_bn),
            gap_words(b.cumulative_gap_bn),
            difference_words(cum, "£{:,.1f}bn"),
        ),
        Figure(
            "Break-even funding uplift",
            f"{h.breakeven_uplift * 100:.2f}% a year",
            f"{b.breakeven_uplift * 100:.2f}% a year",
            "",
        ),
        Figure(
            "Chance the gap is closed",
            f"{h.probability_gap_closed * 100:.0f}%",
            f"{b.probability_gap_closed * 100:.0f}%",
            difference_words(
                (h.probability_gap_closed - b.probability_gap_closed) * 100,
                "{:.0f} points",
                digits=0,
                worse_when_up=False,
            ),
        ),
        Figure(
            f"Waiting list in {year}",
            f"{h.waiting_list_at_horizon / 1e6:.2f} million",
            f"{b.waiting_list_at_horizon / 1e6:.2f} million",
            difference_words(waiting, "{:.2f} million", digits=2),
        ),
        Figure(
            "List below February 2020",
            month_label(h.month_list_below_feb_2020) if h.month_list_below_feb_2020 else f"Not by {year}",
            month_label(b.month_list_below_feb_2020) if b.month_list_below_feb_2020 else f"Not by {year}",
            "",
        ),
    ]


def share_link(
    scenario: Scenario, base: Scenario, link_base: str = DEFAULT_LINK_BASE, version: str | None = None
) -> str:
    """The app's address opening this scenario (with the version stamp ``v=`` if given)."""
    query = scenario_to_query(scenario, base)
    if query and version:
        query["v"] = version
    return f"{link_base}?{urlencode(query)}" if query else link_base


def yearly_waiting_list(projection: Projection) -> pd.DataFrame:
    """The projected list at the end of each fiscal year (March), in millions."""
    frame = projection.waiting_list
    march = frame[pd.DatetimeIndex(frame["month"]).month == 3]
    years = pd.DatetimeIndex(march["month"]).year - 1
    return pd.DataFrame(
        {
            "fiscal_year": [f"{y}/{(y + 1) % 100:02d}" for y in years],
            "waiting_list_m": march["waiting_list"].to_numpy() / 1e6,
        }
    )


def system_record(projection: Projection, code: str) -> dict[str, str] | None:
    """A labelled record of one system from ``Projection.systems`` (None if the code is unknown)."""
    systems = projection.systems
    rows = systems[systems["icb_code"] == code]
    if rows.empty:
        return None
    row = rows.iloc[0]
    year = projection.headline.horizon_fiscal_year
    shown: dict[str, str] = {"name": str(row.get("icb_name", code)), "Code": code}
    formats = {
        "region": ("Region", "{}"),
        "registered_population": ("Registered patients", "{:,.0f}"),
        "share": ("Share of England", "{:.2%}"),
        "funding_horizon_bn": (f"Funding {year}", "£{:,.2f}bn"),
        "gap_horizon_bn": (f"Gap {year}", "£{:,.2f}bn"),
        "gap_per_patient": ("Gap per patient", "£{:,.0f}"),
    }
    for column, (label, fmt) in formats.items():
        if column in row.index and pd.notna(row[column]):
            shown[label] = fmt.format(row[column])
    return shown


# --- PowerPoint ------------------------------------------------------------------------------

WIDE, TALL = Inches(13.333), Inches(7.5)
Box = tuple[float, float, float, float]  # left, top, width, height in inches


def _text(  # noqa: PLR0917  (a position and size, in inches, read best inline)
    slide: Any,
    text: str,
    left: float,
    top: float,
    width: float,
    height: float,
    *,
    size: int = 16,
    bold: bool = False,
    colour: RGBColor = BLACK,
) -> Any:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.text = text
    para.font.size = Pt(size)
    para.font.bold = bold
    para.font.color.rgb = colour
    return box


def _slide(deck: Any, title: str, link: str) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    _text(slide, title, 0.5, 0.3, 12.3, 0.8, size=28, bold=True, colour=NHS_BLUE)
    _text(
        slide,
        f"Open this scenario: {link}",
        0.5,
        6.95,
        12.3,
        0.4,
        size=10,
        colour=GREY,
    )
    return slide


def _table(
    slide: Any,
    rows: Sequence[Sequence[str]],
    left: float,
    top: float,
    width: float,
    *,
    size: int = 14,
    widths: Sequence[float] | None = None,
) -> Any:
    shape = slide.shapes.add_table(
        len(rows), len(rows[0]), Inches(left), Inches(top), Inches(width), Inches(0.4 * len(rows))
    )
    table = shape.table
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            for para in cell.text_frame.paragraphs:
                para.font.size = Pt(size)
                para.font.bold = r == 0
    if widths:
        total = sum(widths)
        for c, share in enumerate(widths):
            table.columns[c].width = Inches(width * share / total)
    return table


def _line_chart(
    slide: Any,
    categories: Sequence[str],
    series: Mapping[str, Iterable[float]],
    *,
    kind: Any,
    number_format: str,
    top: float = 1.2,
    width: float = 12.3,
) -> Any:
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, [float(v) for v in values])
    frame = slide.shapes.add_chart(kind, Inches(0.5), Inches(top), Inches(width), Inches(5.6), data)
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(12)
    for plot in chart.plots:
        for i, s in enumerate(plot.series):
            line_colour = NHS_BLUE if i % 2 == 0 else RGBColor(0xE6, 0x9F, 0x00)
            if BASELINE_NAME in s.name:
                line_colour = GREY
            fmt = s.format
            if kind == XL_CHART_TYPE.COLUMN_CLUSTERED:
                fmt.fill.solid()
                fmt.fill.fore_color.rgb = line_colour
            else:
                fmt.line.color.rgb = line_colour
                fmt.line.width = Pt(2.5)
                if BASELINE_NAME in s.name:
                    fmt.line.dash_style = 4  # dash
    return chart


def build_pptx(
    projection: Projection,
    base: Projection,
    *,
    link: str,
    made: date | None = None,
    system: Mapping[str, str] | None = None,
) -> bytes:
    """The board pack as a PowerPoint deck (16:9)."""
    made = made or date.today()
    scenario = projection.scenario
    subtitle = scenario_subtitle(scenario, base.scenario)
    h = projection.headline
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, TALL

    title = deck.slides.add_slide(deck.slide_layouts[6])
    _text(
        title,
        "ICS Policy Explorer: board pack",
        0.8,
        2.0,
        11.7,
        1.0,
        size=40,
        bold=True,
        colour=NHS_BLUE,
    )
    _text(title, subtitle, 0.8, 3.2, 11.7, 1.0, size=20)
    _text(
        title,
        f"Prepared {made.strftime('%d %B %Y').lstrip('0')}. £bn at 2025/26 prices; projection to {h.horizon_fiscal_year}.",
        0.8,
        4.3,
        11.7,
        0.6,
        size=16,
        colour=GREY,
    )
    _text(
        title,
        f"Open this scenario: {link}",
        0.8,
        6.6,
        11.7,
        0.5,
        size=12,
        colour=GREY,
    )

    slide = _slide(deck, f"Headline figures against {BASELINE_NAME}", link)
    rows = [["", "This scenario", BASELINE_NAME, "Difference"]]
    rows += [[f.label, f.scenario, f.baseline, f.difference] for f in headline_figures(projection, base)]
    _table(slide, rows, 0.5, 1.3, 12.3, size=16, widths=[3, 2.5, 2.5, 2])
    _text(slide, subtitle, 0.5, 5.9, 12.3, 0.8, size=12, colour=GREY)

    slide = _slide(deck, f"Funding and pressure to {h.horizon_fiscal_year}, £bn a year", link)
    gap, bgap = projection.gap, base.gap
    _line_chart(
        slide,
        gap["fiscal_year"].tolist(),
        {
            "Pressure (scenario)": gap["pressure_bn"],
            "Funding (scenario)": gap["funding_bn"],
            f"Pressure: {BASELINE_NAME}": bgap["pressure_bn"],
            f"Funding: {BASELINE_NAME}": bgap["funding_bn"],
        },
        kind=XL_CHART_TYPE.LINE_MARKERS,
        number_format="#,##0.0",
    )

    slide = _slide(deck, "The gap each year and what drives it", link)
    _line_chart(
        slide,
        gap["fiscal_year"].tolist(),
        {"Gap (scenario)": gap["gap_bn"], f"Gap: {BASELINE_NAME}": bgap["gap_bn"]},
        kind=XL_CHART_TYPE.COLUMN_CLUSTERED,
        number_format="#,##0.0",
        width=7.6,
    )
    drivers = [["Pressure to the horizon", "£bn"]]
    drivers += [
        [str(step), f"{value:+,.1f}" if kind in ("increase", "decrease") else f"{value:,.1f}"]
        for step, value, kind in projection.drivers[["step", "value_bn", "kind"]].itertuples(index=False)
    ]
    _table(slide, drivers, 8.4, 1.2, 4.4, size=12, widths=[3, 1.4])
    _text(
        slide,
        f"Below zero is a surplus. In {h.horizon_fiscal_year}: {gap_words(h.gap_bn_at_horizon)}.",
        0.5,
        6.5,
        7.6,
        0.4,
        size=12,
        colour=GREY,
    )

    slide = _slide(deck, "The elective waiting list, million pathways (each March)", link)
    wl, bwl = yearly_waiting_list(projection), yearly_waiting_list(base)
    _line_chart(
        slide,
        wl["fiscal_year"].tolist(),
        {
            "Waiting list (scenario)": wl["waiting_list_m"],
            f"Waiting list: {BASELINE_NAME}": bwl["waiting_list_m"],
        },
        kind=XL_CHART_TYPE.LINE_MARKERS,
        number_format="0.00",
    )

    if system:
        name = str(system.get("name", "Chosen system"))
        slide = _slide(deck, name, link)
        rows = [["Measure", "This scenario"]] + [[str(k), str(v)] for k, v in system.items() if k != "name"]
        _table(slide, rows, 0.5, 1.3, 8.0, size=16, widths=[3, 3])

    slide = _slide(deck, "Assumptions and sources", link)
    rows = [["Setting", "Value", "Source"]]
    for spec in scenario_parameters():
        shown = spec.to_display(getattr(scenario, spec.name))
        value = f"{shown:g}%" if spec.display_scale == 100 else f"{shown:g} {spec.unit}"
        rows.append([spec.label, value, _short(spec.source, 150)])
    _table(slide, rows, 0.5, 1.2, 12.3, size=10, widths=[2.2, 1.6, 8.5])
    _text(slide, SOURCES, 0.5, 6.2, 12.3, 0.7, size=10, colour=GREY)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# --- PDF brief -------------------------------------------------------------------------------


def _latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: replace the few typographic characters outside it."""
    table = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "≈": "~"})
    return text.translate(table).encode("latin-1", "replace").decode("latin-1")


def brief_charts(projection: Projection, base: Projection) -> tuple[bytes, bytes]:
    """The brief's two charts as PNG (funding vs pressure since 2019/20, and the waiting list)."""
    inputs = projection.inputs
    budgets = inputs.tables["budgets"]
    lines, band = charts.funding_frame(projection.gap, base.gap, budgets[budgets["year"] >= 2019])
    funding = charts.funding_vs_pressure(lines, band, title="Funding and pressure, £bn a year")
    rtt = inputs.tables["rtt_monthly"]
    wl_lines, wl_band = charts.waiting_list_frames(
        rtt[rtt["month"] >= "2018-04"], projection.waiting_list, base.waiting_list
    )
    waiting = charts.waiting_list_chart(
        wl_lines, wl_band, inputs.baselines["feb_2020_list"] / 1e6, title="Waiting list, million pathways"
    )
    pictures = []
    for chart in (funding, waiting):
        spec = chart.to_dict()
        spec["width"], spec["height"] = 860, 190  # the page states the scenario and sources once
        spec["background"], spec["padding"] = "white", 4
        pictures.append(to_png(spec, scale=2))
    return pictures[0], pictures[1]


def build_pdf(projection: Projection, base: Projection, *, link: str, made: date | None = None) -> bytes:
    """A one-page A4 brief: the headline, two charts, the plain-English summary and the link."""
    made = made or date.today()
    subtitle = scenario_subtitle(projection.scenario, base.scenario)
    feb_2020 = projection.inputs.baselines["feb_2020_list"]
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    width = pdf.w - 28
    pdf.set_font("Helvetica", "B", 17)
    pdf.set_text_color(0, 94, 184)
    pdf.cell(width, 8, _latin1("ICS Policy Explorer: board brief"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    pdf.set_text_color(35, 31, 32)
    pdf.multi_cell(
        width,
        4.6,
        _latin1(f"{subtitle}. Prepared {made.strftime('%d %B %Y').lstrip('0')}. £bn at 2025/26 prices."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(1.5)

    figures = headline_figures(projection, base)
    pdf.set_font("Helvetica", "B", 9.5)
    with pdf.table(
        col_widths=(34, 24, 24, 18),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5.2,
        first_row_as_headings=True,
    ) as table:
        header = table.row()
        for text in ("Headline", "This scenario", BASELINE_NAME, "Difference"):
            header.cell(_latin1(text))
        pdf.set_font("Helvetica", "", 9.5)
        for f in figures:
            row = table.row()
            for text in (f.label, f.scenario, f.baseline, f.difference):
                row.cell(_latin1(text))
    pdf.ln(2)

    for picture in brief_charts(projection, base):
        info = pdf.image(io.BytesIO(picture), x=14, y=pdf.get_y(), w=width)
        pdf.set_y(pdf.get_y() + float(info.rendered_height) + 1.5)

    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(width, 6, "In plain English", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    pdf.multi_cell(
        width,
        4.6,
        _latin1(summary_text(projection.scenario, projection.headline, base.headline, feb_2020)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(70, 80, 90)
    pdf.multi_cell(
        width,
        3.8,
        _latin1(f"Sources: {SOURCES} The projection is a model: see the app's Assumptions & data page."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(1)
    pdf.set_text_color(0, 94, 184)
    pdf.multi_cell(
        width, 4.2, _latin1(f"Open this scenario: {link}"), link=link, new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


# --- command line ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m components.board_pack",
        description="Write a board pack (.pptx) or a one-page brief (.pdf) for one scenario.",
    )
    add_scenario_options(parser)
    parser.add_argument(
        "--out", type=Path, required=True, help="pack.pptx or brief.pdf (the format is taken from the suffix)"
    )
    parser.add_argument(
        "--link-base",
        default=DEFAULT_LINK_BASE,
        help=f"the app's address for the share link (default {DEFAULT_LINK_BASE})",
    )
    parser.add_argument(
        "--system", metavar="ICB_CODE", help="add a slide for one system, e.g. QF7 (PowerPoint only)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    suffix = args.out.suffix.lower()
    try:
        if suffix not in (".pptx", ".pdf"):
            raise ValueError(f"--out must end in .pptx or .pdf, got {args.out.name}")
        scenario = scenario_from_args(args)
        inputs = load_inputs()
        base_scenario = baseline(inputs)
        projection, base = project(scenario, inputs), project(base_scenario, inputs)
        link = share_link(scenario, base_scenario, args.link_base, stamp(inputs))
        if suffix == ".pptx":
            system = system_record(projection, args.system) if args.system else None
            if args.system and system is None:
                raise ValueError(f"--system {args.system}: no system with that ICB code")
            data = build_pptx(projection, base, link=link, system=system)
        else:
            data = build_pdf(projection, base, link=link)
        args.out.write_bytes(data)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {args.out} ({len(data):,} bytes): {gap_words(projection.headline.gap_bn_at_horizon)} in {projection.headline.horizon_fiscal_year}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
