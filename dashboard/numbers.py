"""Numbers as text: the shortest exact form, and a strict reader for typed or uploaded cells.

Both the preset tables and the shareable links write numbers with :func:`shortest` and read
them with :func:`read_number`, so a value survives any number of round trips bit for bit.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

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


MINUS = "\u2212"
"""The minus sign shown to people (a hyphen is too short beside digits)."""
THIN_SPACE = "\u202f"
"""Russian thousands separator: a narrow no-break space, so ``1 000 000`` never breaks."""
_SEPARATORS = {"en": (".", ","), "ru": (",", THIN_SPACE)}
"""Per language: the decimal sign and the thousands separator."""
_GROUP_FROM = {"en": 1_000, "ru": 10_000}
"""The smallest whole part that gets thousands separators (Russian leaves 4 digits whole)."""
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SCIENTIFIC_ABOVE = Decimal("1e15")
"""From here on (and below :data:`SCIENTIFIC_BELOW`) a number is written as m×10ⁿ."""
SCIENTIFIC_BELOW = Decimal("1e-4")


def _grouped(whole: str, lang: str) -> str:
    _, sep = _SEPARATORS[lang]
    if int(whole) < _GROUP_FROM[lang]:
        return whole
    head = len(whole) % 3 or 3
    return sep.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])


def fmt(value: float, lang: str, digits: int | None = 3) -> str:
    """``value`` for a message in ``lang``, rounded to ``digits`` significant digits (``None``:
    all the digits it needs to be read back exactly, for a value someone typed or a limit).

    The one way every visible number is written: a decimal point in English and a decimal
    comma in Russian, thousands separated (``1,000,000`` and ``1 000 000``, with a narrow
    no-break space, from five digits on in Russian), a true minus sign, no trailing zeros, and
    m×10ⁿ instead of ``1e-07`` for the very large and very small. Integers (a count, a step, a
    byte size) come out whole. Machine formats (CSV cells, links, figure data) use
    :func:`shortest` instead.
    """
    lang = lang if lang in _SEPARATORS else "en"
    point, _ = _SEPARATORS[lang]
    if isinstance(value, int) and not isinstance(value, bool):
        sign = MINUS if value < 0 else ""
        return sign + _grouped(str(abs(value)), lang)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else MINUS + "∞"
    # Decimal holds the rounded digits exactly, so writing them out rounds nothing again.
    rounded = repr(value) if digits is None else f"{value:.{max(1, int(digits))}g}"
    exact = Decimal(rounded)
    if exact == 0:
        return "0"
    sign = MINUS if exact < 0 else ""
    size = abs(exact).normalize()
    if size >= SCIENTIFIC_ABOVE or size < SCIENTIFIC_BELOW:
        _, figures, exponent = size.as_tuple()
        shown = "".join(map(str, figures))
        power = str(int(exponent) + len(shown) - 1).translate(_SUPERSCRIPT)
        mantissa = shown[0] + (point + shown[1:] if len(shown) > 1 else "")
        return f"{sign}{mantissa}×10{power}"
    whole, _, fraction = format(size, "f").partition(".")
    fraction = fraction.rstrip("0")
    return sign + _grouped(whole, lang) + (point + fraction if fraction else "")
