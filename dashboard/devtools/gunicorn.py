"""gunicorn run as the Procfile runs it, on 127.0.0.1 and a free port, and what to read of it.

The command is the Procfile's ``web:`` line, run from the project directory (so gunicorn reads
``gunicorn.conf.py``) with ``HOST=127.0.0.1`` and a ``PORT`` the OS picks free: nothing
listens beyond the loopback interface. Workers and their resident memory are read from /proc.
"""

from __future__ import annotations

import http.client
import os
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The project directory: where the Procfile and gunicorn.conf.py are."""
HOST = "127.0.0.1"


def procfile_command(root: Path = ROOT) -> list[str]:
    """The command of the Procfile's ``web:`` process."""
    for line in (root / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == "web":
            return shlex.split(command)
    raise RuntimeError("the Procfile has no web process")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (gunicorn's workers, for its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc/<pid>/status (VmRSS, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


class Gunicorn:
    """gunicorn run as the Procfile says, on 127.0.0.1:<free port>, logs in a temp dir."""

    def __init__(
        self,
        root: Path = ROOT,
        workers: int | None = None,
        env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.root = root
        self.port = port or free_port()
        self.env = {**os.environ, "HOST": HOST, "PORT": str(self.port), **(env or {})}
        if workers is not None:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.logs = Path(tempfile.mkdtemp(prefix="soak-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> Gunicorn:
        self.proc = subprocess.Popen(
            procfile_command(self.root),
            cwd=self.root,
            env=self.env,
            stdout=(self.logs / "stdout.log").open("wb"),
            stderr=(self.logs / "stderr.log").open("wb"),
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Until /health answers and every worker has started."""
        deadline = time.monotonic() + timeout
        expected = int(self.env.get("WEB_CONCURRENCY", "2"))
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.stderr()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/health")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok and len(self.workers()) >= expected:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start in {timeout} s:\n{self.stderr()}")

    def workers(self) -> list[int]:
        return children(self.pid)

    def stderr(self) -> str:
        return (self.logs / "stderr.log").read_text(errors="replace")

    def stdout(self) -> str:
        return (self.logs / "stdout.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def __enter__(self) -> Gunicorn:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
