"""data/compile_raw.py reads NHS England's workbooks with python-calamine (no other Excel reader).

Run on the published RTT and A&E workbooks kept in tests/fixtures, its readers give the values
committed in data/raw/ month by month. The script's other inputs (the shared extracts) are not in
the repository, so it is not run whole here.
"""

from __future__ import annotations

from types import ModuleType

import pandas as pd
import pytest

from tests.conftest import ROOT, load_script

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def compile_raw() -> ModuleType:
    module = load_script(ROOT / "data" / "compile_raw.py")
    module.SHARED_RAW = FIXTURES  # type: ignore[attr-defined]  # the published workbooks
    return module


def committed(name: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "raw" / name, dtype={"month": str}).set_index("month")


def test_rtt_workbook_gives_the_committed_waiting_list(compile_raw: ModuleType) -> None:
    workbook = compile_raw.read_rtt_workbook()
    table = committed("rtt_monthly.csv")
    read = workbook.loc[table.index]
    for column in ("incomplete_pathways", "completed_admitted"):
        expected = table[column].dropna()
        assert len(expected) > 100
        assert (read.loc[expected.index, column].round() == expected).all(), column
    assert read.loc["2020-02", "incomplete_pathways"] == pytest.approx(4_573_675, abs=0.5)
    pct = table["pct_within_18wks"].dropna()
    assert (read.loc[pct.index, "pct_within_18wks"] - pct).abs().max() < 0.00005


def test_ae_workbook_gives_the_committed_attendances(compile_raw: ModuleType) -> None:
    activity = compile_raw.read_ae_sheet("Activity")
    table = committed("ae_monthly.csv")
    read = activity["Total Attendances"].reindex(table.index).astype(float)
    assert read.notna().all()
    assert (read - table["ae_attendances"]).abs().max() <= 0.5
    admissions = activity["Total Emergency Admissions"].reindex(table.index).astype(float)
    assert (admissions - table["emergency_admissions"]).abs().max() <= 0.5
