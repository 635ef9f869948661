"""First load: bytes transferred and time to the first plot, per tab, side by side with builds.

Run ``python bench/first_load.py [--before DIR] [--runs N]``: it serves this checkout (and,
with ``--before``, another one, e.g. ``git worktree add /work/before <rev>``) with gunicorn as
the Procfile runs it, then opens, in headless Chromium with a cold cache (a fresh browser
context per load), the page a student opens first and every tab by its link (``?tab=...``),
N times each, the builds' loads interleaved so that what else the machine does hits them
alike. Per build and tab it prints the bytes transferred (the sum of Chromium's encoded sizes,
headers included, until the network is idle after the first plot, with the Accept-Encoding
Chromium sends), the largest resources, and the time from navigation to the first plot drawn
(the first plot whose traces plotly.js has drawn), median and p95.

Only builds measured in the same run compare: this machine's timings vary from run to run.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.devtools.chromium import CHROMIUM_ARGS  # noqa: E402
from dashboard.devtools.gunicorn import Gunicorn  # noqa: E402
from dashboard.tabs import TABS  # noqa: E402

FIRST_PLOT_JS = """() => {
    window.__firstPlot = null;
    const look = () => {
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            if (gd._fullData && gd._fullData.length && gd.querySelector('.main-svg .trace')) {
                window.__firstPlot = performance.now();
                return;
            }
        }
        requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
}"""
"""Looks every animation frame for a plot with drawn traces; ``performance.now()`` counts from
the navigation's start."""
PAGES = ("", *(f"?tab={tab.key}" for tab in TABS))
"""The page opened without a link (its first tab), then every tab by its link."""


class Load:
    """One page load's network log, read from Chromium's DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["response"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.bytes[event["requestId"]] = int(event["encodedDataLength"])

    def by_url(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for request, size in self.bytes.items():
            out[self.urls.get(request, "?")] += size
        return out


def load_once(browser: Any, port: int, query: str) -> tuple[float, dict[str, int]]:
    """Time to the first plot (ms) and bytes per URL path of one cold load."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        load = Load(page)
        page.add_init_script(f"({FIRST_PLOT_JS})();")
        page.goto(f"http://127.0.0.1:{port}/{query}")
        page.wait_for_function("() => typeof window.__firstPlot === 'number'", timeout=60_000)
        first = float(page.evaluate("() => window.__firstPlot"))
        page.wait_for_load_state("networkidle")
        prefix = f"http://127.0.0.1:{port}"
        sizes = {url.removeprefix(prefix).split("?")[0]: n for url, n in load.by_url().items()}
        return first, sizes
    finally:
        context.close()


TRACE_CATEGORIES = ["devtools.timeline", "v8.execute", "blink.user_timing", "loading"]


def profile(browser: Any, port: int, query: str) -> None:
    """One traced cold load (Chromium's performance trace): when each request ran, and the
    main thread's script time per script, up to the first plot."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.add_init_script(f"({FIRST_PLOT_JS})();")
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    page.goto(f"http://127.0.0.1:{port}/{query}")
    page.wait_for_function("() => typeof window.__firstPlot === 'number'", timeout=60_000)
    first = float(page.evaluate("() => window.__firstPlot"))
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    print_profile(events, first)


def _short(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0][-60:] or "/"


def print_profile(events: list[dict[str, Any]], first: float) -> None:
    sends = [e for e in events if e.get("name") == "ResourceSendRequest"]
    if not sends:
        return
    t0 = min(e["ts"] for e in sends)
    ids = {e["args"]["data"]["requestId"]: e for e in sends}
    ends = {
        e["args"]["data"]["requestId"]: e["ts"] for e in events if e.get("name") == "ResourceFinish"
    }
    print(f"    first plot at {first:.0f} ms; requests (start -> end, ms from the first):")
    for rid, send in sorted(ids.items(), key=lambda kv: kv[1]["ts"]):
        end = ends.get(rid)
        span = f"{(end - t0) / 1e3:7.0f}" if end else "      ?"
        print(
            f"      {(send['ts'] - t0) / 1e3:7.0f} -> {span}  {_short(send['args']['data']['url'])}"
        )
    script: dict[str, float] = defaultdict(float)
    for e in events:
        if e.get("ph") == "X" and e.get("name") in ("EvaluateScript", "FunctionCall"):
            data = e.get("args", {}).get("data", {})
            script[_short(data.get("url", "") or "(inline)")] += e.get("dur", 0) / 1e3
    busy = sum(script.values())
    print(f"    main thread running scripts: {busy:.0f} ms, by script:")
    for url, ms in sorted(script.items(), key=lambda kv: -kv[1])[:8]:
        print(f"      {ms:7.0f} ms  {url}")


def summary(name: str, times: list[float], sizes: list[dict[str, int]], top: int) -> None:
    totals = [sum(s.values()) for s in sizes]
    t = np.array(times)
    print(
        f"  {name:<16} {np.median(totals) / 1e6:6.3f} MB (max {max(totals) / 1e6:.3f})"
        f"   first plot {np.median(t):6.0f} ms median, {np.percentile(t, 95):6.0f} ms p95"
        f"  (n={len(t)})"
    )
    last = sizes[-1]
    for url, n in sorted(last.items(), key=lambda kv: -kv[1])[:top]:
        print(f"      {n / 1e3:8.1f} kB  {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--runs", type=int, default=7, help="loads per build and tab (0: none)")
    parser.add_argument("--top", type=int, default=5, help="largest resources shown")
    parser.add_argument("--first", action="store_true", help="only the page without a link")
    parser.add_argument(
        "--profile", action="store_true", help="then trace one load of the first page per build"
    )
    args = parser.parse_args()
    pages = PAGES[:1] if args.first else PAGES
    builds = {"this": ROOT}
    if args.before:
        builds = {"before": args.before.resolve(), **builds}
    servers = {
        name: Gunicorn(root=path, env={"PYTHONPATH": str(path), "ACCESS_LOG": "0"})
        for name, path in builds.items()
    }
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    sizes: dict[tuple[str, str], list[dict[str, int]]] = defaultdict(list)
    try:
        for server in servers.values():
            server.__enter__()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            for _ in range(args.runs):
                for query in pages:
                    for name, server in servers.items():
                        first, got = load_once(browser, server.port, query)
                        times[name, query].append(first)
                        sizes[name, query].append(got)
            for name, server in servers.items() if args.profile else ():
                print(f"{name}: a traced load of /")
                profile(browser, server.port, "")
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    for query in pages if args.runs else ():
        print(f"/{query or ' (the first tab, no link)'}")
        for name in servers:
            summary(name, times[name, query], sizes[name, query], args.top)


if __name__ == "__main__":
    main()
