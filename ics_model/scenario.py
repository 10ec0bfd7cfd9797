"""The scenario: every lever and assumption, with its label, range and source.

The metadata lives in one table, ``data/raw/assumptions.csv``; the dataclass below names
the fields and their types, and everything else (sliders, URL, CLI, validation, the
assumptions page) is generated from that metadata.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from ics_model.paths import RAW_DIR

Kind = Literal["lever", "assumption", "constant"]


@dataclass(frozen=True)
class Parameter:
    """One row of the assumptions table."""

    name: str
    kind: Kind
    label: str
    unit: str
    display_scale: float  # 100 for rates shown in percent, 1 otherwise
    default: float
    low: float | None
    high: float | None
    step: float | None
    source: str

    @property
    def is_integer(self) -> bool:
        return self.step is not None and float(self.step).is_integer() and self.display_scale == 1

    def to_display(self, value: float) -> float:
        """Model units (fractions) to the UI's units (percent for rates)."""
        return round(value * self.display_scale, 6)

    def from_display(self, value: float) -> float:
        return round(value / self.display_scale, 9)


def _optional(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_parameters(path: Path = RAW_DIR / "assumptions.csv") -> dict[str, Parameter]:
    """Read the assumptions table into Parameters keyed by name."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["name"]: Parameter(
            name=row["name"],
            kind=row["kind"],  # type: ignore[arg-type]
            label=row["label"],
            unit=row["unit"],
            display_scale=float(row["display_scale"]),
            default=float(row["default"]),
            low=_optional(row["low"]),
            high=_optional(row["high"]),
            step=_optional(row["step"]),
            source=row["source"],
        )
        for row in rows
    }


PARAMETERS: dict[str, Parameter] = read_parameters()
CONSTANTS: dict[str, float] = {name: p.default for name, p in PARAMETERS.items() if p.kind == "constant"}


def _param(name: str) -> Any:
    """A dataclass field whose default and metadata come from the assumptions table."""
    meta = PARAMETERS[name]
    default: float | int = int(meta.default) if meta.is_integer else meta.default
    return field(default=default, metadata={"parameter": meta})


@dataclass(frozen=True)
class Scenario:
    """Every user-adjustable lever and assumption. Immutable: it keys caches and URLs.

    Rates are fractions (0.034 is 3.4% a year).
    """

    funding_uplift: float = _param("funding_uplift")
    national_targets: int = _param("national_targets")
    autonomy_share: float = _param("autonomy_share")
    pace_of_change: float = _param("pace_of_change")
    demand_growth: float = _param("demand_growth")
    unit_cost_growth: float = _param("unit_cost_growth")
    productivity_growth: float = _param("productivity_growth")
    autonomy_dividend: float = _param("autonomy_dividend")
    horizon_years: int = _param("horizon_years")

    def __post_init__(self) -> None:
        for spec in scenario_parameters():
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{spec.name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{spec.name} must be finite, got {value!r}")
            if spec.is_integer and not float(value).is_integer():
                raise ValueError(f"{spec.name} must be a whole number, got {value!r}")
            assert spec.low is not None
            assert spec.high is not None
            if not spec.low - 1e-12 <= value <= spec.high + 1e-12:
                raise ValueError(
                    f"{spec.name} = {spec.to_display(value):g} is outside its range "
                    f"{spec.to_display(spec.low):g} to {spec.to_display(spec.high):g} {spec.unit}"
                )
        # Normalise integer fields so equal scenarios hash equally (10 == 10.0).
        for spec in scenario_parameters():
            if spec.is_integer:
                object.__setattr__(self, spec.name, int(getattr(self, spec.name)))

    def with_changes(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (validated)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return dataclasses.asdict(self)


def scenario_parameters() -> list[Parameter]:
    """The Parameter of each Scenario field, in field order (levers first)."""
    return [f.metadata["parameter"] for f in fields(Scenario)]


def lever_names() -> list[str]:
    return [p.name for p in scenario_parameters() if p.kind == "lever"]


def numeric_rate_names() -> list[str]:
    """Fields that goal seek and sweeps may vary continuously."""
    return [p.name for p in scenario_parameters() if not p.is_integer]


# --- URL query strings -------------------------------------------------------------------

_NUMBER = re.compile(r"^-?[0-9]{1,6}(\.[0-9]{1,6})?$")  # ASCII digits only, bounded length


def _parse_value(spec: Parameter, raw: str) -> float | None:
    """A display-unit string to a model value, or None if it is not acceptable."""
    text = raw.strip()
    if not _NUMBER.match(text):
        return None
    shown = float(text)
    assert spec.low is not None
    assert spec.high is not None
    low, high = spec.to_display(spec.low), spec.to_display(spec.high)
    if not (math.isfinite(shown) and low - 1e-9 <= shown <= high + 1e-9):
        return None
    if spec.is_integer:
        return int(shown) if shown.is_integer() else None
    return spec.from_display(shown)


def scenario_from_query(
    params: Mapping[str, str | list[str]], base: Scenario | None = None
) -> tuple[Scenario, list[str]]:
    """Build a Scenario from URL query parameters (percent for rates), tolerantly.

    Unknown keys are ignored silently (they may belong to the page); bad values fall back
    to the base scenario's value and are listed in the returned problems.
    """
    base = base or Scenario()
    changes: dict[str, Any] = {}
    problems: list[str] = []
    specs = {p.name: p for p in scenario_parameters()}
    for name, raw in params.items():
        spec = specs.get(name)
        if spec is None:
            continue
        values = raw if isinstance(raw, list) else [raw]
        value = _parse_value(spec, values[-1]) if values and isinstance(values[-1], str) else None
        if value is None:
            assert spec.low is not None
            assert spec.high is not None
            problems.append(
                f"{spec.label}: ignored an invalid value; expected a number from "
                f"{spec.to_display(spec.low):g} to {spec.to_display(spec.high):g} ({spec.unit})"
            )
            continue
        changes[name] = value
    return replace(base, **changes), problems


def scenario_to_query(scenario: Scenario, base: Scenario | None = None) -> dict[str, str]:
    """Query parameters for a scenario (percent for rates); fields equal to base omitted."""
    base = base or Scenario()
    query: dict[str, str] = {}
    for spec in scenario_parameters():
        value = getattr(scenario, spec.name)
        if value == getattr(base, spec.name):
            continue
        shown = spec.to_display(value)
        # Up to 6 decimals, as the parser accepts, with trailing zeros dropped.
        query[spec.name] = str(int(shown)) if spec.is_integer else f"{shown:.6f}".rstrip("0").rstrip(".")
    return query
