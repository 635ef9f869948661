"""How many Dash components the approximation tabs put on the page.

The Dash renderer runs its selectors for every component on the page on every store update,
about 21 of them per slider step, so each component costs every step time (docs/ARCHITECTURE.md,
"Where the time of a slider step goes"). These bounds keep the tabs from growing back.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import plotly
import pytest
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.sections import SPECS_BY_KEY
from dashboard.views import approx

BOUNDS = {"square2": 157, "sin3": 172, "deep": 242}
"""Most components each tab's body may hold, as measured (235, 268 and 410 with a component per
preset table cell, the "Code" section filled from the start and labels as components; three of
them are the messages under the formula, interval and goal boxes, three the explanation's
disclosure: its details, summary and summary text)."""


SHELL_BOUND = 14
"""Most components the page around the open tab's body may hold (measured: 14; 20 with a
component per tab label)."""


def count(node: Any, found: Counter[str], skip: Any = None) -> None:
    """Count the components of a serialised layout by type (not below the id ``skip``)."""
    if isinstance(node, dict):
        is_component = {"type", "namespace", "props"} <= node.keys()
        if is_component and skip is not None and node["props"].get("id") == skip:
            return
        if is_component:
            found[node["type"]] += 1
        for value in (node["props"] if is_component else node).values():
            count(value, found, skip)
    elif isinstance(node, list):
        for value in node:
            count(value, found, skip)


def components(tab: str, lang: str = "en") -> Counter[str]:
    spec = SPECS_BY_KEY[tab]
    body = approx.layout(spec, approx.load_presets(spec), lang)
    found: Counter[str] = Counter()
    count(json.loads(json.dumps(body, cls=plotly.utils.PlotlyJSONEncoder)), found)
    return found


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("tab", sorted(BOUNDS))
def test_an_approximation_tab_holds_few_components(tab: str, lang: str) -> None:
    found = components(tab, lang)
    assert sum(found.values()) <= BOUNDS[tab], found.most_common()
    assert found["Td"] == found["Th"] == 0  # the preset table is drawn by assets/presets.js


def test_the_page_around_the_tab_holds_few_components(client: FlaskClient) -> None:
    found: Counter[str] = Counter()
    count(client.get("/_dash-layout").get_json(), found, skip=ids.panel(ids.MAIN, "gallery"))
    assert found["RadioItems"] == 2 and found["Store"] == 1  # the tab bar is there
    assert sum(found.values()) <= SHELL_BOUND, found.most_common()
