"""Production configuration: security headers, a CSP the app works under, no debug tools.

The headers are checked on every kind of response (the page, Dash's JSON routes, a callback
answered by Dash, small or large, static files, errors); the page's
Content-Security-Policy is checked against the inline scripts the page really holds, and, in
headless Chromium, against what the app really does: load, switch tabs, move a slider, with no
violation and no console error, while an injected inline script and ``eval`` are blocked.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient

from dashboard import __main__ as entry
from dashboard import ids
from dashboard.security import COMMON_HEADERS, NON_HTML_CSP, page_csp
from tests.support.dash import UPDATE, build, dom_id, find_dependency, server_dependencies
from tests.support.entry import FakeApp


def csp_directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run (not JSON data, not comments)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    return [text for attrs, text in scripts if "src=" not in attrs and "json" not in attrs]


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# --- headers ------------------------------------------------------------------------------


def assert_common_headers(response: Any, what: str) -> None:
    for name, value in COMMON_HEADERS:
        assert response.headers.get(name) == value, (what, name, response.headers.get(name))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The full referrer within the site, the origin only elsewhere, nothing to plain HTTP.
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = csp_directives(response.headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"], what


def test_the_page_policy_allows_only_own_scripts_and_dashs_inline_ones(
    client: FlaskClient,
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert_common_headers(response, "/")
    csp = csp_directives(response.headers["Content-Security-Policy"])
    scripts = csp["script-src"]
    assert scripts[0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"} & set(scripts)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    # Every inline script of the page is allowed by its hash, and nothing else is.
    inline = inline_scripts(response.get_data(as_text=True))
    assert len(inline) >= 3  # Dash's start-up and the clientside callbacks
    assert {sha256(s) for s in inline} == set(scripts[1:])


def test_hashes_follow_the_scripts_dash_inlines(app: Dash) -> None:
    """The policy is built from ``Dash.csp_hashes()`` (each hash once)."""
    hashes = list(dict.fromkeys(app.csp_hashes()))
    assert page_csp(hashes) in app.server.test_client().get("/").headers["Content-Security-Policy"]


def test_json_answers_and_files_may_load_nothing(client: FlaskClient) -> None:
    for path in ("/_dash-layout", "/_dash-dependencies", "/health", "/assets/style.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_common_headers(response, path)
        assert response.headers["Content-Security-Policy"] == NON_HTML_CSP, path


def test_errors_carry_the_headers(client: FlaskClient) -> None:
    for response, status in (
        (client.get("/no/such/page.php"), 200),  # Dash serves its page for any path
        (client.get("/_dash-component-suites/dash/nothing.js"), 404),
        (client.get("/assets/nothing.css"), 404),
        (client.post(UPDATE, data=b"{", content_type="application/json"), 400),
        (client.post(UPDATE, data=b" " * (3 * 1024 * 1024), content_type="application/json"), 413),
        (client.put("/health"), 405),
    ):
        assert response.status_code == status
        assert_common_headers(response, str(status))


@pytest.fixture(scope="module")
def figure_body(client: FlaskClient) -> bytes:
    dependencies = server_dependencies(client.get("/_dash-dependencies").get_json())
    return json.dumps(build(find_dependency(dependencies, "square2"))).encode()


def test_callback_answers_carry_the_headers(client: FlaskClient, figure_body: bytes) -> None:
    small = client.post(UPDATE, data=figure_body, content_type="application/json")
    # The same body padded beyond 64 KiB: still one callback request, the same answer.
    large = client.post(UPDATE, data=figure_body + b" " * 70_000, content_type="application/json")
    for response in (small, large):
        assert response.status_code == 200
        assert_common_headers(response, "callback")
        assert response.headers["Content-Security-Policy"] == NON_HTML_CSP
    assert small.get_json() == large.get_json()


def test_answers_are_compressed(client: FlaskClient, figure_body: bytes) -> None:
    page = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    json.loads(gzip.decompress(page.get_data()))
    update = client.post(
        UPDATE,
        data=figure_body,
        content_type="application/json",
        headers={"Accept-Encoding": "gzip"},
    )
    assert update.headers["Content-Encoding"] == "gzip"
    assert len(update.get_data()) < 0.8 * len(gzip.decompress(update.get_data()))


def test_error_messages_follow_the_browser_language(client: FlaskClient) -> None:
    big = b" " * (3 * 1024 * 1024)
    for lang, word in (("en", "large"), ("ru", "велик"), ("de", "large")):
        response = client.post(
            UPDATE, data=big, content_type="application/json", headers={"Accept-Language": lang}
        )
        assert response.status_code == 413
        assert word in response.get_json()["message"], lang


# --- debug tools ----------------------------------------------------------------------------


def test_debug_and_dev_tools_are_off(client: FlaskClient, app: Dash) -> None:
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'id="_dash-config"[^>]*>(.*?)</script>', html, re.S)[1])
    assert config["ui"] is False  # Dash's dev tools panel and error overlay
    assert config["props_check"] is False
    assert app.server.debug is False
    assert app._dev_tools.hot_reload is False
    # No traceback leaves the server: Flask's own debugger is off too.
    assert app.server.config["PROPAGATE_EXCEPTIONS"] in (None, False)


@pytest.mark.parametrize(
    ("value", "debug"), [(None, False), ("", False), ("0", False), ("1", True), ("true", True)]
)
def test_debug_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, fake: FakeApp, value: str | None, debug: bool
) -> None:
    """``python -m dashboard`` turns Dash's debug mode on only with DASH_DEBUG=1."""
    if value is None:
        monkeypatch.delenv("DASH_DEBUG", raising=False)
    else:
        monkeypatch.setenv("DASH_DEBUG", value)
    monkeypatch.delenv("HOST", raising=False)
    entry.main([])
    assert fake.calls == [{"host": "127.0.0.1", "port": 8050, "debug": debug}]


# --- in the browser -------------------------------------------------------------------------

VIOLATIONS_JS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample);
});
"""

OUTPUT_Y_JS = """
(sel) => {
    const gd = document.querySelector(sel);
    const t = gd && gd._fullData && gd._fullData.find(t => t.uid === 'output');
    return t ? Array.from(t.y) : null;
}
"""

IDLE_JS = """
() => {
    const s = window.store && window.store.getState();
    if (!s || !s.callbacks) return false;
    return ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed']
        .every(k => !s.callbacks[k] || s.callbacks[k].length === 0);
}
"""


def css_id(component_id: dict[str, Any]) -> str:
    return f"[id='{dom_id(component_id)}']"


def output_y(page: Any, tab: str) -> list[float] | None:
    return page.evaluate(OUTPUT_Y_JS, css_id(ids.graph(tab)) + " .js-plotly-plot")


@pytest.mark.browser
def test_the_app_works_under_its_policy(make_page: Callable[..., Any], app_url: str) -> None:
    """Load, read a formula (MathJax), open every tab, then "2 neurons", press → on a slider:
    the plot changes, and the browser reports no policy violation and no console error (the
    fixture fails the test on any)."""
    page = make_page()
    page.add_init_script(VIOLATIONS_JS)
    response = page.goto(app_url)
    assert (
        response is not None
        and "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    )
    page.wait_for_function(IDLE_JS)
    # MathJax typesets the explanation's formulas once it is opened (its code is a chunk from
    # this origin); the gallery's formula is MathML, drawn with no script.
    page.locator(".explanation summary").first.click()
    page.locator("mjx-container").first.wait_for(state="attached")
    page.locator(css_id(ids.formula("gallery")) + " math").wait_for(state="attached")
    # Every tab once (each is rendered when opened), then "2 neurons".
    tabs = page.locator(css_id(ids.tabbar(ids.MAIN))).get_by_role("radio")
    assert tabs.count() >= 5
    for i in range(tabs.count()):
        tabs.nth(i).click()
        page.wait_for_function(IDLE_JS)
    page.get_by_role("radio", name="2 neurons → x²").click()
    graph = css_id(ids.graph("square2")) + " .js-plotly-plot"
    page.wait_for_function(f"() => ({OUTPUT_Y_JS})({json.dumps(graph)}) !== null")
    page.wait_for_function(IDLE_JS)
    before = output_y(page, "square2")
    thumb = page.locator(css_id(ids.param("square2", "w1")) + " [role=slider]")
    value = thumb.get_attribute("aria-valuenow")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"""(before) => {{
            const y = ({OUTPUT_Y_JS})({json.dumps(graph)});
            return y !== null && y.some((v, i) => v !== before[i]);
        }}""",
        arg=before,
    )
    assert thumb.get_attribute("aria-valuenow") != value
    page.wait_for_function(IDLE_JS)
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.browser
def test_the_policy_blocks_injected_scripts(browser: Any, app_url: str) -> None:
    """What the policy is for: a script that is not the app's does not run."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(VIOLATIONS_JS)
        page.goto(app_url)
        page.wait_for_function(IDLE_JS)
        page.evaluate(
            """() => {
                const inline = document.createElement('script');
                inline.textContent = 'window.__injected = "inline";';
                document.body.appendChild(inline);
                const data = document.createElement('script');
                data.src = 'data:text/javascript,window.__injected = "data";';
                document.body.appendChild(data);
                const handler = document.createElement('div');
                handler.setAttribute('onclick', 'window.__injected = "handler";');
                document.body.appendChild(handler);
                handler.click();
            }"""
        )
        page.wait_for_function("() => window.__cspViolations.length >= 3")
        assert page.evaluate("window.__injected === undefined")
        violations = page.evaluate("window.__cspViolations")
        assert all(v.startswith("script-src") for v in violations), violations
    finally:
        context.close()
