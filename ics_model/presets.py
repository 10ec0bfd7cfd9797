"""Named scenarios. Data-derived presets read their values from the fitted baselines."""

from __future__ import annotations

from dataclasses import replace

from ics_model.inputs import Inputs
from ics_model.scenario import Scenario

BASELINE_NAME = "Current plans"

DESCRIPTIONS = {
    "Current plans": "NHS England's planned real budget growth 2025/26-2028/29 (Autumn Budget 2025), continued",
    "Long Term Plan 2018": "The 2018 settlement: 3.4% a year in real terms",
    "IFS/Health Foundation 'improve'": "About 4% a year, the growth economists said was needed to improve services (2018)",
    "2010s squeeze": "Mean real growth of England health spending 2010/11-2018/19",
    "Long-run average": "Mean real growth of England health spending 1979/80-2019/20",
    "Hewitt": "Current plans with no more than 10 national targets and earned autonomy for 60% of the population",
}


def _rate(value: float) -> float:
    """Round to the sliders' 0.1-point step so a preset sits exactly on a slider position."""
    return round(value, 3)


def presets(inputs: Inputs) -> dict[str, Scenario]:
    """Every named scenario, in display order."""
    b = inputs.baselines
    current = Scenario(funding_uplift=_rate(b["current_plans_growth"]))
    return {
        "Current plans": current,
        "Long Term Plan 2018": replace(current, funding_uplift=0.034),
        "IFS/Health Foundation 'improve'": replace(current, funding_uplift=0.04),
        "2010s squeeze": replace(current, funding_uplift=_rate(b["growth_2010s"])),
        "Long-run average": replace(current, funding_uplift=_rate(b["long_run_growth"])),
        # The autonomy share is an illustrative policy choice ("wide earned autonomy").
        "Hewitt": replace(current, national_targets=10, autonomy_share=0.6),
    }


def baseline(inputs: Inputs) -> Scenario:
    """The scenario every other is compared against: current plans."""
    return presets(inputs)[BASELINE_NAME]
