"""Shared fixtures: the real inputs (loaded once) and a synthetic variant for hand-worked cases."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from ics_model import Inputs, load_inputs

ROOT = Path(__file__).resolve().parents[1]


def load_script(path: Path) -> ModuleType:
    """A script outside the packages (docs/, data/), imported from its file."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def inputs() -> Inputs:
    return load_inputs()


@pytest.fixture(scope="session")
def simple_inputs(inputs: Inputs) -> Inputs:
    """Round numbers that make the arithmetic easy to check by hand."""
    baselines = {
        **inputs.baselines,
        "base_funding_bn": 100.0,
        "demand_growth_se": 0.01,
        "referrals_last12": 1200.0,
        "completions_last12": 1000.0,
        "removal_factor": 1.2,
        "latest_list": 1000.0,
        "feb_2020_list": 900.0,
        "lowest_list": 100.0,
        "activity_premium": 0.0,
        "referrals_resid_sd": 0.0,
        "completions_resid_sd": 0.0,
    }
    return replace(
        inputs,
        baselines=baselines,
        referral_season=np.ones(12),
        completion_season=np.ones(12),
    )
