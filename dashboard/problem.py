"""What an approximation tab asks of its network: a target function on an x interval.

A :class:`Problem` is the student's choice of target (x², sin x, |x|, x³, a step, a Gaussian
bump, or a typed formula), of the interval the fit is judged on, and of whether to show the
network beyond that interval. It is a small frozen value: it travels in the browser's record
of what was drawn, keys caches, and rebuilds the same grid anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from dashboard.model.activations import Array
from dashboard.model.formula import Formula, FormulaError, parse
from dashboard.sections import TARGETS, ApproxSpec

POINTS = 1000
"""Points on the fitted interval, as in the notebook."""
LIMIT = 1000.0
"""Largest |x| an interval end may have."""
BEYOND = 0.5
"""How far the plot reaches past each end of the interval, as a share of its width."""
GOAL_SHARE = 0.01
"""The goal: an RMSE below 1 % of the target's span on the interval."""

FIXED_TARGETS: Mapping[str, tuple[Callable[[Array], Array], str]] = {
    # The notebook's own targets, as sections.TARGETS states them, then the new ones.
    **{key: (target.fn, target.latex) for key, target in TARGETS.items()},
    "abs": (np.abs, "|x|"),
    "cube": (lambda x: x**3, "x^3"),
    "step": (lambda x: (x > 0).astype(float), r"\mathbb{1}[x > 0]"),
    "bump": (lambda x: np.exp(-(x**2)), "e^{-x^2}"),
}
TARGET_KEYS: tuple[str, ...] = (*FIXED_TARGETS, "formula")


class ProblemError(ValueError):
    """A problem that cannot be used; ``key`` names the message, ``fields`` fill it in."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Problem:
    target: str
    formula: str
    lo: float
    hi: float
    beyond: bool = False
    stack: bool = False
    """Draw the output as the stacked contributions of the last hidden layer plus the bias."""
    threshold: float | None = None
    """An RMSE set as the goal (an instructor's link, or typed); None: the usual goal."""

    @classmethod
    def default(cls, spec: ApproxSpec) -> Problem:
        """The notebook's problem for a tab: its target on its interval."""
        return _default(cls, spec)

    def _task(self) -> tuple[str, str, float, float]:
        """What is approximated where, without how it is shown or the goal."""
        return self.target, self.formula, self.lo, self.hi

    def x(self) -> Array:
        """The fitted interval's grid."""
        return _grid(self.lo, self.hi, POINTS)

    def x_plot(self) -> Array:
        """The plotted grid: the interval, or half its width more on each side."""
        if not self.beyond:
            return self.x()
        pad = BEYOND * (self.hi - self.lo)
        return _grid(self.lo - pad, self.hi + pad, 2 * POINTS)

    def y(self, x: Array) -> Array:
        if self.target == "formula":
            return _formula(self.formula)(x)
        return FIXED_TARGETS[self.target][0](x)

    def latex(self) -> str:
        return self.formula if self.target == "formula" else FIXED_TARGETS[self.target][1]

    def goal(self, spec: ApproxSpec) -> float:
        """The RMSE that counts as success: the tab's own goal for its own problem, else 1 %
        of the target's span on the interval. Showing the plot beyond the interval or stacked
        changes neither the problem nor its goal."""
        if self.threshold is not None:
            return self.threshold
        if self._task() == Problem.default(spec)._task():
            return spec.goal
        y = self.y(self.x())
        span = float(np.max(y) - np.min(y))
        return float(f"{max(GOAL_SHARE * span, 1e-3):.2g}")

    def y_range(self, spec: ApproxSpec) -> tuple[float, float] | None:
        """The tab's fixed y range for its own problem; otherwise None (Plotly autoscales)."""
        own = not (self.beyond or self.stack) and self._task() == Problem.default(spec)._task()
        return spec.y_range if own else None

    def record(self) -> dict[str, Any]:
        record = {
            "target": self.target,
            "formula": self.formula,
            "lo": self.lo,
            "hi": self.hi,
            "beyond": self.beyond,
            "stack": self.stack,
        }
        if self.threshold is not None:
            record["threshold"] = self.threshold
        return record


@lru_cache(maxsize=256)
def _default(cls: type[Problem], spec: ApproxSpec) -> Problem:
    """Made once per spec (problems are frozen): a slider step compares against it twice.
    Bounded: the builder makes a spec for every architecture a student tries."""
    return cls(spec.target, "", spec.grid.lo, spec.grid.hi, False)


@lru_cache(maxsize=64)
def _grid(lo: float, hi: float, n: int) -> Array:
    x = np.linspace(lo, hi, n)
    x.flags.writeable = False
    return x


@lru_cache(maxsize=256)
def _formula(text: str) -> Formula:
    return parse(text)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ProblemError("target.not_number", name=name)
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ProblemError("target.not_number", name=name) from None
    if not math.isfinite(number) or abs(number) > LIMIT:
        raise ProblemError("target.out_of_range", name=name, limit=LIMIT)
    return number


def build(
    spec: ApproxSpec,
    target: Any,
    formula: Any,
    lo: Any,
    hi: Any,
    beyond: Any,
    stack: Any = None,
    goal: Any = None,
) -> Problem:
    """A checked problem from the tab's controls; any fault raises :class:`ProblemError`.

    ``goal`` is the goal RMSE box: empty for the usual goal, else a positive number.
    """
    threshold = _threshold(goal)
    if target is None and formula is None and lo is None and hi is None:
        return replace(Problem.default(spec), threshold=threshold)
    if target not in TARGET_KEYS:
        raise ProblemError("target.unknown")
    lo_v, hi_v = _interval(lo, hi)
    problem = Problem(target, "", lo_v, hi_v, bool(beyond), bool(stack), threshold)
    if target == "formula":
        parsed = _parsed(formula)
        problem = replace(problem, formula=parsed.text)
        with np.errstate(all="ignore"):
            y = np.asarray(parsed(problem.x_plot()), dtype=float)
        bad = ~np.isfinite(y)
        if bad.any():
            at = float(problem.x_plot()[np.argmax(bad)])
            raise ProblemError("target.not_finite", at=float(f"{at:.4g}"))
    return problem


BOXES: tuple[str, ...] = ("formula", "a", "b", "goal")
"""The target controls a person types into, each checked on its own by :func:`faults`."""
BOX_OF: Mapping[str, tuple[str, ...]] = {
    "target.empty_formula": ("formula",),
    "target.bad_formula": ("formula",),
    "target.unfinished_formula": ("formula",),
    "target.not_finite": ("formula",),
    "target.empty_interval": ("a", "b"),
    "target.bad_goal": ("goal",),
}
"""The boxes a fault is about (an end's own fault names its end in the field ``name``)."""


def faults(
    spec: ApproxSpec,
    target: Any,
    formula: Any,
    lo: Any,
    hi: Any,
    beyond: Any,
    stack: Any = None,
    goal: Any = None,
) -> dict[str, ProblemError]:
    """The fault of each box of :data:`BOXES` that has one, so that each is said at its box.

    :func:`build` stops at the first fault; here a bad goal or interval does not hide a bad
    formula. ``a >= b`` is a fault of both ends. The controls all empty are the tab's own
    problem, as for :func:`build`; an unknown target is no box's fault.
    """
    found: dict[str, ProblemError] = {}

    def keep(check: Callable[[], Any]) -> None:
        try:
            check()
        except ProblemError as e:
            boxes = BOX_OF.get(e.key) or ((e.fields["name"],) if "name" in e.fields else ())
            for box in boxes:
                found.setdefault(box, e)

    keep(lambda: _threshold(goal))
    if target is None and formula is None and lo is None and hi is None:
        return found
    keep(lambda: _number(lo, "a"))
    keep(lambda: _number(hi, "b"))
    if not found.keys() & {"a", "b"}:
        keep(lambda: _interval(lo, hi))
    if target == "formula":
        if found.keys() & {"a", "b"}:  # no interval to look for values that are not finite on
            keep(lambda: _parsed(formula))
        else:
            keep(lambda: build(spec, target, formula, lo, hi, beyond, stack))
    return found


def _interval(lo: Any, hi: Any) -> tuple[float, float]:
    lo_v, hi_v = _number(lo, "a"), _number(hi, "b")
    if not lo_v < hi_v:
        raise ProblemError("target.empty_interval")
    return lo_v, hi_v


def _parsed(formula: Any) -> Formula:
    """The typed formula, parsed; its fault is said with the place counted as people count, from
    1, in the text as it stands in the box (spaces before it count too)."""
    typed = formula if isinstance(formula, str) else ""
    text = typed.strip()
    if not text:
        raise ProblemError("target.empty_formula")
    try:
        return _formula(text)
    except FormulaError as e:
        lead = len(typed) - len(typed.lstrip())
        shown = typed.rstrip()
        if e.position is None or e.position >= len(text):  # the text ended where more was due
            raise ProblemError(
                "target.unfinished_formula",
                reason=e.reason,
                after=len(shown),
                marked=_mark(shown, len(shown)),
            ) from None
        raise ProblemError(
            "target.bad_formula",
            reason=e.reason,
            position=lead + e.position + 1,
            marked=_mark(shown, lead + e.position),
        ) from None


MAX_GOAL = 1e6
"""Largest goal RMSE the goal box takes."""


def _threshold(goal: Any) -> float | None:
    """The goal box's RMSE: None when empty, else a positive finite number up to MAX_GOAL."""
    if goal is None or (isinstance(goal, str) and not goal.strip()):
        return None
    if isinstance(goal, bool):
        raise ProblemError("target.bad_goal", limit=MAX_GOAL)
    try:
        value = float(goal)
    except (TypeError, ValueError, OverflowError):
        raise ProblemError("target.bad_goal", limit=MAX_GOAL) from None
    if not (math.isfinite(value) and 0 < value <= MAX_GOAL):
        raise ProblemError("target.bad_goal", limit=MAX_GOAL)
    return value


def _mark(text: str, position: int) -> str:
    """The formula with the character at 0-based ``position`` bracketed, for the message."""
    position = max(0, min(position, len(text)))
    return f"{text[:position]}⟦{text[position : position + 1]}⟧{text[position + 1 :]}"
