"""A direct answer for the hottest callbacks: slider moves, without Dash's generic dispatch.

Dash answers every ``POST /_dash-update-component`` through a general machinery (Flask's
request context, grouping, pattern-matching id resolution, callback context, output
validation) that costs about a millisecond, a hundred times the forward pass. For the
callbacks registered here a small WSGI layer in front of the Flask app parses the body with
orjson, checks that it has exactly the shape Dash's renderer sends for that callback, calls
the *same* pure function the Dash callback calls, and writes the response Dash would write
(gzip-compressed when the client accepts it, as the rest of the app is). Anything unexpected
goes on to Dash untouched, which stays the reference: tests check that both give the same
answer for the same body.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import orjson
from dash import Dash, Patch, no_update
from dash._utils import stringify_id
from dash.dependencies import _Wildcard
from isal import isal_zlib

Handler = Callable[[dict[str, Any]], Sequence[Any]]
"""Takes the parsed body and returns the callback's outputs; raising ValueError (or KeyError,
TypeError, IndexError) or returning None hands the request to Dash."""

MAX_BODY = 64 * 1024
"""Bodies larger than this are left to Dash (a slider move is about 1.5 KB)."""
GZIP_MIN = 500
GZIP_LEVEL = 1
"""ISA-L's level 1 gzip (isal): an update is mostly base64 text, which gains from entropy coding
(6 bits a character) and hardly from matching repeats, so its fastest level compresses as well
as zlib's level 6 (17.0 -> 12.3 KB) in a sixth of the time of zlib's Huffman-only coding."""
StartResponse = Callable[..., Any]


def gzip_bytes(data: bytes) -> bytes:
    """``data`` as a gzip stream (what ``Content-Encoding: gzip`` means)."""
    packer = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


class FastCallbacks:
    """Callbacks answered directly, keyed by the ``output`` string of Dash's request body."""

    def __init__(self, app: Dash) -> None:
        self.path = app.config.requests_pathname_prefix + "_dash-update-component"
        self._handlers: dict[str, tuple[Handler, list[tuple[Any, str]]]] = {}
        self._checked: dict[str, tuple[Any, list[Any]]] = {}
        """Per callback, the last ``outputs`` accepted and their concrete form: a page sends
        the same outputs with every step, and comparing them costs a tenth of checking them."""
        self._next = app.server.wsgi_app
        self._config = app.server.config
        self.extra_headers: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        """One answer at a time per process (see ``__call__``)."""
        app.server.wsgi_app = self  # type: ignore[method-assign]

    def add(self, outputs: Sequence[tuple[Any, str]], handler: Handler) -> None:
        """Answer the callback with these (component id, property) outputs through ``handler``.

        An id may hold ``dash.ALL`` as a value (a pattern): the handler then returns a list with
        one value per matching component, in the order of the body's ``outputs``.
        """
        keys = [(stringify_id(cid), prop) for cid, prop in outputs]
        output = "..{}..".format("...".join(f"{cid}.{prop}" for cid, prop in keys))
        self._handlers[output] = (handler, list(outputs))

    def answer(self, body: bytes) -> bytes | None:
        """The JSON Dash would answer for this body (b"" for "nothing to update"), or None
        when the body is not one this fast path handles."""
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(payload, dict):
            return None
        output = payload.get("output")
        entry = self._handlers.get(output) if isinstance(output, str) else None
        if entry is None:
            return None
        handler, declared = entry
        sent = payload.get("outputs")
        last = self._checked.get(output)
        if last is not None and last[0] == sent:
            concrete = last[1]
        else:
            concrete = _concrete_outputs(sent, declared)
            if concrete is None:  # Dash rejects outputs other than the callback's
                return None
            self._checked[output] = (sent, concrete)
        try:
            outputs = handler(payload)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        if outputs is None:
            return None
        response: dict[str, dict[str, Any]] = {}
        for targets, value in zip(concrete, outputs, strict=True):
            if value is no_update:
                continue
            if isinstance(targets, list):  # a pattern: one value per matching component
                if not isinstance(value, list | tuple) or len(value) != len(targets):
                    return None
                pairs = list(zip(targets, value, strict=True))
            else:
                pairs = [(targets, value)]
            for (cid, prop), item in pairs:
                if item is no_update:
                    continue
                if isinstance(item, Patch):
                    item = item.to_plotly_json()
                response.setdefault(cid, {})[prop] = item
        if not response:
            return b""
        return orjson.dumps({"multi": True, "response": response})

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") != "POST"
            or environ.get("PATH_INFO") != self.path
            or not _is_json(environ.get("CONTENT_TYPE", ""))
        ):
            return self._next(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= min(MAX_BODY, self._config.get("MAX_CONTENT_LENGTH") or MAX_BODY):
            return self._next(environ, start_response)
        body = environ["wsgi.input"].read(length)
        compress = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        # A gunicorn worker runs several threads. An answer is some fifty NumPy operations on
        # a few thousand numbers, and NumPy lets go of the interpreter lock around each: with
        # other threads of the worker computing answers too, every operation becomes a
        # hand-over of that lock between threads (four threads answering in a loop took twice
        # as long per answer as one; bench/inside_worker.py). Held here, this lock makes the
        # others wait in one place until this answer and its compression are done; they would
        # have had to wait for the interpreter lock anyway.
        with self._lock:
            data = self.answer(body)
            packed = data is not None and len(data) >= GZIP_MIN and compress
            if packed:
                data = gzip_bytes(data)
        if data is None:  # hand the request on, with its body, to Dash
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return self._next(environ, start_response)
        if not data:
            start_response("204 NO CONTENT", [("Content-Length", "0"), *self.extra_headers])
            return [b""]
        headers = [("Content-Type", "application/json"), ("Vary", "Accept-Encoding")]
        if packed:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(data))))
        start_response("200 OK", headers + self.extra_headers)
        return [data]


def _matches(cid: Any, pattern: Any) -> bool:
    """Whether a concrete dict id fits a pattern id holding ``dash.ALL`` values."""
    if not isinstance(cid, dict) or set(cid) != set(pattern):
        return False
    return all(
        isinstance(cid[k], str | int | float) if isinstance(v, _Wildcard) else cid[k] == v
        for k, v in pattern.items()
    )


@lru_cache(maxsize=4096)
def _stringify(items: tuple[tuple[str, Any], ...]) -> str:
    """Dash's string form of a dict id (sorted keys, compact JSON), cached: the same few
    dozen ids come back in every request."""
    return stringify_id(dict(items))


def _concrete_outputs(
    outputs: Any, declared: Sequence[tuple[Any, str]]
) -> list[tuple[str, str] | list[tuple[str, str]]] | None:
    """The body's outputs as (stringified id, property), checked against the declaration.

    ``None`` when they differ from what Dash registered, as Dash would refuse them too.
    """
    if len(declared) == 1 and isinstance(outputs, dict):
        outputs = [outputs]  # Dash sends a lone output unwrapped
    if not isinstance(outputs, list) or len(outputs) != len(declared):
        return None
    result: list[tuple[str, str] | list[tuple[str, str]]] = []
    for sent, (cid, prop) in zip(outputs, declared, strict=True):
        is_pattern = isinstance(cid, dict) and any(isinstance(v, _Wildcard) for v in cid.values())
        if is_pattern:
            if not isinstance(sent, list):
                return None
            group = []
            for item in sent:
                if not isinstance(item, dict) or item.get("property") != prop:
                    return None
                if not _matches(item.get("id"), cid):
                    return None
                group.append((_stringify(tuple(sorted(item["id"].items()))), prop))
            result.append(group)
        else:
            if sent != {"id": cid, "property": prop}:
                return None
            key = _stringify(tuple(sorted(cid.items()))) if isinstance(cid, dict) else cid
            result.append((key, prop))
    return result


def _is_json(content_type: str) -> bool:
    """Flask's ``request.is_json``: application/json or application/*+json."""
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def check_shape(payload: dict[str, Any], inputs: int, state: int) -> None:
    """Raise ValueError unless the body has exactly this many inputs and states (Dash's check)."""
    if not (
        isinstance(payload["inputs"], list)
        and len(payload["inputs"]) == inputs
        and isinstance(payload["state"], list)
        and len(payload["state"]) == state
    ):
        raise ValueError("unexpected number of inputs or states")


def input_values(
    payload: dict[str, Any], position: int, names: Sequence[str], tab: str
) -> list[Any]:
    """Values of a pattern-matched ALL group of parameter inputs, checked against ``names``.

    Raises ValueError when the group is not exactly the tab's parameters in the page's order,
    so the request goes to Dash, which knows how to answer it.
    """
    group = payload["inputs"][position]
    if not isinstance(group, list) or len(group) != len(names):
        raise ValueError("unexpected input group")
    values = []
    for item, name in zip(group, names, strict=True):
        if item["id"] != {"name": name, "tab": tab, "type": "param"}:
            raise ValueError("unexpected input id")
        if item.get("property") != "value":
            raise ValueError("unexpected property")
        values.append(item.get("value"))
    return values


def single_value(payload: dict[str, Any], section: str, position: int, expected_id: Any) -> Any:
    """The value of a single input or state at ``position``, checking its id."""
    item = payload[section][position]
    if not isinstance(item, dict) or item.get("id") != expected_id:
        raise ValueError("unexpected id")
    return item.get("value")
