"""The target-formula parser: valid formulas against NumPy written out here, invalid ones with
their messages and positions, and property tests that arbitrary text can only ever be parsed
into the whitelist or rejected with FormulaError."""

from __future__ import annotations

import builtins
import math
import re
import string
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model.formula import (
    CONSTANTS,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Formula,
    FormulaError,
    parse,
)

X = np.linspace(-3.0, 3.0, 61)
POSITIVE = np.linspace(0.1, 4.0, 40)

# (formula, expected values at X as NumPy computes them)
VALID: list[tuple[str, Callable[[np.ndarray], np.ndarray]]] = [
    ("x", lambda x: x),
    ("x^2", lambda x: x**2),
    ("x**2", lambda x: x**2),
    ("-x^2", lambda x: -(x**2)),
    ("(-x)^2", lambda x: x**2),
    ("-2^2", lambda x: np.full_like(x, -4.0)),
    ("2^3^2", lambda x: np.full_like(x, 512.0)),
    ("2**3**2", lambda x: np.full_like(x, 512.0)),
    ("(2^3)^2", lambda x: np.full_like(x, 64.0)),
    ("2^-1", lambda x: np.full_like(x, 0.5)),
    ("2^-x", lambda x: 2.0 ** (-x)),
    ("abs(x)^2^0.5", lambda x: np.abs(x) ** (2.0**0.5)),
    ("1 - 2 - 3", lambda x: np.full_like(x, -4.0)),
    ("8 / 4 / 2", lambda x: np.full_like(x, 1.0)),
    ("2 * 3 + 4 * x", lambda x: 6.0 + 4.0 * x),
    ("2 + 3 * x ^ 2", lambda x: 2.0 + 3.0 * x**2),
    ("sin(x)+cos(x)", lambda x: np.sin(x) + np.cos(x)),
    ("tan(x/4)", lambda x: np.tan(x / 4)),
    ("tanh(x)", np.tanh),
    ("abs(x)", np.abs),
    ("exp(-x^2)", lambda x: np.exp(-(x**2))),
    ("sqrt(abs(x))", lambda x: np.sqrt(np.abs(x))),
    ("log(1 + x^2)", lambda x: np.log1p(x**2)),
    ("1/(1+exp(-x))", lambda x: 1.0 / (1.0 + np.exp(-x))),
    ("2x", lambda x: 2.0 * x),
    ("2x^2", lambda x: 2.0 * x**2),
    ("-3x + 1", lambda x: -3.0 * x + 1.0),
    ("2sin(x)", lambda x: 2.0 * np.sin(x)),
    ("0.5(x + 1)", lambda x: 0.5 * (x + 1.0)),
    ("(x + 1)(x - 1)", lambda x: (x + 1.0) * (x - 1.0)),
    ("3pi", lambda x: np.full_like(x, 3.0 * math.pi)),
    ("pi*x", lambda x: math.pi * x),
    ("e^x", np.exp),
    ("e", lambda x: np.full_like(x, math.e)),
    ("2e", lambda x: np.full_like(x, 2.0 * math.e)),
    ("1e-3 * x", lambda x: 0.001 * x),
    ("2E3", lambda x: np.full_like(x, 2000.0)),
    (".5", lambda x: np.full_like(x, 0.5)),
    ("5.", lambda x: np.full_like(x, 5.0)),
    (".5x", lambda x: 0.5 * x),
    ("+x", lambda x: x),
    ("--x", lambda x: x),
    ("- - -x", lambda x: -x),
    ("x*-1", lambda x: -x),
    ("\u2212x", lambda x: -x),  # the typographic minus sign
    ("  x \t+\n1  ", lambda x: x + 1.0),
    ("((((x))))", lambda x: x),
    ("sin(cos(tan(x)))", lambda x: np.sin(np.cos(np.tan(x)))),
    ("x/2*3", lambda x: x / 2.0 * 3.0),
    ("sin(x)(x)", lambda x: np.sin(x) * x),
    ("2(x)(x)", lambda x: 2.0 * x * x),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_valid_formula(text: str, expected: Callable[[np.ndarray], np.ndarray]) -> None:
    f = parse(text)
    assert isinstance(f, Formula)
    assert f.text == text
    np.testing.assert_allclose(f(X), expected(X), rtol=1e-13, atol=1e-13)
    assert f(X).shape == X.shape


def test_formula_keeps_the_shape_of_x() -> None:
    f = parse("x^2 + 1")
    grid = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(f(grid), grid**2 + 1)
    assert f(2.0) == 5.0
    assert parse("pi")(np.zeros(4)).shape == (4,)


# (formula, fragment of the message, 0-based position)
INVALID: list[tuple[str, str, int]] = [
    ("", "empty formula", 0),
    ("   ", "empty formula", 0),
    ("__import__('os')", "unknown name '__import__'", 0),
    ("x.real", "unexpected '.'", 1),
    ("eval(x)", "unknown name 'eval'", 0),
    ("exec('1')", "unknown name 'exec'", 0),
    ("x;1", "unexpected character ';'", 1),
    ("sin x", "expected '(' after sin", 4),
    ("((((x", "expected ')'", 5),
    ("sin(x", "expected ')'", 5),
    ("1 +", "unexpected end of formula", 3),
    ("x*", "unexpected end of formula", 2),
    ("x ** ** 2", "unexpected '**'", 5),
    ("*x", "unexpected '*'", 0),
    ("sinn(x)", "unknown name 'sinn'", 0),
    ("lambda", "unknown name 'lambda'", 0),
    ("lambda: 1", "unknown name 'lambda'", 0),
    ("[1]", "unexpected character '['", 0),
    ("'a'", 'unexpected character "\'"', 0),
    ('"x"', "unexpected character '\"'", 0),
    ("x, 1", "unexpected character ','", 1),
    ("sin(x, 2)", "unexpected character ','", 5),
    ("x = 1", "unexpected character '='", 2),
    ("x == x", "unexpected character '='", 2),
    ("x % 2", "unexpected character '%'", 2),
    ("x // 2", "unexpected '/'", 3),
    ("x @ x", "unexpected character '@'", 2),
    ("{x}", "unexpected character '{'", 0),
    ("#x", "unexpected character '#'", 0),
    ("\\x", "unexpected character '\\\\'", 0),
    ("x\x00", "unexpected character U+0000", 1),
    ("é", "unexpected character 'é'", 0),
    ("\u0663", "unexpected character", 0),  # an Arabic-Indic digit three
    ("X", "unknown name 'X'", 0),
    ("x2", "unknown name 'x2'", 0),
    ("2xx", "unknown name 'xx'", 1),
    ("2ex", "unknown name 'ex'", 1),
    ("np.sin(x)", "unknown name 'np'", 0),
    ("os.system('ls')", "unknown name 'os'", 0),
    ("abs", "expected '(' after abs", 3),
    ("2 x", "missing operator before name 'x'", 2),
    ("x x", "missing operator before name 'x'", 2),
    ("x(x)", "missing operator before '('", 1),
    ("pi(x)", "missing operator before '('", 2),
    ("2(x)3", "missing operator before number 3", 4),
    ("1/2x", "ambiguous implicit multiplication after '/'", 3),
    ("x/2(x+1)", "ambiguous implicit multiplication after '/'", 3),
    ("2^3x", "ambiguous implicit multiplication after an exponent", 3),
    ("x^2(x+1)", "ambiguous implicit multiplication after an exponent", 3),
    ("()", "empty parentheses", 1),
    ("sqrt()", "empty parentheses", 5),
    ("(x))", "unmatched ')'", 3),
    (")", "expected a number, x or '(' before ')'", 0),
    ("1.2.3", "malformed number", 0),
    (".", "unexpected '.'", 0),
    ("1e999", "number too large", 0),
    ("x" + "+x" * 100, "formula too long", MAX_LENGTH),
    ("(" * 60 + "x" + ")" * 60, "nested too deeply", MAX_DEPTH),
    ("-" * 60 + "x", "nested too deeply", MAX_DEPTH),
    ("-(" * 30 + "x" + ")" * 30, "nested too deeply", MAX_DEPTH),
    # 12 calls, then the 39th parenthesis is level 51: position 4 * 12 + 38.
    ("sin(" * 12 + "(" * 45 + "x" + ")" * 57, "nested too deeply", 86),
    ("2^" * 60 + "2", "nested too deeply", 2 * MAX_DEPTH + 1),
]


@pytest.mark.parametrize(
    ("text", "fragment", "position"), INVALID, ids=[t[:20] for t, *_ in INVALID]
)
def test_invalid_formula(text: str, fragment: str, position: int) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    err = info.value
    assert fragment in str(err)
    assert err.position == position
    assert str(err).endswith(f" at {position}")
    assert isinstance(err, ValueError)


def test_enough_invalid_cases() -> None:
    assert len(INVALID) >= 20


def test_nesting_up_to_the_limit_is_fine() -> None:
    text = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    np.testing.assert_array_equal(parse(text)(X), X)
    assert len("x" + "+x" * 99) <= MAX_LENGTH
    np.testing.assert_allclose(parse("x" + "+x" * 99)(X), 100 * X)


def test_non_text_is_rejected() -> None:
    with pytest.raises(FormulaError, match="must be text"):
        parse(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "grid", "first"),
    [
        ("log(x)", X, -3.0),
        ("1/x", X, 0.0),
        ("sqrt(x)", X, -3.0),
        ("x^0.5", X, -3.0),
        ("exp(x^3)", np.array([1.0, 10.0]), 10.0),
        ("log(0x)", POSITIVE, 0.1),
        ("  1/(x - 1) ", np.array([0.0, 1.0, 2.0]), 1.0),
    ],
)
def test_non_finite_values_come_back_without_a_warning(
    text: str, grid: np.ndarray, first: float
) -> None:
    """The Formula returns non-finite values where it is undefined, without a NumPy warning;
    refusing them is the problem's (``target.not_finite`` in tests/test_problem.py)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = parse(text)(grid)
    bad = ~np.isfinite(values)
    assert bad.any()
    assert float(grid[bad][0]) == pytest.approx(first)


def test_positive_grid() -> None:
    np.testing.assert_allclose(parse("log(x)")(POSITIVE), np.log(POSITIVE))
    np.testing.assert_allclose(parse("sqrt(x)")(POSITIVE), np.sqrt(POSITIVE))


# ---------------------------------------------------------------- property tests

ALLOWED_NAMES = {"x"} | set(CONSTANTS) | set(FUNCTIONS)
TOKENS = [
    "x", "pi", "e", "1", "2", "0.5", ".5", "1e-3", "10", "+", "-", "*", "/", "^", "**", "(",
    ")", " ", *[f"{f}(" for f in FUNCTIONS], "sinn", "import", "_", ".", ",", "[", "'",
]  # fmt: skip


def no_dynamic_code() -> AbstractContextManager[object]:
    """While active, eval, exec and compile fail loudly."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("dynamic code execution attempted")

    return mock.patch.multiple(builtins, eval=forbidden, exec=forbidden, compile=forbidden)


def check_text(text: str) -> None:
    try:
        f = parse(text)
    except FormulaError as e:
        assert e.position is not None and 0 <= e.position <= max(len(text), MAX_LENGTH)
        return
    # Accepted: only whitelisted names and characters, and it evaluates to a float array.
    assert len(text) <= MAX_LENGTH
    # Numbers first ("2e3", "1E-5", ".5"), so their exponent letters are not taken for names;
    # "1e1e-3" is then the number 1e1, the constant e and -3.
    words = re.sub(r"(?<![A-Za-z_0-9.])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", " ", text)
    assert set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", words)) <= ALLOWED_NAMES
    assert set(text) <= set(string.digits + ".+-*/^() \t\r\n\u2212eEx") | set(
        "".join(ALLOWED_NAMES)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = f(X)
    assert values.shape == X.shape and values.dtype == np.float64


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_arbitrary_text_is_parsed_or_rejected(text: str) -> None:
    with no_dynamic_code():
        check_text(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=string.printable, max_size=60))
def test_arbitrary_printable_text(text: str) -> None:
    with no_dynamic_code():
        check_text(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_token_soup(text: str) -> None:
    with no_dynamic_code():
        check_text(text)


# Random expression trees, rendered fully parenthesised, must parse back to the same values.
Tree = tuple


def leaves() -> st.SearchStrategy[Tree]:
    number = st.floats(0.0, 100.0, allow_nan=False).map(lambda v: ("num", repr(v), v))
    return st.one_of(
        st.just(("x",)),
        number,
        st.sampled_from([("num", "pi", math.pi), ("num", "e", math.e)]),
    )


def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*", "/", "^"]), children, children),
        st.tuples(st.just("call"), st.sampled_from(sorted(FUNCTIONS)), children),
    )


def render(t: Tree) -> str:
    if t[0] == "x":
        return "x"
    if t[0] == "num":
        return t[1]
    if t[0] == "neg":
        return f"-({render(t[1])})"
    if t[0] == "bin":
        return f"({render(t[2])}){t[1]}({render(t[3])})"
    return f"{t[1]}({render(t[2])})"


NUMPY_FN = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
}
NUMPY_OP = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}


def reference(t: Tree, x: np.ndarray) -> np.ndarray:
    if t[0] == "x":
        return x
    if t[0] == "num":
        return np.full_like(x, t[2])
    if t[0] == "neg":
        return -reference(t[1], x)
    if t[0] == "bin":
        return NUMPY_OP[t[1]](reference(t[2], x), reference(t[3], x))
    return NUMPY_FN[t[1]](reference(t[2], x))


@settings(max_examples=300, deadline=None)
@given(st.recursive(leaves(), extend, max_leaves=8))
def test_rendered_trees_parse_to_the_same_values(tree: Tree) -> None:
    text = render(tree)
    if len(text) > MAX_LENGTH:
        with pytest.raises(FormulaError, match="too long"):
            parse(text)
        return
    with np.errstate(all="ignore"):
        expected = reference(tree, X)
    with no_dynamic_code():
        actual = parse(text)(X)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=0.0, equal_nan=True)
