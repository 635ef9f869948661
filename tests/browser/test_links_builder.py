"""A builder link in a real browser: it opens the linked network with its weights and settings,
the plot is an independent NumPy forward pass of those weights, and after "one step" the address
bar holds the new weights (read back with dashboard.tabs.LINKS). Data reach page scripts as
``arg`` only (the app's CSP allows no eval)."""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.links import Net
from dashboard.model.train import Architecture, TrainConfig, TrainState, run
from dashboard.tabs import LINKS
from tests.support.browser import (
    READY_JS,
    box_value,
    css_id,
    graph,
    read_plot,
    slider_value,
    wait_idle,
)
from tests.support.formulas import assert_numbers

pytestmark = pytest.mark.browser

TAB = "builder"
X = np.linspace(-3.0, 3.0, 1000)
WIDTHS = (2, 3)
ACTS = ("tanh", "relu")
VALUES = {
    "w1_1_1": 1.25, "w1_1_2": -0.75, "b1_1": 0.5, "b1_2": -1.5,
    "w2_1_1": 0.8, "w2_1_2": -1.1, "w2_1_3": 2.0, "w2_2_1": 0.3, "w2_2_2": 1.7, "w2_2_3": -0.4,
    "b2_1": 0.1, "b2_2": -0.2, "b2_3": 0.25,
    "w3_1_1": 1.5, "w3_2_1": -0.6, "w3_3_1": 2.2, "b3_1": 0.05,
}  # fmt: skip
SETTINGS = "layers=2,3&acts=tanh,relu&seed=5&opt=sgd&lr=0.01&batch=0"


def forward(values: dict[str, float]) -> np.ndarray:
    """The network's output on X, from the naming rule (w{l}_{i}_{j}: unit i of layer l-1 into
    unit j of layer l), tanh then ReLU, a linear output."""
    sizes = (1, *WIDTHS, 1)
    a = X.reshape(-1, 1)
    for layer in range(1, len(sizes)):
        w = np.array([[values[f"w{layer}_{i}_{j}"] for j in range(1, sizes[layer] + 1)]
                      for i in range(1, sizes[layer - 1] + 1)])  # fmt: skip
        b = np.array([values[f"b{layer}_{j}"] for j in range(1, sizes[layer] + 1)])
        z = a @ w + b
        a = z if layer == len(sizes) - 1 else (np.tanh(z) if layer == 1 else np.maximum(z, 0))
    return a[:, 0]


def test_a_builder_link_opens_trains_one_step_and_the_address_follows(
    page: Page, app_url: str
) -> None:
    weights = "&".join(f"{n}={v}" for n, v in VALUES.items())
    page.goto(f"{app_url}/?tab={TAB}&{SETTINGS}&{weights}")
    page.wait_for_function(READY_JS, arg=[graph(TAB)])
    expect(page.locator("#notice")).to_have_text("")
    for name, value in VALUES.items():
        assert box_value(page, TAB, name) == value, name
    assert slider_value(page, TAB, "w2_1_3") == 2.0
    assert page.locator(css_id(name="layers", tab=TAB, type="control")).input_value() == "2"
    assert page.locator(css_id(name="seed", tab=TAB, type="control")).input_value() == "5"
    assert page.locator(css_id(name="lr", tab=TAB, type="control")).input_value() == "0.01"
    optimizer = page.locator(css_id(name="optimizer", tab=TAB, type="control"))
    expect(optimizer.locator("input[value=sgd]")).to_be_checked()
    assert_numbers(read_plot(page, TAB).y, forward(VALUES), "linked builder")

    # One step: the sliders take the new weights, and so does the address bar.
    before = page.url
    page.locator(css_id(tab=TAB, type="action", what="step")).click()
    page.wait_for_function("(url) => window.location.href !== url", arg=before)
    wait_idle(page)
    tab, state, notices = LINKS.decode(urlsplit(page.url).query)
    assert (tab, notices) == (TAB, [])
    assert state.net == Net(WIDTHS, ACTS, 5, "sgd", 0.01, 0)
    start = TrainState(Architecture(WIDTHS, ACTS),
                       [VALUES[n] for n in state.values], TrainConfig("sgd", 0.01), 5)  # fmt: skip
    stepped, _ = run(start, X, X**2, 1, 2.0)
    expected = dict(zip(state.values, stepped.theta.tolist(), strict=True))
    assert state.values == expected, "exactly one SGD step from the linked weights"
    for name in ("w1_1_1", "b3_1"):  # the boxes show the value rounded for reading
        assert box_value(page, TAB, name) == pytest.approx(state.values[name], abs=1e-5)
    assert_numbers(read_plot(page, TAB).y, forward(state.values), "after one step")
