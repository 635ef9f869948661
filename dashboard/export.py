"""A tab's network as code for PyTorch or Keras, with its current weights.

:func:`pytorch_code` and :func:`keras_code` return a self-contained Python snippet that builds
the same network (dense layers, each hidden one followed by its activation) and copies every
weight and bias into it, in double precision like the dashboard, so the student's hand-built
net runs in a real framework and gives the same numbers.

Where the frameworks name or default a parameter differently, the snippet passes our value
explicitly (Leaky ReLU's slope is ``negative_slope`` in both, but Keras's layer defaults to
0.3 where PyTorch and we use 0.01; ELU's and CELU's ``alpha``; Softplus's ``beta``, which
Keras lacks; Hard tanh's ``min_val`` and ``max_val``). An activation a framework has no layer
for becomes a small module (PyTorch) or a lambda (Keras). Comments are in English or Russian.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.i18n import normalise, strings, t
from dashboard.model import ACTIVATIONS, Network
from dashboard.model.activations import get_activation
from dashboard.sections import NEURON_GRID, SPECS_BY_KEY, ApproxSpec

Source = ApproxSpec | Network | str
"""What to export: a tab's spec (with its values), a tab key (``neuron`` too), or a Network."""


@dataclass(frozen=True)
class _Layer:
    weights: np.ndarray  # (n_in, n_out), as dashboard.model.Dense
    bias: np.ndarray  # (n_out,)
    weight_names: tuple[tuple[str, ...], ...] | None  # same shape as weights, when named
    bias_names: tuple[str, ...] | None
    activation: tuple[str, dict[str, float]] | None  # key and every parameter; None: linear


@dataclass(frozen=True)
class _Plan:
    tab: str | None
    layers: tuple[_Layer, ...]
    grid: tuple[float, float] = (NEURON_GRID.lo, NEURON_GRID.hi)


def _full_params(key: str, params: Mapping[str, float] | None) -> dict[str, float]:
    act = ACTIVATIONS[key]
    given = dict(params or {})
    unknown = sorted(set(given) - set(act.params))
    if unknown:
        raise ValueError(f"{key} has no parameter(s) {', '.join(unknown)}")
    return {n: float(v) for n, v in {**act.params, **given}.items()}


def _plan(
    source: Source,
    values: Mapping[str, float] | None,
    activation: str | None,
    params: Mapping[str, float] | None,
) -> _Plan:
    if isinstance(source, str) and source == "neuron":
        if values is None or activation is None:
            raise ValueError("the neuron needs values (w, b) and an activation")
        w, b = float(values["w"]), float(values["b"])
        act = (get_activation(activation).key, _full_params(activation, params))
        layer = _Layer(np.array([[w]]), np.array([b]), (("w",),), ("b",), act)
        return _Plan("neuron", (layer,))
    if isinstance(source, str):
        source = SPECS_BY_KEY[source]
    grid = (NEURON_GRID.lo, NEURON_GRID.hi)
    if isinstance(source, ApproxSpec):
        per_layer = bool(getattr(source, "layer_activations", ()))  # then activation is unused
        if values is None or (activation is None and not per_layer):
            raise ValueError(f"the {source.key} tab needs values and an activation")
        chosen = get_activation(activation or "linear")
        net = source.network(values, chosen, params)
        names = source.layers
        tab: str | None = source.key
        grid = (source.grid.lo, source.grid.hi)
    elif isinstance(source, Network):
        net, names, tab = source, None, None
    else:
        raise TypeError(f"cannot export {type(source).__name__}")
    hidden = []
    for act, own in net.hidden_activations:
        merged = {**act.params, **own}  # an Activation may carry its own parameter values
        known = ACTIVATIONS[act.key].params
        hidden.append(
            (act.key, _full_params(act.key, {n: merged[n] for n in merged if n in known}))
        )
    layers = []
    for k, layer in enumerate(net.layers):
        w_names, b_names = names[k] if names is not None else (None, None)
        act = hidden[k] if k < len(hidden) else None
        layers.append(_Layer(layer.weights, layer.bias, w_names, b_names, act))
    return _Plan(tab, tuple(layers), grid)


def _number(value: float) -> str:
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"cannot export a weight that is not finite: {value!r}")
    return repr(value)


def _matrix(rows: Sequence[Sequence[float]]) -> str:
    return "[" + ", ".join("[" + ", ".join(_number(v) for v in row) + "]" for row in rows) + "]"


def _vector(values: Sequence[float]) -> str:
    return "[" + ", ".join(_number(v) for v in values) + "]"


def _names(names: Sequence[str] | Sequence[Sequence[str]] | None) -> str:
    """A trailing comment naming the parameters, laid out as the numbers before it are."""
    if not names:
        return ""
    if isinstance(names[0], str):
        return f"  # {', '.join(names)}"
    return "  # [" + ", ".join("[" + ", ".join(row) + "]" for row in names) + "]"


def _header(plan: _Plan, lang: str, framework: str) -> list[str]:
    if plan.tab is not None and f"tab.{plan.tab}" in strings(lang):
        title = t(lang, f"tab.{plan.tab}")
        first = t(lang, "export.header_tab", framework=framework, tab=title)
    else:
        first = t(lang, "export.header", framework=framework)
    return [f"# {first}"]


def _layer_comment(plan: _Plan, k: int, lang: str) -> str:
    if plan.tab == "neuron":
        return t(lang, "export.neuron")
    if k == len(plan.layers) - 1:
        return t(lang, "export.output")
    return t(lang, "export.hidden", n=k + 1)


# --- PyTorch -------------------------------------------------------------------------------------

_TORCH: Mapping[str, str] = {
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "elu": "nn.ELU(alpha={alpha})",
    "leaky_relu": "nn.LeakyReLU(negative_slope={slope})",
    "linear": "nn.Identity()",
    "gelu": 'nn.GELU(approximate="none")',
    "gelu_tanh": 'nn.GELU(approximate="tanh")',
    "silu": "nn.SiLU()",
    "mish": "nn.Mish()",
    "softplus": "nn.Softplus(beta={beta})",
    "softsign": "nn.Softsign()",
    "selu": "nn.SELU()",
    "celu": "nn.CELU(alpha={alpha})",
    "hard_sigmoid": "nn.Hardsigmoid()",
    "hard_tanh": "nn.Hardtanh(min_val={min_val}, max_val={max_val})",
    "relu6": "nn.ReLU6()",
    "hard_swish": "nn.Hardswish()",
    "gaussian": "Gaussian()",
    "sine": "Sine()",
    "step": "Step()",
}
"""Each activation as a PyTorch module; ``{name}`` takes our parameter's value."""

_TORCH_CUSTOM: Mapping[str, tuple[str, str]] = {
    "gaussian": ("Gaussian", "torch.exp(-z * z)"),
    "sine": ("Sine", "torch.sin(z)"),
    "step": ("Step", "(z > 0).to(z.dtype)"),
}
"""Activations PyTorch has no module for: class name and forward expression."""


def _activation_code(table: Mapping[str, str], key: str, params: Mapping[str, float]) -> str:
    return table[key].format(**{n: _number(v) for n, v in params.items()})


def pytorch_code(
    source: Source,
    values: Mapping[str, float] | None = None,
    activation: str | None = None,
    params: Mapping[str, float] | None = None,
    *,
    lang: str = "en",
) -> str:
    """A PyTorch snippet building the network with its current weights as ``model``.

    ``source`` is a tab key (``neuron``, ``square2``, ``sin3``, ``deep``) or an ApproxSpec,
    with the tab's parameter ``values``, the ``activation`` key and its own ``params``
    (defaults where missing); or a :class:`~dashboard.model.Network`, which carries all three
    (one activation per hidden layer). The snippet ends by running ``model`` on a grid.
    """
    lang = normalise(lang)
    plan = _plan(source, values, activation, params)
    keys = [layer.activation[0] for layer in plan.layers if layer.activation]
    lines = _header(plan, lang, "PyTorch")
    lines += ["import torch", "from torch import nn", ""]
    lines += [f"DTYPE = torch.float64  # {t(lang, 'export.dtype')}", ""]
    for key in dict.fromkeys(k for k in keys if k in _TORCH_CUSTOM):
        name, expression = _TORCH_CUSTOM[key]
        lines += [
            "",
            f"class {name}(nn.Module):",
            f'    """{t(lang, "export.custom_torch", name=t(lang, f"act.{key}"))}"""',
            "",
            "    def forward(self, z: torch.Tensor) -> torch.Tensor:",
            f"        return {expression}",
            "",
            "",
        ]
    if "softplus" in keys:
        lines.append(f"# {t(lang, 'export.softplus_torch')}")
    lines.append("model = nn.Sequential(")
    modules = []  # index in nn.Sequential of each Linear
    index = 0
    for k, layer in enumerate(plan.layers):
        n_in, n_out = layer.weights.shape
        comment = _layer_comment(plan, k, lang)
        lines.append(f"    nn.Linear({n_in}, {n_out}, dtype=DTYPE),  # {comment}")
        modules.append(index)
        index += 1
        if layer.activation:
            key, own = layer.activation
            lines.append(f"    {_activation_code(_TORCH, key, own)},")
            index += 1
    lines += [")", "", "with torch.no_grad():", f"    # {t(lang, 'export.layout_torch')}"]
    for layer, i in zip(plan.layers, modules, strict=True):
        w = layer.weights.T  # (n_out, n_in)
        w_names = None
        if layer.weight_names is not None:
            w_names = [list(row) for row in zip(*layer.weight_names, strict=True)]
        lines.append(
            f"    model[{i}].weight.copy_(torch.tensor({_matrix(w)}, dtype=DTYPE))"
            + _names(w_names)
        )
        lines.append(
            f"    model[{i}].bias.copy_(torch.tensor({_vector(layer.bias)}, dtype=DTYPE))"
            + _names(layer.bias_names)
        )
    lo, hi = _grid(plan)
    lines += [
        "",
        f"x = torch.linspace({lo}, {hi}, 1000, dtype=DTYPE).reshape(-1, 1)",
        f"y = model(x).detach()  # {t(lang, 'export.result')}",
    ]
    return "\n".join(lines) + "\n"


def _grid(plan: _Plan) -> tuple[str, str]:
    """The x range the tab plots (the neuron's for a bare network)."""
    return _number(plan.grid[0]), _number(plan.grid[1])


# --- Keras ---------------------------------------------------------------------------------------

_KERAS: Mapping[str, str] = {
    "sigmoid": 'layers.Activation("sigmoid", dtype=DTYPE)',
    "tanh": 'layers.Activation("tanh", dtype=DTYPE)',
    "relu": 'layers.Activation("relu", dtype=DTYPE)',
    "elu": "layers.ELU(alpha={alpha}, dtype=DTYPE)",
    "leaky_relu": "layers.LeakyReLU(negative_slope={slope}, dtype=DTYPE)",
    "linear": 'layers.Activation("linear", dtype=DTYPE)',
    "gelu": 'layers.Activation("gelu", dtype=DTYPE)',
    "gelu_tanh": (
        "layers.Activation(lambda z: keras.activations.gelu(z, approximate=True), dtype=DTYPE)"
    ),
    "silu": 'layers.Activation("silu", dtype=DTYPE)',
    "mish": 'layers.Activation("mish", dtype=DTYPE)',
    "softplus": (
        "layers.Activation(lambda z: keras.activations.softplus({beta} * z) / {beta}, dtype=DTYPE)"
    ),
    "softsign": 'layers.Activation("softsign", dtype=DTYPE)',
    "selu": 'layers.Activation("selu", dtype=DTYPE)',
    "celu": "layers.Activation(lambda z: keras.activations.celu(z, alpha={alpha}), dtype=DTYPE)",
    "hard_sigmoid": 'layers.Activation("hard_sigmoid", dtype=DTYPE)',
    "hard_tanh": (
        "layers.Activation(lambda z: keras.ops.clip(z, {min_val}, {max_val}), dtype=DTYPE)"
    ),
    "relu6": 'layers.Activation("relu6", dtype=DTYPE)',
    "hard_swish": 'layers.Activation("hard_swish", dtype=DTYPE)',
    "gaussian": "layers.Activation(lambda z: keras.ops.exp(-keras.ops.square(z)), dtype=DTYPE)",
    "sine": "layers.Activation(lambda z: keras.ops.sin(z), dtype=DTYPE)",
    "step": "layers.Activation(lambda z: keras.ops.cast(z > 0, z.dtype), dtype=DTYPE)",
}
"""Each activation as a Keras 3 layer; ``{name}`` takes our parameter's value."""

_KERAS_LAMBDA = frozenset(k for k, code in _KERAS.items() if "lambda" in code)


def keras_code(
    source: Source,
    values: Mapping[str, float] | None = None,
    activation: str | None = None,
    params: Mapping[str, float] | None = None,
    *,
    lang: str = "en",
) -> str:
    """A Keras 3 snippet building the same network with its current weights as ``model``.

    Arguments as :func:`pytorch_code`. Any Keras 3 backend runs it.
    """
    lang = normalise(lang)
    plan = _plan(source, values, activation, params)
    keys = [layer.activation[0] for layer in plan.layers if layer.activation]
    lines = _header(plan, lang, "Keras 3")
    lines += ["import keras", "import numpy as np", "from keras import layers", ""]
    lines += [f'DTYPE = "float64"  # {t(lang, "export.dtype")}', ""]
    if "leaky_relu" in keys:
        lines.append(f"# {t(lang, 'export.leaky_keras')}")
    if any(k in _KERAS_LAMBDA for k in keys):
        lines.append(f"# {t(lang, 'export.lambda_keras')}")
    lines += ["model = keras.Sequential(", "    [", "        keras.Input(shape=(1,), dtype=DTYPE),"]
    for k, layer in enumerate(plan.layers):
        n_out = layer.weights.shape[1]
        comment = _layer_comment(plan, k, lang)
        lines.append(
            f'        layers.Dense({n_out}, dtype=DTYPE, name="dense{k + 1}"),  # {comment}'
        )
        if layer.activation:
            key, own = layer.activation
            lines.append(f"        {_activation_code(_KERAS, key, own)},")
    lines += ["    ]", ")", f"# {t(lang, 'export.layout_keras')}"]
    for k, layer in enumerate(plan.layers):
        w_names = layer.weight_names
        lines += [
            f'model.get_layer("dense{k + 1}").set_weights(',
            "    [",
            f"        np.array({_matrix(layer.weights)}),{_names(w_names)}",
            f"        np.array({_vector(layer.bias)}),{_names(layer.bias_names)}",
            "    ]",
            ")",
        ]
    lo, hi = _grid(plan)
    lines += [
        "",
        f"x = np.linspace({lo}, {hi}, 1000).reshape(-1, 1)",
        f"y = model.predict(x, verbose=0)  # {t(lang, 'export.result')}",
    ]
    return "\n".join(lines) + "\n"
