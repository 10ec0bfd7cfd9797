"""The Your system page and the 42 systems page, driven by AppTest: the ?system= link, the
picker, the values on the cards, bad links, and the map/table opening a system."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.system_select import SYSTEM_KEY, money
from ics_model import Inputs, baseline, project

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 60


def open_page(page: str, query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_link_opens_the_system_with_its_own_figures(inputs: Inputs) -> None:
    at = open_page("your_system", {"system": "QOQ"})
    assert at.session_state[SYSTEM_KEY] == "QOQ"
    assert not at.warning
    row = project(baseline(inputs), inputs).systems.set_index("icb_code").loc["QOQ"]
    # NHS England 2025/26 allocations, all streams: £4,876.752m for Humber and North Yorkshire.
    assert card(at, "Allocation 2025/26") == "£4,877m"
    assert card(at, "Gap in") == f"£{row['gap_m_at_horizon']:,.0f}m"
    assert card(at, "Waiting list, Apr 2026") == f"{row['waiting_list_latest']:,.0f}"
    assert len(at.get("vega_lite_chart")) == 4
    # Against Current plans once: the baseline itself is "the same".
    gap_card = next(m for m in at.metric if m.label.startswith("Gap in"))
    assert gap_card.proto.delta == "Same as Current plans"
    # The system stays in the address bar next to the scenario.
    assert at.query_params["system"] == "QOQ"


def test_system_is_kept_across_pages_and_levers() -> None:
    at = open_page("your_system", {"system": "qf7"})  # case-insensitive
    assert at.session_state[SYSTEM_KEY] == "QF7"
    at.sidebar.slider(key="funding_uplift").set_value(4.0).run()
    gap_delta = next(m for m in at.metric if m.label.startswith("Gap in")).proto.delta
    assert gap_delta.startswith("-£"), gap_delta
    assert gap_delta.count("vs Current plans") == 1, gap_delta
    at.switch_page("pages/overview.py").run()
    assert at.query_params["system"] == "QF7"
    assert at.query_params["funding_uplift"] == "4"
    at.switch_page("pages/your_system.py").run()
    assert at.selectbox(key="system_pick").value == "QF7"
    # South Yorkshire: Sheffield Teaching Hospitals not reporting from July 2025.
    assert any(m.label.startswith("Waiting list, Jun 2025") for m in at.metric)


@pytest.mark.parametrize(
    "bad", ["XYZ", "", "<script>alert(1)</script>", "../../etc/passwd", "9" * 5000, "Q\x00Q", ["QOQ", "QF7"]]
)
def test_bad_system_in_a_link_gives_one_warning_and_the_national_view(bad: str | list[str]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["system"] = bad
    at.run()  # the first page of the session reads the link
    assert not at.exception
    assert len(at.warning) == 1
    assert "system code was not recognised" in at.warning[0].value
    assert SYSTEM_KEY not in at.session_state
    at.switch_page("pages/your_system.py").run()
    assert "England as a whole" in at.info[0].value
    assert "system" not in at.query_params


def test_pick_by_new_name_and_reorganisation_note() -> None:
    at = open_page("your_system")
    picker = at.selectbox(key="system_pick")
    label = next(o for o in picker.options if "Central East" in o and "(QM7)" in o)
    assert "Hertfordshire and West Essex" in label  # old and new names in one searchable label
    picker.set_value("QM7").run()
    assert at.session_state[SYSTEM_KEY] == "QM7"
    assert any("was split" in i.value for i in at.info)
    for measure in ["gap_pct_of_allocation", "distance_from_target_pct", "local_demand_growth_pct"]:
        at.segmented_control(key="your_system_measure").set_value(measure).run()
        assert not at.exception


def test_systems_page_own_view_and_fair_share_option() -> None:
    at = open_page("systems")
    assert len(at.get("vega_lite_chart")) == 1  # the map
    assert any("not in public files" in c.value for c in at.caption)
    for measure in ["gap_pct_of_allocation", "waiting_list_per_1000"]:
        at.segmented_control(key="systems_map_measure").set_value(measure).run()
        assert not at.exception
    at.segmented_control(key="systems_view").set_value("Formula fair share").run()
    assert any("Formula-based fair share" in c.value for c in at.caption)


def test_money_puts_the_sign_first() -> None:
    assert money(-68.4, "m") == "-£68m"
    assert money(149.3, "m") == "£149m"
    assert money(-81.0) == "-£81"
