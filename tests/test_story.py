"""Story links and files: round trips, then hostile input (every failure is one StoryError)."""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.story import (
    MAX_STEPS,
    StoryError,
    clean_note,
    decode,
    encode,
    from_json,
    make_story,
    to_json,
)
from ics_model import Scenario

BASE = Scenario()
STEPS = make_story(
    [
        ("Current plans", "Where we are today", BASE),
        ("Four per cent", "What the IFS said would improve services", replace(BASE, funding_uplift=0.04)),
        (
            "Hewitt",
            "Ten targets, earned autonomy for 60%",
            replace(BASE, national_targets=10, autonomy_share=0.6),
        ),
    ]
)


def token_of(data: object) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


def test_link_round_trip_is_exact_and_compact() -> None:
    token = encode(STEPS, BASE)
    assert decode(token, BASE) == STEPS
    assert len(token) < 300
    assert all(c.isalnum() or c in "-_" for c in token)


def test_file_round_trip_is_exact_and_readable() -> None:
    data = to_json(STEPS, BASE)
    assert from_json(data, BASE) == STEPS
    parsed = json.loads(data)
    assert parsed["steps"][1] == {
        "name": "Four per cent",
        "note": "What the IFS said would improve services",
        "scenario": {"funding_uplift": "4"},
    }


def test_names_are_cleaned_and_unique_and_notes_one_line() -> None:
    steps = make_story([("A\tB\u202e", "line\nbreak\u202e", BASE), ("A B", "", BASE), ("", "", BASE)])
    assert [s.name for s in steps] == ["A B", "A B (2)", "Step 3"]
    assert steps[0].note == "line break"
    assert clean_note("x" * 500) == "x" * 140


HOSTILE_TOKENS = [
    "",
    "!!!",
    "a" * 7000,
    "AAAA",  # valid base64, not deflate
    token_of([1, 2, 3]),  # not an object
    token_of({"v": 2, "s": []}),  # another version
    token_of({"v": 1, "s": []}),  # no steps
    token_of({"v": 1, "s": [["a", "b", {"funding_uplift": "60"}]]}),  # out of range
    token_of({"v": 1, "s": [["a", "b", {"funding_uplift": "nan"}]]}),
    token_of({"v": 1, "s": [["a", "b", {"funding_uplift": 4}]]}),  # not a string
    token_of({"v": 1, "s": [["a", "b"]]}),
    token_of({"v": 1, "s": [[1, "b", {}]]}),
    token_of({"v": 1, "s": [["a", "b", {}]] * (MAX_STEPS + 1)}),
    token_of({"v": 1, "s": "<script>alert(1)</script>"}),
    token_of({"v": 1, "s": [["a", "b", {"funding_uplift": "9" * 5000}]]}),
    # A zip bomb: a megabyte of spaces deflates to about a kilobyte.
    base64.urlsafe_b64encode(zlib.compress(b" " * 1_000_000, 9)).decode().rstrip("="),
    # Deep nesting.
    token_of({"v": 1, "s": [[["x"]]]}) + "A",
]


@pytest.mark.parametrize("token", HOSTILE_TOKENS, ids=range(len(HOSTILE_TOKENS)))
def test_hostile_links_raise_one_clear_error(token: str) -> None:
    with pytest.raises(StoryError) as caught:
        decode(token, BASE)
    message = str(caught.value)
    assert message.startswith("The story link")
    assert "<script>" not in message


HOSTILE_FILES = [
    b"",
    b"\xff\xfe\x00",
    b"[" * 100_000,
    b"{}",
    json.dumps({"format": "something else", "version": 1, "steps": []}).encode(),
    json.dumps({"format": "ics-policy-explorer-story", "version": 9, "steps": []}).encode(),
    json.dumps({"format": "ics-policy-explorer-story", "version": 1, "steps": {}}).encode(),
    json.dumps({"format": "ics-policy-explorer-story", "version": 1, "steps": [5]}).encode(),
    json.dumps(
        {
            "format": "ics-policy-explorer-story",
            "version": 1,
            "steps": [{"name": "a", "scenario": {"horizon_years": "1e309"}}],
        }
    ).encode(),
    b"x" * 30_000,
]


@pytest.mark.parametrize("data", HOSTILE_FILES, ids=range(len(HOSTILE_FILES)))
def test_hostile_files_raise_one_clear_error(data: bytes) -> None:
    with pytest.raises(StoryError):
        from_json(data, BASE)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_decodes_or_raises_story_error(token: str) -> None:
    try:
        steps = decode(token, BASE)
    except StoryError:
        return
    assert 1 <= len(steps) <= MAX_STEPS


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=60), st.text(max_size=200), st.sampled_from([0.0, 0.02, 0.04, 0.06])),
        min_size=1,
        max_size=MAX_STEPS,
    )
)
def test_any_story_round_trips(rows: list[tuple[str, str, float]]) -> None:
    steps = make_story([(n, note, replace(BASE, funding_uplift=u)) for n, note, u in rows])
    assert decode(encode(steps, BASE), BASE) == steps
    assert from_json(to_json(steps, BASE), BASE) == steps
