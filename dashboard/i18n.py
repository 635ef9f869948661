"""Every visible string, in English and Russian.

Short strings live in ``locales/<lang>.json``; each tab's explanation is a Markdown file
``locales/<lang>/<tab>.md`` (formulas in MathJax ``$...$``). Both languages must have the same
keys; a test checks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES: tuple[str, ...] = ("en", "ru")
DEFAULT_LANGUAGE = "en"


def normalise(lang: object) -> str:
    """A supported language code for anything a client may send (``None``, ``'ru-RU'``, ...)."""
    if isinstance(lang, str):
        code = lang.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def from_accept_language(languages: Iterable[str]) -> str:
    """The first supported language in a browser's preference list (best first)."""
    for lang in languages:
        code = lang.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@cache
def strings(lang: str) -> dict[str, str]:
    """All short strings of one language: ``<lang>.json`` and any ``<lang>.<part>.json``.

    A key defined twice is an error, so parts written separately cannot shadow each other.
    """
    merged: dict[str, str] = {}
    for path in [LOCALE_DIR / f"{lang}.json", *sorted(LOCALE_DIR.glob(f"{lang}.*.json"))]:
        part = json.loads(path.read_text(encoding="utf-8"))
        twice = sorted(set(part) & set(merged))
        if twice:
            raise ValueError(f"{path.name}: keys defined twice: {', '.join(twice)}")
        merged.update(part)
    return merged


@cache
def _explained(lang: str) -> frozenset[str]:
    """The tabs that have an explanation in ``lang``."""
    return frozenset(p.stem for p in (LOCALE_DIR / lang).glob("*.md"))


def explanation(lang: str, tab: str) -> str:
    """The Markdown explanation of one tab; KeyError for a tab that has none.

    ``lang`` and ``tab`` may come from a request: only a known explanation file is ever read
    (a name such as ``../../README`` is not one).
    """
    lang = normalise(lang)
    if not isinstance(tab, str) or tab not in _explained(lang):
        raise KeyError(f"no explanation for tab {tab!r}")
    return _explanation(lang, tab)


@cache
def _explanation(lang: str, tab: str) -> str:
    return (LOCALE_DIR / lang / f"{tab}.md").read_text(encoding="utf-8")


def t(lang: str, key: str, /, **fields: object) -> str:
    """The string ``key`` in ``lang``, with ``{field}`` placeholders filled in."""
    text = strings(normalise(lang))[key]
    return text.format(**fields) if fields else text


def activation_name(lang: str, key: str) -> str:
    """The display name of an activation."""
    return t(lang, f"act.{key}")


@dataclass(frozen=True)
class Message:
    """A message to show later in either language: a string ``key`` and its ``fields``.

    A field that is itself a :class:`Message` is rendered in the same language first, so a
    message can quote another (a link's notice quoting why its formula was refused).
    """

    key: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        values = {
            k: v.render(lang) if isinstance(v, Message) else v for k, v in self.fields.items()
        }
        return t(lang, self.key, **values)
