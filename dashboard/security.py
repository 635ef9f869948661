"""What the app needs to face the internet: security headers, a body size cap, sane 4xx answers.

``install(app)``, called at the end of ``create_app()``, adds:

1. The security headers (defined here alone), on every response, through an
   ``after_request`` hook. HTML pages get a Content-Security-Policy under which only this
   origin's scripts and Dash's own inline scripts (by hash, ``Dash.csp_hashes()``) run;
   every other response gets one that allows nothing. Besides: ``X-Content-Type-Options:
   nosniff``, a Referrer-Policy that sends the full referrer within the site only, and no
   framing (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``) unless ``$FRAME_ANCESTORS``
   lists the origins that may frame the page (a course site): the page's ``frame-ancestors``
   then lists them, and ``X-Frame-Options``, which cannot, is left out.

2. A cap on request bodies, ``$MAX_REQUEST_BYTES`` (2 MiB by default), as Flask's
   ``MAX_CONTENT_LENGTH``: a larger body is answered ``413`` before it is read; a body sent
   chunked, without a length, is read up to the cap and answered ``413`` when it reaches it.

   A body the app answers without reading (a refusal, a path that takes none) would stay on
   the connection, which then cannot carry the next request. So a body within the cap is read
   to its end before any answer leaves (``finish_body``), and a connection whose body may stay
   partly unread (declared over the cap, or chunked: ``leaves_body_unread``) is closed after
   its answer: werkzeug's development server closes every connection; gunicorn is told to by
   ``gunicorn.conf.py``'s ``pre_request`` hook.

3. A check, before Dash's dispatch, that a ``POST /_dash-update-component`` body has the shape
   the page's renderer sends for one of the registered callbacks (``wire.body_problem``,
   where Dash's callback request is written down once): a JSON object naming a
   registered server callback, with as many inputs and states as it declares, each an object
   with an id of the declared shape and a property (a list of them for a pattern-matched
   group; the groups of one pattern listing the same ids), outputs that fit the declaration
   exactly (Dash's own rule), and ``changedPropIds`` a list of strings. Anything else is
   answered ``400`` instead of reaching Dash's dispatch, which fails on such bodies with a
   ``500``. An input of another id of the right shape is left to the callback, as Dash
   leaves it. Values are not checked here: each callback checks its own and says what is
   wrong in the tab's status line. Errors Dash raises about a request that does not fit its
   callback (a pattern-matched output group longer than what the callback returns, ...) are
   answered ``400`` too, and a request for a file under ``/_dash-component-suites/`` that
   Dash does not serve ``404`` (Dash raises an error for it, a ``500``).

Error answers are JSON ``{"message": ...}`` in the language of the request's Accept-Language
header (English or Russian). A setting from the environment that the app cannot start with
raises :class:`SettingError`, one line naming the variable (``check_environment``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import flask
from dash import Dash
from dash.exceptions import CallbackException, DependencyException, PreventUpdate
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from dashboard.i18n import from_accept_language, t
from dashboard.wire import UPDATE_PATH, body_problem

DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024
"""Largest request body accepted: a 1 MB CSV file, base64-encoded in a callback body, is about
1.4 MB; a slider move is about 1.5 KB."""
MAX_REQUEST_ENV = "MAX_REQUEST_BYTES"
FRAME_ENV = "FRAME_ANCESTORS"
NO_FRAMING = "'none'"
"""``frame-ancestors`` when ``$FRAME_ANCESTORS`` is unset or empty: no page may frame this one."""
FRAME_OPTIONS = ("X-Frame-Options", "DENY")
"""The older header saying the same, for browsers without CSP; it cannot list origins."""
FRAME_EXAMPLE = f'{FRAME_ENV}="https://moodle.example.edu https://*.instructure.com"'

COMMON_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    FRAME_OPTIONS,
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
"""Headers every response carries (``X-Frame-Options`` only while no origin may frame it)."""

NON_HTML_CSP = f"default-src 'none'; frame-ancestors {NO_FRAMING}; base-uri 'none'"
"""A JSON answer, a script or a stylesheet is never a document: it may load nothing."""

_HOST = re.compile(r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
"""A host name or IPv4 address, its first label possibly the wildcard ``*``."""


class SettingError(ValueError):
    """A setting from the environment the app cannot start with; its text is one line."""


def page_csp(script_hashes: Sequence[str], ancestors: Sequence[str] = ()) -> str:
    """The Content-Security-Policy of an HTML page.

    Scripts: this origin's files (Dash's bundles, MathJax's chunk, assets/*.js) and inline
    scripts whose hash Dash computed (its renderer start-up and the clientside callbacks);
    no ``eval``, no other inline script. Styles may be inline: Plotly writes ``<style>``
    elements and style attributes as it draws. Framed by ``ancestors`` only (none: by nobody).
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": list(ancestors) or [NO_FRAMING],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def max_request_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The body size cap from ``$MAX_REQUEST_BYTES`` (bytes), 2 MiB by default."""
    env = os.environ if environ is None else environ
    raw = env.get(MAX_REQUEST_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_REQUEST_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{MAX_REQUEST_ENV}={raw!r}: expected a whole number of bytes") from None
    if value < 1024:
        raise SettingError(f"{MAX_REQUEST_ENV}={raw!r}: must be at least 1024 bytes")
    return value


def frame_ancestors(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The origins that may frame the page, from ``$FRAME_ANCESTORS`` (none when unset).

    Entries are separated by spaces or commas; each is ``'self'`` or ``http(s)://host[:port]``
    (a trailing ``/`` is dropped), the host's first label possibly ``*``
    (``https://*.instructure.com``). Anything else raises :class:`SettingError` naming it.
    """
    env = os.environ if environ is None else environ
    sources = []
    for entry in re.split(r"[\s,]+", env.get(FRAME_ENV, "").strip()):
        if not entry:
            continue
        source, problem = frame_source(entry)
        if problem:
            raise SettingError(f"{FRAME_ENV}: {entry!r} {problem}; a good value: {FRAME_EXAMPLE}")
        sources.append(source)
    return tuple(dict.fromkeys(sources))


def frame_source(entry: str) -> tuple[str, str | None]:
    """One entry of ``$FRAME_ANCESTORS`` as the CSP writes it, or what is wrong with it."""
    if entry.lower() == "'self'":
        return "'self'", None
    if "'" in entry or '"' in entry:
        return "", "is quoted: only 'self' may be, origins are written bare"
    scheme, sep, rest = entry.partition("://")
    if not sep:
        what = "would let every site frame the app" if entry == "*" else "is not an origin"
        return "", what + " (write http:// or https:// and a host, or 'self')"
    if scheme.lower() not in ("http", "https"):
        return "", "is not an http:// or https:// origin"
    rest = rest.lower().removesuffix("/")
    if any(c in rest for c in "/?#"):
        return "", "has a path, query or fragment: give the origin only (scheme and host)"
    host, colon, port = rest.partition(":")
    if not _HOST.fullmatch(host):
        return "", "has no valid host name (a wildcard only as its first label: *.)"
    if colon and not (re.fullmatch("[0-9]{1,5}", port) and 1 <= int(port) <= 65535):
        return "", "has a port that is not a whole number in 1..65535"
    if host.startswith("*.") and host.count(".") < 2:
        return "", "has a wildcard over a whole top-level domain"
    return f"{scheme.lower()}://{rest}", None


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Read every setting this module takes from the environment: a bad one raises
    :class:`SettingError` here, before the app is loaded (``gunicorn.conf.py``,
    ``python -m dashboard``)."""
    max_request_bytes(environ)
    frame_ancestors(environ)


def leaves_body_unread(headers: Iterable[tuple[str, str]], cap: int) -> bool:
    """Whether the body of a request with these headers may stay partly unread by the app,
    so that its connection must be closed after the answer: a declared length over ``cap``
    (answered 413 unread) or a chunked body (read up to the cap at most; no page of this app
    sends one)."""
    for name, value in headers:
        lname = name.lower()
        if lname == "transfer-encoding" and "chunked" in value.lower():
            return True
        if lname == "content-length" and not (value.strip().isdigit() and int(value) <= cap):
            return True
    return False


def finish_body(request: flask.Request, cap: int) -> None:
    """Read what is left of a request body declared within ``cap``, so that the connection it
    came on can carry the next request (a keep-alive answer promises as much)."""
    length = request.content_length
    if not length or length > cap:
        return  # none, chunked or refused unread: the connection is closed (see above)
    try:
        request.stream.exhaust()
    except (OSError, HTTPException):  # the client went away; its connection goes with it
        return


def language_of(accept_language: str | None) -> str:
    """English or Russian, whichever the Accept-Language header prefers (English if neither)."""
    if not accept_language:
        return "en"
    return from_accept_language(parse_accept_header(accept_language, LanguageAccept).values())


def error_body(lang: str, key: str, **fields: object) -> bytes:
    return json.dumps({"message": t(lang, key, **fields)}, ensure_ascii=False).encode("utf-8")


def with_security_headers(
    headers: Any, html_csp: Callable[[], str], common: Sequence[tuple[str, str]] = COMMON_HEADERS
) -> None:
    """Add the security headers to a response's ``werkzeug.Headers`` (those it lacks)."""
    for name, value in common:
        headers.setdefault(name, value)
    if "Content-Security-Policy" not in headers:
        mime = headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        headers["Content-Security-Policy"] = html_csp() if mime == "text/html" else NON_HTML_CSP


def _json_error(status: int, key: str, limit: int | None = None) -> flask.Response:
    lang = language_of(flask.request.headers.get("Accept-Language"))
    fields = {} if limit is None else {"limit": limit}
    response = flask.Response(error_body(lang, key, **fields), status=status)
    response.content_type = "application/json; charset=utf-8"
    return response


def install(app: Dash) -> None:
    """Cap request bodies, add the security headers, answer malformed callback bodies with 400.

    Call it once every callback is registered (Dash's inline scripts are then known).
    """
    cap = max_request_bytes()
    ancestors = frame_ancestors()
    common = [h for h in COMMON_HEADERS if not (ancestors and h == FRAME_OPTIONS)]
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = cap
    update_path = app.config.routes_pathname_prefix + UPDATE_PATH

    def html_csp() -> str:
        # Computed per page: a handful of short hashes, always those of what Dash inlines.
        return page_csp(list(dict.fromkeys(app.csp_hashes())), ancestors)

    @server.after_request
    def add_headers(response: flask.Response) -> flask.Response:
        with_security_headers(response.headers, html_csp, common)
        finish_body(flask.request, cap)  # an answer given without reading the body (4xx)
        return response

    @server.errorhandler(413)
    def too_large(_error: Exception) -> flask.Response:
        return _json_error(413, "http.too_large", limit=cap)

    server.before_request(lambda: _refusal(app.callback_map, cap, update_path))
    _answer_dash_errors(server, update_path)


def _refusal(
    callback_map: Mapping[str, Mapping[str, Any]], cap: int, update_path: str
) -> flask.Response | None:
    """The answer to a request refused before Dash sees it (``None``: none, go on): a chunked
    body that reached the cap, or a callback request that fits no registered callback."""
    request = flask.request
    # Sent chunked (no length): werkzeug stops reading at the cap and hands on what it
    # read, which would look like a truncated (malformed) body rather than a large one.
    chunked = request.content_length is None and request.method in ("POST", "PUT", "PATCH")
    if chunked and len(request.get_data(cache=True)) >= cap:
        return _json_error(413, "http.too_large", limit=cap)
    if request.method != "POST" or request.path != update_path:
        return None
    try:  # None for a body that is not JSON or not sent as JSON; 413 beyond the cap
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser recurses
        body = None
    if body is None:
        return _json_error(400, "http.bad_json")
    if body_problem(body, callback_map) is not None:
        return _json_error(400, "http.bad_callback")
    return None


def _answer_dash_errors(server: flask.Flask, update_path: str) -> None:
    """Answer what Dash raises about a request (not about the app) as a 4xx, not a 500."""

    @server.errorhandler(DependencyException)
    def unknown_file(_error: DependencyException) -> flask.Response:
        # Dash raises this for a path under /_dash-component-suites/ that is none of its
        # files (a scanner's guess): that is a 404, not a server error.
        return _json_error(404, "http.not_found")

    @server.errorhandler(CallbackException)
    def callback_mismatch(error: CallbackException) -> Any:
        if isinstance(error, PreventUpdate):  # Dash's own meaning: nothing to update
            return "", 204
        if flask.request.path != update_path:
            raise error
        server.logger.warning("refused a callback request: %s", error)
        return _json_error(400, "http.bad_callback")
