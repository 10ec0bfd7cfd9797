"""Pure page helpers: formatting, the plain-English summary, tornado, snapshots, provenance."""

from __future__ import annotations

from dataclasses import replace

import pytest

from components.analysis import (
    applicable_value,
    clean_snapshot_name,
    delta_args,
    headline_metrics,
    millions,
    money_bn,
    month_label,
    parameter_table,
    preset_table,
    source_sections,
    summary_text,
    tornado_frame,
)
from ics_model import (
    PARAMETERS,
    Inputs,
    Scenario,
    baseline,
    presets,
    project,
    scenario_from_query,
    scenario_to_query,
)
from ics_model.paths import DATA_DIR


def test_formatting() -> None:
    assert money_bn(8.0852) == "£8.1bn"
    assert money_bn(-2.54) == "-£2.5bn"
    assert money_bn(1.0, signed=True) == "+£1.0bn"
    assert millions(7_290_880) == "7.29 million"
    assert month_label("2031-03") == "March 2031"
    assert month_label(None) == "not within the horizon"


def test_delta_args() -> None:
    assert delta_args(0.0, "x") == {
        "delta": "Same as Current plans",
        "delta_color": "off",
        "delta_arrow": "off",
    }
    assert delta_args(2.0, "+£2.0bn") == {"delta": "+£2.0bn vs Current plans", "delta_color": "inverse"}
    assert delta_args(2.0, "+2", worse_when_up=False)["delta_color"] == "normal"


def test_summary_text_states_the_numbers(inputs: Inputs) -> None:
    base = baseline(inputs)
    h = project(base, inputs).headline
    text = summary_text(base, h, h, inputs.baselines["feb_2020_list"])
    assert "funding rising 3.0% a year" in text
    assert f"{money_bn(h.gap_bn_at_horizon)} a year short" in text
    assert "same as under Current plans" in text
    # With the fitted activity premium, current plans take the list below February 2020's level.
    assert "would fall below its February 2020 level (4.57 million) in October 2029" in text
    lean = replace(base, funding_uplift=0.0)
    hl = project(lean, inputs).headline
    text_lean = summary_text(lean, hl, h, inputs.baselines["feb_2020_list"])
    assert "would not fall below its February 2020 level (4.57 million)" in text_lean
    # A surplus is described as a surplus, with the difference against the baseline.
    rich = replace(base, funding_uplift=0.05)
    hr = project(rich, inputs).headline
    text = summary_text(rich, hr, h, inputs.baselines["feb_2020_list"])
    assert "funding would exceed the cost of meeting demand" in text
    assert "less than under Current plans" in text


def test_headline_metrics_against_the_baseline(inputs: Inputs) -> None:
    base = baseline(inputs)
    h = project(base, inputs).headline
    cards = headline_metrics(base, h, h, inputs.baselines["feb_2020_list"])
    assert len(cards) == 8
    assert all(c.get("delta") in (None, "Same as Current plans") for c in cards)
    worse = project(replace(base, demand_growth=0.03), inputs).headline
    cards = {c["label"]: c for c in headline_metrics(base, worse, h, inputs.baselines["feb_2020_list"])}
    gap = cards[f"Gap in {h.horizon_fiscal_year}"]
    assert gap["delta"].startswith("+£")
    assert gap["delta_color"] == "inverse"  # a bigger gap shows red
    assert cards["Chance the gap is closed"]["delta_color"] == "normal"


def test_tornado_directions(inputs: Inputs) -> None:
    base = baseline(inputs)
    gap = project(base, inputs).headline.gap_bn_at_horizon
    frame = tornado_frame(base, inputs).set_index("field")
    assert frame.loc["funding_uplift", "high_gap_bn"] < gap < frame.loc["funding_uplift", "low_gap_bn"]
    assert frame.loc["demand_growth", "low_gap_bn"] < gap < frame.loc["demand_growth", "high_gap_bn"]
    assert frame.loc["productivity_growth", "high_gap_bn"] < gap
    # With no autonomy, targets do not move the gap.
    assert frame.loc["national_targets", "low_gap_bn"] == pytest.approx(gap)
    assert frame.loc["national_targets", "high_gap_bn"] == pytest.approx(gap)
    # A small step is 0.5 points for rates and 10 targets, clipped to the range.
    assert frame.loc["funding_uplift", "low"] == pytest.approx(0.025)
    assert frame.loc["national_targets", "high"] == 28  # 18 + 10
    full = tornado_frame(base, inputs, full_range=True).set_index("field")
    assert full.loc["funding_uplift", "low"] == 0.0
    assert full.loc["funding_uplift", "high"] == pytest.approx(0.06)


def test_clean_snapshot_name() -> None:
    assert clean_snapshot_name("  4% & Hewitt  ", set()) == "4% & Hewitt"
    assert clean_snapshot_name("<script>alert(1)</script>", set()) == "scriptalert(1)/script"
    assert clean_snapshot_name("", set()) == "Snapshot"
    assert clean_snapshot_name("A", {"A"}) == "A (2)"
    assert clean_snapshot_name("Current plans", set()) == "Current plans (2)"
    assert len(clean_snapshot_name("x" * 500, set())) == 40


def test_applicable_value_survives_the_url(inputs: Inputs) -> None:
    base = baseline(inputs)
    value = applicable_value("funding_uplift", 0.03312499999999974)
    chosen = replace(base, funding_uplift=value)
    restored, problems = scenario_from_query(scenario_to_query(chosen, base), base=base)
    assert not problems
    assert restored == chosen
    assert applicable_value("national_targets", 12) == 12


def test_parameter_and_preset_tables(inputs: Inputs) -> None:
    table = parameter_table(Scenario(funding_uplift=0.045)).set_index("name")
    assert set(table.index) == set(PARAMETERS)
    assert table.loc["funding_uplift", "value"] == "4.5"
    assert table.loc["funding_uplift", "default"] == "3"
    assert (table["source"].str.len() > 5).all()  # every parameter has a source
    named = preset_table(presets(inputs)).set_index("preset")
    assert (
        named.loc["Hewitt", "levers"]
        == "Funding uplift 3%; National targets 10 targets per ICS; Earned autonomy 60%; Pace of change 14.3%"
    )


def test_source_sections_cover_every_sourced_table(inputs: Inputs) -> None:
    sections = source_sections(DATA_DIR / "SOURCES.md")
    raw = {p.stem for p in (DATA_DIR / "raw").glob("*.csv")}
    assert raw <= set(sections), raw - set(sections)
    assert sections["rtt_monthly"].startswith("## `rtt_monthly.csv`")
    assert "Open Government Licence" in sections["rtt_monthly"]
    assert "---" not in sections["rtt_monthly"].splitlines()
