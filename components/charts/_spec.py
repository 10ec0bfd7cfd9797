"""A chart as a fixed spec plus named data: the spec is built once, the data on every rerun.

A builder decorated with ``@template`` takes only what shapes the chart (titles, heights, a
fixed list of series) and reads its data by name (``alt.NamedData``); its Vega-Lite dict is
cached. A ``Figure`` pairs that dict with this run's frames. On a slider move only the frames
change, so the page pays no Altair object building or conversion, and the browser, seeing
the same spec and the same dataset names, swaps the data into the chart it already has
instead of compiling a new one.
"""

from __future__ import annotations

import copy
import functools
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import altair as alt
import pandas as pd
from altair.utils import schemapi
from altair.utils.data import to_values
from altair.vegalite.v6.schema import core

P = ParamSpec("P")
T = TypeVar("T")


def _data_free_dict(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=False)
    # Altair's default theme adds a fixed view size; the chart sets its own size (as under
    # Streamlit's conversion, which turns that theme off).
    view = spec.get("config", {}).get("view", {})
    view.pop("continuousWidth", None)
    view.pop("continuousHeight", None)
    return spec


def template(build: Callable[P, Any]) -> Callable[P, Mapping[str, Any]]:
    """Cache the data-free Vega-Lite dict of ``build`` per argument set (arguments must hash)."""

    cached = functools.lru_cache(maxsize=32)(lambda *args, **kwargs: _data_free_dict(build(*args, **kwargs)))

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Mapping[str, Any]:
        spec: Mapping[str, Any] = cached(*args, **kwargs)  # type: ignore[arg-type]  # must hash
        return spec

    return wrapper


def per_table(build: Callable[..., T]) -> Callable[..., T]:
    """Keep the last result of ``build(table, *options)``, for data that depends on a published
    table and not on the scenario. The table object is the key (a user's upload is a new object,
    so it builds afresh); the result is shared between sessions, so callers never change it."""
    last: list[tuple[weakref.ref[pd.DataFrame], tuple[Any, ...], T]] = []

    @functools.wraps(build)
    def cached(table: pd.DataFrame, *options: Any) -> T:
        if last and last[0][0]() is table and last[0][1] == options:
            return last[0][2]
        value = build(table, *options)
        last[:] = [(weakref.ref(table), options, value)]
        return value

    return cached


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready rows (dates as ISO text, missing values as null), as Altair inlines them."""
    rows = to_values(frame)["values"]
    assert isinstance(rows, list)
    return rows


@dataclass(frozen=True)
class Figure:
    """A cached data-free spec and this run's frames by dataset name.

    ``to_dict()`` is the whole spec with the rows inline (validated against the Vega-Lite
    schema by default), for the tests and for PNG/SVG files; ``streamlit_spec()`` leaves the
    frames as frames, which Streamlit sends as Arrow.
    """

    template: Mapping[str, Any]  # shared between runs and sessions: never mutated
    data: Mapping[str, pd.DataFrame]
    # How the browser draws it. A canvas is one element however many marks the chart has, so a
    # slider move re-lays out far less of the page than an SVG element per mark (25-35 ms a move on
    # the chart pages). The chart keeps its accessible name and tooltips either way.
    renderer: str = "canvas"

    def streamlit_spec(self) -> dict[str, Any]:
        usermeta = {**self.template.get("usermeta", {}), "embedOptions": {"renderer": self.renderer}}
        return {**self.template, "usermeta": usermeta, "datasets": dict(self.data)}

    def to_dict(self, validate: bool = True) -> dict[str, Any]:
        spec = copy.deepcopy(dict(self.template))
        spec["datasets"] = {name: records(frame) for name, frame in self.data.items()}
        if validate:
            schemapi.validate_jsonschema(spec, core.load_schema())
        return spec


def named(name: str) -> alt.NamedData:
    """The data of a layer, read from the figure's dataset ``name``."""
    return alt.NamedData(name=name)
