"""What a platform's build puts on disk, for tests that follow its steps without the platform.

- A buildpack (Heroku, Render, Dokku, ...) gets the repository as pushed: ``repository_files``.
- ``docker build`` gets the build context minus ``.dockerignore`` and copies what the
  Dockerfile's ``COPY`` lines name: ``instructions`` reads the Dockerfile, ``ignored`` applies
  ``.dockerignore`` as Docker does (Go's path patterns, ``**`` for any depth, ``!`` to keep,
  the last matching line deciding, a directory's match covering what is inside it).

``copy_into`` lays such a file set out in a directory, where the Procfile's command can then
be started with a freshly installed environment.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from dashboard.devtools.gunicorn import ROOT


def repository_files(root: Path = ROOT) -> list[str]:
    """The files git would push: tracked ones, and new ones it does not ignore. Without git
    (a copy of the files), every file but those .gitignore names."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=root,
            check=True,
            capture_output=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return _files_gitignore_keeps(root)
    return sorted(name for name in listed.split("\0") if name and (root / name).is_file())


def _files_gitignore_keeps(root: Path) -> list[str]:
    lines = [line.strip().rstrip("/") for line in (root / ".gitignore").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")] + [".git"]

    def kept(name: str) -> bool:
        parts = name.split("/")
        for line in lines:
            if "/" in line.strip("/"):
                if name.startswith(line.strip("/") + "/"):
                    return False
            elif any(fnmatch.fnmatchcase(part, line) for part in parts):
                return False
        return True

    names = (path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
    return sorted(name for name in names if kept(name))


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """The Dockerfile's instructions in order, as (INSTRUCTION, arguments): comments dropped,
    continued lines joined."""
    found: list[tuple[str, str]] = []
    pending = ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line}" if pending else line
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        name, _, rest = pending.partition(" ")
        found.append((name.upper(), rest.strip()))
        pending = ""
    return found


def command_words(arguments: str) -> list[str]:
    """A RUN/CMD argument list: the JSON (exec) form, or the shell form split as sh would."""
    if arguments.startswith("["):
        return list(json.loads(arguments))
    return shlex.split(arguments)


def _pattern(line: str) -> re.Pattern[str]:
    """A .dockerignore line as a regular expression over slash-separated relative paths."""
    text = line.strip("/")
    out = []
    i = 0
    while i < len(text):
        if text.startswith("**", i):
            out.append(".*")
            i += 2
            if text.startswith("/", i):  # "**/x" also matches "x" at the top
                out[-1] = "(?:.*/)?"
                i += 1
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(out) + "$")


def dockerignore_rules(path: Path) -> list[tuple[bool, re.Pattern[str]]]:
    """(keep, pattern) per line of a .dockerignore; ``keep`` for ``!`` lines."""
    rules = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        rules.append((keep, _pattern(line[1:] if keep else line)))
    return rules


def ignored(name: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether ``docker build`` leaves this file out of the context."""
    parts = name.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for keep, pattern in rules:
        if any(pattern.match(prefix) for prefix in prefixes):
            verdict = not keep
    return verdict


def image_files(root: Path = ROOT) -> list[str]:
    """The files ``docker build`` copies into the image: every ``COPY`` of the Dockerfile,
    from the context the .dockerignore leaves."""
    rules = dockerignore_rules(root / ".dockerignore")
    context = [name for name in repository_files(root) if not ignored(name, rules)]
    copied: set[str] = set()
    for name, arguments in instructions(root / "Dockerfile"):
        if name != "COPY":
            continue
        words = [w for w in shlex.split(arguments) if not w.startswith("--")]
        for source in words[:-1]:
            source = source.strip("/").removeprefix("./")
            whole = source in ("", ".")
            copied.update(n for n in context if whole or n == source or n.startswith(source + "/"))
    return sorted(copied)


def copy_into(names: Iterable[str], target: Path, root: Path = ROOT) -> Path:
    """Copy these files of the project into ``target``, keeping their relative paths."""
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, destination)
    return target
