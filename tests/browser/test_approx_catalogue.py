"""In a real browser: "2 neurons → x²" with ELU and a typed α = 2, checked against NumPy.

What is compared is what Plotly drew (``gd._fullData``), against the spec's formulas written
out here, independently of the app's model.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import css_id
from tests.support.shown import EN, read_shown

pytestmark = pytest.mark.browser

TAB = "square2"
X = np.linspace(-10.0, 10.0, 1000)
DEFAULTS = {"w1": 0.31, "b1": -3.59, "w2": -0.31, "b2": -3.59, "w3": 300.0, "w4": 300.0}
DEFAULTS["b3"] = -11.5
NUMBER = EN


def elu(z: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0))


def output(alpha: float) -> np.ndarray:
    p = DEFAULTS
    a1, a2 = elu(X * p["w1"] + p["b1"], alpha), elu(X * p["w2"] + p["b2"], alpha)
    return a1 * p["w3"] + a2 * p["w4"] + p["b3"]


GRAPH = css_id(tab=TAB, type="graph") + " .js-plotly-plot"

# Dash idle, then the plotted output trace of the graph (null while there is none).
OUTPUT_JS = """
(sel) => {
    const s = window.store && window.store.getState();
    if (!s || !s.callbacks) return null;
    const busy = ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed']
        .some(k => s.callbacks[k] && s.callbacks[k].length > 0);
    const gd = document.querySelector(sel);
    const t = !busy && gd && gd._fullData && gd._fullData.find(t => t.uid === 'output');
    return t ? {y: Array.from(t.y), title: gd._fullLayout.title.text} : null;
}
"""


def plotted(page: Page) -> dict[str, Any] | None:
    return page.evaluate(OUTPUT_JS, GRAPH)


def wait_for(page: Page, title: str, before: list[float] | None = None) -> dict[str, Any]:
    """Wait until Dash is idle, the title is ``title`` and the output differs from ``before``."""
    page.wait_for_function(
        f"""(sel) => {{
            const r = ({OUTPUT_JS})(sel);
            return r !== null && r.title === {json.dumps(title)}
                && JSON.stringify(r.y) !== {json.dumps(json.dumps(before))};
        }}""",
        arg=GRAPH,
    )
    result = plotted(page)
    assert result is not None
    return result


def assert_numbers(actual: list[float], expected: np.ndarray, what: str) -> None:
    """Equal within float32 rounding (y values are sent as float32)."""
    actual_arr = np.asarray(actual, dtype=float)
    assert actual_arr.shape == expected.shape, what
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual_arr, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def test_square2_elu_with_alpha_typed(page: Page, app_url: str) -> None:
    page.goto(app_url)
    page.locator(css_id(bar="main", type="tabbar")).get_by_text(
        "2 neurons → x²", exact=True
    ).click()
    expect(page.locator(css_id(bar="main", key=TAB, type="panel"))).to_be_visible()
    start = wait_for(page, "1 hidden layer, with 2 Sigmoid neurons")
    group = page.locator(css_id(act="elu", tab=TAB, type="act_group"))
    expect(group).to_be_hidden()

    # The whole catalogue, the notebook's five first.
    page.locator(css_id(tab=TAB, type="activation")).click()
    listbox = page.locator(".dash-dropdown-options[role=listbox]")
    expect(listbox.locator("[role=option]")).to_have_count(21)  # it opens after the click
    labels = listbox.locator("[role=option]").all_inner_texts()
    assert labels[:5] == ["Sigmoid", "TanH", "ReLU", "ELU", "Leaky ReLU"] and len(labels) == 21
    listbox.get_by_role("option", name="ELU", exact=True).click()
    expect(listbox).to_have_count(0)
    plot = wait_for(page, "1 hidden layer, with 2 ELU neurons", start["y"])
    expect(group).to_be_visible()
    assert_numbers(plot["y"], output(1.0), "ELU, α = 1")

    box = page.locator(css_id(act="elu", name="alpha", tab=TAB, type="act_box"))
    box.fill("2")
    box.press("Enter")
    plot = wait_for(page, "1 hidden layer, with 2 ELU neurons", plot["y"])
    assert_numbers(plot["y"], output(2.0), "ELU, α = 2 typed")
    thumb = page.locator(css_id(act="elu", name="alpha", tab=TAB, type="act_param"))
    expect(thumb.locator("[role=slider]")).to_have_attribute("aria-valuenow", "2")

    # The score under the plot is the RMSE of that output against x².
    score = page.locator(css_id(tab=TAB, type="score"))
    m = re.match(rf"^RMSE {NUMBER} · max error {NUMBER}$", score.inner_text())
    assert m, score.inner_text()
    rmse = float(np.sqrt(np.mean((output(2.0) - X**2) ** 2)))
    assert read_shown(m.group(1), "en") == pytest.approx(rmse, rel=5e-3)
