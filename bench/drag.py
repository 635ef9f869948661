"""Side by side: slider steps and a 2 s mouse drag on every plot tab with sliders, for several
checkouts.

Run ``python bench/drag.py DIR [DIR ...]`` with each DIR a checkout of this repository (``git
worktree add DIR <commit>``). For each, gunicorn starts as the Procfile starts it (see
bench/browser_ab.py); one headless Chromium then runs blocks, the checkouts' blocks interleaved
so that what else the machine does hits all of them alike, a fresh page per tab and block:

- key steps: arrow presses on the tab's first slider, each timed from the key press to the
  plot's ``plotly_afterplot`` or ``plotly_transitioned``, whichever ends the redraw (back to
  back);
- a drag: the mouse holds the slider's thumb and moves it back and forth in small increments
  for 2 s, then lets go; the plot's redraws whose output curve changed are counted while the
  mouse moves, and once the page is idle the drawn curve is compared with the one drawn for
  the same value again (one step right and one back: the slider steps from the value it
  holds), which fails when the drag's last value was never drawn.

It prints, per checkout and tab, the step's median and p95 and the drag's redraws per second
(median over blocks), and whether every drag ended drawn at the thumb's value.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_ab import CHROMIUM_ARGS, press, start

TABS = ("neuron", "square2", "sin3", "deep", "builder")
DRAG_S = 2.0

HOOKS_JS = """(tab) => {
    const sel = (type) => `[id='${JSON.stringify({tab: tab, type: type})}']`;
    const gd = document.querySelector(sel('graph') + ' .js-plotly-plot');
    window.__lat = [];
    window.__t0 = null;
    window.__draws = [];
    let last = null;
    const output = () => {
        const t = gd._fullData.find((t) => t.uid === 'output');
        return t ? Array.from(t.y) : [];
    };
    last = output();
    // A whole redraw ends with plotly_afterplot; a redraw of the traces alone (a layout with
    // a transition, dashboard/figures.py) with plotly_transitioned.
    const drawn = () => {
        if (window.__t0 !== null) {
            window.__lat.push(performance.now() - window.__t0);
            window.__t0 = null;
        }
        const y = output();
        if (y.length !== last.length || y.some((v, i) => v !== last[i])) {
            window.__draws.push(performance.now());
        }
        last = y;
    };
    gd.on('plotly_afterplot', drawn);
    gd.on('plotly_transitioned', drawn);
    window.addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
    // The tab's first visible slider's thumb.
    const thumbs = Array.from(document.querySelectorAll('.dash-slider-container')).filter((h) => {
        try { const id = JSON.parse(h.id); return id.type === 'param' && id.tab === tab; }
        catch (e) { return false; }
    }).map((h) => h.querySelector('[role=slider]')).filter((t) => t && t.offsetParent !== null);
    thumbs[0].setAttribute('data-bench-thumb', '1');
    return JSON.parse(thumbs[0].closest('.dash-slider-container').id).name;
}"""
IDLE_JS = """() => {
    const s = window.store && window.store.getState();
    if (!s || !s.callbacks) return false;
    return ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed']
        .every(k => !s.callbacks[k] || s.callbacks[k].length === 0);
}"""
OUTPUT_JS = """(tab) => {
    const gd = document.querySelector(`[id='${JSON.stringify({tab: tab, type: 'graph'})}']`
        + ' .js-plotly-plot');
    const t = gd._fullData.find((t) => t.uid === 'output');
    return Array.from(t.y);
}"""
THUMB = "[data-bench-thumb]"


def open_tab(page: Any, port: int, tab: str) -> None:
    page.goto(f"http://127.0.0.1:{port}/?tab={tab}")
    sel = f"[id='{json.dumps({'tab': tab, 'type': 'graph'}, separators=(',', ':'))}']"
    page.wait_for_selector(sel + " .js-plotly-plot .main-svg", state="attached", timeout=60_000)
    page.wait_for_function(IDLE_JS, timeout=60_000)
    page.wait_for_timeout(800)
    page.evaluate(HOOKS_JS, tab)


def key_steps(page: Any, steps: int) -> list[float]:
    """Back-to-back key steps; a press that drew nothing in 5 s (the thumb lost focus, or an
    end of its range was reached) is pressed again with the thumb focused."""
    page.locator(THUMB).focus()
    for i in range(steps):
        for _ in range(3):
            press(page, i)
            try:
                page.wait_for_function("(n) => window.__lat.length >= n", arg=i + 1, timeout=5000)
                break
            except PlaywrightTimeout:
                print(f"  step {i}: nothing drawn in 5 s, again", file=sys.stderr)
                page.evaluate("window.__t0 = null")
                page.locator(THUMB).focus()
    return page.evaluate("window.__lat")


MOVES_JS = """async ([amp, ms]) => {
    // The mouse moves once per animation frame while the button is held, as Chromium hands a
    // page a real mouse's moves (coalesced to one a frame, none while the page is busy); each
    // goes to the thumb, which holds the pointer since the press.
    const thumb = document.querySelector('[data-bench-thumb]');
    const r = thumb.getBoundingClientRect();
    const x0 = r.left + r.width / 2, y0 = r.top + r.height / 2;
    const t0 = performance.now();
    let moves = 0, x = x0;
    await new Promise((done) => {
        const frame = (now) => {
            const t = Math.min(now - t0, ms);
            // Out and back, ending off the start (three quarters of a period: at -amp).
            x = x0 + amp * Math.sin(1.5 * Math.PI * t / ms);
            thumb.dispatchEvent(new PointerEvent('pointermove', {
                clientX: x, clientY: y0, pointerId: 1, pointerType: 'mouse', isPrimary: true,
                buttons: 1, bubbles: true, cancelable: true, composed: true,
            }));
            moves++;
            if (t < ms) requestAnimationFrame(frame); else done();
        };
        requestAnimationFrame(frame);
    });
    return {start: t0, end: performance.now(), moves: moves, x: x, y: y0};
}"""


def drag(page: Any, tab: str) -> tuple[float, float, bool]:
    """Redraws per second during a 2 s drag, the moves per second the page was given, and
    whether the drag ended drawn at the slider's value."""
    page.wait_for_function(IDLE_JS)
    thumb = page.locator(THUMB).bounding_box()
    track = page.locator(THUMB).locator(
        "xpath=ancestor::div[contains(@class,'dash-slider-container')][1]"
    )
    amp = 0.3 * track.bounding_box()["width"]
    page.mouse.move(thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2)
    page.mouse.down()
    moved = page.evaluate(MOVES_JS, [amp, DRAG_S * 1000])
    page.mouse.move(moved["x"], moved["y"])
    page.mouse.up()
    page.wait_for_function(IDLE_JS)
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE_JS)
    draws = page.evaluate("window.__draws")
    seconds = (moved["end"] - moved["start"]) / 1000
    rate = sum(moved["start"] <= t <= moved["end"] for t in draws) / seconds
    ended = page.evaluate(OUTPUT_JS, tab)
    page.locator(THUMB).focus()
    for key in ("ArrowRight", "ArrowLeft"):
        n = len(page.evaluate("window.__lat"))
        page.keyboard.press(key)
        page.wait_for_function("(n) => window.__lat.length > n", arg=n, timeout=20_000)
        page.wait_for_function(IDLE_JS)
    again = page.evaluate(OUTPUT_JS, tab)
    same = bool(np.array_equal(np.asarray(ended), np.asarray(again)))
    return rate, moved["moves"] / seconds, same


GROUPS = (
    ("plotly.js", ("plotly",)),
    (
        "Dash renderer + React",
        (
            "dash_renderer",
            "react",
            "dash_core",
            "dcc/",
            "async-",
            "html_comp",
            "polyfill",
            "prop-types",
        ),
    ),
    ("app scripts (assets/)", ("/assets/",)),
)


def _script_groups(profile: dict[str, Any]) -> dict[str, float]:
    """Milliseconds of JavaScript by group of scripts, from a CDP CPU profile (self time)."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    out: dict[str, float] = {}
    for sample, delta in zip(profile["samples"], [*profile["timeDeltas"][1:], 0], strict=True):
        frame = nodes[sample]
        url, name = frame["url"], frame["functionName"]
        group = next((g for g, keys in GROUPS if any(k in url for k in keys)), None)
        if group is None:
            group = (
                "garbage collection"
                if name == "(garbage collector)"
                else ("idle" if name in ("(idle)", "(root)") else "other (native, browser code)")
            )
        out[group] = out.get(group, 0.0) + delta / 1000
    return out


def trace(page: Any, steps: int) -> dict[str, float]:
    """A step's milliseconds by where they go, over ``steps`` key presses back to back: script
    time by group and the main thread's idle time (the request on the network and the server)
    from a CDP CPU profile, style and layout from CDP's Performance metrics."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})

    def layout() -> float:
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return metrics["LayoutDuration"] + metrics["RecalcStyleDuration"]

    before = layout()
    cdp.send("Profiler.start")
    lat = key_steps(page, steps)
    profile = cdp.send("Profiler.stop")["profile"]
    per = {k: v / steps for k, v in _script_groups(profile).items()}
    styled = (layout() - before) * 1000 / steps
    per["style + layout"] = styled
    per["other (native, browser code)"] = per.get("other (native, browser code)", 0.0) - styled
    per["idle (network, server)"] = per.pop("idle", 0.0)
    per["step (mean, key press to redrawn)"] = float(np.mean(lat))
    return per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+")
    parser.add_argument("--steps", type=int, default=25, help="key presses per tab and block")
    parser.add_argument("--blocks", type=int, default=3, help="blocks per checkout")
    parser.add_argument("--tabs", default=",".join(TABS), help="comma-separated tab keys")
    parser.add_argument("--trace", action="store_true", help="only: a step's ms by category")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tabs = args.tabs.split(",")
    servers = [start(c) for c in args.checkouts]
    lat: dict[tuple[int, str], list[float]] = {}
    rates: dict[tuple[int, str], list[float]] = {}
    exact: dict[tuple[int, str], list[bool]] = {}
    given: dict[tuple[int, str], list[float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            for block in range(args.blocks if not args.trace else 0):
                order = list(range(len(args.checkouts)))
                if block % 2:
                    order.reverse()
                for tab in tabs:
                    for j in order:
                        print(f"block {block} {tab} {args.checkouts[j]}", file=sys.stderr)
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        open_tab(page, servers[j][1], tab)
                        lat.setdefault((j, tab), []).extend(key_steps(page, args.steps))
                        rate, moves, ok = drag(page, tab)
                        rates.setdefault((j, tab), []).append(rate)
                        given.setdefault((j, tab), []).append(moves)
                        exact.setdefault((j, tab), []).append(ok)
                        page.close()
            for tab in tabs if args.trace else ():
                for j, checkout in enumerate(args.checkouts):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    open_tab(page, servers[j][1], tab)
                    print(f"{tab} {checkout}: ms per step (mean of {args.steps})")
                    for k, v in trace(page, args.steps).items():
                        print(f"   {k:<36}{v:7.1f}")
                    page.close()
            browser.close()
    finally:
        for proc, _ in servers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
    if args.trace:
        return
    head = f"{'tab':<9}{'checkout':<40}{'step median':>12}{'p95':>9}"
    print(head + f"{'drag redraws/s':>16}{'moves/s':>9}  ends")
    for tab in tabs:
        for j, checkout in enumerate(args.checkouts):
            a = np.asarray(lat[(j, tab)])
            print(
                f"{tab:<9}{checkout[-39:]:<40}{np.median(a):10.1f}ms{np.percentile(a, 95):7.1f}ms"
                f"{np.median(rates[(j, tab)]):14.1f}/s{np.median(given[(j, tab)]):8.0f}  "
                f"{sum(exact[(j, tab)])}/{len(exact[(j, tab)])} exact"
            )


if __name__ == "__main__":
    main()
