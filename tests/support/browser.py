"""Page helpers for the browser tests: selectors of the app's components, waits on Dash's
renderer, and what Plotly drew (``gd._fullData``) read back from the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard import ids
from dashboard.tabs import TABS as REGISTRY

WAIT_MS = 60_000
"""How long a browser test waits for a condition before failing: generous, since CI's two cores
are loaded (a wait still ends as soon as its condition holds). The browser fixture makes it
Playwright's default for pages and for ``expect``."""
TABS = tuple(tab.key for tab in REGISTRY)
"""Every tab, in the order of the tab bar (the registry's)."""
TAB_LABELS_EN = {
    "gallery": "Activations",
    "neuron": "One neuron",
    "square2": "2 neurons → x²",
    "sin3": "3 neurons → sin x",
    "deep": "2 layers → x²",
}


def css_id(**parts: Any) -> str:
    """CSS selector of a Dash dict id (rendered as compact JSON with sorted keys)."""
    return "[id='" + ids.dom_id(parts) + "']"


def graph(tab: str) -> str:
    return css_id(tab=tab, type="graph") + " .js-plotly-plot"


def box(tab: str, name: str) -> str:
    """A parameter's number box (an <input>): the value the model uses."""
    return css_id(name=name, tab=tab, type="box")


def thumb(tab: str, name: str) -> str:
    """The keyboard-focusable thumb of a parameter's slider."""
    return css_id(name=name, tab=tab, type="param") + " [role=slider]"


def status(tab: str) -> str:
    return css_id(tab=tab, type="status")


def dropdown(tab: str) -> str:
    return css_id(tab=tab, type="activation")


def panel(bar: str, key: str) -> str:
    return css_id(bar=bar, key=key, type="panel")


def tabbar(bar: str) -> str:
    return css_id(bar=bar, type="tabbar")


# True when Dash has no callback requested, queued or running.
IDLE_JS = """
const dashIdle = () => {
    const s = window.store && window.store.getState();
    if (!s || !s.callbacks) return false;
    return ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed']
        .every(k => !s.callbacks[k] || s.callbacks[k].length === 0);
};
"""

OUTPUT_JS = """
const outputY = (sel) => {
    const gd = document.querySelector(sel);
    const t = gd && gd._fullData && gd._fullData.find(t => t.uid === 'output');
    return t ? Array.from(t.y) : null;
};
"""

READY_JS = (
    IDLE_JS
    + OUTPUT_JS
    + """
(sels) => dashIdle() && sels.every(s => outputY(s) !== null)
"""
)

CHANGED_JS = (
    IDLE_JS
    + OUTPUT_JS
    + """
({sel, before}) => {
    if (!dashIdle()) return false;
    const y = outputY(sel);
    return y !== null && (y.length !== before.length || y.some((v, i) => v !== before[i]));
}
"""
)

TITLE_JS = (
    IDLE_JS
    + """
({sel, title}) => {
    const gd = document.querySelector(sel);
    return dashIdle() && !!gd && !!gd._fullLayout && gd._fullLayout.title.text === title;
}
"""
)

READ_JS = """
(sel) => {
    const gd = document.querySelector(sel);
    const F = gd._fullLayout, L = gd.layout;
    const traces = {};
    for (const t of gd._fullData) {
        traces[t.uid] = {
            x: Array.from(t.x), y: Array.from(t.y), name: t.name,
            dash: t.line ? t.line.dash : null, color: t.line ? t.line.color : null,
            width: t.line ? t.line.width : null,
        };
    }
    return {
        uids: gd._fullData.map(t => t.uid),
        traces,
        title: F.title.text,
        xtitle: F.xaxis.title.text,
        ytitle: F.yaxis.title.text,
        yrange: L.yaxis && L.yaxis.range ? Array.from(L.yaxis.range) : null,
        yautorange: F.yaxis.autorange,
        drawn_yrange: Array.from(F.yaxis.range),
        showlegend: F.showlegend,
        grid: F.xaxis.showgrid && F.yaxis.showgrid,
    };
}
"""


@dataclass
class Plot:
    uids: list[str]
    traces: dict[str, dict[str, Any]]
    title: str
    xtitle: str
    ytitle: str
    yrange: list[float] | None
    yautorange: Any
    drawn_yrange: list[float]
    showlegend: bool
    grid: bool

    @property
    def x(self) -> list[float]:
        return self.traces["output"]["x"]

    @property
    def y(self) -> list[float]:
        return self.traces["output"]["y"]


def read_plot(page: Page, tab: str) -> Plot:
    return Plot(**page.evaluate(READ_JS, graph(tab)))


def open_app(page: Page, url: str) -> None:
    """Load the app and wait until the open tab's graph is drawn and Dash is idle."""
    page.goto(url)
    page.wait_for_function(READY_JS, arg=[graph(TABS[0])])


def after(page: Page, tab: str, action: Callable[[], object], timeout: float | None = None) -> Plot:
    """Do ``action``, then wait until the tab's plotted output has changed and Dash is idle."""
    before = read_plot(page, tab).y
    action()
    page.wait_for_function(CHANGED_JS, arg={"sel": graph(tab), "before": before}, timeout=timeout)
    return read_plot(page, tab)


def after_or_timeout(
    page: Page, tab: str, action: Callable[[], object], timeout: float = 1000
) -> Plot:
    """Like :func:`after`, but give up waiting after ``timeout`` ms and return what is drawn."""
    try:
        return after(page, tab, action, timeout)
    except PlaywrightTimeoutError:
        return read_plot(page, tab)


def wait_for_title(page: Page, tab: str, title: str) -> Plot:
    page.wait_for_function(TITLE_JS, arg={"sel": graph(tab), "title": title})
    return read_plot(page, tab)


def tab_label(key: str) -> str:
    """The main tab bar's label of a tab."""
    return f"{tabbar('main')} label:has(input[value={key}])"


def open_tab(page: Page, key: str, label: str | None = None) -> None:
    """Click a main tab by its visible label and wait for its panel to show."""
    page.locator(tabbar("main")).get_by_text(label or TAB_LABELS_EN[key], exact=True).click()
    expect(page.locator(panel("main", key))).to_be_visible()
    for other in TABS:
        if other != key:  # only the open tab is on the page
            expect(page.locator(panel("main", other))).to_have_count(0)
    page.wait_for_function(READY_JS, arg=[graph(key)])


def press_on_slider(page: Page, tab: str, name: str, key: str) -> float:
    """Focus a slider's thumb, press ``key``; return the value it now announces."""
    handle = page.locator(thumb(tab, name))
    before = handle.get_attribute("aria-valuenow")
    handle.focus()
    page.keyboard.press(key)
    expect(handle).not_to_have_attribute("aria-valuenow", before or "")
    return float(handle.get_attribute("aria-valuenow") or "nan")


def type_value(page: Page, tab: str, name: str, value: str) -> None:
    """Type into a parameter's number box and press Enter (the box sends on Enter or blur)."""
    field = page.locator(box(tab, name))
    field.fill(value)
    field.press("Enter")


def box_value(page: Page, tab: str, name: str) -> float:
    return float(page.locator(box(tab, name)).input_value() or "nan")


def wait_idle(page: Page) -> None:
    page.wait_for_function(IDLE_JS + "() => dashIdle()")


def choose_by_click(page: Page, tab: str, label: str) -> None:
    page.locator(dropdown(tab)).click()
    listbox = page.locator(".dash-dropdown-options[role=listbox]")
    listbox.get_by_role("option", name=label, exact=True).click()
    expect(listbox).to_have_count(0)


def choose_by_keyboard(page: Page, tab: str, value: str) -> None:
    """Focus the dropdown, open it with Enter, walk down with ArrowDown to ``value``, pick it.

    The open list moves focus to the selected option a moment later; each key waits for focus.
    """
    page.locator(dropdown(tab)).focus()
    page.keyboard.press("Enter")
    listbox = page.locator(".dash-dropdown-options[role=listbox]")
    expect(listbox.locator("input:checked")).to_be_focused()
    options = listbox.locator("input[type=radio]")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    current = values.index(listbox.locator("input:checked").get_attribute("value"))
    for i in range(current + 1, values.index(value) + 1):
        page.keyboard.press("ArrowDown")
        expect(options.nth(i)).to_be_focused()
    page.keyboard.press("Enter")
    expect(listbox).to_have_count(0)


def shown_activation(page: Page, tab: str) -> Any:
    return page.locator(dropdown(tab) + " .dash-dropdown-value")


def slider_value(page: Page, tab: str, name: str) -> float:
    value = page.locator(thumb(tab, name)).get_attribute("aria-valuenow")
    return float(value or "nan")
