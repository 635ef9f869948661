"""Export as code: the PyTorch and Keras snippets run, and compute what our NumPy network does.

Each snippet is executed as a student would run it; its ``model`` is evaluated on the tab's grid
and compared with ``ApproxSpec.network(...).forward`` (the neuron: A(x·w + b)). PyTorch runs in
float64 and must agree to 1e-5 (it agrees to about 2e-9: only Softplus differs, by PyTorch's
threshold). Keras 3 on its torch backend keeps float64 weights but multiplies matrices in
float32 (it maps 64-bit results to 32 bits as JAX does), so it is held to float32 precision,
relative to the size of the numbers summed.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from dashboard.export import keras_code, pytorch_code
from dashboard.model import ACTIVATIONS, Dense, Network, get_activation
from dashboard.presets import load, param_names
from dashboard.sections import NEURON_GRID, SPECS_BY_KEY
from tests.support.dash import need

# Keras's torch backend converts arrays through a NumPy 1 style __array__; harmless here.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

TABS = ("neuron", "square2", "sin3", "deep")
KEYS = tuple(ACTIVATIONS)
CUSTOM_IN_TORCH = ("gaussian", "sine", "step")


def grid(tab: str) -> np.ndarray:
    return (NEURON_GRID if tab == "neuron" else SPECS_BY_KEY[tab].grid).points()


def random_setting(tab: str, key: str, seed: int) -> tuple[dict[str, float], dict[str, float]]:
    rng = np.random.default_rng(seed)
    values = {n: float(rng.normal(0.0, 1.5)) for n in param_names(tab)}
    params = {r.name: float(rng.uniform(r.lo, r.hi)) for r in ACTIVATIONS[key].param_ranges}
    return values, params


def ours(tab: str, values: Mapping[str, float], key: str, params: Mapping[str, float]) -> Any:
    """Our output on the tab's grid, and the magnitude of what it sums (for float32 checks)."""
    x = grid(tab)
    act = get_activation(key)
    if tab == "neuron":
        z = x * values["w"] + values["b"]
        return act(z, **params), np.abs(x * values["w"]) + abs(values["b"])
    forward = SPECS_BY_KEY[tab].network(values, act, params).forward(x)
    scale = np.abs(forward.contributions).sum(axis=1) + abs(forward.output_bias)
    return forward.output, scale


def run(code: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<snippet>", "exec"), namespace)
    return namespace["model"]


# --- the snippets as text ----------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("make", [pytorch_code, keras_code], ids=["torch", "keras"])
def test_snippets_parse_and_carry_every_weight(make: Any, tab: str, key: str) -> None:
    values, params = random_setting(tab, key, 3)
    code = make(tab, values, key, params)
    tree = ast.parse(code)
    numbers = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, float)
    }
    negated = {
        -node.operand.value
        for node in ast.walk(tree)
        if isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
    }
    written = numbers | negated
    for name, value in {**values, **params}.items():
        assert value in written, name  # exactly: written with repr, read back by Python
    for name in param_names(tab):
        assert name in code  # the comments name every slider


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_snippet_comments_follow_the_language(lang: str) -> None:
    values, _ = random_setting("square2", "gaussian", 1)
    torch_code = pytorch_code("square2", values, "gaussian", lang=lang)
    keras = keras_code("square2", values, "leaky_relu", lang=lang)
    cyrillic = any("а" <= c <= "я" for c in torch_code + keras)
    assert cyrillic == (lang == "ru")
    assert "class Gaussian(nn.Module)" in torch_code
    ast.parse(torch_code)
    ast.parse(keras)


def test_framework_defaults_are_never_relied_on() -> None:
    """Our parameters are always written out, where a framework's default differs too."""
    values = {"w": 1.0, "b": 0.0}
    assert "nn.LeakyReLU(negative_slope=0.01)" in pytorch_code("neuron", values, "leaky_relu")
    assert "layers.LeakyReLU(negative_slope=0.01" in keras_code("neuron", values, "leaky_relu")
    assert "nn.ELU(alpha=1.0)" in pytorch_code("neuron", values, "elu")
    assert "layers.ELU(alpha=1.0" in keras_code("neuron", values, "elu")
    assert "nn.Softplus(beta=2.5)" in pytorch_code("neuron", values, "softplus", {"beta": 2.5})
    assert "softplus(2.5 * z) / 2.5" in keras_code("neuron", values, "softplus", {"beta": 2.5})
    assert "nn.CELU(alpha=0.5)" in pytorch_code("neuron", values, "celu", {"alpha": 0.5})
    hard = pytorch_code("neuron", values, "hard_tanh", {"min_val": -2.0, "max_val": 0.5})
    assert "nn.Hardtanh(min_val=-2.0, max_val=0.5)" in hard
    assert 'nn.GELU(approximate="tanh")' in pytorch_code("neuron", values, "gelu_tanh")
    assert "approximate=True" in keras_code("neuron", values, "gelu_tanh")
    with pytest.raises(ValueError):
        pytorch_code("neuron", values, "relu", {"alpha": 1.0})
    with pytest.raises(ValueError):
        keras_code("neuron", {"w": float("nan"), "b": 0.0}, "relu")


# --- PyTorch -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def torch() -> Any:
    return need("torch")


def torch_output(torch: Any, code: str, tab: str) -> np.ndarray:
    model = run(code)
    x = torch.tensor(grid(tab), dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        return model(x).numpy().ravel()


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("tab", TABS)
def test_pytorch_snippet_computes_our_network(torch: Any, tab: str, key: str) -> None:
    values, params = random_setting(tab, key, 11)
    expected, _ = ours(tab, values, key, params)
    got = torch_output(torch, pytorch_code(tab, values, key, params), tab)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize("tab", TABS)
def test_pytorch_snippet_of_every_shipped_preset(torch: Any, tab: str) -> None:
    for preset in load(tab):
        params = preset.activation_params()
        expected, _ = ours(tab, preset.values, preset.activation, params)
        code = pytorch_code(tab, preset.values, preset.activation, params)
        np.testing.assert_allclose(torch_output(torch, code, tab), expected, rtol=0, atol=1e-5)


def test_pytorch_snippet_of_a_network_with_an_activation_per_layer(torch: Any) -> None:
    rng = np.random.default_rng(5)
    layers = [
        Dense(rng.normal(size=(1, 4)), rng.normal(size=4)),
        Dense(rng.normal(size=(4, 3)), rng.normal(size=3)),
        Dense(rng.normal(size=(3, 1)), rng.normal(size=1)),
    ]
    acts = [get_activation("step"), get_activation("elu")]
    net = Network.mixed(layers, acts, [{}, {"alpha": 0.4}])
    code = pytorch_code(net)
    assert "nn.ELU(alpha=0.4)" in code and "Step()" in code
    x = torch.tensor(NEURON_GRID.points()).reshape(-1, 1)
    got = run(code)(x).detach().numpy().ravel()
    np.testing.assert_allclose(got, net.forward(NEURON_GRID.points()).output, rtol=0, atol=1e-5)


def test_pytorch_snippet_of_a_built_network(torch: Any) -> None:
    """A spec whose layers carry their own activations (the network builder's) needs none."""
    from dashboard.views.builder import spec_for

    spec = spec_for((3, 2), ("tanh", "gaussian"))
    rng = np.random.default_rng(9)
    values = {n: float(rng.normal()) for n in spec.names}
    code = pytorch_code(spec, values)
    assert "nn.Tanh()" in code and "Gaussian()" in code
    x = spec.grid.points()
    got = run(code)(torch.tensor(x).reshape(-1, 1)).detach().numpy().ravel()
    expected = spec.network(values, get_activation("relu")).forward(x).output
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)


# --- Keras 3 -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return need("keras")


def check_keras(keras: Any, tab: str, values: Any, key: str, params: Any) -> None:
    expected, scale = ours(tab, values, key, params)
    model = run(keras_code(tab, values, key, params))
    x = keras.ops.convert_to_tensor(grid(tab).reshape(-1, 1), dtype="float64")
    got = np.asarray(keras.ops.convert_to_numpy(model(x)), dtype=float).ravel()
    assert got.shape == expected.shape
    # float32 products: a few units of 6e-8 of each sum's magnitude per layer, up to 3 layers
    # (measured: at most 8e-7 of the output's sum of magnitudes). float64 would be ~1e-15.
    np.testing.assert_array_less(np.abs(got - expected), 2e-6 * (1.0 + scale))


@pytest.mark.parametrize("key", KEYS)
def test_keras_snippet_computes_our_network_for_every_activation(keras: Any, key: str) -> None:
    values, params = random_setting("sin3", key, 17)
    if key == "step":  # keep every unit away from its jump, where float32 may round across it
        values.update(b1=0.05, b2=0.07, b3=-0.03)
    check_keras(keras, "sin3", values, key, params)


@pytest.mark.parametrize("key", ["leaky_relu", "elu", "softplus", "hard_tanh", "gaussian"])
@pytest.mark.parametrize("tab", ["neuron", "square2", "deep"])
def test_keras_snippet_on_every_tab(keras: Any, tab: str, key: str) -> None:
    values, params = random_setting(tab, key, 23)
    check_keras(keras, tab, values, key, params)


@pytest.mark.parametrize("tab", ["neuron", "square2"])
def test_keras_snippet_of_shipped_presets(keras: Any, tab: str) -> None:
    for preset in load(tab):
        check_keras(keras, tab, preset.values, preset.activation, preset.activation_params())
