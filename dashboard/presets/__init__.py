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

The package's parts: :mod:`~dashboard.presets.schema` (columns, limits, :class:`Preset`,
:class:`PresetError`), :mod:`~dashboard.presets.dialect` (bytes to a frame of text cells),
:mod:`~dashboard.presets.validate` (a frame to presets) and :mod:`~dashboard.presets.write`
(presets to CSV); this module reads files and uploads with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from dashboard.i18n import Message
from dashboard.presets.dialect import read_frame, text_of, upload_bytes, upload_name
from dashboard.presets.schema import (
    ACTIVATION,
    MAX_BYTES,
    MAX_NAME,
    MAX_ROWS,
    MAX_SHOWN,
    NAME,
    PARAM_COLUMNS,
    Preset,
    PresetError,
    columns_for,
    param_names,
)
from dashboard.presets.validate import validate
from dashboard.presets.write import table_csv, to_csv, write_table

__all__ = [
    "ACTIVATION",
    "MAX_BYTES",
    "MAX_NAME",
    "MAX_ROWS",
    "MAX_SHOWN",
    "NAME",
    "PARAM_COLUMNS",
    "PRESET_DIR",
    "TABLES",
    "Preset",
    "PresetError",
    "columns_for",
    "load",
    "param_names",
    "parse_upload",
    "read_table",
    "shipped",
    "table_csv",
    "to_csv",
    "write_table",
]

PRESET_DIR = Path(__file__).resolve().parent
"""Where the shipped tables are (:func:`shipped` reads it when called)."""

TABLES: Mapping[str, str] = {
    "neuron": "neuron.csv",
    "square2": "square2.csv",
    "sin3": "sin3.csv",
    "deep": "deep.csv",
}
"""The shipped preset table of every tab that has parameters."""


def _parse_bytes(
    data: bytes, names: Sequence[str], file: str, *, strict: bool, max_rows: int
) -> tuple[list[Preset], list[Message]]:
    text = text_of(data, file)
    frame, sep, lines = read_frame(text, file, max_rows)
    return validate(
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
    file = upload_name(filename)
    data = upload_bytes(contents, file, max_bytes)
    return _parse_bytes(data, names, file, strict=False, max_rows=max_rows)


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
