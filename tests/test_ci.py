"""CI runs exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Test it", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(python -m pytest[^\n]*)\n```", section)
    assert commands == ["python -m pytest --durations=15"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[0], "the last thing CI does is the README's test command"
