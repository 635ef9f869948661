"""The page's scripts (assets/*.js) spell no name Python defines: they read the page config.

Python publishes the id types, fixed ids, tab keys, link keys and the views' attribute and
class names once, as JSON in every served page (dashboard/pageconfig.py). Here: no script holds
one of them as a string literal, the served page carries the config where the scripts find it,
and what the config says matches dashboard/ids.py and the views' layouts.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from dash import html

from dashboard import ids, pageconfig, tabs
from dashboard.views import common
from dashboard.views.classroom import upload_group

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SCRIPTS = sorted(ASSETS.glob("*.js"))  # not vendor/: those are plotly.js's own files

# After one of these (or at the start), "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "case", "in", "of", ""}


def js_strings(source: str) -> list[str]:
    """The string literals of a script: quoted strings and the fixed parts of template literals
    (comments and regular expressions skipped)."""
    found: list[str] = []
    previous = ""  # the last significant token, to tell a regex from a division
    i = 0
    while i < len(source):
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = len(source) if end < 0 else end
        elif source.startswith("/*", i):
            i = source.index("*/", i + 2) + 2
        elif c in "'\"`":
            i = _quoted(source, i, found)
            previous = "string"
        elif c == "/" and previous in _REGEX_AFTER:
            i = _regex_end(source, i)
            previous = "regex"
        elif c.isspace():
            i += 1
        else:
            word = re.match(r"[\w$]+", source[i:])
            previous = word.group() if word else c
            i += len(previous)
    return found


def _quoted(source: str, start: int, found: list[str]) -> int:
    """Read the literal opening at ``start`` into ``found``; the index after it."""
    quote = source[start]
    i = start + 1
    part: list[str] = []
    while source[i] != quote:
        if source[i] == "\\":
            part.append(source[i : i + 2])
            i += 2
        elif quote == "`" and source.startswith("${", i):
            found.append("".join(part))
            part = []
            i = source.index("}", i) + 1  # the scripts' substitutions hold no braces
        else:
            part.append(source[i])
            i += 1
    found.append("".join(part))
    return i + 1


def _regex_end(source: str, start: int) -> int:
    i = start + 1
    in_class = False
    while in_class or source[i] != "/":
        if source[i] == "\\":
            i += 1
        elif source[i] == "[":
            in_class = True
        elif source[i] == "]":
            in_class = False
        i += 1
    return i + 1


def test_js_strings_reads_literals_and_skips_the_rest() -> None:
    source = (
        '// a \'comment\'\n/* "another" */ const a = "x\\"y" + \'z\' + `t${b}u`;\n'
        "const r = /'[/]\"/g; const d = a / 2 / 3; q.set('p.' + n);"
    )
    assert js_strings(source) == ['x\\"y', "z", "t", "u", "p."]


def _strings(value: Any) -> Iterator[str]:
    """Every string value inside a JSON-like value (not the keys: those name the parts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@pytest.fixture(scope="module")
def published(client: Any) -> dict[str, Any]:
    """The config as the served page carries it (the app's modules all imported)."""
    return pageconfig.config()


def _python_names(published: dict[str, Any]) -> set[str]:
    """Every name Python defines that the scripts must read instead of spelling: the string
    constants of dashboard/ids.py (fixed ids, id types), the tab keys (dashboard/tabs.py), the
    type of every id ids.py builds, and every string the page config publishes (link keys
    included)."""
    names = {v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)}
    names.update(tab.key for tab in tabs.TABS)
    for make in vars(ids).values():
        if inspect.isfunction(make) and make.__module__ == ids.__name__:
            signature = inspect.signature(make)
            if str(signature.return_annotation).startswith("dict"):
                names.add(make(*[""] * len(signature.parameters))["type"])
    names.update(_strings(published))
    return names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_script_spells_a_name_python_defines(script: Path, published: dict[str, Any]) -> None:
    names = _python_names(published)
    spelled = sorted(set(js_strings(script.read_text(encoding="utf-8"))) & names)
    assert not spelled, f"{script.name} spells {spelled}: read them from the page config"


def test_only_attributes_js_names_the_config_element() -> None:
    """The config element's id is the one name the scripts share with Python by spelling it:
    attributes.js finds the config by it, every other script asks attributes.js."""
    holders = [p.name for p in SCRIPTS if pageconfig.ELEMENT_ID in js_strings(p.read_text())]
    assert holders == ["attributes.js"]


class _Page(HTMLParser):
    """The config element's text and where it stands among the page's scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []  # "config" or a script's src, in page order
        self.config: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("id") == pageconfig.ELEMENT_ID:
            assert found.get("type") == "application/json"
            self.order.append("config")
            self._inside = True
        elif tag == "script" and found.get("src"):
            self.order.append(str(found["src"]))

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.config = (self.config or "") + data

    def handle_endtag(self, tag: str) -> None:
        self._inside = False


@pytest.mark.parametrize("language", ["en", "ru"])
def test_served_page_carries_the_config_before_the_scripts(client: Any, language: str) -> None:
    page = _Page()
    page.feed(client.get("/", headers={"Accept-Language": language}).get_data(as_text=True))
    assert page.order.count("config") == 1
    first_asset = next(i for i, src in enumerate(page.order) if "/assets/" in src)
    assert page.order.index("config") < first_asset
    config = json.loads(page.config or "")
    assert config == json.loads(json.dumps(pageconfig.config()))


def test_config_ids_match_ids_py(published: dict[str, Any]) -> None:
    section = published["ids"]
    types, fixed = section["types"], section["fixed"]
    assert types["status"] == ids.status("x")["type"] == ids.STATUS
    assert types["param"] == ids.PARAM and types["act_box"] == ids.ACT_BOX
    assert types["pick"] == ids.pick("x")["type"]
    assert types["loss_graph"] == ids.loss_graph("x")["type"]
    assert fixed["main"] == ids.MAIN and fixed["lang"] == ids.LANG
    # Every id ids.py builds has its type published, under the builder's name.
    for name, make in vars(ids).items():
        if inspect.isfunction(make) and make.__module__ == ids.__name__:
            signature = inspect.signature(make)
            if str(signature.return_annotation).startswith("dict") and not name.startswith("_"):
                assert types[name] == make(*["x"] * len(signature.parameters))["type"]


def _walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _classes_and_attributes(component: Any) -> tuple[set[str], set[str]]:
    classes: set[str] = set()
    attributes: set[str] = set()
    for node in _walk(component):
        classes.update((getattr(node, "className", None) or "").split())
        attributes.update(k for k in node.to_plotly_json()["props"] if k.startswith("data-"))
    return classes, attributes


def test_views_names_are_those_the_views_use(published: dict[str, Any]) -> None:
    """The classes and attributes the scripts look for, as published, are on the views'
    elements: a parameter's row (assets/params.js), an upload group (assets/upload.js)."""
    views = published["views"]
    row = common.control_row("w", ids.param("t", "w"), ids.box("t", "w"), -1, 1, 0.1, 0)
    group = upload_group("square2", "en")
    classes, attributes = _classes_and_attributes(html.Div([row, group]))
    assert set(views["classes"].values()) <= classes
    assert views["attributes"]["maxBytes"] in attributes
