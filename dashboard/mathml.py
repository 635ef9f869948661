r"""The activations' TeX formulas as MathML, which the browser draws itself, with no script.

Only the TeX the catalogue's formulas use is understood (``\frac``, ``\sqrt``, ``\mathrm``,
``\left``/``\right``, ``cases``, scripts, Greek letters, a few relations, function names and
spaces, numbers with a decimal point or TeX's ``{,}`` comma); anything else raises
``ValueError``, which tests/test_mathml.py would show for every formula of the catalogue.
"""

from __future__ import annotations

import html
import re

TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:(?:\.|\{,\})\d+)*|\S")
NUMBER = re.compile(r"\d")
LETTERS = {
    r"\alpha": "α",
    r"\beta": "β",
    r"\lambda": "λ",
    r"\sigma": "σ",
    r"\pi": "π",
    r"\Phi": "Φ",
}
"""Greek letters; a capital one is drawn upright, as TeX does."""
OPERATORS = {
    r"\le": "≤",
    r"\ge": "≥",
    r"\approx": "≈",
    r"\cdot": "⋅",
    r"\times": "×",
    "-": "−",
    "'": "′",
}
FUNCTIONS = frozenset({r"\tanh", r"\ln", r"\sin", r"\cos", r"\exp", r"\log", r"\max", r"\min"})
"""Names TeX sets upright: ``\tanh z`` is tanh and a thin space before its argument."""
SPACES = {r"\,": "0.1667em", r"\;": "0.2778em", "\\ ": "0.3333em", r"\quad": "1em"}
SPACES[r"\qquad"] = "2em"
PLAIN_OPERATORS = frozenset("=+<>()[],;|/:!")
ROW_ENDS = frozenset({"}", "&", "\\\\", r"\end", r"\right"})
BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
"""Braces as character references: dcc.Markdown reads HTML as JSX, where ``{`` starts code."""
THIN = '<mspace width="0.1667em"></mspace>'


def _mo(text: str, **attributes: str) -> str:
    extra = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f"<mo{extra}>{html.escape(text)}</mo>"


def _mi(text: str) -> str:
    upright = len(text) == 1 and (text.isupper() and not text.isascii())
    variant = ' mathvariant="normal"' if upright else ""
    return f"<mi{variant}>{html.escape(text)}</mi>"


class _Parser:
    """A recursive reading of one formula's tokens into MathML elements."""

    def __init__(self, tex: str) -> None:
        self.tex = tex
        self.tokens = TOKEN.findall(tex)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"{self.tex!r}: expected {expected or 'more'} at token {self.at}")
        self.at += 1
        return token

    def row(self) -> str:
        """Elements until the end of the formula or of the group (``}``, ``&``, ...)."""
        out: list[str] = []
        while (token := self.peek()) is not None and token not in ROW_ENDS:
            if token == "-" and (not out or out[-1].startswith(("<mo", "<mspace"))):
                self.take()  # a sign, not a subtraction: no space after it
                out.append(_mo(OPERATORS["-"], form="prefix"))
                continue
            out.append(self.scripted())
        return "".join(out)

    def scripted(self) -> str:
        """One element with its sub- and superscript, if any."""
        base = self.atom()
        sub = sup = None
        while self.peek() in ("_", "^"):
            if self.take() == "_":
                sub = self.atom()
            else:
                sup = self.atom()
        if sub is not None and sup is not None:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        if sub is not None:
            return f"<msub>{base}{sub}</msub>"
        if sup is not None:
            return f"<msup>{base}{sup}</msup>"
        return base

    def group(self) -> str:
        self.take("{")
        inner = self.row()
        self.take("}")
        return f"<mrow>{inner}</mrow>"

    def atom(self) -> str:
        token = self.take()
        if token == "{":
            self.at -= 1
            return self.group()
        if NUMBER.match(token):
            return f"<mn>{token.replace('{,}', ',')}</mn>"
        if token.isalpha() and len(token) == 1:
            return _mi(token)
        if token.startswith("\\"):
            return self.command(token)
        if token in OPERATORS:
            return _mo(OPERATORS[token])
        if token in PLAIN_OPERATORS:
            stretchy = {"stretchy": "false"} if token in "()[]|" else {}
            return _mo(token, **stretchy)
        raise ValueError(f"{self.tex!r}: {token!r} is not understood")

    def command(self, name: str) -> str:
        simple = self.simple_command(name)
        if simple is not None:
            return simple
        if name == r"\frac":
            return f"<mfrac>{self.group()}{self.group()}</mfrac>"
        if name == r"\sqrt":
            return f"<msqrt>{self.group()}</msqrt>"
        if name == r"\mathrm":
            return self.upright()
        if name == r"\left":
            return self.fenced()
        if name == r"\begin":
            return self.cases()
        raise ValueError(f"{self.tex!r}: {name} is not understood")

    def simple_command(self, name: str) -> str | None:
        """A command that takes no argument, or ``None``."""
        if name in LETTERS:
            return _mi(LETTERS[name])
        if name in OPERATORS:
            return _mo(OPERATORS[name])
        if name in SPACES:
            return f'<mspace width="{SPACES[name]}"></mspace>'
        if name in FUNCTIONS:
            argument_follows = self.peek() not in (None, "(", r"\left", "_", "^", "}", ",")
            return _mi(name[1:]) + (THIN if argument_follows else "")
        return None

    def upright(self) -> str:
        """``\\mathrm{ReLU}``: a name set upright, one ``<mi>``."""
        self.take("{")
        text = []
        while self.peek() != "}":
            text.append(self.take())
        self.take("}")
        name = "".join(text)
        if len(name) == 1:
            return f'<mi mathvariant="normal">{html.escape(name)}</mi>'
        return _mi(name)

    def delimiter(self) -> str:
        token = self.take()
        return "" if token == "." else _mo(token, stretchy="true")

    def fenced(self) -> str:
        """``\\left( ... \\right)``: the brackets grow with what they hold."""
        opening = self.delimiter()
        inner = self.row()
        self.take(r"\right")
        return f"<mrow>{opening}{inner}{self.delimiter()}</mrow>"

    def environment(self) -> str:
        self.take("{")
        name = self.take()
        while self.peek() != "}":
            name += self.take()
        self.take("}")
        return name

    def cases(self) -> str:
        """``\\begin{cases} a & if \\\\ b & else \\end{cases}``: a brace, rows aligned left."""
        if self.environment() != "cases":
            raise ValueError(f"{self.tex!r}: only the cases environment is understood")
        rows, cells = [], []
        while True:
            cells.append(f"<mtd>{self.row()}</mtd>")
            token = self.take()
            if token == "&":
                continue
            rows.append(f"<mtr>{''.join(cells)}</mtr>")
            cells = []
            if token == r"\end":
                break
            if token != "\\\\":
                raise ValueError(f"{self.tex!r}: {token!r} inside cases")
        if self.environment() != "cases":
            raise ValueError(f"{self.tex!r}: cases ends with another environment")
        table = f'<mtable columnalign="left left" class="cases">{"".join(rows)}</mtable>'
        return f"<mrow>{_mo('{', stretchy='true')}{table}</mrow>"


def to_mathml(tex: str) -> str:
    """The MathML elements (one ``<mrow>``) of a TeX formula; ``ValueError`` for TeX not
    understood."""
    parser = _Parser(tex)
    inner = parser.row()
    if parser.peek() is not None:
        raise ValueError(f"{tex!r}: unexpected {parser.peek()!r}")
    return f"<mrow>{inner}</mrow>"


def display(tex: str) -> str:
    """A formula set on its own line, as ``<math display="block">``, its TeX kept as an
    annotation (copied with the formula, read by tools that know TeX).

    The opening tag has a line of its own, so that Markdown (dcc.Markdown) passes the whole
    element on as it is (an HTML block, which ends only at a blank line: there is none), and
    no brace is written as itself (``BRACES``).
    """
    body = to_mathml(tex)
    annotation = f'<annotation encoding="application/x-tex">{html.escape(tex)}</annotation>'
    element = f'<math display="block">\n<semantics>{body}{annotation}</semantics>\n</math>'
    return element.translate(BRACES)
