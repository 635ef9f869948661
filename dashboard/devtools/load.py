"""Many clients against a running server: a mix of slider moves, page loads and uploads.

Each client is a thread with its own keep-alive connection (gzip accepted) sending requests
drawn from a mix: slider moves as the page posts them (80 %), page loads (``/``,
``/_dash-layout``, ``/_dash-dependencies``; 12 %) and uploads (8 %). Every request is recorded
with its time and whether the expected status came back. :func:`soak` runs the mix against
gunicorn as the Procfile starts it and reads each worker's memory after a warm-up and at the
end; bench/soak.py runs it for a minute, tests/test_deploy.py for a few seconds.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from dashboard.devtools.bodies import (
    UPDATE,
    build,
    find_dependency,
    server_dependencies,
    tab_params,
)
from dashboard.devtools.gunicorn import HOST, Gunicorn, rss_mb
from dashboard.wire import dom_id

TABS = ("neuron", "square2", "sin3", "deep")
MAX_CLIENTS = 64
MAX_SECONDS = 3600
DEFAULT_MAX_GROWTH_MB = 32.0
UPLOAD_SIZE = 1_400_000
"""A 1 MB CSV file as a data URL in a callback body: base64 makes it about 1.4 MB."""


@dataclass(frozen=True)
class Request:
    """One request of the mix: what to send and which status must come back."""

    kind: str
    method: str
    path: str
    body: bytes | None = None
    status: int = 200
    early_answer: bool = False
    """Send only the headers and the first bytes, then read the answer: the server refuses
    the body from its declared length, without reading it."""


def _post_json(conn: http.client.HTTPConnection, body: bytes) -> Any:
    conn.request("POST", UPDATE, body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {data[:200]!r}")
    return json.loads(data)


def slider_bodies(port: int, per_tab: int = 24, seed: int = 1) -> list[bytes]:
    """Slider moves as the browser posts them, with the record of the figure drawn before."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    dependencies = server_dependencies(json.loads(conn.getresponse().read()))
    bodies = []
    for tab in TABS:
        dep = find_dependency(dependencies, tab)
        first = _post_json(conn, json.dumps(build(dep)).encode())
        record = first["response"][dom_id({"tab": tab, "type": "drawn"})]["data"]
        drawn = dom_id({"tab": tab, "type": "drawn"})
        for _ in range(per_tab):
            param = rng.choice(tab_params(tab))
            value = round(param.default + rng.uniform(-1, 1) * (param.hi - param.lo) / 10, 1)
            key = f"{dom_id({'name': param.name, 'tab': tab, 'type': 'param'})}.value"
            body = build(dep, {key: value, f"{drawn}.data": record})
            bodies.append(json.dumps(body, separators=(",", ":")).encode())
    conn.close()
    return bodies


def upload_kinds(port: int, dependencies: list[dict[str, Any]], cap: int) -> list[Request]:
    """Uploads: to the app's upload callback when it has one, otherwise bodies at the cap."""
    uploads = [d for d in dependencies if any(i["property"] == "contents" for i in d["inputs"])]
    if uploads:
        import base64

        csv = "activation,w,b\nsigmoid,2,1\n" * 5
        url = "data:text/csv;base64," + base64.b64encode(csv.encode()).decode()
        out = []
        for dep in uploads:
            body = build(dep)
            for entry in body["inputs"]:
                items = entry if isinstance(entry, list) else [entry]
                for item in items:
                    if item["property"] == "contents":
                        item["value"] = url
            out.append(Request("upload", "POST", UPDATE, json.dumps(body).encode()))
        return out
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = server_dependencies(json.loads(conn.getresponse().read()))
    conn.close()
    normal = json.dumps(build(find_dependency(deps, "square2"))).encode()
    padded = normal + b" " * (UPLOAD_SIZE - len(normal))
    return [
        Request("upload 1.4 MB", "POST", UPDATE, padded),
        Request("upload over cap", "POST", UPDATE, b" " * (cap + 1), 413, early_answer=True),
    ]


def request_mix(port: int, cap: int) -> Callable[[random.Random], Request]:
    """A function drawing the next request of the mix."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    dependencies = server_dependencies(json.loads(conn.getresponse().read()))
    conn.close()
    sliders = [Request("slider", "POST", UPDATE, b) for b in slider_bodies(port)]
    pages = [Request("page", "GET", p) for p in ("/", "/_dash-layout", "/_dash-dependencies")]
    uploads = upload_kinds(port, dependencies, cap)

    def draw(rng: random.Random) -> Request:
        roll = rng.random()
        if roll < 0.80:
            return rng.choice(sliders)
        if roll < 0.92:
            return rng.choice(pages)
        return rng.choice(uploads)

    return draw


# --- the clients ----------------------------------------------------------------------------


@dataclass
class Record:
    kind: str
    start: float
    end: float
    ok: bool
    detail: str = ""


def _early_answer(port: int, request: Request) -> int:
    """Send the headers and the first 16 KiB of a body, then read the status line."""
    assert request.body is not None
    with socket.create_connection((HOST, port), timeout=10) as s:
        head = (
            f"{request.method} {request.path} HTTP/1.1\r\nHost: {HOST}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(request.body)}\r\n\r\n"
        )
        s.sendall(head.encode() + request.body[:16384])
        line = s.makefile("rb").readline()
    return int(line.split()[1])


class Load:
    """``clients`` threads sending the mix until stopped; every request is recorded."""

    def __init__(self, port: int, clients: int, draw: Callable[[random.Random], Request]) -> None:
        if not 1 <= clients <= MAX_CLIENTS:
            raise ValueError(f"clients must be 1..{MAX_CLIENTS}")
        self.port = port
        self.clients = clients
        self.draw = draw
        self.records: list[Record] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _client(self, seed: int) -> None:
        rng = random.Random(seed)
        conn: http.client.HTTPConnection | None = None
        mine: list[Record] = []
        while not self._stop.is_set():
            request = self.draw(rng)
            start = time.monotonic()
            try:
                if request.early_answer:
                    status = _early_answer(self.port, request)
                else:
                    if conn is None:
                        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                    headers = {"Accept-Encoding": "gzip"}
                    if request.body is not None:
                        headers["Content-Type"] = "application/json"
                    conn.request(request.method, request.path, body=request.body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    status = response.status
                    if status == 200 and not data:
                        raise RuntimeError("an empty 200 answer")
                ok = status == request.status
                detail = "" if ok else f"status {status}, expected {request.status}"
            except (OSError, http.client.HTTPException, RuntimeError, ValueError) as e:
                ok, detail = False, f"{type(e).__name__}: {e}"
                if conn is not None:
                    conn.close()
                conn = None
            mine.append(Record(request.kind, start, time.monotonic(), ok, detail))
        if conn is not None:
            conn.close()
        with self._lock:
            self.records.extend(mine)

    def start(self) -> Load:
        for i in range(self.clients):
            thread = threading.Thread(target=self._client, args=(i,), name=f"client-{i}")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> list[Record]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return sorted(self.records, key=lambda r: r.start)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(records: Sequence[Record], seconds: float) -> dict[str, Any]:
    def stats(rs: Sequence[Record]) -> dict[str, Any]:
        ms = [(r.end - r.start) * 1000 for r in rs]
        return {
            "requests": len(rs),
            "errors": sum(not r.ok for r in rs),
            "p50_ms": round(percentile(ms, 50), 2),
            "p99_ms": round(percentile(ms, 99), 2),
            "max_ms": round(max(ms), 2) if ms else float("nan"),
        }

    kinds = sorted({r.kind for r in records})
    errors = [r for r in records if not r.ok]
    return {
        **stats(records),
        "per_second": round(len(records) / seconds, 1) if seconds > 0 else float("nan"),
        "kinds": {k: stats([r for r in records if r.kind == k]) for k in kinds},
        "first_errors": [f"{r.kind}: {r.detail}" for r in errors[:5]],
    }


# --- the soak run ---------------------------------------------------------------------------


@contextmanager
def running(workers: int | None = None) -> Iterator[Gunicorn]:
    with Gunicorn(workers=workers) as server:
        yield server


def soak(
    seconds: float = 60,
    clients: int = 16,
    workers: int | None = None,
    warmup: float = 3.0,
    max_growth_mb: float = DEFAULT_MAX_GROWTH_MB,
) -> dict[str, Any]:
    """Run the soak and return its figures (``passed`` says whether the bounds held)."""
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS}]")
    from dashboard.security import max_request_bytes

    cap = max_request_bytes()
    with running(workers) as server:
        pids = server.workers()
        boot_rss = {pid: rss_mb(pid) for pid in pids}
        draw = request_mix(server.port, cap)
        warm = Load(server.port, clients, draw).start()
        time.sleep(warmup)
        warm_records = warm.stop()
        start_rss = {pid: rss_mb(pid) for pid in pids}
        load = Load(server.port, clients, draw).start()
        began = time.monotonic()
        time.sleep(seconds)
        records = load.stop()
        elapsed = time.monotonic() - began
        end_pids = server.workers()
        end_rss = {pid: rss_mb(pid) for pid in end_pids if pid in start_rss}
        served = sum(1 for line in server.stdout().splitlines() if '"' in line)
    growth = {pid: round(end_rss[pid] - start_rss[pid], 1) for pid in end_rss}
    result = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "workers": len(pids),
        **summary(records, elapsed),
        "warmup_errors": sum(not r.ok for r in warm_records),
        "access_log_lines": served,
        "rss_mb": {
            str(pid): {
                "boot": round(boot_rss[pid], 1),
                "start": round(start_rss[pid], 1),
                "end": round(end_rss[pid], 1) if pid in end_rss else None,
            }
            for pid in pids
        },
        "growth_mb": {str(pid): g for pid, g in growth.items()},
        "max_growth_mb": max_growth_mb,
        "workers_replaced": sorted(set(pids) ^ set(end_pids)),
    }
    result["passed"] = (
        result["errors"] == 0
        and result["warmup_errors"] == 0
        and not result["workers_replaced"]
        and all(g <= max_growth_mb for g in growth.values())
    )
    return result


def report(result: dict[str, Any]) -> str:
    lines = [
        f"gunicorn ({result['workers']} workers) under {result['clients']} clients for "
        f"{result['seconds']} s on {HOST}",
        f"  requests {result['requests']}, errors {result['errors']}, "
        f"{result['per_second']}/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"max {result['max_ms']} ms",
    ]
    for kind, s in result["kinds"].items():
        lines.append(
            f"  {kind:<16} {s['requests']:>7} requests, {s['errors']} errors, "
            f"p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms"
        )
    for pid, rss in result["rss_mb"].items():
        lines.append(
            f"  worker {pid}: RSS {rss['boot']} MB at boot, {rss['start']} MB after warm-up, "
            f"{rss['end']} MB at the end (growth {result['growth_mb'].get(pid)} MB, "
            f"bound {result['max_growth_mb']} MB)"
        )
    if result["first_errors"]:
        lines.append("  first errors: " + "; ".join(result["first_errors"]))
    if result["workers_replaced"]:
        lines.append(f"  workers replaced during the run: {result['workers_replaced']}")
    lines.append("PASSED" if result["passed"] else "FAILED")
    return "\n".join(lines)
