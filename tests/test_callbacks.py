"""View functions called directly, the real Dash endpoints, and the locale files."""

from __future__ import annotations

import base64
import json
import math
import string
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from dash import Dash, no_update
from dash.exceptions import PreventUpdate
from flask.testing import FlaskClient

from dashboard import i18n
from dashboard.app import create_app
from dashboard.presets import shipped
from dashboard.sections import THREE_NEURONS, TWO_LAYERS, TWO_NEURONS, ApproxSpec
from dashboard.views import approx, gallery, neuron
from dashboard.views.common import HARD_LIMIT

Ref = Callable[[np.ndarray], np.ndarray]

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


def expected_output(spec_key: str, key: str, v: dict[str, float]) -> np.ndarray:
    """The spec's formulas for each approximation tab, written out by hand."""
    A = REF[key]
    x = X10
    if spec_key == "square2":
        return A(x * v["w1"] + v["b1"]) * v["w3"] + A(x * v["w2"] + v["b2"]) * v["w4"] + v["b3"]
    if spec_key == "sin3":
        a = [A(x * v[f"w{i}"] + v[f"b{i}"]) for i in (1, 2, 3)]
        return a[0] * v["w4"] + a[1] * v["w5"] + a[2] * v["w6"] + v["b4"]
    a1 = [A(x * v[f"w1{j}"] + v[f"b1{j}"]) for j in (1, 2, 3)]
    a2 = [
        A(sum(a1[i] * v[f"w2{3 * j + i + 1}"] for i in range(3)) + v[f"b2{j + 1}"])
        for j in range(3)
    ]
    return v["w31"] * a2[0] + v["w32"] * a2[1] + v["w33"] * a2[2] + v["b3"]


def assert_close(actual: Any, expected: np.ndarray) -> None:
    actual = np.asarray(actual, dtype=float)
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-10 * scale)


def trace(fig: go.Figure, uid: str) -> Any:
    matches = [tr for tr in fig.data if tr.uid == uid]
    assert len(matches) == 1, uid
    return matches[0]


def title(fig: go.Figure) -> str:
    return fig.layout.title.text


def axes(fig: go.Figure) -> tuple[str, str]:
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


# --- gallery ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(REF))
def test_gallery_figure(key: str) -> None:
    fig, formula = gallery.update(key, "en")
    x = np.linspace(-7.0, 5.0, 100)
    out = trace(fig, "output")
    np.testing.assert_array_equal(out.x, x)
    assert_close(out.y, REF[key](x))
    assert title(fig) == f"{NAMES_EN[key]} function"
    assert axes(fig) == ("X", "Output")
    assert out.name == NAMES_EN[key]
    assert fig.layout.showlegend is True
    assert formula.startswith("$$") and formula.endswith("$$")


def test_gallery_in_russian() -> None:
    fig, _ = gallery.update("tanh", "ru")
    assert title(fig) == "Функция TanH"
    assert axes(fig) == ("X", "Выход")
    fig, _ = gallery.update("linear", "ru-RU")
    assert title(fig) == "Функция Линейная"


@pytest.mark.parametrize("lang", [None, "de", "", 42, ["ru"], "xx-ru"])
def test_gallery_unknown_language_is_english(lang: object) -> None:
    fig, _ = gallery.update("relu", lang)
    assert title(fig) == "ReLU function"
    assert axes(fig) == ("X", "Output")


@pytest.mark.parametrize("activation", [None, "", "swish", "Sigmoid", 3, ["relu"], True])
def test_gallery_unknown_activation_changes_nothing(activation: object) -> None:
    assert gallery.update(activation, "en") == (no_update, no_update)


# --- single neuron --------------------------------------------------------------------------


def neuron_expected(key: str, w: float, b: float) -> np.ndarray:
    return REF[key](np.linspace(-5.0, 5.0, 1000) * w + b)


@pytest.mark.parametrize("key", list(REF))
@pytest.mark.parametrize(
    ("w", "b"),
    [(2.0, 1.0), (-50.0, -10.0), (50.0, 10.0), (0.0, 0.0), (-1e3, 37.5), (1e6, -1e6), (7, -3)],
)
def test_neuron_figure(key: str, w: float, b: float) -> None:
    fig, message = neuron.update(["w", "b"], [w, b], key, "en")
    assert message == ""
    out = trace(fig, "output")
    np.testing.assert_array_equal(out.x, np.linspace(-5.0, 5.0, 1000))
    assert_close(out.y, neuron_expected(key, w, b))
    assert np.all(np.isfinite(np.asarray(out.y, dtype=float)))
    assert title(fig) == f"{NAMES_EN[key]} neuron"
    assert axes(fig) == ("X", "Output")


def test_neuron_order_of_names_follows_the_inputs() -> None:
    fig, _ = neuron.update(["b", "w"], [1.0, 2.0], "relu", "en")
    assert_close(trace(fig, "output").y, neuron_expected("relu", 2.0, 1.0))


def test_neuron_accepts_a_numeric_string() -> None:
    fig, message = neuron.update(["w", "b"], [" 3.5", "-1"], "sigmoid", "en")
    assert message == ""
    assert_close(trace(fig, "output").y, neuron_expected("sigmoid", 3.5, -1.0))


def test_neuron_in_russian() -> None:
    fig, _ = neuron.update(["w", "b"], [2, 1], "elu", "ru")
    assert title(fig) == "Нейрон ELU"
    assert axes(fig) == ("X", "Выход")


NOT_NUMBERS = [None, "abc", "", math.nan, math.inf, -math.inf, "nan", "inf", True, False, [1.0],
               {"v": 1}]  # fmt: skip


@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_neuron_rejects_non_numbers(bad: object) -> None:
    fig, message = neuron.update(["w", "b"], [2.0, bad], "sigmoid", "en")
    assert fig is no_update
    assert message == "b: enter a number; the plot shows the last valid values."
    fig, message = neuron.update(["w", "b"], [bad, 1.0], "sigmoid", "ru")
    assert fig is no_update
    assert message == "w: введите число; на графике последние допустимые значения."


@pytest.mark.parametrize("bad", [1e7, -1e7, 1e6 + 1, 10**7, "2e6", 1.7e308])
def test_neuron_rejects_values_beyond_hard_limit(bad: object) -> None:
    assert HARD_LIMIT == 1e6
    fig, message = neuron.update(["w", "b"], [bad, 1.0], "sigmoid", "en")
    assert fig is no_update
    assert message.startswith("w: ")
    assert "beyond the allowed limit of ±1e+06" in message


def test_neuron_too_large_message_text() -> None:
    _, message = neuron.update(["w", "b"], [1.0, 1e7], "relu", "en")
    assert message == (
        "b: 1e+07 is beyond the allowed limit of ±1e+06; the plot shows the last valid values."
    )
    _, message = neuron.update(["w", "b"], [1.0, -1e7], "relu", "ru")
    assert message == (
        "b: -1e+07 выходит за допустимый предел ±1e+06; на графике последние допустимые значения."
    )


@pytest.mark.parametrize("activation", [None, "swish", 1, ["relu"]])
def test_neuron_unknown_activation(activation: object) -> None:
    assert neuron.update(["w", "b"], [2, 1], activation, "en") == (
        no_update,
        "Unknown activation; choose one from the list.",
    )
    fig, message = neuron.update(["w", "b"], [2, 1], activation, "ru")
    assert fig is no_update
    assert message == "Неизвестная функция активации; выберите её из списка."


def test_neuron_unknown_language_is_english() -> None:
    fig, _ = neuron.update(["w", "b"], [2, 1], "relu", "fr")
    assert title(fig) == "ReLU neuron"
    _, message = neuron.update(["w", "b"], ["x", 1], "relu", None)
    assert message.startswith("w: enter a number")


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
    fig, message = approx.update(spec, names, [v[n] for n in names], key, "en")
    assert message == ""
    out = trace(fig, "output")
    np.testing.assert_array_equal(out.x, X10)
    assert_close(out.y, expected_output(spec_key, key, v))
    target = np.sin(X10) if spec_key == "sin3" else X10**2
    assert_close(trace(fig, "target").y, target)
    assert title(fig) == TITLES_EN[spec_key].format(NAMES_EN[key])
    assert axes(fig) == ("X", "Output")


def test_approx_titles_and_axes_in_russian() -> None:
    for spec_key, spec in SPECS.items():
        fig, _ = approx.update(spec, spec.names, list(spec.defaults.values()), "relu", "ru")
        assert title(fig) == TITLES_RU[spec_key].format("ReLU")
        assert axes(fig) == ("X", "Выход")
        assert trace(fig, "output").name == "Выход сети"


def test_approx_traces_and_y_ranges() -> None:
    v = TWO_NEURONS.defaults
    fig, _ = approx.update(TWO_NEURONS, TWO_NEURONS.names, list(v.values()), "sigmoid", "en")
    s = REF["sigmoid"]
    a1, a2 = s(X10 * 0.31 - 3.59), s(-0.31 * X10 - 3.59)
    assert_close(trace(fig, "a11").y, a1)
    assert_close(trace(fig, "a12").y, a2)
    assert_close(trace(fig, "c1").y, a1 * 300.0 - 11.5)
    assert_close(trace(fig, "c2").y, a2 * 300.0 - 11.5)
    assert trace(fig, "output").line.color == "#d62728"
    assert trace(fig, "target").line.dash == "dot"
    assert trace(fig, "a11").line.dash == "dash"
    assert trace(fig, "output").name == "Network output"
    assert list(fig.layout.yaxis.range) == [-1.0, 100.0]
    assert len(fig.data) == 6

    fig, _ = approx.update(THREE_NEURONS, THREE_NEURONS.names, [1.0] * 10, "tanh", "en")
    assert list(fig.layout.yaxis.range) == [-1.0, 5.0]
    assert {tr.uid for tr in fig.data} == {"a11", "a12", "a13", "output", "target"}

    fig, _ = approx.update(TWO_LAYERS, TWO_LAYERS.names, [1.0] * 22, "elu", "en")
    assert list(fig.layout.yaxis.range) == [-1.0, 5.0]
    assert len(fig.data) == 8  # six hidden units, output, target


@pytest.mark.parametrize("spec_key", list(SPECS))
@pytest.mark.parametrize("bad", [*NOT_NUMBERS, 1e7, -1e7, "1e9"], ids=repr)
def test_approx_rejects_bad_values(spec_key: str, bad: object) -> None:
    spec = SPECS[spec_key]
    names = list(spec.names)
    values: list[object] = [p.default for p in spec.params]
    victim = names[len(names) // 2]
    values[names.index(victim)] = bad
    fig, message = approx.update(spec, names, values, "sigmoid", "en")
    assert fig is no_update
    assert message.startswith(f"{victim}: ")
    fig, message = approx.update(spec, names, values, "sigmoid", "ru")
    assert fig is no_update
    assert message.startswith(f"{victim}: ")
    assert ("введите число" in message) or ("выходит за допустимый предел" in message)


def test_approx_names_the_first_bad_value() -> None:
    names = list(TWO_NEURONS.names)
    values: list[object] = [p.default for p in TWO_NEURONS.params]
    values[1], values[4] = "abc", None
    _, message = approx.update(TWO_NEURONS, names, values, "relu", "en")
    assert message == f"{names[1]}: enter a number; the plot shows the last valid values."


def test_approx_hard_limit_is_inclusive() -> None:
    v = {**TWO_NEURONS.defaults, "b3": -HARD_LIMIT, "w3": HARD_LIMIT}
    fig, message = approx.update(TWO_NEURONS, list(v), list(v.values()), "relu", "en")
    assert message == ""
    assert_close(trace(fig, "output").y, expected_output("square2", "relu", v))


@pytest.mark.parametrize("activation", [None, "swish", 0, {"a": 1}])
def test_approx_unknown_activation(activation: object) -> None:
    spec = THREE_NEURONS
    fig, message = approx.update(spec, spec.names, [1.0] * 10, activation, "xx")
    assert fig is no_update
    assert message == "Unknown activation; choose one from the list."


def test_approx_incomplete_names_prevent_update() -> None:
    names = list(TWO_NEURONS.names)[:-1]
    with pytest.raises(PreventUpdate):
        approx.update(TWO_NEURONS, names, [1.0] * len(names), "relu", "en")


PRESET_TABLE = {
    "sigmoid": (0.30, -3.45, -0.30, -3.45, 300.0, -11.5, 300.0),
    "tanh": (0.66, -0.90, -0.66, -0.90, 5.0, 7.0, 5.0),
    "relu": (1.40, -0.90, -1.40, -0.90, 1.8, 0.0, 1.8),
    "elu": (1.30, -1.90, -1.30, -1.90, 3.0, 5.11, 3.0),
    "leaky_relu": (0.80, -0.40, -0.80, -0.40, 3.5, 0.0, 3.5),
}
PRESET_COLUMNS = ("w1", "b1", "w2", "b2", "w3", "b3", "w4")


@pytest.mark.parametrize(("row", "key"), list(enumerate(PRESET_TABLE)))
def test_apply_preset(row: int, key: str) -> None:
    presets = approx.load_presets(TWO_NEURONS)
    order = ["w4", "b1", "w1", "b3", "w2", "w3", "b2"]
    values, activation = approx.apply_preset(TWO_NEURONS, presets, row, order)
    expected = dict(zip(PRESET_COLUMNS, PRESET_TABLE[key], strict=True))
    assert activation == key
    assert values == [expected[n] for n in order]


@pytest.mark.parametrize("row", [-1, 5, None, "0", 1.0, [0]])
def test_apply_preset_bad_row(row: object) -> None:
    presets = approx.load_presets(TWO_NEURONS)
    with pytest.raises(PreventUpdate):
        approx.apply_preset(TWO_NEURONS, presets, row, list(TWO_NEURONS.names))


def test_tabs_without_preset_file_have_no_presets() -> None:
    assert approx.load_presets(THREE_NEURONS) == []
    assert approx.load_presets(TWO_LAYERS) == []
    assert len(approx.load_presets(TWO_NEURONS)) == 5


# --- the real Dash endpoints --------------------------------------------------------------------


@pytest.fixture(scope="module")
def app() -> Dash:
    return create_app()


@pytest.fixture(scope="module")
def client(app: Dash) -> FlaskClient:
    return app.server.test_client()


@pytest.fixture(scope="module")
def layout(client: FlaskClient) -> Any:
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture(scope="module")
def dependencies(client: FlaskClient) -> list[dict[str, Any]]:
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200
    return response.get_json()


def components(node: Any) -> Iterator[dict[str, Any]]:
    """The props of every component with an id in a serialised layout, in document order."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "id" in props and "type" in node:
            yield props
        for value in node.values():
            yield from components(value)
    elif isinstance(node, list):
        for value in node:
            yield from components(value)


def parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def dom_id(component_id: Any) -> str:
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def matches(pattern: Any, component_id: Any) -> bool:
    if isinstance(pattern, str) or isinstance(component_id, str):
        return pattern == component_id
    if set(pattern) != set(component_id):
        return False
    return all(v == ["ALL"] or component_id[k] == v for k, v in pattern.items())


def split_outputs(output: str) -> list[tuple[Any, str]]:
    """'..{id}.figure...{id}.children..' -> [(id, 'figure'), (id, 'children')]."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [(parse_id(p.rsplit(".", 1)[0]), p.rsplit(".", 1)[1]) for p in parts]


def find_dependency(dependencies: list[dict[str, Any]], tab: str) -> dict[str, Any]:
    graph = dom_id({"tab": tab, "type": "graph"})
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{graph}.figure...")]
    return dep


def request_body(
    dep: dict[str, Any], layout: Any, overrides: dict[str, Any], extra: dict[Any, Any]
) -> dict[str, Any]:
    """The body dash-renderer posts: every input with its current value, as in the layout.

    ``overrides`` sets parameter sliders by name; ``extra`` sets other inputs by DOM id.
    """
    props = list(components(layout))
    inputs: list[Any] = []
    changed: list[str] = []
    for spec in dep["inputs"]:
        pattern, prop = parse_id(spec["id"]), spec["property"]
        found = [p for p in props if matches(pattern, p["id"])]
        items = []
        for p in found:
            value = p.get(prop)
            if isinstance(p["id"], dict) and p["id"].get("name") in overrides:
                value = overrides[p["id"]["name"]]
                changed.append(f"{dom_id(p['id'])}.{prop}")
            if dom_id(p["id"]) in extra:
                value = extra[dom_id(p["id"])]
                changed.append(f"{dom_id(p['id'])}.{prop}")
            items.append({"id": p["id"], "property": prop, "value": value})
        is_wildcard = isinstance(pattern, dict) and ["ALL"] in pattern.values()
        if is_wildcard:
            inputs.append(items)
        else:
            assert len(items) == 1, spec["id"]
            inputs.append(items[0])
    return {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, p in split_outputs(dep["output"])],
        "inputs": inputs,
        "changedPropIds": changed,
        "state": [],
    }


def decode(data: Any) -> np.ndarray:
    """A plotly array as sent over the wire: a list or a base64 typed array."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        return array.reshape(data["shape"]) if "shape" in data else array
    return np.asarray(data, dtype=float)


def slider_props(layout: Any, tab: str) -> dict[str, dict[str, Any]]:
    return {
        p["id"]["name"]: p
        for p in components(layout)
        if isinstance(p["id"], dict) and p["id"].get("type") == "param" and p["id"]["tab"] == tab
    }


def post(client: FlaskClient, body: dict[str, Any]) -> Any:
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize("spec_key", list(SPECS))
def test_layout_sliders_match_the_sections(layout: Any, spec_key: str) -> None:
    spec = SPECS[spec_key]
    sliders = slider_props(layout, spec_key)
    assert set(sliders) == set(spec.names)
    for p in spec.params:
        s = sliders[p.name]
        assert (s["min"], s["max"], s["value"], s["step"]) == (p.lo, p.hi, p.default, 0.1)


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
    status_id = dom_id({"tab": spec_key, "type": "status"})
    figure = result["response"][graph_id]["figure"]
    assert result["response"][status_id]["children"] == ""
    (out,) = [tr for tr in figure["data"] if tr.get("uid") == "output"]
    values = {**spec.defaults, **changed}
    assert_close(decode(out["y"]), expected_output(spec_key, "elu", values))
    np.testing.assert_allclose(decode(out["x"]), X10)
    assert figure["layout"]["title"]["text"] == TITLES_EN[spec_key].format("ELU")


def test_endpoint_bad_value_keeps_figure_and_explains(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = find_dependency(dependencies, "square2")
    lang_ru = {"lang": "ru"}
    body = request_body(dep, layout, {"w3": 5e6}, lang_ru)
    result = post(client, body)
    graph_id = dom_id({"tab": "square2", "type": "graph"})
    status_id = dom_id({"tab": "square2", "type": "status"})
    assert graph_id not in result["response"]
    assert result["response"][status_id]["children"].startswith("w3: 5e+06 выходит")

    body = request_body(dep, layout, {"b2": None}, {})
    result = post(client, body)
    assert graph_id not in result["response"]
    assert result["response"][status_id]["children"].startswith("b2: enter a number")


def test_endpoint_neuron(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = find_dependency(dependencies, "neuron")
    body = request_body(dep, layout, {"w": -75.5}, {})
    result = post(client, body)
    figure = result["response"][dom_id({"tab": "neuron", "type": "graph"})]["figure"]
    (out,) = [tr for tr in figure["data"] if tr.get("uid") == "output"]
    assert_close(decode(out["y"]), neuron_expected("sigmoid", -75.5, 1.0))


def test_endpoint_apply_preset(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    param_pattern = dom_id({"name": ["ALL"], "tab": "square2", "type": "param"})
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{param_pattern}.value")]
    props = list(components(layout))
    buttons = [p for p in props if isinstance(p["id"], dict) and p["id"].get("type") == "preset"]
    assert [b["id"]["row"] for b in buttons] == [0, 1, 2, 3, 4]
    sliders = list(slider_props(layout, "square2").values())
    clicked = 3  # ELU
    body = {
        "output": dep["output"],
        "outputs": [
            [{"id": s["id"], "property": "value"} for s in sliders],
            {"id": {"tab": "square2", "type": "activation"}, "property": "value"},
        ],
        "inputs": [
            [
                {"id": b["id"], "property": "n_clicks", "value": int(b["id"]["row"] == clicked)}
                for b in buttons
            ]
        ],
        "changedPropIds": [f"{dom_id(buttons[clicked]['id'])}.n_clicks"],
        "state": [],
    }
    result = post(client, body)["response"]
    expected = dict(zip(PRESET_COLUMNS, PRESET_TABLE["elu"], strict=True))
    for s in sliders:
        assert result[dom_id(s["id"])]["value"] == expected[s["id"]["name"]]
    assert result[dom_id({"tab": "square2", "type": "activation"})]["value"] == "elu"


def test_layout_follows_accept_language(client: FlaskClient) -> None:
    ru = client.get("/_dash-layout", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    props = {dom_id(p["id"]): p for p in components(ru.get_json())}
    assert props["lang"]["value"] == "ru"
    title_id = dom_id({"type": "text", "key": "app.title", "at": "header"})
    assert props[title_id]["children"] == "Площадка функций активации"
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
    return json.loads((i18n.LOCALE_DIR / f"{lang}.json").read_text(encoding="utf-8"))


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
    needed |= {f"tab.{k}" for k in ("gallery", "neuron", "square2", "sin3", "deep")}
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
