"""The undo/redo history: hand-worked sequences, then properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from components.history import History, record, redo, undo


def test_three_changes_undo_twice_redo_once() -> None:
    h = History(present="a")
    for state in ("b", "c", "d"):
        h = record(h, state)
    assert (h.present, h.past, h.future) == ("d", ("a", "b", "c"), ())
    h = undo(undo(h))
    assert (h.present, h.past, h.future) == ("b", ("a",), ("c", "d"))
    h = redo(h)
    assert (h.present, h.past, h.future) == ("c", ("a", "b"), ("d",))
    assert h.can_undo
    assert h.can_redo


def test_a_new_change_after_undo_clears_the_future() -> None:
    h = undo(record(record(History(present=1), 2), 3))
    assert h.present == 2
    assert h.can_redo
    h = record(h, 7)
    assert (h.present, h.past, h.future) == (7, (1, 2), ())
    assert not h.can_redo


def test_nothing_to_undo_or_redo_changes_nothing() -> None:
    h = History(present="start")
    assert not h.can_undo
    assert not h.can_redo
    assert undo(h) is h
    assert redo(h) is h


def test_recording_the_present_is_not_a_step() -> None:
    h = record(History(present=1), 2)
    assert record(h, 2) is h


def test_the_oldest_steps_are_dropped_beyond_the_limit() -> None:
    h = History(present=0)
    for i in range(1, 8):
        h = record(h, i, limit=3)
    assert h.past == (4, 5, 6)
    assert h.present == 7


@given(st.lists(st.integers(0, 5), max_size=30), st.integers(0, 40))
def test_undo_then_redo_returns_to_the_same_history(states: list[int], undos: int) -> None:
    h = History(present=-1)
    for s in states:
        h = record(h, s)
    for _ in range(undos):
        h = undo(h)
    after = h
    steps = len(h.future)
    for _ in range(steps):
        h = redo(h)
    assert not h.can_redo
    for _ in range(steps):
        h = undo(h)
    assert h == after
    # Every change is kept, in order, across past, present and future (repeats are not steps).
    expected = [-1]
    for s in states:
        if s != expected[-1]:
            expected.append(s)
    assert [*h.past, h.present, *h.future] == expected
