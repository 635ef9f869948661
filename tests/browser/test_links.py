"""Links in a real browser: a shared link opens its view, and the address bar follows the user.

The plotted numbers are checked against NumPy written in tests/browser/test_tabs.py from the
spec's formulas; the address bar is read back with dashboard.tabs.LINKS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.tabs import LINKS
from tests.support.browser import (
    READY_JS,
    after,
    box,
    box_value,
    css_id,
    graph,
    open_tab,
    read_plot,
    shown_activation,
    slider_value,
    type_value,
    wait_for_title,
)
from tests.support.formulas import (
    SIN3_DEFAULTS,
    SQUARE2_DEFAULTS,
    assert_numbers,
    sigmoid,
    sin3_output,
    square2_output,
    tanh,
)

pytestmark = pytest.mark.browser


def test_a_shared_link_opens_the_exact_view(page: Page, app_url: str) -> None:
    values = SIN3_DEFAULTS | {"w1": 2.5, "b4": -0.75, "w6": 12.0}  # w6 beyond its slider
    query = "&".join(f"{n}={v}" for n, v in values.items())
    page.goto(f"{app_url}/?tab=sin3&act=tanh&{query}")
    plot = wait_for_title(page, "sin3", "1 hidden layer, with 3 TanH neurons")
    expect(shown_activation(page, "sin3")).to_have_text("TanH")
    for name, value in values.items():
        assert box_value(page, "sin3", name) == value, name
    assert slider_value(page, "sin3", "w1") == 2.5
    assert_numbers(plot.y, sin3_output(np.asarray(plot.x), tanh, values), "linked sin3")


def test_the_address_bar_follows_the_student(page: Page, app_url: str) -> None:
    page.goto(app_url)
    page.wait_for_function(READY_JS, arg=[graph("gallery")])
    open_tab(page, "sin3")
    after(page, "sin3", lambda: type_value(page, "sin3", "w2", "-3.25"))
    page.wait_for_function("() => window.location.search.includes('w2=-3.25')")
    tab, state, notices = LINKS.decode(urlsplit(page.url).query)
    assert (tab, notices) == ("sin3", [])
    assert state.values == SIN3_DEFAULTS | {"w2": -3.25}
    assert state.activation == "sigmoid"

    # The same address in a new page restores the same plot.
    before = read_plot(page, "sin3").y
    other = page.context.new_page()
    other.goto(page.url)
    other.wait_for_function(READY_JS, arg=[graph("sin3")])
    assert read_plot(other, "sin3").y == before
    other.close()


def test_a_tampered_link_says_so_and_opens_defaults(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?tab=sin3&w1=abc&lang=ru")
    notice = page.locator("#notice")
    expect(notice).to_contain_text("w1")
    page.wait_for_function(READY_JS, arg=[graph("sin3")])
    assert box_value(page, "sin3", "w1") == SIN3_DEFAULTS["w1"]
    expect(page.locator(css_id(bar="main", type="tabbar") + " input[value=sin3]")).to_be_checked()


SLIDER_VALUE_JS = """
(id) => window.dash_component_api.getLayout(id).props.value
"""


def test_enter_in_a_box_left_as_it_was_keeps_the_linked_value(page: Page, app_url: str) -> None:
    """A link sets w1 = 0.123456789 on "2 neurons": its box may show it shorter (0.123457).
    Focusing the box and pressing Enter without typing must not commit what the box shows:
    after a later change of w2, the slider still holds 0.123456789 exactly, the plot is drawn
    from it (to float32's last bit, where 0.123457 would differ) and so is the address bar."""
    value = 0.123456789
    page.goto(f"{app_url}/?tab=square2&w1={value}")
    page.wait_for_function(READY_JS, arg=[graph("square2")])
    field = page.locator(box("square2", "w1"))
    assert abs(float(field.input_value()) - value) < 5e-7  # the box shows the value (maybe short)
    field.focus()
    page.keyboard.press("Enter")
    # Every slider's value reaches the server with the next change: w2's shows what w1 is.
    plot = after(page, "square2", lambda: type_value(page, "square2", "w2", "-0.5"))
    w1 = page.evaluate(SLIDER_VALUE_JS, {"type": "param", "tab": "square2", "name": "w1"})
    assert w1 == value
    assert slider_value(page, "square2", "w1") == value

    x = np.asarray(plot.x)
    exact = square2_output(x, sigmoid, SQUARE2_DEFAULTS | {"w1": value, "w2": -0.5})
    rounded = square2_output(x, sigmoid, SQUARE2_DEFAULTS | {"w1": 0.123457, "w2": -0.5})
    one_ulp = np.spacing(np.abs(exact).astype(np.float32)).astype(float)
    assert np.any(np.abs(rounded - exact) > 3 * one_ulp)  # the plot can tell them apart
    assert np.all(np.abs(np.asarray(plot.y) - exact) <= one_ulp), "the plot is not at w1"

    page.wait_for_function("() => window.location.search.includes('w2=-0.5')")
    _tab, state, _notices = LINKS.decode(urlsplit(page.url).query)
    assert state.values["w1"] == value
