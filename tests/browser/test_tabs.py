"""Real-browser tests: every tab driven through its controls, numbers checked against NumPy.

The expected curves come from the formulas of the product spec (the notebook's facts), written
out in tests/support/formulas.py apart from the app's model code, so a wrong formula, a wrong
parameter wiring or a wrong grid in the app makes these tests fail. What is compared is what Plotly
actually drew: ``gd._fullData`` of the graph in the page. Plotted y values travel as float32,
so they are compared with a float32 tolerance.

Each parameter has a slider and a number box; the slider holds the value the model uses, and the
two follow each other in the browser.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    READY_JS,
    TABS,
    Plot,
    after,
    box,
    box_value,
    choose_by_click,
    choose_by_keyboard,
    css_id,
    dropdown,
    graph,
    open_app,
    open_tab,
    panel,
    press_on_slider,
    read_plot,
    shown_activation,
    slider_value,
    status,
    tab_label,
    tabbar,
    thumb,
    type_value,
    wait_for_title,
    wait_idle,
)
from tests.support.formulas import (
    ACT,
    DEEP_DEFAULTS,
    PRESET_ROWS,
    PRESETS,
    SIN3_DEFAULTS,
    SQUARE2_DEFAULTS,
    assert_exact,
    assert_numbers,
    deep_output,
    elu,
    relu,
    sigmoid,
    sin3_output,
    square2_output,
    tanh,
)

pytestmark = pytest.mark.browser

# --- Tests ------------------------------------------------------------------------------------


def test_gallery_dropdown_by_keyboard_and_click(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    x = np.linspace(-7.0, 5.0, 100)

    start = read_plot(page, "gallery")
    assert start.title == "Sigmoid function"
    assert (start.xtitle, start.ytitle) == ("z", "Output"), "A(z): the axis is the sum z"
    assert start.showlegend is True
    assert start.grid is True
    assert_exact(start.x, x, "gallery x")
    assert_numbers(start.y, sigmoid(x), "gallery sigmoid")

    page.locator(dropdown("gallery")).click()
    options = page.locator(".dash-dropdown-options[role=listbox] [role=option]")
    # The whole catalogue, the notebook's five first (tests/browser/test_single.py lists it).
    expect(options).to_have_count(21)  # the list opens a moment after the click
    assert options.all_inner_texts()[:5] == ["Sigmoid", "TanH", "ReLU", "ELU", "Leaky ReLU"]
    assert options.count() == 21
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)

    plot = after(page, "gallery", lambda: choose_by_keyboard(page, "gallery", "tanh"))
    expect(shown_activation(page, "gallery")).to_have_text("TanH")
    assert plot.title == "TanH function"
    assert_exact(plot.x, x, "gallery x")
    assert_numbers(plot.y, tanh(x), "gallery tanh")

    plot = after(page, "gallery", lambda: choose_by_click(page, "gallery", "ReLU"))
    expect(shown_activation(page, "gallery")).to_have_text("ReLU")
    assert plot.title == "ReLU function"
    assert_numbers(plot.y, relu(x), "gallery relu")
    assert plot.yautorange is True, "the gallery's y-axis follows the curve"


def test_neuron_keyboard_slider_typed_value_and_dropdown(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_tab(page, "neuron")
    x = np.linspace(-5.0, 5.0, 1000)

    start = read_plot(page, "neuron")
    assert start.title == "Sigmoid neuron"
    assert_exact(start.x, x, "neuron x")
    assert_numbers(start.y, sigmoid(x * 2.0 + 1.0), "neuron default w=2, b=1")
    assert (box_value(page, "neuron", "w"), box_value(page, "neuron", "b")) == (2.0, 1.0)

    plot = after(page, "neuron", lambda: press_on_slider(page, "neuron", "w", "ArrowRight"))
    assert slider_value(page, "neuron", "w") == pytest.approx(2.1, abs=1e-9), "one 0.1 step"
    assert box_value(page, "neuron", "w") == pytest.approx(2.1, abs=1e-9), "the box follows"
    assert_numbers(plot.y, sigmoid(x * 2.1 + 1.0), "neuron w=2.1 by keyboard")

    plot = after(page, "neuron", lambda: type_value(page, "neuron", "b", "-2.5"))
    assert slider_value(page, "neuron", "b") == pytest.approx(-2.5), "the slider follows"
    assert_numbers(plot.y, sigmoid(x * 2.1 - 2.5), "neuron b=-2.5 typed")

    plot = after(page, "neuron", lambda: type_value(page, "neuron", "w", "25"))
    assert slider_value(page, "neuron", "w") == pytest.approx(25.0)
    assert_numbers(plot.y, sigmoid(x * 25.0 - 2.5), "neuron w=25 typed")

    plot = after(page, "neuron", lambda: choose_by_click(page, "neuron", "ELU"))
    expect(shown_activation(page, "neuron")).to_have_text("ELU")
    assert plot.title == "ELU neuron"
    assert_exact(plot.x, x, "neuron x")
    assert_numbers(plot.y, elu(x * 25.0 - 2.5), "neuron ELU w=25 b=-2.5")


def test_square2_keyboard_slider_and_presets(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_tab(page, "square2")
    x = np.linspace(-10.0, 10.0, 1000)
    p = dict(SQUARE2_DEFAULTS)

    start = read_plot(page, "square2")
    assert start.title == "1 hidden layer, with 2 Sigmoid neurons"
    assert start.yrange == [-1, 100]
    assert start.yautorange is False
    assert start.drawn_yrange == [-1, 100]
    assert_exact(start.x, x, "square2 x")
    assert_numbers(start.y, square2_output(x, sigmoid, p), "square2 defaults")

    plot = after(page, "square2", lambda: press_on_slider(page, "square2", "b3", "ArrowRight"))
    p["b3"] = -11.4
    assert slider_value(page, "square2", "b3") == pytest.approx(p["b3"], abs=1e-9)
    assert_numbers(plot.y, square2_output(x, sigmoid, p), "square2 b3=-11.4 by keyboard")
    assert plot.yrange == [-1, 100], "the y-axis stays fixed while parameters move"
    assert plot.title == "1 hidden layer, with 2 Sigmoid neurons"

    # Every trace the spec lists: two activations and two neuron outputs (dashed), the output
    # (red, thick) and x² (dotted).
    assert sorted(plot.uids) == sorted(["a11", "a12", "c1", "c2", "output", "target"])
    a1, a2 = sigmoid(x * p["w1"] + p["b1"]), sigmoid(x * p["w2"] + p["b2"])
    expected = {
        "a11": a1,
        "a12": a2,
        "c1": a1 * p["w3"] + p["b3"],
        "c2": a2 * p["w4"] + p["b3"],
        "target": x**2,
    }
    for uid, values in expected.items():
        assert_numbers(plot.traces[uid]["y"], values, f"square2 trace {uid}")
        assert_exact(plot.traces[uid]["x"], x, f"square2 trace {uid} x")
    for uid in ("a11", "a12", "c1", "c2"):
        assert plot.traces[uid]["dash"] in ("dash", "longdash"), uid
    assert plot.traces["target"]["dash"] == "dot"
    out = plot.traces["output"]
    assert out["dash"] == "solid" and out["width"] >= 3
    r, g, b = (int(out["color"][i : i + 2], 16) for i in (1, 3, 5))
    assert r > 180 and g < 90 and b < 90, f"output should be red, is {out['color']}"

    # Presets write every number box and the dropdown; the sliders and the plot follow.
    names = {"sigmoid": "Sigmoid", "tanh": "TanH"}
    # RMSE of each preset against x² on [-10, 10], as the spec measured it.
    rmse = {"sigmoid": 4.61, "tanh": 39.8}

    for key in ("tanh", "sigmoid"):
        button = page.locator(css_id(row=PRESET_ROWS[key], tab="square2", type="preset"))
        plot = after(page, "square2", button.click)
        for name, value in PRESETS[key].items():
            assert box_value(page, "square2", name) == pytest.approx(value, abs=1e-9), (
                f"{key} preset: box {name}"
            )
            assert slider_value(page, "square2", name) == pytest.approx(value, abs=1e-9), (
                f"{key} preset: slider {name}"
            )
        expect(shown_activation(page, "square2")).to_have_text(names[key])
        assert plot.title == f"1 hidden layer, with 2 {names[key]} neurons"
        expected = square2_output(x, ACT[key], PRESETS[key])
        assert_numbers(plot.y, expected, f"square2 after the {key} preset")
        measured = float(np.sqrt(np.mean((np.asarray(plot.y) - x**2) ** 2)))
        assert measured == pytest.approx(rmse[key], abs=0.01 if key == "sigmoid" else 0.1)

    # After a preset, a slider step redraws (by a patch) every trace it moves and no other.
    p = dict(PRESETS["sigmoid"])
    plot = after(page, "square2", lambda: press_on_slider(page, "square2", "w2", "ArrowLeft"))
    p["w2"] = -0.4
    assert box_value(page, "square2", "w2") == pytest.approx(p["w2"], abs=1e-9)
    a1, a2 = sigmoid(x * p["w1"] + p["b1"]), sigmoid(x * p["w2"] + p["b2"])
    expected = {
        "a11": a1,
        "a12": a2,
        "c1": a1 * p["w3"] + p["b3"],
        "c2": a2 * p["w4"] + p["b3"],
        "output": square2_output(x, sigmoid, p),
        "target": x**2,
    }
    for uid, values in expected.items():
        assert_numbers(plot.traces[uid]["y"], values, f"square2 trace {uid}, w2=-0.4 after preset")


def test_sin3_typed_value(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_tab(page, "sin3")
    x = np.linspace(-10.0, 10.0, 1000)
    p = dict(SIN3_DEFAULTS)

    # The network's parameters (the activations' own, ELU's α and so on, have their groups).
    labels = page.locator(panel("main", "sin3") + " .sliders .param-name").all_inner_texts()
    assert labels == ["w1", "w2", "w3", "b1", "b2", "b3", "w4", "w5", "w6", "b4"]

    start = read_plot(page, "sin3")
    assert start.title == "1 hidden layer, with 3 Sigmoid neurons"
    assert start.yrange == [-1, 5]
    assert start.yautorange is False
    assert_exact(start.x, x, "sin3 x")
    assert_numbers(start.y, sin3_output(x, sigmoid, p), "sin3 defaults")
    assert_numbers(start.traces["target"]["y"], np.sin(x), "sin3 target")

    # Off-grid and out-of-range values: see test_typed_values_reach_the_plot.
    plot = after(page, "sin3", lambda: type_value(page, "sin3", "w5", "2.5"))
    p["w5"] = 2.5
    assert slider_value(page, "sin3", "w5") == pytest.approx(2.5)
    assert_numbers(plot.y, sin3_output(x, sigmoid, p), "sin3 w5=2.5 typed")
    for j in (1, 2, 3):
        a = sigmoid(x * p[f"w{j}"] + p[f"b{j}"])
        assert_numbers(plot.traces[f"a1{j}"]["y"], a, f"sin3 A{j}")
    assert plot.yrange == [-1, 5]
    assert sorted(plot.uids) == sorted(["a11", "a12", "a13", "output", "target"])


def test_deep_opened_by_keyboard_then_layer2_slider_and_dropdown(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    # The main tabs are a radio group: arrow keys on the checked one move between tabs.
    page.locator(tabbar("main") + " input:checked").focus()
    keys = ["ArrowRight", "ArrowRight", "ArrowLeft", "ArrowRight", "ArrowRight", "ArrowRight"]
    shows = ["neuron", "square2", "neuron", "square2", "sin3", "deep"]
    for key, shown in zip(keys, shows, strict=True):
        page.keyboard.press(key)
        expect(page.locator(tabbar("main") + f" input[value={shown}]")).to_be_checked()
        expect(page.locator(panel("main", shown))).to_be_visible()
        for other in TABS:
            if other != shown:
                expect(page.locator(panel("main", other))).to_be_hidden()
    x = np.linspace(-10.0, 10.0, 1000)
    p = dict(DEEP_DEFAULTS)

    # The panel shows at once; its figure comes with the tab's first callback answer.
    page.wait_for_function(READY_JS, arg=[graph("deep")])
    start = read_plot(page, "deep")
    assert start.title == "Model with 2 hidden layers, each with 3 Sigmoid neurons"
    assert start.yrange == [-1, 5]
    assert start.yautorange is False
    assert_numbers(start.y, deep_output(x, sigmoid, p), "deep defaults")

    w22 = page.locator(thumb("deep", "w22"))
    expect(w22).to_be_hidden()
    page.locator(tabbar("deep")).get_by_text("Layer 2", exact=True).click()
    expect(w22).to_be_visible()
    expect(page.locator(box("deep", "w22"))).to_be_visible()
    expect(page.locator(thumb("deep", "w11"))).to_be_hidden()
    expect(page.locator(thumb("deep", "w31"))).to_be_hidden()

    plot = after(page, "deep", lambda: press_on_slider(page, "deep", "w22", "ArrowLeft"))
    p["w22"] = 0.9
    assert slider_value(page, "deep", "w22") == pytest.approx(0.9, abs=1e-9)
    assert box_value(page, "deep", "w22") == pytest.approx(0.9, abs=1e-9)
    assert_exact(plot.x, x, "deep x")
    assert_numbers(plot.y, deep_output(x, sigmoid, p), "deep w22=0.9 by keyboard")
    # Each hidden unit on its own: w22 weighs A12 into A21, and nothing else.
    a1 = sigmoid(x * 1.0 + 1.0)
    for j in (1, 2, 3):
        assert_numbers(plot.traces[f"a1{j}"]["y"], a1, f"deep A1{j}")
    a21 = sigmoid(a1 * 1.0 + a1 * 0.9 + a1 * 1.0 + 1.0)
    a2 = sigmoid(3.0 * a1 + 1.0)
    for uid, values in (("a21", a21), ("a22", a2), ("a23", a2)):
        assert_numbers(plot.traces[uid]["y"], values, f"deep {uid}")

    plot = after(page, "deep", lambda: choose_by_click(page, "deep", "TanH"))
    expect(shown_activation(page, "deep")).to_have_text("TanH")
    assert plot.title == "Model with 2 hidden layers, each with 3 TanH neurons"
    assert_numbers(plot.y, deep_output(x, tanh, p), "deep TanH, w22=0.9")
    assert plot.yrange == [-1, 5]
    assert_numbers(plot.traces["target"]["y"], x**2, "deep target")
    hidden = ["a11", "a12", "a13", "a21", "a22", "a23"]
    assert sorted(plot.uids) == sorted([*hidden, "output", "target"])
    assert all(plot.traces[u]["dash"] == "dash" for u in hidden)


def test_language_follows_the_browser_and_switches(
    make_page: Callable[..., Page], app_url: str
) -> None:
    page = make_page(locale="ru-RU")  # Accept-Language: ru-RU
    open_app(page, app_url)
    gallery_tab = page.locator(tab_label("gallery"))
    square2_tab = page.locator(tab_label("square2"))
    expect(page.locator("#lang input[value=ru]")).to_be_checked()
    expect(gallery_tab).to_have_text("Активации")
    expect(square2_tab).to_have_text("2 нейрона → x²")
    assert read_plot(page, "gallery").title == "Функция Sigmoid"
    open_tab(page, "sin3", "3 нейрона → sin x")
    assert read_plot(page, "sin3").title == "1 скрытый слой, 3 нейрона Sigmoid"
    open_tab(page, "square2", "2 нейрона → x²")
    russian = read_plot(page, "square2")
    assert russian.title == "1 скрытый слой, 2 нейрона Sigmoid"
    assert russian.ytitle == "Выход"

    page.locator("#lang").get_by_text("English", exact=True).click()
    english = wait_for_title(page, "square2", "1 hidden layer, with 2 Sigmoid neurons")
    assert english.ytitle == "Output"
    assert english.y == russian.y, "translating must not change the numbers"
    expect(gallery_tab).to_have_text("Activations")
    expect(square2_tab).to_have_text("2 neurons → x²")
    expect(shown_activation(page, "square2")).to_have_text("Sigmoid")
    open_tab(page, "gallery")  # a tab opened after the switch is drawn in the new language
    assert read_plot(page, "gallery").title == "Sigmoid function"

    page.locator("#lang").get_by_text("Русский", exact=True).click()
    wait_for_title(page, "gallery", "Функция Sigmoid")
    open_tab(page, "deep", "2 слоя → x²")
    wait_for_title(page, "deep", "Модель с 2 скрытыми слоями по 3 нейрона Sigmoid")
    expect(page.locator(tab_label("neuron"))).to_have_text("Один нейрон")


def test_phone_width_plot_full_width_controls_below(
    make_page: Callable[..., Page], app_url: str
) -> None:
    width = 390
    page = make_page(viewport={"width": width, "height": 844})
    open_app(page, app_url)
    open_tab(page, "square2")
    pane = page.locator(panel("main", "square2") + " .plot-pane")
    controls = page.locator(panel("main", "square2") + " .controls")
    # A graph drawn while its tab was hidden gets Plotly's default 700 px; once shown it must
    # shrink to the phone's width.
    page.wait_for_function(
        "([sel, lo, hi]) => { const w = document.querySelector(sel)._fullLayout.width;"
        " return w >= lo && w <= hi; }",
        arg=[graph("square2"), 0.85 * width, width],
    )
    plot_box, controls_box = pane.bounding_box(), controls.bounding_box()
    assert plot_box is not None and controls_box is not None
    assert plot_box["width"] >= 0.9 * width, plot_box
    assert plot_box["x"] >= 0 and plot_box["x"] + plot_box["width"] <= width + 0.5
    assert controls_box["y"] >= plot_box["y"] + plot_box["height"] - 1, (plot_box, controls_box)
    assert controls_box["width"] >= 0.9 * width, controls_box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (
        "the page must not scroll sideways on a phone"
    )


def unchanged_with_message(page: Page, tab: str, name: str, typed: str, message: str) -> Plot:
    """Type something the model cannot use: the status names the parameter, the plot stays."""
    before = read_plot(page, tab)
    type_value(page, tab, name, typed)
    expect(page.locator(status(tab))).to_have_text(message)
    wait_idle(page)
    plot = read_plot(page, tab)
    assert plot.traces == before.traces, f"{tab}: typing {typed!r} into {name} changed the plot"
    return plot


def test_typed_values_reach_the_plot(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    x = np.linspace(-10.0, 10.0, 1000)
    open_tab(page, "sin3")
    # In range, but off the grid -8.65 + k*0.1 of w1's slider.
    plot = after(page, "sin3", lambda: type_value(page, "sin3", "w1", "3"))
    expect(page.locator(box("sin3", "w1"))).to_have_value("3")
    assert slider_value(page, "sin3", "w1") == pytest.approx(3.0)
    p = dict(SIN3_DEFAULTS, w1=3.0)
    assert_numbers(plot.y, sin3_output(x, sigmoid, p), "sin3 w1=3 typed")
    assert_numbers(plot.traces["a11"]["y"], sigmoid(x * 3.0 - 2.5), "sin3 A1, w1=3 typed")
    expect(page.locator(status("sin3"))).to_have_text("")

    unchanged_with_message(
        page, "sin3", "b4", "", "b4: enter a number; the plot shows the last valid values."
    )
    plot = after(page, "sin3", lambda: type_value(page, "sin3", "b4", "-0.25"))
    expect(page.locator(status("sin3"))).to_have_text("")
    p["b4"] = -0.25
    assert_numbers(plot.y, sin3_output(x, sigmoid, p), "sin3 b4=-0.25 typed after an empty box")

    # Beyond the slider's range, well inside the app's limit for typed values.
    open_tab(page, "neuron")
    xs = np.linspace(-5.0, 5.0, 1000)
    plot = after(page, "neuron", lambda: type_value(page, "neuron", "w", "60"))
    assert slider_value(page, "neuron", "w") == pytest.approx(60.0), "the slider sits beyond"
    assert_numbers(plot.y, sigmoid(xs * 60.0 + 1.0), "neuron w=60 typed")
    expect(page.locator(status("neuron"))).to_have_text("")

    # An empty box and a value beyond the limit leave the plot as it was, and say why.
    unchanged_with_message(
        page, "neuron", "w", "", "w: enter a number; the plot shows the last valid values."
    )
    plot = unchanged_with_message(
        page,
        "neuron",
        "w",
        "2e7",
        "w: 20,000,000 is beyond the allowed limit of ±1,000,000;"
        " the plot shows the last valid values.",
    )
    assert_numbers(plot.y, sigmoid(xs * 60.0 + 1.0), "neuron still w=60")

    # A usable value again: the message goes and the plot follows.
    plot = after(page, "neuron", lambda: type_value(page, "neuron", "w", "-3.25"))
    expect(page.locator(status("neuron"))).to_have_text("")
    assert slider_value(page, "neuron", "w") == pytest.approx(-3.25)
    assert_numbers(plot.y, sigmoid(xs * -3.25 + 1.0), "neuron w=-3.25 typed")


def test_switching_tabs_keeps_each_tabs_controls(page: Page, app_url: str) -> None:
    """Only the open tab is on the page; leaving a tab and coming back restores what was set,
    and the plot is redrawn from it (checked against NumPy, not against the earlier plot)."""
    open_app(page, app_url)
    open_tab(page, "square2")
    after(page, "square2", lambda: type_value(page, "square2", "w1", "0.5"))
    choose_by_click(page, "square2", "ReLU")
    p = SQUARE2_DEFAULTS | {"w1": 0.5}
    plot = wait_for_title(page, "square2", "1 hidden layer, with 2 ReLU neurons")
    assert_numbers(plot.y, square2_output(np.asarray(plot.x), relu, p), "before leaving")

    open_tab(page, "sin3")
    after(page, "sin3", lambda: type_value(page, "sin3", "w4", "2"))
    open_tab(page, "square2")
    assert box_value(page, "square2", "w1") == 0.5
    expect(shown_activation(page, "square2")).to_have_text("ReLU")
    plot = wait_for_title(page, "square2", "1 hidden layer, with 2 ReLU neurons")
    assert_numbers(plot.y, square2_output(np.asarray(plot.x), relu, p), "after coming back")

    open_tab(page, "sin3")
    assert box_value(page, "sin3", "w4") == 2.0
    plot = read_plot(page, "sin3")
    q = SIN3_DEFAULTS | {"w4": 2.0}
    assert_numbers(plot.y, sin3_output(np.asarray(plot.x), sigmoid, q), "sin3 after coming back")


COUNT_REQUESTS_JS = """() => {
    window.__updates = 0;
    const send = window.fetch;
    window.fetch = function (...args) {
        if (String(args[0]).includes('_dash-update-component')) window.__updates += 1;
        return send.apply(this, args);
    };
}"""


def test_a_mouse_drag_ends_with_the_plot_at_the_slider(page: Page, app_url: str) -> None:
    """A slider follows the thumb while it is dragged (a request per value it passes), and
    whatever answers Dash drops on the way, the plot ends at the value the thumb stopped at:
    every trace the slider moves, checked against the formulas."""
    open_app(page, app_url)
    open_tab(page, "square2")
    x = np.linspace(-10.0, 10.0, 1000)
    page.evaluate(COUNT_REQUESTS_JS)
    track = page.locator(css_id(name="w1", tab="square2", type="param")).bounding_box()
    knob = page.locator(thumb("square2", "w1")).bounding_box()
    assert track is not None and knob is not None
    y = knob["y"] + knob["height"] / 2
    page.mouse.move(knob["x"] + knob["width"] / 2, y)
    page.mouse.down()
    # Right across most of the track, then back part of the way, as a student's hand does.
    page.mouse.move(track["x"] + 0.85 * track["width"], y, steps=25)
    page.mouse.move(track["x"] + 0.6 * track["width"], y, steps=15)
    page.mouse.up()
    wait_idle(page)

    final = slider_value(page, "square2", "w1")
    assert final != pytest.approx(SQUARE2_DEFAULTS["w1"]), "the drag moved the slider"
    requests = page.evaluate("window.__updates")
    assert requests >= 5, f"only {requests} update requests: the plot did not follow the drag"
    expect(page.locator(box("square2", "w1"))).to_have_value(str(final))
    p = dict(SQUARE2_DEFAULTS, w1=final)
    a1 = sigmoid(x * final + p["b1"])
    # The last answer may still be on its way when Dash reports idle for an instant: look again
    # for a bounded time before judging.
    deadline = time.monotonic() + 10
    for _ in range(100):
        plot = read_plot(page, "square2")
        try:
            assert_numbers(plot.traces["a11"]["y"], a1, "A1 after the drag")
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(100)
    assert_numbers(plot.traces["c1"]["y"], a1 * p["w3"] + p["b3"], "A1·w3 + b3 after the drag")
    assert_numbers(plot.y, square2_output(x, sigmoid, p), "output after the drag")
    a2 = sigmoid(x * p["w2"] + p["b2"])
    assert_numbers(plot.traces["a12"]["y"], a2, "A2 untouched by the drag")
