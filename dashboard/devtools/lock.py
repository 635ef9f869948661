"""The deployment lock, ``requirements.txt``: the exact versions the tests pass with, hashed.

Platforms install the app's dependencies from it exactly as ``INSTALL`` says (Heroku's and
Render's Python builds run pip on it; the Dockerfile runs ``INSTALL``), then start the
Procfile's command from the project directory. ``pyproject.toml`` keeps version ranges for
people who ``pip install`` the package; this file pins them for a deployment.

``python -m dashboard.devtools.lock`` writes the lock again from ``pyproject.toml`` (with uv,
from the ``test`` extra), keeping every pinned version that still satisfies the ranges; add
``--upgrade`` to move every pin to the newest release, ``--check`` to only say whether the
lock is in step. The lock is made for Linux and CPython ``PYTHON`` (the version in
``.python-version``, which Heroku reads and the Dockerfile's base image carries); its hashes
cover every file of each pinned release, so it installs on x86-64 and ARM alike.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dashboard.devtools.gunicorn import ROOT

LOCK = "requirements.txt"
PYTHON_VERSION_FILE = ".python-version"
INSTALL = ("pip", "install", "--no-cache-dir", "-r", LOCK)
"""How a platform installs the lock, from the project directory: the Dockerfile's command."""
REGENERATE = "python -m dashboard.devtools.lock"


def python_version(root: Path = ROOT) -> str:
    """The Python version deployments run (``3.11``), from ``.python-version``."""
    return (root / PYTHON_VERSION_FILE).read_text().strip()


def compile_command(output: Path, root: Path = ROOT, upgrade: bool = False) -> list[str]:
    """uv's command that resolves ``pyproject.toml`` into ``output``, hashes included."""
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is not installed: pip install -e '.[test]' installs it")
    command = [
        uv,
        "pip",
        "compile",
        "pyproject.toml",  # relative: the lock names it, whatever the checkout's path
        "--quiet",
        "--generate-hashes",
        "--python-version",
        python_version(root),
        "--python-platform",
        "linux",
        "--no-strip-markers",
        "--custom-compile-command",
        REGENERATE,
        "--output-file",
        str(output),
    ]
    return [*command, "--upgrade"] if upgrade else command


def regenerate(output: Path, root: Path = ROOT, upgrade: bool = False) -> None:
    """Resolve into ``output``; an existing ``output``'s pins are kept where they still fit."""
    subprocess.run(compile_command(output, root, upgrade), cwd=root, check=True)


def in_step(root: Path = ROOT) -> bool:
    """Whether regenerating the lock would leave it exactly as it is."""
    with tempfile.TemporaryDirectory(prefix="lock-") as scratch:
        copy = Path(scratch) / LOCK
        shutil.copyfile(root / LOCK, copy)
        regenerate(copy, root)
        return filecmp.cmp(copy, root / LOCK, shallow=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is in step")
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest")
    args = parser.parse_args(argv)
    if args.check:
        if in_step():
            print(f"{LOCK} is in step with pyproject.toml")
            return 0
        print(f"{LOCK} is out of step with pyproject.toml: run {REGENERATE}", file=sys.stderr)
        return 1
    regenerate(ROOT / LOCK, upgrade=args.upgrade)
    print(f"wrote {LOCK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
