"""``python -m dashboard``: its command line, its environment defaults and its refusals.

The command is run as a user runs it, in a subprocess (its own interpreter, the package
installed), with every wait bounded; the server listens on 127.0.0.1 on a port the OS picks.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import __main__ as entry
from tests.support.entry import FakeApp

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "DASH_DEBUG")}
    env.update(settings)
    return env


def run(*args: str, timeout: float = 120, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=environment(**settings),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- in a subprocess --------------------------------------------------------------------------


def test_help_prints_the_usage_and_starts_nothing() -> None:
    port = free_port()
    done = run("--help", PORT=str(port))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m dashboard")
    for option in ("--host", "--port", "--debug", "$HOST", "$PORT", "$DASH_DEBUG"):
        assert option in done.stdout, option
    assert f"else {entry.DEFAULT_PORT}" in done.stdout  # the default the help names
    assert "Activation Playground: http" not in done.stdout  # the line printed on start
    assert done.stderr == ""
    with socket.socket() as s:  # the command has ended, and nothing listens on its port
        assert s.connect_ex((HOST, port)) != 0


@pytest.mark.parametrize("value", ["abc", "80a", "", "0", "65536", "-1", "1e3"])
def test_a_bad_port_in_the_environment_stops_with_one_line(value: str) -> None:
    if value == "":  # an empty PORT is no PORT: the help still prints (the default applies)
        done = run("--help", PORT=value)
        assert done.returncode == 0 and "usage:" in done.stdout, done.stderr
        return
    done = run(PORT=value)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"PORT={value!r}" in lines[0], lines[0]
    assert done.stdout == ""  # it stopped before announcing a server


@pytest.mark.parametrize("value", ["abc", "70000"])
def test_a_bad_port_option_is_refused(value: str) -> None:
    """As argparse refuses an option: the usage, then one line naming the value."""
    done = run("--port", value)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert f"argument --port: {value!r} is not a port" in last, done.stderr
    assert done.stdout == ""


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_port_option_picks_the_port() -> None:
    """``--port`` wins over ``$PORT``: the page is served there, and the process ends when
    it is told to."""
    port, other = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--port", str(port)],
        cwd=ROOT,
        env=environment(PORT=str(other), HOST=HOST),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        answer = None
        while answer is None:
            assert process.poll() is None, process.communicate(timeout=10)
            assert time.monotonic() < deadline, "no answer on the port in 120 s"
            try:
                answer = get(port, "/")
            except OSError:
                time.sleep(0.2)  # still loading the app
        status, page = answer
        assert status == 200
        assert b"<title>" in page and b"_dash-config" in page
        with socket.socket() as s:
            assert s.connect_ex((HOST, other)) != 0, "$PORT was used instead of --port"
    finally:
        process.terminate()
        try:
            out, _err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _err = process.communicate(timeout=30)
    assert f"http://{HOST}:{port}/" in out


# --- the defaults, in this process ------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        ([], {}, ("127.0.0.1", 8050, False)),
        ([], {"HOST": "0.0.0.0", "PORT": "9001", "DASH_DEBUG": "1"}, ("0.0.0.0", 9001, True)),
        ([], {"PORT": " 65535 ", "DASH_DEBUG": "0"}, ("127.0.0.1", 65535, False)),
        (["--port", "1", "--host", "::1"], {"PORT": "9001"}, ("::1", 1, False)),
        (["--no-debug"], {"DASH_DEBUG": "true"}, ("127.0.0.1", 8050, False)),
        (["--debug"], {}, ("127.0.0.1", 8050, True)),
    ],
)
def test_options_default_to_the_environment(
    fake: FakeApp, argv: list[str], env: dict[str, str], expected: tuple[str, int, bool]
) -> None:
    entry.main(argv, env)
    host, port, debug = expected
    assert fake.calls == [{"host": host, "port": port, "debug": debug}]


@pytest.mark.parametrize("value", ["abc", "0", "65536", "99999999999999999999", "8.5"])
def test_a_bad_port_never_reaches_the_server(fake: FakeApp, value: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        entry.main([], {"PORT": value})
    assert stopped.value.code != 0 and f"PORT={value!r}" in str(stopped.value.code)
    with pytest.raises(SystemExit) as stopped:
        entry.main(["--port", value], {})
    assert stopped.value.code == 2  # argparse's refusal of an option
    assert fake.calls == []


def test_the_address_printed_names_the_path_prefix(
    fake: FakeApp, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.config.routes_pathname_prefix = "/playground/"
    entry.main(["--port", "8123"], {})
    assert capsys.readouterr().out == "Activation Playground: http://127.0.0.1:8123/playground/\n"
