"""The Streamlit app driven by AppTest: every page, the levers, presets, URL sync and bad input.

Widgets are driven by key (the keys equal the Scenario field names). Values are checked, not
just "it ran": the headline moves the right way, the URL restores a scenario exactly, and
hostile query strings give the defaults plus one warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import components.cache
from components.controls import SCENARIO_KEY, SHARE_KEY, SPECS, page_first, to_widget
from ics_model import DataError, Inputs, Scenario, baseline, load_inputs, presets, project, scenario_to_query
from ics_model.version import stamp

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = [
    "overview",
    "funding_gap",
    "trade_offs",
    "waiting_list",
    "targets",
    "systems",
    "your_system",
    "compare",
    "evidence",
    "track_record",
    "assumptions",
]
CHARTS = {
    "overview": 2,
    "funding_gap": 3,
    "trade_offs": 2,
    "waiting_list": 3,
    "targets": 3,
    "systems": 1,
    "compare": 1,
    "evidence": 3,
    "track_record": 2,
}
TIMEOUT = 30
V = stamp(load_inputs())  # the version stamp links and the address bar carry


def with_v(query: dict[str, str]) -> dict[str, str]:
    return {**query, "v": V}


def start(page: str = "overview", query: dict[str, str | list[str]] | None = None) -> AppTest:
    """An app that has run once on the Overview (the default page), then once on ``page``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def scenario_of(at: AppTest) -> Scenario:
    scenario: Scenario = at.session_state[SCENARIO_KEY]
    return scenario


def charts_on(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def money(text: str) -> float:
    """'£8.1bn' or '-£2.5bn' to a float in £bn."""
    match = re.fullmatch(r"(-?)£([\d,.]+)bn", text)
    assert match, text
    return float(match.group(2).replace(",", "")) * (-1 if match.group(1) else 1)


def metric_value(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def gap_at_horizon(at: AppTest) -> float:
    return money(metric_value(at, "Gap in "))


def set_sliders(at: AppTest, values: dict[str, float]) -> AppTest:
    """Move sidebar sliders, then run the whole script again: a lever move reruns only the
    scenario views (test_a_lever_move_redraws_only_the_scenario_views), and AppTest's tree then
    holds only what that run drew."""
    for key, value in values.items():
        at.sidebar.slider(key=key).set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at.run()


@pytest.fixture(scope="module")
def base(inputs: Inputs) -> Scenario:
    return baseline(inputs)


# --- every page ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_at_default(page: str, base: Scenario) -> None:
    at = start(page)
    assert scenario_of(at) == base
    assert at.title, "every page has a title"
    assert charts_on(at) == CHARTS.get(page, 0)
    assert not at.warning  # no URL problems, no goal-seek failure at the baseline
    # The sidebar is on every page, its sliders showing the scenario.
    for spec in SPECS.values():
        assert at.sidebar.slider(key=spec.name).value == to_widget(spec, getattr(base, spec.name))


@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_sliders_at_extremes(page: str, end: str) -> None:
    at = start(page)
    values = {name: to_widget(spec, spec.low if end == "low" else spec.high) for name, spec in SPECS.items()}
    set_sliders(at, values)
    assert not at.exception, [e.value for e in at.exception]
    expected = Scenario(**{name: getattr(spec, end) for name, spec in SPECS.items()})
    assert scenario_of(at) == expected
    assert charts_on(at) == CHARTS.get(page, 0)


# --- levers move the headline the right way --------------------------------------------------


def test_more_funding_means_a_smaller_gap() -> None:
    at = start()
    before = gap_at_horizon(at)
    set_sliders(at, {"funding_uplift": 4.0})
    after = gap_at_horizon(at)
    # Hand check: 195.6 x (1.033125^10 - 1.04^10) = 270.96 - 289.54 = -£18.6bn.
    assert after == pytest.approx(-18.6, abs=0.1)
    assert after < before


def test_more_demand_means_a_larger_gap(inputs: Inputs, base: Scenario) -> None:
    at = start()
    before = gap_at_horizon(at)
    set_sliders(at, {"demand_growth": 2.5})
    after = gap_at_horizon(at)
    assert after > before
    expected = project(replace(base, demand_growth=0.025), inputs).headline.gap_bn_at_horizon
    assert after == pytest.approx(expected, abs=0.05)


def test_fewer_targets_with_autonomy_means_a_smaller_gap() -> None:
    at = start()
    set_sliders(at, {"autonomy_share": 60.0})
    with_18 = gap_at_horizon(at)
    set_sliders(at, {"national_targets": 5})
    with_5 = gap_at_horizon(at)
    assert with_5 < with_18


def test_targets_do_nothing_without_autonomy() -> None:
    at = start()
    before = gap_at_horizon(at)
    set_sliders(at, {"national_targets": 5})
    assert gap_at_horizon(at) == before


def test_waiting_list_page_follows_funding() -> None:
    at = start("waiting_list")
    # Three years on, before the list reaches its floor (the lowest on record) in either scenario.
    set_sliders(at, {"horizon_years": 3})
    before = metric_value(at, "Projected")
    set_sliders(at, {"funding_uplift": 5.0})
    after = metric_value(at, "Projected")
    assert float(after.split()[0]) < float(before.split()[0])


# --- presets, reset ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Long Term Plan 2018", "IFS/Health Foundation 'improve'", "2010s squeeze", "Hewitt"]
)
def test_preset_picker_sets_the_scenario(name: str, inputs: Inputs) -> None:
    at = start()
    at.sidebar.selectbox(key="preset").set_value(name).run()
    assert scenario_of(at) == presets(inputs)[name]
    assert at.sidebar.selectbox(key="preset").value == name
    # The sliders follow the preset.
    expected = presets(inputs)[name]
    assert at.sidebar.slider(key="funding_uplift").value == pytest.approx(expected.funding_uplift * 100)
    assert at.sidebar.slider(key="national_targets").value == expected.national_targets


def test_preset_buttons_and_reset(inputs: Inputs, base: Scenario) -> None:
    at = start()
    named = presets(inputs)
    for i, name in enumerate(named):
        at.button(key=f"preset_button_{i}").click().run()
        assert scenario_of(at) == named[name]
    set_sliders(at, {"funding_uplift": 5.5, "horizon_years": 15})
    assert scenario_of(at) != base
    assert at.sidebar.selectbox(key="preset").value == "Custom scenario"
    reset = next(b for b in at.sidebar.button if b.label.startswith("Reset"))
    reset.click().run()
    assert scenario_of(at) == base
    assert at.query_params == {}


# --- URL ---------------------------------------------------------------------------------------


def test_url_round_trip_restores_a_scenario_exactly(base: Scenario) -> None:
    wanted = Scenario(
        funding_uplift=0.042,
        national_targets=12,
        autonomy_share=0.35,
        demand_growth=0.021,
        unit_cost_growth=0.017,
        productivity_growth=0.013,
        autonomy_dividend=0.009,
        horizon_years=7,
    )
    query = scenario_to_query(wanted, base)
    assert len(query) == 8
    at = start(query=dict(query))
    assert scenario_of(at) == wanted
    assert not at.warning
    assert at.sidebar.slider(key="autonomy_share").value == 35.0
    assert at.query_params == with_v(query)  # mirrored back, with the version stamp
    # ... and on another page too.
    at = start("trade_offs", query=dict(query))
    assert scenario_of(at) == wanted


def test_slider_moves_are_mirrored_into_the_url() -> None:
    at = start()
    set_sliders(at, {"funding_uplift": 4.5, "national_targets": 10})
    assert at.query_params == with_v({"funding_uplift": "4.5", "national_targets": "10"})
    set_sliders(at, {"funding_uplift": 3.0, "national_targets": 18})  # back to the baseline
    assert at.query_params == {}


def test_a_lever_move_redraws_only_the_scenario_views(inputs: Inputs, base: Scenario) -> None:
    at = start()
    at.sidebar.slider(key="funding_uplift").set_value(4.5).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.sidebar.slider  # the sliders and the page menu are not sent again
    # ...but everything that shows the scenario is: the page, the preset, undo, reset, the link.
    expected = project(replace(base, funding_uplift=0.045), inputs).headline.gap_bn_at_horizon
    assert gap_at_horizon(at) == pytest.approx(expected, abs=0.05)
    assert at.sidebar.selectbox(key="preset").value == "Custom scenario"
    assert not at.sidebar.button(key="undo").disabled
    assert at.query_params == with_v({"funding_uplift": "4.5"})
    assert not at.sidebar.code  # the link is drawn only while its box is open
    at.session_state[SHARE_KEY] = True  # what a click on "Share this scenario" does
    at.run()
    assert any("funding_uplift=4.5" in c.value for c in at.sidebar.code)
    # Undo changes the scenario from a button: the whole app reruns, so the slider follows.
    at.sidebar.button(key="undo").click().run()
    assert scenario_of(at) == base
    assert at.sidebar.slider(key="funding_uplift").value == pytest.approx(base.funding_uplift * 100)


def test_a_lever_move_reruns_the_page_before_the_sidebar_views() -> None:
    """The page's figures reach the browser first; the other views keep their order."""
    views = ["story_bar", "preset_box", "scenario_tools", "page", "targets_status"]
    assert page_first(views) == ["page", "story_bar", "preset_box", "scenario_tools", "targets_status"]


def test_share_link_carries_the_scenario() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context["url"] = "http://example.org/"
    at.query_params["funding_uplift"] = "4.2"
    at.session_state[SHARE_KEY] = True  # the box is open
    at.run()
    links = [c.value for c in at.sidebar.code]
    assert any(
        link.startswith("http://example.org") and link.endswith(f"?funding_uplift=4.2&v={V}")
        for link in links
    ), links


def test_switching_pages_keeps_the_scenario(inputs: Inputs) -> None:
    at = start()
    set_sliders(at, {"funding_uplift": 4.4, "autonomy_share": 40.0})
    chosen = scenario_of(at)
    for page in PAGES[1:]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert scenario_of(at) == chosen
        assert at.sidebar.slider(key="funding_uplift").value == 4.4
    # A lever moved on another page is kept on the way back.
    set_sliders(at, {"demand_growth": 2.0})
    at.switch_page("pages/overview.py").run()
    assert scenario_of(at) == replace(chosen, demand_growth=0.02)
    expected = project(scenario_of(at), inputs).headline.gap_bn_at_horizon
    assert gap_at_horizon(at) == pytest.approx(expected, abs=0.05)


HOSTILE = [
    "abc",
    "",
    "-1e309",
    "1e309",
    "nan",
    "inf",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "9" * 5000,
    "50&funding_uplift=60",
    "\x00",
    "٣",
    "3.4\x00",
    "-0.5",
    "7",
    "1e1",
]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v)[:20])
def test_hostile_query_gives_defaults_and_one_warning(value: str, base: Scenario) -> None:
    at = start(query={"funding_uplift": value})
    assert scenario_of(at) == base
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "Funding uplift" in text
    for echoed in ("<script>", "passwd", "99999", "\x00", "٣"):
        assert echoed not in text  # the raw input is never echoed back
    assert "funding_uplift" not in at.query_params  # the bad value is dropped from the URL


def test_repeated_keys_are_ignored_with_one_warning(base: Scenario) -> None:
    at = start(query={"funding_uplift": ["4.0", "5.0"], "national_targets": "12"})
    assert scenario_of(at) == replace(base, national_targets=12)  # the good key still applies
    assert len(at.warning) == 1
    assert "more than once" in at.warning[0].value


def test_several_bad_values_give_a_single_warning(base: Scenario) -> None:
    at = start(
        query={"funding_uplift": "abc", "horizon_years": "99", "demand_growth": "2.2", "junk": "<b>x</b>"}
    )
    assert scenario_of(at) == replace(base, demand_growth=0.022)
    assert len(at.warning) == 1
    assert "Funding uplift" in at.warning[0].value
    assert "Horizon" in at.warning[0].value
    # The warning is shown once, not on every rerun.
    set_sliders(at, {"funding_uplift": 4.0})
    assert not at.warning


# --- presenter view ------------------------------------------------------------------------


def test_presenter_view_hides_notes_and_tables_and_persists_in_url() -> None:
    at = start("funding_gap")
    assert at.dataframe
    notes = [c for c in at.main.caption if c.value.startswith("**How to read this.**")]
    assert notes
    at.sidebar.toggle(key="presenter").set_value(True).run()
    assert not at.dataframe
    assert not [c for c in at.main.caption if c.value.startswith("**How to read this.**")]
    assert at.query_params.get("presenter") == "1"
    # Opening a presenter link starts in presenter view.
    at = start("funding_gap", query={"presenter": "1"})
    assert at.sidebar.toggle(key="presenter").value is True
    assert not at.dataframe


# --- page features -------------------------------------------------------------------------


def test_goal_seek_apply_closes_the_gap(inputs: Inputs) -> None:
    at = start("trade_offs")
    assert at.selectbox(key="gs_lever").value == "funding_uplift"
    at.button(key="gs_apply").click().run()
    chosen = scenario_of(at)
    assert chosen.funding_uplift == pytest.approx(project(chosen, inputs).growth, abs=1e-6)
    assert abs(project(chosen, inputs).headline.gap_bn_at_horizon) < 0.01
    # The applied value survives the URL round trip.
    again = start(query=dict(at.query_params))
    assert scenario_of(again) == chosen


def test_goal_seek_unreachable_warns(base: Scenario) -> None:
    at = start("trade_offs")
    at.selectbox(key="gs_lever").set_value("national_targets").run()
    assert at.warning  # targets alone cannot close the gap with no autonomy
    assert "gs_apply" not in [b.key for b in at.button]
    assert scenario_of(at) == base


def test_compare_snapshots(base: Scenario) -> None:
    at = start("compare")
    set_sliders(at, {"funding_uplift": 4.0})
    at.text_input(key="snapshot_name").input("Four <b>per</b> cent")
    at.button(key="snapshot_save").click().run()
    set_sliders(at, {"funding_uplift": 2.0})
    at.button(key="snapshot_save").click().run()
    saved = at.session_state["snapshots"]
    assert list(saved) == ["Four bper/b cent", "Snapshot"]
    assert saved["Four bper/b cent"] == replace(base, funding_uplift=0.04)
    summary, *texts = [t.value for t in at.main.text]
    assert texts == list(saved) * 2  # names shown as plain text: the snapshots, then the story builder
    assert "Four bper/b cent -£" in summary  # and in the chart's summary for screen readers
    links = [c.value for c in at.main.code]
    assert any(link.endswith(f"?funding_uplift=4&v={V}") for link in links)
    at.button(key="snap_open_0").click().run()
    assert scenario_of(at) == replace(base, funding_uplift=0.04)
    at.button(key="snap_remove_0").click().run()
    assert list(at.session_state["snapshots"]) == ["Snapshot"]


def test_systems_pick_one(inputs: Inputs) -> None:
    at = start("systems")
    at.segmented_control(key="systems_view").set_value("Formula fair share").run()
    at.selectbox(key="systems_pick").set_value("South Yorkshire").run()
    share = metric_value(at, "Fair share")
    icbs = inputs.tables["icbs"]
    row = icbs[icbs["icb_name"] == "NHS South Yorkshire ICB"].iloc[0]
    assert share == f"{row['need_weighted_population'] / icbs['need_weighted_population'].sum() * 100:.2f}%"
    for measure in ["funding_per_patient", "gap_horizon_m"]:
        at.segmented_control(key="systems_measure").set_value(measure).run()
        assert not at.exception


def test_tornado_full_range() -> None:
    at = start("trade_offs")
    at.segmented_control(key="tornado_mode").set_value("Its whole range").run()
    assert not at.exception
    assert charts_on(at) == 2


# --- data errors ---------------------------------------------------------------------------


@pytest.fixture
def broken_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """load_inputs raises DataError until the (stubbed) rebuild runs; caches are reset around it."""
    real = components.cache.load_inputs
    state = {"fixed": 0, "builds": 0}

    def load() -> Inputs:
        if not state["fixed"]:
            raise DataError("data/cache/rtt_monthly.parquet: the cached file is corrupt (test)")
        return real()

    def build() -> None:
        state["builds"] += 1
        state["fixed"] = 1

    monkeypatch.setattr(components.cache, "load_inputs", load)
    monkeypatch.setattr(components.cache, "build_cache", build)
    components.cache.published_inputs.clear()
    yield state
    components.cache.published_inputs.clear()


@pytest.mark.parametrize("page", ["overview", "funding_gap", "assumptions"])
def test_data_error_gives_a_message_and_a_rebuild_button(page: str, broken_data: dict[str, int]) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    assert at.error
    assert "could not be loaded" in at.error[0].value
    assert any("corrupt (test)" in c.value for c in at.code)
    rebuild = next(b for b in at.button if b.label == "Rebuild data")
    rebuild.click().run()
    assert broken_data["builds"] == 1
    assert not at.exception
    assert not at.error
    assert at.title


# --- undo and redo ---------------------------------------------------------------------------


def test_undo_redo_three_changes(inputs: Inputs, base: Scenario) -> None:
    start_at = replace(base, funding_uplift=0.035)
    at = start(query={"funding_uplift": "3.5"})  # the link's scenario is the start, not a step
    undo_button, redo_button = at.sidebar.button(key="undo"), at.sidebar.button(key="redo")
    assert undo_button.disabled
    assert redo_button.disabled
    hewitt = presets(inputs)["Hewitt"]

    set_sliders(at, {"funding_uplift": 4.5})  # 1: a slider
    at.sidebar.selectbox(key="preset").set_value("Hewitt").run()  # 2: a preset
    next(b for b in at.sidebar.button if b.label.startswith("Reset")).click().run()  # 3: reset
    assert scenario_of(at) == base
    assert at.query_params == {}
    assert not at.sidebar.button(key="undo").disabled
    assert at.sidebar.button(key="redo").disabled

    at.sidebar.button(key="undo").click().run()
    assert scenario_of(at) == hewitt
    assert at.query_params == with_v({"national_targets": "10", "autonomy_share": "60"})
    at.sidebar.button(key="undo").click().run()
    assert scenario_of(at) == replace(base, funding_uplift=0.045)
    assert at.query_params == with_v({"funding_uplift": "4.5"})
    assert at.sidebar.slider(key="funding_uplift").value == 4.5
    assert not at.sidebar.button(key="redo").disabled

    at.sidebar.button(key="redo").click().run()
    assert scenario_of(at) == hewitt
    assert at.query_params == with_v({"national_targets": "10", "autonomy_share": "60"})
    # Undo to the start: the link's scenario, and no further.
    at.sidebar.button(key="undo").click().run()
    at.sidebar.button(key="undo").click().run()
    assert scenario_of(at) == start_at
    assert at.sidebar.button(key="undo").disabled
    # A new change after an undo drops what could be redone.
    set_sliders(at, {"national_targets": 20})
    assert at.sidebar.button(key="redo").disabled
    assert not at.exception


# --- presenter view: lever bar, predict then reveal --------------------------------------------


def test_presenter_bar_moves_the_scenario_and_undo_works(base: Scenario) -> None:
    at = start(query={"presenter": "1"})
    assert at.slider(key="bar_funding_uplift").value == pytest.approx(base.funding_uplift * 100)
    at.slider(key="bar_funding_uplift").set_value(4.2).run().run()  # the second run draws the sidebar too
    assert scenario_of(at) == replace(base, funding_uplift=0.042)
    assert at.sidebar.slider(key="funding_uplift").value == 4.2  # the sidebar follows
    assert at.query_params == with_v({"funding_uplift": "4.2", "presenter": "1"})
    at.button(key="bar_undo").click().run()
    assert scenario_of(at) == base
    assert at.slider(key="bar_funding_uplift").value == pytest.approx(base.funding_uplift * 100)


def test_predict_then_reveal_hides_the_headline_of_a_new_scenario(inputs: Inputs, base: Scenario) -> None:
    at = start(query={"presenter": "1"})
    at.toggle(key="predict").set_value(True).run()
    assert len(at.metric) == 8  # the scenario on screen when it was switched on stays shown
    set_sliders(at, {"funding_uplift": 4.0})
    assert not at.metric
    assert "£" not in " ".join(m.value for m in at.markdown)  # no figure in the summary either
    at.button(key="reveal").click().run()
    expected = project(replace(base, funding_uplift=0.04), inputs).headline.gap_bn_at_horizon
    assert gap_at_horizon(at) == pytest.approx(expected, abs=0.05)
    set_sliders(at, {"funding_uplift": 4.5})
    assert not at.metric
    at.toggle(key="predict").set_value(False).run()
    assert len(at.metric) == 8


# --- story mode ----------------------------------------------------------------------------------


def _story_progress(at: AppTest) -> str:
    return next(p.value for p in at.get("progress")) if at.get("progress") else ""


def test_story_from_snapshots_steps_and_travels_in_a_link(base: Scenario, inputs: Inputs) -> None:
    at = start("compare")
    wanted = {
        "Today": base,
        "Four per cent": replace(base, funding_uplift=0.04),
        "Hewitt": presets(inputs)["Hewitt"],
    }
    for name, scenario in wanted.items():
        at.session_state[SCENARIO_KEY] = scenario
        at.text_input(key="snapshot_name").input(name)
        at.button(key="snapshot_save").click().run()
    at.text_input(key="story_note_1").input("What economists said would <b>improve</b> services")
    at.button(key="story_make").click().run()
    assert scenario_of(at) == base
    assert at.button(key="story_prev").disabled
    at.button(key="story_next").click().run()
    assert scenario_of(at) == wanted["Four per cent"]
    assert "Four per cent: What economists said would <b>improve</b> services" in [t.value for t in at.text]
    token = at.query_params["story"]
    assert at.query_params["step"] == "2"
    assert at.query_params["funding_uplift"] == "4"
    # The charts follow each step: the Funding gap page shows step 2 against Current plans.
    at.switch_page("pages/funding_gap.py").run()
    assert scenario_of(at) == wanted["Four per cent"]
    at.button(key="story_next").click().run()
    assert scenario_of(at) == wanted["Hewitt"]
    assert at.button(key="story_next").disabled
    at.button(key="undo").click().run()  # a story step is an undoable change
    assert scenario_of(at) == wanted["Four per cent"]

    # The link opens the story at its first step, in a new session.
    fresh = start(query={"story": token})
    assert scenario_of(fresh) == base
    assert not fresh.error
    fresh.button(key="story_next").click().run()
    fresh.button(key="story_next").click().run()
    assert scenario_of(fresh) == wanted["Hewitt"]
    assert fresh.query_params["step"] == "3"
    # ... and at a given step.
    third = start(query={"story": token, "step": "3"})
    assert scenario_of(third) == wanted["Hewitt"]


@pytest.mark.parametrize("token", ["", "abc", "%%%", "<script>alert(1)</script>", "A" * 9000])
def test_a_malformed_story_link_gives_one_message(token: str, base: Scenario) -> None:
    at = start(query={"story": token, "funding_uplift": "4.5"})
    assert len(at.error) == 1
    assert "story link" in at.error[0].value
    assert "<script>" not in at.error[0].value
    assert scenario_of(at) == replace(base, funding_uplift=0.045)  # the rest of the link still opens
    assert "story_next" not in [b.key for b in at.button]
    assert "story" not in at.query_params


# --- version stamp ---------------------------------------------------------------------------------


def test_a_link_from_another_version_opens_with_a_note(base: Scenario) -> None:
    at = start(query={"funding_uplift": "4.5", "v": "2024-03.m0"})
    assert scenario_of(at) == replace(base, funding_uplift=0.045)  # the scenario still loads
    notes = [i.value for i in at.info]
    assert len(notes) == 1
    assert "updated since this link was made" in notes[0]
    assert "(the link was made with data to March 2024)" in notes[0]
    assert at.query_params["v"] == V  # the address bar now carries this version
    at.run()
    assert not at.info  # said once


@pytest.mark.parametrize("query", [{"funding_uplift": "4.5"}, {"funding_uplift": "4.5", "v": V}])
def test_no_note_without_a_stamp_or_with_this_one(query: dict[str, str]) -> None:
    at = start(query=dict(query))
    assert not at.info
    assert not at.warning


def test_a_hostile_stamp_gives_a_note_without_echoing_it() -> None:
    at = start(query={"funding_uplift": "4.5", "v": "<script>alert(1)</script>"})
    assert len(at.info) == 1
    assert "<script>" not in at.info[0].value
