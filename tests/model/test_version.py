"""The version stamp on links: format, parsing of hostile input, and the update note."""

from __future__ import annotations

import pandas as pd
import pytest

from ics_model import Inputs
from ics_model.version import MODEL_VERSION, describe_update, parse_stamp, stamp


def test_stamp_names_the_latest_rtt_month_and_the_model(inputs: Inputs) -> None:
    assert stamp(inputs) == f"{inputs.last_month.strftime('%Y-%m')}.m{MODEL_VERSION}"
    assert parse_stamp(stamp(inputs)) == (inputs.last_month, MODEL_VERSION)


@pytest.mark.parametrize(
    "text", ["", "2025-13.m1", "2025-12", "2025-12.m", "2025-12.m1234", "<b>x</b>", "٢٠٢٥-12.m1", "9" * 5000]
)
def test_bad_stamps_do_not_parse(text: str) -> None:
    assert parse_stamp(text) is None


def test_no_note_for_the_same_stamp() -> None:
    assert describe_update("2025-12.m1", "2025-12.m1") is None


def test_note_says_what_changed() -> None:
    note = describe_update("2025-09.m0", "2025-12.m1")
    assert note is not None
    assert "data now run to December 2025 (the link was made with data to September 2025)" in note
    assert "model is now version 1 (the link was made with version 0): the model as first published" in note
    data_only = describe_update("2025-09.m1", "2025-12.m1")
    assert data_only is not None
    assert "model is now" not in data_only


def test_note_for_an_unreadable_stamp_does_not_echo_it() -> None:
    note = describe_update("<script>", "2025-12.m1")
    assert note is not None
    assert "<script>" not in note
    assert "could not be read" in note


def test_parse_gives_a_period() -> None:
    assert parse_stamp("2024-03.m2") == (pd.Period("2024-03", freq="M"), 2)
