"""What the app needs to face the internet: security headers, a body size cap, sane 4xx answers.

``install(app)``, called at the end of ``create_app()``, adds:

1. The security headers, on every response: Flask's through an ``after_request`` hook, the
   fast path's (``fastpath.FastCallbacks`` answers slider moves without Flask) through its
   ``extra_headers``. HTML pages get a Content-Security-Policy under which only this
   origin's scripts and Dash's own inline scripts (by hash, ``Dash.csp_hashes()``) run;
   every other response gets one that allows nothing. Besides: ``X-Content-Type-Options:
   nosniff``, a Referrer-Policy that sends the full referrer within the site only, and no
   framing (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``).

2. A cap on request bodies, ``$MAX_REQUEST_BYTES`` (2 MiB by default), as Flask's
   ``MAX_CONTENT_LENGTH``: a larger body is answered ``413`` before it is read; a body sent
   chunked, without a length, is read up to the cap and answered ``413`` when it reaches it.
   The fast path reads a body only when its declared length is at most 64 KiB and within the
   cap, and hands every other one to Flask.

   A body the app answers without reading (a refusal, a path that takes none) would stay on
   the connection, which then cannot carry the next request. So a body within the cap is read
   to its end before any answer leaves (``finish_body``), and a connection whose body may stay
   partly unread (declared over the cap, or chunked: ``leaves_body_unread``) is closed after
   its answer: werkzeug's development server closes every connection; gunicorn is told to by
   ``gunicorn.conf.py``'s ``pre_request`` hook.

3. A check, before Dash's dispatch, that a ``POST /_dash-update-component`` body has the shape
   the page's renderer sends for one of the registered callbacks: a JSON object naming a
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
header (English or Russian).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import flask
from dash import Dash
from dash.exceptions import CallbackException, DependencyException, PreventUpdate
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from dashboard.fastpath import FastCallbacks
from dashboard.i18n import from_accept_language, t

DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024
"""Largest request body accepted: a 1 MB CSV file, base64-encoded in a callback body, is about
1.4 MB; a slider move is about 1.5 KB."""
MAX_REQUEST_ENV = "MAX_REQUEST_BYTES"


COMMON_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
"""Headers every response carries."""

NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
"""A JSON answer, a script or a stylesheet is never a document: it may load nothing."""


def page_csp(script_hashes: Sequence[str]) -> str:
    """The Content-Security-Policy of an HTML page.

    Scripts: this origin's files (Dash's bundles, MathJax's chunk, assets/*.js) and inline
    scripts whose hash Dash computed (its renderer start-up and the clientside callbacks);
    no ``eval``, no other inline script. Styles may be inline: Plotly writes ``<style>``
    elements and style attributes as it draws.
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
        "frame-ancestors": ["'none'"],
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
        raise ValueError(f"{MAX_REQUEST_ENV}={raw!r}: expected a whole number of bytes") from None
    if value < 1024:
        raise ValueError(f"{MAX_REQUEST_ENV}={raw!r}: must be at least 1024 bytes")
    return value


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


def with_security_headers(headers: Any, html_csp: Callable[[], str]) -> None:
    """Add the security headers to a response's ``werkzeug.Headers`` (those it lacks)."""
    for name, value in COMMON_HEADERS:
        headers.setdefault(name, value)
    if "Content-Security-Policy" not in headers:
        mime = headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        headers["Content-Security-Policy"] = html_csp() if mime == "text/html" else NON_HTML_CSP


# --- callback bodies ---------------------------------------------------------------------------

WILDCARDS = (["ALL"], ["ALLSMALLER"], ["MATCH"])
"""How /_dash-dependencies and the callback map spell Dash's wildcards inside a string id."""


def _parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _fits(concrete: Any, pattern: Any, exact: bool) -> bool:
    """Whether an id sent by a client fits the declared one.

    ``exact``: it is the declared id, or fits the declared pattern (Dash's own rule for
    outputs). Otherwise (inputs and state) it only has the declared id's shape: a string for
    a string, or an object with the same keys holding strings or numbers. Dash answers an
    input of another id normally, and each callback copes with what it is given; what Dash
    cannot cope with (an id of another shape) is refused.
    """
    if isinstance(pattern, str):
        return concrete == pattern if exact else isinstance(concrete, str)
    if not isinstance(concrete, dict) or set(concrete) != set(pattern):
        return False
    for key, want in pattern.items():
        got = concrete[key]
        if want in WILDCARDS or not exact:
            if not _scalar(got):
                return False
        elif got != want:
            return False
    return True


def _is_group(pattern: Any) -> bool:
    """Whether a pattern stands for a list of components (ALL, ALLSMALLER)."""
    return isinstance(pattern, dict) and any(
        v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values()
    )


def _item_ok(item: Any, pattern: Any, prop: str, exact: bool) -> bool:
    return (
        isinstance(item, dict)
        and "id" in item
        and _fits(item["id"], pattern, exact)
        # An output declared with allow_duplicate is sent as "<property>@<hash>".
        and (
            str(item.get("property")).split("@")[0] == prop
            if exact
            else isinstance(item.get("property"), str)
        )
    )


def _dependency_ok(sent: Any, pattern: Any, prop: str, exact: bool) -> bool:
    if _is_group(pattern):
        return isinstance(sent, list) and all(_item_ok(i, pattern, prop, exact) for i in sent)
    return _item_ok(sent, pattern, prop, exact)


def _list_ok(sent: Any, declared: Sequence[Mapping[str, str]]) -> bool:
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    return all(
        _dependency_ok(s, _parse_id(d["id"]), d["property"], exact=False)
        for s, d in zip(sent, declared, strict=True)
    )


def _outputs_ok(output: str, sent: Any, callback: Mapping[str, Any]) -> bool:
    if callback.get("no_output"):
        return True
    declared = callback["output"]
    declared = list(declared) if isinstance(declared, list | tuple) else [declared]
    specs = [
        (_parse_id(o.component_id_str()), o.component_property)
        for o in declared  # dash.Output objects
    ]
    if not output.startswith(".."):  # a single output: the renderer sends it unwrapped
        sent = [sent]
    if not isinstance(sent, list) or len(sent) != len(specs):
        return False
    return all(
        _dependency_ok(s, pattern, prop, exact=True)
        for s, (pattern, prop) in zip(sent, specs, strict=True)
    )


def _groups_agree(body: Mapping[str, Any], callback: Mapping[str, Any]) -> bool:
    """Whether every group of one pattern lists the same components in the same order.

    The renderer resolves a pattern against one page, so ``State(param ALL, "value")`` and
    ``State(param ALL, "min")`` (or an output of the same pattern) name the same ids; a
    callback may zip them together.
    """
    declared = [*callback["inputs"], *callback["state"]]
    sent = [*body["inputs"], *body.get("state", [])]
    outputs = callback["output"] if isinstance(callback["output"], list | tuple) else []
    sent_outputs = body.get("outputs") if body["output"].startswith("..") else []
    declared += [{"id": o.component_id_str()} for o in outputs]
    sent += sent_outputs if isinstance(sent_outputs, list) else []
    seen: dict[str, list[Any]] = {}
    for spec, group in zip(declared, sent, strict=False):
        if not isinstance(group, list):
            continue
        listed = [item["id"] for item in group]
        if seen.setdefault(spec["id"], listed) != listed:
            return False
    return True


def body_problem(body: Any, callback_map: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Why a callback request body does not fit any registered callback (``None``: it fits)."""
    if not isinstance(body, dict):
        return "not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown output"
    callback = callback_map[output]
    if "callback" not in callback:
        return "not a server callback"
    if not _list_ok(body.get("inputs"), callback["inputs"]):
        return "inputs do not match the callback"
    if not _list_ok(body.get("state", []), callback["state"]):
        return "state does not match the callback"
    if not _outputs_ok(output, body.get("outputs"), callback):
        return "outputs do not match the callback"
    if not _groups_agree(body, callback):
        return "one pattern lists different components"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, str | list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of strings"  # Dash hashes each item
    return None


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
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = cap
    update_path = app.config.routes_pathname_prefix + "_dash-update-component"

    def html_csp() -> str:
        # Computed per page: a handful of short hashes, always those of what Dash inlines.
        return page_csp(list(dict.fromkeys(app.csp_hashes())))

    fast = server.wsgi_app
    if isinstance(fast, FastCallbacks):  # its own answers bypass Flask: give it the headers
        fast.extra_headers[:] = [*COMMON_HEADERS, ("Content-Security-Policy", NON_HTML_CSP)]

    @server.after_request
    def add_headers(response: flask.Response) -> flask.Response:
        with_security_headers(response.headers, html_csp)
        finish_body(flask.request, cap)  # an answer given without reading the body (4xx)
        return response

    @server.errorhandler(413)
    def too_large(_error: Exception) -> flask.Response:
        return _json_error(413, "http.too_large", limit=cap)

    @server.before_request
    def check_callback_body() -> flask.Response | None:
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
        if body_problem(body, app.callback_map) is not None:
            return _json_error(400, "http.bad_callback")
        return None

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
