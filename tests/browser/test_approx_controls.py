"""The approximation tabs' controls in a real browser: arrow keys step from the value a slider
holds, hints, errors at their boxes, the address bar, and preset tables' Apply buttons.

Expected curves come from the spec's formulas in tests/browser/test_tabs.py, not from the app.
"""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import READY_JS, after, box_value, graph, thumb, wait_idle
from tests.support.formulas import SQUARE2_DEFAULTS, assert_numbers, sigmoid, square2_output

pytestmark = pytest.mark.browser


def open_link(page: Page, app_url: str, query: str, tab: str) -> None:
    page.goto(f"{app_url}/?{query}")
    page.wait_for_function(READY_JS, arg=[graph(tab)])


def announced(page: Page, tab: str, name: str) -> float:
    return float(page.locator(thumb(tab, name)).get_attribute("aria-valuenow") or "nan")


def test_an_arrow_key_steps_from_the_value_the_slider_holds(page: Page, app_url: str) -> None:
    """w1 = 0.0603 (as a Fit writes it): ArrowLeft gives -0.0397, ArrowRight 0.0603 again,
    not the slider's grid (0 or 0.1); the plot follows each press."""
    open_link(page, app_url, "tab=square2&w1=0.0603", "square2")
    x = np.linspace(-10.0, 10.0, 1000)
    p = SQUARE2_DEFAULTS | {"w1": 0.0603}
    assert announced(page, "square2", "w1") == pytest.approx(0.0603, abs=1e-12)
    handle = page.locator(thumb("square2", "w1"))
    handle.focus()

    for key, value in (("ArrowLeft", -0.0397), ("ArrowRight", 0.0603), ("ArrowLeft", -0.0397)):
        plot = after(page, "square2", lambda key=key: page.keyboard.press(key))
        wait_idle(page)
        assert announced(page, "square2", "w1") == pytest.approx(value, abs=1e-9), key
        assert box_value(page, "square2", "w1") == pytest.approx(value, abs=1e-9), key
        p["w1"] = value
        assert_numbers(plot.y, square2_output(x, sigmoid, p), f"square2 after {key}")
        expect(handle).to_be_focused()

    # Shift+arrow: ten steps from where it is.
    plot = after(page, "square2", lambda: page.keyboard.press("Shift+ArrowRight"))
    assert announced(page, "square2", "w1") == pytest.approx(0.9603, abs=1e-9)
    assert_numbers(plot.y, square2_output(x, sigmoid, p | {"w1": 0.9603}), "w1 = 0.9603")


APPLY_JS = """
() => {
    const viewport = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('.table-wrap .apply')).map(button => {
        const b = button.getBoundingClientRect();
        const wrap = button.closest('.table-wrap');
        const w = wrap.getBoundingClientRect();
        return {
            id: button.id, left: b.left, right: b.right, width: b.width, viewport,
            wrapLeft: w.left + wrap.clientLeft,
            wrapRight: w.left + wrap.clientLeft + wrap.clientWidth,
            tableWidth: wrap.scrollWidth, wrapWidth: wrap.clientWidth,
        };
    });
}
"""

PRESET_TABS = ("neuron", "square2", "sin3", "deep")
"""Tabs with a preset table (assets/presets.js draws a table at once, every row)."""


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_apply_button_is_in_view_without_scrolling_sideways(
    make_page, app_url: str, width: int, height: int, lang: str
) -> None:
    page = make_page(
        locale="ru-RU" if lang == "ru" else "en-US", viewport={"width": width, "height": height}
    )
    wide = []
    for tab in PRESET_TABS:
        open_link(page, app_url, f"tab={tab}&lang={lang}", tab)
        expect(page.locator(".table-wrap .apply").first).to_be_attached()
        rows = page.locator(".table-wrap tbody tr").count()
        assert rows >= 5 and page.locator(".table-wrap .apply").count() == rows, tab
        for box in page.evaluate(APPLY_JS):
            where = f"{tab} {lang} {width}px {box['id']}"
            assert box["width"] > 0, where
            assert box["left"] >= 0 and box["right"] <= box["viewport"] + 0.5, where
            assert box["wrapLeft"] - 0.5 <= box["left"], where
            assert box["right"] <= box["wrapRight"] + 0.5, where
            if box["tableWidth"] > box["wrapWidth"]:
                wide.append(tab)
    # The case that matters is tested: at least one table is wider than its panel.
    assert wide, "no preset table was wider than its panel"
