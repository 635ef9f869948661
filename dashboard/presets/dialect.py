"""Reading the dialects spreadsheets write: an upload's bytes, their text (UTF-8 or UTF-16), the
separator (comma, semicolon or tab) and a frame of every cell as text, with each row's line."""

from __future__ import annotations

import base64
import binascii
import codecs
import io
import re

import pandas as pd

from dashboard.presets.schema import PresetError

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""Zip (xlsx, ods) and OLE (xls) files: spreadsheets saved in their own format, not as CSV."""
_LINE_END = re.compile(r"\r\n|\r|\n")
_BLANK = ' \t,;"\u00a0\u2007\u202f\u3000'
"""What a blank row holds at most: spaces, separators and quotes (a spreadsheet writes rows of
empty cells as ``,,,,``)."""
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line ends: no text table holds them."""


def upload_name(filename: object) -> str:
    """The uploaded file's name as messages quote it: its last path part, printable, short."""
    if not isinstance(filename, str) or not filename.strip():
        return "upload.csv"
    name = re.split(r"[\\/]", filename.strip())[-1]
    name = "".join(c for c in name if c.isprintable())
    return (name[:60] + "…") if len(name) > 61 else (name or "upload.csv")


def upload_bytes(contents: object, file: str, max_bytes: int) -> bytes:
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


def text_of(data: bytes, file: str) -> str:
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


def separator(text: str) -> str:
    """The separator of the first non-empty line outside quotes: ';', a tab, or ','."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    bare = re.sub(r'"[^"]*"', "", first)
    counts = {sep: bare.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def read_frame(text: str, file: str, max_rows: int) -> tuple[pd.DataFrame, str, list[int]]:
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
    sep = separator(body)
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
        raise _parser_error(e, file, lines) from None
    if len(frame) != len(lines):  # a quoted cell spanning lines: count rows as pandas does
        lines = list(range(1, len(frame) + 1))
    return frame, sep, lines


def _parser_error(error: pd.errors.ParserError, file: str, lines: list[int]) -> PresetError:
    """What a pandas parser error means in a table: a ragged row, an open quote, or not CSV."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if found:
        expected, line, saw = (int(g) for g in found.groups())
        return PresetError(
            "presets.ragged", file=file, row=lines[line - 1], n=saw, expected=expected
        )
    quote = re.search(r"EOF inside string starting at row (\d+)", str(error))
    if quote:  # pandas counts rows from 0 here
        return PresetError("presets.open_quote", file=file, row=lines[int(quote.group(1))])
    return PresetError("presets.not_csv", file=file, reason=str(error).strip())
