"""Numbers as text: the shortest exact form, and a strict reader for typed or uploaded cells.

Both the preset tables and the shareable links write numbers with :func:`shortest` and read
them with :func:`read_number`, so a value survives any number of round trips bit for bit.
"""

from __future__ import annotations

import math
import re

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_MINUS_SIGNS = "\u2212\u2012\u2013"
"""Typographic minus signs a spreadsheet or a word processor may write for '-'."""


def shortest(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (a finite float).

    Python's ``repr`` already gives the shortest digits that round-trip; this drops what adds
    nothing: a trailing ``.0`` (``3`` not ``3.0``), the ``+`` and leading zeros of an exponent
    (``1e-5`` not ``1e-05``), so ``float(shortest(v)) == v`` for every finite ``v``.
    """
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    if e:
        sign = "-" if exponent.startswith("-") else ""
        exponent = exponent.lstrip("+-").lstrip("0") or "0"
        return f"{mantissa}e{sign}{exponent}"
    return mantissa


class NumberError(ValueError):
    """A cell that is not a usable number; ``reason`` is "empty", "not_number" or "not_finite"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_number(text: str, *, decimal_comma: bool = False) -> float:
    """A decimal number as people write it, or :class:`NumberError`.

    Accepts surrounding spaces, a leading ``+``, a typographic minus, exponents and, when
    ``decimal_comma`` is set, one comma for the decimal point (``0,25``). Refuses what
    ``float()`` would also take but no one means as a number here: ``1_000``, ``0x10``, and
    names of infinities and NaN (reason "not_finite"). A number too large for a double (1e400)
    comes back as ±inf for the caller's range check.
    """
    cell = text.strip()
    if not cell:
        raise NumberError("empty")
    if cell[0] in _MINUS_SIGNS:
        cell = "-" + cell[1:]
    if decimal_comma and _DECIMAL_COMMA.fullmatch(cell):
        cell = cell.replace(",", ".")
    if _NOT_FINITE.fullmatch(cell):
        raise NumberError("not_finite")
    if not _DECIMAL.fullmatch(cell):
        raise NumberError("not_number")
    return float(cell)
