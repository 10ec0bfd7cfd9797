"""Refresh from NHS England's workbooks: the real ones reproduce the tables; hostile ones change nothing.

The real workbooks are kept in tests/fixtures (provenance in its README). Hostile variants are
made from them by editing the .xlsx parts (a zip of XML) or by cutting the files short.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from ics_model import DataError, load_inputs
from ics_model.paths import CACHE_DIR, RAW_DIR
from ics_model.refresh import Change, RefreshReport, refresh
from ics_model.workbooks import (
    ALLOCATION_TABLE_COLUMNS,
    WorkbookError,
    allocations_table,
    column_letter,
    read_ae_workbook,
    read_allocations_workbook,
    read_rtt_workbook,
)
from tests.model.test_cache import data_differences

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RTT = FIXTURES / "nhse_RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Dec25.xlsx"
AE = FIXTURES / "nhse_Monthly-AE-Time-Series-March-2026.xls"
ALLOCATIONS = FIXTURES / "nhse_icb_allocations_2025_26_all_funding_streams.xlsx"
SHEET_XML = "xl/worksheets/sheet1.xml"
CORE_XML = "xl/worksheets/sheet2.xml"  # the allocations workbook's "ICB Core Allocations 2025-26"
SPECIALISED_XML = "xl/worksheets/sheet4.xml"  # its "Specialised Allocations 2025-26"
TODAY = dt.date(2026, 11, 30)
DEC_2025_ROW = 237  # the RTT sheet's row for December 2025 (the latest month)
WAITING_COL = "W"  # "Total waiting (mil) with estimates for missing data"


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def edit_xlsx(source: Path, part: str, edit: Callable[[str], str]) -> bytes:
    """A copy of an .xlsx with one XML part rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), f"the edit of {part} changed nothing"
                data = changed.encode("utf-8")
            zout.writestr(item, data)
    return out.getvalue()


def set_cell(ref: str, xml: str) -> Callable[[str], str]:
    """An edit replacing one cell (``<c r="W237" ...>...</c>``) by the given XML."""

    def edit(text: str) -> str:
        return re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, text, count=1)

    return edit


def set_value(ref: str, value: str) -> Callable[[str], str]:
    """An edit of one cell's value, keeping its style (so a date stays a date)."""

    def edit(text: str) -> str:
        return re.sub(rf'(<c r="{ref}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value}</v>", text, count=1)

    return edit


def drop_row(number: int) -> Callable[[str], str]:
    def edit(text: str) -> str:
        return re.sub(rf'<row r="{number}"[^>]*>.*?</row>', "", text, count=1)

    return edit


def zip_bomb() -> bytes:
    """A small .xlsx whose one part unpacks to 60 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    return out.getvalue()


def text_cell(text: str) -> str:
    return f'<c r="{WAITING_COL}{DEC_2025_ROW}" t="inlineStr"><is><t>{text}</t></is></c>'


# (id, which workbook is hostile, how to make it, words the message must contain)
HOSTILE: list[tuple[str, str, Callable[[], bytes], list[str]]] = [
    ("empty", "rtt", lambda: b"", ["empty"]),
    ("binary", "rtt", lambda: bytes(range(256)) * 64, ["not an Excel workbook"]),
    ("csv renamed", "rtt", lambda: b"month,value\n2025-12,1\n", ["not an Excel workbook"]),
    ("xls as rtt", "rtt", AE.read_bytes, ["expected the .xlsx"]),
    ("xlsx as ae", "ae", RTT.read_bytes, ["expected the .xls"]),
    ("truncated xlsx", "rtt", lambda: RTT.read_bytes()[: RTT.stat().st_size // 2], ["truncated"]),
    ("truncated xls", "ae", lambda: AE.read_bytes()[: AE.stat().st_size // 2], ["truncated"]),
    ("zip bomb", "rtt", zip_bomb, ["refused", "zip bomb"]),
    (
        "renamed sheet",
        "rtt",
        lambda: edit_xlsx(RTT, "xl/workbook.xml", lambda x: x.replace("Full Time Series", "Time Series")),
        ["no sheet 'Full Time Series'"],
    ),
    (
        "text in a number cell",
        "rtt",
        lambda: edit_xlsx(RTT, SHEET_XML, set_cell(f"{WAITING_COL}{DEC_2025_ROW}", text_cell("n/a"))),
        ["sheet 'Full Time Series'", f"cell {WAITING_COL}{DEC_2025_ROW}", "text 'n/a'"],
    ),
    (
        "hyperlink formula",
        "rtt",
        lambda: edit_xlsx(
            RTT,
            SHEET_XML,
            set_cell(
                f"{WAITING_COL}{DEC_2025_ROW}",
                f'<c r="{WAITING_COL}{DEC_2025_ROW}" t="str"><f>HYPERLINK("http://example.com","=click")</f>'
                "<v>=click</v></c>",
            ),
        ),
        [f"cell {WAITING_COL}{DEC_2025_ROW}", "formula"],
    ),
    (
        "negative count",
        "rtt",
        lambda: edit_xlsx(
            RTT, SHEET_XML, set_cell(f"{WAITING_COL}{DEC_2025_ROW}", f'<c r="W{DEC_2025_ROW}"><v>-5</v></c>')
        ),
        [f"cell {WAITING_COL}{DEC_2025_ROW}", "negative"],
    ),
    (
        "missing month",
        "rtt",
        lambda: edit_xlsx(RTT, SHEET_XML, set_value("C226", str(excel_serial(dt.date(2025, 2, 1))))),
        ["cell C226", "2025-02 follows 2024-12", "missing"],
    ),
    (
        "repeated month",
        "rtt",
        lambda: edit_xlsx(RTT, SHEET_XML, set_value("C226", str(excel_serial(dt.date(2024, 12, 1))))),
        ["cell C226", "repeated"],
    ),
    (
        "month in the future",
        "rtt",
        lambda: edit_xlsx(
            RTT,
            SHEET_XML,
            set_value(f"C{DEC_2025_ROW}", str(excel_serial(dt.date(2031, 1, 1)))),
        ),
        [f"cell C{DEC_2025_ROW}", "future"],
    ),
    (
        "not a month",
        "rtt",
        lambda: edit_xlsx(
            RTT,
            SHEET_XML,
            set_cell(f"C{DEC_2025_ROW}", f'<c r="C{DEC_2025_ROW}" t="inlineStr"><is><t>Dec</t></is></c>'),
        ),
        [f"cell C{DEC_2025_ROW}", "expected a month"],
    ),
    (
        "older publication",
        "rtt",
        lambda: edit_xlsx(RTT, SHEET_XML, drop_row(DEC_2025_ROW)),
        ["ends at 2025-11", "before"],
    ),
    (
        "renamed column",
        "rtt",
        lambda: edit_xlsx(
            RTT,
            "xl/sharedStrings.xml",
            lambda x: x.replace("Total waiting (mil) with estimates for missing data", "Total waiting"),
        ),
        ["sheet 'Full Time Series'", "not found in the header", "Total waiting (mil)"],
    ),
]


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/raw and data/cache to refresh (the project's own are never touched)."""
    data = tmp_path_factory.mktemp("refresh") / "data"
    shutil.copytree(RAW_DIR, data / "raw")
    shutil.copytree(CACHE_DIR, data / "cache")
    return data


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_workbook_changes_nothing(
    hostile: tuple[str, str, Callable[[], bytes], list[str]], data_copy: Path, tmp_path: Path
) -> None:
    _, target, make, words = hostile
    before = digest(data_copy)
    path = tmp_path / ("hostile.xls" if target == "ae" else "hostile.xlsx")
    path.write_bytes(make())
    paths = {"rtt": RTT, "ae": AE, target: path}
    with pytest.raises(DataError) as caught:
        refresh(
            paths["rtt"], paths["ae"], raw_dir=data_copy / "raw", cache_dir=data_copy / "cache", today=TODAY
        )
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(path.name), message
    for word in words:
        assert word in message, message
    assert digest(data_copy) == before
    assert not list(data_copy.glob(".refresh-*"))


def test_enormous_and_missing_files_change_nothing(data_copy: Path, tmp_path: Path) -> None:
    before = digest(data_copy)
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as handle:  # sparse: 30 MB on paper, nothing on disk
        handle.truncate(30 * 1024 * 1024)
    for bad in (huge, tmp_path / "absent.xlsx", tmp_path):
        with pytest.raises(WorkbookError):
            refresh(bad, AE, raw_dir=data_copy / "raw", cache_dir=data_copy / "cache", today=TODAY)
    assert digest(data_copy) == before


def inline_text(ref: str, text: str) -> Callable[[str], str]:
    return set_cell(ref, f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')


# (id, which part of the allocations workbook to edit, how, words the message must contain)
HOSTILE_ALLOCATIONS: list[tuple[str, str, Callable[[str], str], list[str]]] = [
    (
        "a blank row among the ICBs",
        CORE_XML,
        drop_row(10),
        ["sheet 'ICB Core Allocations 2025-26', cell C2", "expected 42 ICB rows below the header, found 7"],
    ),
    (
        "41 ICBs",
        CORE_XML,
        drop_row(44),
        ["sheet 'ICB Core Allocations 2025-26', cell C2", "expected 42 ICB rows below the header, found 41"],
    ),
    (
        "a foreign ICB code",
        CORE_XML,
        inline_text("C3", "QZZ"),
        ["sheet 'ICB Core Allocations 2025-26', cell C3", "ICB code QZZ is not one of the 42 ICBs"],
    ),
    (
        "a foreign ICB code in another sheet",
        SPECIALISED_XML,
        inline_text("C3", "QZZ"),
        ["sheet 'Specialised Allocations 2025-26', cell C3", "ICB code QZZ"],
    ),
    (
        "an ICB twice",
        CORE_XML,
        inline_text("C3", "QHM"),
        ["sheet 'ICB Core Allocations 2025-26', cell C4", "QHM appears twice"],
    ),
    (
        "text for money",
        SPECIALISED_XML,
        inline_text("J3", "n/a"),
        ["sheet 'Specialised Allocations 2025-26', cell J3", "expected a number"],
    ),
    (
        "an England total that does not add up",
        CORE_XML,
        set_value("J3", "3414852"),
        ["sheet 'ICB Core Allocations 2025-26', cell J54", "England total 116,741,038"],
    ),
]


@pytest.mark.parametrize("hostile", HOSTILE_ALLOCATIONS, ids=[h[0] for h in HOSTILE_ALLOCATIONS])
def test_hostile_allocations_change_nothing(
    hostile: tuple[str, str, Callable[[str], str], list[str]], data_copy: Path, tmp_path: Path
) -> None:
    _, part, edit, words = hostile
    before = digest(data_copy)
    bad = tmp_path / "allocations.xlsx"
    bad.write_bytes(edit_xlsx(ALLOCATIONS, part, edit))
    with pytest.raises(WorkbookError) as caught:
        refresh(RTT, AE, bad, raw_dir=data_copy / "raw", cache_dir=data_copy / "cache", today=TODAY)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(bad.name), message
    for word in words:
        assert word in message, message
    assert digest(data_copy) == before
    assert not list(data_copy.glob(".refresh-*"))


def test_readers_reproduce_the_project_tables() -> None:
    """The published workbooks give data/raw's tables byte for byte (as data/compile_raw.py)."""
    rtt = read_rtt_workbook(RTT.read_bytes(), RTT.name, today=TODAY)
    ae = read_ae_workbook(AE.read_bytes(), AE.name, today=TODAY)
    for frame, name in ((rtt, "rtt_monthly"), (ae, "ae_monthly")):
        text = frame.to_csv(index=False, lineterminator="\n")
        assert text == (RAW_DIR / f"{name}.csv").read_text(encoding="utf-8")
    assert rtt["month"].iloc[-1] == "2025-12"  # the Jan-Mar 2026 placeholders are dropped
    allocations = read_allocations_workbook(ALLOCATIONS.read_bytes(), ALLOCATIONS.name)
    assert len(allocations) == 42
    # NHS England: 2025/26 core recurrent allocations £116,741,038k; QOQ total £3,646,033k.
    assert allocations["core_2025_26_recurrent_allocation_gbp_k"].sum() == pytest.approx(116_741_038)
    qoq = allocations.set_index("icb_code").loc["QOQ"]
    assert qoq["core_2025_26_total_allocation_gbp_k"] == pytest.approx(3_646_032.6, abs=0.1)
    # The 2025/26 columns of icb_allocations, exactly as committed (data/compile_raw.py uses the same reader).
    committed = pd.read_csv(RAW_DIR / "icb_allocations.csv")
    pd.testing.assert_frame_equal(
        allocations_table(allocations),
        committed[ALLOCATION_TABLE_COLUMNS],
        check_exact=True,
        check_dtype=False,
    )


def test_refresh_with_the_published_workbooks(data_copy: Path, tmp_path: Path) -> None:
    """The real workbooks refresh cleanly, and the published figures are still reproduced."""
    before = tmp_path / "before"
    shutil.copytree(data_copy, before)
    report = refresh(
        RTT, AE, ALLOCATIONS, raw_dir=data_copy / "raw", cache_dir=data_copy / "cache", today=TODAY
    )
    # The same publications: byte-identical tables and cache (fitted floats to 1e-9, test_cache).
    assert data_differences(data_copy, before) == []
    rtt = report.changes[0]
    assert (rtt.table, rtt.old_latest, rtt.new_latest, rtt.new_months) == (
        "rtt_monthly",
        "2025-12",
        "2025-12",
        0,
    )
    assert rtt.latest_values["incomplete_pathways"] == 7_290_880  # NHS England RTT, December 2025
    assert report.changes[1].latest_values["ae_attendances"] == 2_432_253  # A&E, March 2026
    assert report.demand_growth_after == pytest.approx(report.demand_growth_before)
    assert report.allocations == (
        "icb_allocations: 42 ICBs; core recurrent allocations £116,741,038k -> £116,741,038k; "
        "no ICB's figures changed"
    )
    inputs = load_inputs(data_copy / "raw", data_copy / "cache")
    assert inputs.cache_status == "fresh"
    rtt_table = inputs.tables["rtt_monthly"].set_index("month")["incomplete_pathways"]
    assert rtt_table["2020-02"] == 4_573_675
    assert rtt_table["2023-09"] == 7_768_573
    assert inputs.base_funding_bn == pytest.approx(195.6)
    # Published figures (data/SOURCES.md; parliamentary written answer 51302 for QOQ, QF7, QWO).
    allocations = inputs.tables["icb_allocations"].set_index("icb_code")
    assert round(allocations["core_recurrent_m"].sum() * 1000) == 116_741_038
    assert [round(allocations.loc[c, "core_total_m"] * 1000) for c in ("QOQ", "QF7", "QWO")] == [
        3_646_033,
        3_108_129,
        5_266_745,
    ]
    assert allocations["all_streams_m"].sum() == pytest.approx(167_170.370, abs=0.01)


def test_report_lines() -> None:
    report = RefreshReport(
        changes=[Change("rtt_monthly", "2025-11", "2025-12", 1, {"incomplete_pathways": 7290880.0})],
        demand_growth_before=0.0150,
        demand_growth_after=0.0152,
        demand_growth_se_after=0.004,
    )
    lines = report.lines()
    assert lines[0] == "rtt_monthly: latest month 2025-11 -> 2025-12 (1 new); incomplete_pathways 7,290,880"
    assert lines[1] == "fitted demand growth 1.50% -> 1.52% a year (standard error 0.40%)"


def test_cli_refresh_error_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    before = digest(RAW_DIR) | {f"cache/{k}": v for k, v in digest(CACHE_DIR).items()}
    bad = tmp_path / "renamed.xlsx"
    bad.write_bytes(edit_xlsx(RTT, "xl/workbook.xml", lambda x: x.replace("Full Time Series", "Data")))
    done = subprocess.run(
        [sys.executable, "-m", "ics_model", "refresh", "--rtt", str(bad), "--ae", str(AE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bad.name}: no sheet 'Full Time Series' (renamed?); the sheets are 'Data'"]
    assert "Traceback" not in done.stderr
    assert (digest(RAW_DIR) | {f"cache/{k}": v for k, v in digest(CACHE_DIR).items()}) == before


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 22, 25, 26, 27, 701, 702)] == [
        "A",
        "W",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_refresh_adds_the_new_months_and_reports_them(tmp_path: Path) -> None:
    """Tables one month behind the workbooks: the refresh adds that month and says so."""
    data = tmp_path / "data"
    shutil.copytree(RAW_DIR, data / "raw")
    shutil.copytree(CACHE_DIR, data / "cache")
    for name in ("rtt_monthly", "ae_monthly"):
        path = data / "raw" / f"{name}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:-1]), encoding="utf-8")
    report = refresh(RTT, AE, raw_dir=data / "raw", cache_dir=data / "cache", today=TODAY)
    lines = report.lines()
    assert lines[0].startswith(
        "rtt_monthly: latest month 2025-11 -> 2025-12 (1 new); incomplete_pathways 7,290,880"
    )
    assert lines[1].startswith(
        "ae_monthly: latest month 2026-02 -> 2026-03 (1 new); ae_attendances 2,432,253"
    )
    assert lines[2].startswith("fitted demand growth 1.52% -> 1.52% a year")
    for name in ("rtt_monthly", "ae_monthly"):
        assert (data / "raw" / f"{name}.csv").read_bytes() == (RAW_DIR / f"{name}.csv").read_bytes()
    assert load_inputs(data / "raw", data / "cache").cache_status == "fresh"


def test_allocations_workbook_updates_only_what_changed(tmp_path: Path) -> None:
    """A workbook with QOQ's recurrent allocation £1m higher (and the England total with it)
    changes QOQ's workbook-derived columns only; everything else is kept byte for byte."""
    data = tmp_path / "data"
    shutil.copytree(RAW_DIR, data / "raw")
    shutil.copytree(CACHE_DIR, data / "cache")
    changed = tmp_path / "allocations.xlsx"

    def edit(xml: str) -> str:
        return set_value("J54", "116742038")(set_value("J3", "3414852")(xml))

    changed.write_bytes(edit_xlsx(ALLOCATIONS, CORE_XML, edit))
    report = refresh(RTT, AE, changed, raw_dir=data / "raw", cache_dir=data / "cache", today=TODAY)
    assert report.allocations == (
        "icb_allocations: 42 ICBs; core recurrent allocations £116,741,038k -> £116,742,038k; "
        "1 ICB(s) changed: QOQ (core_recurrent_m, core_target_2025_26_m)"
    )
    before = pd.read_csv(RAW_DIR / "icb_allocations.csv", dtype=str).set_index("icb_code")
    after = pd.read_csv(data / "raw" / "icb_allocations.csv", dtype=str).set_index("icb_code")
    assert list(after.index) == list(before.index)
    assert list(after.columns) == list(before.columns)
    differs = (before != after).stack()
    assert sorted(differs[differs].index) == [("QOQ", "core_recurrent_m"), ("QOQ", "core_target_2025_26_m")]
    assert (before.loc["QOQ", "core_recurrent_m"], after.loc["QOQ", "core_recurrent_m"]) == (
        "3413.852",
        "3414.852",
    )
    for name in ("rtt_monthly", "ae_monthly"):
        assert (data / "raw" / f"{name}.csv").read_bytes() == (RAW_DIR / f"{name}.csv").read_bytes()
    assert load_inputs(data / "raw", data / "cache").cache_status == "fresh"
