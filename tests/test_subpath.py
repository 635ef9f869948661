"""The app behind a reverse proxy at a sub-path, ``/playground/``, in both usual set-ups.

(a) The proxy passes the path on unchanged: the app serves under the prefix itself
    (``DASH_URL_BASE_PATHNAME=/playground/``).
(b) The proxy strips the prefix: the app serves at ``/`` and its page asks for
    ``/playground/...`` (``DASH_REQUESTS_PATHNAME_PREFIX=/playground/``).

Through Flask's test client: the page, every file it names, a callback (its numbers checked
against tests/support/formulas.py), the callback body check and ``/health``. A malformed prefix
stops gunicorn, as the Procfile runs it, and ``python -m dashboard`` with one line naming the
variable. The same set-ups in a real browser: tests/browser/test_subpath.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from dashboard.app import PREFIX_SETTINGS, PrefixError, check_prefixes, create_app, health_paths
from dashboard.devtools import gunicorn
from tests.support.dash import (
    UPDATE,
    decode,
    dom_id,
    find_dependency,
    request_body,
    status_text,
    tab_layout,
)
from tests.support.formulas import SQUARE2_DEFAULTS, assert_numbers, sigmoid, square2_output

PREFIX = "/playground/"
BASE, ROUTES, REQUESTS = PREFIX_SETTINGS
URL_ATTRIBUTE = re.compile(r'\b(?:src|href)="([^"]+)"')


class Prefixed:
    """A test client that puts the prefix before every path, as the proxy of set-up (a)
    passes the browser's paths on."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix.rstrip("/")

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(self.prefix + path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.client.post(self.prefix + path, **kw)


def app_with(variable: str) -> Any:
    with pytest.MonkeyPatch.context() as env:
        for name in PREFIX_SETTINGS:
            env.delenv(name, raising=False)
            env.delenv(name.lower(), raising=False)
        env.setenv(variable, PREFIX)
        return create_app()


@pytest.fixture(scope="module")
def passed_on() -> Any:
    """Set-up (a): the app's routes are under the prefix."""
    return app_with(BASE)


@pytest.fixture(scope="module")
def stripped() -> Any:
    """Set-up (b): the routes at the root, the page's requests under the prefix."""
    return app_with(REQUESTS)


def page_urls(html: str) -> list[str]:
    urls = URL_ATTRIBUTE.findall(html)
    assert len(urls) > 10, html[:2000]  # Dash's bundles, assets/*.js, style.css, the icon
    return urls


def square2_move(client: Any) -> None:
    """Move square2's w1 through the callback endpoint (paths as the client has them) and
    check the curve it answers against the spec's formula."""
    dependencies = client.get("/_dash-dependencies").get_json()
    layout = [client.get("/_dash-layout").get_json(), tab_layout(client, "square2")]
    body = request_body(find_dependency(dependencies, "square2"), layout, {"w1": 0.5})
    response = client.post(UPDATE, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    answer = response.get_json()["response"]
    assert status_text(answer, "square2") == ""
    figure = answer[dom_id({"tab": "square2", "type": "graph"})]["figure"]
    (output,) = [t for t in figure["data"] if t.get("uid") == "output"]
    x = decode(output["x"])
    expected = square2_output(x, sigmoid, SQUARE2_DEFAULTS | {"w1": 0.5})
    assert_numbers(list(decode(output["y"])), expected, "square2 w1=0.5 under the prefix")


def assert_health(response: Any) -> None:
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# --- (a) the proxy passes the path on ---------------------------------------------------------


def test_passed_on_the_page_and_everything_it_names_are_under_the_prefix(passed_on: Any) -> None:
    client = passed_on.server.test_client()
    page = client.get(PREFIX)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for url in page_urls(html):
        assert url.startswith(PREFIX), url
        assert client.get(url).status_code == 200, url
    assert '"url_base_pathname":"\\u002fplayground\\u002f"' in html
    assert '"requests_pathname_prefix":"\\u002fplayground\\u002f"' in html
    assert client.get("/").status_code == 404  # nothing of the app at the root
    assert client.get("/_dash-layout").status_code == 404
    # MathJax's chunk, loaded by dcc when a formula first shows, beside dcc's bundle.
    chunk = client.get(PREFIX + "_dash-component-suites/dash/dcc/async-mathjax.js")
    assert chunk.status_code == 200


def test_passed_on_a_callback_answers_under_the_prefix(passed_on: Any) -> None:
    client = passed_on.server.test_client()
    square2_move(Prefixed(client, PREFIX))
    # The body check (dashboard/security.py) guards the prefixed path: a body that fits no
    # callback is refused there with its 400, not left to Dash's 500.
    refused = client.post(PREFIX + UPDATE.lstrip("/"), json={"output": "nothing.children"})
    assert refused.status_code == 400
    assert client.post(UPDATE, json={"output": "nothing.children"}).status_code == 404


def test_passed_on_health_answers_at_the_root_and_under_the_prefix(passed_on: Any) -> None:
    assert passed_on.config.routes_pathname_prefix == PREFIX
    assert health_paths(PREFIX) == ("/health", "/playground/health")
    client = passed_on.server.test_client()
    assert_health(client.get("/health"))
    assert_health(client.get("/playground/health"))


# --- (b) the proxy strips the prefix ----------------------------------------------------------


def test_stripped_the_page_names_prefixed_urls_served_at_the_root(stripped: Any) -> None:
    client = stripped.server.test_client()
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for url in page_urls(html):
        assert url.startswith(PREFIX), url
        # What the proxy sends on: the same path without the prefix.
        assert client.get("/" + url[len(PREFIX) :]).status_code == 200, url
    assert '"requests_pathname_prefix":"\\u002fplayground\\u002f"' in html
    assert stripped.config.routes_pathname_prefix == "/"


def test_stripped_callbacks_and_health_answer_at_the_root(stripped: Any) -> None:
    client = stripped.server.test_client()
    square2_move(client)
    assert client.post(UPDATE, json={"output": "nothing.children"}).status_code == 400
    assert health_paths("/") == ("/health",)
    assert_health(client.get("/health"))  # through the proxy: /playground/health


# --- malformed settings ---------------------------------------------------------------------


@pytest.mark.parametrize("variable", PREFIX_SETTINGS)
@pytest.mark.parametrize("value", ["playground/", "/playground", "", "playground", "/a b/", "/../"])
def test_a_malformed_prefix_is_refused_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(PrefixError) as refused:
        check_prefixes({variable: value})
    message = str(refused.value)
    assert message.startswith(f"{variable}={value!r}: ") and "\n" not in message
    assert "/playground/" in message  # what a good value looks like


@pytest.mark.parametrize("value", ["/", "/playground/", "/course-1/playground/", "/a.b_~/"])
def test_well_formed_prefixes_pass(value: str) -> None:
    for variable in PREFIX_SETTINGS:
        check_prefixes({variable: value})
    check_prefixes({ROUTES: value, REQUESTS: "/proxy" + value})
    check_prefixes({})


def test_the_lower_case_spelling_dash_reads_is_checked_too() -> None:
    with pytest.raises(PrefixError, match=r"^DASH_URL_BASE_PATHNAME='x': "):
        check_prefixes({BASE.lower(): "x"})


@pytest.mark.parametrize("other", [ROUTES, REQUESTS])
def test_the_base_pathname_with_another_prefix_is_refused_in_one_line(other: str) -> None:
    with pytest.raises(PrefixError) as refused:
        check_prefixes({BASE: PREFIX, other: PREFIX})
    message = str(refused.value)
    assert message.startswith(f"{BASE} and {other} are both set") and "\n" not in message


@pytest.fixture
def refused_start() -> Iterator[gunicorn.Gunicorn]:
    server = gunicorn.Gunicorn(env={REQUESTS: "playground/"})
    server.start()
    yield server
    server.stop()


def test_gunicorn_stops_on_a_malformed_prefix_with_one_line(
    refused_start: gunicorn.Gunicorn,
) -> None:
    server = refused_start
    assert server.proc is not None
    deadline = time.monotonic() + 60
    while server.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.proc.returncode not in (None, 0), "gunicorn kept running"
    assert not gunicorn.listening(server.port)
    lines = [line for line in server.stderr().splitlines() if line.strip()]
    assert lines == [
        f"Error: {REQUESTS}='playground/': a path prefix must start and end with \"/\", "
        "e.g. /playground/ (letters, digits and - . _ ~ between)"
    ], server.stderr()


def test_python_m_dashboard_stops_on_a_malformed_prefix_with_one_line() -> None:
    env = {**os.environ, BASE: "/playground", "PORT": str(gunicorn.free_port())}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard"],
        cwd=gunicorn.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"python -m dashboard: {BASE}='/playground': a path prefix must start and end with "
        '"/", e.g. /playground/ (letters, digits and - . _ ~ between)'
    ], done.stderr
