"""A direct answer for the hottest callbacks: slider moves, without Dash's generic dispatch.

Dash answers every ``POST /_dash-update-component`` through a general machinery (grouping,
pattern-matching id resolution, callback context, output validation) that costs about 1 ms,
a hundred times the forward pass. For the callbacks registered here, a ``before_request`` hook
parses the body with orjson, checks that it has exactly the shape Dash's renderer sends for that
callback, calls the *same* pure function the Dash callback calls, and writes the response Dash
would write. Anything unexpected is left to Dash, which stays the reference: a test checks that
both paths give the same response for the same body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import flask
import orjson
from dash import Dash, no_update
from dash._utils import stringify_id

Handler = Callable[[dict[str, Any]], tuple[Any, ...] | None]
"""Takes the parsed body; returns the callback's outputs, or None to leave the body to Dash."""


class FastCallbacks:
    """Callbacks answered directly, keyed by the ``output`` string of Dash's request body."""

    def __init__(self, app: Dash) -> None:
        self.path = app.config.requests_pathname_prefix + "_dash-update-component"
        self._handlers: dict[str, tuple[Handler, list[tuple[str, str]], list[dict[str, Any]]]] = {}
        app.server.before_request(self._before_request)

    def add(self, outputs: Sequence[tuple[Any, str]], handler: Handler) -> None:
        """Answer the callback with these (component id, property) outputs through ``handler``."""
        keys = [(stringify_id(cid), prop) for cid, prop in outputs]
        output = "..%s.." % "...".join(f"{cid}.{prop}" for cid, prop in keys)
        specs = [{"id": cid, "property": prop} for cid, prop in outputs]
        self._handlers[output] = (handler, keys, specs)

    def answer(self, body: bytes) -> flask.Response | None:
        """The response for a request body, or None if Dash should answer it."""
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
        handler, keys, specs = entry
        if payload.get("outputs") != specs:  # Dash rejects outputs other than the callback's
            return None
        try:
            outputs = handler(payload)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        if outputs is None:
            return None
        response: dict[str, dict[str, Any]] = {}
        for (cid, prop), value in zip(keys, outputs, strict=True):
            if value is no_update:
                continue
            if hasattr(value, "to_plotly_json"):
                value = value.to_plotly_json()
            response.setdefault(cid, {})[prop] = value
        if not response:
            return flask.Response(status=204)
        data = orjson.dumps({"multi": True, "response": response}, option=orjson.OPT_SERIALIZE_NUMPY)
        return flask.Response(data, mimetype="application/json")

    def _before_request(self) -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or request.path != self.path or not request.is_json:
            return None
        return self.answer(request.get_data(cache=True))


def check_shape(payload: dict[str, Any], inputs: int, state: int) -> None:
    """Raise ValueError unless the body has exactly this many inputs and states (Dash's check)."""
    if not (
        isinstance(payload["inputs"], list)
        and len(payload["inputs"]) == inputs
        and isinstance(payload["state"], list)
        and len(payload["state"]) == state
    ):
        raise ValueError("unexpected number of inputs or states")


def input_values(payload: dict[str, Any], position: int, names: Sequence[str], tab: str) -> list[Any]:
    """Values of a pattern-matched ALL group of parameter inputs, checked against ``names``.

    Raises ValueError when the group is not exactly the tab's parameters in the expected order,
    so the request goes to Dash, which knows how to report it.
    """
    group = payload["inputs"][position]
    if not isinstance(group, list) or len(group) != len(names):
        raise ValueError("unexpected input group")
    values = []
    for item, name in zip(group, names, strict=True):
        cid = item["id"]
        if cid != {"name": name, "tab": tab, "type": "param"} or item.get("property") != "value":
            raise ValueError("unexpected input id")
        values.append(item.get("value"))
    return values


def single_value(payload: dict[str, Any], section: str, position: int, expected_id: Any) -> Any:
    """The value of a single input or state at ``position``, checking its id."""
    item = payload[section][position]
    if not isinstance(item, dict) or item.get("id") != expected_id:
        raise ValueError("unexpected id")
    return item.get("value")
