"""Benchmark of training: optimiser steps per second of ``dashboard.model.train.run``.

Run ``python bench/train.py`` (add ``--quick`` for a shorter run). For the largest network the
builder allows, 4 hidden layers of 8 units, on 1,000 points of x² on [-3, 3], it prints the
median over interleaved rounds of steps per second for full-batch Adam and SGD with momentum
with a few activations, and mini-batches of 32 for comparison; and the diagram figure's build
time for the same net. Each round is one ``run`` call of a fixed number of steps (its time
budget set high enough not to stop it), so the figure includes everything a server call does
per step apart from (de)serialising the state, which is timed separately.

Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.figures_diagram import diagram_figure, diagram_patch  # noqa: E402
from dashboard.model.train import (  # noqa: E402
    MAX_TIME_BUDGET,
    Architecture,
    TrainConfig,
    TrainState,
    init_state,
    run,
)

X = np.linspace(-3.0, 3.0, 1000)
T = X**2
CASES = [
    ("tanh", "adam", 0),
    ("tanh", "sgd", 0),
    ("relu", "adam", 0),
    ("sigmoid", "adam", 0),
    ("gelu", "adam", 0),
    ("tanh", "adam", 32),
]


def steps_per_second(activation: str, optimizer: str, batch: int, steps: int) -> float:
    arch = Architecture((8,) * 4, (activation,) * 4)
    config = TrainConfig(optimizer, 0.001, batch_size=batch)
    state = init_state(arch, config, seed=0, interval=(-3.0, 3.0))
    started = time.perf_counter()
    new, _ = run(state, X, T, steps, MAX_TIME_BUDGET)
    elapsed = time.perf_counter() - started
    if new.step != steps:
        raise RuntimeError(f"{activation}/{optimizer}: stopped at {new.step} ({new.stop})")
    return steps / elapsed


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and steps")
    args = parser.parse_args()
    rounds, steps = (3, 100) if args.quick else (9, 300)

    results: dict[tuple[str, str, int], list[float]] = {case: [] for case in CASES}
    for _ in range(rounds):  # interleaved, so a busy moment of the machine hits every case
        for case in CASES:
            results[case].append(steps_per_second(*case, steps))

    print(f"4 x 8 net, 1000 points of x² on [-3, 3]; {rounds} rounds of {steps} steps, medians")
    print(f"{'activation':<10} {'optimiser':<9} {'batch':<6} {'steps/s':>8} {'ms/step':>8}")
    for (act, opt, batch), values in results.items():
        rate = statistics.median(values)
        label = "full" if batch == 0 else str(batch)
        print(f"{act:<10} {opt:<9} {label:<6} {rate:8.0f} {1000 / rate:8.3f}")

    state = init_state(Architecture((8,) * 4, ("tanh",) * 4), seed=0, interval=(-3.0, 3.0))
    state, _ = run(state, X, T, 10, MAX_TIME_BUDGET)
    text = json.dumps(state.to_dict())
    repeat = 50 if args.quick else 200
    round_trip = timed(lambda: TrainState.from_dict(json.loads(text)).to_dict(), repeat)
    net = state.network()
    figure = timed(lambda: diagram_figure(net, "en"), repeat)
    patch = timed(lambda: diagram_patch(net, "en").to_plotly_json(), repeat)
    print(f"state JSON: {len(text)} bytes; decode + encode {round_trip * 1e3:.3f} ms")
    edges = sum(layer.weights.size for layer in net.layers)
    print(f"diagram ({edges} edges): figure {figure * 1e3:.2f} ms, patch {patch * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
