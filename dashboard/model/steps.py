"""What one slider step does: the RMSE with each parameter moved by ±step, the others kept.

The hints beside the sliders say which way one step of a slider lowers the error and by how
much. That is the network evaluated at θ ± step·e_k for every parameter k, not a slope: near
a minimum the slope can be large while every step makes things worse.

Evaluated without running the whole network again per parameter: moving one weight or bias of
layer k changes the pre-activation of one unit of that layer by ±step times what the weight
reads (1 for a bias), so the layers before it keep their values; from that unit on, the
network runs for every moved parameter at once (one array column per parameter and sign), and
the output layer's own parameters move the output directly. Parameters are in the order of
``gradients.parameter_vector``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import Array
from dashboard.model.gradients import Score
from dashboard.model.network import Forward, Network, output_of

CHUNK = 64
"""Moved parameters run through the later layers together, this many at a time: a few MB of
work memory for the widest network (8 units a layer), whatever its parameter count."""


@lru_cache(maxsize=64)
def _indices(n_in: int, n_out: int) -> tuple[Array, Array]:
    """For a layer's parameters in ``parameter_vector`` order (weight [i, j] at i·n_out + j,
    then bias j at n_in·n_out + j): the unit each moves and the input column it reads (column
    n_in: the bias's constant 1)."""
    unit = np.tile(np.arange(n_out), n_in + 1)
    read = np.repeat(np.arange(n_in + 1), n_out)
    unit.flags.writeable = read.flags.writeable = False
    return unit, read


def _rms_columns(err: Array) -> Array:
    """The root mean square of each column of ``err`` (n, m)."""
    return np.sqrt(np.einsum("ij,ij->j", err, err) / err.shape[0])


def _rest(net: Network, k: int, delta: Array, units: Array, zs: list[Array]) -> Array:
    """The output (n, m) when unit ``units[c]`` of hidden layer ``k`` changes by
    ``delta[:, c]``, for each column c: the next layer's pre-activations move by that change
    times the unit's outgoing weights, and the network runs on from there."""
    n, m = delta.shape
    nxt = net.layers[k + 1]
    z = delta[:, :, None] * nxt.weights[units, :][None, :, :]  # C order: rows of n · m cases
    z += zs[k + 1][:, None, :]
    act, params = net.hidden_activations[k + 1]
    a = act(z, **params).reshape(n * m, -1)
    for layer, (act, params) in zip(
        net.layers[k + 2 : -1], net.hidden_activations[k + 2 :], strict=True
    ):
        a = act(a @ layer.weights + layer.bias, **params)
    out = net.layers[-1]
    return (a @ out.weights[:, 0]).reshape(n, m) + out.bias[0]


def step_rmse(
    net: Network, x: ArrayLike, target: ArrayLike, step: float
) -> tuple[Score, Array, Array, Forward]:
    """The score at θ, the RMSE at θ − step·e_k and at θ + step·e_k for every parameter k
    (two arrays in ``parameter_vector`` order), and the forward pass at θ (the same numbers,
    to the last bit, as ``net.forward(x)``)."""
    a = np.asarray(x, dtype=float).reshape(-1, 1)
    target = np.asarray(target, dtype=float).ravel()
    inputs: list[Array] = []  # what each layer reads, (n, n_in)
    zs: list[Array] = []  # each hidden layer's pre-activations, (n, units)
    hidden: list[Array] = []
    for layer, (act, params) in zip(net.layers[:-1], net.hidden_activations, strict=True):
        inputs.append(a)
        z = layer(a)
        a = act(z, **params)
        zs.append(z)
        hidden.append(a)
    inputs.append(a)
    out = net.layers[-1]
    contributions = a * out.weights[:, 0]
    bias = float(out.bias[0])
    fwd = Forward(tuple(hidden), contributions, output_of(contributions, bias), bias)
    if target.shape != fwd.output.shape:
        raise ValueError(f"target has {target.size} values for {fwd.output.size} points")
    n = target.size
    if n == 0:
        raise ValueError("cannot score an empty output")
    err = fwd.output - target
    s = Score(math.sqrt(float(np.add.reduce(err * err)) / n), float(np.abs(err).max()))

    lower: list[Array] = []
    upper: list[Array] = []
    last = len(net.layers) - 1
    with np.errstate(over="ignore", invalid="ignore"):
        for k, layer in enumerate(net.layers):
            unit, read = _indices(*layer.weights.shape)
            p = unit.size
            reads = np.concatenate([inputs[k], np.ones((n, 1))], axis=1)
            shift = reads[:, read] * step  # how each parameter's step moves what it feeds
            if k == last:  # the output unit's own weights and bias move the output directly
                errors = np.concatenate([err[:, None] - shift, err[:, None] + shift], axis=1)
            else:
                act, params = net.hidden_activations[k]
                z = zs[k][:, unit]
                changed = act(np.concatenate([z - shift, z + shift], axis=1), **params)
                units = np.concatenate([unit, unit])
                delta = changed - hidden[k][:, units]  # (n, 2p): −step cases, then +step
                if k == last - 1:  # the last hidden layer: one contribution changes
                    errors = err[:, None] + delta * out.weights[units, 0]
                else:
                    errors = np.empty_like(delta)
                    for c in range(0, 2 * p, CHUNK):
                        cols = slice(c, c + CHUNK)
                        errors[:, cols] = _rest(net, k, delta[:, cols], units[cols], zs)
                    errors -= target[:, None]
            rms = _rms_columns(errors)
            lower.append(rms[:p])
            upper.append(rms[p:])
    return s, np.concatenate(lower), np.concatenate(upper), fwd
