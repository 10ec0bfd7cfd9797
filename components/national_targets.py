"""Today's national targets as a list the user can switch measures off in (pure, no Streamlit)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

CURRENT_FRAMEWORK = "2025/26 planning guidance"


def current_measures(table: pd.DataFrame) -> pd.DataFrame:
    """The 2025/26 planning guidance's national success measures, in the guidance's order."""
    current = table[table["framework"] == CURRENT_FRAMEWORK]
    return current.sort_values("measure_number").reset_index(drop=True)


def later_measures(table: pd.DataFrame) -> pd.DataFrame:
    """The Medium Term Planning Framework's measures (2026/27-2028/29)."""
    return table[table["framework"] != CURRENT_FRAMEWORK].reset_index(drop=True)


def areas_without_target(measures: pd.DataFrame, kept: Collection[int]) -> list[str]:
    """Priority areas in which every measure has been switched off, in the guidance's order."""
    kept_set = set(kept)
    areas: list[str] = []
    for area, group in measures.groupby("priority_area", sort=False):
        if not kept_set & set(group["measure_number"].astype(int)):
            areas.append(str(area))
    return areas


def history_frame(history: pd.DataFrame, scenario_count: int) -> pd.DataFrame:
    """The count of national targets over time, with the scenario's count as the last bar."""
    rows = [
        {
            "label": str(row["framework"])
            if str(row["period"]) in str(row["framework"])
            else f"{row['framework']} ({row['period']})",
            "count": int(row["count"]),
            "shown": str(row["count_label"]),
            "kind": "history",
        }
        for row in history.to_dict("records")
    ]
    rows.append(
        {"label": "This scenario", "count": scenario_count, "shown": str(scenario_count), "kind": "scenario"}
    )
    return pd.DataFrame(rows)
