"""Issue 4, items 6-7 in a real browser: a typed target, the view beyond the interval, the stack.

What Plotly drew (``gd._fullData``, and ``gd.calcdata`` for the stacked tops) is compared with
NumPy written out here from the spec's formulas, never with the app's model code. Plotted y
values travel as float32, so they are compared with a float32 tolerance; x travels as float64.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import IDLE_JS, css_id, graph
from tests.support.formulas import sigmoid
from tests.support.shown import read_shown

pytestmark = pytest.mark.browser


# --- The spec's formulas ------------------------------------------------------------------------


SIN3 = {"w1": 1.35, "w2": -1.35, "w3": 1.0, "w4": 1.0, "w5": 1.0, "w6": 1.0}
SIN3 |= {"b1": -2.5, "b2": -2.5, "b3": -1.5, "b4": -1.5}
SQUARE2 = {"w1": 0.31, "w2": -0.31, "b1": -3.59, "b2": -3.59, "w3": 300.0, "w4": 300.0}
SQUARE2["b3"] = -11.5


def sin3_output(x: np.ndarray) -> np.ndarray:
    p = SIN3
    a = [sigmoid(x * p[f"w{j}"] + p[f"b{j}"]) for j in (1, 2, 3)]
    return a[0] * p["w4"] + a[1] * p["w5"] + a[2] * p["w6"] + p["b4"]


def formula(x: np.ndarray) -> np.ndarray:
    """sin(x) + x^2/20, as the test types it."""
    return np.sin(x) + x**2 / 20


def assert_numbers(actual: Any, expected: np.ndarray, what: str) -> None:
    """Equal within float32 rounding (y is sent as float32)."""
    actual_arr = np.asarray(actual, dtype=float)
    assert actual_arr.shape == expected.shape, f"{what}: {actual_arr.shape} != {expected.shape}"
    scale = max(1.0, float(np.nanmax(np.abs(expected))))
    np.testing.assert_allclose(actual_arr, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def assert_sig(text: str, expected: float, digits: int, what: str) -> None:
    half_unit = 0.5 * 10 ** (np.floor(np.log10(abs(expected))) - digits + 1)
    assert abs(read_shown(text, "en") - expected) <= half_unit * (1 + 1e-6), (
        f"{what}: {text} vs {expected}"
    )


# --- Page helpers -------------------------------------------------------------------------------


def panel(tab: str) -> str:
    return css_id(bar="main", key=tab, type="panel")


def control(tab: str, field: str) -> str:
    return css_id(field=field, tab=tab, type="target")


READ_JS = """
const readPlot = (sel) => {
    const gd = document.querySelector(sel);
    if (!gd || !gd._fullData || !gd.calcdata) return null;
    const traces = {};
    gd._fullData.forEach((t, i) => {
        traces[t.uid] = {
            x: Array.from(t.x), y: Array.from(t.y), dash: t.line ? t.line.dash : null,
            stackgroup: t.stackgroup || null,
            // Once Plotly has stacked a trace, each calcdata point's y is the running top.
            top: t.stackgroup && gd.calcdata[i] ? gd.calcdata[i].map(p => p.y) : null,
        };
    });
    const shapes = (gd._fullLayout.shapes || []).map(s => ({type: s.type, x0: s.x0, x1: s.x1}));
    return {uids: gd._fullData.map(t => t.uid), traces, shapes};
};
// A cheap fingerprint of what is drawn: each trace's uid, length and sums of x and y.
const drawnKey = (sel) => {
    const gd = document.querySelector(sel);
    if (!gd || !gd._fullData) return null;
    const sum = (a) => { let s = 0; for (const v of a) if (Number.isFinite(v)) s += v; return s; };
    return JSON.stringify(gd._fullData.map(t => [t.uid, t.x.length, sum(t.x), sum(t.y)]));
};
"""

READY_JS = IDLE_JS + READ_JS + "(sel) => dashIdle() && drawnKey(sel) !== null"

CHANGED_JS = (
    IDLE_JS
    + READ_JS
    + """
({sel, before}) => {
    if (!dashIdle()) return false;
    const now = drawnKey(sel);
    return now !== null && now !== before;
}
"""
)


def read_plot(page: Page, tab: str) -> dict[str, Any]:
    return page.evaluate(IDLE_JS + READ_JS + "(sel) => readPlot(sel)", graph(tab))


def after(page: Page, tab: str, action: Any) -> dict[str, Any]:
    """Do ``action``, then wait until the tab's plot has changed and Dash is idle."""
    before = page.evaluate(IDLE_JS + READ_JS + "(sel) => drawnKey(sel)", graph(tab))
    action()
    page.wait_for_function(CHANGED_JS, arg={"sel": graph(tab), "before": before})
    return read_plot(page, tab)


def wait_idle(page: Page) -> None:
    page.wait_for_function(IDLE_JS + "() => dashIdle()")


def open_tab(page: Page, url: str, tab: str, label: str) -> None:
    page.goto(url)
    page.wait_for_function(READY_JS, arg=graph("gallery"))
    page.locator(css_id(bar="main", type="tabbar")).get_by_text(label, exact=True).click()
    expect(page.locator(panel(tab))).to_be_visible()
    page.wait_for_function(READY_JS, arg=graph(tab))
    page.locator(panel(tab) + " details.target-controls > summary").click()
    expect(page.locator(control(tab, "formula"))).to_be_visible()


def type_formula(page: Page, tab: str, text: str) -> None:
    box = page.locator(control(tab, "formula"))
    box.fill(text)
    box.press("Enter")


def same_plot(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal, NaN included (JSON writes NaN as null)."""
    return json.dumps(a) == json.dumps(b)


# --- Tests --------------------------------------------------------------------------------------


def test_formula_target_and_the_view_beyond(page: Page, app_url: str) -> None:
    tab = "sin3"
    open_tab(page, app_url, tab, "3 neurons → sin x")
    status = page.locator(css_id(tab=tab, type="status"))
    score = page.locator(css_id(tab=tab, type="score"))
    x = np.linspace(-10.0, 10.0, 1000)
    start = read_plot(page, tab)
    assert_numbers(start["traces"]["target"]["y"], np.sin(x), "sin x at first")

    # "Formula…" with the box still empty: the status says so and the plot stays.
    page.locator(control(tab, "target")).click()
    listbox = page.locator(".dash-dropdown-options[role=listbox]")
    listbox.get_by_role("option", name="Formula…", exact=True).click()
    expect(listbox).to_have_count(0)
    expect(status).to_have_text("The formula is empty: type a function of x, for example x^2 + 1.")
    wait_idle(page)
    assert same_plot(read_plot(page, tab), start)

    plot = after(page, tab, lambda: type_formula(page, tab, "sin(x) + x^2/20"))
    expect(status).to_have_text("")
    target = plot["traces"]["target"]
    np.testing.assert_array_equal(target["x"], x)
    assert_numbers(target["y"], formula(x), "the typed formula")
    assert_numbers(plot["traces"]["output"]["y"], sin3_output(x), "the output, unchanged")
    assert "beyond" not in plot["uids"] and plot["shapes"] == []
    rmse = float(np.sqrt(np.mean((sin3_output(x) - formula(x)) ** 2)))
    expect(score).to_have_text(re.compile(r"^RMSE \S+ · max error \S+$"))
    score_text = score.inner_text()
    assert_sig(score_text.split()[1], rmse, 3, "the score against the formula")

    # The view beyond: half the width more on each side, 2000 points, dotted outside.
    beyond_box = page.locator(control(tab, "beyond") + " input[type=checkbox]")
    plot = after(page, tab, beyond_box.check)
    xb = np.linspace(-20.0, 20.0, 2000)
    for uid, trace in plot["traces"].items():
        np.testing.assert_array_equal(trace["x"], xb, err_msg=uid)
    assert plot["uids"][-3:] == ["beyond", "output", "target"]
    inside = (xb >= -10) & (xb <= 10)
    output = np.asarray(plot["traces"]["output"]["y"], dtype=float)
    beyond = np.asarray(plot["traces"]["beyond"]["y"], dtype=float)
    np.testing.assert_array_equal(np.isnan(output), ~inside)
    np.testing.assert_array_equal(np.isnan(beyond), inside)
    assert_numbers(np.where(inside, output, beyond), sin3_output(xb), "output inside and beyond")
    assert plot["traces"]["beyond"]["dash"] == "dot"
    assert_numbers(plot["traces"]["target"]["y"], formula(xb), "the formula over the whole plot")
    assert plot["shapes"] == [{"type": "rect", "x0": -10, "x1": 10}]
    expect(score).to_have_text(score_text)  # still scored on [-10, 10] only

    # A bad formula: the status marks where, the plot stays as it was.
    before = read_plot(page, tab)
    type_formula(page, tab, "sin(x")
    expect(status).to_have_text(
        "The formula stops short: something is missing after character 5: sin(x⟦⟧"
    )
    wait_idle(page)
    assert same_plot(read_plot(page, tab), before)
    expect(score).to_have_text(score_text)


def test_stacked_shares_add_up_to_the_output(page: Page, app_url: str) -> None:
    tab = "square2"
    open_tab(page, app_url, tab, "2 neurons → x²")
    x = np.linspace(-10.0, 10.0, 1000)
    p = SQUARE2
    stack_box = page.locator(control(tab, "stack") + " input[type=checkbox]")
    plot = after(page, tab, stack_box.check)
    assert plot["uids"][:3] == ["bias", "p1", "p2"], "the stack is drawn under the rest"
    traces = plot["traces"]
    for uid in ("bias", "p1", "p2"):
        assert traces[uid]["stackgroup"] == "parts", uid
        np.testing.assert_array_equal(traces[uid]["x"], x, err_msg=uid)
    a1, a2 = sigmoid(x * p["w1"] + p["b1"]), sigmoid(x * p["w2"] + p["b2"])
    output = a1 * p["w3"] + a2 * p["w4"] + p["b3"]
    assert_numbers(traces["bias"]["y"], np.full(x.size, p["b3"]), "the bias")
    assert_numbers(traces["p1"]["y"], a1 * p["w3"], "A1·w3")
    assert_numbers(traces["p2"]["y"], a2 * p["w4"], "A2·w4")
    assert_numbers(traces["output"]["y"], output, "the output")
    parts = np.sum([np.asarray(traces[u]["y"], dtype=float) for u in ("bias", "p1", "p2")], axis=0)
    np.testing.assert_allclose(parts, traces["output"]["y"], rtol=0, atol=1e-4)
    # What Plotly stacked: the top of the last share is the output.
    np.testing.assert_allclose(traces["p2"]["top"], traces["output"]["y"], rtol=0, atol=1e-4)

    plot = after(page, tab, stack_box.uncheck)
    assert not {"bias", "p1", "p2"} & set(plot["uids"])
    assert_numbers(plot["traces"]["output"]["y"], output, "the output without the stack")
