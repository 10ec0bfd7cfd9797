"""Undo and redo over a session's scenario changes: a pure, immutable history.

``present`` is the scenario shown now; ``past`` holds the earlier ones (oldest first) and
``future`` the ones undone (next redo first). Recording a new scenario clears the future, as
in any editor. No Streamlit here: ``components.controls`` keeps one ``History`` in session
state beside the scenario and records whatever scenario a run ends with.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Generic, TypeVar

T = TypeVar("T")

LIMIT = 50  # steps kept; the oldest are dropped first


@dataclass(frozen=True)
class History(Generic[T]):
    """The states before and after the present one."""

    present: T
    past: tuple[T, ...] = ()
    future: tuple[T, ...] = ()

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)


def record(history: History[T], state: T, *, limit: int = LIMIT) -> History[T]:
    """``state`` becomes the present; the old present goes on the past; the future is cleared.

    Recording the present again changes nothing (a rerun without a change is not a step).
    """
    if state == history.present:
        return history
    past = (*history.past, history.present)[-limit:] if limit > 0 else ()
    return History(present=state, past=past, future=())


def undo(history: History[T]) -> History[T]:
    """Step back one change (no change if there is nothing to undo)."""
    if not history.past:
        return history
    return replace(
        history, present=history.past[-1], past=history.past[:-1], future=(history.present, *history.future)
    )


def redo(history: History[T]) -> History[T]:
    """Step forward again after an undo (no change if there is nothing to redo)."""
    if not history.future:
        return history
    return replace(
        history, present=history.future[0], past=(*history.past, history.present), future=history.future[1:]
    )
