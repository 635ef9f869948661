"""What turns hand-tuning into guided practice on the approximation tabs.

A live score (RMSE, max error, goal), beside each slider what one step of it does to the
RMSE, a least-squares Fit button and, per activation, the best RMSE a fit reaches. The hints
come from the network evaluated at each parameter ± one step (``dashboard.model.steps``), Fit
from the analytic Jacobian (``dashboard.model.gradients``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dashboard.i18n import activation_name, t
from dashboard.model import (
    GALLERY_ORDER,
    Activation,
    Forward,
    Score,
    get_activation,
    score,
)
from dashboard.model.activations import Array
from dashboard.model.steps import step_rmse
from dashboard.numbers import fmt
from dashboard.presets import Preset
from dashboard.problem import Problem
from dashboard.sections import STEP, ApproxSpec, Param
from dashboard.views.actparams import describe, is_default
from dashboard.views.common import HARD_LIMIT, marks

FIT_TIME_LIMIT = 0.75
"""Seconds a Fit may take; the fit returns the best point found by then."""
BEST_TIME_LIMIT = 2.0
"""A safety net in seconds for each start of the cached best-fit search. The search ends at
the fit's evaluation budget well before it (at most about 1 s a start on a loaded 2-core
machine), so the best-fit table shows the same numbers on any machine and the explanations
can quote them (tests/test_numbers_text.py checks the quoted ones); ten starts stay far inside a
worker's timeout."""
FIT_LIMIT = HARD_LIMIT - 1.0
"""Largest |value| Fit writes into a slider: its widened range then stays within HARD_LIMIT."""


SCORE_DIGITS = 3
"""Significant digits of an RMSE or an error in the score line, the Fit report and the
best-fit table."""
SECONDS_DIGITS = 2
"""Significant digits of the time a Fit took."""


@dataclass(frozen=True)
class LivePass:
    """One evaluation of the network for a slider step: what the plot draws and what the score
    and the hints need, from a single pass when the plot shows just the fitted interval."""

    plot: Forward
    """Every unit on the plotted grid (``problem.x_plot()``)."""
    score: Score
    """The output's score against the target on the fitted interval's grid (``problem.x()``)."""
    lower: Array | None
    """The RMSE there with each parameter one slider step lower (``spec.theta_names`` order);
    None when the hints were not asked for (a training frame)."""
    upper: Array | None
    """The RMSE with each parameter one slider step higher (None as ``lower``)."""


def live_pass(
    spec: ApproxSpec,
    values: Mapping[str, float],
    activation: Activation,
    problem: Problem,
    params: Mapping[str, float] | None = None,
    hints: bool = True,
) -> LivePass:
    """Evaluate the network once for the plot, the score and (with ``hints``) the hints.

    The plot and the fitted interval share one grid unless the plot reaches beyond the
    interval; only then is the network run a second time, on the wider grid. The hints cost
    two evaluations of the later layers per parameter, which a training frame, moving every
    slider at once, does without.
    """
    x = problem.x()
    target = problem.y(x)
    net = spec.network(values, activation, params)
    if hints:
        s, lower, upper, fwd = step_rmse(net, x, target, STEP)
    else:
        fwd = net.forward(x)
        s, lower, upper = score(fwd.output, target), None, None
    plot = net.forward(problem.x_plot()) if problem.beyond else fwd
    return LivePass(plot, s, lower, upper)


def feedback(
    spec: ApproxSpec,
    values: Mapping[str, float],
    activation: str,
    lang: str,
    problem: Problem | None = None,
    params: Mapping[str, float] | None = None,
    live: LivePass | None = None,
) -> tuple[str, str, str, list[str]]:
    """Score text, goal text, goal class and one hint per slider (in ``slider order``).

    The score is taken on the problem's interval only, even when the plot reaches beyond it.
    ``params`` are the activation's own parameters (defaults where missing); ``live`` is the
    step's :func:`live_pass` of these very values, when the caller has made it already.
    """
    problem = problem or Problem.default(spec)
    if live is None:
        live = live_pass(spec, values, get_activation(activation), problem, params)
    s = live.score
    text = t(
        lang,
        "score.line",
        rmse=fmt(s.rmse, lang, SCORE_DIGITS),
        max=fmt(s.max_error, lang, SCORE_DIGITS),
    )
    goal = problem.goal(spec)
    met = s.rmse < goal
    goal_text = t(
        lang, "score.goal_met" if met else "score.goal_open", goal=fmt(goal, lang, SCORE_DIGITS)
    )
    if live.lower is None or live.upper is None:
        return text, goal_text, "goal-met" if met else "goal-open", [""] * len(spec.slider_order)
    texts = dict(zip(spec.theta_names, hints(s.rmse, live.lower, live.upper, lang), strict=True))
    shown = [texts[n] for n in spec.slider_order]
    return text, goal_text, "goal-met" if met else "goal-open", shown


HINT_DIGITS = 3
"""Significant digits of a hint's number."""
NOISE = 1e-9
"""A step must lower the RMSE by more than this share of it to count: less is rounding."""


def hints(rmse: float, lower: Sequence[float], upper: Sequence[float], lang: str) -> list[str]:
    """For each parameter, what one slider step does: which way lowers the RMSE and by how much.

    ``lower`` and ``upper`` are the RMSE with that parameter one step lower and one step higher
    (:func:`live_pass`). ▲ means "raise it one step", ▼ "lower it one step", and the number is
    how much the RMSE falls then (the better way, when both do). A dot: neither step lowers it.
    "?" when the RMSE is not a number (the network overflows).
    """
    if not math.isfinite(rmse):
        return ["?" for _ in lower]

    def fall(moved: float) -> float:
        change = rmse - float(moved)
        return change if not math.isnan(change) else -math.inf  # an overflow: no fall

    out = []
    for down, up in zip(lower, upper, strict=True):
        fall_down, fall_up = fall(down), fall(up)
        best = max(fall_down, fall_up)
        if not best > NOISE * rmse:
            out.append("·")
        else:
            out.append(("▲" if fall_up >= fall_down else "▼") + fmt(best, lang, HINT_DIGITS))
    return out


def widened(p: Param, value: float) -> tuple[float, float]:
    """A slider range that holds ``value``, grown to a whole number of steps beyond it."""
    lo, hi = p.lo, p.hi
    if value < lo:
        lo = math.floor(value - 1.0)
    if value > hi:
        hi = math.ceil(value + 1.0)
    return lo, hi


def slider_range(p: Param, lo: Any, hi: Any) -> tuple[float, float]:
    """The range a slider reported, or ``p``'s own unless it is two numbers in order within
    HARD_LIMIT (the range comes from the browser, so it may be anything)."""
    if (
        all(
            isinstance(v, int | float)
            and not isinstance(v, bool)
            and -HARD_LIMIT <= v <= HARD_LIMIT
            for v in (lo, hi)
        )
        and lo < hi
    ):
        return float(lo), float(hi)
    return p.lo, p.hi


def fit_outputs(
    names: Sequence[str],
    fitted: Mapping[str, float],
    ranges: Mapping[str, tuple[float, float]],
    report: str,
) -> tuple[list[float], list[float], list[float], list[dict[float, str]], str]:
    """What a Fit callback sends, from :func:`run_fit`'s result: the sliders' values, mins,
    maxes and marks (in the order of ``names``), then the report."""
    return (
        [fitted[n] for n in names],
        [ranges[n][0] for n in names],
        [ranges[n][1] for n in names],
        [marks(*ranges[n]) for n in names],
        report,
    )


def run_fit(
    spec: ApproxSpec,
    values: Mapping[str, float],
    activation: str,
    ranges: Mapping[str, tuple[float, float]],
    lang: str,
    problem: Problem | None = None,
    params: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], dict[str, tuple[float, float]], str]:
    """Fit from ``values``: new values, slider ranges (widened where needed) and a report.

    The activation keeps its own ``params`` (defaults where missing): only the network's
    weights and biases are fitted.
    """
    from dashboard.model.fit import fit

    problem = problem or Problem.default(spec)
    x = problem.x()
    target = problem.y(x)
    start = time.perf_counter()
    act = get_activation(activation)
    result = fit(spec.network(values, act, params), x, target, time_limit=FIT_TIME_LIMIT)
    # A parameter that no longer matters (a dead unit's bias) can run off to 1e160; the app
    # refuses values beyond HARD_LIMIT, so clip it inside (and fall back below if that hurts).
    fitted = {
        n: float(f"{min(max(v, -FIT_LIMIT), FIT_LIMIT):.6g}")
        for n, v in spec.values_of(result.network).items()
    }
    after = score(spec.network(fitted, act, params)(x), target).rmse
    if not after <= result.rmse_before:  # rounding must never make things worse
        fitted, after = dict(values), result.rmse_before
    new_ranges = {}
    grown = []
    for name, sent in ranges.items():
        lo, hi = slider_range(spec.param(name), *sent)
        p = Param(name, values[name], lo, hi)
        new_lo, new_hi = widened(p, fitted[name])
        new_ranges[name] = (new_lo, new_hi)
        if (new_lo, new_hi) != (lo, hi):
            grown.append(f"{name} {t(lang, 'fit.range', lo=new_lo, hi=new_hi)}")
    report = t(
        lang,
        "fit.report",
        before=fmt(result.rmse_before, lang, SCORE_DIGITS),
        after=fmt(after, lang, SCORE_DIGITS),
        seconds=fmt(time.perf_counter() - start, lang, SECONDS_DIGITS),
    )
    if grown:
        report += " " + t(lang, "fit.widened", ranges=", ".join(grown))
    return fitted, new_ranges, report


@lru_cache(maxsize=512)
def best_rmse(
    spec: ApproxSpec,
    activation: str,
    starts: tuple[tuple[float, ...], ...],
    problem: Problem,
    params: tuple[tuple[str, float], ...] = (),
) -> float:
    """The lowest RMSE a fit reaches from any of ``starts`` (values in ``spec.names`` order).

    ``params`` are the activation's own parameters as (name, value) pairs (defaults where
    missing). Cached per process: each worker computes it once per tab, activation, its
    parameters and problem.
    """
    from dashboard.model.fit import fit

    x = problem.x()
    target = problem.y(x)
    act = get_activation(activation)
    best = math.inf
    for start in starts:
        net = spec.network(dict(zip(spec.names, start, strict=True)), act, dict(params))
        best = min(best, fit(net, x, target, time_limit=BEST_TIME_LIMIT).rmse_after)
    return best


def best_starts(spec: ApproxSpec, presets: Sequence[Preset], activation: str) -> tuple:
    """Where the search starts: the tab's defaults and the activation's own preset, if any."""
    starts = [tuple(spec.defaults[n] for n in spec.names)]
    starts += [
        tuple(p.values[n] for n in spec.names) for p in presets if p.activation == activation
    ]
    return tuple(starts)


def best_table(
    spec: ApproxSpec,
    presets: Sequence[Preset],
    current: str,
    lang: str,
    problem: Problem | None = None,
    params: Mapping[str, Mapping[str, float]] | None = None,
) -> list[tuple[str, str, bool]]:
    """(activation name, best RMSE, is current) for the notebook's five activations.

    ``params`` holds, by activation key, the parameters the tab's controls set for it
    (defaults where missing); a row whose parameters differ from the defaults names them.
    """
    problem = problem or Problem.default(spec)
    params = params or {}
    rows = []
    for key in GALLERY_ORDER:
        own = {**get_activation(key).params, **params.get(key, {})}
        pairs = tuple(sorted(own.items()))
        rmse = best_rmse(spec, key, best_starts(spec, presets, key), problem, pairs)
        name = activation_name(lang, key)
        if not is_default(key, own):
            name = t(lang, "catalogue.best_row", name=name, params=describe(own, lang))
        rows.append((name, fmt(rmse, lang, SCORE_DIGITS), key == current))
    return rows
