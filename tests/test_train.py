"""Training: the loss gradient against central finite differences of a loss written here, the
optimiser rules against steps computed by hand, mini-batches against a shuffle replayed here, a
seeded run on x² reaching a stated loss, divergence, the time bound, the JSON round trip and the
architecture limits with their messages in both languages."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dashboard import i18n
from dashboard.model import Dense, Network, get_activation
from dashboard.model.activations import ACTIVATIONS
from dashboard.model.gradients import jacobian, mse_gradient, parameter_vector, with_parameters
from dashboard.model.train import (
    DIVERGENCE_FACTOR,
    MAX_LAYERS,
    MAX_POINTS,
    MAX_STEPS_PER_CALL,
    MAX_TIME_BUDGET,
    MAX_UNITS,
    Architecture,
    TrainConfig,
    TrainError,
    TrainState,
    adam_step,
    init_parameters,
    init_scheme,
    init_state,
    parameter_names,
    run,
    sgd_step,
    unit_parameter_names,
)
from dashboard.train_text import error_text, stop_text

SMOOTH = (
    "sigmoid",
    "tanh",
    "linear",
    "elu",  # alpha = 1: both pieces have slope 1 at 0
    "celu",
    "gelu",
    "gelu_tanh",
    "silu",
    "mish",
    "softplus",
    "softsign",
    "gaussian",
    "sine",
)
# Where each kinked activation (default parameters) has its kinks or jumps, stated here.
KINKS: dict[str, tuple[float, ...]] = {
    "relu": (0.0,),
    "leaky_relu": (0.0,),
    "selu": (0.0,),
    "relu6": (0.0, 6.0),
    "hard_sigmoid": (-3.0, 3.0),
    "hard_tanh": (-1.0, 1.0),
    "hard_swish": (-3.0, 3.0),
    "step": (0.0,),
}
H = 1e-6  # central-difference step

# The training problem of this file: x² on [-3, 3], 201 points (0 among them).
X_SQ = np.linspace(-3.0, 3.0, 201)
T_SQ = X_SQ**2


def bits(a: np.ndarray) -> np.ndarray:
    """The float64 bit patterns, so that comparisons also tell -0.0 from 0.0."""
    return np.ascontiguousarray(a, dtype="<f8").view("<u8")


# ---------------------------------------------------------------- a loss written here


def unflatten(sizes: list[int], theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) per layer from the flat vector: each layer's weights row-major, then its biases."""
    out, k = [], 0
    for n_in, n_out in itertools.pairwise(sizes):
        w = theta[k : k + n_in * n_out].reshape(n_in, n_out)
        k += n_in * n_out
        out.append((w, theta[k : k + n_out]))
        k += n_out
    assert k == theta.size
    return out


def ref_pre_activations(
    sizes: list[int], keys: list[str], theta: np.ndarray, x: np.ndarray
) -> tuple[list[np.ndarray], np.ndarray]:
    """Each hidden layer's z and the output, by a plain loop over layers."""
    a = x[:, None]
    zs = []
    layers = unflatten(sizes, theta)
    for (w, b), key in zip(layers[:-1], keys, strict=True):
        z = a @ w + b
        zs.append(z)
        a = ACTIVATIONS[key].f(z, **ACTIVATIONS[key].params)
    w, b = layers[-1]
    return zs, (a @ w + b)[:, 0]


def ref_loss(sizes: list[int], keys: list[str], theta: np.ndarray, x, t) -> float:
    _, out = ref_pre_activations(sizes, keys, theta, x)
    return float(np.mean((out - t) ** 2))


def fd_gradient(sizes, keys, theta, x, t) -> np.ndarray:
    g = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = H
        g[k] = (ref_loss(sizes, keys, theta + e, x, t) - ref_loss(sizes, keys, theta - e, x, t)) / (
            2 * H
        )
    return g


def assert_gradient_close(grad: np.ndarray, fd: np.ndarray, loss: float) -> None:
    """Relative error bound: every component within 1e-6 of max(1, loss, largest |component|).

    Finite differences lose about eps·loss/H ≈ 2e-10·loss to rounding; 1e-6 leaves room for
    the truncation error of steep activations.
    """
    scale = max(1.0, loss, float(np.max(np.abs(fd))))
    worst = float(np.max(np.abs(grad - fd)))
    assert worst <= 1e-6 * scale, (worst, scale)


architectures = st.lists(st.integers(1, MAX_UNITS), min_size=1, max_size=MAX_LAYERS)


@settings(max_examples=60, deadline=None)
@given(widths=architectures, data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_mse_gradient_matches_finite_differences_smooth(widths, data, seed) -> None:
    keys = data.draw(st.lists(st.sampled_from(SMOOTH), min_size=len(widths), max_size=len(widths)))
    rng = np.random.default_rng(seed)
    arch = Architecture(tuple(widths), tuple(keys))
    theta = rng.normal(0.0, 1.0, arch.n_parameters)
    x = rng.uniform(-3.0, 3.0, 15)
    t = np.sin(2.0 * x) + x
    loss, grad = mse_gradient(arch.network(theta), x, t)
    sizes = [1, *widths, 1]
    assert loss == pytest.approx(ref_loss(sizes, keys, theta, x, t), rel=1e-12, abs=1e-300)
    assert_gradient_close(grad, fd_gradient(sizes, keys, theta, x, t), loss)


@settings(max_examples=60, deadline=None)
@given(widths=architectures, data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_mse_gradient_matches_finite_differences_away_from_kinks(widths, data, seed) -> None:
    pool = tuple(KINKS) + SMOOTH
    keys = data.draw(st.lists(st.sampled_from(pool), min_size=len(widths), max_size=len(widths)))
    rng = np.random.default_rng(seed)
    arch = Architecture(tuple(widths), tuple(keys))
    theta = rng.normal(0.0, 1.0, arch.n_parameters)
    sizes = [1, *widths, 1]
    x = rng.uniform(-3.0, 3.0, 60)
    zs, _ = ref_pre_activations(sizes, keys, theta, x)
    # Keep the points where every pre-activation is at least 0.01 from its layer's kinks: a
    # step of 1e-6 in any parameter moves no pre-activation by nearly that much here.
    keep = np.ones(x.size, dtype=bool)
    for z, key in zip(zs, keys, strict=True):
        for kink in KINKS.get(key, ()):
            keep &= np.min(np.abs(z - kink), axis=1) > 1e-2
    assume(keep.sum() >= 3)
    x = x[keep]
    t = x**2
    loss, grad = mse_gradient(arch.network(theta), x, t)
    assert_gradient_close(grad, fd_gradient(sizes, keys, theta, x, t), loss)


def test_mse_gradient_equals_error_times_jacobian() -> None:
    # The summed backpropagation against the per-point Jacobian of the same code path.
    arch = Architecture((5, 3, 4), ("tanh", "relu", "silu"))
    theta = np.random.default_rng(2).normal(size=arch.n_parameters)
    net = arch.network(theta)
    x = np.linspace(-2.0, 2.0, 37)
    t = np.cos(x)
    loss, grad = mse_gradient(net, x, t)
    out, jac = jacobian(net, x)
    err = out - t
    assert loss == pytest.approx(float(np.mean(err**2)), rel=1e-14)
    np.testing.assert_allclose(grad, 2.0 * err @ jac / x.size, rtol=1e-11, atol=1e-13)


# ---------------------------------------------------------------- per-layer activations


@pytest.mark.parametrize("key", sorted(ACTIVATIONS))
def test_value_and_grad_is_value_and_derivative_to_the_last_bit(key: str) -> None:
    # The backpropagation takes both from one call; they must be what f and derivative give.
    act = ACTIVATIONS[key]
    z = np.concatenate(
        [np.linspace(-50.0, 50.0, 2001), [0.0, -0.0, 1e-300, -1e300, 1e300, 3.0, -3.0, 6.0]]
    )
    value, slope = act.value_and_grad(z)
    np.testing.assert_array_equal(bits(value), bits(act(z)))
    np.testing.assert_array_equal(bits(slope), bits(act.grad(z)))


def test_mixed_network_forward_by_hand() -> None:
    # x -> tanh(0.5 x - 1) -> leaky(slope 0.5)(2 h + 0.25) -> 3 g - 1
    net = Network.mixed(
        [Dense([[0.5]], [-1.0]), Dense([[2.0]], [0.25]), Dense([[3.0]], [-1.0])],
        [get_activation("tanh"), get_activation("leaky_relu")],
        [{}, {"slope": 0.5}],
    )
    x = np.array([-2.0, 0.0, 1.0, 4.0])
    h = np.tanh(0.5 * x - 1.0)
    z = 2.0 * h + 0.25
    g = np.where(z > 0, z, 0.5 * z)
    np.testing.assert_allclose(net(x), 3.0 * g - 1.0, rtol=1e-14)
    assert net.widths == (1, 1)
    assert [a.key for a, _ in net.hidden_activations] == ["tanh", "leaky_relu"]
    copy = with_parameters(net, parameter_vector(net) * 2.0)
    assert copy.hidden_activations == net.hidden_activations
    with pytest.raises(ValueError, match="2 layer activations for 1 hidden layers"):
        Network((Dense([[1.0]], [0.0]), Dense([[1.0]], [0.0])), net.activation, {}, net.per_layer)


def test_architecture_parameters_reach_the_network() -> None:
    arch = Architecture((1,), ("leaky_relu",), ({"slope": 0.5},))
    net = arch.network([1.0, 0.0, 1.0, 0.0])
    np.testing.assert_allclose(net(np.array([-4.0, 4.0])), [-2.0, 4.0])
    assert dict(arch.params[0]) == {"slope": 0.5}
    assert dict(Architecture((1,), ("elu",)).params[0]) == {"alpha": 1.0}


def test_parameter_names_follow_the_flat_order() -> None:
    assert parameter_names((2,)) == ("w1_1_1", "w1_1_2", "b1_1", "b1_2", "w2_1_1", "w2_2_1", "b2_1")
    names = parameter_names((3, 2))
    assert len(names) == Architecture((3, 2), ("tanh", "tanh")).n_parameters == 6 + 8 + 3
    assert names[6:12] == ("w2_1_1", "w2_1_2", "w2_2_1", "w2_2_2", "w2_3_1", "w2_3_2")
    assert unit_parameter_names((3, 2), 2, 2) == ("w2_1_2", "w2_2_2", "w2_3_2", "b2_2")
    assert unit_parameter_names((3, 2), 3, 1) == ("w3_1_1", "w3_2_1", "b3_1")
    with pytest.raises(ValueError):
        unit_parameter_names((3, 2), 0, 1)
    # Each name points at its entry: set one parameter, read it back from the layer.
    arch = Architecture((3, 2), ("tanh", "tanh"))
    for k, name in enumerate(names):
        theta = np.zeros(arch.n_parameters)
        theta[k] = 1.0
        layer, *rest = name[1:].split("_")
        dense = arch.network(theta).layers[int(layer) - 1]
        if name[0] == "w":
            assert dense.weights[int(rest[0]) - 1, int(rest[1]) - 1] == 1.0, name
        else:
            assert dense.bias[int(rest[0]) - 1] == 1.0, name


# ---------------------------------------------------------------- initialisation


def test_same_seed_same_start_other_seed_other_start() -> None:
    arch = Architecture((8, 8, 8, 8), ("relu", "tanh", "selu", "gelu"))
    a = init_parameters(arch, 7, (-3.0, 3.0))
    b = init_parameters(arch, 7, (-3.0, 3.0))
    c = init_parameters(arch, 8, (-3.0, 3.0))
    np.testing.assert_array_equal(bits(a), bits(b))
    assert not np.array_equal(a, c)
    assert (
        init_state(arch, seed=7, interval=(-3, 3)).to_dict()
        == init_state(arch, seed=7, interval=(-3, 3)).to_dict()
    )


def test_init_schemes() -> None:
    assert init_scheme("relu") == init_scheme("leaky_relu") == init_scheme("gelu") == "he"
    assert init_scheme("selu") == "lecun"
    assert init_scheme("tanh") == init_scheme("sigmoid") == init_scheme("linear") == "glorot"


def test_init_replays_the_documented_draws() -> None:
    # Replayed here from the documented recipe: per layer the weights, then (first layer) the
    # centres; He normal sqrt(2/fan_in), LeCun normal sqrt(1/fan_in), Glorot uniform.
    arch = Architecture((3, 4, 2), ("relu", "sigmoid", "selu"))
    lo, hi = -10.0, 6.0
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    rng = np.random.default_rng(123)
    w1 = rng.normal(0.0, math.sqrt(2.0), (1, 3))
    c = rng.uniform(-1.0, 1.0, 3)
    w2 = rng.uniform(-math.sqrt(6 / 7), math.sqrt(6 / 7), (3, 4))
    w3 = rng.normal(0.0, math.sqrt(1 / 4), (4, 2))
    w4 = rng.uniform(-math.sqrt(6 / 3), math.sqrt(6 / 3), (2, 1))
    net = arch.network(init_parameters(arch, 123, (lo, hi)))
    np.testing.assert_allclose(net.layers[0].weights, w1 / half, rtol=1e-15)
    # z = w (u - c) with u = (x - mid) / half: zero where x = mid + c half.
    np.testing.assert_allclose(
        -net.layers[0].bias / net.layers[0].weights[0], mid + c * half, rtol=1e-12
    )
    for layer, w in zip(net.layers[1:], (w2, w3, w4), strict=True):
        np.testing.assert_array_equal(layer.weights, w)
        np.testing.assert_array_equal(layer.bias, 0.0)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    lo=st.floats(-100, 99, allow_nan=False),
    span=st.floats(0.1, 200),
    key=st.sampled_from(sorted(ACTIVATIONS)),
)
def test_first_layer_bends_start_inside_the_interval(seed, lo, span, key) -> None:
    arch = Architecture((8,), (key,))
    net = arch.network(init_parameters(arch, seed, (lo, lo + span)))
    w, b = net.layers[0].weights[0], net.layers[0].bias
    w_ok = w != 0
    centres = -b[w_ok] / w[w_ok]
    tol = 1e-9 * max(1.0, abs(lo), abs(lo + span))
    assert np.all(centres >= lo - tol) and np.all(centres <= lo + span + tol)


# ---------------------------------------------------------------- optimiser rules by hand

# A tiny net: out = w2 (w1 x + b1) + b2 (linear hidden unit), points x = 1, 2, targets 1, 0.
TINY = Architecture((1,), ("linear",))
TINY_THETA = np.array([0.5, -0.25, 2.0, 0.125])  # w1, b1, w2, b2
TINY_X = np.array([1.0, 2.0])
TINY_T = np.array([1.0, 0.0])


def tiny_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
    """MSE and its gradient for TINY, written out: err_p = out_p - t_p, mean over 2 points."""
    w1, b1, w2, b2 = theta
    h = w1 * TINY_X + b1
    err = w2 * h + b2 - TINY_T
    g = np.array(
        [
            np.sum(err * w2 * TINY_X),  # (2/n) = 1 for n = 2
            np.sum(err * w2),
            np.sum(err * h),
            np.sum(err),
        ]
    )
    return float(np.mean(err**2)), g


def test_tiny_gradient_by_hand() -> None:
    # h = (0.25, 0.75), out = (0.625, 1.625), err = (-0.375, 1.625):
    # dw1 = 2 (-0.375 + 3.25) = 5.75, db1 = 2 (1.25) = 2.5,
    # dw2 = -0.375 * 0.25 + 1.625 * 0.75 = 1.125, db2 = 1.25; MSE = (0.140625 + 2.640625) / 2.
    loss, g = tiny_gradient(TINY_THETA)
    assert loss == 1.390625
    np.testing.assert_array_equal(g, [5.75, 2.5, 1.125, 1.25])
    model_loss, model_g = mse_gradient(TINY.network(TINY_THETA), TINY_X, TINY_T)
    assert model_loss == loss
    np.testing.assert_allclose(model_g, g, rtol=1e-15)


def tiny_state(config: TrainConfig) -> TrainState:
    return TrainState(TINY, TINY_THETA, config)


def test_sgd_momentum_two_steps_by_hand() -> None:
    lr, mu = 0.1, 0.9
    state, losses = run(tiny_state(TrainConfig("sgd", lr, momentum=mu)), TINY_X, TINY_T, 2, 1.0)
    # Step 1: v = g = (5.75, 2.5, 1.125, 1.25); theta = theta - 0.1 v.
    theta1 = np.array([0.5 - 0.575, -0.25 - 0.25, 2.0 - 0.1125, 0.125 - 0.125])
    _, g1 = tiny_gradient(theta1)
    v2 = mu * np.array([5.75, 2.5, 1.125, 1.25]) + g1
    theta2 = theta1 - lr * v2
    np.testing.assert_allclose(state.theta, theta2, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(state.moment1, v2, rtol=1e-14)
    np.testing.assert_array_equal(state.moment2, 0.0)
    assert (state.step, state.opt_step, state.stop) == (2, 2, "steps")
    np.testing.assert_allclose(
        losses, [tiny_gradient(theta1)[0], tiny_gradient(theta2)[0]], rtol=1e-14
    )
    # The step function alone.
    t1, v1 = sgd_step(TINY_THETA, np.array([5.75, 2.5, 1.125, 1.25]), np.zeros(4), lr, mu)
    np.testing.assert_allclose(t1, theta1, rtol=1e-15, atol=1e-16)
    np.testing.assert_array_equal(v1, [5.75, 2.5, 1.125, 1.25])


def test_adam_two_steps_by_hand() -> None:
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    state, _ = run(tiny_state(TrainConfig("adam", lr)), TINY_X, TINY_T, 2, 1.0)
    g0 = np.array([5.75, 2.5, 1.125, 1.25])
    # Step 1: m = 0.1 g, s = 0.001 g², m̂ = g, ŝ = g²: each parameter moves by
    # 0.1 g / (|g| + 1e-8), 0.1 against the gradient's sign up to ~1e-9.
    theta1 = TINY_THETA - 0.1 * g0 / (np.abs(g0) + eps)
    np.testing.assert_allclose(theta1, [0.4, -0.35, 1.9, 0.025], atol=1e-9)
    m1, s1 = 0.1 * g0, 0.001 * g0**2
    _, g1 = tiny_gradient(theta1)
    m2 = b1 * m1 + (1 - b1) * g1
    s2 = b2 * s1 + (1 - b2) * g1**2
    theta2 = theta1 - lr * (m2 / (1 - b1**2)) / (np.sqrt(s2 / (1 - b2**2)) + eps)
    np.testing.assert_allclose(state.theta, theta2, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(state.moment1, m2, rtol=1e-13)
    np.testing.assert_allclose(state.moment2, s2, rtol=1e-13)
    assert state.opt_step == 2
    t, m, s = adam_step(TINY_THETA, g0, np.zeros(4), np.zeros(4), 1, lr, b1, b2, eps)
    np.testing.assert_allclose(t, theta1, rtol=1e-15)
    np.testing.assert_allclose(m, m1, rtol=1e-15)
    np.testing.assert_allclose(s, s1, rtol=1e-15)


def test_changing_the_optimiser_resets_its_moments() -> None:
    state, _ = run(tiny_state(TrainConfig("adam", 0.01)), TINY_X, TINY_T, 3, 1.0)
    assert state.opt_step == 3 and np.any(state.moment1 != 0)
    same = state.with_config(TrainConfig("adam", 0.001))
    assert same.opt_step == 3 and np.array_equal(same.moment1, state.moment1)
    other = state.with_config(TrainConfig("sgd", 0.01))
    assert other.opt_step == 0 and other.step == 3
    assert not np.any(other.moment1) and not np.any(other.moment2)


# ---------------------------------------------------------------- mini-batches


def test_mini_batches_follow_the_seeded_shuffle() -> None:
    # Plain SGD (momentum 0) on 50 points in batches of 16: batches of 16, 16, 16 and the 2
    # left, then a new shuffle. Replayed here with the documented shuffle of (seed, epoch).
    x = np.linspace(-1.0, 1.0, 50)
    t = np.sin(3 * x)
    arch = Architecture((3,), ("tanh",))
    start = init_state(arch, TrainConfig("sgd", 0.05, momentum=0.0, batch_size=16), seed=5)
    state, losses = run(start, x, t, 9, 1.0)
    theta = start.theta.copy()
    expected_losses = []
    sizes = []
    for epoch in range(3):
        perm = np.random.default_rng([5, epoch]).permutation(50)
        for lo in range(0, 50, 16):
            if len(sizes) == 9:
                break
            idx = perm[lo : lo + 16]
            sizes.append(idx.size)
            _, g = mse_gradient(arch.network(theta), x[idx], t[idx])
            theta = theta - 0.05 * g
            expected_losses.append(float(np.mean((arch.network(theta)(x) - t) ** 2)))
    assert sizes == [16, 16, 16, 2, 16, 16, 16, 2, 16]
    np.testing.assert_array_equal(bits(state.theta), bits(theta))
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-14)  # another sum order
    assert (state.epoch, state.cursor) == (2, 16)


# ---------------------------------------------------------------- a run on x², determinism

RUN_ARCH = Architecture((8, 8), ("tanh", "tanh"))


def square_run(config: TrainConfig, steps: int) -> tuple[TrainState, np.ndarray]:
    start = init_state(RUN_ARCH, config, seed=0, interval=(-3.0, 3.0))
    return run(start, X_SQ, T_SQ, steps, MAX_TIME_BUDGET, clock=lambda: 0.0)


def test_adam_learns_x_squared() -> None:
    # 2 x 8 tanh, Adam lr 0.01, full batch, seed 0, x² on [-3, 3] (201 points). Measured MSE:
    # 15.4 after step 1, 0.0078 after 500, 0.00145 after 1000, 0.00026 after 2000.
    config = TrainConfig("adam", 0.01)
    state, losses = square_run(config, 2000)
    assert state.stop == "steps" and state.step == 2000 and losses.size == 2000
    assert losses[0] > 10.0
    assert losses[999] < 3e-3
    assert losses[1999] < 5e-4
    # The reported loss is the loss of the returned weights, computed independently here.
    out = state.network()(X_SQ)
    assert losses[-1] == pytest.approx(float(np.mean((out - T_SQ) ** 2)), rel=1e-12)
    again, losses_again = square_run(config, 2000)
    np.testing.assert_array_equal(bits(again.theta), bits(state.theta))
    np.testing.assert_array_equal(bits(losses_again), bits(losses))


def test_sgd_momentum_learns_x_squared() -> None:
    # Same net and data, SGD lr 0.01 with momentum 0.9. Measured MSE: 0.027 after 100 steps,
    # 0.0011 after 500, 0.00064 after 1000.
    state, losses = square_run(TrainConfig("sgd", 0.01, momentum=0.9), 1000)
    assert losses[99] < 0.05
    assert losses[499] < 2e-3
    assert losses[999] < 1e-3
    again, losses_again = square_run(TrainConfig("sgd", 0.01, momentum=0.9), 1000)
    np.testing.assert_array_equal(bits(again.theta), bits(state.theta))
    np.testing.assert_array_equal(bits(losses_again), bits(losses))


@pytest.mark.parametrize("batch_size", [0, 32])
def test_calls_with_json_round_trips_between_them_equal_one_call(batch_size: int) -> None:
    config = TrainConfig("adam", 0.01, batch_size=batch_size)
    whole, whole_losses = square_run(config, 300)
    state = init_state(RUN_ARCH, config, seed=0, interval=(-3.0, 3.0))
    losses = []
    for n in (1, 6, 50, 43, 100, 100):
        state = TrainState.from_dict(json.loads(json.dumps(state.to_dict())))
        state, part = run(state, X_SQ, T_SQ, n, MAX_TIME_BUDGET, clock=lambda: 0.0)
        losses += list(part)
    assert state.step == 300
    np.testing.assert_array_equal(bits(state.theta), bits(whole.theta))
    np.testing.assert_array_equal(bits(state.moment1), bits(whole.moment1))
    np.testing.assert_array_equal(bits(state.moment2), bits(whole.moment2))
    np.testing.assert_array_equal(losses, whole_losses)
    assert state.to_dict() == whole.to_dict()


# ---------------------------------------------------------------- divergence


@pytest.mark.parametrize(
    ("config", "acts"),
    [
        (TrainConfig("sgd", 50.0), ("relu", "relu")),
        (TrainConfig("sgd", 1.0), ("tanh", "tanh")),
        (TrainConfig("adam", 100.0), ("tanh", "tanh")),
    ],
)
def test_huge_learning_rate_stops_and_restores_finite_weights(config, acts) -> None:
    start = init_state(Architecture((8, 8), acts), config, seed=0, interval=(-3.0, 3.0))
    state, losses = run(start, X_SQ, T_SQ, 1000, MAX_TIME_BUDGET)
    assert state.stop == "exploded"
    assert state.step == losses.size < 1000
    assert np.all(np.isfinite(state.theta)) and np.all(np.isfinite(losses))
    # The weights handed back are those after the last accepted step: replaying exactly that
    # many steps gives them, and their loss is within the stated factor of the best.
    replay, _ = run(start, X_SQ, T_SQ, losses.size, MAX_TIME_BUDGET)
    np.testing.assert_array_equal(bits(replay.theta), bits(state.theta))
    loss = float(np.mean((state.network()(X_SQ) - T_SQ) ** 2))
    start_loss = float(np.mean((start.network()(X_SQ) - T_SQ) ** 2))
    assert loss <= DIVERGENCE_FACTOR * min([start_loss, *losses])
    # One step further is what exploded.
    nxt = TrainState.from_dict(state.to_dict())
    after = run(nxt, X_SQ, T_SQ, 1, MAX_TIME_BUDGET)[0]
    assert after.stop == "exploded" and after.step == state.step
    for lang in ("en", "ru"):
        assert str(state.step) in stop_text(lang, state)
    assert "1,000 times" in stop_text("en", state) and "в 1000 раз" in stop_text("ru", state)


def test_overflowing_step_stops_as_nonfinite() -> None:
    # out = w2 (w1 x + b1) + b2 with every parameter 1e50: the loss (~1e200) is finite, the
    # first SGD step moves the weights by ~1e150 and the loss overflows.
    start = TrainState(TINY, np.full(4, 1e50), TrainConfig("sgd", 1.0, momentum=0.0))
    state, losses = run(start, TINY_X, TINY_T, 10, 1.0)
    assert state.stop == "nonfinite" and losses.size == 0 and state.step == 0
    np.testing.assert_array_equal(state.theta, start.theta)
    # Weights whose loss is already infinite: nothing to do, nothing changed.
    start = TrainState(TINY, np.full(4, 1e200), TrainConfig("sgd", 1e-9))
    state, losses = run(start, TINY_X, TINY_T, 10, 1.0)
    assert state.stop == "nonfinite" and losses.size == 0
    np.testing.assert_array_equal(state.theta, start.theta)


def test_best_loss_is_kept_per_data_and_forgotten_after_hand_tuning() -> None:
    state, losses = square_run(TrainConfig("adam", 0.01), 200)
    assert state.best_loss == pytest.approx(min(losses))
    assert state.data_key
    # Weights set by hand far from the fit: not a divergence, a new start.
    tuned = state.with_theta(state.theta * 3.0)
    assert tuned.best_loss is None
    after, _ = run(tuned, X_SQ, T_SQ, 5, MAX_TIME_BUDGET)
    assert after.stop == "steps"
    # Other data: the best loss of the old data does not count.
    other, _ = run(state, X_SQ, 50.0 * T_SQ, 5, MAX_TIME_BUDGET)
    assert other.stop == "steps" and other.best_loss > 1.0


# ---------------------------------------------------------------- the time bound


class StepClock:
    """A clock that advances by ``tick`` seconds every time it is read."""

    def __init__(self, tick: float = 1.0) -> None:
        self.tick = tick
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.tick * (self.reads - 1)


def test_time_budget_bounds_the_steps() -> None:
    start = init_state(RUN_ARCH, seed=0, interval=(-3.0, 3.0))
    clock = StepClock(0.5)
    # Read at 0 (start), then before steps 2, 3, 4: 0.5, 1.0, 1.5 >= 1.25 stops before step 4.
    state, losses = run(start, X_SQ, T_SQ, 100, 1.25, clock=clock)
    assert (state.stop, state.step, losses.size, clock.reads) == ("time", 3, 3, 4)
    # A zero budget still takes one step, so a run always advances.
    state, losses = run(start, X_SQ, T_SQ, 100, 0.0, clock=StepClock())
    assert (state.stop, state.step) == ("time", 1)
    # Enough budget: every step, the clock read once per step.
    clock = StepClock(0.25)
    state, _ = run(start, X_SQ, T_SQ, 5, 2.0, clock=clock)
    assert (state.stop, state.step, clock.reads) == ("steps", 5, 5)
    # With the real clock, a 4 x 8 net on 2,000 points cannot take 10,000 steps in 20 ms.
    big = init_state(Architecture((8,) * 4, ("tanh",) * 4), seed=1)
    x = np.linspace(-1.0, 1.0, MAX_POINTS)
    state, _ = run(big, x, x**2, MAX_STEPS_PER_CALL, 0.02)
    assert state.stop == "time" and 1 <= state.step < MAX_STEPS_PER_CALL


# ---------------------------------------------------------------- JSON round trip


def assert_same_state(a: TrainState, b: TrainState) -> None:
    for name in ("theta", "moment1", "moment2"):
        np.testing.assert_array_equal(bits(getattr(a, name)), bits(getattr(b, name)), name)
    for name in ("step", "opt_step", "epoch", "cursor", "seed", "data_key", "stop", "config"):
        assert getattr(a, name) == getattr(b, name), name
    assert a.arch.to_dict() == b.arch.to_dict()
    assert (a.best_loss is None and b.best_loss is None) or bits(np.array([a.best_loss])) == bits(
        np.array([b.best_loss])
    )


def test_json_round_trip_after_training_is_exact() -> None:
    arch = Architecture((4, 3), ("elu", "hard_tanh"), ({"alpha": 0.35}, {"min_val": -1.5}))
    config = TrainConfig("adam", 0.003, beta1=0.8, batch_size=17)
    state, _ = run(init_state(arch, config, seed=99, interval=(-2, 5)), X_SQ, T_SQ, 37, 1.0)
    assert state.epoch > 0 and state.cursor > 0 and state.best_loss is not None
    text = json.dumps(state.to_dict())
    back = TrainState.from_dict(json.loads(text))
    assert_same_state(back, state)
    assert json.dumps(back.to_dict()) == text
    assert dict(back.arch.params[1]) == {"min_val": -1.5, "max_val": 1.0}


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True),
        min_size=3 * 7,
        max_size=3 * 7,
    ),
    best=st.one_of(st.none(), st.floats(0.0, 1e300)),
    step=st.integers(0, 2**53),
    seed=st.integers(0, 2**31 - 1),
    lr=st.floats(1e-12, 100.0),
)
def test_json_round_trip_of_any_values_is_exact(values, best, step, seed, lr) -> None:
    arch = Architecture((2,), ("tanh",))
    v = np.array(values)
    state = TrainState(
        arch,
        v[:7],
        TrainConfig("sgd", lr, momentum=0.5),
        seed,
        moment1=v[7:14],
        moment2=v[14:],
        step=step,
        opt_step=step // 2,
        best_loss=best,
        data_key="0123456789abcdef",
        stop="time",
    )
    back = TrainState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert_same_state(back, state)
    assert back.config.learning_rate == lr


def good_dict() -> dict:
    return init_state(Architecture((2, 2), ("tanh", "relu")), seed=3).to_dict()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(version=2), "version"),
        (lambda d: d.update(theta="not base64!"), "theta"),
        (lambda d: d.update(theta=d["theta"][:-4]), "theta"),
        (lambda d: d.update(moment1=None), "moment1"),
        (lambda d: d.update(step=-1), "step"),
        (lambda d: d.update(step=1.5), "step"),
        (lambda d: d.update(stop="bored"), "stop"),
        (lambda d: d.update(best_loss="low"), "best_loss"),
        (lambda d: d.update(architecture=[2, 2]), "architecture"),
        (lambda d: d["architecture"].update(widths="22"), "architecture.widths"),
        (lambda d: d.update(config={"optimizer": "adam", "rm": True}), "config"),
    ],
)
def test_malformed_state_is_refused(change, field) -> None:
    d = good_dict()
    change(d)
    with pytest.raises(TrainError) as info:
        TrainState.from_dict(d)
    assert info.value.key == "train.error.state"
    assert info.value.fields == {"field": field}


def test_nonfinite_values_in_a_state_are_refused() -> None:
    import base64

    d = good_dict()
    n = Architecture((2, 2), ("tanh", "relu")).n_parameters
    d["theta"] = base64.b64encode(np.full(n, np.nan).astype("<f8").tobytes()).decode()
    with pytest.raises(TrainError, match="theta"):
        TrainState.from_dict(d)


def test_a_state_beyond_the_limits_is_refused_with_the_limit() -> None:
    d = good_dict()
    d["architecture"]["widths"] = [2, 9]
    with pytest.raises(TrainError) as info:
        TrainState.from_dict(d)
    assert info.value.key == "train.error.units"


# ---------------------------------------------------------------- limits and messages


def refusal(make) -> TrainError:
    with pytest.raises(TrainError) as info:
        make()
    return info.value


LIMITS = [
    (lambda: Architecture((8,) * 5, ("tanh",) * 5), "layers", {"layers": 5, "max": 4}),
    (lambda: Architecture((), ()), "layers", {"layers": 0, "max": 4}),
    (lambda: Architecture((4, 9), ("tanh",) * 2), "units", {"layer": 2, "units": 9, "max": 8}),
    (lambda: Architecture((0,), ("tanh",)), "units", {"layer": 1, "units": 0, "max": 8}),
    (lambda: Architecture((2.5,), ("tanh",)), "units", {"layer": 1, "units": 2.5, "max": 8}),
    (
        lambda: Architecture((2, 2), ("tanh",)),
        "activation_count",
        {"activations": 1, "layers": 2},
    ),
    (
        lambda: Architecture((2,), ("swish9",)),
        "activation",
        {"layer": 1, "activation": "swish9"},
    ),
    (
        lambda: Architecture((2,), ("elu",), ({"alpha": 5.0},)),
        "act_param",
        {"layer": 1, "activation": "elu", "name": "alpha", "value": 5.0},
    ),
    (
        lambda: Architecture((2,), ("tanh",), ({"alpha": 1.0},)),
        "act_param",
        {"layer": 1, "activation": "tanh", "name": "alpha", "value": 1.0},
    ),
    (lambda: TrainConfig("rmsprop"), "optimizer", {"optimizer": "rmsprop"}),
    (lambda: TrainConfig(learning_rate=0.0), "learning_rate", {"value": 0.0, "lo": 0, "hi": 100}),
    (lambda: TrainConfig(learning_rate=101), "learning_rate", {"value": 101, "lo": 0, "hi": 100}),
    (lambda: TrainConfig(momentum=1.0), "momentum", {"name": "momentum", "value": 1.0}),
    (lambda: TrainConfig(eps=0.0), "eps", {"value": 0.0}),
    (lambda: TrainConfig(batch_size=-1), "batch", {"value": -1, "max": MAX_POINTS}),
    (
        lambda: init_parameters(Architecture((2,), ("tanh",)), -1),
        "seed",
        {"max": 2**31 - 1},
    ),
    (
        lambda: init_parameters(Architecture((2,), ("tanh",)), 1, (2.0, 2.0)),
        "interval",
        {"lo": 2.0, "hi": 2.0},
    ),
    (
        lambda: run(init_state(TINY), TINY_X, TINY_T, MAX_STEPS_PER_CALL + 1, 1.0),
        "steps",
        {"value": MAX_STEPS_PER_CALL + 1, "max": MAX_STEPS_PER_CALL},
    ),
    (
        lambda: run(init_state(TINY), TINY_X, TINY_T, 1, 60.0),
        "time_budget",
        {"value": 60.0, "max": MAX_TIME_BUDGET},
    ),
    (
        lambda: run(init_state(TINY), TINY_X, TINY_T[:1], 1, 1.0),
        "data_shape",
        {"points": 2, "targets": 1},
    ),
    (
        lambda: run(init_state(TINY), np.zeros(MAX_POINTS + 1), np.zeros(MAX_POINTS + 1), 1, 1.0),
        "data_size",
        {"points": MAX_POINTS + 1, "max": MAX_POINTS},
    ),
    (lambda: run(init_state(TINY), [0.0, np.nan], [0.0, 1.0], 1, 1.0), "data_nonfinite", {}),
]


@pytest.mark.parametrize(("make", "key", "fields"), LIMITS)
def test_refusals_name_their_message_and_fields(make, key, fields) -> None:
    error = refusal(make)
    assert error.key == f"train.error.{key}"
    assert error.fields == fields
    for lang in ("en", "ru"):
        assert error.key in i18n.strings(lang)
        text = error_text(lang, error)
        assert "{" not in text and text.strip()


def test_limits_are_the_issues() -> None:
    assert (MAX_LAYERS, MAX_UNITS) == (4, 8)
    Architecture((8,) * 4, ("tanh",) * 4)  # the largest allowed
    Architecture((1,), ("relu",))  # the smallest


def test_messages_in_both_languages() -> None:
    error = refusal(lambda: Architecture((4, 9), ("tanh",) * 2))
    assert error_text("en", error) == "Hidden layer 2 asks for 9 units; a layer holds 1 to 8."
    assert "9" in error_text("ru", error) and "слое" in error_text("ru", error)
    error = refusal(lambda: Architecture((2,), ("leaky_relu",), ({"slope": 0.75},)))
    assert "Leaky ReLU" in error_text("en", error)
    assert "0,75" in error_text("ru", error)
    error = refusal(lambda: TrainConfig(momentum=1.5))
    assert error_text("en", error).startswith("The momentum")
    assert error_text("ru", error).startswith("Момент")
    for reason in ("steps", "time", "nonfinite", "exploded"):
        for lang in ("en", "ru"):
            assert i18n.t(lang, f"train.stop.{reason}", step=3, factor=1000)
    assert stop_text("en", init_state(TINY)) == ""
