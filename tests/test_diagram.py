"""The network diagram against the weights: one edge per weight at the right nodes, its colour
the weight's sign, its width growing with |w| and clipped; nodes with their (layer, unit) and
bias colour; hover texts naming parameters; the Patch turning one figure into the next."""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.figures_diagram import (
    EDGE_FULL,
    EDGE_MAX_WIDTH,
    EDGE_MIN_WIDTH,
    EDGE_TRACE,
    NEGATIVE,
    NODE_TRACE,
    POSITIVE,
    ZERO,
    diagram_figure,
    diagram_patch,
    edge_width,
)
from dashboard.model.train import Architecture, init_state

BLUE, ORANGE = "#0877bd", "#f59322"  # TensorFlow Playground's two colours


def net_of(widths, keys, theta):
    return Architecture(tuple(widths), tuple(keys)).network(theta)


def expected_edges(widths, theta):
    """(x0, y0, x1, y1, w) for every weight, written here: columns 0 … L + 1, units centred
    around 0 and listed top to bottom, one unit apart; weights row-major per layer."""
    sizes = [1, *widths, 1]
    ys = [[(n - 1) / 2 - u for u in range(n)] for n in sizes]
    out, k = [], 0
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        for i in range(n_in):
            for j in range(n_out):
                out.append((layer - 1, ys[layer - 1][i], layer, ys[layer][j], theta[k]))
                k += 1
        k += n_out  # biases
    assert k == theta.size
    return out


def test_colours_are_the_playgrounds() -> None:
    assert (POSITIVE, NEGATIVE) == (BLUE, ORANGE)


@settings(max_examples=40, deadline=None)
@given(
    widths=st.lists(st.integers(1, 8), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_edges_match_the_weights(widths, seed) -> None:
    rng = np.random.default_rng(seed)
    keys = ["tanh"] * len(widths)
    n = Architecture(tuple(widths), tuple(keys)).n_parameters
    theta = rng.normal(0.0, 3.0, n) * (rng.random(n) > 0.1)  # some exact zeros
    fig = diagram_figure(net_of(widths, keys, theta), "en")
    shapes = fig["layout"]["shapes"]
    edges = expected_edges(widths, theta)
    assert len(shapes) == len(edges) == sum(a * b for a, b in itertools.pairwise([1, *widths, 1]))
    for shape, (x0, y0, x1, y1, w) in zip(shapes, edges, strict=True):
        assert shape["type"] == "line"
        assert (shape["x0"], shape["y0"], shape["x1"], shape["y1"]) == (x0, y0, x1, y1)
        colour = BLUE if w > 0 else ORANGE if w < 0 else ZERO
        assert shape["line"]["color"] == colour
    # Width: a function of |w| alone, never decreasing in it, within its bounds.
    pairs = sorted((abs(w), s["line"]["width"]) for s, (*_, w) in zip(shapes, edges, strict=True))
    for (a, wa), (b, wb) in itertools.pairwise(pairs):
        assert wa <= wb
        if a < b < EDGE_FULL:
            assert wa < wb
    assert all(EDGE_MIN_WIDTH <= w <= EDGE_MAX_WIDTH for _, w in pairs)
    # The hover point of each edge sits at its middle and names its weight.
    mid = fig["data"][EDGE_TRACE]
    assert len(mid["x"]) == len(edges)
    for k, (x0, y0, x1, y1, _w) in enumerate(edges):
        assert (mid["x"][k], mid["y"][k]) == ((x0 + x1) / 2, (y0 + y1) / 2)
        assert mid["customdata"][k][0] == x1


def test_edge_width_values() -> None:
    assert edge_width(0.0) == EDGE_MIN_WIDTH
    assert edge_width(-EDGE_FULL) == EDGE_MAX_WIDTH == edge_width(1e6) == edge_width(-1e300)
    assert edge_width(0.5) == edge_width(-0.5)
    # log scale: |w| = e - 1 is ln(e) / ln(11) of the way up.
    share = 1.0 / math.log(11.0)
    assert edge_width(math.e - 1) == pytest.approx(
        EDGE_MIN_WIDTH + (EDGE_MAX_WIDTH - EDGE_MIN_WIDTH) * share
    )


def test_nodes_carry_layer_and_unit_and_bias_colour() -> None:
    widths = (3, 2)
    arch = Architecture(widths, ("relu", "sigmoid"))
    theta = np.zeros(arch.n_parameters)
    # biases: layer 1 (+1, -2, 0), layer 2 (-0.5, +0.5), output +3; order from parameter_names
    theta[3:6] = [1.0, -2.0, 0.0]
    theta[12:14] = [-0.5, 0.5]
    theta[16] = 3.0
    fig = diagram_figure(arch.network(theta), "en", selected=(1, 2))
    nodes = fig["data"][NODE_TRACE]
    assert nodes["customdata"] == [[0, 1], [1, 1], [1, 2], [1, 3], [2, 1], [2, 2], [3, 1]]
    assert nodes["x"] == [0, 1, 1, 1, 2, 2, 3]
    assert nodes["y"] == [0.0, 1.0, 0.0, -1.0, 0.5, -0.5, 0.0]
    colours = nodes["marker"]["color"]
    assert colours[1:] == [BLUE, ORANGE, ZERO, ORANGE, BLUE, BLUE]
    assert colours[0] not in (BLUE, ORANGE)
    widths_out = nodes["marker"]["line"]["width"]
    assert widths_out[2] > 1 and all(w == 1 for k, w in enumerate(widths_out) if k != 2)
    hover = nodes["hovertext"]
    assert hover[2] == "Layer 1, unit 2 (ReLU)<br>bias b1_2 = −2"
    assert hover[5] == "Layer 2, unit 2 (Sigmoid)<br>bias b2_2 = 0.5"
    assert hover[6] == "Output (linear)<br>bias b3_1 = 3"


def test_hover_names_the_weight_and_value_in_both_languages() -> None:
    arch = Architecture((2,), ("tanh",))
    theta = np.array([0.25, -1.5, 0.0, 0.0, 2.0, -0.125, 0.0])
    en = diagram_figure(arch.network(theta), "en")["data"][EDGE_TRACE]["hovertext"]
    ru = diagram_figure(arch.network(theta), "ru")["data"][EDGE_TRACE]["hovertext"]
    assert en == [
        "w1_1_1 = 0.25<br>x → layer 1, unit 1",
        "w1_1_2 = −1.5<br>x → layer 1, unit 2",
        "w2_1_1 = 2<br>layer 1, unit 1 → output",
        "w2_2_1 = −0.125<br>layer 1, unit 2 → output",
    ]
    assert ru[1] == "w1_1_2 = −1,5<br>x → слой 1, нейрон 2"
    assert ru[3] == "w2_2_1 = −0,125<br>слой 1, нейрон 2 → выход"


def test_column_labels_name_each_layers_activation() -> None:
    arch = Architecture((2, 2), ("tanh", "gelu"))
    fig = diagram_figure(arch.network(np.zeros(arch.n_parameters)), "en")
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert labels == ["x", "layer 1<br>TanH", "layer 2<br>GELU", "output"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plotly_accepts_the_figure(lang: str) -> None:
    state = init_state(Architecture((8,) * 4, ("relu", "tanh", "elu", "sine")), seed=4)
    fig = go.Figure(diagram_figure(state.network(), lang, (2, 8)))
    assert len(fig.layout.shapes) == 8 + 3 * 64 + 8
    assert len(fig.data[NODE_TRACE].customdata) == 1 + 32 + 1


def apply_patch(figure: dict[str, Any], patch) -> dict[str, Any]:
    """Apply a Dash Patch's Assign operations to a figure dict, as the renderer does."""
    out = copy.deepcopy(figure)
    for op in patch.to_plotly_json()["operations"]:
        assert op["operation"] == "Assign"
        *path, last = op["location"]
        node = out
        for key in path:
            node = node[key]
        node[last] = op["params"]["value"]
    return out


def test_patch_turns_one_figure_into_the_next() -> None:
    arch = Architecture((3, 4), ("tanh", "relu"))
    before = arch.network(np.random.default_rng(1).normal(size=arch.n_parameters))
    after = arch.network(np.random.default_rng(2).normal(size=arch.n_parameters))
    for lang in ("en", "ru"):
        old = diagram_figure(before, lang)
        new = diagram_figure(after, lang, selected=(2, 4))
        assert apply_patch(old, diagram_patch(after, lang, selected=(2, 4))) == new
        assert old != new
    # The patch leaves positions, labels and the layout alone.
    paths = [
        tuple(op["location"]) for op in diagram_patch(after, "en").to_plotly_json()["operations"]
    ]
    assert ("layout", "shapes") in paths
    assert not any(p[-1] in ("x", "y", "annotations", "customdata") for p in paths)
