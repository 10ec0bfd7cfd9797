"""The Scenario: validation, metadata and URL round trips."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ics_model import PARAMETERS, Scenario, scenario_from_query, scenario_parameters, scenario_to_query


def test_defaults_and_metadata() -> None:
    s = Scenario()
    assert s.funding_uplift == 0.030  # current plans
    assert s.national_targets == 18  # 2025/26 planning guidance
    assert isinstance(s.national_targets, int)
    assert s.horizon_years == 10
    names = [p.name for p in scenario_parameters()]
    assert names[:3] == ["funding_uplift", "national_targets", "autonomy_share"]
    assert all(p.source and p.label and p.unit for p in PARAMETERS.values())
    assert {p.kind for p in scenario_parameters()} == {"lever", "assumption"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"funding_uplift": 0.07}, "outside its range 0 to 6 % a year"),
        ({"funding_uplift": float("nan")}, "must be finite"),
        ({"demand_growth": float("inf")}, "must be finite"),
        ({"national_targets": 10.5}, "whole number"),
        ({"horizon_years": 2}, "outside its range 3 to 15"),
        ({"autonomy_share": "0.5"}, "must be a number"),
    ],
)
def test_rejects_bad_values(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scenario(**changes)  # type: ignore[arg-type]


def test_frozen_and_hashable() -> None:
    s = Scenario()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.funding_uplift = 0.05  # type: ignore[misc]
    assert hash(Scenario(national_targets=10)) == hash(Scenario(national_targets=10.0))  # type: ignore[arg-type]


def test_query_uses_percent_and_omits_defaults() -> None:
    s = Scenario(funding_uplift=0.04, demand_growth=0.031, national_targets=10)
    assert scenario_to_query(s) == {"funding_uplift": "4", "national_targets": "10", "demand_growth": "3.1"}
    assert scenario_from_query(
        {"funding_uplift": "4.0", "national_targets": "10", "demand_growth": "3.1"}
    ) == (s, [])


@given(
    u=st.integers(0, 60),
    t=st.integers(0, 40),
    a=st.integers(0, 20),
    h=st.integers(3, 15),
    p=st.integers(-10, 30),
)
def test_query_round_trip(u: int, t: int, a: int, h: int, p: int) -> None:
    s = Scenario(
        funding_uplift=u / 1000,
        national_targets=t,
        autonomy_share=a / 20,
        horizon_years=h,
        productivity_growth=p / 1000,
    )
    restored, problems = scenario_from_query(scenario_to_query(s))
    assert restored == s
    assert problems == []


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
    "4\x00",
    "٣",
    "60",
    "-1",
    "4,0",
    "0x10",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_fall_back(value: str) -> None:
    s, problems = scenario_from_query({"funding_uplift": value, "national_targets": "10"})
    assert s.funding_uplift == Scenario().funding_uplift
    assert s.national_targets == 10
    assert len(problems) == 1
    assert "Funding uplift" in problems[0]
    assert "0 to 6" in problems[0]
    assert value not in problems[0] or value == ""


def test_repeated_keys_take_the_last_and_unknown_keys_are_ignored() -> None:
    s, problems = scenario_from_query({"funding_uplift": ["5", "4.5"], "page": "x", "presenter": "1"})
    assert s.funding_uplift == 0.045
    assert problems == []
    s, problems = scenario_from_query({"national_targets": "10.5"})
    assert s.national_targets == 18
    assert len(problems) == 1


def test_old_links_with_a_targets_count_still_open() -> None:
    # Links made when the baseline was the 2023/24 count (30+) carry counts above today's 18.
    for count in ("25", "31", "40"):
        s, problems = scenario_from_query({"national_targets": count})
        assert problems == []
        assert s.national_targets == int(count)
