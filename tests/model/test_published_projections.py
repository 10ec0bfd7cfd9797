"""Published projections reproduced by the model's own functions (figures from each source)."""

from __future__ import annotations

import pytest

from ics_model import Inputs, project
from ics_model.published import published_projections, scenario_with_pressure


def test_pressure_is_set_to_the_published_rate(inputs: Inputs) -> None:
    s = scenario_with_pressure(0.04, uplift=0.033, years=15)
    assert project(s, inputs).headline.breakeven_uplift == pytest.approx(0.04, abs=1e-9)


def test_published_figures(inputs: Inputs) -> None:
    got = {p.name: p.reproduced for p in published_projections(inputs)}
    # IFS/Health Foundation (2018): at 3.3% pressure the break-even uplift is 3.3%.
    assert got["IFS/Health Foundation 2018: maintain"] == pytest.approx(3.3, abs=1e-6)
    # 1.04^15 - 1.033^15 = 1.800944 - 1.627405 = 0.173539: 17.35% of the base budget.
    assert got["IFS/Health Foundation 2018: improve"] == pytest.approx(17.35, abs=0.005)
    # 1.04^5 - 1.034^5 = 1.216653 - 1.181960 = 0.034693: 3.47%.
    assert got["2018 settlement"] == pytest.approx(3.47, abs=0.005)
    # 1.045^5 - 1.008^5 = 1.246182 - 1.040645 = 0.205537: 20.55%.
    assert got["Health Foundation 2024"] == pytest.approx(20.55, abs=0.005)
    # 195.6 x 1.03^3 = 195.6 x 1.092727 = 213.737: about £213.7bn in 2028/29.
    assert got["Spending Review 2025"] == pytest.approx(213.7, abs=0.05)


def test_reproductions_match_what_each_source_published(inputs: Inputs) -> None:
    for p in published_projections(inputs):
        tolerance = 0.05 if p.unit.startswith("£bn") else 0.005
        assert p.reproduced == pytest.approx(p.published, abs=tolerance), p.name
        assert p.source
