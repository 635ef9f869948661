"""Server capacity for slider moves on the "2 neurons -> x²" tab, per gunicorn worker.

Run ``python bench/capacity.py`` (``--seconds``, ``--connections``, ``--workers`` to change the
load). It starts gunicorn as the Procfile does (``WEB_CONCURRENCY`` workers, bound to
127.0.0.1), then keeps ``--connections`` keep-alive HTTP connections busy posting the body the
browser sends after one slider step, each answered by Dash's dispatch, with the
``Accept-Encoding`` Chromium sends (``gzip, deflate, br, zstd``: the app then answers with zstd)
or, with ``--encoding gzip``, that of a client that knows only gzip. The client runs in
processes of its own. It prints the answered updates per second (in all and per worker), the
latency's median and 99th percentile, the error count, the encoding and bytes of one answer,
and the workers' CPU time per update (from /proc), whose inverse is what one worker answers on
a core of its own: on a machine busy with other work that is the figure to read.

Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import updates  # noqa: E402

ENCODINGS = {"browser": "gzip, deflate, br, zstd", "gzip": "gzip"}
"""What a client accepts: Chromium's header (seen in its requests to this app), or gzip only."""
HEADERS = {"Content-Type": "application/json", "Accept-Encoding": ENCODINGS["browser"]}


def _client(port: int, body: bytes, seconds: float, out: multiprocessing.Queue) -> None:
    """One keep-alive connection posting ``body`` for ``seconds``; puts its latencies (s)
    and its error count on ``out``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds
    while (start := time.perf_counter()) < end:
        try:
            conn.request("POST", updates.UPDATE, body=body, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        if ok:
            latencies.append(time.perf_counter() - start)
        else:
            errors += 1
    conn.close()
    out.put((latencies, errors))


def _answer_bytes(port: int, body: bytes) -> tuple[str, int]:
    """The encoding and size of one answer as it goes on the wire."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", updates.UPDATE, body=body, headers=HEADERS)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    encoding = response.getheader("Content-Encoding")
    if response.status != 200 or encoding not in HEADERS["Accept-Encoding"]:
        raise RuntimeError(f"expected a compressed answer, got {response.status} {encoding}")
    return encoding, len(data)


def measure(workers: int, connections: int, seconds: float) -> dict[str, float]:
    """gunicorn with ``workers`` workers under ``connections`` connections for ``seconds``."""
    before = updates.SPEC.defaults
    after = {**before, "w1": round(before["w1"] + 0.1, 10)}
    body = updates.ours_body(before, after, "w1")
    port = updates._free_port()
    proc = updates.start_gunicorn(port, workers=workers)
    try:
        _client(port, body, 1.0, multiprocessing.Queue())  # warm-up
        encoding, wire_bytes = _answer_bytes(port, body)
        pids = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        cpu_before = updates._cpu_seconds(pids)
        out: multiprocessing.Queue = multiprocessing.Queue()
        clients = [
            multiprocessing.Process(target=_client, args=(port, body, seconds, out))
            for _ in range(connections)
        ]
        for c in clients:
            c.start()
        results = [out.get() for _ in clients]
        for c in clients:
            c.join()
        cpu = updates._cpu_seconds(pids) - cpu_before
    finally:
        updates.stop(proc)
    latencies = sorted(t for lat, _ in results for t in lat)
    n = len(latencies)
    return {
        "updates": n,
        "per_second": n / seconds,
        "per_worker": n / seconds / workers,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(n - 1, int(0.99 * n))],
        "errors": sum(e for _, e in results),
        "cpu_ms": 1000 * cpu / max(n, 1),
        "bytes": wire_bytes,
        "encoding": encoding,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--encoding", choices=sorted(ENCODINGS), default="browser")
    args = parser.parse_args()
    HEADERS["Accept-Encoding"] = ENCODINGS[args.encoding]
    r = measure(args.workers, args.connections, args.seconds)
    print(
        f"gunicorn, {args.workers} worker(s), {args.connections} connections, {args.seconds:g} s,"
        f" 127.0.0.1, slider moves on the x² tab through Dash's dispatch:\n"
        f"  {r['per_second']:.0f} updates/s ({r['per_worker']:.0f} per worker),"
        f" p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms,"
        f" {r['updates']} answered, {r['errors']} errors,"
        f" {r['bytes']} bytes per answer ({r['encoding']})\n"
        f"  the workers' CPU per update {r['cpu_ms']:.2f} ms: a worker given a core of its own"
        f" answers up to {1000 / r['cpu_ms']:.0f} updates/s"
    )


if __name__ == "__main__":
    main()
