"""The app's pages in one list: app.py builds the navigation from it and the sidebar menu draws it.

Streamlit's built-in page list is hidden (``st.navigation(..., position="hidden")``): its markup
puts ``div`` elements directly inside a ``ul``, which screen readers and axe-core reject. The
menu here is a plain column of ``st.page_link`` anchors under a heading per group, keyboard
reachable and marked ``aria-current`` by Streamlit on the page being shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    """One page: its script, title, Material icon and menu group."""

    script: str
    title: str
    icon: str
    group: str
    default: bool = False

    @property
    def url_path(self) -> str:
        """The page's URL path ("" for the default page), as st.Page derives it from the file name."""
        return "" if self.default else self.script.removeprefix("pages/").removesuffix(".py")


SCENARIO, REFERENCE = "Scenario", "Reference"

# Add a page here (and only here): app.py and the sidebar menu both read this list.
PAGES: list[PageSpec] = [
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", SCENARIO, default=True),
    PageSpec("pages/funding_gap.py", "Funding gap", ":material/account_balance:", SCENARIO),
    PageSpec("pages/trade_offs.py", "Trade-offs", ":material/balance:", SCENARIO),
    PageSpec("pages/waiting_list.py", "Waiting list", ":material/schedule:", SCENARIO),
    PageSpec("pages/targets.py", "Targets & autonomy", ":material/flag:", SCENARIO),
    PageSpec("pages/systems.py", "42 systems", ":material/map:", SCENARIO),
    PageSpec("pages/your_system.py", "Your system", ":material/location_on:", SCENARIO),
    PageSpec("pages/compare.py", "Compare", ":material/compare_arrows:", SCENARIO),
    PageSpec("pages/evidence.py", "Evidence", ":material/menu_book:", REFERENCE),
    PageSpec("pages/track_record.py", "Track record", ":material/history:", REFERENCE),
    PageSpec("pages/assumptions.py", "Assumptions & data", ":material/dataset:", REFERENCE),
]


def groups() -> dict[str, list[PageSpec]]:
    """The pages by menu group, in list order."""
    grouped: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        grouped.setdefault(spec.group, []).append(spec)
    return grouped


def navigation_pages() -> dict[str, list[st.Page]]:
    """st.Page objects by group, for ``st.navigation`` in app.py."""
    return {
        group: [st.Page(s.script, title=s.title, icon=s.icon, default=s.default) for s in specs]
        for group, specs in groups().items()
    }


def render_menu() -> None:
    """The page menu at the top of the sidebar: a heading per group, then a link per page."""
    with st.sidebar.container(key="page_menu"):
        for group, specs in groups().items():
            st.markdown(f"**{group}**")
            for spec in specs:
                st.page_link(spec.script, label=spec.title, icon=spec.icon, width="stretch")
