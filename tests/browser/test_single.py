"""Real-browser tests of the gallery's and the single neuron's overlays and parameter controls.

What is compared is what Plotly drew (``gd._fullData`` and ``gd._fullLayout.shapes``), against
formulas written out here with NumPy and ``math.erf``, independently of the app's model.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import IDLE_JS, css_id, graph

pytestmark = pytest.mark.browser

X_GALLERY = np.linspace(-7.0, 5.0, 100)
X_NEURON = np.linspace(-5.0, 5.0, 1000)
CATALOGUE_EN = [
    "Sigmoid", "TanH", "ReLU", "ELU", "Leaky ReLU", "Linear", "GELU",
    "GELU (tanh approximation)", "SiLU / Swish", "Mish", "Softplus", "Softsign", "SELU", "CELU",
    "Hard sigmoid", "Hard tanh", "ReLU6", "Hard swish", "Gaussian", "Sine", "Step",
]  # fmt: skip
PARAMETRISED = ("elu", "leaky_relu", "softplus", "celu", "hard_tanh")


READ_JS = """
(sel) => {
    const gd = document.querySelector(sel);
    if (!gd || !gd._fullData || !gd._fullLayout) return null;
    const traces = {};
    for (const t of gd._fullData) {
        traces[t.uid] = {
            x: Array.from(t.x), y: Array.from(t.y), name: t.name,
            dash: t.line ? t.line.dash : null, showlegend: t.showlegend,
        };
    }
    const shapes = (gd._fullLayout.shapes || []).map(s => ({
        type: s.type, x0: s.x0, x1: s.x1, name: s.name, showlegend: s.showlegend,
        dash: s.line ? s.line.dash : null, label: s.label ? s.label.text : null,
    }));
    return {title: gd._fullLayout.title.text, traces, shapes};
}
"""


def wait_js(test: str) -> str:
    """A page function true once Dash is idle and ``test`` (JavaScript on ``plot``) holds.

    The test is written into the function's text, not evaluated with ``new Function``, which
    the app's Content-Security-Policy forbids.
    """
    return (
        IDLE_JS
        + "const read = "
        + READ_JS
        + f""";
(sel) => {{
    if (!dashIdle()) return false;
    const plot = read(sel);
    return plot !== null && ({test});
}}
"""
    )


def read(page: Page, tab: str) -> dict[str, Any]:
    return page.evaluate(READ_JS, graph(tab))


def wait_plot(page: Page, tab: str, test: str) -> dict[str, Any]:
    """Wait until Dash is idle and the JavaScript expression ``test`` holds for the plot."""
    page.wait_for_function(wait_js(test), arg=graph(tab))
    return read(page, tab)


def wait_changed(page: Page, tab: str, before: list[float]) -> dict[str, Any]:
    test = f"JSON.stringify(plot.traces.output.y) !== {json.dumps(json.dumps(before))}"
    return wait_plot(page, tab, test)


def assert_numbers(actual: list[float], expected: np.ndarray, what: str) -> None:
    """Equal within float32 rounding (y values are sent as float32)."""
    actual_arr = np.asarray(actual, dtype=float)
    assert actual_arr.shape == expected.shape, what
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual_arr, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_plot(page, "gallery", "'output' in plot.traces")


def open_tab(page: Page, key: str, label: str) -> None:
    page.locator(css_id(bar="main", type="tabbar")).get_by_text(label, exact=True).click()
    expect(page.locator(css_id(bar="main", key=key, type="panel"))).to_be_visible()
    wait_plot(page, key, "'output' in plot.traces")


def choose(page: Page, tab: str, label: str) -> None:
    page.locator(css_id(tab=tab, type="activation")).click()
    listbox = page.locator(".dash-dropdown-options[role=listbox]")
    listbox.get_by_role("option", name=label, exact=True).click()
    expect(listbox).to_have_count(0)


def overlay_box(page: Page, tab: str, value: str) -> Any:
    return page.locator(css_id(tab=tab, type="overlays") + f" input[value={value}]")


def type_into(page: Page, selector: str, value: str) -> None:
    field = page.locator(selector)
    field.fill(value)
    field.press("Enter")


def expect_only_group(page: Page, tab: str, shown: str | None) -> None:
    for key in PARAMETRISED:
        group = page.locator(css_id(act=key, tab=tab, type="act_group"))
        if key == shown:
            expect(group).to_be_visible()
        else:
            expect(group).to_be_hidden()


def gelu(x: np.ndarray) -> np.ndarray:
    return x * 0.5 * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in x]))


def gelu_slope(x: np.ndarray) -> np.ndarray:
    cdf = 0.5 * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in x]))
    return cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def elu(z: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0))


def sigmoid_slope(z: np.ndarray) -> np.ndarray:
    s = 1.0 / (1.0 + np.exp(-z))
    return s * (1.0 - s)


def test_gallery_gelu_with_its_derivative(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.locator(css_id(tab="gallery", type="activation")).click()
    options = page.locator(".dash-dropdown-options[role=listbox] [role=option]")
    expect(options).to_have_count(len(CATALOGUE_EN))  # the list opens a moment after the click
    assert options.all_inner_texts() == CATALOGUE_EN
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)
    expect_only_group(page, "gallery", None)

    choose(page, "gallery", "GELU")
    plot = wait_plot(page, "gallery", "plot.title === 'GELU function'")
    assert list(plot["traces"]) == ["output"]
    assert_numbers(plot["traces"]["output"]["y"], gelu(X_GALLERY), "GELU")
    expect_only_group(page, "gallery", None)

    # The overlay is a check box: Tab to it and press Space.
    box = overlay_box(page, "gallery", "derivative")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    plot = wait_plot(page, "gallery", "'derivative' in plot.traces")
    d = plot["traces"]["derivative"]
    np.testing.assert_array_equal(np.asarray(d["x"]), X_GALLERY)
    assert_numbers(d["y"], gelu_slope(X_GALLERY), "GELU'(x)")
    assert d["dash"] == "dash" and d["name"] == "derivative A′(z)"
    assert d["showlegend"] is True
    assert_numbers(plot["traces"]["output"]["y"], gelu(X_GALLERY), "GELU still drawn")

    # A parametrised activation shows its own control, and the derivative follows it.
    choose(page, "gallery", "ELU")
    expect_only_group(page, "gallery", "elu")
    plot = wait_plot(page, "gallery", "plot.title === 'ELU function'")
    before = plot["traces"]["output"]["y"]
    type_into(page, css_id(act="elu", name="alpha", tab="gallery", type="act_box"), "2")
    plot = wait_changed(page, "gallery", before)
    assert_numbers(plot["traces"]["output"]["y"], elu(X_GALLERY, 2.0), "ELU α=2")
    slope = np.where(X_GALLERY > 0, 1.0, 2.0 * np.exp(np.minimum(X_GALLERY, 0.0)))
    assert_numbers(plot["traces"]["derivative"]["y"], slope, "ELU' α=2")


def test_neuron_elu_alpha_typed(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_tab(page, "neuron", "One neuron")
    expect_only_group(page, "neuron", None)
    choose(page, "neuron", "ELU")
    expect_only_group(page, "neuron", "elu")
    plot = wait_plot(page, "neuron", "plot.title === 'ELU neuron'")
    z = X_NEURON * 2.0 + 1.0
    assert_numbers(plot["traces"]["output"]["y"], elu(z, 1.0), "ELU α=1")

    alpha_box = css_id(act="elu", name="alpha", tab="neuron", type="act_box")
    thumb = page.locator(css_id(act="elu", name="alpha", tab="neuron", type="act_param"))
    thumb = thumb.locator("[role=slider]")
    type_into(page, alpha_box, "2")
    plot = wait_changed(page, "neuron", plot["traces"]["output"]["y"])
    expect(thumb).to_have_attribute("aria-valuenow", "2")
    assert_numbers(plot["traces"]["output"]["y"], elu(z, 2.0), "ELU α=2 typed")

    # Off the slider's 0.05 grid: the typed number itself reaches the plot.
    type_into(page, alpha_box, "0.37")
    plot = wait_changed(page, "neuron", plot["traces"]["output"]["y"])
    assert_numbers(plot["traces"]["output"]["y"], elu(z, 0.37), "ELU α=0.37 typed")

    # Beyond the documented range: the plot stays and the status says why.
    status = page.locator(css_id(tab="neuron", type="status"))
    type_into(page, alpha_box, "5")
    expect(status).to_have_text(
        "α: enter a value from 0 to 3; the plot shows the last valid values."
    )
    plot = wait_plot(page, "neuron", "true")
    assert_numbers(plot["traces"]["output"]["y"], elu(z, 0.37), "still α=0.37")

    # The slider's arrow keys move α too, by its step of 0.05.
    type_into(page, alpha_box, "1.5")
    plot = wait_changed(page, "neuron", plot["traces"]["output"]["y"])
    expect(status).to_have_text("")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    expect(thumb).to_have_attribute("aria-valuenow", "1.55")
    plot = wait_changed(page, "neuron", plot["traces"]["output"]["y"])
    assert_numbers(plot["traces"]["output"]["y"], elu(z, 1.55), "ELU α=1.55 by keyboard")
    expect(page.locator(alpha_box)).to_have_value("1.55")


def test_neuron_step_point_and_flat_regions_follow_b(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_tab(page, "neuron", "One neuron")
    marks = overlay_box(page, "neuron", "marks")
    expect(marks).to_be_checked()
    plot = read(page, "neuron")
    (line,) = [s for s in plot["shapes"] if s["type"] == "line"]
    assert line["x0"] == line["x1"] == pytest.approx(-0.5, abs=1e-12)
    assert line["dash"] == "dot" and line["label"] == "x = −b/w = −0.5"
    rects = [s for s in plot["shapes"] if s["type"] == "rect"]
    assert len(rects) == 2 and rects[0]["x0"] == -5.0 and rects[1]["x1"] == 5.0

    before = plot["traces"]["output"]["y"]
    type_into(page, css_id(name="b", tab="neuron", type="box"), "3")
    plot = wait_changed(page, "neuron", before)
    (line,) = [s for s in plot["shapes"] if s["type"] == "line"]
    assert line["x0"] == line["x1"] == pytest.approx(-1.5, abs=1e-12)
    assert line["label"] == "x = −b/w = −1.5"
    # σ' < 1 % of its peak where |z| > 2 arccosh 10; here z = 2x + 3.
    edge = 2.0 * math.acosh(10.0)
    left, right = (s for s in plot["shapes"] if s["type"] == "rect")
    assert left["x1"] == pytest.approx((-edge - 3.0) / 2.0, abs=0.011)
    assert right["x0"] == pytest.approx((edge - 3.0) / 2.0, abs=0.011)

    thumb = page.locator(css_id(name="b", tab="neuron", type="param") + " [role=slider]")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    plot = wait_changed(page, "neuron", plot["traces"]["output"]["y"])
    (line,) = [s for s in plot["shapes"] if s["type"] == "line"]
    assert line["x0"] == pytest.approx(-1.55, abs=1e-9)

    # The derivative overlay: w·σ'(x·w + b), dashed, on the same plot.
    overlay_box(page, "neuron", "derivative").click()
    plot = wait_plot(page, "neuron", "'derivative' in plot.traces")
    z = X_NEURON * 2.0 + 3.1
    assert_numbers(plot["traces"]["derivative"]["y"], 2.0 * sigmoid_slope(z), "dA/dx")
    assert plot["traces"]["derivative"]["dash"] == "dash"

    # With the step point beyond the plot, the line goes; w = 0 has none at all.
    type_into(page, css_id(name="b", tab="neuron", type="box"), "-10.5")
    plot = wait_changed(page, "neuron", plot["traces"]["output"]["y"])
    assert [s for s in plot["shapes"] if s["type"] == "line"] == []

    # Unchecking the marks removes every shape.
    marks.click()
    plot = wait_plot(page, "neuron", "plot.shapes.length === 0")
    assert "derivative" in plot["traces"]


def test_language_switch_keeps_each_dropdowns_options(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.locator("#lang").get_by_text("Русский", exact=True).click()
    wait_plot(page, "gallery", "plot.title === 'Функция Sigmoid'")
    page.locator(css_id(tab="gallery", type="activation")).click()
    options = page.locator(".dash-dropdown-options[role=listbox] [role=option]")
    expect(options).to_have_count(len(CATALOGUE_EN))  # the list opens a moment after the click
    labels = options.all_inner_texts()
    assert len(labels) == len(CATALOGUE_EN) and "Жёсткий tanh" in labels
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)
    expect(overlay_box(page, "gallery", "derivative").locator("xpath=../..")).to_contain_text(
        "Показать производную A′(z)"
    )
    open_tab(page, "square2", "2 нейрона → x²")
    page.locator(css_id(tab="square2", type="activation")).click()
    expect(options).to_have_count(len(CATALOGUE_EN))
    labels = options.all_inner_texts()
    assert len(labels) == len(CATALOGUE_EN) and "Жёсткий tanh" in labels, "the whole catalogue"
    page.keyboard.press("Escape")
