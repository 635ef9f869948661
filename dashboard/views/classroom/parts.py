"""What the classroom groups share: the marked wrapper, file names, and the tab's setting.

Each group is wrapped in an element marked ``data-control`` so an instructor's link can hide it
(``dashboard.links``). The download and export groups both read the tab's current setting
(values, activation and its own parameters) from the browser and check it before using it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from dashboard.i18n import t
from dashboard.views import actparams
from dashboard.views.common import check_activation, check_values

Setting = tuple[dict[str, float], str, dict[str, float]]
"""A tab's current values by name, activation key and the activation's own parameters."""


def group_class(name: str) -> str:
    """The class that tells the classroom group ``name`` apart from the others."""
    return f"classroom-{name}"


def group(name: str, children: list[Any], **kw: Any) -> html.Div:
    """A classroom group, marked with its ``data-control`` name."""
    return html.Div(
        children, className=f"classroom {group_class(name)}", **{"data-control": name}, **kw
    )


def file_stem(tab: str) -> str:
    """The start of every file a tab's classroom groups download."""
    return f"activation-playground-{tab}"


def act_items(group: Sequence[Any], values: Sequence[Any]) -> list[tuple[tuple[str, str], Any]]:
    """((activation, parameter), value) of a pattern-matched activation-parameter group."""
    keys = [(item["id"]["act"], item["id"]["name"]) for item in group]
    return list(zip(keys, values, strict=True))


def current_setting(
    names: Sequence[str], values: Sequence[Any], activation: Any, act_items: Any, lang: str
) -> tuple[Setting | None, str]:
    """The setting the tab's controls hold, or None and a message naming what is wrong."""
    key = check_activation(activation)
    if key is None:
        return None, t(lang, "msg.unknown_activation")
    checked, message = check_values(names, values, lang)
    if checked is None:
        return None, message
    params, message = actparams.check(key, actparams.of_activation(key, act_items), lang)
    if params is None:
        return None, message
    return (checked, key, params), ""
