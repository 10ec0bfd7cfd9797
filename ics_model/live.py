"""The closed-form funding, pressure and gap equations as Vega expressions, for in-browser charts.

One place turns the model's equations (DESIGN section 4) into expression strings, so a chart
can recompute them while a slider is dragged without a server round trip. Everything except
the two dragged levers (funding uplift and demand growth, named Vega parameters in percent) is
fixed at the scenario's values (``live_constants``), through the same functions ``project``
uses, and travels in the chart's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ics_model.inputs import Inputs
from ics_model.projection import targets_dividend
from ics_model.scenario import Scenario


@dataclass(frozen=True)
class LiveExpressions:
    """Vega expressions over ``datum.t`` (years from 2025/26), two percent parameters and two
    scenario constants read from the data (so the spec is the same for every scenario)."""

    funding_bn: str
    pressure_bn: str
    gap_bn: str
    growth: str  # pressure growth g, a fraction


@dataclass(frozen=True)
class LiveConstants:
    """What the dragged levers do not move: the base-year budget F0 (£bn) and (1 + c)/(1 + p + tau)."""

    f0: float
    cost_ratio: float


def live_constants(scenario: Scenario, inputs: Inputs) -> LiveConstants:
    """The scenario's fixed part of the live equations: unit cost growth c, productivity p and the
    targets dividend tau, through the same functions ``project`` uses, and the budget F0."""
    s = scenario
    tau = float(targets_dividend(s.national_targets, s.autonomy_share, s.autonomy_dividend))
    return LiveConstants(
        f0=float(inputs.base_funding_bn),
        cost_ratio=(1 + s.unit_cost_growth) / (1 + s.productivity_growth + tau),
    )


def live_expressions(
    *,
    uplift_param: str,
    demand_param: str,
    t: str = "datum.t",
    f0: str = "datum.f0",
    cost_ratio: str = "datum.cost_ratio",
) -> LiveExpressions:
    """Funding ``F0 (1 + u)^t``, pressure ``F0 (1 + g)^t`` with ``g = (1 + d)(1 + c)/(1 + p + tau) - 1``.

    Args:
        uplift_param: name of the Vega parameter holding u in percent.
        demand_param: name of the Vega parameter holding d in percent.
        t: expression for the year index.
        f0: expression for the base-year budget (``LiveConstants.f0``).
        cost_ratio: expression for ``(1 + c)/(1 + p + tau)`` (``LiveConstants.cost_ratio``).

    Returns:
        The expressions; ``gap_bn`` refers to the fields ``funding_bn`` and ``pressure_bn``.
    """
    growth = f"((1 + {demand_param} / 100) * {cost_ratio} - 1)"
    return LiveExpressions(
        funding_bn=f"{f0} * pow(1 + {uplift_param} / 100, {t})",
        pressure_bn=f"{f0} * pow(1 + {growth}, {t})",
        gap_bn="datum.pressure_bn - datum.funding_bn",
        growth=growth,
    )
