"""The app in an iframe of a page on another loopback origin (a course page's stand-in), in
Chromium, with the app served by gunicorn as the Procfile runs it (one worker).

With ``FRAME_ANCESTORS`` naming the page's origin, a slider moved inside the frame redraws the
curve the spec's formula gives (tests/support/formulas.py). Unset, or naming other origins
only, Chromium refuses to show the app in the frame: it says which directive refused it, and
the frame holds Chromium's error page, not the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Frame, Page

from dashboard.devtools.embedpage import FRAME_ID, EmbedPage
from dashboard.devtools.gunicorn import HOST, Gunicorn, free_port
from dashboard.security import FRAME_ENV
from tests.support.browser import READY_JS, WAIT_MS, after, graph, read_plot, thumb
from tests.support.formulas import (
    SQUARE2_DEFAULTS,
    assert_exact,
    assert_numbers,
    sigmoid,
    square2_output,
)

pytestmark = pytest.mark.browser

TAB = "square2"
X = np.linspace(-10.0, 10.0, 1000)
ERROR_PAGE = "chrome-error://chromewebdata/"


@pytest.fixture(scope="module")
def embed() -> Iterator[EmbedPage]:
    with EmbedPage() as page:
        yield page


def served(ancestors: str) -> Iterator[str]:
    with Gunicorn(workers=1, env={FRAME_ENV: ancestors}) as server:
        yield f"http://{HOST}:{server.port}"


@pytest.fixture(scope="module")
def allowed_app(embed: EmbedPage) -> Iterator[str]:
    yield from served(embed.origin)


@pytest.fixture(scope="module")
def unset_app() -> Iterator[str]:
    yield from served("")


@pytest.fixture(scope="module")
def elsewhere() -> str:
    """Origins that are not the embedding page's: its port on another host name, its host on
    another port."""
    return f"http://localhost:{free_port()} http://{HOST}:{free_port()}"


@pytest.fixture(scope="module")
def elsewhere_app(elsewhere: str) -> Iterator[str]:
    yield from served(elsewhere)


@pytest.fixture
def refusing_page(browser: Any) -> Iterator[Page]:
    """A page in a fresh context, for the refused cases (Chromium logs its refusal as an
    error, which ``make_page`` would count against the test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def app_frame(page: Page) -> Frame:
    frame = page.locator(f"#{FRAME_ID}").element_handle().content_frame()
    assert frame is not None
    return frame


def test_a_slider_works_in_a_frame_on_an_allowed_origin(
    make_page: Callable[..., Page], embed: EmbedPage, allowed_app: str
) -> None:
    page = make_page()
    page.goto(embed.url_for(f"{allowed_app}/?tab={TAB}"))
    frame = app_frame(page)
    frame.wait_for_function(READY_JS, arg=[graph(TAB)])
    assert page.url.startswith(embed.origin + "/")
    assert frame.url.startswith(allowed_app + "/")  # another origin than the page's

    # read_plot and after work in a Frame as in a Page (evaluate, wait_for_function).
    p = dict(SQUARE2_DEFAULTS)
    plot = read_plot(frame, TAB)
    assert_exact(plot.x, X, "x grid in the frame")
    assert_numbers(plot.y, square2_output(X, sigmoid, p), "square2 defaults in the frame")

    handle = frame.locator(thumb(TAB, "w1"))
    plot = after(frame, TAB, lambda: handle.press("ArrowRight"))
    value = float(handle.get_attribute("aria-valuenow") or "nan")
    assert value == pytest.approx(p["w1"] + 0.1, abs=1e-9)
    assert_numbers(plot.y, square2_output(X, sigmoid, p | {"w1": value}), "w1 + 0.1 in the frame")


def assert_refused(page: Page, embed: EmbedPage, app: str, directive: str) -> None:
    """Chromium refuses the app in the frame by its ``frame-ancestors`` directive."""

    def refusal(message: Any) -> bool:
        return f"frame-ancestors {directive}" in message.text and app in message.text

    with page.expect_console_message(refusal, timeout=WAIT_MS):
        page.goto(embed.url_for(f"{app}/?tab={TAB}"))
    frame = app_frame(page)
    frame.wait_for_url(ERROR_PAGE, timeout=WAIT_MS)
    assert frame.url == ERROR_PAGE
    assert frame.locator("#react-entry-point").count() == 0
    assert page.url.startswith(embed.origin + "/")


def test_unset_the_frame_is_refused(refusing_page: Page, embed: EmbedPage, unset_app: str) -> None:
    assert_refused(refusing_page, embed, unset_app, "'none'")


def test_other_origins_only_the_frame_is_refused(
    refusing_page: Page, embed: EmbedPage, elsewhere: str, elsewhere_app: str
) -> None:
    assert_refused(refusing_page, embed, elsewhere_app, elsewhere)
