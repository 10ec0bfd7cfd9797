"""The board pack, the brief and the chart files, read back and checked against the model."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from components import charts
from components.board_pack import (
    build_pdf,
    build_pptx,
    difference_words,
    gap_words,
    headline_figures,
    main,
    share_link,
    system_record,
    yearly_waiting_list,
)
from components.chart_export import export_spec, scenario_subtitle, to_png, to_svg
from ics_model import Inputs, Projection, Scenario, baseline, project

ROOT = Path(__file__).resolve().parents[1]
LINK = "http://example.org/?funding_uplift=4"


@pytest.fixture(scope="module")
def base(inputs: Inputs) -> Projection:
    return project(baseline(inputs), inputs)


@pytest.fixture(scope="module")
def four(inputs: Inputs) -> Projection:
    return project(replace(baseline(inputs), funding_uplift=0.04), inputs)


def slide_texts(deck: Presentation) -> list[str]:
    """All text on each slide, tables included, one string per slide."""
    out = []
    for slide in deck.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        out.append("\n".join(parts))
    return out


def test_words_for_a_gap_and_a_surplus() -> None:
    assert gap_words(8.085) == "£8.1bn gap"
    assert gap_words(-18.64) == "£18.6bn surplus"
    assert gap_words(0.01) == "no gap"
    assert difference_words(-5.4, "£{:,.1f}bn") == "£5.4bn better"
    assert difference_words(2.5, "{:.2f} million", digits=2) == "2.50 million worse"
    assert difference_words(18, "{:.0f} points", digits=0, worse_when_up=False) == "18 points better"


def test_headline_figures_match_the_model(four: Projection, base: Projection) -> None:
    figures = {f.label: f for f in headline_figures(four, base)}
    h, b = four.headline, base.headline
    gap = figures[f"Gap in {h.horizon_fiscal_year}"]
    # 195.6 x (1.04^10 - 1.03^10) = £26.7bn more funding than Current plans by 2035/36.
    assert h.gap_bn_at_horizon < 0 < b.gap_bn_at_horizon
    assert gap.scenario == f"£{-h.gap_bn_at_horizon:,.1f}bn surplus"
    assert gap.baseline == f"£{b.gap_bn_at_horizon:,.1f}bn gap"
    assert gap.difference == f"£{b.gap_bn_at_horizon - h.gap_bn_at_horizon:,.1f}bn better"


def test_the_deck_reads_back_with_the_models_numbers(
    four: Projection, base: Projection, inputs: Inputs
) -> None:
    system = system_record(four, "QF7")
    assert system is not None
    data = build_pptx(four, base, link=LINK, made=date(2026, 11, 30), system=system)
    deck = Presentation(io.BytesIO(data))
    texts = slide_texts(deck)
    assert len(texts) == 7  # title, headline, funding, gap, waiting list, system, assumptions
    assert "30 November 2026" in texts[0]
    assert "funding uplift: 4%" in texts[0]
    for text in texts:
        assert LINK in text  # every slide links back to the scenario
    h = four.headline
    assert f"£{-h.gap_bn_at_horizon:,.1f}bn surplus" in texts[1]
    assert f"{h.waiting_list_at_horizon / 1e6:.2f} million" in texts[1]
    assert "NHS South Yorkshire ICB" in texts[5]

    charts_by_slide = {
        i: shape.chart for i, slide in enumerate(deck.slides) for shape in slide.shapes if shape.has_chart
    }
    funding = {s.name: list(s.values) for s in charts_by_slide[2].plots[0].series}
    assert funding["Funding (scenario)"] == pytest.approx(four.gap["funding_bn"].tolist())
    assert funding["Pressure: Current plans"] == pytest.approx(base.gap["pressure_bn"].tolist())
    assert list(charts_by_slide[2].plots[0].categories) == four.gap["fiscal_year"].tolist()
    gaps = {s.name: list(s.values) for s in charts_by_slide[3].plots[0].series}
    assert gaps["Gap (scenario)"] == pytest.approx(four.gap["gap_bn"].tolist())
    assert gaps["Gap (scenario)"][-1] == pytest.approx(h.gap_bn_at_horizon)
    waiting = {s.name: list(s.values) for s in charts_by_slide[4].plots[0].series}
    assert waiting["Waiting list (scenario)"][-1] == pytest.approx(h.waiting_list_at_horizon / 1e6)
    # The drivers table beside the gap chart sums to the gap.
    assert "Gap at horizon" in texts[3]
    assert "Funding uplift" in texts[6]
    assert "Open Government Licence" in texts[6]


def test_no_system_slide_unless_one_is_chosen(four: Projection, base: Projection) -> None:
    deck = Presentation(io.BytesIO(build_pptx(four, base, link=LINK)))
    assert len(deck.slides) == 6
    assert system_record(four, "NOPE") is None


def test_the_brief_is_one_page_with_the_models_numbers(four: Projection, base: Projection) -> None:
    data = build_pdf(four, base, link=LINK, made=date(2026, 11, 30))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    flat = re.sub(r"\s+", " ", text)
    h = four.headline
    assert f"£{-h.gap_bn_at_horizon:,.1f}bn surplus" in flat
    assert f"{h.waiting_list_at_horizon / 1e6:.2f} million" in flat
    assert f"funding would exceed the cost of meeting demand by £{-h.gap_bn_at_horizon:,.1f}bn" in flat
    assert LINK in flat
    assert len(reader.pages[0].images) == 2  # the two charts


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_the_brief_renders_to_a_picture(four: Projection, base: Projection, tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(build_pdf(four, base, link=LINK))
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "brief")], check=True)
    pages = sorted(tmp_path.glob("brief*.png"))
    assert len(pages) == 1
    width, height = struct.unpack(">II", pages[0].read_bytes()[16:24])
    assert (width, height) == (331, 468)  # A4 at 40 dpi


def test_command_line_writes_both_formats(tmp_path: Path, inputs: Inputs) -> None:
    pack, brief = tmp_path / "pack.pptx", tmp_path / "brief.pdf"
    assert main(["--funding-uplift", "4.0", "--national-targets", "10", "--out", str(pack)]) == 0
    assert main(["--funding-uplift", "4.0", "--out", str(brief), "--link-base", "http://x/"]) == 0
    expected = project(Scenario(funding_uplift=0.04, national_targets=10), inputs).headline
    assert f"£{abs(expected.gap_bn_at_horizon):,.1f}bn surplus" in slide_texts(Presentation(str(pack)))[1]
    assert "http://x/?funding_uplift=4" in PdfReader(str(brief)).pages[0].extract_text()


def test_command_line_rejects_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path / "pack.docx")]) == 2
    assert "must end in .pptx or .pdf" in capsys.readouterr().err
    assert main(["--funding-uplift", "60", "--out", str(tmp_path / "pack.pptx")]) == 2
    assert "outside its range" in capsys.readouterr().err
    assert main(["--system", "NOPE", "--out", str(tmp_path / "pack.pptx")]) == 2
    assert not (tmp_path / "pack.pptx").exists()


def test_command_line_runs_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "components.board_pack", "--demand-growth", "2.5", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_share_link_omits_defaults(inputs: Inputs) -> None:
    base = baseline(inputs)
    assert share_link(base, base, "http://x/") == "http://x/"
    assert (
        share_link(replace(base, national_targets=10), base, "http://x/") == "http://x/?national_targets=10"
    )


def test_yearly_waiting_list_ends_at_the_horizon(four: Projection) -> None:
    yearly = yearly_waiting_list(four)
    assert yearly["fiscal_year"].iloc[-1] == four.headline.horizon_fiscal_year
    assert yearly["waiting_list_m"].iloc[-1] == pytest.approx(four.headline.waiting_list_at_horizon / 1e6)


# --- chart files -----------------------------------------------------------------------------


def test_scenario_subtitle(inputs: Inputs) -> None:
    base = baseline(inputs)
    assert scenario_subtitle(base, base) == "Scenario: Current plans"
    assert (
        scenario_subtitle(replace(base, funding_uplift=0.04, national_targets=10), base)
        == "Scenario: funding uplift: 4%, national targets: 10 targets per ICS; otherwise as Current plans"
    )


def test_exported_chart_has_title_subtitle_source_and_renders(four: Projection, base: Projection) -> None:
    chart = charts.gap_bars(four.gap, base.gap, title="The gap each year")
    spec = export_spec(chart.to_dict(), subtitle="Scenario: X", source="Source: Y")
    assert spec["title"]["text"] == "The gap each year"
    assert spec["title"]["subtitle"] == ["Scenario: X", "Source: Y"]
    assert spec["width"] == 900
    assert "subtitle" not in chart.to_dict().get("title", {})  # the page's chart is untouched
    svg = to_svg(spec).decode("utf-8")
    assert svg.startswith("<svg")
    for text in ("The gap each year", "Scenario: X", "Source: Y"):
        assert text in svg
    png = to_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = struct.unpack(">I", png[16:20])[0]
    assert width == 2 * 900  # autosize fit-x: the whole picture is 900 px wide, at 2x
