"""gunicorn settings for bench/inside_worker.py: the app's own (gunicorn.conf.py), plus a hook
that times the fast path inside every worker.

After the fork each worker wraps ``FastCallbacks.__call__`` and ``FastCallbacks.answer`` with
counters of the calling thread's CPU time (``time.thread_time``), and writes them as JSON to
``$TIMING_DIR/<pid>.json`` every half second and when it exits. Nothing else changes: the
same workers, threads, logger and limits as the Procfile's gunicorn.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
exec(compile((_ROOT / "gunicorn.conf.py").read_text(), str(_ROOT / "gunicorn.conf.py"), "exec"))


def post_fork(server: Any, worker: Any) -> None:
    from dashboard.fastpath import FastCallbacks

    counts = {"calls": 0, "call_cpu": 0.0, "answers": 0, "answer_cpu": 0.0}
    lock = threading.Lock()

    def timed(method: Callable[..., Any], count: str, cpu: str) -> Callable[..., Any]:
        """``method``, adding one to ``counts[count]`` and its thread's CPU time to
        ``counts[cpu]`` per call."""

        def wrapper(*args: Any) -> Any:
            start = time.thread_time()
            try:
                return method(*args)
            finally:
                spent = time.thread_time() - start
                with lock:
                    counts[count] += 1
                    counts[cpu] += spent

        return wrapper

    FastCallbacks.__call__ = timed(FastCallbacks.__call__, "calls", "call_cpu")  # type: ignore[method-assign]
    FastCallbacks.answer = timed(FastCallbacks.answer, "answers", "answer_cpu")  # type: ignore[method-assign]
    out = Path(os.environ["TIMING_DIR"]) / f"{os.getpid()}.json"

    def dump() -> None:
        with lock:
            text = json.dumps(counts)
        out.write_text(text)

    def every_half_second() -> None:
        while True:
            time.sleep(0.5)
            dump()

    threading.Thread(target=every_half_second, daemon=True).start()
    worker.timing_dump = dump


def worker_exit(server: Any, worker: Any) -> None:
    dump = getattr(worker, "timing_dump", None)
    if dump is not None:
        dump()
