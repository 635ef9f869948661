"""Load and soak test: gunicorn started as the Procfile starts it, many clients, mixed requests.

Run ``python bench/soak.py`` (16 clients for 60 s; ``--clients``, ``--seconds``,
``--workers`` change that). It

1. starts ``gunicorn dashboard.app:server`` exactly as the Procfile's ``web:`` line says, from
   the project directory (so gunicorn reads ``gunicorn.conf.py``), with ``HOST=127.0.0.1``
   and a free ``PORT``; nothing listens beyond the loopback interface;
2. builds, from the server's own ``/_dash-dependencies``, the bodies a browser posts when a
   slider moves on each tab with parameters (with the record of the figure drawn before, so
   the server answers with a Patch, as it does for a real student);
3. runs N clients (threads, each with its own keep-alive connection, gzip accepted) for D
   seconds, each sending a random mix of: slider moves (80 %), page loads (``/``,
   ``/_dash-layout``, ``/_dash-dependencies``; 12 %) and uploads (8 %). Uploads are
   pluggable (``upload_kinds``): while the app has no callback taking a ``dcc.Upload``'s
   ``contents``, they are a body over the size cap (answered 413 before it is sent whole)
   and a valid body padded to 1.4 MB (a 1 MB CSV file, base64-encoded, is that large);
4. reads every gunicorn worker's resident memory (``VmRSS`` in ``/proc/<pid>/status``) after
   a warm-up and at the end.

It prints requests, errors, requests per second, p50/p99 latency per kind of request, and the
memory of each worker, and exits non-zero if any request failed (a wrong status or a broken
connection), if a worker died, or if a worker's memory grew by more than ``--max-growth-mb``
(32 MB by default) between the warm-up and the end. Only 127.0.0.1 is contacted, and the run
is bounded in time and in clients.

The server, the clients and the figures are ``dashboard.devtools`` (``gunicorn``, ``load``);
tests/test_deploy.py runs a short version (a few seconds) in the test suite. With
``--throughput``, instead: slider moves per second that 1 and 2 workers answer under wrk.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.devtools.bodies import UPDATE
from dashboard.devtools.gunicorn import HOST, Gunicorn
from dashboard.devtools.load import (
    DEFAULT_MAX_GROWTH_MB,
    report,
    slider_bodies,
    soak,
)


def throughput(workers: int, seconds: float = 10, connections: int = 8) -> dict[str, Any]:
    """Slider moves per second that ``workers`` gunicorn workers answer, measured with wrk
    (every connection posting the Patch-sized slider body of "2 neurons" back to back)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    with Gunicorn(workers=workers, env={"ACCESS_LOG": "0"}) as server:
        body = next(b for b in slider_bodies(server.port) if b'"tab":"square2"' in b)
        script = server.logs / "post.lua"
        script.write_text(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["Accept-Encoding"] = "gzip"\nwrk.body = {json.dumps(body.decode())}\n'
        )
        out = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--latency",
                "-s",
                str(script),
                f"http://{HOST}:{server.port}{UPDATE}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m[2]] if m else float("nan")

    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = (int(non2xx[1]) if non2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {
        "workers": workers,
        "per_second": per_second,
        "per_worker": round(per_second / workers, 1),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "errors": errors,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY (default 2)")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--max-growth-mb", type=float, default=DEFAULT_MAX_GROWTH_MB)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="instead: slider moves per second with 1 and with 2 workers, under wrk",
    )
    args = parser.parse_args(argv)
    if args.throughput:
        for workers in (1, 2):
            t = throughput(workers, min(args.seconds, 30))
            print(
                f"{workers} worker(s): {t['per_second']:.0f} slider moves/s "
                f"({t['per_worker']:.0f} per worker), p50 {t['p50_ms']} ms, "
                f"p99 {t['p99_ms']} ms, errors {t['errors']}"
            )
        return 0
    result = soak(args.seconds, args.clients, args.workers, args.warmup, args.max_growth_mb)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
