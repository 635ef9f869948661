"""Preset parameter tables: CSV files read, validated and written with pandas.

A preset table has a header row and one row per preset. Its columns:

- ``activation`` (required): an activation key (``sigmoid``, ``leaky_relu``, ...);
- every parameter name of the tab (required; see :func:`param_names`);
- ``name`` (optional): the preset's label. A shipped table writes a short key that the app
  translates (``preset.name.<key>`` in the locales); any other text is shown as written;
- the activations' own parameters (optional): ``alpha``, ``slope``, ``beta``, ``min_val``,
  ``max_val`` (:data:`PARAM_COLUMNS`). A cell is left empty where the row's activation has no
  such parameter; an empty cell means the activation's default.

Validation is all or nothing: a table either loads whole or raises :class:`PresetError`, which
carries a locale key and fields (file, row, column, ...) and renders in English or Russian.
Shipped tables (:func:`read_table`) are read strictly: a column the tab does not know is an
error. Uploaded tables (:func:`parse_upload`) are read leniently: such columns are ignored with
a note, and the dialects spreadsheets write are accepted (see :func:`parse_upload`).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.i18n import Message, activation_name, strings, t
from dashboard.model import ACTIVATIONS
from dashboard.model.activations import CATALOGUE_ORDER
from dashboard.numbers import NumberError, read_number, shortest
from dashboard.sections import HARD_LIMIT, NEURON_PARAMS, SPECS_BY_KEY

PRESET_DIR = Path(__file__).resolve().parent
ACTIVATION = "activation"
"""Name of the column holding the activation key (``sigmoid``, ``tanh``, ...)."""
NAME = "name"
"""Name of the optional column holding a preset's label."""
PARAM_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(r.name for key in CATALOGUE_ORDER for r in ACTIVATIONS[key].param_ranges)
)
"""Optional columns for the activations' own parameters, in the order tables write them."""

MAX_BYTES = 1_000_000
"""Largest file accepted (1 MB), checked before anything is decoded."""
MAX_ROWS = 200
"""Most presets a table may hold."""
MAX_NAME = 80
"""Longest preset name, in characters."""
MAX_SHOWN = 8
"""Most column names or keys one message lists."""

TABLES: Mapping[str, str] = {
    "neuron": "neuron.csv",
    "square2": "square2.csv",
    "sin3": "sin3.csv",
    "deep": "deep.csv",
}
"""The shipped preset table of every tab that has parameters."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A name starting with one of these would run as a formula when a spreadsheet opens the file."""
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""Zip (xlsx, ods) and OLE (xls) files: spreadsheets saved in their own format, not as CSV."""


class PresetError(ValueError):
    """A preset table that cannot be used.

    ``key`` names the message in the locales (``presets.*``), ``fields`` fill it in: ``file``
    always; ``row`` (the row a spreadsheet shows, the header being row 1), ``data_row`` (the
    preset's number, counting data rows from 1 below the header), ``column`` (its header text)
    and ``letter`` (the spreadsheet's column letter) where the fault has a place. ``str()`` of
    the error is its English text; :meth:`render` gives either language.
    """

    def __init__(self, key: str, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        """The whole message, place first, in ``lang``. An error made the old way, from a
        finished sentence instead of a key, reads as that sentence."""
        if self.key not in strings(lang):
            return self.key
        f = self.fields
        if "column" in f and "row" in f:
            where = "presets.where.cell"
        elif "row" in f and "data_row" in f:
            where = "presets.where.row"
        elif "row" in f:
            where = "presets.where.line"
        elif "column" in f:
            where = "presets.where.column"
        else:
            where = "presets.where.file"
        return f"{t(lang, where, **f)} {t(lang, self.key, **f)}"

    @property
    def message(self) -> Message:
        return Message(self.key, self.fields)

    @property
    def row(self) -> int | None:
        return self.fields.get("row")

    @property
    def column(self) -> str | None:
        return self.fields.get("column")


@dataclass(frozen=True)
class Preset:
    """One row of a preset table.

    ``values`` holds every parameter of the tab; ``params`` the activation's own parameters the
    row gives (the others keep their defaults, see :meth:`activation_params`); ``name`` its
    label, empty when the row has none.
    """

    activation: str
    values: dict[str, float]
    name: str = ""
    params: dict[str, float] = field(default_factory=dict)

    def activation_params(self) -> dict[str, float]:
        """Every parameter of the activation: the row's values, defaults for the rest."""
        return {**ACTIVATIONS[self.activation].params, **self.params}

    def label(self, lang: str) -> str:
        """What a user sees: the translated name of a shipped preset, the name as written, or
        the activation's name when the row has none."""
        if not self.name:
            return activation_name(lang, self.activation)
        key = f"preset.name.{self.name}"
        return t(lang, key) if key in strings(lang) else self.name


def param_names(tab: str) -> tuple[str, ...]:
    """The parameter names of a tab with parameters: neuron, square2, sin3 or deep."""
    if tab == "neuron":
        return tuple(p.name for p in NEURON_PARAMS)
    return SPECS_BY_KEY[tab].names


def columns_for(names: Sequence[str]) -> list[str]:
    """The columns a preset table for parameters ``names`` must have, in order."""
    return [ACTIVATION, *names]


# --- reading -------------------------------------------------------------------------------------


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


def _file_name(filename: object) -> str:
    """The uploaded file's name as messages quote it: its last path part, printable, short."""
    if not isinstance(filename, str) or not filename.strip():
        return "upload.csv"
    name = re.split(r"[\\/]", filename.strip())[-1]
    name = "".join(c for c in name if c.isprintable())
    return (name[:60] + "…") if len(name) > 61 else (name or "upload.csv")


def _decode_upload(contents: object, file: str, max_bytes: int) -> bytes:
    """The bytes of an upload: raw bytes, or dcc.Upload's ``data:<type>;base64,<data>`` text.

    The size is checked before anything is decoded (from the base64 length for a data URL).
    """
    if isinstance(contents, bytes | bytearray | memoryview):
        data = bytes(contents)
        if len(data) > max_bytes:
            raise PresetError("presets.too_large", file=file, n=len(data), limit=max_bytes)
        return data
    if not isinstance(contents, str) or not contents:
        raise PresetError("presets.no_file", file=file)
    head, comma, payload = contents.partition(",")
    if not (comma and head.startswith("data:") and head.endswith(";base64")):
        raise PresetError("presets.bad_upload", file=file)
    payload = payload.strip()
    size = len(payload) * 3 // 4 - payload[-2:].count("=")
    if size > max_bytes:
        raise PresetError("presets.too_large", file=file, n=size, limit=max_bytes)
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise PresetError("presets.bad_upload", file=file) from None


def _text(data: bytes, file: str) -> str:
    """The file's text: UTF-8 with or without a byte order mark, or UTF-16 with one."""
    if not data.strip():
        raise PresetError("presets.empty", file=file)
    if data.startswith(_WORKBOOK_MAGIC):
        raise PresetError("presets.workbook", file=file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A spreadsheet's "Unicode text": UTF-16 with a byte order mark, tab-separated.
        try:
            return _no_controls(data.decode("utf-16"), file)
        except UnicodeDecodeError:
            raise PresetError("presets.binary", file=file) from None
    if b"\x00" in data:
        raise PresetError("presets.binary", file=file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise PresetError(
            "presets.not_utf8", file=file, row=line, byte=f"0x{data[e.start]:02X}"
        ) from None
    return _no_controls(text, file)


def _no_controls(text: str, file: str) -> str:
    """The text, unless it holds control characters (other than tab and line ends)."""
    text = text.removeprefix("\ufeff")
    if _CONTROLS.search(text):
        raise PresetError("presets.binary", file=file)
    return text


def _separator(text: str) -> str:
    """The separator of the first non-empty line outside quotes: ';', a tab, or ','."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    bare = re.sub(r'"[^"]*"', "", first)
    counts = {sep: bare.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


_LINE_END = re.compile(r"\r\n|\r|\n")
_BLANK = ' \t,;"\u00a0\u2007\u202f\u3000'
"""What a blank row holds at most: spaces, separators and quotes (a spreadsheet writes rows of
empty cells as ``,,,,``)."""
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line ends: no text table holds them."""


def _read_frame(text: str, file: str, max_rows: int) -> tuple[pd.DataFrame, str, list[int]]:
    """Every cell as text (header included), the separator, and each row's line number.

    Blank lines are dropped before pandas reads the rest, remembering where each kept line
    was, so messages name the row a spreadsheet shows; a table with too many rows is refused
    here, before pandas reads it. (A quoted cell spanning lines would shift the numbers, but
    no valid cell holds a line break.)
    """
    kept = [
        (number, line)
        for number, line in enumerate(_LINE_END.split(text), start=1)
        if line.strip(_BLANK)
    ]
    if not kept:
        raise PresetError("presets.empty", file=file)
    if len(kept) - 1 > max_rows:
        raise PresetError("presets.too_many_rows", file=file, n=len(kept) - 1, limit=max_rows)
    lines = [number for number, _ in kept]
    body = "\n".join(line for _, line in kept) + "\n"
    sep = _separator(body)
    try:
        frame = pd.read_csv(
            io.StringIO(body),
            sep=sep,
            header=None,
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
            quotechar='"',
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise PresetError("presets.empty", file=file) from None
    except pd.errors.ParserError as e:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if found:
            expected, line, saw = (int(g) for g in found.groups())
            raise PresetError(
                "presets.ragged", file=file, row=lines[line - 1], n=saw, expected=expected
            ) from None
        quote = re.search(r"EOF inside string starting at row (\d+)", str(e))
        if quote:  # pandas counts rows from 0 here
            raise PresetError(
                "presets.open_quote", file=file, row=lines[int(quote.group(1))]
            ) from None
        raise PresetError("presets.not_csv", file=file, reason=str(e).strip()) from None
    if len(frame) != len(lines):  # a quoted cell spanning lines: count rows as pandas does
        lines = list(range(1, len(frame) + 1))
    return frame, sep, lines


def _check_name(name: str, where: dict[str, Any]) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > MAX_NAME:
        raise PresetError("presets.name_too_long", **where, n=len(name), limit=MAX_NAME)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise PresetError("presets.name_control", **where)
    if name.startswith(_FORMULA_START):
        raise PresetError("presets.name_formula", **where, first=name[0])
    return name


def _activation_key(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _validate(
    frame: pd.DataFrame,
    names: Sequence[str],
    file: str,
    *,
    strict: bool,
    decimal_comma: bool,
    max_rows: int,
    lines: Sequence[int] | None = None,
) -> tuple[list[Preset], list[Message]]:
    """Presets from a raw frame (every cell text, header row included), or PresetError.

    ``lines`` holds the line of the file each frame row comes from (default: row k is line
    k + 1), for the row numbers in messages.
    """
    line_of = list(lines) if lines is not None else list(range(1, len(frame) + 1))
    cells = frame.apply(lambda column: column.str.strip())
    blank = cells.eq("").all(axis=1)
    rows = [int(i) for i in cells.index[~blank]]
    if not rows:
        raise PresetError("presets.empty", file=file)
    header_at, data_at = rows[0], rows[1:]
    raw_header = [str(c) for c in cells.iloc[header_at]]
    header = [_normal(c) for c in raw_header]

    def column_place(j: int) -> dict[str, Any]:
        return {"file": file, "column": raw_header[j] or _letter(j), "letter": _letter(j)}

    # Columns: each known one at most once; unnamed empty ones (a trailing separator) ignored.
    wanted = {_normal(n): n for n in names}
    known = {NAME, ACTIVATION, *wanted, *PARAM_COLUMNS}
    seen: dict[str, int] = {}
    unknown: list[str] = []
    for j, key in enumerate(header):
        if key in seen:
            raise PresetError(
                "presets.duplicate_column", **column_place(j), other=_letter(seen[key])
            )
        if not key:
            if cells.iloc[data_at, j].eq("").all():
                continue
            unknown.append(_letter(j))
            continue
        seen[key] = j
        if key not in known:
            unknown.append(raw_header[j])
    missing = [c for c in columns_for(list(wanted)) if c not in seen]
    if missing:
        raise PresetError(
            "presets.missing_columns",
            file=file,
            columns=_listed([wanted.get(c, c) for c in missing]),
            n=len(missing),
            required=", ".join(columns_for(names)),
        )
    if unknown and strict:
        raise PresetError(
            "presets.unexpected_columns", file=file, columns=_listed(unknown), n=len(unknown)
        )
    if not data_at:
        raise PresetError("presets.no_rows", file=file)
    if len(data_at) > max_rows:
        raise PresetError("presets.too_many_rows", file=file, n=len(data_at), limit=max_rows)

    presets: list[Preset] = []
    first_row: dict[tuple[str, str], int] = {}
    for n, i in enumerate(data_at, start=1):
        row = cells.iloc[i]

        def place(j: int, n: int = n, i: int = i) -> dict[str, Any]:
            return {**column_place(j), "row": line_of[i], "data_row": n}

        def number(j: int, row: pd.Series = row) -> float:
            text = row.iloc[j]
            try:
                value = read_number(text, decimal_comma=decimal_comma)
            except NumberError as e:
                key = {"empty": "presets.empty_cell", "not_finite": "presets.not_finite"}
                raise PresetError(
                    key.get(e.reason, "presets.not_number"), **place(j), value=_shown(text)
                ) from None
            return value

        j = seen[ACTIVATION]
        key = _activation_key(row.iloc[j])
        if key not in ACTIVATIONS:
            raise PresetError(
                "presets.unknown_activation",
                **place(j),
                value=_shown(row.iloc[j]),
                known=", ".join(ACTIVATIONS),
            )
        values: dict[str, float] = {}
        for column, name in wanted.items():
            j = seen[column]
            value = number(j)
            if not abs(value) <= HARD_LIMIT:
                raise PresetError(
                    "presets.too_large_value",
                    **place(j),
                    value=_shown(row.iloc[j]),
                    limit=HARD_LIMIT,
                )
            values[name] = value
        ranges = {r.name: r for r in ACTIVATIONS[key].param_ranges}
        params: dict[str, float] = {}
        for column in PARAM_COLUMNS:
            j = seen.get(column, -1)
            if j < 0 or row.iloc[j] == "":
                continue
            if column not in ranges:
                raise PresetError("presets.no_such_param", **place(j), activation=key, param=column)
            value = number(j)
            r = ranges[column]
            if not r.lo <= value <= r.hi:
                raise PresetError(
                    "presets.param_range",
                    **place(j),
                    value=_shown(row.iloc[j]),
                    activation=key,
                    param=column,
                    lo=r.lo,
                    hi=r.hi,
                )
            params[column] = value
        name = ""
        if NAME in seen:
            name = _check_name(row.iloc[seen[NAME]], place(seen[NAME]))
        identity = ("name", name) if name else ("activation", key)
        if identity in first_row:
            where = {"file": file, "row": line_of[i], "data_row": n}
            if name:
                raise PresetError(
                    "presets.duplicate_name", **where, name=name, first=first_row[identity]
                )
            raise PresetError(
                "presets.duplicate_activation", **where, activation=key, first=first_row[identity]
            )
        first_row[identity] = n
        presets.append(Preset(key, values, name, params))
    notes = []
    if unknown:
        notes.append(
            Message(
                "presets.note.ignored",
                {"file": file, "columns": _listed(unknown), "n": len(unknown)},
            )
        )
    return presets, notes


def _parse_bytes(
    data: bytes, names: Sequence[str], file: str, *, strict: bool, max_rows: int
) -> tuple[list[Preset], list[Message]]:
    text = _text(data, file)
    frame, sep, lines = _read_frame(text, file, max_rows)
    return _validate(
        frame,
        names,
        file,
        strict=strict,
        decimal_comma=sep != ",",
        max_rows=max_rows,
        lines=lines,
    )


def parse_upload(
    contents: bytes | str | None,
    filename: object,
    names: Sequence[str],
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> tuple[list[Preset], list[Message]]:
    """The presets of an uploaded table for a tab with parameters ``names``, and notes.

    ``contents`` is the file's bytes or dcc.Upload's ``data:...;base64,...`` string; ``filename``
    names the file in messages. Any fault raises :class:`PresetError` and nothing is returned,
    so a caller changes nothing. The size is checked before decoding (``max_bytes``), then the
    number of presets (``max_rows``).

    Accepted: comma, semicolon or tab separators (the header line decides); with semicolons or
    tabs a decimal comma (``0,25``); UTF-8 with or without a byte order mark, UTF-16 with
    one (a spreadsheet's "Unicode text"); Windows line
    ends; quoted fields; spaces around cells; any case and spacing of the header (``W1``,
    ``Min Val``) and of activation keys (``Leaky ReLU``); blank lines and rows of empty cells;
    columns the tab does not use (ignored, and a note names them: the notes are
    :class:`~dashboard.i18n.Message` values to render in either language).
    """
    file = _file_name(filename)
    data = _decode_upload(contents, file, max_bytes)
    return _parse_bytes(data, names, file, strict=False, max_rows=max_rows)


def parse_table(frame: pd.DataFrame, names: Sequence[str], source: str) -> list[Preset]:
    """Validate a table already read by pandas (a header of column names, cells as read),
    strictly as a shipped table is validated."""
    header = pd.DataFrame([[str(c) for c in frame.columns]])
    body = frame.astype(str).set_axis(range(frame.shape[1]), axis=1)
    raw = pd.concat([header, body], ignore_index=True)
    presets, _ = _validate(raw, names, source, strict=True, decimal_comma=False, max_rows=MAX_ROWS)
    return presets


def read_table(path: Path, names: Sequence[str]) -> list[Preset]:
    """Read and validate a preset CSV file strictly; every problem raises :class:`PresetError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise PresetError(
            "presets.unreadable", file=str(path), reason=e.strerror or str(e)
        ) from None
    if len(data) > MAX_BYTES:
        raise PresetError("presets.too_large", file=str(path), n=len(data), limit=MAX_BYTES)
    presets, _ = _parse_bytes(data, names, str(path), strict=True, max_rows=MAX_ROWS)
    return presets


def shipped(file_name: str, names: Sequence[str]) -> list[Preset]:
    """The preset table shipped in the package under ``file_name``."""
    return read_table(PRESET_DIR / file_name, names)


def load(tab: str) -> list[Preset]:
    """The shipped presets of a tab with parameters (see :data:`TABLES`)."""
    return shipped(TABLES[tab], param_names(tab))


# --- writing -------------------------------------------------------------------------------------


def _cell(value: float, sep: str) -> str:
    text = shortest(value)
    return text.replace(".", ",") if sep != "," else text


def table_csv(presets: Sequence[Preset], names: Sequence[str], *, sep: str = ",") -> str:
    """A whole preset table as CSV text that :func:`parse_upload` reads back unchanged.

    Columns: ``name`` when any preset has one, ``activation``, ``names``, then the activation
    parameters any preset gives. Numbers are written in their shortest exact form; with
    ``sep=";"`` (what a spreadsheet set up for a decimal comma expects) as ``0,25``.
    """
    if sep not in (",", ";"):
        raise ValueError(f"separator must be ',' or ';', not {sep!r}")
    for p in presets:
        if set(p.values) != set(names):
            raise ValueError(f"preset values {sorted(p.values)} do not match {list(names)}")
        if p.name:
            _check_name(p.name, {"file": "-"})
    with_names = any(p.name for p in presets)
    used = [c for c in PARAM_COLUMNS if any(c in p.params for p in presets)]
    columns = [NAME] * with_names + [*columns_for(names), *used]
    rows = []
    for p in presets:
        row = [p.name] * with_names + [p.activation]
        row += [_cell(p.values[n], sep) for n in names]
        row += [_cell(p.params[c], sep) if c in p.params else "" for c in used]
        rows.append(row)
    out = io.StringIO()
    pd.DataFrame(rows, columns=columns, dtype=str).to_csv(
        out, sep=sep, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
    return out.getvalue()


def to_csv(
    names: Sequence[str],
    activation: str,
    values: Mapping[str, float],
    params: Mapping[str, float] | None = None,
    name: str = "",
    *,
    sep: str = ",",
) -> str:
    """The current parameters of a tab as a one-row table (see :func:`table_csv`).

    Every parameter of the activation is written, the defaults included, so the file states the
    whole setting; reading it back gives ``Preset(activation, values, name, params)`` with
    ``params`` complete.
    """
    act = ACTIVATIONS[activation]
    full = {**act.params, **(params or {})}
    if set(full) != set(act.params):
        raise ValueError(f"{activation} has no parameter(s) {sorted(set(full) - set(act.params))}")
    preset = Preset(activation, {n: float(values[n]) for n in names}, name, full)
    return table_csv([preset], names, sep=sep)


def write_table(path: Path, presets: Sequence[Preset], names: Sequence[str]) -> None:
    """Write presets as a CSV table that :func:`read_table` reads back unchanged."""
    Path(path).write_text(table_csv(presets, names), encoding="utf-8", newline="")
