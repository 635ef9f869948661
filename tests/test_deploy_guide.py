"""docs/DEPLOY.md says what the files and the code do: its commands, settings and examples.

A teacher copies from the guide; each thing it quotes is checked against the one place that
defines it (the Procfile, the lock's module, .python-version, the settings' parsers, the link
reader), so the guide cannot drift from the code.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard import tabs
from dashboard.devtools import gunicorn, lock
from dashboard.security import FRAME_ENV, SettingError, frame_ancestors

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE, re.S)


def test_the_guide_quotes_the_procfile_command_and_the_python_version() -> None:
    command = " ".join(gunicorn.procfile_command())
    assert f"`web: {command}`" in GUIDE and f"start command\n  `{command}`" in GUIDE
    assert f"`{lock.python_version()}`" in GUIDE


def test_the_guides_install_command_is_the_locks() -> None:
    # Render's build command: the Dockerfile's, less pip's cache switch (a build has no cache
    # to keep)
    render = " ".join(word for word in lock.INSTALL if word != "--no-cache-dir")
    assert f"Build command `{render}`" in GUIDE


def test_the_guides_lock_commands_run_the_locks_module() -> None:
    (block,) = [b for b in fenced("bash") if "devtools.lock" in b]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == [
        lock.REGENERATE,
        f"{lock.REGENERATE} --upgrade",
        f"{lock.REGENERATE} --check",
    ]


def test_the_guides_frame_ancestors_example_is_accepted() -> None:
    (block,) = [b for b in fenced("bash") if FRAME_ENV in b]
    value = block.strip().split("=", 1)[1].strip('"')
    assert frame_ancestors({FRAME_ENV: value}) == (
        "https://moodle.example.edu",
        "https://*.instructure.com",
    )
    docker = re.search(rf"-e {FRAME_ENV}=(\S+)`", GUIDE)
    assert docker and frame_ancestors({FRAME_ENV: docker.group(1)})


def test_an_entry_the_guide_calls_bad_is_refused() -> None:
    with pytest.raises(SettingError):
        frame_ancestors({FRAME_ENV: "https://moodle.example.edu/course/view.php"})


def test_the_guides_embedded_exercise_opens_as_it_says() -> None:
    (block,) = fenced("html")
    src = html.unescape(re.search(r'src="([^"]+)"', block).group(1))
    tab, state, notices = tabs.LINKS.decode(urlsplit(src).query)
    assert notices == []
    assert (tab, state.activation, state.lang) == ("sin3", "relu", "ru")
    assert (state.hide, state.lock, state.goal) == (("fit", "best", "hints"), True, 0.5)
    assert "three ReLU neurons to fit sin x by hand to an RMSE of 0.5" in GUIDE


def test_the_guides_nginx_rules_match_the_two_settings() -> None:
    passed, stripped = fenced("nginx")
    assert "proxy_pass http://127.0.0.1:8000;" in passed  # the path goes on as it came
    assert "proxy_pass http://127.0.0.1:8000/;" in stripped  # the location's path is cut
    section = GUIDE.index("## Behind a web server")
    first, second = GUIDE.index(passed), GUIDE.index(stripped)
    assert "`DASH_URL_BASE_PATHNAME=/playground/`" in GUIDE[section:first]
    assert "`DASH_REQUESTS_PATHNAME_PREFIX=/playground/`" in GUIDE[first + len(passed) : second]
