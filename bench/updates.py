"""Benchmark of one slider move on the "2 neurons -> x²" tab, every way side by side.

Run ``python bench/updates.py`` (add ``--quick`` for a shorter run). It prints, in one run on
this machine:

1. server time of one single-slider update (Flask test client posting the exact body the
   browser sends to ``/_dash-update-component``) for the notebook's matplotlib redraw, a plain
   Dash callback returning a whole ``go.Figure`` and our Patch through Dash's dispatch (what
   the app runs); medians of interleaved rounds, and the ratios between them;
2. bytes per update, raw and gzip as served;
3. throughput and latency of gunicorn started as the Procfile starts it (2 workers) on
   127.0.0.1 under wrk (8 connections, 10 s), and the error count; then the same server and
   settings answering every request with a constant, stored update (bench/constant_wsgi.py):
   the ceiling that gunicorn, wrk and the machine leave for any update;
4. end-to-end latency in headless Chromium from a key press on a slider to the plot's data
   being updated (median and p95 over 50 steps).

Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask
import numpy as np
import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, dcc, html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import browser_ab  # noqa: E402

from dashboard import ids, wire  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.devtools.bodies import find_dependency, request_body, tab_layout  # noqa: E402
from dashboard.model import get_activation  # noqa: E402
from dashboard.sections import TWO_NEURONS as SPEC  # noqa: E402

UPDATE = "/" + wire.UPDATE_PATH
NAMES = SPEC.slider_order


# --- request bodies, exactly as the browser sends them ------------------------------------


def _param_inputs(values: dict[str, float]) -> list[dict[str, Any]]:
    return [{"id": ids.param(SPEC.key, n), "property": "value", "value": values[n]} for n in NAMES]


def _output_string(outputs: list[tuple[dict, str]]) -> str:
    return "..{}..".format("...".join(f"{wire.dom_id(cid)}.{prop}" for cid, prop in outputs))


def ours_body(before: dict[str, float], after: dict[str, float], changed: str) -> bytes:
    """The body the browser posts after one slider step (drawn = the values before it).

    Built from the app's own /_dash-dependencies and layout, the way dash-renderer builds it,
    so it follows every input, state and output the callback has.
    """
    app = create_app()
    client = app.server.test_client()
    # The page (header, language) and the tab's body, as the tab bar renders it.
    layout = [client.get("/_dash-layout").get_json(), tab_layout(client, SPEC.key)]
    deps = client.get("/_dash-dependencies").get_json()
    dep = find_dependency(deps, SPEC.key)
    drawn = ids.dom_id(ids.drawn(SPEC.key))
    record = {"activation": "sigmoid", "lang": "en", "values": before}
    body = request_body(dep, layout, {changed: after[changed]}, state={drawn: record})
    return json.dumps(body, separators=(",", ":")).encode()


def plain_app() -> Dash:
    """The usual way: the same controls and a callback that returns a whole go.Figure."""
    app = Dash(__name__, compress=True)
    app.layout = html.Div(
        [
            dcc.Input(id=ids.param(SPEC.key, n), type="number", value=p)
            for n, p in SPEC.defaults.items()
        ]
        + [
            dcc.Dropdown(id=ids.activation(SPEC.key), value="sigmoid", options=["sigmoid", "tanh"]),
            dcc.RadioItems(id=ids.LANG, value="en", options=["en", "ru"]),
            dcc.Graph(id=ids.graph(SPEC.key)),
        ]
    )

    @app.callback(
        Output(ids.graph(SPEC.key), "figure"),
        Input(ids.param(SPEC.key, ALL), "value"),
        Input(ids.activation(SPEC.key), "value"),
        Input(ids.LANG, "value"),
    )
    def update(values: list[float], activation: str, lang: str) -> go.Figure:
        v = dict(zip(NAMES, values, strict=True))
        act = get_activation(activation)
        x = np.linspace(-10, 10, 1000)
        a1, a2 = act(x * v["w1"] + v["b1"]), act(x * v["w2"] + v["b2"])
        fig = go.Figure()
        fig.add_scatter(x=x, y=a1, name="A1", line={"dash": "dash"})
        fig.add_scatter(x=x, y=a2, name="A2", line={"dash": "dash"})
        fig.add_scatter(x=x, y=a1 * v["w3"] + v["b3"], name="A1·w3 + b3", line={"dash": "dash"})
        fig.add_scatter(x=x, y=a2 * v["w4"] + v["b3"], name="A2·w4 + b3", line={"dash": "dash"})
        fig.add_scatter(
            x=x,
            y=a1 * v["w3"] + a2 * v["w4"] + v["b3"],
            name="output",
            line={"color": "red", "width": 4},
        )
        fig.add_scatter(x=x, y=x**2, name="x²", line={"dash": "dot"})
        fig.update_layout(
            title="1 hidden layer, with 2 Sigmoid neurons",
            yaxis={"range": [-1, 100]},
            template="plotly_white",
        )
        return fig

    return app


def plain_body(after: dict[str, float], changed: str) -> bytes:
    cid = ids.param(SPEC.key, changed)
    body = {
        "output": wire.dom_id(ids.graph(SPEC.key)) + ".figure",
        "outputs": {"id": ids.graph(SPEC.key), "property": "figure"},
        "inputs": [
            _param_inputs(after),
            {"id": ids.activation(SPEC.key), "property": "value", "value": "sigmoid"},
            {"id": ids.LANG, "property": "value", "value": "en"},
        ],
        "changedPropIds": [wire.dom_id(cid) + ".value"],
    }
    return json.dumps(body, separators=(",", ":")).encode()


# --- 1 and 2: server time and bytes ------------------------------------------------------


def constant_wsgi(data: bytes) -> Callable[..., Any]:
    """A WSGI app answering every request with ``data``, as JSON."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        )
        return [data]

    return app


def _median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def server_side(rounds: int, per_round: int) -> dict[str, Any]:
    from matplotlib_baseline import redraw_png

    before = SPEC.defaults
    after = {**before, "w1": round(before["w1"] + 0.1, 10)}
    ours = create_app()
    plain = plain_app()
    clients = {name: app.server.test_client() for name, app in (("ours", ours), ("plain", plain))}
    for client in clients.values():
        client.get("/_dash-layout")
        client.get("/_dash-dependencies")
    bodies = {
        "ours": ours_body(before, after, "w1"),
        "plain": plain_body(after, "w1"),
    }
    # The floor of this measurement: the same test client and body, answered with stored bytes.
    headers = {"Content-Type": "application/json"}
    stored = clients["ours"].post(UPDATE, data=bodies["ours"], headers=headers).data
    floor = flask.Flask("floor")
    floor.wsgi_app = constant_wsgi(stored)  # type: ignore[method-assign]
    clients["floor"], bodies["floor"] = floor.test_client(), bodies["ours"]

    def post(name: str, encoding: str | None = None) -> Any:
        h = dict(headers)
        if encoding:
            h["Accept-Encoding"] = encoding
        r = clients[name].post(UPDATE, data=bodies[name], headers=h)
        assert r.status_code == 200, (name, r.status_code, r.data[:300])
        return r

    def mpl() -> bytes:
        return redraw_png(*(after[n] for n in ("w1", "b1", "w2", "b2", "w3", "w4", "b3")))

    runners: dict[str, Callable[[], Any]] = {
        "matplotlib": mpl,
        "plain": lambda: post("plain"),
        "ours": lambda: post("ours"),
        "floor": lambda: post("floor"),
    }
    samples: dict[str, list[float]] = {k: [] for k in runners}
    for run in runners.values():  # warm-up
        run()
    for _ in range(rounds):  # interleaved, so the machine's mood hits all alike
        for name, run in runners.items():
            n = 2 if name == "matplotlib" else per_round
            for _ in range(n):
                t0 = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - t0)
    sizes = {
        "matplotlib": (len(mpl()), len(mpl())),
        **{
            name: (len(post(name).data), len(post(name, "gzip").data)) for name in ("plain", "ours")
        },
    }
    gz = post("ours", "gzip")
    assert gz.headers.get("Content-Encoding") == "gzip", "responses are not compressed"
    assert json.loads(gzip.decompress(gz.data)) == json.loads(post("ours").data)
    return {
        "median_us": {k: _median_us(v) for k, v in samples.items()},
        "n": {k: len(v) for k, v in samples.items()},
        "bytes": sizes,
    }


# --- 3: gunicorn under wrk ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port: int, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def start_gunicorn(
    port: int,
    workers: int = 2,
    constant_answer: Path | None = None,
    config: Path | None = None,
    env_extra: dict[str, str] | None = None,
) -> subprocess.Popen:
    """gunicorn exactly as the Procfile runs it, with the platform's variables set.

    With ``constant_answer``, the same server and settings run bench/constant_wsgi.py instead of
    the app, answering every request with that file's bytes: the ceiling for any update.
    ``config`` replaces gunicorn.conf.py.
    """
    procfile = (ROOT / "Procfile").read_text().strip()
    command = procfile.split(":", 1)[1].strip().split()
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": str(workers), **(env_extra or {})}
    if constant_answer is not None:
        command = [
            "constant_wsgi:app" if part == "dashboard.app:server" else part for part in command
        ]
        command += ["--pythonpath", str(ROOT / "bench")]
        env["CONSTANT_ANSWER"] = str(constant_answer)
    if config is not None:
        command += ["--config", str(config)]
    # The platform binds 0.0.0.0; on this machine we keep to loopback.
    command += ["--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_http(port)
    _wait_workers(proc.pid, workers)
    return proc


def _wait_workers(master: int, count: int, timeout: float = 30) -> None:
    """Until the master has forked ``count`` workers. /health can answer from the first one
    while the next is not forked yet, and wrk keeps the connections it opens at the start: they
    would all go to one worker and the run would measure one worker, not two."""
    children = Path(f"/proc/{master}/task/{master}/children")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(children.read_text().split()) >= count:
            time.sleep(0.5)  # a moment for each to start its threads and poll
            return
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn did not start {count} workers in {timeout} s")


def _cpu_seconds(pids: list[str]) -> float:
    """User plus system CPU time the processes have used so far (from /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def _parse_wrk(text: str) -> dict[str, Any]:
    def latency(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not m:
            return float("nan")
        scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
        return float(m.group(1)) * scale

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(g) for g in sock.groups()) if sock else 0
    )
    return {
        "rps": rps,
        "requests": total,
        "errors": errors,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
    }


def gzip_answer(body: bytes) -> bytes:
    """The app's gzip-compressed answer to ``body``, as it goes on the wire."""
    client = create_app().server.test_client()
    headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"}
    response = client.post(UPDATE, data=body, headers=headers)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    return response.data


def load(
    seconds: int,
    gzip_on: bool,
    constant: bool = False,
    config: Path | None = None,
    env_extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """wrk against gunicorn; ``constant``: against the constant app answering the same bytes;
    ``config`` and ``env_extra``: as for :func:`start_gunicorn`."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk not installed (apt-get install wrk)"}
    before = SPEC.defaults
    after = {**before, "w1": round(before["w1"] + 0.1, 10)}
    body = ours_body(before, after, "w1").decode()
    port = _free_port()
    answer = None
    if constant:
        with tempfile.NamedTemporaryFile("wb", suffix=".gz", delete=False) as f:
            f.write(gzip_answer(body.encode()))
        answer = Path(f.name)
    proc = start_gunicorn(port, constant_answer=answer, config=config, env_extra=env_extra)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            enc = 'wrk.headers["Accept-Encoding"] = "gzip"\n' if gzip_on else ""
            f.write(
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f"{enc}wrk.body = {json.dumps(body)}\n"
            )
            script = f.name
        workers = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        cpu_before = _cpu_seconds(workers)
        out = subprocess.run(
            [
                wrk,
                "-t2",
                "-c8",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script,
                f"http://127.0.0.1:{port}{UPDATE}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
        os.unlink(script)
        result = _parse_wrk(out)
        # The workers' CPU time per answered request: what an update costs the server under
        # load, beside what it costs measured alone (part 1).
        result["cpu_ms"] = 1000 * (_cpu_seconds(workers) - cpu_before) / max(result["requests"], 1)
        return result
    finally:
        stop(proc)
        if answer is not None:
            answer.unlink()


# --- 4: the browser, end to end -----------------------------------------------------------


def browser(steps: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        return {"skipped": "chromium not installed"}
    port = _free_port()
    proc = start_gunicorn(port)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=browser_ab.CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 900})
            browser_ab.open_tab(page, port, browser_ab.LATENCY_JS)
            lat = browser_ab.latencies(page, steps)
            alone = browser_ab.plotly_alone(page, steps)
            b.close()
    finally:
        stop(proc)
    arr = np.asarray(lat)
    return {
        "steps": len(arr),
        "median_ms": float(np.median(arr)),
        "p95_ms": float(np.percentile(arr, 95)),
        "plotly_median_ms": float(np.median(alone)),
        "plotly_p95_ms": float(np.percentile(alone, 95)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 3 s of load")
    parser.add_argument("--browser", action="store_true", help="only the browser measurement")
    args = parser.parse_args()
    if args.browser:
        b = browser(50)
        print(f"browser: median {b['median_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms")
        print(f"Plotly.react alone: median {b['plotly_median_ms']:.1f} ms")
        return
    rounds, per_round, seconds = (5, 20, 3) if args.quick else (15, 40, 10)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    s = server_side(rounds, per_round)
    m = s["median_us"]
    print("\n1. server time of one single-slider update (median)")
    labels = {
        "matplotlib": "matplotlib redraw to PNG (the notebook's way)",
        "plain": "plain Dash callback returning a whole go.Figure",
        "ours": "our Patch, through Dash's dispatch (what the app runs)",
    }
    for k, label in labels.items():
        print(f"   {label:<55} {m[k] / 1000:9.3f} ms  (n={s['n'][k]})")
    print(
        f"   of which the test client itself: {m['floor'] / 1000:.3f} ms (the same body answered"
        " with stored bytes)"
    )
    print(f"   ratio matplotlib / ours: {m['matplotlib'] / m['ours']:8.0f}x")
    print(f"   ratio plain / ours:      {m['plain'] / m['ours']:8.1f}x")

    print("\n2. bytes per update (raw / gzip as served)")
    for k in ("matplotlib", "plain", "ours"):
        raw, gz = s["bytes"][k]
        print(f"   {labels[k]:<55} {raw / 1024:8.1f} KB / {gz / 1024:8.1f} KB")

    print(f"\n3. gunicorn, 2 workers (Procfile), wrk 8 connections {seconds} s")
    runs = (
        ("the app, without gzip", False, False),
        ("the app, with gzip", True, False),
        ("ceiling: same server and settings, a constant gzip answer", True, True),
    )
    for tag, gzip_on, constant in runs:
        r = load(seconds, gzip_on, constant)
        if "skipped" in r:
            print(f"   {tag}: skipped:", r["skipped"])
        else:
            print(
                f"   {tag}:\n     {r['rps']:.0f} updates/s, p50 {r['p50_ms']:.2f} ms,"
                f" p99 {r['p99_ms']:.2f} ms, {r['requests']} requests, {r['errors']} errors;"
                f" the workers' CPU per request {r['cpu_ms']:.3f} ms"
            )

    b = browser(50)
    print("\n4. browser end to end: key press on a slider -> plot updated (headless Chromium)")
    if "skipped" in b:
        print("   skipped:", b["skipped"])
    else:
        print(
            f"   median {b['median_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms over {b['steps']} steps"
        )
        print(
            f"   of which no step can go below: Plotly.react redrawing the figure alone, in the"
            f" page, no Dash, no network: median {b['plotly_median_ms']:.1f} ms,"
            f" p95 {b['plotly_p95_ms']:.1f} ms"
        )


if __name__ == "__main__":
    main()
