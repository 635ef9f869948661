"""The platform's own steps: install from the lock in a fresh environment, start the Procfile.

- The lock (``requirements.txt``) is in step with ``pyproject.toml``: regenerating it with its
  own command changes nothing; it pins every dependency within pyproject's ranges, with
  hashes; and these tests run on exactly its versions.
- In a fresh virtual environment, the lock installs with the command the Dockerfile runs (a
  buildpack runs pip on the same file); the Procfile's command, started with a random
  ``$PORT`` in what a buildpack gets (the repository) and in what the image gets (the
  Dockerfile's ``COPY`` minus ``.dockerignore``), answers 200 on ``/``, ``/health``, an asset
  and a slider move.
- The Dockerfile runs the Python of ``.python-version``, the lock's install command in a layer
  of its own, a non-root user, the Procfile's command and a health check on ``/health``.

No container builder runs here (no Docker daemon), so the image itself is not built: its
instructions are checked against the lock and the Procfile, and its files are started as
above.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

from dashboard.devtools import gunicorn, lock, slug
from dashboard.devtools.load import slider_bodies

ROOT = gunicorn.ROOT


def pinned() -> dict[str, str]:
    """Package name → pinned version, for the lock's lines whose marker holds here."""
    pins = {}
    text = (ROOT / lock.LOCK).read_text()
    for line in re.findall(r"^([A-Za-z0-9][^\s\\]*(?: ;[^\\]*)?) \\$", text, re.M):
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (version,) = [spec.version for spec in requirement.specifier]
            pins[canonical(requirement.name)] = version
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- the lock ------------------------------------------------------------------------------


def test_the_lock_is_in_step_with_pyproject() -> None:
    assert lock.in_step(), f"{lock.LOCK} is out of step with pyproject.toml: run {lock.REGENERATE}"


def test_the_lock_pins_every_dependency_within_its_range_with_hashes() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = pinned()
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonical(requirement.name)
        assert name in pins, f"{name} is not in {lock.LOCK}"
        assert requirement.specifier.contains(pins[name]), (name, pins[name], line)
    text = (ROOT / lock.LOCK).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert len(blocks) == len(re.findall(r"^[A-Za-z0-9]", text, re.M))
    for block in blocks:
        assert "--hash=sha256:" in block, f"no hash for {block.splitlines()[0]}"


def test_these_tests_run_on_the_locked_versions() -> None:
    # .ci/run installs the lock before the package: what passes here is what deploys.
    for name, version in pinned().items():
        assert metadata.version(name) == version, f"{name}: {metadata.version(name)} installed"


def test_the_lock_is_made_for_the_python_the_platforms_run() -> None:
    assert re.fullmatch(r"3\.\d+", lock.python_version()), "major.minor: patches come for free"
    assert Marker(f"python_version == '{lock.python_version()}'").evaluate(), (
        "the tests run on another Python than deployments do"
    )


# --- the Dockerfile ------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    return slug.instructions(ROOT / "Dockerfile")


def test_the_dockerfile_runs_the_python_of_python_version() -> None:
    (base,) = [arguments for name, arguments in dockerfile() if name == "FROM"]
    assert base == f"python:{lock.python_version()}-slim"


def test_the_dockerfile_installs_the_lock_alone_in_a_layer_before_the_code() -> None:
    steps = dockerfile()
    runs = [slug.command_words(arguments) for name, arguments in steps if name == "RUN"]
    assert list(lock.INSTALL) in runs, f"no RUN {' '.join(lock.INSTALL)}"
    install = [i for i, (n, a) in enumerate(steps) if n == "RUN"][runs.index(list(lock.INSTALL))]
    copies = [(i, a.split()) for i, (n, a) in enumerate(steps) if n == "COPY"]
    before = [words for i, words in copies if i < install]
    assert before == [[lock.LOCK, "./"]], "only the lock is copied before its install"
    assert all(i > install for i, words in copies if words[0] == "."), "the code comes after"


def test_the_dockerfile_starts_the_procfile_command_as_a_user() -> None:
    steps = dockerfile()
    (cmd,) = [slug.command_words(arguments) for name, arguments in steps if name == "CMD"]
    assert cmd == gunicorn.procfile_command()
    users = [arguments for name, arguments in steps if name == "USER"]
    assert users and users[-1] not in ("root", "0")
    names = [name for name, _ in steps]
    assert names.index("USER") < names.index("CMD")
    assert "ENTRYPOINT" not in names, "the command must be the Procfile's alone"


def test_the_dockerfile_checks_health_on_port() -> None:
    (check,) = [arguments for name, arguments in dockerfile() if name == "HEALTHCHECK"]
    assert "/health" in check and "PORT" in check
    env = " ".join(arguments for name, arguments in dockerfile() if name == "ENV")
    assert re.search(r"\bPORT=8000\b", env)


def test_the_image_gets_the_app_and_leaves_out_tests_bench_and_caches() -> None:
    files = slug.image_files()
    for needed in ("dashboard/app.py", "gunicorn.conf.py", "Procfile", lock.LOCK):
        assert needed in files
    assert any(name.startswith("assets/") for name in files)
    assert any(name.startswith("dashboard/presets/") for name in files)
    for name in files:
        assert not name.startswith(("tests/", "bench/", ".git/", ".ci/")), name
        assert "__pycache__" not in name and not name.endswith(".pyc"), name


def test_the_dockerignore_reader_follows_dockers_rules() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / ".dockerignore"
        path.write_text("# c\ntests\n**/__pycache__\n*.md\n!README.md\nbuild/\n")
        rules = slug.dockerignore_rules(path)
    assert slug.ignored("tests/test_x.py", rules)
    assert slug.ignored("dashboard/__pycache__/x.pyc", rules)
    assert slug.ignored("__pycache__/x.pyc", rules)
    assert slug.ignored("NOTES.md", rules)
    assert not slug.ignored("README.md", rules)
    assert not slug.ignored("docs/x.md", rules), "a pattern without ** is anchored at the top"
    assert slug.ignored("build/lib/x", rules)
    assert not slug.ignored("dashboard/tests.py", rules)


# --- a fresh install, as a platform does it ------------------------------------------------


@pytest.fixture(scope="module")
def fresh_venv() -> Iterator[Path]:
    """A new virtual environment with the lock installed by the platform's command."""
    venv = Path(tempfile.mkdtemp(prefix="platform-venv-"))
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = [str(venv / "bin" / lock.INSTALL[0]), *lock.INSTALL[1:]]
        done = subprocess.run(install, cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        yield venv
    finally:
        shutil.rmtree(venv, ignore_errors=True)


def get(port: int, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(gunicorn.HOST, port, timeout=30)
    headers = {"Content-Type": "application/json"} if body else {}
    conn.request("POST" if body else "GET", path, body=body, headers=headers)
    answer = conn.getresponse()
    result = answer.status, answer.read()
    conn.close()
    return result


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("build", ["buildpack", "docker"])
def test_the_procfile_serves_from_a_fresh_install_of_the_lock(fresh_venv: Path, build: str) -> None:
    files = slug.repository_files() if build == "buildpack" else slug.image_files()
    with tempfile.TemporaryDirectory(prefix=f"{build}-") as scratch:
        app_dir = slug.copy_into(files, Path(scratch).resolve())
        env = {
            "PATH": f"{fresh_venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(fresh_venv),
            "PYTHONPATH": "",
        }
        with gunicorn.Gunicorn(root=app_dir, workers=1, env=env) as server:
            # the worker runs the copied code with the fresh environment's packages
            worker = server.workers()[0]
            assert Path(os.readlink(f"/proc/{worker}/cwd")) == app_dir
            maps = Path(f"/proc/{worker}/maps").read_text()
            numpy_libs = {line.split()[-1] for line in maps.splitlines() if "/numpy/" in line}
            assert numpy_libs and all(lib.startswith(str(fresh_venv)) for lib in numpy_libs)
            status, page = get(server.port, "/")
            assert status == 200 and b"_dash-config" in page
            status, health = get(server.port, "/health")
            assert status == 200 and json.loads(health) == {"status": "ok"}
            status, css = get(server.port, "/assets/style.css")
            assert status == 200 and css == (ROOT / "assets" / "style.css").read_bytes()
            # every tab's first drawing (checked 200 inside), then a slider move
            moves = slider_bodies(server.port, per_tab=1)
            status, answer = get(server.port, "/_dash-update-component", moves[0])
            assert status == 200 and "response" in json.loads(answer)
