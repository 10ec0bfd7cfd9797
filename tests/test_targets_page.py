"""The Targets page's list of today's national targets: switching measures off moves the count."""

from __future__ import annotations

from components.national_targets import areas_without_target, current_measures
from ics_model import Inputs
from tests.test_app import scenario_of, start


def test_areas_without_target_by_hand(inputs: Inputs) -> None:
    measures = current_measures(inputs.tables["national_targets"])
    assert areas_without_target(measures, range(1, 19)) == []
    # Measures 8 and 9 are the whole of "Improve access to general practice and urgent dental care".
    assert areas_without_target(measures, [n for n in range(1, 19) if n not in (8, 9)]) == [
        "Improve access to general practice and urgent dental care"
    ]
    assert len(areas_without_target(measures, [])) == 7


def test_switching_measures_off_sets_the_count() -> None:
    at = start("targets")
    assert scenario_of(at).national_targets == 18
    assert not at.warning
    at.checkbox(key="measure_8").uncheck().run()
    assert scenario_of(at).national_targets == 17
    at.checkbox(key="measure_9").uncheck().run()
    assert not at.exception
    assert scenario_of(at).national_targets == 16
    warnings = [w.value for w in at.warning]
    assert any("general practice and urgent dental care" in w for w in warnings), warnings
    assert at.slider(key="national_targets").value == 16


def test_a_lever_move_redraws_the_status_but_not_the_switches() -> None:
    at = start("targets")
    at.checkbox(key="measure_8").uncheck().run()  # the count follows: 17
    at.sidebar.slider(key="national_targets").set_value(10).run()
    assert not at.exception
    assert not at.checkbox  # the 18 switches are not sent again...
    captions = [c.value for c in at.caption]
    # ...but the status beside them follows the scenario, and still counts the switch left off.
    assert any("The sidebar is set to 10 targets" in c for c in captions), captions
    assert any(m.value == "17 of 18" for m in at.metric)


def test_evidence_opens_a_published_projection() -> None:
    at = start("evidence")
    at.button(key="open_published_1").click().run()
    assert not at.exception
    s = scenario_of(at)
    assert (s.funding_uplift, s.horizon_years) == (0.033, 15)
