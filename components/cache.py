"""The only place with st.cache_*: the data boundary (inputs, baseline projection, SOURCES.md).

A slider move runs only ``project`` arithmetic on these cached objects. Cached objects are
shared between sessions: callers must not mutate the frames they hold.
"""

from __future__ import annotations

import gc
import json

import streamlit as st

import components.charts  # noqa: F401  (load Altair before freezing)
from components.analysis import source_sections
from components.charts.systems_map import Prebuilt
from ics_model import (
    DataError,
    Inputs,
    Projection,
    Scenario,
    baseline,
    build_cache,
    load_inputs,
    presets,
    project,
)
from ics_model.backtest import Backtest, CutoffFits, backtest, fit_at_cutoff
from ics_model.paths import DATA_DIR

# This module is imported once per server process, after the heavy libraries. Freezing the
# objects they created keeps every full garbage collection (Python's own; Streamlit's after each
# run is switched off in .streamlit/config.toml) from traversing them. No collection first: it
# would cost the first page about 0.14 s; the one in freeze_after_warm_up runs after the first
# page has been sent (the end of app.py).
gc.freeze()


@st.cache_resource(show_spinner=False)
def freeze_after_warm_up() -> bool:
    """Once per process, at the end of the first run (app.py), once it has imported every module,
    loaded the cached data and sent its page: freeze those objects too (they were made after the
    import-time freeze above)."""
    gc.collect()
    gc.freeze()
    return True


# This session's own Inputs while the user's uploaded table is in use (components/upload.py).
# They live in st.session_state only, never in the caches below, so other sessions never see them.
SESSION_INPUTS_KEY = "_session_inputs"


@st.cache_resource(show_spinner="Loading the data…")
def published_inputs() -> Inputs:
    """The cached tables and fitted baselines (rebuilt from data/raw if the cache is stale)."""
    return load_inputs()


def get_inputs() -> Inputs:
    """This session's inputs: the published data, or the Inputs built from its upload."""
    own = st.session_state.get(SESSION_INPUTS_KEY)
    return own if isinstance(own, Inputs) else published_inputs()


@st.cache_resource(show_spinner=False)
def _published_presets() -> dict[str, Scenario]:
    return presets(published_inputs())


def get_presets() -> dict[str, Scenario]:
    """Every named scenario, in display order; "Current plans" is the baseline."""
    inputs = get_inputs()
    return _published_presets() if inputs is published_inputs() else presets(inputs)


@st.cache_resource(show_spinner=False)
def _published_baseline() -> Projection:
    inputs = published_inputs()
    return project(baseline(inputs), inputs)


def baseline_projection() -> Projection:
    """The Current plans projection every page compares against."""
    inputs = get_inputs()
    return _published_baseline() if inputs is published_inputs() else project(baseline(inputs), inputs)


@st.cache_data(show_spinner=False)
def get_source_sections() -> dict[str, str]:
    """Provenance of each table, from data/SOURCES.md."""
    return source_sections(DATA_DIR / "SOURCES.md")


@st.cache_resource(show_spinner=False)
def get_boundaries() -> Prebuilt:
    """The 42 ICB boundaries (ONS, April 2023, simplified) as GeoJSON features, read once."""
    collection = json.loads((DATA_DIR / "raw" / "icb_boundaries.geojson").read_text(encoding="utf-8"))
    return Prebuilt(collection["features"])


def rebuild_data() -> str | None:
    """Rebuild the Arrow cache from data/raw and drop every cached object; an error or None."""
    try:
        build_cache()
    except DataError as exc:
        return str(exc)
    st.cache_resource.clear()
    st.cache_data.clear()
    return None


# --- track record (backtests): statsmodels runs here only, once per cut-off ---------------------


@st.cache_data(show_spinner=False, max_entries=24)
def get_cutoff_fits(cutoff: str) -> CutoffFits:
    """Every fit refitted on data up to ``cutoff`` (statsmodels, imported on first use)."""
    return fit_at_cutoff(get_inputs(), cutoff)


@st.cache_data(show_spinner=False, max_entries=48)
def get_backtest(cutoff: str, premium: bool = True) -> Backtest:
    """A cut-off's backtest from its cached fits (``premium=False``: without the activity premium)."""
    return backtest(get_inputs(), cutoff, fitted=get_cutoff_fits(cutoff), premium=premium)
