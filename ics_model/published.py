"""Published projections reproduced with the model's own functions.

Each row states what a named publication found and what ``project`` or ``goal_seek`` gives
for the same inputs, so a user can open the scenario and see the figure reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ics_model.inputs import Inputs
from ics_model.projection import goal_seek, project
from ics_model.scenario import Scenario

IFS_2018 = (
    "IFS and Health Foundation, 'Securing the future: funding health and social care to the 2030s' "
    "(May 2018): 3.3% a year to maintain services, about 4% a year to improve them, over 15 years"
)
SETTLEMENT_2018 = (
    "The 2018 settlement for NHS England (3.4% a year real, 2019/20-2023/24; NHS Long Term Plan, 2019) "
    "against the 'minimum of 4 per cent' economists said was needed (Health Foundation, 17 June 2018)"
)
HF_2024 = (
    "Health Foundation REAL Centre (June 2024): 4.5% a year over the next five years to recover and "
    "improve, against health budget growth in line with planned public spending (0.8% a year)"
)
SR_2025 = (
    "Spending Review 2025 and Autumn Budget 2025: NHS England's planned budget, 3.0% a year real growth "
    "from £195.6bn in 2025/26 to about £213.7bn in 2028/29 (2025/26 prices; budgets.csv)"
)


@dataclass(frozen=True)
class Published:
    """One published projection and the model's reproduction of it."""

    name: str
    claim: str
    published: float
    reproduced: float
    unit: str
    scenario: Scenario
    source: str


def scenario_with_pressure(pressure_growth: float, *, uplift: float, years: int) -> Scenario:
    """A Scenario whose pressure grows at ``pressure_growth``: demand growth solved from
    g = (1 + d)(1 + c) / (1 + p) - 1 at the default unit cost and productivity growth."""
    default = Scenario()
    demand = (1 + pressure_growth) * (1 + default.productivity_growth) / (1 + default.unit_cost_growth) - 1
    return default.with_changes(funding_uplift=uplift, demand_growth=round(demand, 9), horizon_years=years)


def gap_share_of_base(scenario: Scenario, inputs: Inputs) -> float:
    """The gap at the horizon as a percentage of the base-year budget."""
    return project(scenario, inputs).headline.gap_bn_at_horizon / inputs.base_funding_bn * 100


def published_projections(inputs: Inputs) -> list[Published]:
    """Every published projection with the model's reproduction."""
    maintain = scenario_with_pressure(0.033, uplift=0.033, years=15)
    breakeven = goal_seek("funding_uplift", maintain, inputs)
    improve = scenario_with_pressure(0.04, uplift=0.033, years=15)
    settlement = scenario_with_pressure(0.04, uplift=0.034, years=5)
    hf_2024 = scenario_with_pressure(0.045, uplift=0.008, years=5)
    plans = Scenario(funding_uplift=0.03, horizon_years=3)
    plans_funding = float(project(plans, inputs).gap["funding_bn"].iloc[-1])
    return [
        Published(
            "IFS/Health Foundation 2018: maintain",
            "3.3% a year holds the gap at zero when pressure grows 3.3% a year",
            3.3,
            (breakeven.value or 0.0) * 100,
            "% a year (break-even uplift)",
            maintain,
            IFS_2018,
        ),
        Published(
            "IFS/Health Foundation 2018: improve",
            "4.0% pressure against a 3.3% uplift for 15 years leaves a gap of 17.35% of the base budget",
            17.35,
            gap_share_of_base(improve, inputs),
            "% of base budget",
            improve,
            IFS_2018,
        ),
        Published(
            "2018 settlement",
            "3.4% a year against 4.0% needed, over five years, leaves 3.47% of the base budget",
            3.47,
            gap_share_of_base(settlement, inputs),
            "% of base budget",
            settlement,
            SETTLEMENT_2018,
        ),
        Published(
            "Health Foundation 2024",
            "4.5% pressure against a 0.8% uplift for five years leaves 20.55% of the base budget",
            20.55,
            gap_share_of_base(hf_2024, inputs),
            "% of base budget",
            hf_2024,
            HF_2024,
        ),
        Published(
            "Spending Review 2025",
            "3.0% a year takes NHS England's budget to about £213.7bn in 2028/29 (2025/26 prices)",
            213.7,
            plans_funding,
            "£bn in 2028/29",
            plans,
            SR_2025,
        ),
    ]


def published_table(inputs: Inputs) -> pd.DataFrame:
    """The published projections as a tidy table (one row each)."""
    return pd.DataFrame(
        [
            {
                "projection": p.name,
                "claim": p.claim,
                "published": p.published,
                "reproduced": p.reproduced,
                "unit": p.unit,
                "source": p.source,
            }
            for p in published_projections(inputs)
        ]
    )
