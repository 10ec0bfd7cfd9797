"""Model inputs: the cached tables and fitted baselines, loaded once per data version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ics_model.data import load_tables
from ics_model.paths import CACHE_DIR, RAW_DIR


@dataclass(frozen=True)
class Inputs:
    """Everything ``project`` needs besides the Scenario. Build it with ``load_inputs``."""

    tables: dict[str, pd.DataFrame]
    baselines: dict[str, float]
    referral_season: np.ndarray  # 12 calendar-month factors, January first, mean 1
    completion_season: np.ndarray
    last_month: pd.Period  # latest month of RTT data
    cache_status: str

    @property
    def base_funding_bn(self) -> float:
        return self.baselines["base_funding_bn"]

    @property
    def icbs(self) -> pd.DataFrame:
        return self.tables["icbs"]


def inputs_from_tables(tables: dict[str, pd.DataFrame], cache_status: str = "given") -> Inputs:
    """Assemble Inputs from cached tables (raw and fitted)."""
    baselines = dict(zip(tables["baselines"]["name"], tables["baselines"]["value"], strict=True))
    profiles = tables["seasonal_profiles"].sort_values("month_of_year")
    rtt = tables["rtt_monthly"].dropna(subset=["incomplete_pathways"])
    return Inputs(
        tables=tables,
        baselines={k: float(v) for k, v in baselines.items()},
        referral_season=profiles.query("series == 'clock_starts'")["factor"].to_numpy(),
        completion_season=profiles.query("series == 'completions'")["factor"].to_numpy(),
        last_month=pd.Period(rtt["month"].iloc[-1], freq="M"),
        cache_status=cache_status,
    )


def load_inputs(raw_dir: Path = RAW_DIR, cache_dir: Path = CACHE_DIR) -> Inputs:
    """Read the Arrow cache (rebuilding it if missing or stale) into model Inputs.

    Raises:
        ics_model.data.DataError: a sourced table or cache file is malformed or corrupt.
    """
    tables, status = load_tables(raw_dir, cache_dir)
    frames = {name: table.to_pandas() for name, table in tables.items()}
    return inputs_from_tables(frames, status)
