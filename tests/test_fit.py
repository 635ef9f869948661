"""Least-squares fits: the spec's figures from the shipped presets, the guarantees of ``fit``
(never worse, finite, bounded) and its handling of odd inputs."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from dashboard.model import fit as fit_module
from dashboard.model import get_activation
from dashboard.model.fit import DEFAULT_MAX_NFEV, FitResult, fit
from dashboard.model.gradients import parameter_vector, score
from dashboard.presets import shipped
from dashboard.sections import APPROX_SPECS, THREE_NEURONS, TWO_LAYERS, TWO_NEURONS

X = np.linspace(-10.0, 10.0, 1000)
SQUARE = X**2
PRESETS = {p.activation: p.values for p in shipped("square2.csv", TWO_NEURONS.names)}

# (RMSE of the preset against x² on [-10, 10] as the spec measures it, bound after the fit).
# With the default budget of 400 evaluations the fits measured 0.00095 (Sigmoid), 0.0011
# (TanH) and 0.037 (ELU), all still improving when the budget runs out, and 3.3194 for both
# ReLU types, which converge to that minimum in about 25 evaluations.
EXPECTED = {
    "sigmoid": (4.61, lambda r: r < 0.01),
    "tanh": (39.8, lambda r: r < 0.01),
    "elu": (25.9, lambda r: r < 0.05),
    "relu": (32.0, lambda r: abs(r - 3.3) < 0.3),
    "leaky_relu": (30.5, lambda r: abs(r - 3.3) < 0.3),
}


@pytest.fixture(scope="module")
def preset_fits() -> dict[str, FitResult]:
    """One fit per preset with the default budget and no time limit (deterministic)."""
    return {
        key: fit(TWO_NEURONS.network(values, get_activation(key)), X, SQUARE, time_limit=None)
        for key, values in PRESETS.items()
    }


def test_every_preset_is_fitted() -> None:
    assert set(PRESETS) == set(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_fit_from_preset_reaches_spec_rmse(preset_fits: dict[str, FitResult], key: str) -> None:
    before, good_enough = EXPECTED[key]
    r = preset_fits[key]
    assert r.rmse_before == pytest.approx(before, abs=0.05)
    assert good_enough(r.rmse_after), r
    assert r.success, r.message
    assert 1 <= r.nfev <= DEFAULT_MAX_NFEV
    # The reported RMSE is the returned network's.
    assert r.rmse_after == pytest.approx(score(r.network(X), SQUARE).rmse, rel=1e-9)
    assert np.all(np.isfinite(parameter_vector(r.network)))
    assert r.network.activation.key == key


def test_piecewise_linear_fits_converge_to_the_same_minimum(
    preset_fits: dict[str, FitResult],
) -> None:
    # Neither runs out of budget: both stop at a minimum, RMSE 3.3194.
    for key in ("relu", "leaky_relu"):
        r = preset_fits[key]
        assert r.nfev < 100 and r.message.startswith("converged"), r
        assert r.rmse_after == pytest.approx(3.3194, abs=1e-3)


def test_elu_reaches_the_spec_figure_with_a_larger_budget() -> None:
    net = TWO_NEURONS.network(PRESETS["elu"], get_activation("elu"))
    r = fit(net, X, SQUARE, max_nfev=1000, time_limit=None)
    assert r.nfev <= 1000
    assert r.rmse_after < 0.025


@pytest.mark.parametrize("key", ["sigmoid", "tanh", "relu", "elu", "leaky_relu", "linear"])
def test_two_layer_net_fit_from_defaults_stays_within_budget(key: str) -> None:
    net = TWO_LAYERS.network(TWO_LAYERS.defaults, get_activation(key))
    x = TWO_LAYERS.grid.points()
    r = fit(net, x, TWO_LAYERS.target_values(x))
    assert r.nfev <= DEFAULT_MAX_NFEV
    assert r.success
    assert r.rmse_after <= r.rmse_before


@pytest.mark.parametrize("spec", APPROX_SPECS, ids=lambda s: s.key)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_never_makes_rmse_worse(spec, seed: int) -> None:
    rng = np.random.default_rng(seed)
    key = ("sigmoid", "relu", "elu")[seed]
    values = {p.name: float(rng.uniform(p.lo, p.hi)) for p in spec.params}
    net = spec.network(values, get_activation(key))
    x = spec.grid.points()
    target = spec.target_values(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = fit(net, x, target, max_nfev=60, time_limit=None)
    assert r.rmse_before == pytest.approx(score(net(x), target).rmse, rel=1e-12)
    assert r.rmse_after <= r.rmse_before
    assert r.rmse_after == pytest.approx(score(r.network(x), target).rmse, rel=1e-9)
    assert r.nfev <= 60


def test_sin3_defaults_fit() -> None:
    x = THREE_NEURONS.grid.points()
    net = THREE_NEURONS.network(THREE_NEURONS.defaults, get_activation("tanh"))
    r = fit(net, x, np.sin(x), time_limit=None)
    assert r.rmse_before == pytest.approx(2.467, abs=1e-3)
    assert r.rmse_after < 0.55


def test_fit_keeps_activation_parameters() -> None:
    net = TWO_NEURONS.network(PRESETS["elu"], get_activation("elu"))
    net = type(net)(net.layers, net.activation, {"alpha": 0.5})
    r = fit(net, X, SQUARE, max_nfev=20, time_limit=None)
    assert dict(r.network.params) == {"alpha": 0.5}
    assert r.rmse_after == pytest.approx(score(r.network(X), SQUARE).rmse, rel=1e-9)


def test_time_limit_stops_the_fit_and_returns_the_start() -> None:
    net = TWO_NEURONS.network(PRESETS["sigmoid"], get_activation("sigmoid"))
    r = fit(net, X, SQUARE, time_limit=0.0)
    assert r.success
    assert "time limit" in r.message
    assert r.rmse_after == pytest.approx(r.rmse_before, rel=1e-12)
    np.testing.assert_array_equal(parameter_vector(r.network), parameter_vector(net))


def test_non_finite_optimizer_result_returns_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fun, x0, **kwargs):
        fun(x0)
        return SimpleNamespace(x=np.full_like(x0, np.nan), status=1, message="done")

    monkeypatch.setattr(fit_module, "least_squares", broken)
    net = TWO_NEURONS.network(PRESETS["tanh"], get_activation("tanh"))
    r = fit(net, X, SQUARE)
    assert not r.success
    assert "non-finite" in r.message
    assert r.network is net
    assert r.rmse_after == pytest.approx(r.rmse_before, rel=1e-12)


def test_non_finite_trial_points_are_never_returned() -> None:
    # Residuals at a non-finite point are huge, never "best"; the start stays the fallback.
    net = TWO_NEURONS.network(PRESETS["tanh"], get_activation("tanh"))
    problem = fit_module._Problem(net, X, SQUARE, None)
    theta = parameter_vector(net)
    theta[0] = np.inf
    res = problem.residuals(theta)
    assert np.all(np.isfinite(res)) and problem.best_theta is None


def test_perfect_start_is_left_alone() -> None:
    net = TWO_NEURONS.network(PRESETS["sigmoid"], get_activation("sigmoid"))
    r = fit(net, X, net(X))
    assert r.success and r.rmse_before == 0.0 and r.rmse_after == 0.0 and r.nfev == 0
    assert r.network is net


def test_fewer_points_than_parameters_falls_back_to_trf() -> None:
    net = TWO_LAYERS.network(TWO_LAYERS.defaults, get_activation("tanh"))
    x = np.linspace(-1.0, 1.0, 5)
    r = fit(net, x, x**2, method="lm", max_nfev=50, time_limit=None)
    assert r.success and r.rmse_after <= r.rmse_before


def test_auto_hands_a_stalled_lm_run_to_trf(monkeypatch: pytest.MonkeyPatch) -> None:
    # LM can stop where it started, e.g. from the symmetric all-ones defaults with Leaky ReLU
    # (RMSE 35.15): there the Jacobian's symmetric columns leave it no direction. Whether it
    # does depends on rounding in the last bits, so the stalled run is made certain here: LM
    # evaluates the start once and reports convergence, and the real trust-region method must
    # then continue. How far it gets from this symmetric start depends on rounding too (0.54
    # and 24.2 were seen with two layouts of the same numbers), so the test asks for progress.
    real = fit_module.least_squares
    methods: list[str] = []

    def stalling_lm(fun: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, **kwargs: Any) -> Any:
        methods.append(kwargs["method"])
        if kwargs["method"] == "lm":
            fun(x0)
            return SimpleNamespace(x=np.array(x0), status=2, message="no progress")
        return real(fun, x0, **kwargs)

    monkeypatch.setattr(fit_module, "least_squares", stalling_lm)
    net = TWO_LAYERS.network(TWO_LAYERS.defaults, get_activation("leaky_relu"))
    x = TWO_LAYERS.grid.points()
    auto = fit(net, x, x**2, time_limit=None)
    assert methods == ["lm", "trf"]
    assert "LM stalled, trust-region continued" in auto.message
    assert auto.rmse_before == pytest.approx(35.15, abs=0.01)
    assert auto.rmse_after < 0.9 * auto.rmse_before
    assert auto.nfev <= DEFAULT_MAX_NFEV


def test_lm_method_is_available() -> None:
    net = TWO_NEURONS.network(PRESETS["relu"], get_activation("relu"))
    r = fit(net, X, SQUARE, method="lm", time_limit=None)
    assert r.rmse_after == pytest.approx(3.3194, abs=1e-3)


@pytest.mark.parametrize(
    ("x", "target", "kwargs", "match"),
    [
        (np.array([]), np.array([]), {}, "empty"),
        (X, X[:10], {}, "10 values for 1000 points"),
        (X, np.where(X > 0, np.nan, 0.0), {}, "finite"),
        (X, SQUARE, {"max_nfev": 0}, "max_nfev"),
        (X, SQUARE, {"method": "bfgs"}, "unknown method"),
    ],
)
def test_bad_input_is_rejected(x, target, kwargs, match: str) -> None:
    net = TWO_NEURONS.network(PRESETS["tanh"], get_activation("tanh"))
    with pytest.raises(ValueError, match=match):
        fit(net, x, target, **kwargs)


def test_model_package_imports_no_dash_plotly_or_pandas() -> None:
    code = (
        "import sys, dashboard.model, dashboard.model.fit, dashboard.model.formula, "
        "dashboard.model.gradients; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dash', 'plotly', 'pandas'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
