"""A plot tab's feedback (status message, live score, goal mark, hint per slider) as one output.

The figure callback writes all of it into one attribute of the score line, as one JSON text:
the Dash renderer does a store update (two for a ``children``) per output component, and each
runs a selector for every component on the page, so one output is cheaper than one per text.
assets/feedback.js writes the texts where they are shown: the tab's status line
(``ids.status``), the score and goal spans (``ids.score``, ``ids.goal``, the goal's class too)
and the hint beside each slider (``ids.hint`` by parameter name). Parts an update leaves out
keep what they show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from dash import Output, html, no_update

from dashboard import ids

ATTRIBUTE = "data-feedback"
"""The score line's attribute (``ids.feedback``) that carries an update's texts."""


def score_line(tab: str) -> html.Div:
    """The line under a tab's plot: the live score, then the goal mark."""
    return html.Div(
        [html.Span(id=ids.score(tab)), html.Span(id=ids.goal(tab), className="goal-open")],
        id=ids.feedback(tab),
        className="score",
        role="status",
        **{"aria-live": "polite"},
    )


def output(tab: str) -> Output:
    """The callback output that carries a tab's packed feedback."""
    return Output(ids.feedback(tab), ATTRIBUTE)


def packed(
    message: str,
    score: Any = no_update,
    goal: Any = no_update,
    goal_class: Any = no_update,
    hints: Mapping[str, str] | Any = no_update,
) -> str:
    """The JSON text for :data:`ATTRIBUTE`: the status ``message`` (always), the ``score`` and
    ``goal`` texts, the goal's class and the ``hints`` by parameter name. A part given as
    ``no_update`` is left out, and the page keeps what it shows there."""
    out: dict[str, Any] = {"status": message}
    parts = {"score": score, "goal": goal, "goalClass": goal_class}
    out.update((k, v) for k, v in parts.items() if v is not no_update)
    if hints is not no_update:
        out["hints"] = dict(hints)
    return orjson.dumps(out).decode()
