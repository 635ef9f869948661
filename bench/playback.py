"""Training playback in the browser: how many frames a student sees per second while Play is on.

Run ``python bench/playback.py --before <checkout>`` (``--blocks``, ``--seconds``,
``--trace FILE``). It serves this checkout and, with ``--before``, another one (e.g. a git
worktree of an older commit) each by gunicorn as the Procfile runs it (127.0.0.1), and in
alternating blocks opens "Build your own" in headless Chromium, presses Play and for
``--seconds`` counts the redraws of the plot whose network output changed (listeners of
plotly.js's afterplot, animated and transitioned events comparing the output curve with the
one drawn before). It prints
per block and per build the frames per second and the median and 95th percentile of the
interval between frames. ``--trace`` records a Chromium performance trace of 3 s of playback
of this checkout (open it in chrome://tracing or the DevTools Performance panel).

Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from dashboard import ids  # noqa: E402
from dashboard.devtools.chromium import CHROMIUM_ARGS  # noqa: E402
from dashboard.devtools.gunicorn import Gunicorn  # noqa: E402

TAB = "builder"
PLAY = "[id='" + ids.dom_id(ids.action(TAB, "play")) + "']"
PLOT = "[id='" + ids.dom_id(ids.graph(TAB)) + "'] .js-plotly-plot"

LISTEN_JS = """
(sel) => {
    // Each redraw of the plot whose output curve differs from the last one drawn: its time.
    const gd = document.querySelector(sel);
    const seen = {times: [], last: null};
    window.__playbackRedraws = seen;
    const output = () => (gd._fullData || []).find((t) => t.uid === "output");
    const seenDrawn = () => {
        const t = output();
        if (!t || !t.y) return;
        const y = t.y, n = y.length;
        const key = [n, y[0], y[n >> 2], y[n >> 1], y[n - 1]].join(",");
        if (key !== seen.last) {
            seen.last = key;
            seen.times.push(performance.now());
        }
    };
    // A whole redraw, or a transition that redraws only the lines.
    for (const event of ["plotly_afterplot", "plotly_animated", "plotly_transitioned"]) {
        gd.on(event, seenDrawn);
    }
}
"""


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def play(browser: Any, port: int, seconds: float, trace: str | None = None) -> dict[str, float]:
    """One block: a fresh page, Play, 2 s to get going, then ``seconds`` counted."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/?tab={TAB}")
    page.locator(PLOT).wait_for()
    page.wait_for_timeout(1000)
    page.evaluate(LISTEN_JS, PLOT)
    page.locator(PLAY).click()
    page.wait_for_timeout(2000)
    if trace:
        browser.start_tracing(page=page, path=trace, screenshots=False)
    start = page.evaluate("() => performance.now()")
    page.wait_for_timeout(seconds * 1000)
    end = page.evaluate("() => performance.now()")
    if trace:
        browser.stop_tracing()
    times = page.evaluate("() => window.__playbackRedraws.times")
    context.close()
    inside = [t for t in times if start <= t <= end]
    gaps = [b - a for a, b in itertools.pairwise(inside)]
    return {
        "fps": len(inside) / ((end - start) / 1000),
        "median": statistics.median(gaps) if gaps else float("nan"),
        "p95": percentile(gaps, 0.95),
    }


def summary(name: str, runs: list[dict[str, float]]) -> str:
    fps = statistics.median(r["fps"] for r in runs)
    med = statistics.median(r["median"] for r in runs)
    p95 = statistics.median(r["p95"] for r in runs)
    return f"{name:<8} {fps:>9.1f} {med:>13.1f} {p95:>10.1f}   ({len(runs)} blocks)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout, served side by side")
    parser.add_argument("--blocks", type=int, default=3, help="blocks per build")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--trace", help="write a performance trace of this checkout here")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt install chromium")
    builds = [("after", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    servers = {name: Gunicorn(root=root).start() for name, root in builds}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in builds}
    try:
        for server in servers.values():
            server.wait_ready()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            print(f"{os.cpu_count()} cores; {args.seconds:.0f} s of Play per block")
            print("block build    frames/s  interval median  p95 (ms)")
            for block in range(args.blocks):
                order = builds if block % 2 == 0 else builds[::-1]
                for name, _ in order:
                    r = play(browser, servers[name].port, args.seconds)
                    runs[name].append(r)
                    print(
                        f"{block + 1:>5} {name:<8} {r['fps']:>8.1f} {r['median']:>16.1f}"
                        f" {r['p95']:>10.1f}"
                    )
            if args.trace:
                play(browser, servers["after"].port, 3, trace=args.trace)
                print(f"trace of this checkout: {args.trace}")
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    print("\nmedians  frames/s  interval (ms)  p95 (ms)")
    for name, _ in builds:
        print(summary(name, runs[name]))


if __name__ == "__main__":
    main()
