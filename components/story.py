"""A story: an ordered list of named scenarios with one-line notes, for a facilitator to step
through. Encoded compactly for a link (``?story=...``) and as a small JSON file. No Streamlit.

Both decoders treat their input as hostile: bounded sizes at every stage (link, decompressed
bytes, steps, names, notes), strict types, and every scenario value checked by the same parser
as the URL. Any problem raises ``StoryError`` with one plain message and nothing is half-read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ics_model import Scenario, scenario_from_query, scenario_to_query

FORMAT = "ics-policy-explorer-story"
VERSION = 1
MAX_STEPS = 12
MAX_NAME = 40
MAX_NOTE = 140
MAX_LINK = 6000  # characters of the ?story= value
MAX_JSON = 20_000  # bytes of a story file or of a link's decompressed text

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


class StoryError(ValueError):
    """A story link or file that cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class Step:
    """One scenario of a story."""

    name: str
    note: str
    scenario: Scenario


def clean_note(text: str) -> str:
    """A note as one plain line: control and direction characters removed, bounded length."""
    return " ".join(_CONTROL.sub(" ", text).split())[:MAX_NOTE].rstrip()


def clean_name(text: str, taken: set[str], number: int) -> str:
    """A step's name as one short plain line ("Step 2" if empty), made unique."""
    name = " ".join(_CONTROL.sub(" ", text).split())[:MAX_NAME].rstrip() or f"Step {number}"
    unique, n = name, 2
    while unique in taken:
        unique = f"{name} ({n})"
        n += 1
    return unique


def make_story(named: Sequence[tuple[str, str, Scenario]]) -> tuple[Step, ...]:
    """Steps from (name, note, scenario) triples: names cleaned and unique, notes one line."""
    if not named:
        raise StoryError("A story needs at least one scenario.")
    if len(named) > MAX_STEPS:
        raise StoryError(f"A story can have at most {MAX_STEPS} steps.")
    steps: list[Step] = []
    taken: set[str] = set()
    for number, (name, note, scenario) in enumerate(named, start=1):
        clean = clean_name(name, taken, number)
        taken.add(clean)
        steps.append(Step(clean, clean_note(note), scenario))
    return tuple(steps)


# --- plain data (shared by the link and the file) ----------------------------------------------


def _to_rows(steps: Sequence[Step], base: Scenario) -> list[list[Any]]:
    return [[s.name, s.note, scenario_to_query(s.scenario, base)] for s in steps]


def _from_rows(rows: Any, base: Scenario) -> tuple[Step, ...]:
    if not isinstance(rows, list) or not rows:
        raise StoryError("It has no steps.")
    if len(rows) > MAX_STEPS:
        raise StoryError(f"It has more than {MAX_STEPS} steps.")
    named: list[tuple[str, str, Scenario]] = []
    for number, row in enumerate(rows, start=1):
        if not (isinstance(row, list) and len(row) == 3):
            raise StoryError(f"Step {number} is not a name, a note and a scenario.")
        name, note, query = row
        if not isinstance(name, str) or not isinstance(note, str) or not isinstance(query, dict):
            raise StoryError(f"Step {number} is not a name, a note and a scenario.")
        if len(name) > 4 * MAX_NAME or len(note) > 4 * MAX_NOTE or len(query) > 20:
            raise StoryError(f"Step {number} is too long.")
        if not all(isinstance(k, str) and isinstance(v, str) and len(v) <= 20 for k, v in query.items()):
            raise StoryError(f"Step {number} has a setting that is not a number.")
        scenario, problems = scenario_from_query(query, base=base)
        if problems:
            raise StoryError(f"Step {number} has a setting outside its range.")
        named.append((name, note, scenario))
    return make_story(named)


# --- the link ----------------------------------------------------------------------------------


def encode(steps: Sequence[Step], base: Scenario) -> str:
    """A compact, URL-safe token: JSON, deflated, base64url without padding."""
    text = json.dumps({"v": VERSION, "s": _to_rows(steps, base)}, separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(token: str, base: Scenario) -> tuple[Step, ...]:
    """The steps of a story token (raises StoryError)."""
    if not isinstance(token, str) or not token or len(token) > MAX_LINK or not _TOKEN.match(token):
        raise StoryError("The story link is damaged or incomplete.")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON + 1)
        if len(raw) > MAX_JSON or inflater.unconsumed_tail:
            raise StoryError("The story link is too long.")
        data = json.loads(raw.decode("utf-8"))
    except StoryError:
        raise
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StoryError("The story link is damaged or incomplete.") from exc
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise StoryError("The story link is not one this explorer made.")
    try:
        return _from_rows(data.get("s"), base)
    except StoryError as exc:
        raise StoryError(f"The story link could not be read: {exc}") from exc


# --- the file ----------------------------------------------------------------------------------


def to_json(steps: Sequence[Step], base: Scenario) -> bytes:
    """A small, readable JSON file of the story (rates in percent, as in links)."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "steps": [{"name": n, "note": note, "scenario": q} for n, note, q in _to_rows(steps, base)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def from_json(data: bytes, base: Scenario) -> tuple[Step, ...]:
    """The steps of a story file (raises StoryError)."""
    if len(data) > MAX_JSON:
        raise StoryError(f"The story file is larger than {MAX_JSON // 1000} kB.")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StoryError("The story file is not valid JSON.") from exc
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise StoryError("The file is not a story saved by this explorer.")
    if parsed.get("version") != VERSION:
        raise StoryError("The story file is from another version of the explorer.")
    steps = parsed.get("steps")
    if not isinstance(steps, list):
        raise StoryError("The story file has no steps.")
    rows = [
        [s.get("name"), s.get("note", ""), s.get("scenario")] if isinstance(s, dict) else None for s in steps
    ]
    try:
        return _from_rows(rows, base)
    except StoryError as exc:
        raise StoryError(f"The story file could not be read: {exc}") from exc
