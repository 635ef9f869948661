"""A target box's fault is said right under the box, and its value stays out of the link.

On the "2 neurons → x²" tab at 1400 × 900: a formula that stops short and an interval with
a > b, each answered by a message within a few lines of its box and on screen; the address bar
(written by assets/links.js) never holds either value, which every link written is checked for
(history.replaceState is recorded from the page's start).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from browser.test_problem import READY_JS, control, css_id, graph, panel, wait_idle

pytestmark = pytest.mark.browser

TAB = "square2"
VIEW = {"width": 1400, "height": 900}
NEAR = 150
"""Most pixels between a box's bottom edge and the top of its message."""

RECORD_JS = """
window.__links = [];
const replace = history.replaceState.bind(history);
history.replaceState = (state, title, url) => {
    window.__links.push(String(url));
    return replace(state, title, url);
};
"""
"""Keeps every link links.js writes (it writes with history.replaceState only)."""


def links(page: Page) -> list[dict[str, list[str]]]:
    """Every query written so far, as key -> values."""
    return page.evaluate(
        """() => window.__links.map((u) => {
            const q = new URLSearchParams(u.split('?')[1] || '');
            const out = {};
            for (const [k, v] of q) (out[k] = out[k] || []).push(v);
            return out;
        })"""
    )


def wait_link(page: Page, condition: str) -> None:
    """Wait until the address bar's query ``q`` (URLSearchParams) meets ``condition``."""
    page.wait_for_function(
        f"() => {{ const q = new URLSearchParams(location.search); "
        f"return q.get('tab') === '{TAB}' && ({condition}); }}",
        timeout=30_000,
    )


def commit(box: Locator, text: str) -> None:
    box.fill(text)
    box.press("Enter")


def assert_near(page: Page, boxes: list[Locator], note: Locator) -> None:
    """``note`` starts under the lowest of ``boxes``, at most NEAR px below it, on screen."""
    bottom = 0.0
    for box in boxes:
        b = box.bounding_box()
        assert b is not None
        bottom = max(bottom, b["y"] + b["height"])
    n = note.bounding_box()
    assert n is not None and n["height"] > 0
    assert 0 <= n["y"] - bottom <= NEAR, (bottom, n)
    assert n["y"] >= 0 and n["y"] + n["height"] <= VIEW["height"], ("on screen", n)
    assert n["x"] >= 0 and n["x"] + n["width"] <= VIEW["width"], ("on screen", n)


def invalid(box: Locator) -> Locator:
    """The box's wrapper, which holds its ``className`` (Dash's Input puts it there)."""
    return box.locator("xpath=..")


def test_target_faults_are_said_at_their_boxes_and_left_out_of_the_link(
    make_page: Callable[..., Page], app_url: str
) -> None:
    page = make_page(viewport=VIEW)
    page.add_init_script(RECORD_JS)
    page.goto(app_url)
    page.wait_for_function(READY_JS, arg=graph("gallery"))
    page.locator(css_id(bar="main", type="tabbar")).get_by_text(
        "2 neurons → x²", exact=True
    ).click()
    page.wait_for_function(READY_JS, arg=graph(TAB))
    details = page.locator(panel(TAB) + " details.target-controls")
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    formula = page.locator(control(TAB, "formula"))
    expect(formula).to_be_visible()

    page.locator(control(TAB, "target")).click()
    listbox = page.locator(".dash-dropdown-options[role=listbox]")
    listbox.get_by_role("option", name="Formula…", exact=True).click()
    expect(listbox).to_have_count(0)
    note = page.locator(css_id(note="formula", tab=TAB, type="target_note"))
    expect(note).to_have_text("The formula is empty: type a function of x, for example x^2 + 1.")

    # A formula that stops short: said under the box, the box marked, the link without f.
    formula.scroll_into_view_if_needed()
    commit(formula, "x**")
    expect(note).to_have_text(
        "The formula stops short: something is missing after character 3: x**⟦⟧"
    )
    expect(invalid(formula)).to_have_class(re.compile(r"\bformula-box invalid\b"))
    assert_near(page, [formula], note)
    wait_link(page, "q.get('target') === 'formula' && !q.has('f')")
    # A valid formula clears the message and goes into the link.
    commit(formula, "x^2/2")
    expect(note).to_have_text("")
    expect(invalid(formula)).not_to_have_class(re.compile(r"\binvalid\b"))
    wait_link(page, "q.get('f') === 'x^2/2'")

    # An interval with a > b: said under the two boxes, neither end in the link.
    a, b = page.locator(control(TAB, "a")), page.locator(control(TAB, "b"))
    interval = page.locator(css_id(note="interval", tab=TAB, type="target_note"))
    commit(a, "5")
    wait_link(page, "q.get('a') === '5' && q.get('b') === '10'")
    commit(b, "-5")
    expect(interval).to_have_text("The interval needs a < b.")
    for end in (a, b):
        expect(invalid(end)).to_have_class(re.compile(r"\binterval-box invalid\b"))
    assert_near(page, [a, b], interval)
    wait_link(page, "!q.has('a') && !q.has('b') && q.get('f') === 'x^2/2'")
    commit(b, "8")
    expect(interval).to_have_text("")
    wait_link(page, "q.get('a') === '5' && q.get('b') === '8'")
    wait_idle(page)

    written = links(page)
    assert any(q.get("f") == ["x^2/2"] for q in written)
    assert not [q for q in written if q.get("f") == ["x**"]], "a bad formula was linked"
    assert not [q for q in written if q.get("b") == ["-5"]], "a bad interval was linked"
