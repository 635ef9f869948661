"""Abuse of the real callback endpoint: whatever a client posts, the server answers cleanly.

Every body is posted to ``POST /_dash-update-component`` through Flask's test client into the
app as it runs (every callback through Dash's dispatch). Bodies are
built from ``/_dash-dependencies`` and the app's known ids (``tests/support/dash.py``), then
spoilt: values at, beyond and far beyond each control's range, NaN, infinities, huge
integers, strings, nulls, booleans, lists and objects; broken envelopes; wrong ids; bodies
that are not JSON; bodies over the size cap.

What must hold for every one of them:

- the status is 2xx or 4xx, never 5xx, and no answer carries a traceback;
- a 200 answer is JSON without NaN or infinity anywhere: no such token, and every typed
  array of a figure or patch (base64 ``{"dtype", "bdata"}``) decodes to finite numbers;
- a 4xx answer from the app says what is wrong, as JSON ``{"message": ...}``;
- the next normal request gets exactly the answer it got before the abuse.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dash import Dash
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from dashboard import ids
from dashboard.app import create_app
from dashboard.i18n import t
from dashboard.security import DEFAULT_MAX_REQUEST_BYTES
from dashboard.views.common import HARD_LIMIT
from tests.support.dash import (
    OTHER_NAMES,
    UPDATE,
    Slot,
    build,
    components,
    decode,
    dom_id,
    full_layout,
    normal_value,
    page_body,
    pattern_spoils,
    pressed,
    server_dependencies,
    slots,
    status_text,
    tab_params,
    with_value,
)
from tests.support.dash import find_dependency as figure_dependency

TABS_WITH_PARAMS = ("neuron", "square2", "sin3", "deep")
COSTLY = ("fit", "best")
"""Actions that run an optimisation (up to a second): fuzzed apart, with fewer examples."""

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


# --- the app's callbacks and its normal answers -----------------------------------------------


@pytest.fixture(scope="module")
def server_callbacks(dependencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The app's callbacks the server answers (clientside ones never reach it)."""
    return server_dependencies(dependencies)


def is_costly(dep: dict[str, Any]) -> bool:
    return any(f'"what":"{what}"' in dep["inputs"][0]["id"] for what in COSTLY)


@pytest.fixture(scope="module")
def cheap(server_callbacks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return Deps(d for d in server_callbacks if not is_costly(d))


@pytest.fixture(scope="module")
def costly(server_callbacks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return Deps(d for d in server_callbacks if is_costly(d))


def post(client: FlaskClient, body: Any, content_type: str = "application/json", **kw: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()  # NaN/Infinity as JS
    return client.post(UPDATE, data=data, content_type=content_type, **kw)


@pytest.fixture(scope="module")
def probes(server_callbacks: list[dict[str, Any]]) -> list[bytes]:
    """Normal requests: a slider step on "2 neurons" (a whole figure, as after a page load)
    and a language switch."""
    param = tab_params("square2")[0]
    key = f"{dom_id(ids.param('square2', param.name))}.value"
    step = build(figure_dependency(server_callbacks, "square2"), {key: param.default + 0.1})
    (options,) = [d for d in server_callbacks if d["output"].endswith('"type":"target"}.options')][
        :1
    ]
    return [json.dumps(b).encode() for b in (step, build(options, {"lang.value": "ru"}))]


def answers(client: FlaskClient, probes: list[bytes]) -> list[tuple[int, bytes]]:
    return [(r.status_code, r.get_data()) for r in (post(client, p) for p in probes)]


class Server:
    """The app's client, the normal requests and their first answers (a short repr, as
    hypothesis prints its arguments when a test fails)."""

    def __init__(self, client: FlaskClient, probes: list[bytes]) -> None:
        self.client = client
        self.probes = probes
        self.baseline = answers(client, probes)
        assert [status for status, _ in self.baseline] == [200] * len(probes)

    def assert_unchanged(self, what: str) -> None:
        """The normal requests are answered exactly as before ``what``."""
        got = answers(self.client, self.probes)
        assert got == self.baseline, f"after {what}: a normal answer changed"

    def __repr__(self) -> str:
        return "Server()"


@pytest.fixture(scope="module")
def server(client: FlaskClient, probes: list[bytes]) -> Server:
    return Server(client, probes)


class Deps(list):
    """A list of callbacks with a short repr."""

    def __repr__(self) -> str:
        return f"<{len(self)} callbacks>"


# --- what every answer must satisfy -------------------------------------------------------


def _reject_constant(token: str) -> Any:
    raise AssertionError(f"the answer holds the JSON token {token}")


def _finite_float(text: str) -> float:
    value = float(text)
    assert math.isfinite(value), f"the answer holds the number {text}"
    return value


def typed_arrays(node: Any) -> Iterator[np.ndarray]:
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            yield decode(node)
            return
        for value in node.values():
            yield from typed_arrays(value)
    elif isinstance(node, list):
        for value in node:
            yield from typed_arrays(value)


def shows_beyond(body: Any) -> bool:
    """Whether the request asks for the plot beyond the fitted interval.

    The app then draws the output solid inside the interval and dotted outside it, as two
    traces whose y holds NaN where the other one is drawn: Plotly leaves a gap there. Only
    then may a y array hold NaN (never an infinity)."""
    if isinstance(body, list):
        return any(shows_beyond(item) for item in body)
    if not isinstance(body, dict):
        return False
    cid = body.get("id")
    if isinstance(cid, dict) and cid.get("field") == "beyond" and body.get("value"):
        return True
    if body.get("beyond"):  # a record of what was drawn
        return True
    return any(shows_beyond(v) for v in body.values())


def assert_clean(response: Any, what: str, gaps: bool = False) -> Any:
    """The invariants of every answer (see the module doc); returns the parsed JSON, if any.

    ``gaps``: NaN may mark a gap in a y array (see ``shows_beyond``)."""
    data = response.get_data()
    status = response.status_code
    assert status < 500, f"{what}: {status} {data[:300]!r}"
    assert status >= 200, f"{what}: {status}"
    assert b"Traceback" not in data, what
    if status == 204:
        return None
    if status >= 400:
        if response.mimetype == "application/json":
            message = json.loads(data)["message"]
            assert isinstance(message, str) and message, what
        return None
    assert response.mimetype == "application/json", what
    parsed = json.loads(data, parse_constant=_reject_constant, parse_float=_finite_float)
    for array in typed_arrays(parsed):
        if gaps:
            assert not np.any(np.isinf(array)), f"{what}: a typed array holds an infinity"
            assert np.any(np.isfinite(array)), f"{what}: a typed array holds nothing to draw"
        else:
            assert np.all(np.isfinite(array)), f"{what}: a typed array holds NaN or infinity"
    return parsed


# --- values ---------------------------------------------------------------------------------


ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    "",
    " ",
    "abc",
    "1.5",
    "1e400",
    "NaN",
    "-Infinity",
    "0x10",
    "<script>alert(1)</script>",
    [],
    [1.0],
    [[[]]],
    {},
    {"value": 1},
    0,
    -0.0,
    5e-324,
    1e308,
    -1e308,
    2**53 + 1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**400,
    -(10**400),
    math.nan,
    math.inf,
    -math.inf,
    HARD_LIMIT,
    -HARD_LIMIT,
    HARD_LIMIT + 0.1,
    -HARD_LIMIT * 10,
]
"""Values no control holds, or holds only at its very edge."""


def range_values(slot: Slot) -> list[Any]:
    """At, just beyond and far beyond the control's range, when it has one."""
    lo, hi = normal_value(slot.cid, "min"), normal_value(slot.cid, "max")
    if not isinstance(lo, float | int) or not isinstance(hi, float | int):
        return []
    span = hi - lo
    return [lo, hi, lo - 0.1, hi + 0.1, lo - span, hi + 10 * span, hi * 1e3, lo * 1e6]


odd = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=40),
    st.lists(st.one_of(st.none(), st.floats(), st.text(max_size=5)), max_size=4),
    st.dictionaries(st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
)


@st.composite
def spoilt(draw: st.DrawFn, deps: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """A body of one callback with one to three values replaced."""
    dep = draw(st.sampled_from(deps))
    body = build(dep)
    places = list(slots(body))
    if not places:
        return dep["output"], body
    labels = []
    for _ in range(draw(st.integers(1, 3))):
        slot = draw(st.sampled_from(places))
        choices = range_values(slot)
        value = draw(st.one_of(st.sampled_from(choices), odd) if choices else odd)
        body = with_value(body, slot, value)
        labels.append(f"{dom_id(slot.cid)}.{slot.prop}={value!r:.60}")
    return f"{dep['output'][:80]} with {'; '.join(labels)}", body


def test_every_callback_answers_a_normal_body(
    client: FlaskClient, server_callbacks: list[dict[str, Any]]
) -> None:
    """The bodies fuzzed below are accepted as they are (so the fuzz spoils working bodies)."""
    assert len(server_callbacks) >= 10
    for dep in server_callbacks:
        response = post(client, build(dep))
        assert response.status_code in (200, 204), (dep["output"], response.get_data())
        assert_clean(response, dep["output"])


@FUZZ
@given(data=st.data())
def test_odd_values_get_clean_answers(
    data: st.DataObject, server: Server, cheap: list[dict[str, Any]]
) -> None:
    what, body = data.draw(spoilt(cheap))
    assert_clean(post(server.client, body), what, shows_beyond(body))
    server.assert_unchanged(what)


@settings(FUZZ, max_examples=8)
@given(data=st.data())
def test_odd_values_to_fit_and_best_get_clean_answers(
    data: st.DataObject, server: Server, costly: list[dict[str, Any]]
) -> None:
    """Fit and best fit, pressed, with odd values in what they read (fewer examples: a fit
    may take most of a second)."""
    what, body = data.draw(spoilt(costly))
    body["inputs"][0]["value"] = 1  # pressed once
    assert_clean(post(server.client, body), what, shows_beyond(body))
    server.assert_unchanged(what)


def test_every_value_of_every_figure_callback_gets_clean_answers(
    server: Server, server_callbacks: list[dict[str, Any]]
) -> None:
    """A fixed sweep beside the random one: every value of every tab's figure callback
    replaced in turn by two of the odd values (a different two for each place) and by two of
    the values at and beyond its range."""
    count = 0
    for tab in ("gallery", *TABS_WITH_PARAMS):
        body = build(figure_dependency(server_callbacks, tab))
        for i, slot in enumerate(slots(body)):
            picks = [ODD_VALUES[(2 * i + k) % len(ODD_VALUES)] for k in range(2)]
            for value in picks + range_values(slot)[i % 4 :: 4]:
                spoilt_body = with_value(body, slot, value)
                what = f"{tab}: {dom_id(slot.cid)}.{slot.prop}={value!r:.60}"
                assert_clean(post(server.client, spoilt_body), what, shows_beyond(spoilt_body))
                count += 1
    assert count > 300
    server.assert_unchanged("the sweep")


def test_fit_with_odd_slider_ranges_answers_cleanly(
    server: Server, server_callbacks: list[dict[str, Any]]
) -> None:
    """Fit reads each slider's range (its min and max) to widen it; the ranges come from the
    browser, so they may be missing, not numbers, or upside down."""
    (dep,) = [
        d for d in server_callbacks if d["inputs"][0]["id"] == dom_id(ids.action("sin3", "fit"))
    ]
    body = build(dep)
    body["inputs"][0]["value"] = 1
    odd_ranges = [(None, None), ("abc", 1.0), (math.nan, math.inf), (5.0, -5.0), (10**400, [])]
    for position, prop in ((2, "min"), (3, "max")):
        group = body["state"][position - 1]
        assert all(item["property"] == prop for item in group)
        for item, pair in zip(group, odd_ranges, strict=False):
            item["value"] = pair[position - 2]
    parsed = assert_clean(post(server.client, body), "fit with odd ranges")
    assert parsed is not None
    response = parsed["response"]
    report = response[dom_id(ids.report("sin3", "fit"))]["children"]
    assert "RMSE" in report
    sliders = [props for cid, props in response.items() if '"type":"param"' in cid]
    assert len(sliders) == len(body["state"][0])
    for props in sliders:  # every slider gets a range of two numbers in order
        assert isinstance(props["min"], float | int) and isinstance(props["max"], float | int)
        assert -HARD_LIMIT <= props["min"] < props["max"] <= HARD_LIMIT, props
    server.assert_unchanged("fit with odd ranges")


@pytest.mark.parametrize("lang", ["ru", "../../..", ["ru"]])
def test_forged_ids_for_translations_read_no_other_file(
    server: Server, server_callbacks: list[dict[str, Any]], lang: Any
) -> None:
    """The language switch fills in every text and explanation whose id the request names:
    an id naming no text, or a path, gets nothing, and no file but an explanation is read."""
    (dep,) = [d for d in server_callbacks if d["output"].startswith('..{"at":["ALL"]')]
    body = build(dep, {"lang.value": lang})
    texts, markdowns = body["outputs"][0], body["outputs"][1]
    texts.append({"id": ids.text("no.such.key", "x"), "property": "children"})
    for tab in ("../../../README", "../../../../../etc/hostname", "nothing"):
        markdowns.append({"id": ids.markdown(tab), "property": "children"})
    parsed = assert_clean(post(server.client, body), f"translations, lang {lang!r}")
    response = parsed["response"]
    assert dom_id(ids.text("no.such.key", "x")) not in response
    assert dom_id(ids.markdown("gallery")) in response
    for tab in ("../../../README", "../../../../../etc/hostname", "nothing"):
        assert dom_id(ids.markdown(tab)) not in response
    readme = (Path(__file__).parent.parent / "README.md").read_text().splitlines()[2]
    assert readme[:60] not in json.dumps(response, ensure_ascii=False)
    server.assert_unchanged("forged translation ids")


def test_the_tab_switch_answers_odd_tabs_cleanly(
    server: Server, server_callbacks: list[dict[str, Any]]
) -> None:
    """The main tab bar's value names the tab to render: anything else renders nothing."""
    bar = dom_id(ids.tabbar(ids.MAIN))
    switches = [d for d in server_callbacks if any(i["id"] == bar for i in d["inputs"])]
    assert switches, "the tab bar's render callback is missing"
    for dep in switches:
        for value in [["gallery"], {"tab": "neuron"}, None, 5, True, "nowhere", "../gallery"]:
            body = build(dep, {bar: value})
            response = post(server.client, body)
            assert_clean(response, f"tab {value!r}")
            assert response.status_code in (204, 400), (value, response.status_code)
    server.assert_unchanged("odd tabs")


BAD_NUMBERS = {
    "NaN": math.nan,
    "infinity": math.inf,
    "a string": "abc",
    "null": None,
    "true": True,
    "a list": [1.0],
    "an object": {"v": 1},
    "10**400": 10**400,
    "beyond the hard limit": HARD_LIMIT * 2,
}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("tab", TABS_WITH_PARAMS)
def test_a_bad_parameter_leaves_the_plot_and_says_why(
    client: FlaskClient,
    server_callbacks: list[dict[str, Any]],
    tab: str,
    lang: str,
) -> None:
    """The plot is not redrawn and the tab's status line names the parameter, in the
    page's language."""
    param = tab_params(tab)[-1]
    key = f"{dom_id(ids.param(tab, param.name))}.value"
    graph = dom_id(ids.graph(tab))
    for label, value in BAD_NUMBERS.items():
        body = build(figure_dependency(server_callbacks, tab), {key: value, "lang.value": lang})
        response = assert_clean(post(client, body), f"{tab} {label}")["response"]
        assert "figure" not in response.get(graph, {}), f"{tab} {label}: the plot was redrawn"
        message = status_text(response, tab)
        assert isinstance(message, str) and param.name in message, (label, message)
        cyrillic = any("а" <= ch.lower() <= "я" for ch in message)
        assert cyrillic == (lang == "ru"), (label, message)


# --- envelopes ------------------------------------------------------------------------------

Spoil = Callable[[dict[str, Any]], Any]


def _set(key: str, value: Any) -> Spoil:
    def spoil(body: dict[str, Any]) -> Any:
        body[key] = value
        return body

    return spoil


def _drop(key: str) -> Spoil:
    def spoil(body: dict[str, Any]) -> Any:
        body.pop(key, None)
        return body

    return spoil


def _first_item(body: dict[str, Any], section: str = "inputs") -> dict[str, Any] | None:
    entries = body.get(section)
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, list) and entry:
            return entry[0]
        if isinstance(entry, dict):
            return entry
    return None


def _id_change(key: str, value: Any) -> Spoil:
    def spoil(body: dict[str, Any]) -> Any:
        item = _first_item(body)
        if item is not None and isinstance(item.get("id"), dict):
            item["id"][key] = value
        elif item is not None:
            item["id"] = value
        return body

    return spoil


def _item_change(key: str, value: Any) -> Spoil:
    def spoil(body: dict[str, Any]) -> Any:
        item = _first_item(body)
        if item is not None:
            item[key] = value
        return body

    return spoil


def _group_change(how: str) -> Spoil:
    def spoil(body: dict[str, Any]) -> Any:
        for section in ("inputs", "state", "outputs"):
            entries = body.get(section)
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, list) and entry:
                    if how == "drop":
                        entry.pop()
                    elif how == "repeat":
                        entry.append(entry[0])
                    elif how == "reverse":
                        entry.reverse()
                    elif how == "empty":
                        entry.clear()
                    return body
        return body

    return spoil


def _section_change(section: str, how: str) -> Spoil:
    def spoil(body: dict[str, Any]) -> Any:
        entries = body.get(section)
        if isinstance(entries, list) and entries:
            if how == "drop":
                entries.pop()
            elif how == "repeat":
                entries.append(entries[0])
            elif how == "unwrap":
                body[section] = entries[0]
        return body

    return spoil


SPOILS: dict[str, Spoil] = {
    "no output": _drop("output"),
    "no outputs": _drop("outputs"),
    "no inputs": _drop("inputs"),
    "no state": _drop("state"),
    "no changedPropIds": _drop("changedPropIds"),
    "unknown output": _set("output", "..nothing.children.."),
    "output not a string": _set("output", ["x"]),
    "output null": _set("output", None),
    "outputs a string": _set("outputs", "x"),
    "inputs an object": _set("inputs", {"id": "lang"}),
    "inputs null": _set("inputs", None),
    "state a string": _set("state", "x"),
    "changedPropIds a string": _set("changedPropIds", "lang.value"),
    "changedPropIds holds a list": _set("changedPropIds", [["lang.value"]]),
    "changedPropIds unknown": _set("changedPropIds", ["nothing.value"]),
    "an extra input": _section_change("inputs", "repeat"),
    "an input missing": _section_change("inputs", "drop"),
    "an extra state": _section_change("state", "repeat"),
    "an output missing": _section_change("outputs", "drop"),
    "an extra output": _section_change("outputs", "repeat"),
    "group item missing": _group_change("drop"),
    "group item twice": _group_change("repeat"),
    "group reversed": _group_change("reverse"),
    "group empty": _group_change("empty"),
    "wrong tab in an id": _id_change("tab", "nowhere"),
    "wrong type in an id": _id_change("type", "slider"),
    "wrong name in an id": _id_change("name", "zz"),
    "a number as a name": _id_change("name", 7),
    "a list in an id": _id_change("name", ["ALL"]),
    "an extra id key": _id_change("extra", 1),
    "a string id": _id_change("id", "lang"),
    "wrong property": _item_change("property", "max"),
    "property null": _item_change("property", None),
    "no id": _item_change("id", None),
    "a list body": lambda body: [body],
    "a string body": lambda body: "body",
    "a number body": lambda body: 1,
    "null body": lambda body: None,
}


@FUZZ
@given(data=st.data())
def test_broken_envelopes_get_clean_answers(
    data: st.DataObject, server: Server, cheap: list[dict[str, Any]]
) -> None:
    dep = data.draw(st.sampled_from(cheap))
    names = data.draw(st.lists(st.sampled_from(sorted(SPOILS)), min_size=1, max_size=3))
    body: Any = build(dep)
    for name in names:
        if isinstance(body, dict):
            body = SPOILS[name](body)
    what = f"{dep['output'][:80]} with {', '.join(names)}"
    assert_clean(post(server.client, body), what, shows_beyond(body))
    server.assert_unchanged(what)


@pytest.fixture(scope="module")
def rendered(client: FlaskClient) -> list[dict[str, Any]]:
    """The components of the page and of every tab as rendered (see ``page_body``)."""
    return list(components(full_layout(client)))


def test_groups_naming_other_components_never_fail_any_callback(
    app: Dash,
    server: Server,
    server_callbacks: list[dict[str, Any]],
    rendered: list[dict[str, Any]],
) -> None:
    """Every server callback of the app (read from ``app.callback_map``, so a new one is
    covered as soon as it is registered), fed with pattern-matched groups that name other
    components than the tab holds (an id renamed to "zz", 7 or "", one left out, one added;
    see ``pattern_spoils``), as it fires on its own and pressed: never a 5xx."""
    by_output = {d["output"]: d for d in server_callbacks}
    callbacks = [output for output, entry in app.callback_map.items() if "callback" in entry]
    assert set(callbacks) == set(by_output)
    spoilt = 0
    for output in callbacks:
        dep = by_output[output]
        normal = page_body(dep, rendered)
        starts = [normal, pressed(dep, normal)]
        for start in starts[: 1 + (starts[1] != normal)]:  # a callback with no button: once
            for label, body in pattern_spoils(dep, start):
                what = f"{output[:70]}: {label}"
                assert_clean(post(server.client, body), what, shows_beyond(body))
                spoilt += 1
    assert spoilt > 300
    server.assert_unchanged("groups naming other components")


@pytest.mark.parametrize("tab", ["square2", "sin3", "deep"])
def test_fit_refuses_sliders_that_are_not_the_tabs(
    server: Server, server_callbacks: list[dict[str, Any]], tab: str
) -> None:
    """Fit reads and writes every slider by name: a request whose sliders are not the tab's
    moves none of them and says that the request does not fit the page."""
    (dep,) = [d for d in server_callbacks if d["inputs"][0]["id"] == dom_id(ids.action(tab, "fit"))]
    sliders = dom_id({**ids.param(tab, ""), "name": ["ALL"]})
    checked = 0
    for label, body in pattern_spoils(dep, pressed(dep, build(dep))):
        if not label.startswith(sliders) or "first group" in label:
            continue  # a group unlike its kin is refused before it reaches the callback
        response = post(server.client, body)
        parsed = assert_clean(response, label)
        assert response.status_code == 200, (label, response.status_code)
        answer = parsed["response"]
        assert not any('"type":"param"' in cid for cid in answer), label
        report = answer[dom_id(ids.report(tab, "fit"))]["children"]
        assert report == t("en", "http.bad_callback"), (label, report)
        checked += 1
    assert checked == len(OTHER_NAMES) + 3  # renamed, left out (first, last), one more


def test_every_envelope_spoil_is_refused_or_answered(
    server: Server, server_callbacks: list[dict[str, Any]]
) -> None:
    """Each spoil on the first figure callback, one by one (the fuzz above mixes them)."""
    dep = figure_dependency(server_callbacks, "square2")
    statuses = {}
    for name, spoil in SPOILS.items():
        body = spoil(build(dep))
        response = post(server.client, body)
        assert_clean(response, name)
        statuses[name] = response.status_code
    server.assert_unchanged("every spoil")
    # Envelopes Dash cannot dispatch are refused with 400, not passed on to fail with 500.
    for name in ("no output", "no inputs", "unknown output", "an extra input", "a list body"):
        assert statuses[name] == 400, (name, statuses[name])


RAW_BODIES: dict[str, bytes] = {
    "empty": b"",
    "truncated": b'{"output": "..x',
    "not JSON": b"output=x&inputs=y",
    "a bare NaN": b"NaN",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "deep object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "invalid UTF-8": b'{"output": "\xff\xfe"}',
    "a lone surrogate": b'{"output": "\\ud800"}',
    "a huge integer": b'{"output": ' + b"9" * 5000 + b"}",
    "duplicate keys": b'{"output": 1, "output": "..x.y.."}',
    "trailing garbage": b'{"output": "x"} trailing',
    "binary": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/x+json"])
@pytest.mark.parametrize("name", sorted(RAW_BODIES))
def test_bodies_that_are_not_callback_json_get_4xx(
    client: FlaskClient, name: str, content_type: str
) -> None:
    response = post(client, RAW_BODIES[name], content_type)
    assert_clean(response, name)
    assert 400 <= response.status_code < 500, (name, response.status_code)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes_get_4xx(raw: bytes, client: FlaskClient) -> None:
    response = post(client, raw)
    assert_clean(response, repr(raw[:40]))
    assert 400 <= response.status_code < 500


PROBED_PATHS = [
    "/_dash-component-suites/dash/x.js",
    "/_dash-component-suites/plotly/x.js",
    "/_dash-component-suites/nopackage/x.js",
    "/_dash-component-suites/dash/../../../etc/passwd",
    "/_dash-component-suites/dash/dcc/dash_core_components.v9_9_9m1.js",
    "/assets/../README.md",
    "/assets/%2e%2e/pyproject.toml",
    "/.env",
    "/.git/config",
    "/wp-login.php",
    "/_reload-hash",
    "/_dash-layout?lang=" + "x" * 4000,
]


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"])
def test_probing_other_paths_never_fails_the_server(client: FlaskClient, method: str) -> None:
    """What a scanner tries: unknown files, path tricks, other methods; never a 5xx, and
    nothing outside the app's files is served."""
    for path in PROBED_PATHS:
        response = client.open(path, method=method)
        assert response.status_code < 500, (method, path, response.status_code)
        data = response.get_data()
        assert b"Traceback" not in data and b"[core]" not in data and b"[project]" not in data


# --- size -----------------------------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """A request body that records how much of it was read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b" " * n
        self.read_bytes += n
        return n


def post_stream(client: FlaskClient, stream: CountingStream, length: int | None) -> Response:
    """Post ``stream`` as the body, with a declared length or (``None``) sent chunked."""
    environ = EnvironBuilder(path=UPDATE, method="POST", content_type="application/json")
    env = environ.get_environ()
    env["wsgi.input"] = stream
    if length is not None:
        env["CONTENT_LENGTH"] = str(length)
    else:  # no length: the server reads until the stream ends
        env.pop("CONTENT_LENGTH", None)
        env["wsgi.input_terminated"] = True
    return Response.from_app(client.application, env, buffered=True)


@pytest.mark.parametrize("size", [DEFAULT_MAX_REQUEST_BYTES + 1, 50 * 1024 * 1024])
def test_a_body_over_the_cap_is_refused_unread(client: FlaskClient, size: int) -> None:
    stream = CountingStream(size)
    response = post_stream(client, stream, size)
    assert response.status_code == 413
    assert stream.read_bytes == 0, "the body was read before it was refused"
    assert_clean(response, f"{size} bytes")
    assert f"{DEFAULT_MAX_REQUEST_BYTES:,}" in json.loads(response.get_data())["message"]


def test_a_chunked_body_over_the_cap_is_cut_off(client: FlaskClient) -> None:
    size = 8 * DEFAULT_MAX_REQUEST_BYTES
    stream = CountingStream(size)
    response = post_stream(client, stream, None)
    assert response.status_code == 413
    assert stream.read_bytes <= DEFAULT_MAX_REQUEST_BYTES + 64 * 1024


def test_a_valid_body_padded_to_the_cap_is_answered(server: Server) -> None:
    """A big body is not refused for being big, only for being over the cap: a probe padded
    with white space to the cap gets the probe's answer; one byte more gets 413."""
    probe = server.probes[0]
    at_cap = probe + b" " * (DEFAULT_MAX_REQUEST_BYTES - len(probe))
    before = server.baseline
    response = post(server.client, at_cap)
    assert response.status_code == before[0][0] == 200
    assert response.get_json() == json.loads(before[0][1])
    assert post(server.client, at_cap + b" ").status_code == 413


def test_a_smaller_cap_is_honoured(
    client: FlaskClient, probes: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slider step's body one byte over the cap is refused with 413."""
    probe = probes[0]
    assert post(client, probe).status_code == 200
    monkeypatch.setitem(client.application.config, "MAX_CONTENT_LENGTH", len(probe) - 1)
    response = post(client, probe)
    assert response.status_code == 413
    assert_clean(response, "a probe one byte over a smaller cap")


def test_the_cap_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_REQUEST_BYTES", "4096")
    small = create_app()
    client = small.server.test_client()
    assert small.server.config["MAX_CONTENT_LENGTH"] == 4096
    assert post(client, b" " * 4097).status_code == 413
    assert post(client, b" " * 4096).status_code == 400  # read, and refused as not JSON
    for bad in ("lots", "-5", "100"):
        monkeypatch.setenv("MAX_REQUEST_BYTES", bad)
        with pytest.raises(ValueError, match="MAX_REQUEST_BYTES"):
            create_app()


# --- uploads --------------------------------------------------------------------------------


def upload_dependencies(server_callbacks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Callbacks fed by a dcc.Upload (their input property is ``contents``)."""
    return [d for d in server_callbacks if any(i["property"] == "contents" for i in d["inputs"])]


UPLOADS = [
    None,
    "",
    "not a data URL",
    "data:text/csv;base64,",
    "data:text/csv;base64,!!!not base64!!!",
    "data:text/csv;base64," + "QUJD" * 10,
    "data:application/octet-stream;base64," + "AAAA" * 1000,
    "data:text/csv;base64,YSxiCjEsMgo=",  # "a,b\n1,2\n"
    ["data:text/csv;base64,YSxiCjEsMgo="],
    {"contents": "x"},
    10**400,
    math.nan,
]


def test_odd_uploads_get_clean_answers(
    server: Server, server_callbacks: list[dict[str, Any]]
) -> None:
    uploads = upload_dependencies(server_callbacks)
    assert uploads, "no callback takes an upload"
    for dep in uploads:
        body = build(dep)
        for slot in slots(body):
            if slot.prop != "contents":
                continue
            for value in UPLOADS:
                what = f"{dep['output'][:60]} contents={value!r:.40}"
                assert_clean(post(server.client, with_value(body, slot, value)), what)
    server.assert_unchanged("odd uploads")
