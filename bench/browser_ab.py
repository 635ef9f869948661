"""Side by side: the browser's slider step on the "2 neurons -> x²" tab, for several checkouts.

Run ``python bench/browser_ab.py DIR [DIR ...]`` with each DIR a checkout of this repository
(``git worktree add`` or ``git archive HEAD | tar -x -C DIR``). For each it starts gunicorn as
the Procfile does (cwd and PYTHONPATH set to DIR), then, in one headless Chromium, measures
blocks of key presses on a slider, the checkouts' blocks interleaved so that what else the
machine does hits all of them alike; a fresh page per block. It prints, per checkout, the
median and p95 from the key press to the plot's ``plotly_afterplot`` (as bench/updates.py
does; ``plotly_transitioned`` for a plot whose layout has a transition, which redraws its
traces alone), back to back, and with ``--phases`` a step timed piece by piece, steps 0.3 s apart:
key press -> request sent -> answer -> ``Plotly.react`` -> ``plotly_afterplot``.

This machine's timings vary a lot from run to run; only checkouts measured in the same run
compare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import ids  # noqa: E402
from dashboard.devtools.chromium import CHROMIUM_ARGS  # noqa: E402

GRAPH = f"[id='{ids.dom_id(ids.graph('square2'))}'] .js-plotly-plot"
THUMB = f"[id='{ids.dom_id(ids.param('square2', 'w1'))}'] [role=slider]"
LATENCY_JS = """(sel) => {
    const gd = document.querySelector(sel);
    window.__lat = [];
    window.__t0 = null;
    const drawn = () => {
        if (window.__t0 !== null) {
            window.__lat.push(performance.now() - window.__t0);
            window.__t0 = null;
        }
    };
    gd.on('plotly_afterplot', drawn);
    gd.on('plotly_transitioned', drawn);
    window.addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
}"""
PHASES_JS = """(sel) => {
    window.__ph = [];
    let cur = null;
    window.addEventListener('keydown', () => { cur = {k: performance.now()}; }, true);
    const fetch0 = window.fetch;
    window.fetch = function (...args) {
        const step = cur;
        if (step && !step.fs && String(args[0]).includes('update-component')) {
            step.fs = performance.now();
        }
        return fetch0.apply(this, args).then((r) => {
            if (step && !step.fr) step.fr = performance.now();
            return r;
        });
    };
    const react0 = window.Plotly.react;
    window.Plotly.react = function (...args) {
        if (cur && !cur.rs) cur.rs = performance.now();
        return react0.apply(this, args);
    };
    const drawn = () => {
        if (cur) { cur.ap = performance.now(); window.__ph.push(cur); cur = null; }
    };
    document.querySelector(sel).on('plotly_afterplot', drawn);
    document.querySelector(sel).on('plotly_transitioned', drawn);
}"""
PHASES = (
    ("key press -> request sent", "k", "fs"),
    ("request -> answer", "fs", "fr"),
    ("answer -> Plotly.react", "fr", "rs"),
    ("Plotly.react -> afterplot", "rs", "ap"),
    ("key press -> afterplot", "k", "ap"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(checkout: str) -> tuple[subprocess.Popen, int]:
    """gunicorn for ``checkout``, with every worker having rendered the page once."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": checkout, "PORT": str(port), "ACCESS_LOG": "0"}
    command = (Path(checkout) / "Procfile").read_text().split(":", 1)[1].split()
    proc = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start in {checkout}") from None
            time.sleep(0.2)
    # Checkouts from before the app finished Dash's set-up at start-up (dashboard/app.py
    # warm_up): a fresh worker could refuse the page's scripts; let each worker serve it first.
    for _ in range(12):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
    return proc, port


def open_tab(page: Any, port: int, script: str) -> None:
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=60_000)
    page.get_by_text("2 neurons → x²").click()
    page.wait_for_selector(GRAPH + " .main-svg", state="attached", timeout=60_000)
    page.wait_for_timeout(1000)
    page.evaluate(script, GRAPH)
    page.locator(THUMB).focus()


def press(page: Any, i: int) -> None:
    page.keyboard.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")


def latencies(page: Any, steps: int) -> list[float]:
    for i in range(steps):
        press(page, i)
        page.wait_for_function("(n) => window.__lat.length >= n", arg=i + 1, timeout=10_000)
    return page.evaluate("window.__lat")


PLOTLY_ALONE_JS = """async ([sel, n]) => {
    // The figure on the page redrawn by Plotly.react alone, with new y values for every trace
    // but the target (a step moves three of them), without Dash and the network: the floor
    // of a step's latency on this machine.
    const gd = document.querySelector(sel);
    const data = gd.data.map((t, j) => Object.assign({}, t, {y: gd._fullData[j].y}));
    const times = [];
    for (let k = 1; k <= n; k++) {
        const next = data.map((t) => t.uid === 'target' ? t : Object.assign({}, t, {
            y: Float32Array.from(t.y, (v) => v * (1 + 1e-3 * (k % 2 ? 1 : -1))),
        }));
        const t0 = performance.now();
        await Plotly.react(gd, next, gd.layout);
        times.push(performance.now() - t0);
    }
    return times;
}"""


def plotly_alone(page: Any, n: int) -> list[float]:
    """Milliseconds of ``n`` in-page ``Plotly.react`` calls redrawing the figure with new y
    values for every trace but the target: what a step costs without Dash and the network."""
    return page.evaluate(PLOTLY_ALONE_JS, [GRAPH, n])


def phases(page: Any, steps: int) -> list[dict[str, float]]:
    for i in range(steps):
        press(page, i)
        page.wait_for_function("(n) => window.__ph.length >= n", arg=i + 1, timeout=10_000)
        page.wait_for_timeout(300)
    return page.evaluate("window.__ph")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+")
    parser.add_argument("--steps", type=int, default=25, help="key presses per block")
    parser.add_argument("--blocks", type=int, default=4, help="blocks per checkout")
    parser.add_argument("--phases", action="store_true", help="also time a step's pieces")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    servers = [start(c) for c in args.checkouts]
    lat: list[list[float]] = [[] for _ in args.checkouts]
    steps: list[list[dict[str, float]]] = [[] for _ in args.checkouts]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            for block in range(args.blocks):
                order = list(range(len(args.checkouts)))
                if block % 2:
                    order.reverse()
                for j in order:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    open_tab(page, servers[j][1], LATENCY_JS)
                    lat[j] += latencies(page, args.steps)
                    page.close()
                    if args.phases:
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        open_tab(page, servers[j][1], PHASES_JS)
                        steps[j] += phases(page, args.steps)
                        page.close()
            browser.close()
    finally:
        for proc, _ in servers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
    for checkout, values, timed in zip(args.checkouts, lat, steps, strict=True):
        a = np.asarray(values)
        print(
            f"{checkout}: back to back, median {np.median(a):.1f} ms, "
            f"p95 {np.percentile(a, 95):.1f} ms over {len(a)} steps"
        )
        for label, first, last in PHASES if timed else ():
            d = [s[last] - s[first] for s in timed if first in s and last in s]
            print(f"   {label:<28} median {np.median(d):6.1f} ms")


if __name__ == "__main__":
    main()
