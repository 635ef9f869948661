"""The builder's "train this from here" exercises: ``presets/builder.csv``, one row each.

Columns (header names, any order; the optional ones may be left out or left empty):

==========  ===========================================================================
``name``    the exercise in English; ``name_ru`` in Russian
``layers``  hidden layer widths, comma-separated (``4,4``); ``acts`` their activations
``seed``    the seed of the initial weights
``opt``     ``adam`` or ``sgd``; ``lr`` the learning rate; ``batch`` 0 (full), 16, 64, 256
``target``  the target (``square``, ``sin``, ..., ``formula``), ``f`` its formula if any,
            ``a`` and ``b`` the interval; ``goal`` (optional) the RMSE that counts as done
``weights`` optional: ``name=value`` pairs separated by spaces (``w1_1_1=0.5 b1_1=-1``);
            every weight left out starts from the seed
==========  ===========================================================================

A row is read as the builder's link (``dashboard.links``), so an exercise opens exactly
as its link does; a cell the link would refuse stops start-up with the file, row and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from dashboard.i18n import Message, t
from dashboard.links import Links, ViewState, network
from dashboard.netspec import TAB as BUILDER
from dashboard.presets import MAX_NAME, PRESET_DIR, PresetError

_LINKS = Links([network(BUILDER)])
decode, encode = _LINKS.decode, _LINKS.encode

FILE = PRESET_DIR / "builder.csv"
REQUIRED = ("name", "name_ru", "layers", "acts", "seed", "opt", "lr", "batch", "target", "a", "b")
OPTIONAL = ("f", "goal", "weights")
GROUPS: tuple[tuple[str, ...], ...] = (
    ("layers", "acts"),
    ("seed",),
    ("opt", "lr", "batch"),
    ("target", "f", "a", "b"),
    ("goal",),
    ("weights",),
)
"""Columns read together (a cell is judged with the others of its group)."""
_COLUMN_OF = {
    "url.bad_activation": "acts",
    "url.net_acts_count": "acts",
    "url.bad_optimizer": "opt",
    "url.bad_lr": "lr",
    "url.bad_batch": "batch",
}
"""The column a notice that names no key is about."""
_ALLOWED = ("url.net_weights_missing",)
"""Notices that are no fault in a table: weights left out start from the seed."""


class ExerciseError(PresetError):
    """A bad exercise table: ``presets.*`` place, then the reason (a link notice, rendered in
    the same language)."""

    def render(self, lang: str) -> str:
        f = {k: v.render(lang) if isinstance(v, Message) else v for k, v in self.fields.items()}
        where = "presets.where.cell" if "column" in f else "presets.where.file"
        return f"{t(lang, where, **f)} {t(lang, self.key, **f)}"


@dataclass(frozen=True)
class Exercise:
    name: str
    name_ru: str
    query: str
    """The builder's link (without ``?``) that opens the exercise."""
    state: ViewState

    def label(self, lang: str) -> str:
        return self.name_ru if lang == "ru" and self.name_ru else self.name


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _pairs(row: dict[str, str], columns: Sequence[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for c in columns:
        cell = (row.get(c) or "").strip()
        if not cell:
            continue
        if c == "weights":
            for item in cell.split():
                name, _, value = item.partition("=")
                pairs.append((name, value))
        else:
            pairs.append((c, cell))
    return pairs


def _cell_error(
    place: dict[str, Any], header: list[str], column: str, reason: Message
) -> ExerciseError:
    letter = _letter(header.index(column)) if column in header else "?"
    return ExerciseError("exercises.bad_cell", **place, column=column, letter=letter, reason=reason)


def read(text: str, file: str) -> tuple[Exercise, ...]:
    """The exercises of a table's text; :class:`ExerciseError` naming file, row and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        none = "–"
        raise ExerciseError(
            "exercises.columns",
            file=file,
            missing=", ".join(missing) or none,
            unknown=", ".join(unknown) or none,
        )
    out = []
    for k, row in enumerate(reader, start=1):
        place = {"file": file, "row": k + 1, "data_row": k}
        name = (row.get("name") or "").strip()
        if not name or len(name) > MAX_NAME or len(row.get("name_ru") or "") > MAX_NAME:
            reason = Message("exercises.bad_name", {"limit": MAX_NAME})
            raise _cell_error(place, header, "name", reason)
        for group in GROUPS:
            # weights are named after the network's shape: read them with it
            context = _pairs(row, ("layers", "acts")) if group == ("weights",) else []
            pairs = _pairs(row, group)
            if not pairs:
                continue
            _, _, notices = decode(urlencode([("tab", BUILDER), *context, *pairs]))
            notices = [n for n in notices if n.key not in _ALLOWED]
            if notices:
                key = str(notices[0].fields.get("key", ""))
                column = _COLUMN_OF.get(notices[0].key, key if key in group else group[0])
                raise _cell_error(place, header, column, notices[0])
        query = urlencode([("tab", BUILDER), *_pairs(row, REQUIRED[2:] + OPTIONAL)], safe=",")
        _, state, notices = decode(query)
        notices = [n for n in notices if n.key not in _ALLOWED]
        if notices:  # pragma: no cover - every group was checked above
            raise _cell_error(place, header, "name", notices[0])
        # The link as encode writes it: weights left out in the table are written out.
        link = encode(BUILDER, state)
        out.append(Exercise(name, (row.get("name_ru") or "").strip(), link, state))
    if not out:
        raise ExerciseError("presets.no_rows", file=file)
    return tuple(out)


def load(path: Path | None = None) -> tuple[Exercise, ...]:
    """The shipped exercises (:data:`FILE`); a bad file raises at start-up."""
    path = path or FILE
    return read(path.read_text(encoding="utf-8-sig"), path.name)


def records(exercises: Sequence[Exercise]) -> list[dict[str, Any]]:
    return [{"name": e.name, "name_ru": e.name_ru, "query": e.query} for e in exercises]
