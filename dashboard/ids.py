"""Every component id of the app, in one place.

Groups of like components use pattern-matching (dict) ids so one callback serves them all.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from dashboard import pageconfig

LANG = "lang"
MAIN = "main"
CONTENT = "content"
"""Where the open tab's body is rendered (views.shell)."""
SAVED = "saved"
"""A store of snapshots of the tabs not on the page (views.shell)."""
URL = "url"
"""The page's location: a link's query string holds a whole view (dashboard.links)."""
NOTICE = "notice"
"""Where what a link could not restore is said."""

# Types of pattern-matching ids.
TEXT = "text"
MARKDOWN = "markdown"
TAB = "tab"
ACTIVATION = "activation"
PARAM = "param"
BOX = "box"
SCORE = "score"
TARGET = "target"
GOAL = "goal"
FEEDBACK = "feedback"
HINT = "hint"
ACTION = "action"
REPORT = "report"
DRAWN = "drawn"
GRAPH = "graph"
STATUS = "status"
PRESET = "preset"
FORMULA = "formula"
TABBAR = "tabbar"
PANEL = "panel"
ACT_PARAM = "act_param"
ACT_BOX = "act_box"
ACT_GROUP = "act_group"
OVERLAYS = "overlays"
TARGET_NOTE = "target_note"
TARGET_CHECK = "target_check"


def text(key: str, at: str) -> dict[str, str]:
    """A translated plain text; ``at`` makes ids unique where a key recurs."""
    return {"type": TEXT, "key": key, "at": at}


def markdown(tab: str) -> dict[str, str]:
    return {"type": MARKDOWN, "tab": tab}


def tab(key: str) -> dict[str, str]:
    return {"type": TAB, "key": key}


def activation(tab: str) -> dict[str, str]:
    return {"type": ACTIVATION, "tab": tab}


def param(tab: str, name: Any) -> dict[str, Any]:
    """A parameter's slider, whose value the model uses; ``dash.ALL`` matches a whole tab."""
    return {"type": PARAM, "tab": tab, "name": name}


def box(tab: str, name: Any) -> dict[str, Any]:
    """A parameter's number box, kept in step with its slider in the browser."""
    return {"type": BOX, "tab": tab, "name": name}


def drawn(tab: str) -> dict[str, str]:
    """A store of the inputs the tab's figure was last drawn from (see figures.approx_patch)."""
    return {"type": DRAWN, "tab": tab}


def graph(tab: str) -> dict[str, str]:
    return {"type": GRAPH, "tab": tab}


def status(tab: str) -> dict[str, str]:
    return {"type": STATUS, "tab": tab}


def preset(tab: str, row: Any) -> dict[str, Any]:
    """A preset row's Apply button. Built by assets/presets.js, not by Dash: this is its DOM id
    (``dom_id``), and a click reaches the server through the tab's ``pick`` store."""
    return {"type": PRESET, "tab": tab, "row": row}


def pick(tab: str) -> dict[str, str]:
    """The store assets/presets.js sets when an Apply button of the preset table is clicked:
    ``{"row": <row>, "n": <click count>}``. Not kept by the shell's snapshots."""
    return {"type": "pick", "tab": tab}


def formula(tab: str) -> dict[str, str]:
    return {"type": FORMULA, "tab": tab}


def tabbar(bar: str) -> dict[str, str]:
    """A row of tabs (radio buttons, so arrow keys move between them)."""
    return {"type": TABBAR, "bar": bar}


def panel(bar: str, key: Any) -> dict[str, Any]:
    """The panel a tab of ``bar`` shows; ``key`` is the tab's value."""
    return {"type": PANEL, "bar": bar, "key": key}


def score(tab: str) -> dict[str, str]:
    """The live score line (RMSE, max error, goal) under a tab's plot."""
    return {"type": SCORE, "tab": tab}


def feedback(tab: str) -> dict[str, str]:
    """The score line under an approximation tab's plot; its ``data-feedback`` attribute carries
    the message, score, goal and hints of the last update (written out by assets/feedback.js)."""
    return {"type": FEEDBACK, "tab": tab}


def goal(tab: str) -> dict[str, str]:
    """The success mark beside the score: its text and its class say whether the goal is met."""
    return {"type": GOAL, "tab": tab}


def hint(tab: str, name: Any) -> dict[str, Any]:
    """The gradient hint beside a parameter's slider; ``dash.ALL`` matches a whole tab."""
    return {"type": HINT, "tab": tab, "name": name}


def action(tab: str, what: str) -> dict[str, str]:
    """A button of a tab ("fit", "best")."""
    return {"type": ACTION, "tab": tab, "what": what}


def report(tab: str, what: str) -> dict[str, str]:
    """Where a tab's action reports its result."""
    return {"type": REPORT, "tab": tab, "what": what}


def act_param(tab: str, act: Any, name: Any) -> dict[str, Any]:
    """The slider of an activation's own parameter (ELU's alpha, ...); ``ALL`` matches a tab."""
    return {"type": ACT_PARAM, "tab": tab, "act": act, "name": name}


def act_box(tab: str, act: Any, name: Any) -> dict[str, Any]:
    """The number box beside an activation parameter's slider (joined by assets/params.js)."""
    return {"type": ACT_BOX, "tab": tab, "act": act, "name": name}


def act_group(tab: str, act: Any) -> dict[str, Any]:
    """The controls of one activation's parameters, shown only while it is chosen."""
    return {"type": ACT_GROUP, "tab": tab, "act": act}


def overlays(tab: str) -> dict[str, str]:
    """The checklist of what a tab draws over its curve (derivative, step point, ...)."""
    return {"type": OVERLAYS, "tab": tab}


def target(tab: str, field: str) -> dict[str, str]:
    """A control of a tab's problem: "target", "formula", "a", "b" or "beyond"."""
    return {"type": TARGET, "tab": tab, "field": field}


TARGET_FIELDS: tuple[str, ...] = ("target", "formula", "a", "b", "beyond", "stack", "goal")


def target_note(tab: str, note: str) -> dict[str, str]:
    """The message right under a target box: "formula", "interval" (a and b) or "goal"."""
    return {"type": TARGET_NOTE, "tab": tab, "note": note}


def target_check(tab: str) -> dict[str, str]:
    """A tab's target controls (their ``<details>``); its ``data-checked`` holds the values the
    boxes' check last judged, so that assets/links.js links only values already judged."""
    return {"type": TARGET_CHECK, "tab": tab}


# --- the network builder (views.builder) ---------------------------------------------------


def store(tab: str, name: Any) -> dict[str, Any]:
    """A ``dcc.Store`` of a tab ("arch", "train", "loss", "selected"); kept by the shell."""
    return {"type": "store", "tab": tab, "name": name}


def live(tab: str, name: str) -> dict[str, Any]:
    """A ``dcc.Store`` of the moment ("playing", "waiting", "frame", "figframe", "epoch"):
    not kept by the shell, so a tab left while training plays comes back paused."""
    return {"type": "live", "tab": tab, "name": name}


def control(tab: str, name: Any) -> dict[str, Any]:
    """A single control of a tab ("layers", "seed", "lr", "optimizer", "batch")."""
    return {"type": "control", "tab": tab, "name": name}


def layer_control(tab: str, field: str, layer: Any) -> dict[str, Any]:
    """A hidden layer's control: ``field`` "units" (a number box) or "activation"."""
    return {"type": "layer_control", "tab": tab, "field": field, "layer": layer}


def layer_row(tab: str, layer: Any) -> dict[str, Any]:
    """The row of a hidden layer's controls, hidden beyond the chosen number of layers."""
    return {"type": "layer_row", "tab": tab, "layer": layer}


def unit_group(tab: str, layer: Any, unit: Any) -> dict[str, Any]:
    """The foldable group of one unit's parameter sliders."""
    return {"type": "unit_group", "tab": tab, "layer": layer, "unit": unit}


def part(tab: str, name: str) -> dict[str, str]:
    """A container a callback fills ("sliders")."""
    return {"type": "part", "tab": tab, "name": name}


def diagram(tab: str) -> dict[str, str]:
    """The network diagram's graph."""
    return {"type": "diagram", "tab": tab}


def loss_graph(tab: str) -> dict[str, str]:
    """The training loss curve's graph."""
    return {"type": "loss", "tab": tab}


def ticker(tab: str) -> dict[str, str]:
    """The ``dcc.Interval`` that drives training while it plays."""
    return {"type": "ticker", "tab": tab}


# --- presets in and out, export as code (views.classroom) -----------------------------------


def upload(tab: str) -> dict[str, str]:
    """A tab's ``dcc.Upload`` of a preset table."""
    return {"type": "upload", "tab": tab}


def download(tab: str, what: str) -> dict[str, str]:
    """A tab's ``dcc.Download``: "csv" (parameters, preset table) or "code" (PyTorch, Keras)."""
    return {"type": "download", "tab": tab, "what": what}


def result(tab: str, what: str) -> dict[str, str]:
    """A store of an action's result in both languages (an upload's), shown in the page's."""
    return {"type": "result", "tab": tab, "what": what}


def dom_id(component_id: dict[str, Any]) -> str:
    """The DOM id Dash renders for a dict id (keys sorted, compact JSON), for CSS and tests."""
    import json

    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


@functools.cache
def _for_scripts() -> dict[str, Any]:
    """The page config's "ids" section (assets/*.js read it, dashboard/pageconfig.py): "types",
    every id type by the name of the function here that builds it (``"act_box": "act_box"``,
    ``"loss_graph": "loss"``), and "fixed", every fixed id by its constant's name in lower case
    (``"main": "main"``)."""
    types = {}
    for name, make in globals().items():
        if not inspect.isfunction(make) or make.__module__ != __name__ or name.startswith("_"):
            continue
        signature = inspect.signature(make)
        if str(signature.return_annotation).startswith("dict"):
            types[name] = make(*[""] * len(signature.parameters))["type"]
    kinds = set(types.values())
    fixed = {
        name.lower(): value
        for name, value in globals().items()
        if name.isupper() and isinstance(value, str) and value not in kinds
    }
    return {"types": types, "fixed": fixed}


pageconfig.publish("ids", _for_scripts)
