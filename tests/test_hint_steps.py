"""Hints beside the sliders: what one slider step does to the RMSE, and hiding them."""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component

from dashboard import ids
from dashboard.sections import SPECS_BY_KEY
from dashboard.views import approx, builder
from dashboard.views.shell import apply_options


def _walk(node: Any) -> list[Component]:
    out = []
    if isinstance(node, Component):
        out.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            out.extend(_walk(child))
    return out


def _explanations(body: Any) -> list[Component]:
    return [
        c
        for c in _walk(body)
        if isinstance(getattr(c, "id", None), dict)
        and c.id.get("type") == ids.TEXT
        and c.id.get("key") == "label.gradient_hint"
    ]


def _hidden(component: Component) -> bool:
    return (getattr(component, "style", None) or {}).get("display") == "none"


def test_hide_hints_hides_their_explanation_too() -> None:
    spec = SPECS_BY_KEY["square2"]
    for tab, build in (
        ("square2", lambda: approx.layout(spec, approx.load_presets(spec), "en")),
        ("builder", lambda: builder.layout("en")),
    ):
        shown = _explanations(apply_options(build(), tab, {"hide": ["fit"]}, "en"))
        assert len(shown) == 1 and not _hidden(shown[0]), tab
        hidden = _explanations(apply_options(build(), tab, {"hide": ["hints"]}, "en"))
        assert len(hidden) == 1 and _hidden(hidden[0]), tab
