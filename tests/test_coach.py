"""Issue 4, items 1-3: the live score, the goal mark, the gradient hints, Fit and best fit.

Every expected number is computed here from the spec's formulas written out with NumPy (the
forward passes of the three approximation tabs, RMSE and max |error|, central finite
differences of the RMSE), never from ``dashboard.model``. The app's texts are parsed back into
numbers and compared to the precision they are written with: 3 significant digits for the
score, the fit report and the hints (each hint against RMSE(p) − RMSE(p ± 0.1)).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import sections
from dashboard.numbers import fmt
from dashboard.presets import shipped
from dashboard.sections import THREE_NEURONS, TWO_LAYERS, TWO_NEURONS, Param
from dashboard.views import approx, coach
from dashboard.views.common import HARD_LIMIT
from dashboard.views.feedback import ATTRIBUTE as FEEDBACK
from tests.support.dash import (
    components,
    dom_id,
    find_dependency,
    matches,
    parse_id,
    request_outputs,
    split_outputs,
)
from tests.support.shown import EN, RU, read_shown

UPDATE = "/_dash-update-component"
SPECS = {"square2": TWO_NEURONS, "sin3": THREE_NEURONS, "deep": TWO_LAYERS}
X = np.linspace(-10.0, 10.0, 1000)
GOALS = {"square2": 1.0, "sin3": 0.6, "deep": 1.0}  # RMSE below which the goal is met
STEP = 0.1  # one slider step

# --- The spec's formulas, written independently of dashboard.model -------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


ACT: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "elu": lambda z: np.where(z >= 0, z, np.expm1(np.minimum(z, 0.0))),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
}
NOTEBOOK_FIVE = ("sigmoid", "tanh", "relu", "elu", "leaky_relu")

# Parameter names in the order the page shows their sliders (and sends their values).
PAGE_ORDER = {
    "square2": ("w1", "b1", "w2", "b2", "w3", "w4", "b3"),
    "sin3": ("w1", "w2", "w3", "b1", "b2", "b3", "w4", "w5", "w6", "b4"),
    "deep": (
        *("w11", "w12", "w13", "b11", "b12", "b13"),
        *(f"w2{i}" for i in range(1, 10)),
        *("b21", "b22", "b23", "w31", "w32", "w33", "b3"),
    ),
}
OUTPUT_BIAS = {"square2": "b3", "sin3": "b4", "deep": "b3"}


def output(tab: str, act: str, p: Mapping[str, float]) -> np.ndarray:
    A = ACT[act]
    x = X
    if tab == "square2":
        return A(x * p["w1"] + p["b1"]) * p["w3"] + A(x * p["w2"] + p["b2"]) * p["w4"] + p["b3"]
    if tab == "sin3":
        a = [A(x * p[f"w{i}"] + p[f"b{i}"]) for i in (1, 2, 3)]
        return a[0] * p["w4"] + a[1] * p["w5"] + a[2] * p["w6"] + p["b4"]
    a1 = [A(x * p[f"w1{j}"] + p[f"b1{j}"]) for j in (1, 2, 3)]
    # Unit j of layer 2 reads A11..A13 through w2(3j+1)..w2(3j+3).
    a2 = [
        A(
            a1[0] * p[f"w2{3 * j + 1}"]
            + a1[1] * p[f"w2{3 * j + 2}"]
            + a1[2] * p[f"w2{3 * j + 3}"]
            + p[f"b2{j + 1}"]
        )
        for j in range(3)
    ]
    return p["w31"] * a2[0] + p["w32"] * a2[1] + p["w33"] * a2[2] + p["b3"]


def target(tab: str) -> np.ndarray:
    return np.sin(X) if tab == "sin3" else X**2


def errors(tab: str, act: str, p: Mapping[str, float]) -> np.ndarray:
    return output(tab, act, p) - target(tab)


def rmse(tab: str, act: str, p: Mapping[str, float]) -> float:
    e = errors(tab, act, p)
    return float(np.sqrt(np.mean(e**2)))


def max_error(tab: str, act: str, p: Mapping[str, float]) -> float:
    return float(np.max(np.abs(errors(tab, act, p))))


# --- Reading the app's texts ---------------------------------------------------------------------

NUMBER = EN
SCORE_EN = re.compile(rf"^RMSE {NUMBER} · max error {NUMBER}$")
REPORT_EN = re.compile(rf"^Fit: RMSE {NUMBER} → {NUMBER} in {NUMBER} s\.(?: (.*))?$")
WIDENED_EN = re.compile(r"^Slider ranges widened to hold the result: (.*)\.$")
RANGE = re.compile(rf"(\w+) \[{NUMBER}, {NUMBER}\]")


def assert_sig(text: str, expected: float, digits: int, what: str) -> None:
    """``text`` is ``expected`` written to ``digits`` significant digits (a hair of slack for
    values that sit on a rounding boundary)."""
    shown = read_shown(text, "en")
    if expected == 0:
        assert shown == 0, what
        return
    half_unit = 0.5 * 10 ** (math.floor(math.log10(abs(expected))) - digits + 1)
    assert abs(shown - expected) <= half_unit * (1 + 1e-6) + 1e-9 * abs(expected), (
        f"{what}: shows {text}, expected {expected:.6g} to {digits} significant digits"
    )


def assert_plain(text: str, what: str) -> None:
    """Numbers from 0.001 up to a million are written without an exponent."""
    value = abs(read_shown(text, "en"))
    if 1e-3 <= value < 1e6:
        assert "×" not in text and "e" not in text, f"{what}: {text!r} uses an exponent"


def random_values(tab: str, rng: np.random.Generator) -> dict[str, float]:
    """Values anywhere on the sliders of a tab."""
    return {p.name: float(rng.uniform(p.lo, p.hi)) for p in SPECS[tab].params}


def feedback(tab: str, p: Mapping[str, float], act: str, lang: str = "en") -> tuple[Any, ...]:
    """Score text, goal text, goal class and hints, as the figure callback computes them."""
    names = PAGE_ORDER[tab]
    result = approx.update_all(SPECS[tab], names, [p[n] for n in names], act, lang, None)
    _, message, _, score_text, goal_text, goal_class, hints = result
    assert message == ""
    return score_text, goal_text, goal_class, hints


def check_score(tab: str, act: str, p: Mapping[str, float], score_text: str) -> float:
    m = SCORE_EN.match(score_text)
    assert m, score_text
    expected = rmse(tab, act, p)
    what = f"{tab}/{act} {score_text!r}"
    assert_sig(m.group(1), expected, 3, f"RMSE of {what}")
    assert_sig(m.group(2), max_error(tab, act, p), 3, f"max error of {what}")
    assert_plain(m.group(1), what)
    assert_plain(m.group(2), what)
    return expected


def step_falls(tab: str, act: str, p: Mapping[str, float], name: str) -> tuple[float, float, float]:
    """The RMSE at ``p`` and how much it falls when ``name`` moves one slider step down and one
    step up: the network evaluated at p ± 0.1 here, in NumPy."""
    here = rmse(tab, act, p)
    down = rmse(tab, act, {**p, name: p[name] - STEP})
    up = rmse(tab, act, {**p, name: p[name] + STEP})
    return here, here - down, here - up


def check_hint(hint: str, tab: str, act: str, p: Mapping[str, float], name: str) -> None:
    """A hint against RMSE(p) − RMSE(p ± 0.1): the arrow of the way that lowers the RMSE more,
    by how much to 3 significant digits; a dot when neither step lowers it."""
    here, fall_down, fall_up = step_falls(tab, act, p, name)
    what = f"{tab}/{act} {name}: {hint!r}, falls {fall_down:.6g} (down), {fall_up:.6g} (up)"
    best = max(fall_down, fall_up)
    rounding = 1e-12 * max(here, 1.0)  # how far two ways of summing may differ
    if best <= coach.NOISE * here - rounding:
        assert hint == "·", what
        return
    if best > coach.NOISE * here + rounding:
        assert hint != "·", what
    if hint == "·":
        return
    m = re.fullmatch(rf"([▲▼]){NUMBER}", hint)
    assert m, what
    if abs(fall_up - fall_down) > rounding:
        assert m.group(1) == ("▲" if fall_up > fall_down else "▼"), what
    assert_sig(m.group(2), best, 3, what)


# --- 1. the live score and the goal --------------------------------------------------------------


@pytest.mark.parametrize("act", [*NOTEBOOK_FIVE, "linear"])
@pytest.mark.parametrize("tab", list(SPECS))
def test_score_and_goal_equal_numpy(tab: str, act: str) -> None:
    rng = np.random.default_rng([len(tab), len(act), 4])
    starts = [SPECS[tab].defaults] + [random_values(tab, rng) for _ in range(3)]
    for p in starts:
        score_text, goal_text, goal_class, _ = feedback(tab, p, act)
        value = check_score(tab, act, p, score_text)
        goal = GOALS[tab]
        met = value < goal
        assert goal_class == ("goal-met" if met else "goal-open"), (tab, act, value)
        shown_goal = f"{goal:g}"
        expected = f"✓ goal reached (RMSE < {shown_goal})" if met else f"goal: RMSE < {shown_goal}"
        assert goal_text == expected


def test_score_in_russian_has_the_same_numbers() -> None:
    p = random_values("deep", np.random.default_rng(7))
    en, _, _, _ = feedback("deep", p, "tanh", "en")
    ru, goal_text, goal_class, _ = feedback("deep", p, "tanh", "ru")
    shown_en = [read_shown(x, "en") for x in re.findall(EN, en)]
    assert [read_shown(x, "ru") for x in re.findall(RU, ru)] == shown_en
    assert len(shown_en) == 2 and not re.search(r"\d\.\d", ru), ru
    assert ru.startswith("RMSE ") and "наибольшая ошибка" in ru
    assert goal_class == "goal-open" and goal_text == "цель: RMSE < 1"


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        1e-7,
        0.000999,
        0.001,
        0.0123,
        0.99949,
        0.9996,
        1.0,
        12.34,
        999.4,
        999.95,
        1234.5,
        98765.4,
        999_999.0,
        2e6,
        3.7e12,
    ],
)
def test_score_numbers_are_three_significant_digits_without_needless_exponents(
    value: float,
) -> None:
    text = fmt(value, "en", coach.SCORE_DIGITS)
    if value == 0:
        assert text == "0"
        return
    assert_sig(text, value, 3, f"fmt({value})")
    assert_plain(text, f"fmt({value})")


# Parameters of square2 that a least-squares fit of two sigmoid neurons to x² reached
# (RMSE 0.0014): a start close enough to the goal to walk the RMSE across it with b3.
GOOD_SQUARE2 = {
    "w1": 0.0590325,
    "b1": -2.3214,
    "w2": -0.0590325,
    "b2": -2.3214,
    "w3": 4292.57,
    "w4": 4292.57,
    "b3": -767.218,
}


def test_goal_flips_where_the_rmse_crosses_one() -> None:
    p = dict(GOOD_SQUARE2)
    assert rmse("square2", "sigmoid", p) < 0.01
    # Shifting the output bias by d: RMSE(d)² = mean(e²) + 2·d·mean(e) + d², equal to 1 at d0.
    e = errors("square2", "sigmoid", p)
    m, s2 = float(np.mean(e)), float(np.mean(e**2))
    d0 = -m + math.sqrt(m * m - s2 + 1.0)
    for factor, met in ((1 - 1e-7, True), (1 + 1e-7, False), (0.5, True), (3.0, False)):
        q = dict(p, b3=p["b3"] + d0 * factor)
        value = rmse("square2", "sigmoid", q)
        assert (value < 1.0) == met, value
        score_text, goal_text, goal_class, _ = feedback("square2", q, "sigmoid")
        check_score("square2", "sigmoid", q, score_text)
        assert goal_class == ("goal-met" if met else "goal-open"), (factor, value)
        assert goal_text == ("✓ goal reached (RMSE < 1)" if met else "goal: RMSE < 1")


@pytest.mark.parametrize("tab", list(SPECS))
def test_goal_is_strictly_below_the_threshold(tab: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A goal set just above, at, and just below the RMSE: met, open, open."""
    from dashboard.model import get_activation, score

    spec = SPECS[tab]
    p = spec.defaults
    value = rmse(tab, "sigmoid", p)
    # The app's own RMSE, only to put a goal exactly on it.
    exact = score(spec.network(p, get_activation("sigmoid"))(X), target(tab)).rmse
    assert exact == pytest.approx(value, rel=1e-12)
    for goal, met in ((value * (1 + 1e-9), True), (exact, False), (value * (1 - 1e-9), False)):
        changed = dataclasses.replace(sections.TARGETS[spec.target], goal=goal)
        monkeypatch.setitem(sections.TARGETS, spec.target, changed)  # type: ignore[arg-type]
        _, _, goal_class, _ = feedback(tab, p, "sigmoid")
        assert goal_class == ("goal-met" if met else "goal-open"), (tab, goal, value)


# --- 2. the gradient hints -----------------------------------------------------------------------


@pytest.mark.parametrize("act", NOTEBOOK_FIVE)
@pytest.mark.parametrize("tab", list(SPECS))
def test_hints_are_what_one_step_does(tab: str, act: str) -> None:
    """Each hint equals RMSE(p) − RMSE(p ± 0.1) of the better way, computed here in NumPy."""
    rng = np.random.default_rng([len(tab), len(act), 5])
    starts = [SPECS[tab].defaults] + [random_values(tab, rng) for _ in range(2)]
    arrows = 0
    for p in starts:
        _, _, _, hints = feedback(tab, p, act)
        assert len(hints) == len(PAGE_ORDER[tab])
        for name, hint in zip(PAGE_ORDER[tab], hints, strict=True):
            check_hint(hint, tab, act, p, name)
            arrows += hint != "·"
    assert arrows >= len(PAGE_ORDER[tab]), "most parameters matter somewhere"


@pytest.mark.parametrize(
    ("tab", "dead", "flat"),
    [
        # 0.5·x − 20 < 0 on [−10, 10] (and still after a step of w1 or b1): the first neuron
        # never fires.
        ("square2", {"w1": 0.5, "b1": -20.0, "w2": -1.0, "b2": 0.0}, {"w1", "b1", "w3"}),
        ("sin3", {"w2": -1.0, "b2": -15.0}, {"w2", "b2", "w5"}),
        # A11 ≡ 0, so nothing that reads it (w21, w24, w27) or feeds it moves the output.
        ("deep", {"w11": 0.5, "b11": -20.0}, {"w11", "b11", "w21", "w24", "w27"}),
    ],
)
def test_hint_is_a_dot_for_a_dead_relu_unit(
    tab: str, dead: dict[str, float], flat: set[str]
) -> None:
    p = SPECS[tab].defaults | dead
    falls = {n: step_falls(tab, "relu", p, n)[1:] for n in PAGE_ORDER[tab]}
    assert {n for n, f in falls.items() if f == (0.0, 0.0)} == flat, "the test's premise"
    _, _, _, hints = feedback(tab, p, "relu")
    by_name = dict(zip(PAGE_ORDER[tab], hints, strict=True))
    assert {n for n, h in by_name.items() if h == "·"} >= flat
    for name in PAGE_ORDER[tab]:
        check_hint(by_name[name], tab, "relu", p, name)


def test_right_after_a_fit_no_step_helps_and_every_hint_is_a_dot() -> None:
    """At a least-squares fit (goal reached), the slope may be large but no step of 0.1 lowers
    the RMSE: every hint is a dot, none claims a big number."""
    spec = SPECS["square2"]
    fitted, _, _ = coach.run_fit(
        spec,
        spec.defaults,
        "sigmoid",
        {n: (spec.param(n).lo, spec.param(n).hi) for n in spec.names},
        "en",
    )
    _, _, goal_class, hints = feedback("square2", fitted, "sigmoid")
    assert goal_class == "goal-met"
    for name, hint in zip(PAGE_ORDER["square2"], hints, strict=True):
        check_hint(hint, "square2", "sigmoid", fitted, name)
    assert set(hints) == {"·"}, hints


def test_hints_by_hand() -> None:
    nan = float("nan")
    # RMSE 1: w one step down gives 0.5, up 0.7 (▼0.5); the next only rises up (▲0.1); a third
    # gets worse both ways (·), a fourth does not move (·), an overflow counts as no fall.
    lower = [0.5, 1.2, 1.5, 1.0, nan, 0.999]
    upper = [0.7, 0.9, 1.5, 1.0, 0.25, nan]
    assert coach.hints(1.0, lower, upper, "en") == ["▼0.5", "▲0.1", "·", "·", "▲0.75", "▼0.001"]
    assert coach.hints(1.0, lower, upper, "ru") == ["▼0,5", "▲0,1", "·", "·", "▲0,75", "▼0,001"]
    # One format for every size: 3 significant digits.
    assert coach.hints(1000.0, [1000 - 123.456, 999.98765], [1000.0, 1000.0], "en") == [
        "▼123",
        "▼0.0123",
    ]
    assert coach.hints(nan, [1.0], [1.0], "en") == ["?"]
    assert coach.hints(0.0, [0.1], [0.1], "en") == ["·"]
    # A fall under a billionth of the RMSE is rounding, not a way down.
    assert coach.hints(1.0, [1.0 - 1e-10], [1.0], "en") == ["·"]


# --- 3. widened slider ranges --------------------------------------------------------------------

finite = st.floats(-HARD_LIMIT, HARD_LIMIT, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    lo=finite,
    width=st.floats(0.1, 1000.0),
    value=st.one_of(finite, st.integers(-1000, 1000).map(float)),
    default=finite,
)
def test_widened_holds_the_value_and_the_old_range(
    lo: float, width: float, value: float, default: float
) -> None:
    lo = round(lo, 2)
    hi = round(lo + width, 2)
    new_lo, new_hi = coach.widened(Param("p", default, lo, hi), value)
    assert new_lo <= value <= new_hi
    assert new_lo <= lo and new_hi >= hi
    if lo <= value <= hi:
        assert (new_lo, new_hi) == (lo, hi), "a value inside leaves the range alone"
    tol = 1e-12 * max(1.0, abs(value))  # value ± 1 rounds, e.g. -2.2e-16 - 1 is below -1
    if new_lo != lo:
        assert float(new_lo).is_integer() and value - 2 - tol < new_lo <= value - 1 + tol
        assert new_hi == hi
    if new_hi != hi:
        assert float(new_hi).is_integer() and value + 1 - tol <= new_hi < value + 2 + tol
        assert new_lo == lo


# --- 4. Fit --------------------------------------------------------------------------------------


def slider_ranges(tab: str) -> dict[str, tuple[float, float]]:
    return {p.name: (p.lo, p.hi) for p in SPECS[tab].params}


def check_fit(
    tab: str,
    act: str,
    start: Mapping[str, float],
    ranges: Mapping[str, tuple[float, float]],
    result: tuple[dict[str, float], dict[str, tuple[float, float]], str],
) -> tuple[float, float]:
    """Everything a fit result must satisfy; returns (RMSE before, after), independently."""
    fitted, new_ranges, report = result
    assert set(fitted) == set(start) and set(new_ranges) == set(ranges)
    assert all(math.isfinite(v) and abs(v) <= HARD_LIMIT for v in fitted.values()), fitted
    before, after = rmse(tab, act, start), rmse(tab, act, fitted)
    assert after <= before * (1 + 1e-12), f"{tab}/{act}: the fit made the RMSE worse"
    m = REPORT_EN.match(report)
    assert m, report
    assert_sig(m.group(1), before, 3, f"{tab}/{act} RMSE before, {report!r}")
    # The fitted values, fed back through the spec's forward pass, give the reported RMSE.
    assert_sig(m.group(2), after, 3, f"{tab}/{act} RMSE after, {report!r}")
    assert read_shown(m.group(3), "en") < 2.0
    # Ranges widen exactly for the parameters that left theirs, and the report names them.
    left = {n for n, v in fitted.items() if not ranges[n][0] <= v <= ranges[n][1]}
    grown = {n for n in ranges if new_ranges[n] != ranges[n]}
    assert grown == left
    for name, (lo, hi) in new_ranges.items():
        assert lo <= fitted[name] <= hi and lo <= ranges[name][0] and hi >= ranges[name][1]
    if left:
        w = WIDENED_EN.match(m.group(4) or "")
        assert w, report
        reported = {
            n: (read_shown(a, "en"), read_shown(b, "en")) for n, a, b in RANGE.findall(w.group(1))
        }
        assert reported == {n: new_ranges[n] for n in left}
        assert [n for n, _, _ in RANGE.findall(w.group(1))] == [n for n in ranges if n in left]
    else:
        assert m.group(4) is None, report
    return before, after


PRESETS = {p.activation: p.values for p in shipped("square2.csv", TWO_NEURONS.names)}


@pytest.mark.parametrize(
    ("act", "low", "high"), [("sigmoid", 0.0, 0.01), ("tanh", 0.0, 0.01), ("relu", 3.0, 3.6)]
)
def test_fit_from_a_square2_preset_reaches_the_spec_figure(
    act: str, low: float, high: float
) -> None:
    start = PRESETS[act]
    ranges = slider_ranges("square2")
    result = coach.run_fit(TWO_NEURONS, start, act, ranges, "en")
    before, after = check_fit("square2", act, start, ranges, result)
    # The spec's measured RMSE of each preset on [−10, 10].
    assert before == pytest.approx({"sigmoid": 4.61, "tanh": 39.8, "relu": 32.0}[act], abs=0.05)
    assert low <= after < high, f"{act}: fit reached RMSE {after}"
    if act != "relu":  # smooth activations bend into a parabola: the goal is met
        score_text, _, goal_class, _ = feedback("square2", result[0], act)
        check_score("square2", act, result[0], score_text)
        assert goal_class == "goal-met"


def test_fit_never_makes_things_worse(monkeypatch: pytest.MonkeyPatch) -> None:
    """From random starts (some out of range), short fits: never worse, ranges hold the result."""
    monkeypatch.setattr(coach, "FIT_TIME_LIMIT", 0.05)
    rng = np.random.default_rng(11)
    for tab in SPECS:
        for act in NOTEBOOK_FIVE:
            start = random_values(tab, rng)
            name = str(rng.choice(PAGE_ORDER[tab]))
            start[name] = float(rng.choice([-1, 1]) * rng.uniform(20, 400))  # typed beyond
            ranges = slider_ranges(tab)
            check_fit(tab, act, start, ranges, coach.run_fit(SPECS[tab], start, act, ranges, "en"))


def test_fit_from_a_fitted_point_keeps_its_ranges() -> None:
    """Fit twice: the second starts inside the ranges the first widened and widens none."""
    ranges = slider_ranges("square2")
    fitted, widened, _ = coach.run_fit(TWO_NEURONS, PRESETS["relu"], "relu", ranges, "en")
    again = coach.run_fit(TWO_NEURONS, fitted, "relu", widened, "en")
    check_fit("square2", "relu", fitted, widened, again)
    assert again[1] == widened


# --- 5. the endpoints ----------------------------------------------------------------------------


def is_pattern(pattern: Any) -> bool:
    return isinstance(pattern, dict) and ["ALL"] in pattern.values()


def action_dependency(dependencies: list[dict[str, Any]], tab: str, what: str) -> dict[str, Any]:
    button = dom_id({"tab": tab, "type": "action", "what": what})
    (dep,) = [d for d in dependencies if any(i["id"] == button for i in d["inputs"])]
    return dep


def click_body(
    dep: dict[str, Any], layout: Any, state: Mapping[tuple[str, str], Any] | None = None
) -> dict[str, Any]:
    """The body dash-renderer posts when the callback's button is clicked once.

    Like ``request_body`` (dashboard/devtools/bodies.py), from /_dash-dependencies and the
    layout, but states may be pattern groups (the parameters' value, min and max). ``state``
    overrides a state by (parameter name or DOM id, property); a ``None`` value is sent without
    a value.
    """
    state = state or {}
    props = list(components(layout))
    (button,) = dep["inputs"]
    button_id = parse_id(button["id"])
    inputs = [{"id": button_id, "property": button["property"], "value": 1}]
    changed = [f"{button['id']}.{button['property']}"]

    def item(p: dict[str, Any], prop: str) -> dict[str, Any]:
        key = (
            p["id"]["name"] if isinstance(p["id"], dict) and "name" in p["id"] else dom_id(p["id"])
        )
        value = state.get((key, prop), p.get(prop))
        return {"id": p["id"], "property": prop, **({} if value is None else {"value": value})}

    states: list[Any] = []
    for spec in dep["state"]:
        pattern, prop = parse_id(spec["id"]), spec["property"]
        found = [item(p, prop) for p in props if matches(pattern, p["id"])]
        states.append(found if is_pattern(pattern) else found[0])
    outputs = request_outputs(dep, props)
    return {
        "output": dep["output"],
        "outputs": outputs[0] if len(outputs) == 1 else outputs,
        "inputs": inputs,
        "changedPropIds": changed,
        "parsedChangedPropsIds": [button_id],
        "state": states,
    }


def post(client: FlaskClient, body: Mapping[str, Any]) -> dict[str, Any]:
    response = client.post(UPDATE, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.get_data()
    return response.get_json()["response"]


def param_key(tab: str, name: str) -> str:
    return dom_id({"name": name, "tab": tab, "type": "param"})


@pytest.mark.parametrize("tab", list(SPECS))
def test_fit_endpoint_moves_sliders_widens_ranges_and_reports(
    tab: str, client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = action_dependency(dependencies, tab, "fit")
    start = dict(SPECS[tab].defaults)
    start[PAGE_ORDER[tab][0]] = 2.5  # moved by hand before pressing Fit
    body = click_body(dep, layout, {(n, "value"): v for n, v in start.items()})
    response = post(client, body)
    report = response.pop(dom_id({"tab": tab, "type": "report", "what": "fit"}))["children"]
    assert set(response) == {param_key(tab, n) for n in PAGE_ORDER[tab]}
    fitted = {n: response[param_key(tab, n)]["value"] for n in PAGE_ORDER[tab]}
    new_ranges = {
        n: (response[param_key(tab, n)]["min"], response[param_key(tab, n)]["max"])
        for n in PAGE_ORDER[tab]
    }
    assert fitted != start
    before, after = check_fit(
        tab, "sigmoid", start, slider_ranges(tab), (fitted, new_ranges, report)
    )
    assert after < before
    for name, (lo, hi) in new_ranges.items():
        marks = {float(k): v for k, v in response[param_key(tab, name)]["marks"].items()}
        assert min(marks) == lo and max(marks) == hi, (name, marks)
        assert all(v == f"{k:g}" for k, v in marks.items()), marks
        assert set(marks) <= {lo, hi, 0.0}


def test_fit_endpoint_with_an_empty_box_changes_nothing(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = action_dependency(dependencies, "square2", "fit")
    response = post(client, click_body(dep, layout, {("b2", "value"): None}))
    report = dom_id({"tab": "square2", "type": "report", "what": "fit"})
    assert response == {
        report: {"children": "b2: enter a number; the plot shows the last valid values."}
    }
    in_russian = click_body(dep, layout, {("b2", "value"): None, ("lang", "value"): "ru"})
    assert post(client, in_russian) == {
        report: {"children": "b2: введите число; на графике последние допустимые значения."}
    }


def table_rows(children: Any) -> list[tuple[list[str], str]]:
    """(cell texts, class) of every body row of a serialised html.Table."""
    rows = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            if node.get("type") == "Tr" and node.get("namespace") == "dash_html_components":
                cells = node["props"]["children"]
                if all(c.get("type") == "Td" for c in cells):
                    rows.append(
                        ([c["props"]["children"] for c in cells], node["props"].get("className"))
                    )
                return
            walk(node.get("props", {}).get("children"))

    walk(children)
    return rows


def test_best_fit_endpoint_shows_each_activation(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = action_dependency(dependencies, "square2", "best")
    body = click_body(
        dep, layout, {(dom_id({"tab": "square2", "type": "activation"}), "value"): "relu"}
    )
    response = post(client, body)
    children = response[dom_id({"tab": "square2", "type": "report", "what": "best"})]["children"]
    rows = table_rows(children)
    assert [cells[0] for cells, _ in rows] == ["Sigmoid", "TanH", "ReLU", "ELU", "Leaky ReLU"]
    best = {cells[0]: read_shown(cells[1], "en") for cells, _ in rows}
    assert best["Sigmoid"] < 0.01 and best["TanH"] < 0.01
    assert best["ReLU"] == pytest.approx(3.3, abs=0.3)
    assert best["Leaky ReLU"] == pytest.approx(3.3, abs=0.3)
    assert best["ELU"] < 0.1
    assert [cls for _, cls in rows] == ["", "", "current", "", ""]


@pytest.mark.parametrize("tab", list(SPECS))
def test_slider_move_answers_with_score_goal_and_hints(
    tab: str, client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    """The figure callback's answer carries the coach's outputs.

    They travel as one JSON text in the score line's ``data-feedback`` attribute (one output
    instead of one per text; assets/feedback.js writes them out, hints by slider name); here
    the numbers are checked against NumPy.
    """
    from tests.support.dash import request_body

    dep = find_dependency(dependencies, tab)
    outputs = split_outputs(dep["output"])
    assert ({"tab": tab, "type": "feedback"}, FEEDBACK) in outputs
    p = dict(SPECS[tab].defaults)
    moved = PAGE_ORDER[tab][-2]
    p[moved] += 0.3
    response = post(client, request_body(dep, layout, {moved: p[moved]}))
    parts = json.loads(response[dom_id({"tab": tab, "type": "feedback"})][FEEDBACK])
    assert parts["status"] == ""
    check_score(tab, "sigmoid", p, parts["score"])
    assert parts["goalClass"] == (
        "goal-met" if rmse(tab, "sigmoid", p) < GOALS[tab] else "goal-open"
    )
    assert list(parts["hints"]) == list(PAGE_ORDER[tab])
    for name in PAGE_ORDER[tab]:
        check_hint(parts["hints"][name], tab, "sigmoid", p, name)


def test_hint_order_matches_the_page(layout: Any) -> None:
    """Hints are matched to sliders by position: both follow the page's order."""
    for tab in SPECS:
        found = [
            p["id"]["name"]
            for p in components(layout)
            if isinstance(p["id"], dict)
            and p["id"].get("tab") == tab
            and p["id"].get("type") in ("hint", "param")
        ]
        assert found[0::2] == found[1::2] == list(PAGE_ORDER[tab])
        assert SPECS[tab].slider_order == PAGE_ORDER[tab]
