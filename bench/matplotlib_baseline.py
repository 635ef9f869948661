"""The notebook's way of updating a plot: redraw the whole matplotlib figure to a PNG.

Used by ``bench/updates.py`` as the baseline a slider move costs without a browser plot.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def redraw_png(
    w1: float, b1: float, w2: float, b2: float, w3: float, w4: float, b3: float
) -> bytes:
    """The 2-neuron x² figure, drawn anew and saved as a PNG (13x6 in, tight bbox)."""
    x = np.linspace(-10, 10, 1000)
    a1, a2 = _sigmoid(x * w1 + b1), _sigmoid(x * w2 + b2)
    out = a1 * w3 + a2 * w4 + b3
    fig, ax = plt.subplots(figsize=(13, 6))
    ax.plot(x, a1, "--", label="A1")
    ax.plot(x, a2, "--", label="A2")
    ax.plot(x, a1 * w3 + b3, "--", label="A1*w3 + b3")
    ax.plot(x, a2 * w4 + b3, "--", label="A2*w4 + b3")
    ax.plot(x, out, "r", linewidth=3, label="output")
    ax.plot(x, x**2, ":", label="x^2")
    ax.set_ylim(-1, 100)
    ax.grid(True)
    ax.set_title("1 hidden layer, with 2 Sigmoid neurons")
    ax.set_xlabel("X")
    ax.set_ylabel("Output")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
