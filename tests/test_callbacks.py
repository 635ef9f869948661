"""View functions called directly, the real Dash endpoints, and the locale files.

Every number is checked against a NumPy formula written out here from the spec. Plotted y
values travel as float32, so comparisons use a float32 tolerance; x values are float64 and
compared exactly.
"""

from __future__ import annotations

import json
import math
import string
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from dash import Patch, no_update
from dash.exceptions import PreventUpdate
from flask.testing import FlaskClient

from dashboard import figures, i18n
from dashboard.presets import shipped
from dashboard.sections import THREE_NEURONS, TWO_LAYERS, TWO_NEURONS, ApproxSpec
from dashboard.tabs import TABS as REGISTRY
from dashboard.views import approx, gallery, neuron
from dashboard.views.common import HARD_LIMIT
from tests.support.dash import (
    components,
    decode,
    dom_id,
    feedback_parts,
    find_dependency,
    is_patch_json,
    request_body,
    split_outputs,
    status_text,
    through_browser,
)

Ref = Callable[[np.ndarray], np.ndarray]
Figure = dict[str, Any]

REF: dict[str, Ref] = {
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(z / 2.0)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
}
NAMES_EN = {
    "sigmoid": "Sigmoid",
    "tanh": "TanH",
    "relu": "ReLU",
    "elu": "ELU",
    "leaky_relu": "Leaky ReLU",
    "linear": "Linear",
}
SPECS = {"square2": TWO_NEURONS, "sin3": THREE_NEURONS, "deep": TWO_LAYERS}
X10 = np.linspace(-10.0, 10.0, 1000)
X5 = np.linspace(-5.0, 5.0, 1000)

# Trace order of each approximation tab, as the spec lists the traces.
UIDS = {
    "square2": ["a11", "a12", "c1", "c2", "output", "target"],
    "sin3": ["a11", "a12", "a13", "output", "target"],
    "deep": ["a11", "a12", "a13", "a21", "a22", "a23", "output", "target"],
}


def expected_traces(spec_key: str, key: str, v: dict[str, float]) -> dict[str, np.ndarray]:
    """Every trace of an approximation tab, from the spec's formulas written out by hand."""
    A = REF[key]
    x = X10
    if spec_key == "square2":
        a1, a2 = A(x * v["w1"] + v["b1"]), A(x * v["w2"] + v["b2"])
        return {
            "a11": a1,
            "a12": a2,
            "c1": a1 * v["w3"] + v["b3"],
            "c2": a2 * v["w4"] + v["b3"],
            "output": a1 * v["w3"] + a2 * v["w4"] + v["b3"],
            "target": x**2,
        }
    if spec_key == "sin3":
        a = [A(x * v[f"w{i}"] + v[f"b{i}"]) for i in (1, 2, 3)]
        out = a[0] * v["w4"] + a[1] * v["w5"] + a[2] * v["w6"] + v["b4"]
        return {"a11": a[0], "a12": a[1], "a13": a[2], "output": out, "target": np.sin(x)}
    a1 = [A(x * v[f"w1{j}"] + v[f"b1{j}"]) for j in (1, 2, 3)]
    a2 = [
        A(sum(a1[i] * v[f"w2{3 * j + i + 1}"] for i in range(3)) + v[f"b2{j + 1}"])
        for j in range(3)
    ]
    out = v["w31"] * a2[0] + v["w32"] * a2[1] + v["w33"] * a2[2] + v["b3"]
    hidden = {f"a1{j + 1}": a1[j] for j in range(3)} | {f"a2{j + 1}": a2[j] for j in range(3)}
    return hidden | {"output": out, "target": x**2}


def expected_output(spec_key: str, key: str, v: dict[str, float]) -> np.ndarray:
    return expected_traces(spec_key, key, v)["output"]


def assert_close(actual: Any, expected: np.ndarray, what: str = "") -> None:
    """Equal within float32 rounding: plotted y values are sent as float32."""
    actual = np.asarray(actual, dtype=float)
    assert actual.shape == expected.shape, what
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def trace(fig: Figure, uid: str) -> dict[str, Any]:
    matches = [tr for tr in fig["data"] if tr.get("uid") == uid]
    assert len(matches) == 1, uid
    return matches[0]


def ys(fig: Figure, uid: str) -> np.ndarray:
    return decode(trace(fig, uid)["y"])


def xs(fig: Figure, uid: str) -> np.ndarray:
    return decode(trace(fig, uid)["x"])


def title(fig: Figure) -> str:
    return fig["layout"]["title"]["text"]


def axes(fig: Figure) -> tuple[str, str]:
    return fig["layout"]["xaxis"]["title"]["text"], fig["layout"]["yaxis"]["title"]["text"]


def assert_wire_format(fig: Figure, n: int) -> None:
    """A plain dict; every trace's x a float64 and y a float32 typed array of ``n`` values."""
    assert type(fig) is dict and set(fig) == {"data", "layout"}
    json.dumps(fig)  # plain JSON, no plotly objects or NumPy arrays inside
    for tr in fig["data"]:
        assert set(tr["x"]) == {"dtype", "bdata"} and tr["x"]["dtype"] == "f8", tr["uid"]
        assert set(tr["y"]) == {"dtype", "bdata"} and tr["y"]["dtype"] == "f4", tr["uid"]
        assert decode(tr["x"]).shape == decode(tr["y"]).shape == (n,), tr["uid"]


def patch_ops(patch: Any) -> list[dict[str, Any]]:
    assert isinstance(patch, Patch), type(patch)
    patch_json = patch.to_plotly_json()
    assert is_patch_json(patch_json)
    return patch_json["operations"]


def patched_traces(patch: Any) -> dict[int, np.ndarray]:
    """Trace index -> new y of a Patch; fails on anything but assignments of a trace's y."""
    result: dict[int, np.ndarray] = {}
    for op in patch_ops(patch):
        assert op["operation"] == "Assign", op
        data, index, prop = op["location"]
        assert (data, prop) == ("data", "y") and isinstance(index, int), op
        assert index not in result, f"trace {index} assigned twice"
        value = op["params"]["value"]
        assert value["dtype"] == "f4", op
        result[index] = decode(value)
    return result


@pytest.mark.parametrize("dtype", ["f4", "f8"])
def test_encode_matches_the_standard_library(dtype: str) -> None:
    # figures.encode uses pybase64; the reference is the standard library's base64 of the same
    # little-endian bytes, for a contiguous array, a column of a 2-D array (strided) and a list.
    import base64

    rng = np.random.default_rng(7)
    block = rng.normal(size=(257, 3)) * 10.0 ** rng.integers(-30, 30, size=(257, 3))
    for values in (block[:, 0].copy(), block[:, 1], list(block[:, 2])):
        want = base64.b64encode(np.asarray(values, dtype=f"<{dtype}").tobytes()).decode("ascii")
        assert figures.encode(np.asarray(values), dtype) == {"dtype": dtype, "bdata": want}
        assert np.array_equal(
            decode(figures.encode(np.asarray(values), dtype)), np.asarray(values, dtype=f"<{dtype}")
        )


def test_assigned_is_the_patch_that_indexing_builds() -> None:
    # figures.assigned writes a Patch's operations directly; Dash's own indexing is the reference.
    items = [(("data", 0, "y"), {"dtype": "f4", "bdata": "AAAA"}), (("layout", "title"), "t")]
    by_hand = Patch()
    by_hand["data"][0]["y"] = items[0][1]
    by_hand["layout"]["title"] = "t"
    made = figures.assigned(items)
    assert isinstance(made, Patch)
    assert made.to_plotly_json() == by_hand.to_plotly_json()
    assert json.dumps(made.to_plotly_json()) == json.dumps(by_hand.to_plotly_json())


# --- gallery ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(REF))
def test_gallery_figure(key: str) -> None:
    fig, formula, message = gallery.update(key, "en")
    assert message == ""
    x = np.linspace(-7.0, 5.0, 100)
    assert_wire_format(fig, 100)
    np.testing.assert_array_equal(xs(fig, "output"), x)
    assert_close(ys(fig, "output"), REF[key](x))
    assert title(fig) == f"{NAMES_EN[key]} function"
    assert axes(fig) == ("z", "Output"), "the gallery draws A(z): its axis is the sum z, not x"
    assert trace(fig, "output")["name"] == NAMES_EN[key]
    assert fig["layout"]["showlegend"] is True
    assert formula.startswith("$$") and formula.endswith("$$")


def test_gallery_in_russian() -> None:
    fig, _, _ = gallery.update("tanh", "ru")
    assert title(fig) == "Функция TanH"
    assert axes(fig) == ("z", "Выход")
    fig, _, _ = gallery.update("linear", "ru-RU")
    assert title(fig) == "Функция Линейная"


@pytest.mark.parametrize("lang", [None, "de", "", 42, ["ru"], "xx-ru"])
def test_gallery_unknown_language_is_english(lang: object) -> None:
    fig, _, _ = gallery.update("relu", lang)
    assert title(fig) == "ReLU function"
    assert axes(fig) == ("z", "Output")


@pytest.mark.parametrize("activation", [None, "", "swish", "Sigmoid", 3, ["relu"], True])
def test_gallery_unknown_activation_changes_nothing(activation: object) -> None:
    assert gallery.update(activation, "en") == (
        no_update,
        no_update,
        "Unknown activation; choose one from the list.",
    )


# --- single neuron --------------------------------------------------------------------------


def neuron_expected(key: str, w: float, b: float) -> np.ndarray:
    return REF[key](X5 * w + b)


# The activations' own parameters at their documented defaults (PyTorch's).
ACT_DEFAULTS: dict[str, dict[str, float]] = {"elu": {"alpha": 1.0}, "leaky_relu": {"slope": 0.01}}


def neuron_record(
    key: str, lang: str, w: float, b: float, overlays: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The ``drawn`` record of a neuron figure: what it was drawn from."""
    values = {"w": w, "b": b}
    params = ACT_DEFAULTS.get(key, {})
    return {"activation": key, "lang": lang, "values": values, "params": params,
            "overlays": list(overlays)}  # fmt: skip


@pytest.mark.parametrize("key", list(REF))
@pytest.mark.parametrize(
    ("w", "b"),
    [(2.0, 1.0), (-50.0, -10.0), (50.0, 10.0), (0.0, 0.0), (-1e3, 37.5), (1e6, -1e6), (7, -3)],
)
def test_neuron_figure(key: str, w: float, b: float) -> None:
    fig, message, drawn = neuron.update(["w", "b"], [w, b], key, "en")
    assert message == ""
    assert drawn == neuron_record(key, "en", w, b)
    assert_wire_format(fig, 1000)
    np.testing.assert_array_equal(xs(fig, "output"), X5)
    y = ys(fig, "output")
    assert_close(y, neuron_expected(key, w, b))
    assert np.all(np.isfinite(y))
    assert title(fig) == f"{NAMES_EN[key]} neuron"
    assert axes(fig) == ("X", "Output")


def test_neuron_order_of_names_follows_the_inputs() -> None:
    fig, _, drawn = neuron.update(["b", "w"], [1.0, 2.0], "relu", "en")
    assert_close(ys(fig, "output"), neuron_expected("relu", 2.0, 1.0))
    assert drawn["values"] == {"w": 2.0, "b": 1.0}


def test_neuron_accepts_a_numeric_string() -> None:
    fig, message, drawn = neuron.update(["w", "b"], [" 3.5", "-1"], "sigmoid", "en")
    assert message == ""
    assert_close(ys(fig, "output"), neuron_expected("sigmoid", 3.5, -1.0))
    assert drawn["values"] == {"w": 3.5, "b": -1.0}


def test_neuron_in_russian() -> None:
    fig, _, drawn = neuron.update(["w", "b"], [2, 1], "elu", "ru")
    assert title(fig) == "Нейрон ELU"
    assert axes(fig) == ("X", "Выход")
    assert drawn["lang"] == "ru"


NOT_NUMBERS = [None, "abc", "", math.nan, math.inf, -math.inf, "nan", "inf", True, False, [1.0],
               {"v": 1}]  # fmt: skip


@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_neuron_rejects_non_numbers(bad: object) -> None:
    drawn = {"activation": "sigmoid", "lang": "en", "values": {"w": 2.0, "b": 1.0}}
    assert neuron.update(["w", "b"], [2.0, bad], "sigmoid", "en", drawn) == (
        no_update,
        "b: enter a number; the plot shows the last valid values.",
        no_update,
    )
    assert neuron.update(["w", "b"], [bad, 1.0], "sigmoid", "ru") == (
        no_update,
        "w: введите число; на графике последние допустимые значения.",
        no_update,
    )


@pytest.mark.parametrize("bad", [1e7, -1e7, 1e6 + 1, 10**7, "2e6", 1.7e308, 2e7, 10**400])
def test_neuron_rejects_values_beyond_hard_limit(bad: object) -> None:
    assert HARD_LIMIT == 1e6
    fig, message, drawn = neuron.update(["w", "b"], [bad, 1.0], "sigmoid", "en")
    assert fig is no_update and drawn is no_update
    assert message.startswith("w: ")
    assert "beyond the allowed limit of ±1,000,000" in message


def test_neuron_too_large_message_text() -> None:
    _, message, _ = neuron.update(["w", "b"], [1.0, 1e7], "relu", "en")
    assert message == (
        "b: 10,000,000 is beyond the allowed limit of ±1,000,000; the plot shows the last valid "
        "values."
    )
    _, message, _ = neuron.update(["w", "b"], [1.0, -1e7], "relu", "ru")
    assert message == (
        "b: −10\u202f000\u202f000 выходит за допустимый предел ±1\u202f000\u202f000; на графике "
        "последние допустимые значения."
    )


@pytest.mark.parametrize("activation", [None, "swish", 1, ["relu"]])
def test_neuron_unknown_activation(activation: object) -> None:
    assert neuron.update(["w", "b"], [2, 1], activation, "en") == (
        no_update,
        "Unknown activation; choose one from the list.",
        no_update,
    )
    fig, message, drawn = neuron.update(["w", "b"], [2, 1], activation, "ru")
    assert fig is no_update and drawn is no_update
    assert message == "Неизвестная функция активации; выберите её из списка."


def test_neuron_unknown_language_is_english() -> None:
    fig, _, drawn = neuron.update(["w", "b"], [2, 1], "relu", "fr")
    assert title(fig) == "ReLU neuron"
    assert drawn["lang"] == "en"
    _, message, _ = neuron.update(["w", "b"], ["x", 1], "relu", None)
    assert message.startswith("w: enter a number")


# --- single neuron: patches against what was drawn -----------------------------------------------


@pytest.mark.parametrize("key", ["sigmoid", "relu", "elu"])
def test_neuron_parameter_move_sends_a_patch_of_its_y(key: str) -> None:
    _, _, drawn = neuron.update(["w", "b"], [2.0, 1.0], key, "en")
    for w, b in [(2.1, 1.0), (2.0, -3.0), (60.0, 0.5)]:
        patch, message, record = neuron.update(["w", "b"], [w, b], key, "en", drawn)
        assert message == ""
        assert patched_traces(patch).keys() == {0}
        assert_close(patched_traces(patch)[0], neuron_expected(key, w, b), f"{key} w={w} b={b}")
        assert record == neuron_record(key, "en", w, b)


def test_neuron_no_change_sends_nothing() -> None:
    _, _, drawn = neuron.update(["w", "b"], [2.0, 1.0], "tanh", "en")
    assert neuron.update(["b", "w"], [1, 2], "tanh", "en", drawn) == (no_update, "", no_update)
    # The record as the browser sends it back: 2.0 comes back from JavaScript as 2.
    js = {"activation": "tanh", "lang": "en", "values": {"w": 2, "b": 1}}
    assert neuron.update(["w", "b"], [2.0, 1.0], "tanh", "en", js) == (no_update, "", no_update)


@pytest.mark.parametrize(
    ("activation", "lang", "drawn"),
    [
        ("relu", "en", {"activation": "sigmoid", "lang": "en", "values": {"w": 2.0, "b": 1.0}}),
        ("sigmoid", "ru", {"activation": "sigmoid", "lang": "en", "values": {"w": 2.0, "b": 1.0}}),
        ("sigmoid", "en", None),
        ("sigmoid", "en", "garbage"),
    ],
)
def test_neuron_activation_or_language_change_sends_the_whole_figure(
    activation: str, lang: str, drawn: object
) -> None:
    fig, message, record = neuron.update(["w", "b"], [2.0, 1.0], activation, lang, drawn)
    assert isinstance(fig, dict) and message == ""
    assert_wire_format(fig, 1000)
    assert_close(ys(fig, "output"), neuron_expected(activation, 2.0, 1.0))
    assert record == neuron_record(activation, lang, 2.0, 1.0)


# --- approximation tabs -------------------------------------------------------------------------


def slider_values(spec: ApproxSpec, where: str, seed: int = 0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    if where == "defaults":
        return dict(spec.defaults)
    if where == "lo":
        return {p.name: p.lo for p in spec.params}
    if where == "hi":
        return {p.name: p.hi for p in spec.params}
    if where == "random":
        return {p.name: float(rng.uniform(p.lo, p.hi)) for p in spec.params}
    # Beyond the sliders: typed values up to the hard limit.
    return {p.name: float(rng.choice([-1.0, 1.0]) * rng.uniform(50.0, 1e3)) for p in spec.params}


TITLES_EN = {
    "square2": "1 hidden layer, with 2 {} neurons",
    "sin3": "1 hidden layer, with 3 {} neurons",
    "deep": "Model with 2 hidden layers, each with 3 {} neurons",
}
TITLES_RU = {
    "square2": "1 скрытый слой, 2 нейрона {}",
    "sin3": "1 скрытый слой, 3 нейрона {}",
    "deep": "Модель с 2 скрытыми слоями по 3 нейрона {}",
}


@pytest.mark.parametrize("spec_key", list(SPECS))
@pytest.mark.parametrize("key", ["sigmoid", "tanh", "relu", "elu", "leaky_relu"])
@pytest.mark.parametrize("where", ["defaults", "lo", "hi", "random", "beyond"])
def test_approx_output(spec_key: str, key: str, where: str) -> None:
    spec = SPECS[spec_key]
    v = slider_values(spec, where, seed=len(key))
    names = list(reversed(spec.names))  # the callback gets names in any order
    fig, message, drawn = approx.update(spec, names, [v[n] for n in names], key, "en")
    assert message == ""
    assert drawn == {"activation": key, "lang": "en", "values": v}
    assert_wire_format(fig, 1000)
    assert [tr["uid"] for tr in fig["data"]] == UIDS[spec_key]
    for uid, expected in expected_traces(spec_key, key, v).items():
        np.testing.assert_array_equal(xs(fig, uid), X10)
        assert_close(ys(fig, uid), expected, f"{spec_key} {key} {where} {uid}")
    assert title(fig) == TITLES_EN[spec_key].format(NAMES_EN[key])
    assert axes(fig) == ("X", "Output")


def test_approx_titles_and_axes_in_russian() -> None:
    for spec_key, spec in SPECS.items():
        fig, _, drawn = approx.update(spec, spec.names, list(spec.defaults.values()), "relu", "ru")
        assert title(fig) == TITLES_RU[spec_key].format("ReLU")
        assert axes(fig) == ("X", "Выход")
        assert trace(fig, "output")["name"] == "Выход сети"
        assert drawn["lang"] == "ru"


def test_approx_traces_and_y_ranges() -> None:
    v = TWO_NEURONS.defaults
    fig, _, _ = approx.update(TWO_NEURONS, TWO_NEURONS.names, list(v.values()), "sigmoid", "en")
    s = REF["sigmoid"]
    a1, a2 = s(X10 * 0.31 - 3.59), s(-0.31 * X10 - 3.59)
    assert_close(ys(fig, "a11"), a1)
    assert_close(ys(fig, "a12"), a2)
    assert_close(ys(fig, "c1"), a1 * 300.0 - 11.5)
    assert_close(ys(fig, "c2"), a2 * 300.0 - 11.5)
    assert trace(fig, "output")["line"]["color"] == "#d62728"
    assert trace(fig, "target")["line"]["dash"] == "dot"
    assert trace(fig, "a11")["line"]["dash"] == "dash"
    assert trace(fig, "output")["name"] == "Network output"
    assert fig["layout"]["yaxis"]["range"] == [-1.0, 100.0]
    assert fig["layout"]["yaxis"]["autorange"] is False
    assert len(fig["data"]) == 6

    fig, _, _ = approx.update(THREE_NEURONS, THREE_NEURONS.names, [1.0] * 10, "tanh", "en")
    assert fig["layout"]["yaxis"]["range"] == [-1.0, 5.0]
    assert {tr["uid"] for tr in fig["data"]} == {"a11", "a12", "a13", "output", "target"}

    fig, _, _ = approx.update(TWO_LAYERS, TWO_LAYERS.names, [1.0] * 22, "elu", "en")
    assert fig["layout"]["yaxis"]["range"] == [-1.0, 5.0]
    assert len(fig["data"]) == 8  # six hidden units, output, target


@pytest.mark.parametrize("spec_key", list(SPECS))
@pytest.mark.parametrize("bad", [*NOT_NUMBERS, 1e7, -1e7, 2e7, "1e9"], ids=repr)
def test_approx_rejects_bad_values(spec_key: str, bad: object) -> None:
    spec = SPECS[spec_key]
    names = list(spec.names)
    values: list[object] = [p.default for p in spec.params]
    drawn = {"activation": "sigmoid", "lang": "en", "values": spec.defaults}
    victim = names[len(names) // 2]
    values[names.index(victim)] = bad
    fig, message, record = approx.update(spec, names, values, "sigmoid", "en", drawn)
    assert fig is no_update and record is no_update
    assert message.startswith(f"{victim}: ")
    fig, message, record = approx.update(spec, names, values, "sigmoid", "ru")
    assert fig is no_update and record is no_update
    assert message.startswith(f"{victim}: ")
    assert ("введите число" in message) or ("выходит за допустимый предел" in message)


def test_approx_names_the_first_bad_value() -> None:
    names = list(TWO_NEURONS.names)
    values: list[object] = [p.default for p in TWO_NEURONS.params]
    values[1], values[4] = "abc", None
    _, message, _ = approx.update(TWO_NEURONS, names, values, "relu", "en")
    assert message == f"{names[1]}: enter a number; the plot shows the last valid values."


def test_approx_hard_limit_is_inclusive() -> None:
    v = {**TWO_NEURONS.defaults, "b3": -HARD_LIMIT, "w3": HARD_LIMIT}
    fig, message, _ = approx.update(TWO_NEURONS, list(v), list(v.values()), "relu", "en")
    assert message == ""
    assert_close(ys(fig, "output"), expected_output("square2", "relu", v))


@pytest.mark.parametrize("activation", [None, "swish", 0, {"a": 1}])
def test_approx_unknown_activation(activation: object) -> None:
    spec = THREE_NEURONS
    assert approx.update(spec, spec.names, [1.0] * 10, activation, "xx") == (
        no_update,
        "Unknown activation; choose one from the list.",
        no_update,
    )


def test_approx_incomplete_names_prevent_update() -> None:
    names = list(TWO_NEURONS.names)[:-1]
    with pytest.raises(PreventUpdate):
        approx.update(TWO_NEURONS, names, [1.0] * len(names), "relu", "en")


# --- approximation tabs: patches against what was drawn ------------------------------------------

# Trace indices each parameter moves, written out by hand from the network diagrams:
# square2: 0 A1, 1 A2, 2 neuron-1 output (A1·w3 + b3), 3 neuron-2 output, 4 output, 5 x².
# sin3:    0 A1, 1 A2, 2 A3, 3 output, 4 sin x.
# deep:    0-2 A11-A13, 3-5 A21-A23, 6 output, 7 x².
MOVES: dict[str, dict[str, set[int]]] = {
    "square2": {
        "w1": {0, 2, 4},
        "b1": {0, 2, 4},
        "w2": {1, 3, 4},
        "b2": {1, 3, 4},
        "w3": {2, 4},
        "w4": {3, 4},
        "b3": {2, 3, 4},
    },
    "sin3": {
        "w1": {0, 3},
        "b1": {0, 3},
        "w2": {1, 3},
        "b2": {1, 3},
        "w3": {2, 3},
        "b3": {2, 3},
        "w4": {3},
        "w5": {3},
        "w6": {3},
        "b4": {3},
    },
    "deep": {
        **{f"{p}1{j}": {j - 1, 3, 4, 5, 6} for p in "wb" for j in (1, 2, 3)},
        **{f"w2{k}": {3 + (k - 1) // 3, 6} for k in range(1, 10)},
        **{f"b2{j}": {2 + j, 6} for j in (1, 2, 3)},
        **{n: {6} for n in ("w31", "w32", "w33", "b3")},
    },
}


def test_moves_table_covers_every_parameter() -> None:
    for spec_key, spec in SPECS.items():
        assert set(MOVES[spec_key]) == set(spec.names), spec_key
    # A layer-1 weight of the 2x3 tab moves its unit, all three layer-2 units and the output.
    assert MOVES["deep"]["w12"] == {1, 3, 4, 5, 6}
    assert MOVES["deep"]["w25"] == {4, 6}  # A22 reads w24..w26


def nudge(spec: ApproxSpec, name: str, v: dict[str, float]) -> float:
    """A new value for ``name``, far enough from the old one to change every trace it moves."""
    return v[name] + (0.7 if v[name] < spec.param(name).hi - 1 else -0.7)


@pytest.mark.parametrize("key", ["sigmoid", "elu", "leaky_relu"])
@pytest.mark.parametrize("spec_key", list(SPECS))
def test_approx_one_parameter_patches_exactly_the_traces_it_moves(spec_key: str, key: str) -> None:
    spec = SPECS[spec_key]
    base = dict(spec.defaults)
    names = list(spec.names)
    _, _, drawn = approx.update(spec, names, [base[n] for n in names], key, "en")
    for name in names:
        v = {**base, name: nudge(spec, name, base)}
        patch, message, record = approx.update(spec, names, [v[n] for n in names], key, "en", drawn)
        assert message == ""
        assert record == {"activation": key, "lang": "en", "values": v}
        new = patched_traces(patch)
        assert set(new) == MOVES[spec_key][name], f"{spec_key}: {name}"
        expected = expected_traces(spec_key, key, v)
        for i, y in new.items():
            assert_close(y, expected[UIDS[spec_key][i]], f"{spec_key} {key} {name} trace {i}")


def test_approx_patch_covers_every_parameter_changed_since_the_drawn_record() -> None:
    """After a dropped response the record is older, and the patch covers both moves."""
    spec = TWO_NEURONS
    names = list(spec.names)
    v0 = dict(spec.defaults)
    _, _, drawn = approx.update(spec, names, [v0[n] for n in names], "tanh", "en")
    v2 = {**v0, "w1": 1.0, "w4": 20.0}  # w1 then w4 moved; the w1 response was dropped
    patch, _, record = approx.update(spec, names, [v2[n] for n in names], "tanh", "en", drawn)
    new = patched_traces(patch)
    assert set(new) == {0, 2, 3, 4}
    expected = expected_traces("square2", "tanh", v2)
    for i, y in new.items():
        assert_close(y, expected[UIDS["square2"][i]], f"trace {i}")
    assert record["values"] == v2


@pytest.mark.parametrize("spec_key", list(SPECS))
def test_approx_no_change_sends_nothing(spec_key: str) -> None:
    spec = SPECS[spec_key]
    names = list(spec.names)
    values = [spec.defaults[n] for n in names]
    _, _, drawn = approx.update(spec, names, values, "relu", "ru")
    assert approx.update(spec, names[::-1], values[::-1], "relu", "ru", drawn) == (
        no_update,
        "",
        no_update,
    )
    # The record as the browser returns it: integral floats come back from JavaScript as ints.
    js = through_browser(drawn)
    assert approx.update(spec, names, values, "relu", "ru", js) == (no_update, "", no_update)


def full_figure_cases() -> list[tuple[str, str, Any]]:
    v = dict(TWO_NEURONS.defaults)
    record = {"activation": "sigmoid", "lang": "en", "values": v}
    short = dict(v)
    del short["b3"]
    return [
        ("relu", "en", record),  # activation changed
        ("sigmoid", "ru", record),  # language changed
        ("sigmoid", "en", None),  # first draw
        ("sigmoid", "en", "garbage"),
        ("sigmoid", "en", {"activation": "sigmoid", "lang": "en"}),
        ("sigmoid", "en", {**record, "values": short}),
        ("sigmoid", "en", {**record, "values": [1, 2]}),
    ]


@pytest.mark.parametrize(("activation", "lang", "drawn"), full_figure_cases())
def test_approx_whole_figure_unless_only_parameters_changed(
    activation: str, lang: str, drawn: object
) -> None:
    spec = TWO_NEURONS
    v = {**spec.defaults, "w1": 0.5}
    names = list(spec.names)
    fig, message, record = approx.update(
        spec, names, [v[n] for n in names], activation, lang, drawn
    )
    assert isinstance(fig, dict) and message == ""
    assert_wire_format(fig, 1000)
    for uid, expected in expected_traces("square2", activation, v).items():
        assert_close(ys(fig, uid), expected, uid)
    assert record == {"activation": activation, "lang": lang, "values": v}
    want = TITLES_EN if lang == "en" else TITLES_RU
    assert title(fig) == want["square2"].format(NAMES_EN[activation])


PRESET_TABLE = {
    "sigmoid": (0.30, -3.45, -0.30, -3.45, 300.0, -11.5, 300.0),
    "tanh": (0.66, -0.90, -0.66, -0.90, 5.0, 7.0, 5.0),
    "relu": (1.40, -0.90, -1.40, -0.90, 1.8, 0.0, 1.8),
    "elu": (1.30, -1.90, -1.30, -1.90, 3.0, 5.11, 3.0),
    "leaky_relu": (0.80, -0.40, -0.80, -0.40, 3.5, 0.0, 3.5),
}
PRESET_COLUMNS = ("w1", "b1", "w2", "b2", "w3", "b3", "w4")


@pytest.mark.parametrize(("row", "key"), list(enumerate(PRESET_TABLE)))
def test_shipped_square2_presets(row: int, key: str) -> None:
    preset = approx.load_presets(TWO_NEURONS)[row]
    assert preset.activation == key
    assert preset.values == dict(zip(PRESET_COLUMNS, PRESET_TABLE[key], strict=True))


def test_every_approximation_tab_ships_its_presets() -> None:
    assert THREE_NEURONS.preset_file == "sin3.csv"
    assert TWO_LAYERS.preset_file == "deep.csv"
    for spec in (TWO_NEURONS, THREE_NEURONS, TWO_LAYERS):
        assert [p.activation for p in approx.load_presets(spec)] == [
            "sigmoid",
            "tanh",
            "relu",
            "elu",
            "leaky_relu",
        ]


# --- the real Dash endpoints --------------------------------------------------------------------


def props_of(layout: Any, tab: str, kind: str) -> dict[str, dict[str, Any]]:
    """Props of a tab's parameter controls of one kind ("slider" or "param"), by name."""
    return {
        p["id"]["name"]: p
        for p in components(layout)
        if isinstance(p["id"], dict) and p["id"].get("type") == kind and p["id"]["tab"] == tab
    }


def post(client: FlaskClient, body: dict[str, Any]) -> Any:
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize("spec_key", ["neuron", *SPECS])
def test_layout_sliders_and_boxes_match_the_sections(layout: Any, spec_key: str) -> None:
    from dashboard.sections import NEURON_PARAMS

    params = NEURON_PARAMS if spec_key == "neuron" else SPECS[spec_key].params
    sliders, boxes = props_of(layout, spec_key, "param"), props_of(layout, spec_key, "box")
    assert set(sliders) == set(boxes) == {p.name for p in params}
    for p in params:
        s, box = sliders[p.name], boxes[p.name]
        assert (s["min"], s["max"], s["value"], s["step"]) == (p.lo, p.hi, p.default, 0.1)
        assert s["allow_direct_input"] is False, "the slider's own number box is off"
        assert box["value"] == p.default
        assert box["type"] == "number" and box["debounce"] is True


@pytest.mark.parametrize("spec_key", list(SPECS))
@pytest.mark.parametrize("beyond", [False, True])
def test_endpoint_approximation(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]], spec_key: str,
    beyond: bool,
) -> None:  # fmt: skip
    spec = SPECS[spec_key]
    dep = find_dependency(dependencies, spec_key)
    first, middle = spec.names[0], spec.names[len(spec.names) // 2]
    # Two different values, so a wrongly wired weight matrix cannot hide behind equal defaults.
    changed = {first: 1234.5 if beyond else spec.param(first).hi, middle: spec.param(middle).lo}
    activation_id = dom_id({"tab": spec_key, "type": "activation"})
    body = request_body(dep, layout, changed, {activation_id: "elu"})
    assert isinstance(body["inputs"][0], list) and len(body["inputs"][0]) == len(spec.names)

    result = post(client, body)
    graph_id = dom_id({"tab": spec_key, "type": "graph"})
    drawn_id = dom_id({"tab": spec_key, "type": "drawn"})
    figure = result["response"][graph_id]["figure"]
    assert status_text(result["response"], spec_key) == ""
    values = {**spec.defaults, **changed}
    assert result["response"][drawn_id]["data"] == {
        "activation": "elu",
        "lang": "en",
        "values": values,
    }
    for uid, expected in expected_traces(spec_key, "elu", values).items():
        assert_close(ys(figure, uid), expected, uid)
        np.testing.assert_array_equal(xs(figure, uid), X10)
    assert figure["layout"]["title"]["text"] == TITLES_EN[spec_key].format("ELU")

    # The browser then sends the record back; the next move gets a patch of what it moves.
    record = result["response"][drawn_id]["data"]
    name = spec.names[-1]
    moved = {**changed, name: spec.param(name).lo + 0.3}
    body = request_body(dep, layout, moved, {activation_id: "elu"}, {drawn_id: record})
    result = post(client, body)["response"]
    patch = result[graph_id]["figure"]
    assert is_patch_json(patch)
    indices = {op["location"][1] for op in patch["operations"]}
    assert indices == MOVES[spec_key][name]
    expected = expected_traces(spec_key, "elu", {**values, name: moved[name]})
    for op in patch["operations"]:
        i = op["location"][1]
        assert_close(decode(op["params"]["value"]), expected[UIDS[spec_key][i]], f"trace {i}")
    assert result[drawn_id]["data"]["values"][name] == moved[name]


def test_endpoint_bad_value_keeps_figure_and_explains(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = find_dependency(dependencies, "square2")
    feedback_id = dom_id({"tab": "square2", "type": "feedback"})
    drawn_id = dom_id({"tab": "square2", "type": "drawn"})
    record = {"activation": "sigmoid", "lang": "en", "values": dict(TWO_NEURONS.defaults)}
    body = request_body(dep, layout, {"w3": 5e6}, {"lang": "ru"}, {drawn_id: record})
    result = post(client, body)
    # Only the message: the score, goal and hints keep what they show.
    assert set(result["response"]) == {feedback_id}
    assert list(feedback_parts(result["response"], "square2")) == ["status"]
    assert status_text(result["response"], "square2").startswith("w3: 5\u202f000\u202f000 выходит")

    body = request_body(dep, layout, {"b2": None}, {})
    result = post(client, body)
    assert set(result["response"]) == {feedback_id}
    assert status_text(result["response"], "square2").startswith("b2: enter a number")


def test_endpoint_neuron(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = find_dependency(dependencies, "neuron")
    graph_id = dom_id({"tab": "neuron", "type": "graph"})
    drawn_id = dom_id({"tab": "neuron", "type": "drawn"})
    body = request_body(dep, layout, {"w": -75.5})
    result = post(client, body)["response"]
    figure = result[graph_id]["figure"]
    assert_close(ys(figure, "output"), neuron_expected("sigmoid", -75.5, 1.0))
    record = result[drawn_id]["data"]
    # The tab opens with the step point and the flat regions marked (tests/test_single.py).
    assert record == neuron_record("sigmoid", "en", -75.5, 1.0, ("marks",))

    body = request_body(dep, layout, {"w": -75.5, "b": 3.0}, {}, {drawn_id: record})
    result = post(client, body)["response"]
    op, shapes = result[graph_id]["figure"]["operations"]
    assert (op["operation"], op["location"]) == ("Assign", ["data", 0, "y"])
    assert_close(decode(op["params"]["value"]), neuron_expected("sigmoid", -75.5, 3.0))
    assert (shapes["operation"], shapes["location"]) == ("Assign", ["layout", "shapes"])

    # Nothing changed since the record: the status is cleared and nothing else is sent.
    record = result[drawn_id]["data"]
    body = request_body(dep, layout, {"w": -75.5, "b": 3.0}, {}, {drawn_id: record})
    assert post(client, body)["response"] == {
        dom_id({"tab": "neuron", "type": "status"}): {"children": ""}
    }


def test_endpoint_apply_preset_writes_the_number_boxes(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    param_pattern = dom_id({"name": ["ALL"], "tab": "square2", "type": "param"})
    (dep,) = [
        d
        for d in dependencies
        if d["output"].startswith(f"..{param_pattern}.value")
        and any('"pick"' in str(i["id"]) for i in d["inputs"])
    ]
    props = list(components(layout))
    holder = {"name": "presets", "tab": "square2", "type": "part"}
    (table,) = [p for p in props if p["id"] == holder]
    rows = json.loads(table["data-table"])["rows"]  # drawn by assets/presets.js
    assert [r["row"] for r in rows] == [0, 1, 2, 3, 4]
    boxes = list(props_of(layout, "square2", "param").values())
    act_sliders = [
        p
        for p in props
        if isinstance(p["id"], dict)
        and p["id"].get("type") == "act_param"
        and p["id"]["tab"] == "square2"
    ]
    clicked = 3  # ELU
    pick = {"tab": "square2", "type": "pick"}
    (store,) = [
        p for p in props if p["id"] == {"name": "presets", "tab": "square2", "type": "store"}
    ]
    props_out = [prop for _, prop in split_outputs(dep["output"])]  # min@<hash>, ...
    body = {
        "output": dep["output"],
        "outputs": [
            *([{"id": s["id"], "property": prop} for s in boxes] for prop in props_out[:4]),
            {"id": {"tab": "square2", "type": "activation"}, "property": props_out[4]},
            [{"id": s["id"], "property": props_out[5]} for s in act_sliders],
        ],
        "inputs": [{"id": pick, "property": "data", "value": {"row": clicked, "n": 1}}],
        "changedPropIds": [f"{dom_id(pick)}.data"],
        "state": [
            {"id": store["id"], "property": "data", "value": store["data"]},
            *(
                [{"id": s["id"], "property": prop, "value": s[prop]} for s in boxes]
                for prop in ("min", "max")
            ),
        ],
    }
    result = post(client, body)["response"]
    expected = dict(zip(PRESET_COLUMNS, PRESET_TABLE["elu"], strict=True))
    alpha = dom_id({"act": "elu", "name": "alpha", "tab": "square2", "type": "act_param"})
    assert set(result) == {dom_id(s["id"]) for s in boxes} | {
        dom_id({"tab": "square2", "type": "activation"}),
        alpha,  # the preset was tuned with ELU's default α; no other control is touched
    }
    assert result[alpha]["value"] == 1.0
    for s in boxes:
        assert s["id"]["type"] == "param"
        assert result[dom_id(s["id"])]["value"] == expected[s["id"]["name"]]
    assert result[dom_id({"tab": "square2", "type": "activation"})]["value"] == "elu"


def test_layout_follows_accept_language(client: FlaskClient) -> None:
    ru = client.get("/_dash-layout", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    props = {dom_id(p["id"]): p for p in components(ru.get_json())}
    assert props["lang"]["value"] == "ru"
    title_id = dom_id({"type": "text", "key": "app.title", "at": "header"})
    assert props[title_id]["children"] == "Функции активации: интерактивный практикум"
    de = client.get("/_dash-layout", headers={"Accept-Language": "de-DE,fr;q=0.5"})
    props = {dom_id(p["id"]): p for p in components(de.get_json())}
    assert props["lang"]["value"] == "en"
    assert props[title_id]["children"] == "Activation Playground"


def test_health(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# --- locales ------------------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def load_strings(lang: str) -> dict[str, str]:
    """Every file of one language, read here independently of i18n.strings."""
    merged: dict[str, str] = {}
    paths = [i18n.LOCALE_DIR / f"{lang}.json", *i18n.LOCALE_DIR.glob(f"{lang}.*.json")]
    for path in paths:
        part = json.loads(path.read_text(encoding="utf-8"))
        assert not set(part) & set(merged), f"{path.name} repeats keys"
        merged.update(part)
    return merged


def test_languages() -> None:
    assert i18n.LANGUAGES == ("en", "ru")


def test_locale_keys_and_placeholders_match() -> None:
    en, ru = load_strings("en"), load_strings("ru")
    assert set(en) == set(ru)
    for key in en:
        assert placeholders(en[key]) == placeholders(ru[key]), key
        assert en[key].strip() and ru[key].strip(), key


def test_locale_covers_every_key_the_code_needs() -> None:
    from dashboard.model import ACTIVATIONS

    en = load_strings("en")
    needed = {f"act.{k}" for k in ACTIVATIONS}
    needed |= {s.title_key for s in SPECS.values()}
    needed |= {f"trace.target.{s.target}" for s in SPECS.values()}
    needed |= {g for s in SPECS.values() for g, _ in s.groups}
    needed |= {tab.title for tab in REGISTRY}
    assert needed <= set(en)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("tab", ["gallery", "neuron", "square2", "sin3", "deep"])
def test_explanation_files_exist(lang: str, tab: str) -> None:
    path = i18n.LOCALE_DIR / lang / f"{tab}.md"
    assert path.is_file()
    assert path.read_text(encoding="utf-8").strip()


def test_explanation_files_are_the_same_set() -> None:
    en = {p.name for p in (i18n.LOCALE_DIR / "en").glob("*.md")}
    ru = {p.name for p in (i18n.LOCALE_DIR / "ru").glob("*.md")}
    assert en == ru


def test_shipped_presets_are_readable_here() -> None:
    assert len(shipped("square2.csv", TWO_NEURONS.names)) == 5
