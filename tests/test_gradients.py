"""The analytic Jacobian and MSE gradient against central finite differences; the parameter
flattening order against the sections' parameter names; Score against hand computations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model import Dense, Network, get_activation
from dashboard.model.gradients import (
    Score,
    jacobian,
    mse_gradient,
    n_parameters,
    parameter_vector,
    score,
    with_parameters,
)
from dashboard.sections import APPROX_SPECS, ApproxSpec

SMOOTH = ("sigmoid", "tanh", "elu", "linear")
KINKED = ("relu", "leaky_relu")
H = 1e-6  # central-difference step


def flat_names(spec: ApproxSpec) -> list[str]:
    """The spec's parameter names in the order parameter_vector flattens a network."""
    names: list[str] = []
    for weight_names, bias_names in spec.layers:
        names += [n for row in weight_names for n in row]
        names += list(bias_names)
    return names


def pre_activations(net: Network, x: np.ndarray) -> list[np.ndarray]:
    """Every hidden layer's z = a @ W + b, shape (n, units)."""
    a = x.reshape(-1, 1)
    zs = []
    for layer in net.layers[:-1]:
        z = layer(a)
        zs.append(z)
        a = net.activation(z, **net.params)
    return zs


def kink_free(net: Network, x: np.ndarray, margin: float) -> np.ndarray:
    """Mask of the points where no hidden unit's pre-activation is within ``margin`` of 0."""
    keep = np.ones(x.shape, dtype=bool)
    for z in pre_activations(net, x):
        keep &= np.min(np.abs(z), axis=1) > margin
    return keep


def fd_jacobian(net: Network, x: np.ndarray) -> np.ndarray:
    theta = parameter_vector(net)
    cols = []
    for k in range(theta.size):
        step = np.zeros_like(theta)
        step[k] = H
        plus = with_parameters(net, theta + step)(x)
        minus = with_parameters(net, theta - step)(x)
        cols.append((plus - minus) / (2 * H))
    return np.stack(cols, axis=1)


def assert_jacobian_matches(net: Network, x: np.ndarray, rtol: float = 1e-5) -> None:
    output, jac = jacobian(net, x)
    np.testing.assert_array_equal(output, net(x))
    assert jac.shape == (x.size, n_parameters(net))
    fd = fd_jacobian(net, x)
    # Finite differences lose about eps * |output| / H in absolute terms.
    atol = 1e-7 * max(1.0, float(np.max(np.abs(output))))
    np.testing.assert_allclose(jac, fd, rtol=rtol, atol=atol)


def random_network(
    widths: list[int], key: str, rng: np.random.Generator, scale: float = 1.5
) -> Network:
    sizes = [1, *widths, 1]
    layers = tuple(
        Dense(rng.uniform(-scale, scale, (n_in, n_out)), rng.uniform(-scale, scale, n_out))
        for n_in, n_out in itertools.pairwise(sizes)
    )
    return Network(layers, get_activation(key))


# ---------------------------------------------------------------- flattening


@pytest.mark.parametrize("spec", APPROX_SPECS, ids=lambda s: s.key)
def test_parameter_order_follows_spec_layers(spec: ApproxSpec) -> None:
    rng = np.random.default_rng(7)
    values = {n: float(rng.uniform(-5, 5)) for n in spec.names}
    net = spec.network(values, get_activation("tanh"))
    theta = parameter_vector(net)
    np.testing.assert_array_equal(theta, [values[n] for n in flat_names(spec)])
    assert n_parameters(net) == len(spec.names)


def test_two_layer_net_has_22_parameters() -> None:
    spec = next(s for s in APPROX_SPECS if s.key == "deep")
    assert n_parameters(spec.network(spec.defaults, get_activation("relu"))) == 22


def test_with_parameters_round_trip_keeps_activation_and_params() -> None:
    rng = np.random.default_rng(3)
    base = random_network([3, 2], "elu", rng)
    net = Network(base.layers, base.activation, {"alpha": 0.5})
    theta = rng.normal(size=n_parameters(net))
    new = with_parameters(net, theta)
    np.testing.assert_array_equal(parameter_vector(new), theta)
    assert new.activation is net.activation
    assert dict(new.params) == {"alpha": 0.5}
    assert new.widths == net.widths
    # The copy owns its arrays: changing theta afterwards changes nothing.
    theta[:] = 0.0
    assert np.any(parameter_vector(new) != 0.0)
    with pytest.raises(ValueError, match="expected 17 parameters"):
        with_parameters(net, np.zeros(14))


def test_parameter_vector_is_a_copy() -> None:
    net = random_network([2], "tanh", np.random.default_rng(0))
    theta = parameter_vector(net)
    theta[:] = 99.0
    assert np.all(parameter_vector(net) != 99.0)


# ---------------------------------------------------------------- Jacobian


def test_jacobian_of_one_neuron_by_hand() -> None:
    # output = w2 * tanh(w1 x + b1) + b2, so the columns are
    # [w2 x (1 - t^2), w2 (1 - t^2), t, 1] with t = tanh(w1 x + b1).
    w1, b1, w2, b2 = 0.7, -0.2, 1.9, 0.4
    net = Network((Dense([[w1]], [b1]), Dense([[w2]], [b2])), get_activation("tanh"))
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    t = np.tanh(w1 * x + b1)
    expected = np.stack([w2 * x * (1 - t**2), w2 * (1 - t**2), t, np.ones_like(x)], axis=1)
    output, jac = jacobian(net, x)
    np.testing.assert_allclose(output, w2 * t + b2, rtol=1e-14)
    np.testing.assert_allclose(jac, expected, rtol=1e-14, atol=1e-15)


def test_jacobian_uses_activation_params() -> None:
    # ELU with alpha = 3: for a negative pre-activation the slope is 3 e^z.
    net = Network(
        (Dense([[1.0]], [0.0]), Dense([[1.0]], [0.0])), get_activation("elu"), {"alpha": 3.0}
    )
    _, jac = jacobian(net, np.array([-1.0]))
    assert jac[0, 0] == pytest.approx(-3.0 * math.exp(-1.0))
    assert jac[0, 1] == pytest.approx(3.0 * math.exp(-1.0))
    assert jac[0, 2] == pytest.approx(3.0 * math.expm1(-1.0))


@settings(max_examples=40, deadline=None)
@given(
    widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    key=st.sampled_from(SMOOTH),
    seed=st.integers(0, 2**32 - 1),
)
def test_jacobian_matches_finite_differences_smooth(widths: list[int], key: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    net = random_network(widths, key, rng)
    x = rng.uniform(-3.0, 3.0, 25)
    assert_jacobian_matches(net, x)


@settings(max_examples=40, deadline=None)
@given(
    widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    key=st.sampled_from(KINKED),
    seed=st.integers(0, 2**32 - 1),
)
def test_jacobian_matches_finite_differences_away_from_kinks(
    widths: list[int], key: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    net = random_network(widths, key, rng)
    x = rng.uniform(-3.0, 3.0, 40)
    # A step of 1e-6 in any parameter moves a pre-activation by far less than 1e-3 here.
    x = x[kink_free(net, x, 1e-3)]
    assert_jacobian_matches(net, x)


@pytest.mark.parametrize("key", SMOOTH + KINKED)
@pytest.mark.parametrize("spec", APPROX_SPECS, ids=lambda s: s.key)
def test_jacobian_of_section_networks_at_defaults(spec: ApproxSpec, key: str) -> None:
    net = spec.network(spec.defaults, get_activation(key))
    x = spec.grid.points()
    if key in KINKED:
        x = x[kink_free(net, x, 1e-3)]
        assert x.size > 900
    assert_jacobian_matches(net, x)


@pytest.mark.parametrize("key", SMOOTH + KINKED)
@pytest.mark.parametrize("spec", APPROX_SPECS, ids=lambda s: s.key)
def test_jacobian_of_section_networks_at_random_slider_values(spec: ApproxSpec, key: str) -> None:
    rng = np.random.default_rng(11)
    values = {p.name: float(rng.uniform(p.lo, p.hi)) for p in spec.params}
    net = spec.network(values, get_activation(key))
    x = spec.grid.points()
    if key in KINKED:
        x = x[kink_free(net, x, 1e-2)]
    assert_jacobian_matches(net, x, rtol=1e-4)


def test_jacobian_shapes_for_one_and_no_points() -> None:
    net = random_network([3, 2], "sigmoid", np.random.default_rng(1))
    out, jac = jacobian(net, np.array([0.3]))
    assert out.shape == (1,) and jac.shape == (1, n_parameters(net))
    out, jac = jacobian(net, np.array([]))
    assert out.shape == (0,) and jac.shape == (0, n_parameters(net))


def test_jacobian_stays_finite_for_huge_inputs() -> None:
    net = random_network([3, 3], "sigmoid", np.random.default_rng(2))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        _, jac = jacobian(net, np.array([-1e6, 1e6]))
    assert np.all(np.isfinite(jac))


# ---------------------------------------------------------------- score and MSE gradient


def test_score_by_hand() -> None:
    # errors 0, 2, -4: RMSE = sqrt((0 + 4 + 16) / 3), largest |error| = 4.
    s = score([1.0, 2.0, 3.0], [1.0, 0.0, 7.0])
    assert s == Score(pytest.approx(math.sqrt(20.0 / 3.0)), 4.0)
    assert score([2.5], [2.5]) == Score(0.0, 0.0)
    # errors -1, 1, -1, 1: RMSE 1, max 1.
    assert score([0.0, 2.0, 2.0, 4.0], [1.0, 1.0, 3.0, 3.0]) == Score(1.0, 1.0)
    with pytest.raises(ValueError):
        score([], [])


@pytest.mark.parametrize("key", SMOOTH)
@pytest.mark.parametrize("spec", APPROX_SPECS, ids=lambda s: s.key)
def test_mse_gradient_matches_finite_differences(spec: ApproxSpec, key: str) -> None:
    net = spec.network(spec.defaults, get_activation(key))
    x = spec.grid.points()
    target = spec.target_values(x)
    mse, grad = mse_gradient(net, x, target)
    assert mse == pytest.approx(score(net(x), target).rmse ** 2, rel=1e-12)
    theta = parameter_vector(net)
    fd = np.empty_like(theta)
    for k in range(theta.size):
        step = np.zeros_like(theta)
        step[k] = H
        up = score(with_parameters(net, theta + step)(x), target).rmse ** 2
        down = score(with_parameters(net, theta - step)(x), target).rmse ** 2
        fd[k] = (up - down) / (2 * H)
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)


@settings(max_examples=25, deadline=None)
@given(
    widths=st.lists(st.integers(1, 4), min_size=1, max_size=2),
    key=st.sampled_from(SMOOTH),
    seed=st.integers(0, 2**32 - 1),
)
def test_mse_gradient_random_networks(widths: list[int], key: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    net = random_network(widths, key, rng)
    x = np.linspace(-2.0, 2.0, 30)
    target = np.sin(x)
    _, grad = mse_gradient(net, x, target)
    _, jac = jacobian(net, x)
    err = net(x) - target
    np.testing.assert_allclose(grad, 2.0 * err @ jac / x.size, rtol=1e-12)


def test_mse_gradient_is_zero_for_a_perfect_fit() -> None:
    net = random_network([2], "tanh", np.random.default_rng(5))
    x = np.linspace(-1.0, 1.0, 10)
    mse, grad = mse_gradient(net, x, net(x))
    assert mse == 0.0
    np.testing.assert_array_equal(grad, np.zeros(n_parameters(net)))


@settings(max_examples=40, deadline=None)
@given(
    widths=st.lists(st.integers(1, 8), min_size=1, max_size=4),
    key=st.sampled_from(SMOOTH + KINKED),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_gradient_passes_run_the_forward_pass(widths: list[int], key: str, seed: int) -> None:
    """The pass the Jacobian and the MSE gradient start from is ``net.forward`` to the last bit;
    the output also equals the sum of its pieces."""
    rng = np.random.default_rng(seed)
    net = random_network(widths, key, rng)
    x = rng.uniform(-4.0, 4.0, 60)
    target = np.sin(x)
    plain = net.forward(x)
    output, _ = jacobian(net, x)
    np.testing.assert_array_equal(output, plain.output)
    err = plain.output - target
    assert mse_gradient(net, x, target)[0] == float(err @ err) / x.size
    # A second formula for the output: the last hidden layer times the output weights.
    out = net.layers[-1]
    np.testing.assert_allclose(
        plain.output, plain.hidden[-1] @ out.weights[:, 0] + out.bias[0], rtol=1e-12, atol=1e-12
    )
    s = score(plain.output, target)
    assert s.rmse == pytest.approx(math.sqrt(np.mean((plain.output - target) ** 2)), rel=1e-12)
    assert s.max_error == pytest.approx(np.max(np.abs(plain.output - target)), rel=1e-15)
