"""Exact derivatives of a network's output with respect to every parameter, by backpropagation.

Parameters are flattened in one fixed order, layer by layer from the input: the layer's
weights in row-major order (shape ``(n_in, n_out)``, so entry ``[i, j]`` sits at
``i * n_out + j``), then its biases. :func:`parameter_vector` and :func:`with_parameters` are
inverse to each other, and the columns of :func:`jacobian` follow the same order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import Array
from dashboard.model.network import Dense, Forward, Network, output_of


@dataclass(frozen=True)
class Score:
    """How far an output is from a target: root-mean-square and largest absolute error."""

    rmse: float
    max_error: float


def n_parameters(net: Network) -> int:
    """How many numbers :func:`parameter_vector` returns for ``net``."""
    return sum(layer.weights.size + layer.bias.size for layer in net.layers)


def parameter_vector(net: Network) -> Array:
    """Every weight and bias of ``net`` as one flat float array (order: see the module doc)."""
    parts = []
    for layer in net.layers:
        parts.append(layer.weights.ravel())
        parts.append(layer.bias)
    return np.concatenate(parts).astype(float, copy=True)


def with_parameters(net: Network, theta: ArrayLike) -> Network:
    """A copy of ``net`` (same shape, activations and their parameters) with ``theta``."""
    theta = np.asarray(theta, dtype=float).ravel()
    expected = n_parameters(net)
    if theta.shape != (expected,):
        raise ValueError(f"expected {expected} parameters, got {theta.size}")
    layers = []
    start = 0
    for layer in net.layers:
        n_in, n_out = layer.weights.shape
        w = theta[start : start + n_in * n_out].reshape(n_in, n_out).copy()
        start += n_in * n_out
        b = theta[start : start + n_out].copy()
        start += n_out
        layers.append(Dense(w, b))
    return replace(net, layers=tuple(layers))


def _forward(net: Network, x: ArrayLike) -> tuple[list[Array], list[Array], Forward]:
    """The input each layer reads, each hidden layer's A'(z), and the forward pass at ``x``
    (the same :class:`Forward`, to the last bit, as ``net.forward(x)``)."""
    a = np.asarray(x, dtype=float).reshape(-1, 1)
    inputs: list[Array] = []  # the input each layer reads, (n, n_in)
    slopes: list[Array] = []  # A'(z) of each hidden layer, (n, n_out)
    for layer, (act, params) in zip(net.layers[:-1], net.hidden_activations, strict=True):
        inputs.append(a)
        a, slope = act.value_and_grad(layer(a), **params)
        slopes.append(slope)
    out = net.layers[-1]
    inputs.append(a)
    contributions = a * out.weights[:, 0]
    bias = float(out.bias[0])
    return (
        inputs,
        slopes,
        Forward(tuple(inputs[1:]), contributions, output_of(contributions, bias), bias),
    )


def _backward(
    net: Network, inputs: list[Array], slopes: list[Array], seed: Array, per_point: bool
) -> Array:
    """Backpropagate ``seed`` (∂/∂output at each point, shape (n,)) to every parameter.

    ``per_point``: one row per point, ``seed[p] * ∂output_p/∂θ`` (with a seed of ones, the
    Jacobian); otherwise the sum of those rows, ``seed @ Jacobian``, without forming it.
    """
    n = seed.shape[0]
    blocks: list[Array] = []
    # delta: seed times ∂output/∂z of the current layer's pre-activations, (n, n_out).
    delta = seed.reshape(n, 1)
    for k in range(len(net.layers) - 1, -1, -1):
        layer = net.layers[k]
        a_in = inputs[k]
        if per_point:
            # ∂output/∂W[i, j] = a_in[:, i] * delta[:, j], flattened row-major like the weights.
            blocks.append(delta)
            blocks.append((a_in[:, :, None] * delta[:, None, :]).reshape(n, layer.weights.size))
        else:
            # Column sums: delta is column-major (see Dense.__call__), so each column is summed
            # along contiguous memory, pairwise.
            blocks.append(delta.sum(axis=0))
            blocks.append((a_in.T @ delta).ravel())
        if k > 0:
            # (W deltaᵀ)ᵀ: column-major like the slopes (see Dense.__call__).
            delta = (layer.weights @ delta.T).T * slopes[k - 1]
    return np.concatenate(blocks[::-1], axis=-1)


def jacobian(net: Network, x: ArrayLike) -> tuple[Array, Array]:
    """The output at ``x`` (shape (n,)) and its Jacobian (n, n_params) by backpropagation.

    Column ``k`` of the Jacobian is ∂output/∂θ_k for the parameter order of
    :func:`parameter_vector`. Where an activation has a kink (ReLU at 0), its ``grad`` decides
    which one-sided derivative is used. Each hidden layer uses its own activation.
    """
    inputs, slopes, fwd = _forward(net, x)
    output = fwd.output
    return output, _backward(net, inputs, slopes, np.ones(output.shape[0]), per_point=True)


def _errors(
    net: Network, x: ArrayLike, target: ArrayLike
) -> tuple[list[Array], list[Array], Forward, Array]:
    """The forward pass's layer inputs and slopes, the pass itself, and output − target."""
    inputs, slopes, fwd = _forward(net, x)
    target = np.asarray(target, dtype=float).ravel()
    if target.shape != fwd.output.shape:
        raise ValueError(f"target has {target.size} values for {fwd.output.size} points")
    if fwd.output.size == 0:
        raise ValueError("cannot score an empty output")
    return inputs, slopes, fwd, fwd.output - target


def mse_gradient(net: Network, x: ArrayLike, target: ArrayLike) -> tuple[float, Array]:
    """The mean squared error of ``net`` against ``target`` at ``x`` and its gradient.

    MSE = mean((out − t)²), so ∂MSE/∂θ = (2/n)·(out − t)·J with J the :func:`jacobian`; the
    same backpropagation computes that product directly, without forming J (what training
    needs at every step). The error is computed in float64; it may be ``inf`` or ``nan`` when
    the network overflows, and the caller decides what that means.
    """
    inputs, slopes, _, err = _errors(net, x, target)
    n = err.size
    mse = float(err @ err) / n
    return mse, _backward(net, inputs, slopes, (2.0 / n) * err, per_point=False)


def score(output: ArrayLike, target: ArrayLike) -> Score:
    """RMSE and maximum absolute error of ``output`` against ``target``."""
    err = (np.asarray(output, dtype=float) - np.asarray(target, dtype=float)).ravel()
    if err.size == 0:
        raise ValueError("cannot score an empty output")
    return Score(_rms(err), float(np.abs(err).max()))


def _rms(err: Array) -> float:
    """Root mean square, summed pairwise (as ``np.sum``): a dot product would be faster but
    rounds worse, and finite differences of the RMSE need its last digits."""
    return math.sqrt(float(np.add.reduce(err * err)) / err.size)
