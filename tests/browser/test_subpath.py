"""The app behind a reverse proxy at ``/playground/``, in a real browser, in both set-ups.

"passed on": gunicorn (the Procfile's command) with ``DASH_URL_BASE_PATHNAME=/playground/``,
opened directly at ``/playground/``, as behind nginx's ``proxy_pass http://app;``.
"stripped": gunicorn with ``DASH_REQUESTS_PATHNAME_PREFIX=/playground/`` behind
dashboard/devtools/proxy.py, which strips the prefix as nginx's ``proxy_pass http://app/;``.

Each page must load with no failed request (no 4xx/5xx answer, no network error) and no console
error (the ``make_page`` fixture), every request under the prefix; a slider move, a link, an
upload and a download work, and the plotted numbers equal tests/support/formulas.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.devtools.gunicorn import Gunicorn
from dashboard.devtools.proxy import Proxy
from dashboard.tabs import LINKS
from tests.support.browser import (
    READY_JS,
    after,
    box_value,
    css_id,
    graph,
    open_app,
    open_tab,
    press_on_slider,
    read_plot,
    shown_activation,
    wait_for_title,
    wait_idle,
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

PREFIX = "/playground/"
X = np.linspace(-10.0, 10.0, 1000)
SIN3_COLUMNS = ("w1", "w2", "w3", "b1", "b2", "b3", "w4", "w5", "w6", "b4")
MY_ROW = {
    "w1": 1.1, "w2": -0.9, "w3": 2.0, "b1": 0.5, "b2": -0.25, "b3": 1.0,
    "w4": 1.5, "w5": -1.0, "w6": 0.75, "b4": 0.125,
}  # fmt: skip
TABLE = (
    "name,activation," + ",".join(SIN3_COLUMNS) + "\n"
    "Under the prefix,tanh," + ",".join(str(MY_ROW[n]) for n in SIN3_COLUMNS) + "\n"
)


@dataclass
class Served:
    """The app's address in one set-up, and the requests a page made (for its checks)."""

    url: str
    failures: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        """Record every failed request and every request outside the app's prefix."""
        origin = self.url[: -len(PREFIX)]

        def answered(response: Any) -> None:
            if response.status >= 400:
                self.failures.append(f"{response.status} {response.url}")

        def asked(request: Any) -> None:
            if request.url.startswith(origin) and not request.url.startswith(self.url):
                self.outside.append(request.url)

        page.on("response", answered)
        page.on("request", asked)
        page.on("requestfailed", lambda r: self.failures.append(f"{r.failure} {r.url}"))
        return page

    def check(self) -> None:
        assert not self.failures, "requests failed:\n" + "\n".join(self.failures)
        assert not self.outside, "requests outside the prefix:\n" + "\n".join(self.outside)


@pytest.fixture(scope="module", params=["passed on", "stripped"])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """gunicorn started once per set-up for the whole module (and the proxy, if stripped)."""
    if request.param == "passed on":
        with Gunicorn(workers=1, env={"DASH_URL_BASE_PATHNAME": PREFIX}) as server:
            yield Served(f"http://127.0.0.1:{server.port}{PREFIX}")
        return
    with (
        Gunicorn(workers=1, env={"DASH_REQUESTS_PATHNAME_PREFIX": PREFIX}) as server,
        Proxy(server.port, PREFIX) as proxy,
    ):
        yield Served(proxy.url)


@pytest.fixture
def watched(served: Served, make_page: Callable[..., Any]) -> Iterator[Page]:
    """A page whose requests are watched; checked once the test is done with it."""
    served.failures.clear()
    served.outside.clear()
    page = served.watch(make_page())
    yield page
    served.check()


def test_the_page_loads_and_a_slider_move_draws_the_right_curve(
    watched: Page, served: Served
) -> None:
    page = watched
    open_app(page, served.url)
    assert urlsplit(page.url).path == PREFIX
    # The explanation, once opened: MathJax's chunk, loaded by dcc on demand, typesets it.
    page.locator(".explanation summary").first.click()
    expect(page.locator(".explanation mjx-container").first).to_be_attached()

    open_tab(page, "square2")
    assert_numbers(read_plot(page, "square2").y, square2_output(X, sigmoid, SQUARE2_DEFAULTS), "")
    plot = after(page, "square2", lambda: press_on_slider(page, "square2", "b3", "ArrowRight"))
    values = SQUARE2_DEFAULTS | {"b3": box_value(page, "square2", "b3")}
    assert values["b3"] == pytest.approx(-11.4)
    assert_numbers(plot.y, square2_output(X, sigmoid, values), "square2 b3 moved by keyboard")

    # The address bar follows, on the prefixed path.
    page.wait_for_function("() => window.location.search.includes('b3=-11.4')")
    assert urlsplit(page.url).path == PREFIX
    tab, state, notices = LINKS.decode(urlsplit(page.url).query)
    assert (tab, notices, state.values) == ("square2", [], values)


def test_a_link_under_the_prefix_restores_its_view(watched: Page, served: Served) -> None:
    page = watched
    values = SIN3_DEFAULTS | {"w1": 2.5, "b4": -0.75}
    query = "&".join(f"{name}={value}" for name, value in values.items())
    page.goto(f"{served.url}?tab=sin3&act=tanh&{query}")
    plot = wait_for_title(page, "sin3", "1 hidden layer, with 3 TanH neurons")
    expect(shown_activation(page, "sin3")).to_have_text("TanH")
    for name, value in values.items():
        assert box_value(page, "sin3", name) == value, name
    assert_numbers(plot.y, sin3_output(X, tanh, values), "linked sin3 under the prefix")
    assert urlsplit(page.url).path == PREFIX


def test_an_upload_and_a_download_under_the_prefix(watched: Page, served: Served) -> None:
    page = watched
    open_app(page, served.url)
    open_tab(page, "sin3")
    page.locator(css_id(tab="sin3", type="upload") + " input[type=file]").set_input_files(
        files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": TABLE.encode()}]
    )
    expect(page.locator(css_id(tab="sin3", type="report", what="upload"))).to_contain_text(
        "mine.csv: 1 preset"
    )
    wait_idle(page)
    button = page.locator(css_id(row=0, tab="sin3", type="preset"))
    plot = after(page, "sin3", button.click)
    wait_idle(page)
    plot = read_plot(page, "sin3")
    assert_numbers(plot.y, sin3_output(X, tanh, MY_ROW), "sin3 after the uploaded row")

    with page.expect_download() as info:
        page.locator(css_id(tab="sin3", type="action", what="download_params")).click()
    download = info.value
    assert download.suggested_filename == "activation-playground-sin3-parameters.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "tanh" in text and "0.125" in text
    page.wait_for_function(READY_JS, arg=[graph("sin3")])
