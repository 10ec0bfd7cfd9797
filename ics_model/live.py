"""The closed-form funding, pressure and gap equations as Vega expressions, for in-browser charts.

One place turns the model's equations (DESIGN section 4) into expression strings, so a chart
can recompute them while a slider is dragged without a server round trip. Everything except
the two dragged levers (funding uplift and demand growth, named Vega parameters in percent) is
fixed at the scenario's values, through the same functions ``project`` uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from ics_model.inputs import Inputs
from ics_model.projection import targets_dividend
from ics_model.scenario import Scenario


@dataclass(frozen=True)
class LiveExpressions:
    """Vega expressions over ``datum.t`` (years from 2025/26) and two percent parameters."""

    funding_bn: str
    pressure_bn: str
    gap_bn: str
    growth: str  # pressure growth g, a fraction


def live_expressions(
    scenario: Scenario, inputs: Inputs, *, uplift_param: str, demand_param: str, t: str = "datum.t"
) -> LiveExpressions:
    """Funding ``F0 (1 + u)^t``, pressure ``F0 (1 + g)^t`` with ``g = (1 + d)(1 + c)/(1 + p + tau) - 1``.

    Args:
        scenario: fixes unit cost growth c, productivity p and the targets dividend tau.
        inputs: gives the base-year budget F0.
        uplift_param: name of the Vega parameter holding u in percent.
        demand_param: name of the Vega parameter holding d in percent.
        t: expression for the year index.

    Returns:
        The expressions; ``gap_bn`` refers to the fields ``funding_bn`` and ``pressure_bn``.
    """
    s = scenario
    f0 = float(inputs.base_funding_bn)
    tau = float(targets_dividend(s.national_targets, s.autonomy_share, s.autonomy_dividend))
    # (1 + c) / (1 + p_eff): the part of pressure growth the dragged levers do not move.
    cost_over_productivity = (1 + s.unit_cost_growth) / (1 + s.productivity_growth + tau)
    growth = f"((1 + {demand_param} / 100) * {cost_over_productivity!r} - 1)"
    return LiveExpressions(
        funding_bn=f"{f0!r} * pow(1 + {uplift_param} / 100, {t})",
        pressure_bn=f"{f0!r} * pow(1 + {growth}, {t})",
        gap_bn="datum.pressure_bn - datum.funding_bn",
        growth=growth,
    )
