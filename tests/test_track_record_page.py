"""The Track record page in AppTest: draws, adds a cut-off, shows diagnostics, no statsmodels at start."""

from __future__ import annotations

import subprocess
import sys

from components.track_record import errors_table, verdict
from ics_model import Inputs
from ics_model.backtest import backtest
from tests.test_app import ROOT, start


def test_track_record_page_draws_and_takes_a_cutoff() -> None:
    at = start("track_record")
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 2  # the backtest chart and the residual plot
    assert any("For the waiting list" in m.value for m in at.markdown)
    at.select_slider(key="bt_cutoff").set_value("2022-09").run()
    assert not at.exception
    assert any("September 2022" in m.value for m in at.markdown)
    at.selectbox(key="bt_diag_model").set_value("completions").run()
    assert not at.exception


def test_verdict_and_errors_by_cutoff(inputs: Inputs) -> None:
    runs = [backtest(inputs, "2024-03")]
    text = verdict(runs, "waiting_list")
    errors = runs[0].errors.set_index(["series", "horizon_months"])
    assert f"{errors.loc[('waiting_list', 12), 'mape']:.1f}% off on average over a year" in text
    assert "inside the 80% band" in text
    table = errors_table(runs)
    assert set(table["series"]) == {"RTT waiting list", "A&E attendances", "Emergency admissions"}


def test_app_start_does_not_import_statsmodels() -> None:
    code = "import sys; import components.cache, components.track_record; print('statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
