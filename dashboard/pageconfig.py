"""What the page's own scripts (assets/*.js) need to know, published once, as JSON in the page.

The scripts hold no component id type, tab key or link key as a literal: Python owns those
facts (ids.py, the tab registry, the link schema) and this module writes them into the page's
HTML as ``<script type="application/json" id="playground-config">``, which the browser does not
run (so the Content-Security-Policy is untouched). A script reads it with
``window.activationPlayground.config()`` (assets/attributes.js).

Each part of the app adds its section to :data:`SECTIONS` (a name and a function returning
plain JSON data); ``script_tag()`` gathers them when the page is served.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

ELEMENT_ID = "playground-config"
"""The DOM id of the JSON script element."""

SECTIONS: dict[str, Callable[[], Any]] = {}
"""Name -> a function returning that section's JSON data."""


def publish(name: str, make: Callable[[], Any]) -> None:
    """Add a section to the page's config (a name may be published once)."""
    if name in SECTIONS:
        raise ValueError(f"page config section {name!r} is published twice")
    SECTIONS[name] = make


def config() -> dict[str, Any]:
    """Every section's data, by name."""
    return {name: make() for name, make in SECTIONS.items()}


def script_tag() -> str:
    """The config as an inert JSON script element for the page's HTML."""
    text = orjson.dumps(config()).decode()
    # "</" inside the JSON could end the script element early.
    text = text.replace("</", "<\\/")
    return f'<script type="application/json" id="{ELEMENT_ID}">{text}</script>'
