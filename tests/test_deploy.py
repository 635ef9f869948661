"""The deployment as the platform runs it: gunicorn started exactly as the Procfile says.

- the gunicorn configuration follows the platform's environment variables;
- a short soak (``dashboard.devtools.load``, as bench/soak.py runs it): 16 clients of mixed
  slider moves, page loads and uploads, zero errors, worker memory within the stated bound;
- a worker killed with SIGKILL mid-load is replaced by the master, and every request sent
  after the replacement succeeds (no retries);
- a malformed shipped preset file stops start-up with a message naming the file, row and
  column, and no server ever listens.

Everything listens on 127.0.0.1 only, on ports the OS picks free, and is bounded in time.
"""

from __future__ import annotations

import http.client
import os
import re
import runpy
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from dashboard.devtools import gunicorn
from dashboard.devtools import load as clients
from dashboard.presets import PresetError, read_table
from dashboard.sections import SPECS_BY_KEY
from dashboard.security import max_request_bytes

ROOT = Path(__file__).resolve().parent.parent

assert shutil.which("gunicorn"), "gunicorn is a dependency of the app: pip install -e ."


# --- configuration ------------------------------------------------------------------------


def test_the_procfile_runs_gunicorn_on_the_app() -> None:
    assert gunicorn.procfile_command() == ["gunicorn", "dashboard.app:server"]


def config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ACCESS_LOG", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_follows_the_platform_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    default = config(monkeypatch)
    assert default["bind"] == "0.0.0.0:8000"
    assert default["workers"] == 2
    assert default["worker_class"] == "gthread" and default["threads"] == 4
    assert default["timeout"] == 30
    assert default["accesslog"] == "-" and default["errorlog"] == "-"  # stdout / stderr
    assert default["logger_class"] == "dashboard.serverlog.QuietCallbacks"
    assert config(monkeypatch, ACCESS_LOG="all")["logger_class"] == "gunicorn.glogging.Logger"
    with pytest.raises(SystemExit, match=r"^Error: ACCESS_LOG='loud'"):
        config(monkeypatch, ACCESS_LOG="loud")
    assert default["preload_app"] is True
    set_ = config(
        monkeypatch, PORT="5123", WEB_CONCURRENCY="5", GUNICORN_TIMEOUT="9", ACCESS_LOG="0"
    )
    assert set_["bind"] == "0.0.0.0:5123"
    assert (set_["workers"], set_["timeout"], set_["accesslog"]) == (5, 9, None)
    for bad in ({"WEB_CONCURRENCY": "many"}, {"WEB_CONCURRENCY": "0"}, {"PORT": "80a"}):
        with pytest.raises(SystemExit, match=f"^Error: {next(iter(bad))}="):
            config(monkeypatch, **bad)


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        # (WEB_CONCURRENCY is read by gunicorn itself before this file: a traceback of its own)
        ("PORT", "80a", "Error: PORT='80a': expected a whole number"),
        ("GUNICORN_TIMEOUT", "0", "Error: GUNICORN_TIMEOUT='0': must be at least 1"),
        ("ACCESS_LOG", "loud", "Error: ACCESS_LOG='loud': expected on, all or off"),
    ],
)
def test_a_bad_setting_stops_gunicorn_with_one_line(name: str, value: str, line: str) -> None:
    """What an admin sees in the platform's log: the one line naming the setting, no
    traceback, and no server."""
    server = gunicorn.Gunicorn(env={name: value})
    server.start()
    try:
        assert server.proc is not None and server.proc.wait(timeout=60) == 1
    finally:
        server.stop()
    assert server.stderr().splitlines() == [line]
    assert server.stdout() == ""


def test_the_access_log_leaves_out_only_successful_callback_requests() -> None:
    """Through real gunicorn: page loads, health checks and a refused callback are logged; a
    slider move answered 200 is not; with ACCESS_LOG=all it is."""
    lines = {}
    for setting in ("on", "all"):
        with gunicorn.Gunicorn(workers=1, env={"ACCESS_LOG": setting}) as server:
            body = clients.slider_bodies(server.port, per_tab=1)[0]
            conn = http.client.HTTPConnection(gunicorn.HOST, server.port, timeout=30)
            answers = []
            for method, path, data in (
                ("GET", "/", None),
                ("POST", "/_dash-update-component", body),
                ("POST", "/_dash-update-component", b"{not json"),
            ):
                headers = {"Content-Type": "application/json"} if data else {}
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                response.read()
                answers.append(response.status)
            conn.close()
            assert answers == [200, 200, 400]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and '" 400 ' not in server.stdout():
                time.sleep(0.05)  # the worker writes its log lines as it answers
        lines[setting] = server.stdout().splitlines()

    def logged(lines: list[str], request: str, status: int) -> int:
        return sum(1 for line in lines if f'"{request} HTTP/1.1" {status} ' in line)

    quiet, every = lines["on"], lines["all"]
    assert logged(quiet, "GET /", 200) == 1 and logged(quiet, "GET /health", 200) >= 1
    assert logged(quiet, "POST /_dash-update-component", 400) == 1
    assert logged(quiet, "POST /_dash-update-component", 200) == 0
    assert logged(every, "POST /_dash-update-component", 200) >= 1  # with those of slider_bodies
    assert logged(every, "POST /_dash-update-component", 400) == 1


def _fetch(port: int, path: str, statuses: list[int]) -> None:
    conn = http.client.HTTPConnection(gunicorn.HOST, port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    statuses.append(response.status)
    conn.close()


def test_a_fresh_worker_serves_the_pages_scripts_requested_all_at_once() -> None:
    """A browser asks a new worker for the page's scripts in parallel, before anything else.
    Dash sets itself up on a server's first request and answered 404 for its scripts until then,
    to the threads that came in meanwhile: the page stayed on "Loading...". The app now sets up
    before gunicorn forks its workers."""
    from dashboard.app import create_app

    page = create_app().server.test_client().get("/").get_data(as_text=True)
    scripts = re.findall(r'src="([^"]*_dash-component-suites/[^"]+)"', page)
    assert len(scripts) >= 5, scripts
    for attempt in range(3):
        server = gunicorn.Gunicorn(workers=1).start()
        try:
            deadline = time.monotonic() + 60
            while not (gunicorn.listening(server.port) and server.workers()):
                assert time.monotonic() < deadline, server.stderr()
                time.sleep(0.05)
            statuses: list[int] = []
            threads = [
                threading.Thread(target=_fetch, args=(server.port, path, statuses))
                for path in scripts
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert statuses == [200] * len(scripts), (attempt, statuses)
        finally:
            server.stop()


# --- load -------------------------------------------------------------------------------------


def test_a_short_soak_has_no_errors_and_bounded_memory() -> None:
    result = clients.soak(seconds=4, clients=16, warmup=1.0)
    print(clients.report(result))
    assert result["errors"] == 0, result["first_errors"]
    assert result["warmup_errors"] == 0
    assert not result["workers_replaced"]
    assert result["workers"] == 2
    # Every kind of request was sent, and enough of them to mean something.
    assert set(result["kinds"]) >= {"slider", "page"}
    assert any(kind.startswith("upload") for kind in result["kinds"])
    assert result["kinds"]["slider"]["requests"] >= 120
    assert result["p99_ms"] < 5000
    for pid, growth in result["growth_mb"].items():
        assert growth <= clients.DEFAULT_MAX_GROWTH_MB, (pid, growth, result["rss_mb"])
    assert result["passed"]


# --- faults -----------------------------------------------------------------------------------


def test_a_killed_worker_is_replaced_and_nothing_fails_after() -> None:
    with gunicorn.Gunicorn() as server:
        load = clients.Load(server.port, 8, clients.request_mix(server.port, max_request_bytes()))
        load.start()
        try:
            time.sleep(0.7)
            before = server.workers()
            assert len(before) == 2
            victim = before[0]
            os.kill(victim, signal.SIGKILL)
            killed = time.monotonic()
            replaced = None
            while time.monotonic() - killed < 15:
                now = server.workers()
                if victim not in now and len(now) == 2:
                    replaced = time.monotonic()
                    break
                time.sleep(0.01)
            assert replaced is not None, "the master did not start a new worker in 15 s"
            time.sleep(2.0)
        finally:
            records = load.stop()
        assert server.proc is not None and server.proc.poll() is None, "the master died"
        after = server.workers()
    late = [r for r in records if r.start >= replaced]
    early_failures = [r for r in records if not r.ok and r.start < replaced]
    print(
        f"killed {victim}, replaced after {1000 * (replaced - killed):.0f} ms by "
        f"{set(after) - set(before)}; {len(early_failures)} requests in flight at the kill "
        f"failed; {len(late)} requests after the replacement"
    )
    assert len(late) >= 50
    failed = [f"{r.kind}: {r.detail}" for r in late if not r.ok]
    assert not failed, failed[:5]
    assert victim not in after and len(after) == 2


def broken_copy(tmp_path: Path) -> tuple[Path, Path]:
    """The project's deployable files in ``tmp_path``, with one cell of the shipped "2
    neurons" preset table replaced by a word."""
    root = tmp_path / "app"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "dashboard", root / "dashboard", ignore=ignore)
    shutil.copytree(ROOT / "assets", root / "assets")
    for name in ("gunicorn.conf.py", "Procfile"):
        shutil.copy(ROOT / name, root / name)
    spec = SPECS_BY_KEY["square2"]
    assert spec.preset_file is not None
    table = root / "dashboard" / "presets" / spec.preset_file
    lines = table.read_text().splitlines()
    cells = lines[2].split(",")
    cells[3] = "lots"
    lines[2] = ",".join(cells)
    table.write_text("\n".join(lines) + "\n")
    return root, table


def test_a_malformed_preset_file_stops_start_up_with_no_server_listening(
    tmp_path: Path,
) -> None:
    root, table = broken_copy(tmp_path)
    spec = SPECS_BY_KEY["square2"]
    with pytest.raises(PresetError) as expected:
        read_table(table, spec.names)
    message = str(expected.value)
    assert str(table) in message and re.search(r"row \d", message), message
    server = gunicorn.Gunicorn(root=root, env={"PYTHONPATH": str(root)})
    server.start()
    assert server.proc is not None
    listened = False
    try:
        deadline = time.monotonic() + 60
        while server.proc.poll() is None and time.monotonic() < deadline:
            listened = listened or gunicorn.listening(server.port)
            time.sleep(0.05)
    finally:
        server.stop()
    assert server.proc.returncode not in (None, 0), "gunicorn kept running"
    assert not listened, "a server listened although the app could not be built"
    assert not gunicorn.listening(server.port)
    stderr = server.stderr()
    # The message names the copy's file (so the copy was loaded), its row and its column.
    assert message in stderr, stderr[-2000:]
    assert "Booting worker" not in stderr  # the app failed before any worker was forked
