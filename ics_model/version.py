"""The version stamp links carry (``v=``): the data version (latest RTT month) and the model's.

A link made with another stamp still opens; the app says the figures have been updated since
and what changed (``describe_update``).
"""

from __future__ import annotations

import re

import pandas as pd

from ics_model.inputs import Inputs

MODEL_VERSION = 1
# What each model version changed, for the note on links made with an older one.
MODEL_CHANGES: dict[int, str] = {
    1: "the model as first published: national gap, waiting list, fair-share systems",
}

_STAMP = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])\.m([0-9]{1,3})$")


def stamp(inputs: Inputs) -> str:
    """'2025-12.m1': data to December 2025, model version 1."""
    return f"{inputs.last_month.strftime('%Y-%m')}.m{MODEL_VERSION}"


def parse_stamp(text: str) -> tuple[pd.Period, int] | None:
    """(data month, model version) of a stamp, or None if it is not one."""
    match = _STAMP.match(text.strip()) if isinstance(text, str) and len(text) <= 20 else None
    if match is None:
        return None
    return pd.Period(f"{match.group(1)}-{match.group(2)}", freq="M"), int(match.group(3))


def describe_update(link_stamp: str, current: str) -> str | None:
    """A short note when a link's stamp differs from the current one (None when they match)."""
    if link_stamp == current:
        return None
    now = parse_stamp(current)
    then = parse_stamp(link_stamp)
    assert now is not None
    if then is None:
        return (
            "This link's version stamp could not be read, so the figures may have been updated since it was "
            "made. The scenario itself is shown as the link set it."
        )
    changes = []
    if then[0] != now[0]:
        changes.append(
            f"the data now run to {now[0].strftime('%B %Y')} (the link was made with data to "
            f"{then[0].strftime('%B %Y')})"
        )
    if then[1] != now[1]:
        newer = [text for version, text in sorted(MODEL_CHANGES.items()) if then[1] < version <= now[1]]
        what = f": {'; '.join(newer)}" if newer else ""
        changes.append(f"the model is now version {now[1]} (the link was made with version {then[1]}){what}")
    return (
        "The figures have been updated since this link was made: "
        + " and ".join(changes)
        + ". The scenario itself is shown as the link set it."
    )
