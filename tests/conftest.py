"""Every shared fixture, defined here once; the browser ones serve the app and drive Chromium.

Playwright never downloads a browser here: it launches the ``chromium`` found on ``PATH``. When
there is none, browser tests are skipped on a developer's machine but fail in CI (``$CI`` set),
so a broken CI image cannot pass by silently skipping them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dashboard.devtools.chromium import CHROMIUM_ARGS
from tests.support.dash import full_layout
from tests.support.entry import FakeApp

DESKTOP = {"width": 1280, "height": 900}


def _unavailable(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """A fresh app served by werkzeug on 127.0.0.1, on a port the OS picks free."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from dashboard.app import create_app

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            """Keep test output free of one access-log line per request."""

    server = make_server(
        "127.0.0.1", 0, create_app().server, threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="dash-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (never ``playwright install``)."""
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("no `chromium` on PATH (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    from tests.support.browser import WAIT_MS

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def make_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh browser contexts (own locale and viewport) that must stay error-free.

    Every console message of type ``error`` and every uncaught page error is recorded; the test
    fails at teardown if there was any.
    """
    from tests.support.browser import WAIT_MS

    contexts: list[Any] = []
    errors: list[str] = []

    def open_page(locale: str = "en-US", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(locale=locale, viewport=viewport or DESKTOP)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                errors.append(f"console.error: {m.text} ({m.location})")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


@pytest.fixture
def page(make_page: Callable[..., Any]) -> Any:
    """A desktop-sized page with an English browser locale."""
    return make_page()


@pytest.fixture(scope="module")
def app() -> Any:
    """A fresh app, shared by the tests of one module."""
    from dashboard.app import create_app

    return create_app()


@pytest.fixture(scope="module")
def client(app: Any) -> Any:
    """A Flask test client of the module's app."""
    return app.server.test_client()


@pytest.fixture(scope="module")
def layout(client: Any) -> list[Any]:
    """The page's layout followed by the body of every other tab (``full_layout``)."""
    return full_layout(client)


@pytest.fixture(scope="module")
def dependencies(client: Any) -> list[dict[str, Any]]:
    """The app's callbacks as the browser reads them (``/_dash-dependencies``)."""
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeApp:
    """``dashboard.app.app`` replaced by a :class:`FakeApp` for the test."""
    import dashboard.app

    app = FakeApp()
    monkeypatch.setattr(dashboard.app, "app", app)
    return app
