"""Reading back the numbers the app shows people, written here apart from the app's formatter.

English writes ``1,234.5``, Russian ``1 234,5`` (thousands split by a narrow no-break space,
or a no-break space, from five digits on); both use the true minus sign ``−`` and write the
very large and small as ``1.2×10⁻⁷`` / ``1,2×10⁻⁷``.
"""

from __future__ import annotations

import re

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
GROUP = {"en": ",", "ru": "\u202f\u00a0"}
POINT = {"en": ".", "ru": ","}


def number_pattern(lang: str) -> str:
    """A regex (one group) for a number as ``lang`` shows it."""
    group, point = re.escape(GROUP[lang]), re.escape(POINT[lang])
    whole = rf"\d{{1,3}}(?:[{group}]\d{{3}})+|\d+"
    return rf"([−]?(?:{whole})(?:{point}\d+)?(?:×10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)"


EN = number_pattern("en")
RU = number_pattern("ru")


def read_shown(text: str, lang: str) -> float:
    """The value of one number as ``lang`` shows it; ValueError for anything else."""
    if not re.fullmatch(number_pattern(lang), text):
        raise ValueError(f"{text!r} is not a number as {lang} writes it")
    mantissa, _, power = text.partition("×10")
    for sep in GROUP[lang]:
        mantissa = mantissa.replace(sep, "")
    mantissa = mantissa.replace(POINT[lang], ".").replace("−", "-")
    exponent = f"e{int(power.translate(SUPERSCRIPT))}" if power else ""
    return float(mantissa + exponent)
