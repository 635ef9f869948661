"""Where a slider update's CPU time goes inside gunicorn, and what a worker's threads cost it.

Run ``python bench/inside_worker.py`` (``--seconds`` sets the load's length). It prints:

1. gunicorn as the Procfile runs it (2 workers, 4 threads each), with bench/timing_gunicorn.py
   timing the fast path inside each worker, under wrk (8 connections, gzip, 127.0.0.1): per
   answered update, the workers' CPU time (from /proc), of it the fast path's (the CPU of the
   threads inside ``FastCallbacks.__call__``: the answer, its gzip and the WSGI reply), and
   of that the answer itself; the rest is gunicorn's own handling of the request. Then the
   same server answering stored bytes (bench/constant_wsgi.py), for gunicorn's own cost alone.
2. In this process, no sockets: the answer computed in a loop by one thread, then by four
   threads at once, each both through ``FastCallbacks.answer`` (no lock) and through the WSGI
   call the server makes (one answer at a time per process), medians of interleaved rounds.
   NumPy lets go of the interpreter lock around each of its operations, so threads computing
   answers side by side hand that lock to each other dozens of times per answer.

The timing adds a little work of its own to every request; compare its rates with
bench/updates.py's only roughly. Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import updates  # noqa: E402

from dashboard.app import create_app  # noqa: E402


def inside(seconds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = updates.load(
            seconds,
            gzip_on=True,
            config=ROOT / "bench" / "timing_gunicorn.py",
            env_extra={"TIMING_DIR": folder},
        )
        if "skipped" in result:
            print("   skipped:", result["skipped"])
            return
        counts = [json.loads(p.read_text()) for p in Path(folder).glob("*.json")]
    answered = result["requests"]
    calls = sum(c["calls"] for c in counts)
    call_ms = 1000 * sum(c["call_cpu"] for c in counts) / max(calls, 1)
    answers = sum(c["answers"] for c in counts)
    answer_ms = 1000 * sum(c["answer_cpu"] for c in counts) / max(answers, 1)
    print(
        f"   {result['rps']:.0f} updates/s, p99 {result['p99_ms']:.2f} ms, "
        f"{result['errors']} errors; {calls} fast-path calls for {answered} answered"
    )
    print(f"   the workers' CPU per update:              {result['cpu_ms']:.3f} ms")
    print(f"     of it inside the fast path's WSGI call: {call_ms:.3f} ms")
    print(f"       of that the answer itself:            {answer_ms:.3f} ms")
    print(f"     gunicorn's own handling (the rest):     {result['cpu_ms'] - call_ms:.3f} ms")
    ceiling = updates.load(seconds, gzip_on=True, constant=True)
    print(
        f"   stored answer through the same server: {ceiling['rps']:.0f}/s, "
        f"the workers' CPU per request {ceiling['cpu_ms']:.3f} ms"
    )


def _threads(work: Callable[[], Any], threads: int, per_thread: int) -> float:
    """Wall-clock seconds per call of ``work`` run ``per_thread`` times on each of ``threads``."""
    start = threading.Barrier(threads + 1)

    def run() -> None:
        start.wait()
        for _ in range(per_thread):
            work()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    return (time.perf_counter() - t0) / (threads * per_thread)


def threads(rounds: int) -> None:
    before = updates.SPEC.defaults
    after = {**before, "w1": round(before["w1"] + 0.1, 10)}
    body = updates.ours_body(before, after, "w1")
    fast = create_app().server.wsgi_app
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": updates.UPDATE,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
    }

    def through_wsgi() -> None:
        fast({**environ, "wsgi.input": io.BytesIO(body)}, lambda status, headers: None)

    def bare() -> None:
        fast.answer(body)

    cases = {
        "one thread, answer": (bare, 1),
        "one thread, WSGI call (lock)": (through_wsgi, 1),
        "four threads, answer (no lock)": (bare, 4),
        "four threads, WSGI call (lock)": (through_wsgi, 4),
    }
    for work, _ in cases.values():
        for _ in range(100):
            work()
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):
        for label, (work, count) in cases.items():
            samples[label].append(_threads(work, count, 400 // count))
    for label, values in samples.items():
        print(f"   {label:<34} {1000 * statistics.median(values):.3f} ms per answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the threads trial")
    args = parser.parse_args()
    print("1. inside gunicorn (2 workers, Procfile), wrk 8 connections, gzip")
    inside(args.seconds)
    print("\n2. threads in one process, no sockets (wall time per answer, median of rounds)")
    threads(args.rounds)


if __name__ == "__main__":
    main()
