"""A slider dragged with the mouse in a real browser: the plot follows the drag, and once the
mouse lets go it is drawn for exactly the value where the thumb stopped.

The mouse holds the thumb and moves in small increments out and back (a continuous drag, each
move a real pointer event); assets/params.js holds back moves while a value is on its way to
the plot and hands on the latest when the plot has redrawn and when the mouse lets go. The
expected curve is the spec's formula (tests/support/formulas.py) or, on the builder, the
forward pass written out in tests/browser/test_builder.py, for the values the sliders show.
"""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import Page

from tests.browser.test_builder import SLIDERS_JS
from tests.browser.test_builder import X as BUILDER_X
from tests.browser.test_builder import forward as builder_forward
from tests.support.browser import (
    OUTPUT_JS,
    READY_JS,
    box_value,
    graph,
    read_plot,
    slider_value,
    thumb,
    wait_idle,
)
from tests.support.formulas import SQUARE2_DEFAULTS, assert_numbers, sigmoid, square2_output

pytestmark = pytest.mark.browser

COUNT_JS = (
    OUTPUT_JS
    + """
(sel) => {
    // Every redraw whose output curve differs from the one before it.
    const gd = document.querySelector(sel);
    window.__curves = 0;
    let last = JSON.stringify(outputY(sel));
    const drawn = () => {
        const now = JSON.stringify(outputY(sel));
        if (now !== last) window.__curves++;
        last = now;
    };
    gd.on('plotly_afterplot', drawn);
    gd.on('plotly_transitioned', drawn);
}
"""
)


def drag(page: Page, tab: str, name: str) -> int:
    """Hold ``name``'s thumb and move it right, left past the start, and a little back right,
    in 2 px moves; let go. The curves drawn while the mouse was down."""
    page.evaluate(COUNT_JS, graph(tab))
    handle = page.locator(thumb(tab, name))
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for dx in (60, -50, -13):  # ends 3 px left of the start: off the default value
        x += dx
        page.mouse.move(x, y, steps=abs(dx) // 2)
    curves = page.evaluate("window.__curves")
    page.mouse.up()
    wait_idle(page)
    return curves


def test_a_drag_on_the_x2_tab_ends_drawn_at_the_thumbs_value(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?tab=square2")
    page.wait_for_function(READY_JS, arg=[graph("square2")])
    curves = drag(page, "square2", "w1")
    value = slider_value(page, "square2", "w1")
    assert value != SQUARE2_DEFAULTS["w1"], "the drag moved the slider"
    assert curves >= 1, "the plot followed the thumb while the mouse was down"
    assert box_value(page, "square2", "w1") == pytest.approx(value, abs=1e-12)
    x = np.linspace(-10.0, 10.0, 1000)
    expected = square2_output(x, sigmoid, SQUARE2_DEFAULTS | {"w1": value})
    assert_numbers(read_plot(page, "square2").y, expected, f"square2 after a drag to {value}")


def test_a_drag_on_the_builder_ends_drawn_at_the_thumbs_value(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?tab=builder")
    page.wait_for_function(READY_JS, arg=[graph("builder")])
    before = page.evaluate(SLIDERS_JS)
    name = next(n for n in before if page.locator(thumb("builder", n)).is_visible())
    curves = drag(page, "builder", name)
    values = page.evaluate(SLIDERS_JS)
    assert values[name] != before[name], "the drag moved the slider"
    assert {n: v for n, v in values.items() if n != name} == {
        n: v for n, v in before.items() if n != name
    }
    assert curves >= 1, "the plot followed the thumb while the mouse was down"
    assert box_value(page, "builder", name) == pytest.approx(values[name], abs=1e-12)
    widths = (sum(1 for n in values if n.startswith("b1_")),)
    expected = builder_forward(values, widths)
    assert_numbers(read_plot(page, "builder").y, expected, f"builder after a drag of {name}")
    assert len(BUILDER_X) == len(read_plot(page, "builder").x)
