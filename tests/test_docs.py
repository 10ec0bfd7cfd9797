"""docs/API.md is generated from the docstrings and kept up to date; the analyst example runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


def test_api_doc_is_up_to_date() -> None:
    module = load_script(ROOT / "docs" / "make_api.py")
    written = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    assert written == module.render(), "docs/API.md is out of date: run python docs/make_api.py"
    for name in ("run_batch", "project", "Scenario", "load_inputs", "sweep", "goal_seek"):
        assert f"`{name}" in written or f"class `{name}`" in written


def test_analyst_example_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "analyst_example.py"), "--out", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    sweep = pd.read_csv(tmp_path / "sweep.csv")
    assert len(sweep) == 21 * 21
    batch = pd.read_csv(tmp_path / "batch.csv")
    assert batch["scenario"].tolist() == ["Current plans", "Long Term Plan 2018", "4% and 10 targets"]
    system = pd.read_csv(tmp_path / "system_QWO.csv")
    assert system["icb_code"].unique().tolist() == ["QWO"]
    assert "West Yorkshire" in done.stdout
