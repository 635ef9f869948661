"""The code base stays ruff-clean (lint and format), as pyproject.toml configures ruff."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["dashboard", "tests", "bench"]


def _ruff() -> list[str]:
    exe = shutil.which("ruff")
    if exe is None:
        pytest.fail("ruff is part of the test extra: pip install -e '.[test]'")
    return [exe]


def test_ruff_check_is_clean() -> None:
    result = subprocess.run(
        [*_ruff(), "check", *PATHS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = subprocess.run(
        [*_ruff(), "format", "--check", *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_model_imports_no_ui_libraries() -> None:
    """dashboard.model stays pure NumPy: importing it loads neither dash, plotly nor pandas."""
    code = (
        "import sys, dashboard.model, dashboard.model.fit, dashboard.model.formula; "
        "bad = [m for m in ('dash', 'plotly', 'pandas') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"dashboard.model imported {out.stdout.strip()}"
