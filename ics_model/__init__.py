"""ICS Policy Explorer model: pure, typed, no user interface.

>>> from ics_model import Scenario, load_inputs, project
>>> result = project(Scenario(funding_uplift=0.04), load_inputs())
>>> result.headline.gap_bn_at_horizon  # doctest: +SKIP
"""

from ics_model.batch import BatchError, BatchResult, run_batch
from ics_model.data import DataError, build_cache, load_tables
from ics_model.inputs import Inputs, load_inputs
from ics_model.presets import DESCRIPTIONS, baseline, presets
from ics_model.projection import (
    GoalSeekResult,
    Headline,
    Projection,
    Targets,
    fiscal_year,
    goal_seek,
    project,
    sweep,
)
from ics_model.scenario import (
    CONSTANTS,
    PARAMETERS,
    Parameter,
    Scenario,
    scenario_from_query,
    scenario_parameters,
    scenario_to_query,
)
from ics_model.systems import (
    SystemProjection,
    SystemsResult,
    find_system,
    project_system,
    project_systems,
    short_name,
)

__all__ = [
    "CONSTANTS",
    "DESCRIPTIONS",
    "PARAMETERS",
    "BatchError",
    "BatchResult",
    "DataError",
    "GoalSeekResult",
    "Headline",
    "Inputs",
    "Parameter",
    "Projection",
    "Scenario",
    "SystemProjection",
    "SystemsResult",
    "Targets",
    "baseline",
    "build_cache",
    "find_system",
    "fiscal_year",
    "goal_seek",
    "load_inputs",
    "load_tables",
    "presets",
    "project",
    "project_system",
    "project_systems",
    "run_batch",
    "scenario_from_query",
    "scenario_parameters",
    "scenario_to_query",
    "short_name",
    "sweep",
]
