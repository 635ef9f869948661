"""Hints beside the sliders: what one slider step does to the RMSE, and hiding them."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from dash.development.base_component import Component

from dashboard import ids
from dashboard.sections import SPECS_BY_KEY
from dashboard.tabs import BY_KEY
from dashboard.views import approx, builder
from dashboard.views.shell import apply_options


def _walk(node: Any) -> list[Component]:
    out = []
    if isinstance(node, Component):
        out.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            out.extend(_walk(child))
    return out


def _explanations(body: Any) -> list[Component]:
    return [
        c
        for c in _walk(body)
        if isinstance(getattr(c, "id", None), dict)
        and c.id.get("type") == ids.TEXT
        and c.id.get("key") == "label.gradient_hint"
    ]


def _hidden(component: Component) -> bool:
    return (getattr(component, "style", None) or {}).get("display") == "none"


def test_hide_hints_hides_their_explanation_too() -> None:
    spec = SPECS_BY_KEY["square2"]
    for tab, build in (
        ("square2", lambda: approx.layout(spec, approx.load_presets(spec), "en")),
        ("builder", lambda: builder.layout("en")),
    ):
        shown = _explanations(apply_options(build(), BY_KEY[tab], {"hide": ["fit"]}, "en"))
        assert len(shown) == 1 and not _hidden(shown[0]), tab
        hidden = _explanations(apply_options(build(), BY_KEY[tab], {"hide": ["hints"]}, "en"))
        assert len(hidden) == 1 and _hidden(hidden[0]), tab


# --- the RMSE one step away, against a network written out here in NumPy ---------------------

ACTS = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "elu": lambda z: np.where(z >= 0, z, np.expm1(np.minimum(z, 0.0))),
}


def _numpy_rmse(mats: list[tuple[np.ndarray, np.ndarray]], act, x, target) -> float:
    a = x[:, None]
    for w, b in mats[:-1]:
        a = act(a @ w + b)
    w, b = mats[-1]
    return float(np.sqrt(np.mean((a @ w[:, 0] + b[0] - target) ** 2)))


@pytest.mark.parametrize("key", list(ACTS))
@pytest.mark.parametrize("widths", [(2,), (3,), (3, 3), (2, 3, 2), (1,)])
def test_step_rmse_is_the_network_evaluated_one_step_away(widths, key) -> None:
    from dashboard.model import get_activation
    from dashboard.model.network import Dense, Network
    from dashboard.model.steps import step_rmse

    rng = np.random.default_rng([len(widths), sum(widths), len(key)])
    sizes = [1, *widths, 1]
    mats = [(rng.normal(size=(i, o)), rng.normal(size=o)) for i, o in itertools.pairwise(sizes)]
    net = Network(tuple(Dense(w, b) for w, b in mats), get_activation(key))
    x = np.linspace(-3.0, 3.0, 300)
    target = np.sin(x)
    s, lower, upper, fwd = step_rmse(net, x, target, 0.1)
    np.testing.assert_array_equal(fwd.output, net.forward(x).output)
    assert s.rmse == pytest.approx(_numpy_rmse(mats, ACTS[key], x, target), rel=1e-12)
    k = 0  # parameter order: per layer, the weights row by row, then the biases
    for li, (w, b) in enumerate(mats):
        for part in (w, b):
            for index in np.ndindex(part.shape):
                for sign, got in ((-1, lower[k]), (1, upper[k])):
                    moved = [(ww.copy(), bb.copy()) for ww, bb in mats]
                    (moved[li][0] if part is w else moved[li][1])[index] += sign * 0.1
                    want = _numpy_rmse(moved, ACTS[key], x, target)
                    assert got == pytest.approx(want, rel=1e-11, abs=1e-12), (li, index, sign)
                k += 1
    assert k == lower.size == upper.size
