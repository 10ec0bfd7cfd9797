"""The upload in the app: this session's data only, a banner on every page, and a way back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.cache import SESSION_INPUTS_KEY
from components.upload import UPLOAD_KEY, UploadInUse, plain
from ics_model import Inputs
from ics_model.paths import RAW_DIR
from ics_model.uploads import inputs_with_table, read_upload

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 30
PAGES = ["funding_gap", "waiting_list", "systems", "assumptions"]


@pytest.fixture(scope="module")
def my_inputs(inputs: Inputs) -> Inputs:
    """The published RTT table cut at June 2024, as a user might upload it."""
    frame = pd.read_csv(RAW_DIR / "rtt_monthly.csv", dtype=str, keep_default_na=False)
    data = frame[frame["month"] <= "2024-06"].to_csv(index=False).encode()
    upload = read_upload("rtt_monthly", "my_rtt.csv", data, dt.date(2026, 11, 30))
    assert upload.table is not None
    return inputs_with_table(inputs, "rtt_monthly", upload.table)


def with_upload(my_inputs: Inputs) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[SESSION_INPUTS_KEY] = my_inputs
    at.session_state[UPLOAD_KEY] = UploadInUse("rtt_monthly", "my_rtt.csv", dt.datetime(2026, 11, 30, 9, 5))
    return at.run()


def banner(at: AppTest) -> list[str]:
    return [i.value for i in at.info if "Using your" in str(i.value)]


def latest_label(at: AppTest) -> str:
    return next(m.label for m in at.metric if m.label.startswith("Latest"))


def test_banner_on_every_page_and_the_model_uses_the_upload(my_inputs: Inputs) -> None:
    at = with_upload(my_inputs)
    assert not at.exception
    assert banner(at) == [r"Using your RTT data from my\_rtt\.csv, uploaded 09\:05"]
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert len(banner(at)) == 1, page
    at.switch_page("pages/waiting_list.py").run()
    assert latest_label(at) == "Latest (Jun 2024)"


def test_back_to_the_published_data(my_inputs: Inputs) -> None:
    at = with_upload(my_inputs)
    at.switch_page("pages/waiting_list.py").run()
    at.button(key="upload_back").click().run()
    assert not at.exception
    assert banner(at) == []
    assert latest_label(at) == "Latest (Dec 2025)"
    assert SESSION_INPUTS_KEY not in at.session_state


def test_other_sessions_never_see_it(my_inputs: Inputs) -> None:
    with_upload(my_inputs)  # one session uses its own data ...
    other = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # ... another opens the app
    other.switch_page("pages/waiting_list.py").run()
    assert banner(other) == []
    assert latest_label(other) == "Latest (Dec 2025)"


def test_assumptions_page_has_the_upload() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/assumptions.py").run()
    assert not at.exception
    assert at.selectbox(key="upload_table").value == "rtt_monthly"
    assert any("Your own data" in h.value for h in at.subheader)


def test_file_names_are_shown_as_plain_text() -> None:
    assert plain("[click](javascript:alert(1)).csv") == r"\[click\]\(javascript\:alert\(1\)\)\.csv"
    assert plain("**bold**\x00.csv") == r"\*\*bold\*\*?\.csv"
    assert len(plain("a" * 500)) == 80


def test_csv_downloads_defuse_formulas() -> None:
    from components.exports import _csv_bytes

    frame = pd.DataFrame(
        {"icb_name": ['=HYPERLINK("http://example.com","x")', "Leeds"], "gap_bn": [-1.5, 2.0]}
    )
    text = _csv_bytes(frame).decode("utf-8")
    assert text.splitlines() == [
        "icb_name,gap_bn",
        '"\'=HYPERLINK(""http://example.com"",""x"")",-1.5',
        "Leeds,2.0",
    ]
