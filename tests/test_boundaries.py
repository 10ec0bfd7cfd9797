"""Layering: the model never imports Streamlit or Altair; the chart builders never import Streamlit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after(imports: str) -> set[str]:
    """Top-level module names in sys.modules after running ``imports`` in a fresh interpreter."""
    code = f"import sys\n{imports}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return set(result.stdout.split())


def test_model_imports_neither_streamlit_nor_altair() -> None:
    loaded = _loaded_after("import ics_model\nfrom ics_model import load_inputs, project, Scenario")
    assert "ics_model" in loaded
    assert "streamlit" not in loaded
    assert "altair" not in loaded


@pytest.mark.parametrize(
    "module",
    [
        "components.charts",
        "components.analysis",
        "components.board_pack",
        "components.chart_export",
        "components.story",
        "components.history",
    ],
)
def test_pure_components_do_not_import_streamlit(module: str) -> None:
    loaded = _loaded_after(f"import ics_model\nimport {module}")
    assert "streamlit" not in loaded
    assert "components" in loaded


def test_charts_build_without_streamlit() -> None:
    """Building and serialising a real chart still leaves Streamlit unloaded."""
    code = (
        "from ics_model import load_inputs, project, baseline\n"
        "from components import charts\n"
        "i = load_inputs(); p = project(baseline(i), i)\n"
        "charts.gap_bars(p.gap, p.gap, title='t').to_dict()"
    )
    loaded = _loaded_after(code)
    assert "altair" in loaded
    assert "streamlit" not in loaded
