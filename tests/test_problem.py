"""Issue 4, items 6-8: the target and interval of an approximation tab, and the decomposition.

Every number is checked against NumPy written out here from the spec: the fixed targets, the
three networks (A_j = A(x·w_j + b_j), output = Σ A_j·w_j + bias), the grids
(``np.linspace(a, b, 1000)``, and ``np.linspace(a − w/2, b + w/2, 2000)`` with the view beyond
the interval), the RMSE on the interval only, and the 1 %-of-span goal. What the app sends is
decoded here from its base64 typed arrays. A Patch, the quick way of answering, is
checked against the whole figure, as in tests/test_updates.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from dash import Patch, no_update
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.i18n import shown, t
from dashboard.problem import TARGET_KEYS, Problem, ProblemError, build
from dashboard.sections import SPECS_BY_KEY, ApproxSpec
from dashboard.views import approx
from dashboard.views.coach import run_fit
from tests.support.dash import (
    apply_patch,
    components,
    decode,
    dom_id,
    find_dependency,
    is_patch_json,
    matches,
    parse_id,
    request_body,
    request_outputs,
    status_text,
    through_browser,
)
from tests.support.formulas import relu, sigmoid, tanh
from tests.support.shown import read_shown

TABS = ("square2", "sin3", "deep")
UPDATE = "/_dash-update-component"
Figure = dict[str, Any]
Controls = tuple[Any, Any, Any, Any, Any, Any]  # target, formula, a, b, beyond, stack
ON: list[str] = ["on"]  # a ticked checklist, as the browser sends it
OFF: list[str] = []

# --- The spec, written out independently of dashboard.model -------------------------------------

TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "square": lambda x: x * x,
    "sin": np.sin,
    "abs": lambda x: np.where(x < 0, -x, x),
    "cube": lambda x: x * x * x,
    "step": lambda x: np.where(x > 0, 1.0, 0.0),
    "bump": lambda x: np.exp(-x * x),
}


ACT = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu}

# Parameter names in the order of the page (and of the gradient hints).
ORDER = {
    "square2": ("w1", "b1", "w2", "b2", "w3", "w4", "b3"),
    "sin3": ("w1", "w2", "w3", "b1", "b2", "b3", "w4", "w5", "w6", "b4"),
    "deep": (
        *("w11", "w12", "w13", "b11", "b12", "b13"),
        *(f"w2{i}" for i in range(1, 10)),
        *("b21", "b22", "b23", "w31", "w32", "w33", "b3"),
    ),
}


def last_layer(
    tab: str, x: np.ndarray, act: Callable, p: Mapping[str, float]
) -> tuple[list[np.ndarray], list[float], float]:
    """The last hidden layer's activations A_j, their output weights w_j and the output bias."""
    if tab == "square2":
        a = [act(x * p["w1"] + p["b1"]), act(x * p["w2"] + p["b2"])]
        return a, [p["w3"], p["w4"]], p["b3"]
    if tab == "sin3":
        a = [act(x * p[f"w{j}"] + p[f"b{j}"]) for j in (1, 2, 3)]
        return a, [p["w4"], p["w5"], p["w6"]], p["b4"]
    a1 = [act(x * p[f"w1{j}"] + p[f"b1{j}"]) for j in (1, 2, 3)]
    a2 = [
        act(sum(a1[i] * p[f"w2{3 * j + i + 1}"] for i in range(3)) + p[f"b2{j + 1}"])
        for j in range(3)
    ]
    return a2, [p["w31"], p["w32"], p["w33"]], p["b3"]


def network(tab: str, x: np.ndarray, act: Callable, p: Mapping[str, float]) -> np.ndarray:
    a, w, bias = last_layer(tab, x, act, p)
    return sum(aj * wj for aj, wj in zip(a, w, strict=True)) + bias


def rmse(y: np.ndarray, target: np.ndarray) -> float:
    return float(np.sqrt(np.mean((y - target) ** 2)))


def mark(text: str, i: int) -> str:
    return text[:i] + "⟦" + text[i : i + 1] + "⟧" + text[i + 1 :]


# --- Helpers -----------------------------------------------------------------------------------


def wire(value: Any) -> Any:
    """A figure or Patch as the browser receives it: serialised and parsed."""
    if isinstance(value, Patch):
        value = value.to_plotly_json()
    return json.loads(json.dumps(value))


def controls_of(
    target: str = "square",
    formula: str = "",
    a: Any = -10.0,
    b: Any = 10.0,
    beyond: bool = False,
    stack: bool = False,
) -> Controls:
    return (target, formula, a, b, ON if beyond else OFF, ON if stack else OFF)


def run(
    tab: str,
    values: Mapping[str, Any],
    controls: Sequence[Any] | None,
    activation: Any = "sigmoid",
    lang: Any = "en",
    drawn: Any = None,
) -> tuple[Any, ...]:
    """The tab's figure update, as its Dash callback calls it."""
    names = ORDER[tab]
    return approx.update_all(
        SPECS_BY_KEY[tab], names, [values[n] for n in names], activation, lang, drawn, controls
    )


def full(
    tab: str, values: Mapping[str, Any], controls: Sequence[Any], activation: str = "sigmoid"
) -> Figure:
    fig, message, *_ = run(tab, values, controls, activation)
    assert message == "" and isinstance(fig, dict), message
    return wire(fig)


def traces(fig: Figure) -> dict[str, dict[str, Any]]:
    return {tr["uid"]: tr for tr in fig["data"]}


def ys(fig: Figure) -> dict[str, np.ndarray]:
    return {tr["uid"]: decode(tr["y"]).astype(float) for tr in fig["data"]}


def assert_close32(actual: np.ndarray, expected: np.ndarray, what: str, scale: float = 0) -> None:
    """Equal within float32 rounding (y travels as float32), NaN where NaN is expected."""
    assert actual.shape == expected.shape, what
    scale = max(scale, 1.0, float(np.nanmax(np.abs(expected))))
    np.testing.assert_allclose(actual, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def assert_sig(text: str, expected: float, digits: int, what: str) -> None:
    """``text`` is ``expected`` to ``digits`` significant digits."""
    half_unit = 0.5 * 10 ** (math.floor(math.log10(abs(expected))) - digits + 1)
    assert abs(read_shown(text, "en") - expected) <= half_unit * (1 + 1e-6), (
        f"{what}: {text} vs {expected}"
    )


def defaults(tab: str) -> dict[str, float]:
    return dict(SPECS_BY_KEY[tab].defaults)


def random_values(tab: str, rng: np.random.Generator) -> dict[str, float]:
    spec = SPECS_BY_KEY[tab]
    return {p.name: float(rng.uniform(p.lo, p.hi)) for p in spec.params}


# --- 1. build(): what the controls may hold ----------------------------------------------------

SPEC = SPECS_BY_KEY["sin3"]


@pytest.mark.parametrize(
    ("controls", "expected"),
    [
        (("sin", "", -10, 10, [], []), Problem("sin", "", -10.0, 10.0, False, False)),
        (("square", "ignored", -1000, 1000, ON, ON), Problem("square", "", -1e3, 1e3, True, True)),
        (("abs", None, " -2.5", "3", [], None), Problem("abs", "", -2.5, 3.0, False, False)),
        (("cube", "", -2, 3.5, ON, []), Problem("cube", "", -2.0, 3.5, True, False)),
        (("step", "", -1, 1e-9, [], ON), Problem("step", "", -1.0, 1e-9, False, True)),
        (("bump", "", 0, 0.5, None, None), Problem("bump", "", 0.0, 0.5, False, False)),
        (
            ("formula", "  sin(x) + x^2/20 ", -3, 3, [], []),
            Problem("formula", "sin(x) + x^2/20", -3.0, 3.0, False, False),
        ),
        (("formula", "log(x)", 1, 10, [], []), Problem("formula", "log(x)", 1.0, 10.0)),
        (("formula", "sqrt(x)", 0, 4, [], []), Problem("formula", "sqrt(x)", 0.0, 4.0)),
        (("formula", "1/x", -1, 1, [], []), Problem("formula", "1/x", -1.0, 1.0)),  # 0 not on grid
        (("formula", "2x", -1000, 999.5, ON, []), Problem("formula", "2x", -1e3, 999.5, True)),
    ],
)
def test_build_accepts(controls: Controls, expected: Problem) -> None:
    assert build(SPEC, *controls) == expected


def test_build_with_no_controls_is_the_tabs_own_problem() -> None:
    for spec in SPECS_BY_KEY.values():
        own = build(spec, None, None, None, None, None)
        assert own == Problem.default(spec)
        assert (own.target, own.lo, own.hi) == (spec.target, -10.0, 10.0)
        assert (own.beyond, own.stack) == (False, False)


REJECTED: list[tuple[Controls, str, dict[str, Any]]] = [
    # a ≥ b
    (("sin", "", 5, 5, [], []), "target.empty_interval", {}),
    (("sin", "", 3, -3, [], []), "target.empty_interval", {}),
    (("sin", "", "2", 1.5, ON, ON), "target.empty_interval", {}),
    # not numbers
    (("sin", "", None, 5, [], []), "target.not_number", {"name": "a"}),
    (("sin", "", "", 5, [], []), "target.not_number", {"name": "a"}),
    (("sin", "", "abc", 5, [], []), "target.not_number", {"name": "a"}),
    (("sin", "", True, 5, [], []), "target.not_number", {"name": "a"}),
    (("sin", "", [1], 5, [], []), "target.not_number", {"name": "a"}),
    (("sin", "", -5, None, [], []), "target.not_number", {"name": "b"}),
    (("sin", "", -5, {"v": 1}, [], []), "target.not_number", {"name": "b"}),
    (("sin", "", -5, "1,5", [], []), "target.not_number", {"name": "b"}),
    # beyond ±1000
    (("sin", "", -1000.5, 5, [], []), "target.out_of_range", {"name": "a", "limit": 1000.0}),
    (("sin", "", "-2000", 5, [], []), "target.out_of_range", {"name": "a", "limit": 1000.0}),
    (("sin", "", -5, 1001, [], []), "target.out_of_range", {"name": "b", "limit": 1000.0}),
    (("sin", "", -5, 1e300, [], []), "target.out_of_range", {"name": "b", "limit": 1000.0}),
    (("sin", "", -math.inf, 5, [], []), "target.out_of_range", {"name": "a", "limit": 1000.0}),
    # unknown targets
    (("Sin", "", -5, 5, [], []), "target.unknown", {}),
    (("", "", -5, 5, [], []), "target.unknown", {}),
    (("x^2", "", -5, 5, [], []), "target.unknown", {}),
    ((None, "x", -5, 5, [], []), "target.unknown", {}),
    ((3, "", -5, 5, [], []), "target.unknown", {}),
    # formulas that do not parse: the message marks the character at fault, counted from 1
    (("formula", "", -5, 5, [], []), "target.empty_formula", {}),
    (("formula", None, -5, 5, [], []), "target.empty_formula", {}),
    (("formula", "   ", -5, 5, [], []), "target.empty_formula", {}),
    (("formula", "sin(", -5, 5, [], []), "target.unfinished_formula", {"after": 4}),
    (("formula", "x**", -5, 5, [], []), "target.unfinished_formula", {"after": 3}),
    (("formula", "(x ", -5, 5, [], []), "target.unfinished_formula", {"after": 2}),
    (("formula", "2 x", -5, 5, [], []), "target.bad_formula", {"position": 3}),
    (("formula", "x + y", -5, 5, [], []), "target.bad_formula", {"position": 5}),
    (("formula", "  x + y", -5, 5, [], []), "target.bad_formula", {"position": 7}),
    (("formula", "sin x", -5, 5, [], []), "target.bad_formula", {"position": 5}),
    (("formula", "x)", -5, 5, [], []), "target.bad_formula", {"position": 2}),
    (("formula", "__import__('os')", -5, 5, [], []), "target.bad_formula", {"position": 1}),
    (("formula", "x; 1", -5, 5, [], []), "target.bad_formula", {"position": 2}),
    (("formula", "x" * 201, -5, 5, [], []), "target.bad_formula", {"position": 201}),
    # formulas without a finite value somewhere on the plotted range
    (("formula", "log(x)", -10, 10, [], []), "target.not_finite", {"at": -10.0}),
    (("formula", "sqrt(x)", -1, 1, [], []), "target.not_finite", {"at": -1.0}),
    (("formula", "exp(x^2)", -30, 30, [], []), "target.not_finite", {"at": -30.0}),
    (("formula", "1/(x-2)", 0, 2, [], []), "target.not_finite", {"at": 2.0}),
    # ... where the plot reaches beyond the interval: [1, 10] is drawn from 1 − 4.5 = −3.5
    (("formula", "log(x)", 1, 10, ON, []), "target.not_finite", {"at": -3.5}),
    (("formula", "sqrt(x)", 0, 1, ON, ON), "target.not_finite", {"at": -0.5}),
]


@pytest.mark.parametrize(("controls", "key", "fields"), REJECTED)
def test_build_rejects(controls: Controls, key: str, fields: dict[str, Any]) -> None:
    with pytest.raises(ProblemError) as caught:
        build(SPEC, *controls)
    error = caught.value
    assert error.key == key
    for name, value in fields.items():
        assert error.fields[name] == value, (name, error.fields)
    if key == "target.bad_formula":  # the character at 1-based position, in the box's text
        text = controls[1].rstrip()
        assert error.fields["marked"] == mark(text, error.fields["position"] - 1)
    if key == "target.unfinished_formula":
        assert error.fields["marked"] == controls[1].rstrip() + "⟦⟧"
    for lang in ("en", "ru"):
        message = t(lang, key, **error.fields)
        assert message and "{" not in message, (lang, message)
        for value in error.fields.values():
            if value != error.fields.get("reason"):
                assert shown(lang, value) in message, (lang, message, value)
    assert t("en", key, **error.fields) != t("ru", key, **error.fields)


@pytest.mark.parametrize(
    ("controls", "en"),
    [
        (("sin", "", 2, 1, [], []), "The interval needs a < b."),
        (("sin", "", "", 1, [], []), "a: enter a number for the interval."),
        (("sin", "", 0, 5000, [], []), "b: the interval must stay within ±1,000."),
        (("nope", "", 0, 1, [], []), "Unknown target; choose one from the list."),
        (
            ("formula", "x + y", -5, 5, [], []),
            "The formula cannot be read at character 5 (marked ⟦ ⟧): x + ⟦y⟧",
        ),
        (
            ("formula", "log(x)", -10, 10, [], []),
            "The formula has no finite value at x = −10; choose another interval or formula.",
        ),
    ],
)
def test_bad_controls_leave_the_figure_and_say_why(controls: Controls, en: str) -> None:
    """The status says what is wrong, in both languages; figure, record and score stay."""
    tab = "sin3"
    fig, _, drawn, *_ = run(tab, defaults(tab), controls_of("sin", "", -5, 5))
    assert isinstance(fig, dict)
    for lang in ("en", "ru"):
        for record in (None, through_browser(drawn)):
            out = run(tab, defaults(tab), controls, "sigmoid", lang, record)
            figure, message, record_out, score, goal, goal_class, hints = out
            assert figure is no_update and record_out is no_update
            assert (score, goal, goal_class, hints) == (no_update,) * 4
            if lang == "en":
                assert message == en
            else:
                assert message != en and re.search("[а-яА-Я]", message), message
    # Usable controls again, for the problem already drawn: the message goes, nothing is redrawn.
    good = run(tab, defaults(tab), controls_of("sin", "", -5, 5), drawn=through_browser(drawn))
    assert good[1] == "" and good[0] is no_update, "the same problem again: nothing to redraw"


# --- 2. the targets and the goal ----------------------------------------------------------------


@pytest.mark.parametrize("key", list(TARGETS))
def test_fixed_targets_are_the_spec_functions(key: str) -> None:
    rng = np.random.default_rng(len(key))
    x = np.concatenate([[0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0], rng.uniform(-50, 50, 500)])
    problem = build(SPEC, key, "", -1, 1, [])
    np.testing.assert_allclose(problem.y(x), TARGETS[key](x), rtol=1e-15, atol=0)
    assert set(TARGET_KEYS) == {*TARGETS, "formula"}


def test_step_is_zero_at_zero_and_one_just_above() -> None:
    step = build(SPEC, "step", "", -1, 1, []).y
    assert list(step(np.array([-1.0, 0.0, 5e-324, 1.0]))) == [0.0, 0.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("text", "fn"),
    [
        ("sin(x) + x^2/20", lambda x: np.sin(x) + x**2 / 20),
        ("2sin(x) + x^2/10", lambda x: 2 * np.sin(x) + x**2 / 10),
        ("-x^2", lambda x: -(x**2)),
        ("exp(-x^2/2)/sqrt(2pi)", lambda x: np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi)),
        ("abs(x) - tanh(x)*cos(3x)", lambda x: np.abs(x) - np.tanh(x) * np.cos(3 * x)),
    ],
)
def test_formula_targets(text: str, fn: Callable[[np.ndarray], np.ndarray]) -> None:
    problem = build(SPEC, "formula", text, -4, 6, [])
    x = np.linspace(-4, 6, 1000)
    np.testing.assert_array_equal(problem.x(), x)
    np.testing.assert_allclose(problem.y(x), fn(x), rtol=1e-13, atol=1e-13)


def test_grids() -> None:
    p = build(SPEC, "sin", "", -3, 5, [])
    np.testing.assert_array_equal(p.x(), np.linspace(-3, 5, 1000))
    np.testing.assert_array_equal(p.x_plot(), np.linspace(-3, 5, 1000))
    q = build(SPEC, "sin", "", -3, 5, ON)
    np.testing.assert_array_equal(q.x(), np.linspace(-3, 5, 1000))
    np.testing.assert_array_equal(q.x_plot(), np.linspace(-7, 9, 2000))


OWN = None  # the tab's own goal


@pytest.mark.parametrize(
    ("tab", "controls", "goal"),
    [
        # Each tab's own problem keeps the tab's own goal (sections.py), whatever the view shows.
        ("square2", controls_of("square"), OWN),
        ("deep", controls_of("square"), OWN),
        ("sin3", controls_of("sin"), OWN),
        ("sin3", controls_of("sin", beyond=True), OWN),
        ("sin3", controls_of("sin", stack=True), OWN),
        ("sin3", controls_of("sin", beyond=True, stack=True), OWN),
        ("square2", controls_of("square", beyond=True, stack=True), OWN),
        ("deep", controls_of("square", a=-10.0, b="10", beyond=True), OWN),
        # Any other problem: 1 % of the target's span on the interval, 2 significant digits.
        ("square2", controls_of("sin"), 0.02),  # sin spans just under 2 on the 1000 points
        ("sin3", controls_of("square"), 1.0),  # 0.01 · 100 (x = ±10 are grid points)
        ("sin3", controls_of("sin", a=-10, b=9.5), 0.02),
        ("square2", controls_of("square", a=0, b=2), 0.04),
        ("square2", controls_of("square", a=0, b=2, beyond=True), 0.04),  # never the beyond part
        ("square2", controls_of("cube", a=-2, b=3), 0.35),  # (27 + 8) / 100
        ("deep", controls_of("abs", a=-3, b=1), 0.03),  # 0.0299899... rounds to 0.030
        ("deep", controls_of("step", a=-1, b=1), 0.01),
        ("sin3", controls_of("bump", a=-10, b=10), 0.01),  # 0.99990 − e^-100
        ("sin3", controls_of("formula", "1000x", a=-1, b=1), 20.0),
        ("sin3", controls_of("formula", "x/3", a=0, b=1), 0.0033),  # 1/300 to 2 digits
        ("sin3", controls_of("formula", "123456 + x", a=0, b=1), 0.01),
    ],
)
def test_goal(tab: str, controls: Controls, goal: float | None) -> None:
    spec = SPECS_BY_KEY[tab]
    assert build(spec, *controls).goal(spec) == (spec.goal if goal is OWN else goal)


def test_goal_of_a_flat_target_is_still_reachable() -> None:
    """A target constant on the interval spans nothing: the goal must stay above zero."""
    spec = SPECS_BY_KEY["sin3"]
    for controls in (controls_of("step", a=1, b=2), controls_of("formula", "3", a=0, b=1)):
        assert build(spec, *controls).goal(spec) > 0


def test_record_holds_the_problems_fields() -> None:
    rng = np.random.default_rng(4)
    problems = [Problem.default(s) for s in SPECS_BY_KEY.values()]
    for key in TARGET_KEYS:
        for beyond, stack in ((False, False), (True, False), (False, True), (True, True)):
            lo = float(rng.uniform(-20, 0))
            formula = "sin(x) + x^2/20" if key == "formula" else ""
            problems.append(build(SPEC, key, formula, lo, lo + rng.uniform(0.5, 30), beyond, stack))
    problems.append(build(SPEC, "formula", "log(x)", 0.5, 7, [], ON))
    problems.append(build(SPEC, "cube", "", -1000, 1000, ON, ON))
    for p in problems:
        record = p.record()
        assert set(record) == {"target", "formula", "lo", "hi", "beyond", "stack"}


# --- 3. the figure, score, goal and hints for a chosen problem ----------------------------------

CASES: list[tuple[str, str, Controls]] = [
    ("square2", "sigmoid", controls_of("cube", a=-2, b=3)),
    ("square2", "tanh", controls_of("abs", a=-3, b=3, beyond=True)),
    ("square2", "relu", controls_of("square", a=-10, b=10, stack=True)),
    ("square2", "sigmoid", controls_of("square", a=-10, b=10, beyond=True, stack=True)),
    ("sin3", "sigmoid", controls_of("formula", "sin(x) + x^2/20", -6, 6, beyond=True)),
    ("sin3", "tanh", controls_of("step", a=-1, b=1, stack=True)),
    ("sin3", "relu", controls_of("bump", a=-3, b=2.5, beyond=True, stack=True)),
    ("sin3", "sigmoid", controls_of("sin", a=-10, b=10, beyond=True, stack=True)),
    ("deep", "tanh", controls_of("formula", "abs(x) - 1", 0, 4, beyond=True, stack=True)),
    ("deep", "sigmoid", controls_of("sin", a=-2, b=7)),
    ("deep", "relu", controls_of("square", a=-5, b=5, beyond=True)),
]


def expected_goal(spec: ApproxSpec, controls: Controls, target_on_interval: np.ndarray) -> float:
    if controls[0] == spec.target and float(controls[2]) == -10 and float(controls[3]) == 10:
        return spec.goal
    span = float(np.max(target_on_interval) - np.min(target_on_interval))
    return float(f"{max(span / 100, 1e-3):.2g}")


@pytest.mark.parametrize(("tab", "activation", "controls"), CASES)
def test_figure_and_score_for_chosen_problem(tab: str, activation: str, controls: Controls) -> None:
    spec = SPECS_BY_KEY[tab]
    target_key, formula, a, b, beyond_on, stack_on = controls
    beyond, stack = bool(beyond_on), bool(stack_on)
    fn = (
        TARGETS.get(target_key)
        or {
            "sin(x) + x^2/20": lambda x: np.sin(x) + x**2 / 20,
            "abs(x) - 1": lambda x: np.abs(x) - 1,
        }[formula]
    )
    act = ACT[activation]
    rng = np.random.default_rng(len(tab) + 10 * len(activation))
    for p in (defaults(tab), random_values(tab, rng)):
        out = run(tab, p, controls, activation)
        fig, message, record, score_text, goal_text, goal_class, hints = out
        assert message == "" and isinstance(fig, dict)
        fig = wire(fig)
        assert record["problem"] == {
            "target": target_key,
            "formula": formula,
            "lo": a,
            "hi": b,
            "beyond": beyond,
            "stack": stack,
        }
        # The grid: the interval, or half its width more on each side with 2000 points.
        width = b - a
        x = np.linspace(a - width / 2, b + width / 2, 2000) if beyond else np.linspace(a, b, 1000)
        for tr in fig["data"]:
            assert tr["x"]["dtype"] == "f8" and tr["y"]["dtype"] == "f4", tr["uid"]
            np.testing.assert_array_equal(decode(tr["x"]), x, err_msg=tr["uid"])
        y = ys(fig)
        assert_close32(y["target"], fn(x), f"{tab} target")
        net = network(tab, x, act, p)
        # Inside the interval the solid output, outside the dotted "beyond" trace.
        uids = [tr["uid"] for tr in fig["data"]]
        inside = (x >= a) & (x <= b)
        if beyond:
            assert uids[-3:] == ["beyond", "output", "target"]
            assert 0 < inside.sum() < x.size and not inside[0] and not inside[-1]
            out_y, beyond_y = y["output"], y["beyond"]
            np.testing.assert_array_equal(np.isfinite(out_y), inside)
            np.testing.assert_array_equal(np.isnan(out_y), ~inside)
            np.testing.assert_array_equal(np.isnan(beyond_y), inside)
            np.testing.assert_array_equal(np.isfinite(beyond_y), ~inside)
            assert_close32(np.where(inside, out_y, beyond_y), net, f"{tab} output")
            line = traces(fig)["beyond"]["line"]
            assert line["dash"] == "dot" and line["color"] == traces(fig)["output"]["line"]["color"]
            (shape,) = fig["layout"]["shapes"]
            assert (shape["type"], shape["x0"], shape["x1"]) == ("rect", a, b)
            assert (shape["xref"], shape["yref"], shape["y0"], shape["y1"]) == ("x", "paper", 0, 1)
        else:
            assert "beyond" not in uids and not fig["layout"].get("shapes")
            assert_close32(y["output"], net, f"{tab} output")
        # The decomposition: the bias and each last-hidden unit's share A_j·w_j, stacked.
        hidden, weights, bias = last_layer(tab, x, act, p)
        parts = [f"p{j + 1}" for j in range(len(weights))]
        if stack:
            assert uids[: 1 + len(parts)] == ["bias", *parts], "drawn first, under the rest"
            for uid in ("bias", *parts):
                assert traces(fig)[uid]["stackgroup"] == "parts", uid
            np.testing.assert_array_equal(y["bias"], np.full(x.size, np.float32(bias)))
            for uid, aj, wj in zip(parts, hidden, weights, strict=True):
                assert_close32(y[uid], aj * wj, f"{tab} {uid}")
            top = y["bias"] + sum(y[uid] for uid in parts)
            drawn_output = np.where(np.isnan(y["output"]), y.get("beyond", np.nan), y["output"])
            scale = abs(bias) + sum(
                np.max(np.abs(aj * wj)) for aj, wj in zip(hidden, weights, strict=True)
            )
            np.testing.assert_allclose(top, drawn_output, rtol=0, atol=4e-7 * scale * len(parts))
        else:
            assert not {"bias", *parts} & set(uids)
            assert not any("stackgroup" in tr for tr in fig["data"])
        # The score: RMSE and max error on the interval's 1000 points only.
        xi = np.linspace(a, b, 1000)
        target_i, net_i = fn(xi), network(tab, xi, act, p)
        m = re.fullmatch(r"RMSE (\S+) · max error (\S+)", score_text)
        assert m, score_text
        assert_sig(m.group(1), rmse(net_i, target_i), 3, f"{tab} RMSE")
        assert_sig(m.group(2), float(np.max(np.abs(net_i - target_i))), 3, f"{tab} max error")
        goal = expected_goal(spec, controls, target_i)
        met = rmse(net_i, target_i) < goal
        assert goal_class == ("goal-met" if met else "goal-open")
        assert re.search(r"RMSE < (\S+?)\)?$", goal_text).group(1) == f"{goal:.3g}"
        # The hints: what one slider step (0.1) does to the RMSE on the interval.
        assert len(hints) == len(ORDER[tab])
        here = rmse(net_i, target_i)
        for name, hint in zip(ORDER[tab], hints, strict=True):
            falls = {
                sign: here
                - rmse(network(tab, xi, act, {**p, name: p[name] + sign * 0.1}), target_i)
                for sign in (-1, 1)
            }
            best, rounding = max(falls.values()), 1e-12 * max(here, 1.0)
            if hint == "·":
                assert best <= 1e-9 * here + rounding, (name, hint, falls)
                continue
            if abs(falls[1] - falls[-1]) > rounding:
                assert hint[0] == ("▲" if falls[1] > falls[-1] else "▼"), (name, hint, falls)
            assert_sig(hint[1:], best, 3, f"{tab} hint of {name}")


def test_the_score_never_counts_the_part_beyond_the_interval() -> None:
    """sin3's defaults fit sin x on [-2, 2] far better than on the whole plot [-4, 4]."""
    tab, p = "sin3", defaults("sin3")
    xi, x = np.linspace(-2, 2, 1000), np.linspace(-4, 4, 2000)
    inside = rmse(network(tab, xi, sigmoid, p), np.sin(xi))
    whole = rmse(network(tab, x, sigmoid, p), np.sin(x))
    assert abs(whole - inside) > 0.1 * inside  # the test can tell them apart
    for beyond in (False, True):
        score_text = run(tab, p, controls_of("sin", a=-2, b=2, beyond=beyond))[3]
        m = re.fullmatch(r"RMSE (\S+) · max error \S+", score_text)
        assert m, score_text
        assert_sig(m.group(1), inside, 3, f"beyond={beyond}")


def test_the_tabs_own_problem_keeps_its_figure() -> None:
    """Controls at the tab's defaults draw exactly what no controls draw (fixed y range too)."""
    for tab in TABS:
        spec = SPECS_BY_KEY[tab]
        own = controls_of(spec.target)
        with_controls = run(tab, defaults(tab), own)
        without = run(tab, defaults(tab), None)
        assert wire(with_controls[0]) == wire(without[0])
        assert with_controls[1:] == without[1:]
        assert "problem" not in with_controls[2]
        assert wire(with_controls[0])["layout"]["yaxis"]["range"] == list(spec.y_range)


# --- 4. Patch == whole figure, and a new problem is always a whole figure -----------------------

VIEWS = [(True, False), (False, True), (True, True)]


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize(("beyond", "stack"), VIEWS)
def test_patch_equals_whole_figure_with_beyond_and_stack(
    tab: str, beyond: bool, stack: bool
) -> None:
    rng = np.random.default_rng(len(tab) + 2 * beyond + stack)
    controls_list = [
        controls_of("sin" if tab != "sin3" else "square", a=-4, b=6, beyond=beyond, stack=stack),
        controls_of("formula", "x^2/10 - cos(x)", -7, 3, beyond, stack),
        controls_of(SPECS_BY_KEY[tab].target, beyond=beyond, stack=stack),
    ]
    for controls in controls_list:
        for activation in ("sigmoid", "relu"):
            start = random_values(tab, rng)
            fig, _, drawn, *_ = run(tab, start, controls, activation)
            fig, drawn = wire(fig), through_browser(drawn)
            for name in ORDER[tab]:
                moved = {**start, name: start[name] + float(rng.uniform(-3, 3))}
                patch, message, record, score, *_ = run(
                    tab, moved, controls, activation, "en", drawn
                )
                assert message == "" and isinstance(patch, Patch), f"{tab} {name}"
                assert record["values"] == moved and "problem" in record
                assert score is not no_update
                ops = wire(patch)["operations"]
                assert ops and all(op["location"][2] == "y" for op in ops)
                touched = {fig["data"][op["location"][1]]["uid"] for op in ops}
                assert "target" not in touched and "output" in touched
                assert ("beyond" in touched) == beyond
                if stack:
                    assert ("bias" in touched) == (name == ORDER[tab][-1]), (name, touched)
                patched = apply_patch(fig, wire(patch))
                expected = full(tab, moved, controls, activation)
                for i, (got, want) in enumerate(
                    zip(patched["data"], expected["data"], strict=True)
                ):
                    assert got["y"] == want["y"], f"{tab} {name}: trace {i} ({want['uid']})"
                assert patched == expected


def changed_controls(controls: Controls) -> list[tuple[str, Controls]]:
    """Each control of ``controls`` changed on its own, to another usable value."""
    target, formula, a, b, beyond, stack = controls
    return [
        ("target", ("bump", formula, a, b, beyond, stack)),
        ("formula", (target, "x^2/10 - cos(2x)", a, b, beyond, stack)),
        ("a", (target, formula, a - 1, b, beyond, stack)),
        ("a, typed the same", (target, formula, f"{a}", b, beyond, stack)),
        ("b", (target, formula, a, b + 0.5, beyond, stack)),
        ("beyond", (target, formula, a, b, OFF if beyond else ON, stack)),
        ("stack", (target, formula, a, b, beyond, OFF if stack else ON)),
    ]


@pytest.mark.parametrize("tab", TABS)
def test_changing_a_target_control_sends_the_whole_figure(tab: str) -> None:
    start = controls_of("formula", "x^2/10 - cos(x)", -7, 3, True, False)
    for controls in (start, (*start[:4], OFF, ON)):
        values = defaults(tab)
        fig, _, drawn, *_ = run(tab, values, controls)
        drawn = through_browser(drawn)
        for what, changed in changed_controls(controls):
            out = run(tab, values, changed, "sigmoid", "en", drawn)
            if what == "a, typed the same":
                assert out[0] is no_update and out[2] is no_update, "the same problem"
                continue
            assert not isinstance(out[0], Patch), f"{tab}: a Patch after changing {what}"
            assert isinstance(out[0], dict), what
            assert wire(out[0]) == full(tab, values, changed), what
            assert out[2]["problem"] != drawn["problem"]
            # ... and back again: the whole figure once more.
            back = run(tab, values, controls, "sigmoid", "en", through_browser(out[2]))
            assert isinstance(back[0], dict) and wire(back[0]) == wire(fig), what
    # A formula typed while a fixed target is chosen changes nothing drawn.
    fixed = controls_of("cube", "", -2, 2)
    _, _, drawn, *_ = run(tab, defaults(tab), fixed)
    out = run(tab, defaults(tab), (*fixed[:1], "x^5", *fixed[2:]), "sigmoid", "en", drawn)
    assert out[0] is no_update and out[1] == ""
    # Back to the tab's own problem from another one: the whole figure, with the fixed y range.
    own = controls_of(SPECS_BY_KEY[tab].target)
    out = run(tab, defaults(tab), own, "sigmoid", "en", through_browser(drawn))
    assert isinstance(out[0], dict) and wire(out[0]) == full(tab, defaults(tab), own)
    assert "problem" not in out[2]


# A session of moves, some of whose responses the browser drops (see tests/test_updates.py).

GOOD_CONTROLS: list[Controls] = [
    controls_of("sin", a=-3, b=4),
    controls_of("cube", a=-2, b=2, beyond=True),
    controls_of("formula", "x^2/10 - cos(x)", -7, 3, stack=True),
    controls_of("formula", "x^2/10 - cos(x)", -7, 3, beyond=True, stack=True),
    controls_of("square"),
]
BAD_CONTROLS: list[Controls] = [
    controls_of("sin", a=4, b=-3),
    controls_of("formula", "sin(", -7, 3),
    controls_of("formula", "log(x)", -7, 3, beyond=True),
    controls_of("sin", a="", b=2),
]


@st.composite
def sessions(draw: st.DrawFn) -> tuple[str, list[tuple[str, Any, Any, bool]]]:
    tab = draw(st.sampled_from(TABS))
    n = len(ORDER[tab])
    step = st.one_of(
        st.tuples(st.just("param"), st.integers(0, n - 1), st.integers(-50, 50), st.booleans()),
        st.tuples(
            st.just("controls"),
            st.just(0),
            st.sampled_from(GOOD_CONTROLS + BAD_CONTROLS),
            st.booleans(),
        ),
        st.tuples(st.just("activation"), st.just(0), st.sampled_from(list(ACT)), st.booleans()),
    )
    return tab, draw(st.lists(step, min_size=1, max_size=15))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(sessions())
def test_dropped_responses_never_leave_a_stale_figure(
    session: tuple[str, list[tuple[str, Any, Any, bool]]],
) -> None:
    tab, steps = session
    names = ORDER[tab]
    values, activation, controls = defaults(tab), "sigmoid", GOOD_CONTROLS[0]
    figure: Figure | None = None
    drawn: Any = None
    shown: tuple[dict[str, float], str, Controls] | None = None  # what the figure shows

    def request() -> tuple[Any, ...]:
        return run(tab, values, controls, activation, "en", drawn)

    def receive(response: tuple[Any, ...]) -> str:
        nonlocal figure, drawn, shown
        fig, message, record, *_ = response
        if isinstance(fig, Patch):
            assert figure is not None
            figure = apply_patch(figure, wire(fig))
        elif fig is not no_update:
            figure = wire(fig)
        if record is not no_update:
            drawn = through_browser(record)
        if message == "":
            shown = (dict(values), activation, controls)
        return message

    receive(request())
    for what, which, value, dropped in steps:
        if what == "param":
            values[names[which]] = value / 10
        elif what == "controls":
            controls = value
        else:
            activation = value
        response = request()
        if dropped:
            continue
        message = receive(response)
        assert (message != "") == (controls in BAD_CONTROLS), message
        assert shown is not None
        assert figure == full(tab, *shown[::2], shown[1]), f"{tab} after {what} {value!r}"
    controls = GOOD_CONTROLS[-2]
    assert receive(request()) == ""
    assert figure == full(tab, values, controls, activation)


# --- 5. the figure callback answers with target controls -----------------------------------------


def field(tab: str, name: str) -> str:
    return dom_id({"tab": tab, "type": "target", "field": name})


def extra_for(tab: str, controls: Controls, **more: Any) -> dict[str, Any]:
    names = ("target", "formula", "a", "b", "beyond", "stack")
    return {field(tab, n): v for n, v in zip(names, controls, strict=True)} | more


def post(client: FlaskClient, body: Any) -> Any:
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("tab", TABS)
def test_figure_answers_with_target_controls(
    tab: str,
    client: FlaskClient,
    layout: Any,
    dependencies: list[dict[str, Any]],
) -> None:
    dep = find_dependency(dependencies, tab)
    drawn_id = dom_id({"tab": tab, "type": "drawn"})
    act = dom_id({"tab": tab, "type": "activation"})
    first, last = ORDER[tab][0], ORDER[tab][-1]
    problem = controls_of("formula", "sin(x) + x^2/20", -6, 4.5, True, True)
    values = defaults(tab)
    _, _, record, *_ = run(tab, values, problem)
    record = through_browser(record)

    bodies: list[tuple[str, Any, str]] = [
        ("first draw", request_body(dep, layout, {}, extra_for(tab, problem)), "full"),
        (
            "cube, beyond, relu, ru",
            request_body(
                dep,
                layout,
                {},
                extra_for(tab, controls_of("cube", "", -2, 3, True), **{act: "relu", "lang": "ru"}),
            ),
            "full",
        ),
        (
            "stack, strings",
            request_body(dep, layout, {}, extra_for(tab, ("step", None, "-1", " 2", [], ON))),
            "full",
        ),
        (
            "slider step",
            request_body(
                dep,
                layout,
                {first: values[first] + 0.1},
                extra_for(tab, problem),
                {drawn_id: record},
            ),
            "patch",
        ),
        (
            "last parameter",
            request_body(dep, layout, {last: -2.5}, extra_for(tab, problem), {drawn_id: record}),
            "patch",
        ),
        (
            "nothing moved",
            request_body(dep, layout, {}, extra_for(tab, problem), {drawn_id: record}),
            "none",
        ),
        (
            "the interval moved",
            request_body(
                dep,
                layout,
                {},
                extra_for(tab, (*problem[:2], -5, *problem[3:])),
                {drawn_id: record},
            ),
            "full",
        ),
        (
            "stack off",
            request_body(dep, layout, {}, extra_for(tab, (*problem[:5], OFF)), {drawn_id: record}),
            "full",
        ),
    ]
    for label, controls in [
        ("a ≥ b", controls_of("sin", "", 3, 3)),
        ("a not a number", controls_of("sin", "", None, 3)),
        ("b too large", controls_of("sin", "", 0, 1e4)),
        ("unknown target", controls_of("cosh", "", 0, 1)),
        ("bad formula", controls_of("formula", "2 x", 0, 1)),
        ("not finite", controls_of("formula", "log(x)", -10, 10)),
    ]:
        for lang in ("en", "ru"):
            body = request_body(dep, layout, {}, extra_for(tab, controls, lang=lang))
            bodies.append((f"{label}, {lang}", body, "none"))
            body = request_body(
                dep, layout, {first: 1.0}, extra_for(tab, controls, lang=lang), {drawn_id: record}
            )
            bodies.append((f"{label}, {lang}, moved", body, "none"))

    graph_key = dom_id({"tab": tab, "type": "graph"})
    for label, body, kind in bodies:
        r = post(client, body)
        assert r.status_code == 200, (label, r.get_data())
        answer = r.get_json()
        figure = answer["response"].get(graph_key, {}).get("figure")
        got = "none" if figure is None else "patch" if is_patch_json(figure) else "full"
        assert got == kind, label
        message = status_text(answer["response"], tab)
        assert (message != "") == label.startswith(
            ("a ≥", "a not", "b too", "unknown", "bad", "not finite")
        ), (label, message)


# --- 6. Fit fits the chosen target on the chosen interval ---------------------------------------

FITS = [
    ("sin3", "sigmoid", controls_of("formula", "sin(x) + x^2/20", -6, 6, beyond=True)),
    ("square2", "tanh", controls_of("formula", "abs(x) - 1", -3, 3, stack=True)),
    ("deep", "sigmoid", controls_of("formula", "exp(-x^2/2)/sqrt(2pi)", -4, 4)),
    ("square2", "relu", controls_of("formula", "2x + 1", 0, 5, beyond=True)),
]


@pytest.mark.parametrize(("tab", "activation", "controls"), FITS)
def test_fit_with_a_formula_target(tab: str, activation: str, controls: Controls) -> None:
    spec = SPECS_BY_KEY[tab]
    problem = build(spec, *controls)
    fn = {
        "sin(x) + x^2/20": lambda x: np.sin(x) + x**2 / 20,
        "abs(x) - 1": lambda x: np.abs(x) - 1,
        "exp(-x^2/2)/sqrt(2pi)": lambda x: np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi),
        "2x + 1": lambda x: 2 * x + 1,
    }[controls[1]]
    xi = np.linspace(controls[2], controls[3], 1000)
    act = ACT[activation]
    start = defaults(tab)
    before = rmse(network(tab, xi, act, start), fn(xi))
    ranges = {p.name: (p.lo, p.hi) for p in spec.params}
    fitted, new_ranges, report = run_fit(spec, start, activation, ranges, "en", problem)
    after = rmse(network(tab, xi, act, fitted), fn(xi))
    assert after < before, (before, after)
    m = re.match(r"Fit: RMSE (\S+) → (\S+) in [\d.]+ s\.", report)
    assert m, report
    assert_sig(m.group(1), before, 3, "before, on the interval")
    assert_sig(m.group(2), after, 3, "after, on the interval")
    for name, value in fitted.items():
        lo, hi = new_ranges[name]
        assert lo <= value <= hi


def fit_body(dep: dict[str, Any], layout: Any, state: Mapping[str, Any]) -> dict[str, Any]:
    """The body the browser posts when Fit is clicked; ``state`` sets states by DOM id."""
    props = list(components(layout))
    (clicks,) = dep["inputs"]
    inputs = [{"id": parse_id(clicks["id"]), "property": "n_clicks", "value": 1}]
    states: list[Any] = []
    for spec in dep["state"]:
        pattern, prop = parse_id(spec["id"]), spec["property"]
        found = [p for p in props if matches(pattern, p["id"])]
        items = [
            {"id": p["id"], "property": prop, "value": state.get(dom_id(p["id"]), p.get(prop))}
            for p in found
        ]
        wildcard = isinstance(pattern, dict) and ["ALL"] in pattern.values()
        states.append(items if wildcard else items[0])
    outputs = request_outputs(dep, props)
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": [f"{clicks['id']}.n_clicks"],
        "state": states,
    }


def test_fit_button_uses_the_target_controls(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    tab = "sin3"
    (dep,) = [
        d
        for d in dependencies
        if d["inputs"][0]["id"] == dom_id({"tab": tab, "type": "action", "what": "fit"})
    ]
    controls = controls_of("formula", "sin(x) + x^2/20", -6, 6, beyond=True)
    answer = post(client, fit_body(dep, layout, extra_for(tab, controls))).get_json()
    response = answer["response"]
    fitted = {
        n: response[dom_id({"name": n, "tab": tab, "type": "param"})]["value"] for n in ORDER[tab]
    }
    xi = np.linspace(-6, 6, 1000)
    target = np.sin(xi) + xi**2 / 20
    before = rmse(network(tab, xi, sigmoid, defaults(tab)), target)
    after = rmse(network(tab, xi, sigmoid, fitted), target)
    assert after < before, (before, after)
    report = response[dom_id({"tab": tab, "type": "report", "what": "fit"})]["children"]
    m = re.match(r"Fit: RMSE (\S+) → (\S+) in", report)
    assert m, report
    assert_sig(m.group(1), before, 3, "before")
    assert_sig(m.group(2), after, 3, "after")
    # Bad controls: the report says why and nothing moves.
    for lang, bad in (("en", "The interval needs a < b."), ("ru", "Нужно a < b.")):
        state = extra_for(tab, controls_of("sin", "", 2, 1), lang=lang)
        response = post(client, fit_body(dep, layout, state)).get_json()["response"]
        assert response == {
            dom_id({"tab": tab, "type": "report", "what": "fit"}): {"children": bad}
        }
