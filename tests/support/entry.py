"""A stand-in for the app under ``python -m dashboard``'s entry point (the ``fake`` fixture)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


class FakeApp:
    """Stands in for ``dashboard.app.app`` under ``python -m dashboard``'s entry point: records
    how it was asked to run, serves nothing."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.config = SimpleNamespace(routes_pathname_prefix="/")

    def run(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)
