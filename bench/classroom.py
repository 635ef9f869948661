"""How much of a worker students cost while they watch training: the sizing figure for a class.

Run ``python bench/classroom.py`` (``--students 1 3``, ``--seconds``). For each number of
students it starts gunicorn as the Procfile does with one worker (127.0.0.1), opens that many
pages of the "Build your own" tab in headless Chromium, presses Play on each, and for
``--seconds`` counts the training frames each page asks for and reads the worker's CPU time
from /proc. It prints frames per second per student and the worker's CPU per playing student
(core-seconds per second): its inverse is how many students one core keeps training at once.

Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from dashboard import ids  # noqa: E402
from dashboard.devtools.chromium import CHROMIUM_ARGS  # noqa: E402
from dashboard.devtools.gunicorn import Gunicorn  # noqa: E402
from dashboard.views.builder.batch import FRAMES  # noqa: E402

TAB = "builder"
PLAY = "[id='" + ids.dom_id({"tab": TAB, "type": "action", "what": "play"}) + "']"
ASK = ids.dom_id(ids.live(TAB, "ask"))  # the page asks for a batch of frames by this store


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def frame_counter(page: Any, counts: list[int], index: int) -> None:
    """Count the page's training requests (those asking by the "ask" store): batches of
    ``FRAMES`` frames each."""

    def seen(request: Any) -> None:
        if request.method == "POST" and ASK.replace('"', '\\"') in (request.post_data or ""):
            counts[index] += FRAMES

    page.on("request", seen)


def measure(browser: Any, students: int, seconds: float) -> dict[str, float]:
    with Gunicorn(workers=1) as server:
        (worker,) = server.workers()
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        pages = [context.new_page() for _ in range(students)]
        counts = [0] * students
        for i, page in enumerate(pages):
            page.goto(f"http://127.0.0.1:{server.port}/?tab={TAB}")
            page.locator(PLAY).wait_for()
            frame_counter(page, counts, i)
        for page in pages:
            page.locator(PLAY).click()
        pages[0].wait_for_timeout(2000)  # the first frames: let every page get going
        start_cpu, start_counts, start = cpu_seconds(worker), list(counts), time.monotonic()
        pages[0].wait_for_timeout(seconds * 1000)
        elapsed = time.monotonic() - start
        cpu = cpu_seconds(worker) - start_cpu
        frames = [c - s for c, s in zip(counts, start_counts, strict=True)]
        context.close()
    return {
        "students": students,
        "frames_per_s": sum(frames) / students / elapsed,
        "cpu_per_student": cpu / elapsed / students,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        print(f"{os.cpu_count()} cores; {args.seconds:.0f} s of Play per run, one worker")
        print("students  frames/s per student  worker CPU per student (cores)")
        for n in args.students:
            r = measure(browser, n, args.seconds)
            print(f"{n:>8}  {r['frames_per_s']:>20.1f}  {r['cpu_per_student']:>30.2f}")
        browser.close()


if __name__ == "__main__":
    main()
