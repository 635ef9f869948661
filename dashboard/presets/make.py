"""How the shipped tables of the 3-neuron and the two-layer tabs were computed.

``python -m dashboard.presets.make sin3 deep`` rewrites ``sin3.csv`` and ``deep.csv`` and prints
each row's RMSE. For each of the notebook's five activations it runs the dashboard's own
least-squares fit (:func:`dashboard.model.fit.fit`) from the tab's defaults and from seeded
random starts within the sliders' ranges. The ``POOL`` results with the lowest RMSE whose values
all stay within ±1000 (good fits of x² need output weights far beyond the sliders' ranges:
three units bounded by 1 must add up to 100) are each rounded to two decimals and then moved
one value at a time by 0.01 while that lowers the RMSE; the one with the lowest RMSE after
that ships. Rounding costs a network with steep units much of its fit, and how much differs
from one fit to another, so the best fit is not always the best preset.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

import numpy as np

from dashboard.model import GALLERY_ORDER, get_activation, score
from dashboard.model.fit import fit
from dashboard.presets import PRESET_DIR, TABLES, Preset, write_table
from dashboard.problem import Problem
from dashboard.sections import SPECS_BY_KEY, ApproxSpec

BOUND = 1000.0
"""Largest |value| a preset may have."""
POOL = 8
"""How many of the best fits are rounded and compared."""
STARTS = 40
"""Random starts per activation, besides the tab's defaults."""
MAX_NFEV = 3000
"""Evaluation budget of each fit (no time limit: the result does not depend on the machine)."""
DECIMALS = 2
GAIN = 1e-6
"""Least drop in RMSE a 0.01 step must bring: a value that hardly matters (the bias of a unit
that is flat on the whole grid) would otherwise drift along by rounding noise."""


def rmse(spec: ApproxSpec, key: str, values: Mapping[str, float]) -> float:
    """The RMSE of the tab's network against its own target on its own interval."""
    problem = Problem.default(spec)
    x = problem.x()
    return score(spec.network(values, get_activation(key))(x), problem.y(x)).rmse


def largest(values: Mapping[str, float]) -> float:
    return max(abs(v) for v in values.values())


def fits(spec: ApproxSpec, key: str, seed: int = 0) -> list[tuple[float, dict[str, float]]]:
    """(RMSE, values) of the fits from the tab's defaults and ``STARTS`` random starts whose
    values stay within ±``BOUND``, best first."""
    problem = Problem.default(spec)
    x = problem.x()
    y = problem.y(x)
    act = get_activation(key)
    rng = np.random.default_rng(seed)
    starts = [spec.defaults]
    for _ in range(STARTS):
        starts.append({p.name: float(rng.uniform(p.lo, p.hi)) for p in spec.params})
    results = []
    for start in starts:
        result = fit(spec.network(start, act), x, y, max_nfev=MAX_NFEV, time_limit=None)
        values = spec.values_of(result.network)
        if largest(values) <= BOUND:
            results.append((result.rmse_after, values))
    if not results:
        raise RuntimeError(f"{spec.key}/{key}: no fit stayed within ±{BOUND:g}")
    return sorted(results, key=lambda r: r[0])


def rounded(spec: ApproxSpec, key: str, values: Mapping[str, float]) -> dict[str, float]:
    """``values`` rounded to ``DECIMALS``, then improved one step of 0.01 at a time."""
    unit = 10.0**-DECIMALS
    current = {n: round(v, DECIMALS) + 0.0 for n, v in values.items()}  # + 0.0: no -0
    error = rmse(spec, key, current)
    improved = True
    while improved:
        improved = False
        for name in spec.names:
            for direction in (1, -1):
                while True:
                    trial = {
                        **current,
                        name: round(current[name] + direction * unit, DECIMALS) + 0.0,
                    }
                    if abs(trial[name]) > BOUND:
                        break
                    trial_error = rmse(spec, key, trial)
                    if not trial_error < error - GAIN:
                        break
                    current, error, improved = trial, trial_error, True
    return current


def table(tab: str) -> list[Preset]:
    spec = SPECS_BY_KEY[tab]
    presets = []
    for key in GALLERY_ORDER:
        pool = fits(spec, key)[:POOL]
        candidates = [(rounded(spec, key, values), error) for error, values in pool]
        values, error = min(candidates, key=lambda c: (rmse(spec, key, c[0]), largest(c[0])))
        print(
            f"{tab} {key}: fit {error:.4f}, 2 decimals {rmse(spec, key, values):.4f}, "
            f"largest |value| {largest(values):g}",
            flush=True,
        )
        presets.append(Preset(key, values))
    return presets


def main(tabs: list[str]) -> None:
    for tab in tabs:
        spec = SPECS_BY_KEY[tab]
        write_table(PRESET_DIR / TABLES[tab], table(tab), spec.names)


if __name__ == "__main__":
    main(sys.argv[1:] or ["sin3", "deep"])
