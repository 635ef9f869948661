"""Every plot as the browser draws it: its toolbar (plotly.js's mode bar), its language, and
where its title, legend and axis title land on a phone and on a desktop screen.

The expected tooltips are written out here: the English ones are plotly.js's own, the Russian
ones those of plotly.js's Russian locale (plotly.js 4.1.1, dist/plotly-locale-ru.js).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard.tabs import TABS as REGISTRY
from tests.support.browser import IDLE_JS, READY_JS, graph, open_app, read_plot, tab_label

pytestmark = pytest.mark.browser

PLOT_TABS = tuple(tab.key for tab in REGISTRY)
TOOLTIPS = {
    "en": [
        "Download plot as a PNG",
        "Zoom",
        "Pan",
        "Zoom in",
        "Zoom out",
        "Autoscale",
        "Reset axes",
        "Download plot as an SVG",
    ],
    "ru": [
        "Сохранить в формате PNG",
        "Зум",
        "Сдвиг",
        "Увеличить",
        "Уменьшить",
        "Автоматическое шкалирование",
        "Сбросить отображение осей к значениям по умолчанию",
        "Сохранить в формате SVG",
    ],
}
PAGE_TITLES = {"en": "Activation Playground", "ru": "Функции активации: интерактивный практикум"}
CLOUD = ("Share chart...", "Edit in Chart Studio")
LANG_LABELS = {"en": "English", "ru": "Русский"}

TOOLTIPS_JS = """
(sel) => {
    const gd = document.querySelector(sel);
    return gd ? Array.from(gd.querySelectorAll('.modebar-btn'), b => b.dataset.title) : null;
}
"""

# True when Dash is idle and the plot's toolbar shows ``first`` as its first tooltip.
TOOLBAR_JS = (
    IDLE_JS
    + """
({sel, first}) => {
    const gd = document.querySelector(sel);
    const button = gd && gd.querySelector('.modebar-btn');
    return dashIdle() && !!button && button.dataset.title === first;
}
"""
)

# The boxes the browser drew (page pixels) of a plot's parts, and whether they are clear of
# each other: legend and x-axis title, mode bar and plot title. A missing part counts as clear.
RECTS_JS = """
const rects = (sel) => {
    const gd = document.querySelector(sel);
    const box = (part) => {
        const el = gd.querySelector(part);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    };
    return {
        graph: box('.main-svg'), legend: box('.legend'), xtitle: box('.xtitle'),
        gtitle: box('.gtitle'), modebar: box('.modebar'),
    };
};
const apart = (a, b) => !a || !b || a.right <= b.left || b.right <= a.left
    || a.bottom <= b.top || b.bottom <= a.top;
const clear = (r) => apart(r.legend, r.xtitle) && apart(r.modebar, r.gtitle);
"""


def tooltips(page: Page, tab: str) -> list[str] | None:
    return page.evaluate(TOOLTIPS_JS, graph(tab))


def wait_toolbar(page: Page, tab: str, lang: str) -> list[str] | None:
    """Wait until the tab's toolbar is in ``lang`` and Dash is idle; return its tooltips."""
    page.wait_for_function(TOOLBAR_JS, arg={"sel": graph(tab), "first": TOOLTIPS[lang][0]})
    return tooltips(page, tab)


def open_plot_tab(page: Page, tab: str) -> None:
    """Click a main tab (by its value, in either language) and wait until its plot is drawn."""
    page.locator(tab_label(tab)).click()
    page.wait_for_function(READY_JS, arg=[graph(tab)])


def switch_language(page: Page, lang: str) -> None:
    page.locator("#lang").get_by_text(LANG_LABELS[lang], exact=True).click()


def test_toolbar_has_png_and_svg_and_nothing_for_the_cloud(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    for tab in PLOT_TABS:
        if tab != "gallery":
            open_plot_tab(page, tab)
        shown = tooltips(page, tab)
        assert shown == TOOLTIPS["en"], tab
        assert not set(CLOUD) & set(shown or []), f"{tab}: a button sends the plot to a cloud"

    # Both downloads work under the page's content security policy and are named after the tab.
    open_plot_tab(page, "gallery")
    title = read_plot(page, "gallery").title
    plot = page.locator(graph("gallery"))
    plot.hover()
    with page.expect_download() as svg_download:
        plot.locator(".modebar-btn[data-title='Download plot as an SVG']").click()
    svg = svg_download.value
    assert svg.suggested_filename == "activation-playground-gallery.svg"
    text = Path(svg.path()).read_text(encoding="utf-8")
    assert text.startswith("<svg") and "</svg>" in text
    assert title in text, "the picture holds the plot, its title drawn as text"
    with page.expect_download() as png_download:
        plot.locator(".modebar-btn[data-title='Download plot as a PNG']").click()
    png = png_download.value
    assert png.suggested_filename == "activation-playground-gallery.png"
    assert Path(png.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_toolbar_and_page_title_follow_the_language(
    make_page: Callable[..., Page], app_url: str
) -> None:
    page = make_page()  # an English browser
    open_app(page, app_url)
    assert page.title() == PAGE_TITLES["en"]
    assert tooltips(page, "gallery") == TOOLTIPS["en"]

    switch_language(page, "ru")
    assert wait_toolbar(page, "gallery", "ru") == TOOLTIPS["ru"]
    expect(page).to_have_title(PAGE_TITLES["ru"])
    gallery = read_plot(page, "gallery")
    assert (gallery.title, gallery.xtitle) == ("Функция Sigmoid", "z")
    open_plot_tab(page, "square2")  # a plot drawn after the switch starts in Russian
    assert wait_toolbar(page, "square2", "ru") == TOOLTIPS["ru"]

    switch_language(page, "en")
    assert wait_toolbar(page, "square2", "en") == TOOLTIPS["en"]
    expect(page).to_have_title(PAGE_TITLES["en"])

    # A link's language: an English browser opening a Russian link.
    page.goto(f"{app_url}/?tab=builder&lang=ru")
    page.wait_for_function(READY_JS, arg=[graph("builder")])
    assert wait_toolbar(page, "builder", "ru") == TOOLTIPS["ru"]
    expect(page).to_have_title(PAGE_TITLES["ru"])

    # A Russian browser gets its title with the page itself.
    russian = make_page(locale="ru-RU")
    response = russian.goto(app_url)
    assert response is not None
    assert f"<title>{PAGE_TITLES['ru']}</title>" in response.text()
    russian.wait_for_function(READY_JS, arg=[graph("gallery")])
    assert wait_toolbar(russian, "gallery", "ru") == TOOLTIPS["ru"]
    assert russian.title() == PAGE_TITLES["ru"]


def measure(page: Page, tab: str) -> dict[str, Any]:
    """Wait (bounded) until the plot's parts are clear of each other; return their boxes."""
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertions say what overlaps
        page.wait_for_function(
            IDLE_JS + RECTS_JS + "(sel) => dashIdle() && clear(rects(sel))",
            arg=graph(tab),
            timeout=5_000,
        )
    return page.evaluate(RECTS_JS + "(sel) => rects(sel)", graph(tab))


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


@pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 1400, "height": 900}],
    ids=["phone", "desktop"],
)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_title_legend_and_axis_title_stay_clear(
    make_page: Callable[..., Page], app_url: str, viewport: dict[str, int], lang: str
) -> None:
    page = make_page(locale="ru-RU" if lang == "ru" else "en-US", viewport=viewport)
    open_app(page, app_url)
    for tab in PLOT_TABS:
        if tab != "gallery":
            open_plot_tab(page, tab)
        # A plot drawn while its pane was still settling redraws at the pane's width.
        page.wait_for_function(
            "([sel, w]) => { const gd = document.querySelector(sel);"
            " return gd._fullLayout.width <= w; }",
            arg=[graph(tab), viewport["width"]],
        )
        page.locator(graph(tab)).hover()  # the toolbar shows while the pointer is on the plot
        r = measure(page, tab)
        where = f"{tab} {lang} {viewport['width']}px: {r}"
        assert r["legend"] and r["xtitle"] and r["gtitle"] and r["modebar"], where
        assert not overlap(r["legend"], r["xtitle"]), "legend over the x-axis title, " + where
        assert r["legend"]["top"] >= r["xtitle"]["bottom"], "the legend goes under it, " + where
        assert not overlap(r["modebar"], r["gtitle"]), "toolbar over the title, " + where
        g = r["graph"]
        for part in ("legend", "xtitle", "gtitle"):
            box = r[part]
            assert g["left"] - 0.5 <= box["left"] and box["right"] <= g["right"] + 0.5, (
                f"{part} cut off at the sides, {where}"
            )
            assert g["top"] - 0.5 <= box["top"] and box["bottom"] <= g["bottom"] + 0.5, (
                f"{part} cut off at the top or bottom, {where}"
            )
