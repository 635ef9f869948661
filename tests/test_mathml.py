"""The gallery's formulas as MathML (dashboard/mathml.py): every formula of the catalogue, with
its parameters in both languages, and the pieces of TeX it is made of."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from dashboard import mathml
from dashboard.i18n import LANGUAGES
from dashboard.model import ACTIVATIONS
from dashboard.views import actparams, gallery


def parsed(markup: str) -> ElementTree.Element:
    """The element, read as XML (character references for braces included)."""
    return ElementTree.fromstring(markup)


def texts(element: ElementTree.Element, tag: str) -> list[str]:
    return [e.text or "" for e in element.iter(tag)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", sorted(ACTIVATIONS))
def test_every_formula_of_the_catalogue_is_mathml(key: str, lang: str) -> None:
    params = {name: -0.25 for name in ACTIVATIONS[key].params}
    out = gallery.formula_mathml(actparams.formula(key, params, lang))
    assert out.startswith('<math display="block">\n') and out.endswith("\n</math>")
    assert "\n\n" not in out, "a blank line would end Markdown's HTML block"
    assert "{" not in out and "}" not in out, "dcc.Markdown reads a brace as code"
    element = parsed(out)
    (annotation,) = element.iter("annotation")
    assert ACTIVATIONS[key].latex in (annotation.text or "")
    if params:
        numbers = texts(element, "mn")
        assert ("0,25" if lang == "ru" else "0.25") in numbers


def test_pieces() -> None:
    frac = parsed(mathml.to_mathml(r"\frac{1}{1 + e^{-z}}"))
    assert frac.find("mfrac") is not None
    assert texts(frac, "mo")[:1] == ["+"]
    sup = frac.find(".//msup")
    assert sup is not None and [c.tag for c in sup] == ["mi", "mrow"]
    cases = parsed(mathml.to_mathml(r"\begin{cases} z & z > 0 \\ 0 & z \le 0 \end{cases}"))
    assert len(list(cases.iter("mtr"))) == 2 and len(list(cases.iter("mtd"))) == 4
    assert texts(cases, "mo") == ["{", ">", "≤"]
    named = parsed(mathml.to_mathml(r"\mathrm{GELU}_{\tanh}(z) = \sqrt{2/\pi}\,z"))
    assert texts(named, "mi")[:2] == ["GELU", "tanh"]
    assert named.find(".//msqrt") is not None
    fenced = parsed(mathml.to_mathml(r"\ln\left(1 + e^{z}\right)"))
    assert [m.get("stretchy") for m in fenced.iter("mo")] == ["true", None, "true"]


def test_a_minus_sign_is_a_prefix() -> None:
    element = parsed(mathml.to_mathml(r"a = -0{,}5"))
    signs = [m for m in element.iter("mo") if m.text == "−"]
    assert [m.get("form") for m in signs] == ["prefix"]
    assert texts(element, "mn") == ["0,5"]
    element = parsed(mathml.to_mathml(r"e^{z} - 1"))
    assert [m.get("form") for m in element.iter("mo")] == [None]


def test_a_function_name_is_spaced_from_its_argument() -> None:
    assert re.search(r"<mi>tanh</mi><mspace", mathml.to_mathml(r"\tanh z"))
    assert not re.search(r"<mi>tanh</mi><mspace", mathml.to_mathml(r"\tanh\left(z\right)"))


@pytest.mark.parametrize("tex", [r"\int x", r"\begin{matrix} a \end{matrix}", "a}", "{a", "@"])
def test_tex_not_understood_is_refused(tex: str) -> None:
    with pytest.raises(ValueError):
        mathml.to_mathml(tex)


def test_the_callback_answers_mathml_and_keeps_no_update() -> None:
    _, formula, _ = gallery.update("elu", "ru", {"alpha": 1.5})
    out = gallery.formula_mathml(formula)
    assert "<mn>1,5</mn>" in out
    assert gallery.formula_mathml(gallery.no_update) is gallery.no_update
