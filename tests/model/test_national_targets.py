"""The national targets tables: today's measures, their history, and the baseline count."""

from __future__ import annotations

from ics_model import CONSTANTS, PARAMETERS, Inputs


def test_2025_26_guidance_has_18_measures_in_7_areas(inputs: Inputs) -> None:
    table = inputs.tables["national_targets"]
    current = table[table["framework"] == "2025/26 planning guidance"]
    assert len(current) == 18
    assert current["measure_number"].tolist() == list(range(1, 19))
    assert current["priority_area"].nunique() == 7
    assert (current["source"].str.contains("PRN01625")).all()
    mtpf = table[table["framework"].str.startswith("Medium Term Planning Framework")]
    assert len(mtpf) == 23
    assert mtpf["measure_number"].isna().all()


def test_baseline_count_is_the_2025_26_guidance(inputs: Inputs) -> None:
    current = inputs.tables["national_targets"].query("framework == '2025/26 planning guidance'")
    assert CONSTANTS["baseline_targets"] == len(current) == 18
    assert PARAMETERS["national_targets"].default == 18
    assert "18 national success measures" in PARAMETERS["baseline_targets"].source


def test_history_of_the_count(inputs: Inputs) -> None:
    history = inputs.tables["national_targets_history"].set_index("period")
    assert history.loc["2023/24", "count_label"] == "30+"
    assert history.loc["2023", "count"] == 10  # Hewitt: no more than 10
    assert history.loc["2025/26", "count"] == 18
