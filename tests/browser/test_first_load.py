"""What the first load fetches and draws: plotly.js's basic partial bundle draws every plot of
every tab (the full bundle is never asked for), MathJax comes only with an opened explanation,
and the gallery's formula is MathML the browser draws itself, in both languages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from plotly.offline import get_plotlyjs_version

from dashboard.tabs import TABS as REGISTRY
from tests.support.browser import IDLE_JS, css_id

pytestmark = pytest.mark.browser

TABS = tuple(tab.key for tab in REGISTRY)
PLOTS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot'), gd => ({
    id: gd.parentElement.id,
    asked: (gd.data || []).map(t => t.type || 'scatter'),
    drawn: (gd._fullData || []).map(t => t._module ? t.type : null),
    traces: gd.querySelectorAll('.main-svg .trace').length,
    points: (gd._fullData || []).reduce((n, t) => n + ((t.x && t.x.length) || 0), 0),
}))
"""
"""Every plot: the trace types its figure asks for and the ones plotly.js drew (``null`` for a
trace of a type the bundle lacks), how many traces it put in the picture and how many points
they hold (the builder's loss curve has none before training)."""
ALL_DRAWN_JS = (
    IDLE_JS
    + """
const hasPoints = (gd) => gd._fullData.some(t => t.x && t.x.length > 0);
() => {
    const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    return dashIdle() && plots.length > 0
        && plots.every(gd => gd._fullData && gd._fullData.length > 0
                             && (gd.querySelector('.main-svg .trace') || !hasPoints(gd)));
}
"""
)
PLOTLY_WORDS = ("trace type", "plotly", "unrecognized", "not registered")


def watch(page: Page) -> tuple[list[str], list[str]]:
    """The URLs the page asks for, and its console lines that speak of plotly.js."""
    urls: list[str] = []
    lines: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on(
        "console",
        lambda m: lines.append(m.text) if any(w in m.text.lower() for w in PLOTLY_WORDS) else None,
    )
    return urls, lines


def full_bundle(urls: list[str]) -> list[str]:
    return [u for u in urls if "plotly.min.js" in u or "package_data" in u or "cdn.plot.ly" in u]


def mathjax(urls: list[str]) -> list[str]:
    return [u for u in urls if "mathjax" in u.lower()]


def check_plots(page: Page) -> list[dict[str, Any]]:
    page.wait_for_function(ALL_DRAWN_JS)
    plots = page.evaluate(PLOTS_JS)
    for plot in plots:
        assert plot["drawn"], plot
        assert plot["drawn"] == plot["asked"], f"a trace type the bundle lacks: {plot}"
        assert plot["traces"] > 0 or plot["points"] == 0, plot
    return plots


@pytest.mark.parametrize("tab", TABS)
def test_the_partial_bundle_draws_every_plot_of_every_tab(
    make_page: Callable[..., Any], app_url: str, tab: str
) -> None:
    page = make_page()  # the fixture fails the test on any console error
    urls, lines = watch(page)
    page.goto(f"{app_url}/?tab={tab}")
    plots = check_plots(page)
    assert page.evaluate("() => window.Plotly.version") == get_plotlyjs_version()
    if tab == "builder":
        assert len(plots) >= 3, "the plot, the network's diagram and the loss curve"
        page.locator(css_id(tab=tab, type="action", what="step")).click()
        loss = css_id(tab=tab, type="loss") + " .js-plotly-plot"
        page.wait_for_function(
            "(sel) => { const gd = document.querySelector(sel);"
            " return gd && gd._fullData.some(t => t.x && t.x.length > 0); }",
            arg=loss,
        )
        (curve,) = [p for p in check_plots(page) if "loss" in p["id"]]
        assert curve["points"] > 0 and curve["traces"] > 0, curve
    assert not full_bundle(urls)
    assert not lines, lines


def test_the_first_load_fetches_no_mathjax_until_the_explanation_opens(
    make_page: Callable[..., Any], app_url: str
) -> None:
    page = make_page()
    urls, _ = watch(page)
    page.goto(app_url)
    check_plots(page)
    page.wait_for_load_state("networkidle")
    assert not mathjax(urls), "the first tab's first load"
    assert not full_bundle(urls)
    explanation = page.locator(".explanation").first
    expect(explanation.locator("mjx-container")).to_have_count(0)
    explanation.locator("summary").click()
    expect(explanation.locator("mjx-container").first).to_be_attached()
    expect(explanation.locator("mjx-container").first).to_be_visible()
    assert mathjax(urls)


FORMULA_JS = """
(sel) => {
    const math = document.querySelector(sel + ' math');
    if (!math) return null;
    const box = math.getBoundingClientRect();
    return {
        block: math.getAttribute('display'),
        numbers: Array.from(math.querySelectorAll('mn'), n => n.textContent),
        names: Array.from(math.querySelectorAll('mi'), n => n.textContent),
        fraction: !!math.querySelector('mfrac'),
        width: box.width, height: box.height,
        isMathML: math.namespaceURI === 'http://www.w3.org/1998/Math/MathML',
    };
}
"""


NUMBERS = {"en": "1.5", "ru": "1,5"}
SWITCH = {"en": ("ru", "Русский"), "ru": ("en", "English")}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_gallery_formula_is_math_in_both_languages(
    make_page: Callable[..., Any], app_url: str, lang: str
) -> None:
    """Opened in one language, then switched to the other: the formula is MathML both times,
    its parameter written the language's way."""
    page = make_page()
    urls, _ = watch(page)
    page.goto(f"{app_url}/?lang={lang}&act=elu&p.alpha=1.5")
    check_plots(page)
    formula = css_id(tab="gallery", type="formula")
    page.wait_for_function(f"(sel) => ({FORMULA_JS})(sel) !== null", arg=formula)
    shown = page.evaluate(FORMULA_JS, formula)
    assert shown["isMathML"] and shown["block"] == "block"
    assert "ELU" in shown["names"] and NUMBERS[lang] in shown["numbers"]
    assert shown["width"] > 100 and shown["height"] > 20, "drawn as maths, not as raw text"
    assert "\\begin" not in page.locator(formula).inner_text(), "TeX shown as text"
    other, label = SWITCH[lang]
    page.get_by_role("radio", name=label).check()
    page.wait_for_function(
        f"([sel, n]) => {{ const f = ({FORMULA_JS})(sel); return f && f.numbers.includes(n); }}",
        arg=[formula, NUMBERS[other]],
    )
    assert not mathjax(urls)
