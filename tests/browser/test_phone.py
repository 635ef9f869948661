"""Every tab on a phone (390 × 844) and the Russian builder on a desktop screen (1400 × 900).

On a phone nothing may stick out past the screen's right edge (the page would scroll
sideways), every slider takes the panel's width, the plot stays on screen, drawn anew, while a
student steps a slider with the keyboard, and the builder's diagram says in full what its
colours mean. One page per language: the gallery is opened by its link (dashboard/links)
with ELU, whose α has a slider, the other tabs by their labels in the tab bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from dashboard.i18n import t
from dashboard.tabs import TABS as REGISTRY
from tests.support.browser import (
    CHANGED_JS,
    READY_JS,
    css_id,
    graph,
    read_plot,
    tab_label,
    wait_idle,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP_WIDE = {"width": 1400, "height": 900}
TABS = tuple(tab.key for tab in REGISTRY)
LINK_EXTRA = {"gallery": "&act=elu"}  # the gallery's Sigmoid has no slider; ELU's α has one
PRESSES = 3

# Elements whose box reaches past the viewport's right edge. An element counts with the part of
# its box that its ancestors show: a scrolling table (overflow: auto) or an SVG clips what lies
# beyond it, and that part never widens the page.
OVERFLOW_JS = """
(width) => {
    const clips = new Map();
    const clipRight = (el) => {
        if (!el || el === document.body) return Infinity;
        if (clips.has(el)) return clips.get(el);
        let right = clipRight(el.parentElement);
        if (getComputedStyle(el).overflowX !== 'visible') {
            right = Math.min(right, el.getBoundingClientRect().right);
        }
        clips.set(el, right);
        return right;
    };
    const name = (el) => {
        const cls = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean);
        return [el.tagName.toLowerCase(), ...cls].join('.') + (el.id ? '#' + el.id : '');
    };
    const offenders = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (getComputedStyle(el).visibility === 'hidden') continue;
        const right = Math.min(box.right, clipRight(el.parentElement));
        if (right > width + 0.5 && right > box.left) {
            const path = [];
            for (let a = el; a && a !== document.body && path.length < 3; a = a.parentElement) {
                path.unshift(name(a));
            }
            offenders.push(path.join(' > ') + ' ends at x = ' + Math.round(right));
        }
    }
    return {scrollWidth: document.scrollingElement.scrollWidth, offenders};
}
"""

# The first slider thumb a student can see (a folded unit's are not: the builder's hidden
# units), or the focused one; with the element found at its centre: the thumb itself unless
# something lies over it. ``focus``: focus it first, as a Tab press or a tap would, which
# scrolls it into view.
THUMB_JS = """
(focus) => {
    const thumb = focus === null ? document.activeElement
        : Array.from(document.querySelectorAll('[role=slider]')).find(el => el.checkVisibility());
    if (!thumb || thumb.getAttribute('role') !== 'slider') return null;
    if (focus) thumb.focus();
    const box = thumb.getBoundingClientRect();
    const track = thumb.closest('.dash-slider-root').getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const top = document.elementFromPoint(x, y);
    return {
        now: thumb.getAttribute('aria-valuenow'), track: track.width,
        y, uncovered: !!top && thumb.contains(top),
    };
}
"""


def open_link(page: Page, app_url: str, tab: str, lang: str) -> None:
    page.goto(f"{app_url}/?tab={tab}&lang={lang}{LINK_EXTRA.get(tab, '')}")
    page.wait_for_function(READY_JS, arg=[graph(tab)])
    wait_idle(page)


def open_tab(page: Page, tab: str) -> None:
    """Click a main tab's label (in any language), wait for its plot and for Dash to rest."""
    page.locator(tab_label(tab)).click()
    page.wait_for_function(READY_JS, arg=[graph(tab)])
    wait_idle(page)


def assert_nothing_sticks_out(page: Page, width: int, where: str) -> None:
    found = page.evaluate(OVERFLOW_JS, width)
    assert found["scrollWidth"] <= width and not found["offenders"], (
        f"{where}: the page is {found['scrollWidth']} px wide in a {width} px window; "
        "past its right edge:\n" + "\n".join(found["offenders"][:20])
    )


def assert_plot_on_screen(page: Page, tab: str, where: str) -> None:
    box = page.locator(graph(tab)).bounding_box()
    assert box is not None, where
    shown = min(box["y"] + box["height"], PHONE["height"]) - max(box["y"], 0.0)
    assert box["y"] >= -0.5, f"{where}: the plot's top is above the screen: {box}"
    assert shown >= 0.9 * box["height"], f"{where}: only {shown:.0f} px of the plot shown: {box}"
    assert box["height"] >= 0.3 * PHONE["height"], f"{where}: a plot too small to read: {box}"


def assert_caption_shown_whole(page: Page, lang: str) -> None:
    """The sentence saying what the diagram's colours and widths mean is shown whole: inside
    the screen and inside whatever holds it (a plotly.js title was cut at both ends)."""
    holder = page.locator(css_id(tab="builder", type="diagram")).locator("..")
    shown = holder.get_by_text(t(lang, "diagram.title"), exact=True)
    assert shown.count() == 1, f"{lang}: the diagram's caption is not on the page"
    box, holder_box = shown.bounding_box(), holder.bounding_box()
    assert box is not None and holder_box is not None
    right, holder_right = box["x"] + box["width"], holder_box["x"] + holder_box["width"]
    assert box["x"] >= max(holder_box["x"] - 0.5, 0), (lang, box, holder_box)
    assert right <= min(holder_right + 0.5, PHONE["width"]), (lang, box, holder_box)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_tab_fits_a_phone_and_keeps_its_plot_in_view(
    make_page: Callable[..., Page], app_url: str, lang: str
) -> None:
    page = make_page(locale=lang, viewport=PHONE)
    open_link(page, app_url, TABS[0], lang)
    for tab in TABS:
        where = f"{tab} ({lang}, {PHONE['width']} × {PHONE['height']})"
        if tab != TABS[0]:
            page.evaluate("() => window.scrollTo(0, 0)")  # back to the tab bar, as a student
            open_tab(page, tab)
        assert_nothing_sticks_out(page, PHONE["width"], where)
        if tab == "builder":
            assert_caption_shown_whole(page, lang)

        before = read_plot(page, tab).y
        thumb: dict[str, Any] | None = page.evaluate(THUMB_JS, True)
        assert thumb is not None, f"{where}: no slider shown"
        assert thumb["track"] >= 0.75 * PHONE["width"], (
            f"{where}: a slider {thumb['track']:.0f} px long on a {PHONE['width']} px screen"
        )
        for _ in range(PRESSES):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(CHANGED_JS, arg={"sel": graph(tab), "before": before})
        moved = page.evaluate(THUMB_JS, None)
        assert moved is not None, f"{where}: the slider lost the focus"
        assert moved["now"] != thumb["now"], f"{where}: the slider did not move"
        assert moved["uncovered"], f"{where}: the focused slider lies under another element"
        assert 0 <= moved["y"] <= PHONE["height"], f"{where}: the focused slider is off screen"
        assert_plot_on_screen(page, tab, where)


def test_the_russian_builder_fits_a_wide_desktop_screen(
    make_page: Callable[..., Page], app_url: str
) -> None:
    page = make_page(locale="ru", viewport=DESKTOP_WIDE)
    open_link(page, app_url, "builder", "ru")
    assert_nothing_sticks_out(page, DESKTOP_WIDE["width"], "builder (ru, 1400 × 900)")
