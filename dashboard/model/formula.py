"""A whitelist parser for target formulas a user types, such as ``x^2`` or ``2sin(x) + 1``.

Nothing typed is ever handed to Python: the text is tokenised and parsed by hand (recursive
descent) into a small tree of known node types, which is then evaluated with NumPy over an
array of x values. Anything outside this grammar is a :class:`FormulaError` naming the
0-based character position at fault::

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/') unary | implicit)*
    unary   := ('+' | '-') unary | power
    power   := atom (('^' | '**') unary)?          # right-associative, tighter than unary minus
    atom    := number | 'x' | 'pi' | 'e' | func '(' expr ')' | '(' expr ')'
    func    := sin | cos | tan | exp | log | sqrt | abs | tanh

Implicit multiplication is allowed only where it cannot be misread: a number directly followed
by ``x``, a constant, a function or ``(`` (``2x``, ``3pi``, ``2sin(x)``, ``2(x+1)``), and a
closing parenthesis followed by ``(`` (``(x+1)(x-1)``); never right after a division or an
exponent, where it could be read two ways (``1/2x``, ``2^3x``). ``2 x``, ``x x``, ``x2`` and
``sin x`` are rejected. ``-x^2`` is ``-(x^2)``, ``2^3^2`` is ``2^9`` and ``2^-1`` is ``0.5``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import Array

MAX_LENGTH = 200
"""Longest formula accepted, in characters."""

MAX_DEPTH = 50
"""Deepest nesting of parentheses, function calls and unary signs accepted."""

FUNCTIONS: Mapping[str, Callable[[Array], Array]] = MappingProxyType(
    {
        "sin": np.sin,
        "cos": np.cos,
        "tan": np.tan,
        "exp": np.exp,
        "log": np.log,
        "sqrt": np.sqrt,
        "abs": np.abs,
        "tanh": np.tanh,
    }
)
"""The named functions a formula may call, each with one argument (read-only)."""

CONSTANTS: Mapping[str, float] = MappingProxyType({"pi": math.pi, "e": math.e})
VARIABLE = "x"


class FormulaError(ValueError):
    """A formula that cannot be used; ``position`` is the 0-based character index at fault."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message if position is None else f"{message} at {position}")
        self.reason = message
        self.position = position


# ---------------------------------------------------------------- tokens

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*", re.ASCII)
_SPACE = " \t\r\n"


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "name", "op", "(", ")", "end"
    text: str  # as typed
    pos: int
    value: float = 0.0
    op: str = ""  # for "op" tokens: one of + - * / ^ ("**" and "−" are normalised)


def _describe(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return repr(ch)
    return f"U+{ord(ch):04X}"


def _tokenize(text: str) -> Iterator[_Token]:
    """The tokens of ``text``, read lazily so that errors come in reading order."""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
            continue
        if ch.isascii() and (ch.isdigit() or ch == "."):
            m = _NUMBER.match(text, i)
            if m is None:
                raise FormulaError(f"unexpected {_describe(ch)}", i)
            # An "e" counts as an exponent only with digits after it: "2e3" is 2000, while
            # "2e" is the number 2 and then the constant e.
            end = m.end()
            if end < n and text[end] == ".":  # "1.2.3", "1..2"
                raise FormulaError("malformed number", i)
            value = float(m.group())
            if not math.isfinite(value):
                raise FormulaError("number too large", i)
            yield _Token("num", m.group(), i, value)
            i = end
            continue
        if ch.isascii() and (ch.isalpha() or ch == "_"):
            m = _NAME.match(text, i)
            assert m is not None
            yield _Token("name", m.group(), i)
            i = m.end()
            continue
        if ch == "*" and text.startswith("**", i):
            yield _Token("op", "**", i, op="^")
            i += 2
            continue
        if ch in "+-*/^\u2212":
            yield _Token("op", ch, i, op="-" if ch == "\u2212" else ch)
            i += 1
            continue
        if ch in "()":
            yield _Token(ch, ch, i)
            i += 1
            continue
        raise FormulaError(f"unexpected character {_describe(ch)}", i)
    yield _Token("end", "", n)


# ---------------------------------------------------------------- tree


class _Node:
    def eval(self, x: Array) -> Array:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class _Num(_Node):
    value: float

    def eval(self, x: Array) -> Array:
        return np.full(x.shape, self.value)


@dataclass(frozen=True)
class _Var(_Node):
    def eval(self, x: Array) -> Array:
        return x.copy()


@dataclass(frozen=True)
class _Neg(_Node):
    operand: _Node

    def eval(self, x: Array) -> Array:
        return -self.operand.eval(x)


_BINARY: Mapping[str, Callable[[Array, Array], Array]] = MappingProxyType(
    {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}
)


@dataclass(frozen=True)
class _Bin(_Node):
    op: str
    left: _Node
    right: _Node

    def eval(self, x: Array) -> Array:
        return _BINARY[self.op](self.left.eval(x), self.right.eval(x))


@dataclass(frozen=True)
class _Call(_Node):
    name: str
    arg: _Node

    def eval(self, x: Array) -> Array:
        return FUNCTIONS[self.name](self.arg.eval(x))


# ---------------------------------------------------------------- parser


def _known(name: str) -> bool:
    return name == VARIABLE or name in CONSTANTS or name in FUNCTIONS


class _Parser:
    def __init__(self, text: str) -> None:
        self._source = _tokenize(text)
        self.tokens: list[_Token] = []
        self.i = 0
        self.depth = 0
        self.exponent_end = -1  # token index just after the last exponent parsed

    @property
    def tok(self) -> _Token:
        while len(self.tokens) <= self.i:
            self.tokens.append(next(self._source))
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tok
        self.i += 1
        return tok

    def at_op(self, ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.op in ops

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"formula nested too deeply (more than {MAX_DEPTH} levels)", pos)

    @staticmethod
    def show(tok: _Token) -> str:
        if tok.kind == "end":
            return "end of formula"
        if tok.kind == "num":
            return f"number {tok.text}"
        if tok.kind == "name":
            return f"name {tok.text!r}"
        return repr(tok.text)

    def stray(self, expected: str) -> FormulaError:
        """The error for a token that cannot continue the formula where it stands."""
        tok = self.tok
        if tok.kind == "name" and not _known(tok.text):
            return FormulaError(f"unknown name {tok.text!r}", tok.pos)
        if tok.kind in ("num", "name", "("):
            return FormulaError(f"missing operator before {self.show(tok)}", tok.pos)
        if tok.kind == "end":
            return FormulaError(f"expected {expected}", tok.pos)
        return FormulaError(f"unexpected {self.show(tok)}", tok.pos)

    def parse(self) -> _Node:
        node = self.expr()
        if self.tok.kind == ")":
            raise FormulaError("unmatched ')'", self.tok.pos)
        if self.tok.kind != "end":
            raise self.stray("end of formula")
        return node

    def expr(self) -> _Node:
        node = self.term()
        while self.at_op("+-"):
            op = self.advance().op
            node = _Bin(op, node, self.term())
        return node

    def term(self) -> _Node:
        node = self.unary()
        last_op = ""
        while True:
            if self.at_op("*/"):
                last_op = self.advance().op
                node = _Bin(last_op, node, self.unary())
            elif self.implicit_follows():
                tok = self.tok
                if last_op == "/" or self.exponent_end == self.i:
                    after = "'/'" if last_op == "/" else "an exponent"
                    raise FormulaError(
                        f"ambiguous implicit multiplication after {after}: write '*' "
                        f"before {self.show(tok)} or add parentheses",
                        tok.pos,
                    )
                node = _Bin("*", node, self.power())
            else:
                return node

    def implicit_follows(self) -> bool:
        """Does a factor follow the previous one without '*' where that is unambiguous?

        Only a number written right against x, a constant, a function or '(' (``2x``,
        ``2pi``, ``2sin(x)``, ``2(x+1)``), or ')' right before '(' (``(x+1)(x-1)``).
        """
        prev, tok = self.tokens[self.i - 1], self.tok
        if prev.kind == ")" and tok.kind == "(":
            return True
        if prev.kind != "num" or prev.pos + len(prev.text) != tok.pos:
            return False
        if tok.kind == "(":
            return True
        return tok.kind == "name" and _known(tok.text)

    def unary(self) -> _Node:
        if self.at_op("+-"):
            tok = self.advance()
            self.enter(tok.pos)
            operand = self.unary()
            self.depth -= 1
            return _Neg(operand) if tok.op == "-" else operand
        return self.power()

    def power(self) -> _Node:
        base = self.atom()
        if self.at_op("^"):
            tok = self.advance()
            self.enter(tok.pos)
            exponent = self.unary()
            self.depth -= 1
            self.exponent_end = self.i
            return _Bin("^", base, exponent)
        return base

    def atom(self) -> _Node:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return _Num(tok.value)
        if tok.kind == "(":
            self.advance()
            return self.group(tok)
        if tok.kind == "name":
            if tok.text == VARIABLE:
                self.advance()
                return _Var()
            if tok.text in CONSTANTS:
                self.advance()
                return _Num(CONSTANTS[tok.text])
            if tok.text in FUNCTIONS:
                self.advance()
                if self.tok.kind != "(":
                    raise FormulaError(f"expected '(' after {tok.text}", self.tok.pos)
                return _Call(tok.text, self.group(self.advance()))
            raise FormulaError(f"unknown name {tok.text!r}", tok.pos)
        if tok.kind == "end":
            raise FormulaError("unexpected end of formula", tok.pos)
        if tok.kind == ")":
            raise FormulaError("expected a number, x or '(' before ')'", tok.pos)
        raise FormulaError(f"unexpected {self.show(tok)}", tok.pos)

    def group(self, paren: _Token) -> _Node:
        """The rest of a parenthesised expression after its '(' (``paren``)."""
        self.enter(paren.pos)
        if self.tok.kind == ")":
            raise FormulaError("empty parentheses", self.tok.pos)
        node = self.expr()
        if self.tok.kind != ")":
            raise self.stray("')'")
        self.advance()
        self.depth -= 1
        return node


# ---------------------------------------------------------------- public API


@dataclass(frozen=True)
class Formula:
    """A parsed formula in x; call it with an array of x values."""

    text: str
    _tree: _Node = field(repr=False)

    def __call__(self, x: ArrayLike) -> Array:
        """The formula's values at ``x`` (same shape), computed without any NumPy warnings.

        Points where the formula is undefined give ``nan`` or ``inf``; the caller decides what
        that means.
        """
        xs = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            return np.asarray(self._tree.eval(xs), dtype=float)


def parse(text: str) -> Formula:
    """Parse ``text`` into a :class:`Formula`, or raise :class:`FormulaError`."""
    if not isinstance(text, str):
        raise FormulaError("a formula must be text", 0)
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"formula too long ({len(text)} characters, at most {MAX_LENGTH})", MAX_LENGTH
        )
    if not text.strip():
        raise FormulaError("empty formula", 0)
    return Formula(text, _Parser(text).parse())
