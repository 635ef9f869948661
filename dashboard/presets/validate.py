"""Validating a table read as text cells: its columns, then each row's activation, values,
parameters and name, into :class:`Preset` rows or one :class:`PresetError` for the first fault."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.i18n import Message
from dashboard.model import ACTIVATIONS
from dashboard.model.activations import ParamRange
from dashboard.numbers import NumberError, read_number
from dashboard.presets.schema import (
    ACTIVATION,
    MAX_NAME,
    MAX_SHOWN,
    NAME,
    PARAM_COLUMNS,
    Preset,
    PresetError,
    columns_for,
)
from dashboard.sections import HARD_LIMIT

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A name starting with one of these would run as a formula when a spreadsheet opens the file."""
_NUMBER_FAULTS = {"empty": "presets.empty_cell", "not_finite": "presets.not_finite"}
"""The message of a cell that is no number, by :class:`NumberError` reason (default: not a
number)."""


def _normal(header: str) -> str:
    """A header cell as a column key: trimmed, lower case, spaces and hyphens as ``_``."""
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def _letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: A, B, ..., Z, AA, ..."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _listed(items: Sequence[str]) -> str:
    shown = list(items[:MAX_SHOWN])
    if len(items) > MAX_SHOWN:
        shown.append("…")
    return ", ".join(shown)


def _shown(cell: str) -> str:
    """A cell as a message quotes it: at most 40 characters."""
    return cell if len(cell) <= 40 else cell[:39] + "…"


def _activation_key(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def check_name(name: str, where: dict[str, Any]) -> str:
    """A preset's name, trimmed and NFC-normalised, or PresetError placed at ``where``."""
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > MAX_NAME:
        raise PresetError("presets.name_too_long", **where, n=len(name), limit=MAX_NAME)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise PresetError("presets.name_control", **where)
    if name.startswith(_FORMULA_START):
        raise PresetError("presets.name_formula", **where, first=name[0])
    return name


# --- columns -------------------------------------------------------------------------------------


@dataclass
class _Columns:
    """The header of a table: where each known column is and which columns are unknown."""

    file: str
    raw: list[str]
    """The header cells as written."""
    wanted: dict[str, str]
    """Column key of each parameter of the tab -> the parameter's name."""
    at: dict[str, int] = field(default_factory=dict)
    """Column key -> its 0-based index."""
    unknown: list[str] = field(default_factory=list)
    """Columns the tab does not use: header text, or the letter of an unnamed column."""

    def place(self, j: int) -> dict[str, Any]:
        return {"file": self.file, "column": self.raw[j] or _letter(j), "letter": _letter(j)}


def _columns(
    cells: pd.DataFrame, header_at: int, data_at: list[int], names: Sequence[str], file: str
) -> _Columns:
    """The header row read: each known column at most once; unnamed empty ones (a trailing
    separator) ignored."""
    raw = [str(c) for c in cells.iloc[header_at]]
    columns = _Columns(file, raw, {_normal(n): n for n in names})
    known = {NAME, ACTIVATION, *columns.wanted, *PARAM_COLUMNS}
    for j, key in enumerate(_normal(c) for c in raw):
        if key in columns.at:
            raise PresetError(
                "presets.duplicate_column", **columns.place(j), other=_letter(columns.at[key])
            )
        if not key:
            if not cells.iloc[data_at, j].eq("").all():
                columns.unknown.append(_letter(j))
            continue
        columns.at[key] = j
        if key not in known:
            columns.unknown.append(raw[j])
    return columns


def _check_columns(columns: _Columns, names: Sequence[str], *, strict: bool) -> None:
    """Every column the tab needs is there; strictly read, no column it does not know."""
    missing = [c for c in columns_for(list(columns.wanted)) if c not in columns.at]
    if missing:
        raise PresetError(
            "presets.missing_columns",
            file=columns.file,
            columns=_listed([columns.wanted.get(c, c) for c in missing]),
            n=len(missing),
            required=", ".join(columns_for(names)),
        )
    if columns.unknown and strict:
        raise PresetError(
            "presets.unexpected_columns",
            file=columns.file,
            columns=_listed(columns.unknown),
            n=len(columns.unknown),
        )


def _check_count(data_at: list[int], file: str, max_rows: int) -> None:
    if not data_at:
        raise PresetError("presets.no_rows", file=file)
    if len(data_at) > max_rows:
        raise PresetError("presets.too_many_rows", file=file, n=len(data_at), limit=max_rows)


# --- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One data row of a table: its cells, the line of the file it is on, its number ``n``."""

    columns: _Columns
    cells: pd.Series
    line: int
    n: int
    decimal_comma: bool

    def where(self) -> dict[str, Any]:
        return {"file": self.columns.file, "row": self.line, "data_row": self.n}

    def place(self, j: int) -> dict[str, Any]:
        return {**self.columns.place(j), "row": self.line, "data_row": self.n}

    def number(self, j: int) -> float:
        text = self.cells.iloc[j]
        try:
            return read_number(text, decimal_comma=self.decimal_comma)
        except NumberError as e:
            key = _NUMBER_FAULTS.get(e.reason, "presets.not_number")
            raise PresetError(key, **self.place(j), value=_shown(text)) from None

    def activation(self) -> str:
        j = self.columns.at[ACTIVATION]
        key = _activation_key(self.cells.iloc[j])
        if key not in ACTIVATIONS:
            raise PresetError(
                "presets.unknown_activation",
                **self.place(j),
                value=_shown(self.cells.iloc[j]),
                known=", ".join(ACTIVATIONS),
            )
        return key

    def values(self) -> dict[str, float]:
        """Every parameter of the tab, each within ±HARD_LIMIT."""
        values: dict[str, float] = {}
        for column, name in self.columns.wanted.items():
            j = self.columns.at[column]
            value = self.number(j)
            if not abs(value) <= HARD_LIMIT:
                raise PresetError(
                    "presets.too_large_value",
                    **self.place(j),
                    value=_shown(self.cells.iloc[j]),
                    limit=HARD_LIMIT,
                )
            values[name] = value
        return values

    def params(self, activation: str) -> dict[str, float]:
        """The activation's own parameters the row gives (non-empty cells), each in range."""
        ranges = {r.name: r for r in ACTIVATIONS[activation].param_ranges}
        params: dict[str, float] = {}
        for column in PARAM_COLUMNS:
            j = self.columns.at.get(column, -1)
            if j >= 0 and self.cells.iloc[j] != "":
                params[column] = self.param(j, column, activation, ranges.get(column))
        return params

    def param(self, j: int, column: str, activation: str, r: ParamRange | None) -> float:
        """The value of parameter ``column`` (in column ``j``): the activation has it, and the
        value is within its range ``r``."""
        if r is None:
            raise PresetError(
                "presets.no_such_param", **self.place(j), activation=activation, param=column
            )
        value = self.number(j)
        if not r.lo <= value <= r.hi:
            raise PresetError(
                "presets.param_range",
                **self.place(j),
                value=_shown(self.cells.iloc[j]),
                activation=activation,
                param=column,
                lo=r.lo,
                hi=r.hi,
            )
        return value

    def name(self) -> str:
        j = self.columns.at.get(NAME)
        return "" if j is None else check_name(self.cells.iloc[j], self.place(j))

    def preset(self) -> Preset:
        """The row as a preset; checked in order: activation, values, parameters, name."""
        activation = self.activation()
        values = self.values()
        params = self.params(activation)
        return Preset(activation, values, self.name(), params)


def _check_unique(preset: Preset, row: _Row, first_row: dict[tuple[str, str], int]) -> None:
    """No two rows share a name, nor (among unnamed rows) an activation."""
    name = preset.name
    identity = ("name", name) if name else ("activation", preset.activation)
    if identity in first_row:
        first = first_row[identity]
        if name:
            raise PresetError("presets.duplicate_name", **row.where(), name=name, first=first)
        raise PresetError(
            "presets.duplicate_activation", **row.where(), activation=preset.activation, first=first
        )
    first_row[identity] = row.n


def _notes(columns: _Columns) -> list[Message]:
    if not columns.unknown:
        return []
    fields = {"file": columns.file, "columns": _listed(columns.unknown), "n": len(columns.unknown)}
    return [Message("presets.note.ignored", fields)]


def validate(
    frame: pd.DataFrame,
    names: Sequence[str],
    file: str,
    *,
    strict: bool,
    decimal_comma: bool,
    max_rows: int,
    lines: Sequence[int],
) -> tuple[list[Preset], list[Message]]:
    """Presets from a raw frame (every cell text, header row included) and notes, or
    PresetError.

    ``lines`` holds the line of the file each frame row comes from, for the row numbers in
    messages. Strictly read, a column the tab does not know is an error; otherwise it is
    ignored and a note names it.
    """
    cells = frame.apply(lambda column: column.str.strip())
    blank = cells.eq("").all(axis=1)
    rows = [int(i) for i in cells.index[~blank]]
    if not rows:
        raise PresetError("presets.empty", file=file)
    header_at, data_at = rows[0], rows[1:]
    columns = _columns(cells, header_at, data_at, names, file)
    _check_columns(columns, names, strict=strict)
    _check_count(data_at, file, max_rows)
    presets: list[Preset] = []
    first_row: dict[tuple[str, str], int] = {}
    for n, i in enumerate(data_at, start=1):
        row = _Row(columns, cells.iloc[i], lines[i], n, decimal_comma)
        preset = row.preset()
        _check_unique(preset, row, first_row)
        presets.append(preset)
    return presets, _notes(columns)
