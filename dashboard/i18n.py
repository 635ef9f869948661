"""Every visible string, in English and Russian.

Short strings live in ``locales/<lang>.json``; each tab's explanation is a Markdown file
``locales/<lang>/<tab>.md`` (formulas in MathJax ``$...$``). Both languages must have the same
keys; a test checks it.

Numbers given to :func:`t` as ``int`` or ``float`` are written by :func:`dashboard.numbers.fmt`
in the message's language, so every message writes them one way. A string whose count
changes its words holds one form per plural category, separated by ``||`` (English: one,
other; Russian: one, few, many), and is filled with the count as its field ``n``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dashboard.numbers import fmt

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


PLURAL_SEPARATOR = "||"
"""Between the forms of a string whose words follow a count (see :func:`plural_form`)."""
PLURAL_FORMS = {"en": 2, "ru": 3}
"""How many forms a counted string has in each language."""


def plural_form(lang: str, n: int) -> int:
    """Which form a count ``n`` takes: English 0 for one, 1 otherwise; Russian 0 for 1, 21,
    101 (один набор), 1 for 2-4, 22-24 (два набора), 2 for the rest, 11-14 included (пять
    наборов, одиннадцать наборов)."""
    n = abs(int(n))
    if normalise(lang) != "ru":
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural(lang: str, n: int, forms: str) -> str:
    """The form of ``forms`` (``||``-separated, see :data:`PLURAL_FORMS`) that ``n`` takes."""
    parts = forms.split(PLURAL_SEPARATOR)
    expected = PLURAL_FORMS[normalise(lang)]
    if len(parts) != expected:
        raise ValueError(f"{forms!r}: {expected} plural forms expected in {lang!r}")
    return parts[plural_form(lang, n)]


def shown(lang: str, value: object) -> object:
    """A field as a message shows it: numbers written for ``lang`` (:func:`fmt`) with every
    digit they have (a limit, a value someone typed; round a measured value first), the rest as
    they are."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return fmt(value, lang)
    if isinstance(value, float):
        return fmt(value, lang, None)
    return value


def t(lang: str, key: str, /, **fields: object) -> str:
    """The string ``key`` in ``lang``, with ``{field}`` placeholders filled in.

    Numbers among ``fields`` are written as ``lang`` writes them (:func:`shown`); a counted
    string (forms separated by ``||``) takes the form of its field ``n``.
    """
    lang = normalise(lang)
    text = strings(lang)[key]
    if PLURAL_SEPARATOR in text:
        if "n" not in fields:
            raise KeyError(f"{key}: a counted string needs its count as the field n")
        text = plural(lang, fields["n"], text)  # type: ignore[arg-type]
    if not fields:
        return text
    return text.format(**{k: shown(lang, v) for k, v in fields.items()})


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
