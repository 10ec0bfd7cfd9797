"""Charts as files for slides: PNG (2x) and SVG rendered offline by vl-convert. No Streamlit.

Each exported chart carries its title, the scenario as a subtitle and a source line, so a
picture pasted into a board paper still says what it shows and where it comes from.
"""

from __future__ import annotations

import copy
from typing import Any

import vl_convert as vlc

from components.analysis import BASELINE_NAME, shown_value
from ics_model import Scenario, scenario_parameters

DEFAULT_SOURCE = (
    "Source: ICS Policy Explorer model; NHS England, HM Treasury and ONS data "
    "(Open Government Licence v3.0). £bn at 2025/26 prices."
)
EXPORT_WIDTH = 900  # px of the plotting area in the file (the page's width is the browser's)
PNG_SCALE = 2  # 2x: sharp on slides and projectors


def scenario_subtitle(scenario: Scenario, base: Scenario) -> str:
    """One line naming the scenario by how it differs from the baseline."""
    changed = [
        f"{spec.label.lower()}: {shown_value(spec, getattr(scenario, spec.name))}"
        for spec in scenario_parameters()
        if getattr(scenario, spec.name) != getattr(base, spec.name)
    ]
    if not changed:
        return f"Scenario: {BASELINE_NAME}"
    return f"Scenario: {', '.join(changed)}; otherwise as {BASELINE_NAME}"


def _title_text(title: Any) -> str:
    if isinstance(title, dict):
        text = title.get("text", "")
        return " ".join(text) if isinstance(text, list) else str(text)
    return "" if title is None else str(title)


def export_spec(
    spec: dict[str, Any], *, subtitle: str, source: str = DEFAULT_SOURCE, width: int = EXPORT_WIDTH
) -> dict[str, Any]:
    """A copy of a Vega-Lite spec with a fixed width and the title, subtitle and source lines."""
    out = copy.deepcopy(spec)
    title = _title_text(out.get("title")) or "ICS Policy Explorer"
    out["title"] = {"text": title, "subtitle": [subtitle, source], "subtitlePadding": 6}
    if not any(key in out for key in ("hconcat", "vconcat", "concat", "facet")):
        out["width"] = width
    out["background"] = "white"
    out["padding"] = 16
    return out


def to_png(spec: dict[str, Any], *, scale: float = PNG_SCALE) -> bytes:
    """The spec rendered as PNG (offline, no browser)."""
    return bytes(vlc.vegalite_to_png(spec, scale=scale))


def to_svg(spec: dict[str, Any]) -> bytes:
    """The spec rendered as SVG text, UTF-8."""
    return str(vlc.vegalite_to_svg(spec)).encode("utf-8")
