"""Numbers in visible text: one formatter per language, plural forms, and quoted results.

The formatter is checked against hand-written expectations and against tests/shown.py, a reader
written apart from it; the Russian messages come from the app's real callbacks and code paths.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from test_coach import action_dependency, click_body, post

from dashboard import i18n
from dashboard.i18n import LANGUAGES, PLURAL_FORMS, PLURAL_SEPARATOR, plural_form, strings, t
from dashboard.model import GALLERY_ORDER
from dashboard.numbers import THIN_SPACE, fmt
from dashboard.presets import PresetError, parse_upload, shipped
from dashboard.problem import Problem, ProblemError, build
from dashboard.sections import HARD_LIMIT, TWO_NEURONS
from dashboard.tabs import LINKS
from dashboard.views import actparams, coach, neuron
from tests.support.dash import find_dependency, request_body
from tests.support.shown import EN, RU, read_shown

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "dashboard" / "locales"
MILLION = {"en": "1,000,000", "ru": f"1{THIN_SPACE}000{THIN_SPACE}000"}
POINT_DECIMAL = re.compile(r"\d\.\d")
"""A number with a decimal point: never in Russian text."""
MACHINE_EXPONENT = re.compile(r"\de[+-]?\d")
"""``1e+06``, ``2.5e-07``: never in any visible text."""


# --- the formatter -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "en", "ru"),
    [
        (2.3456, 3, "2.35", "2,35"),
        (4.61, 3, "4.61", "4,61"),
        (0.6, 3, "0.6", "0,6"),
        (0.08, 2, "0.08", "0,08"),
        (0.0373, 3, "0.0373", "0,0373"),
        (1e6, 3, "1,000,000", MILLION["ru"]),
        (1_000_000, 3, "1,000,000", MILLION["ru"]),
        (1234.5, None, "1,234.5", "1234,5"),  # Russian leaves four digits whole
        (12345.5, None, "12,345.5", f"12{THIN_SPACE}345,5"),
        (98765.4, 3, "98,800", f"98{THIN_SPACE}800"),
        (-0.5, 3, "−0.5", "−0,5"),
        (-1e7, None, "−10,000,000", f"−10{THIN_SPACE}000{THIN_SPACE}000"),
        (1.2e-7, 3, "1.2×10⁻⁷", "1,2×10⁻⁷"),
        (1.7e308, None, "1.7×10³⁰⁸", "1,7×10³⁰⁸"),
        (0.0, 3, "0", "0"),
        (-0.0, 3, "0", "0"),
        (1000, 3, "1,000", "1000"),
        (2**31 - 1, 3, "2,147,483,647", f"2{THIN_SPACE}147{THIN_SPACE}483{THIN_SPACE}647"),
        (0.1 + 0.2, None, "0.30000000000000004", "0,30000000000000004"),
        (math.inf, 3, "∞", "∞"),
    ],
)
def test_fmt_writes_each_language_its_way(value: float, digits: int | None, en: str, ru: str):
    assert fmt(value, "en", digits) == en
    assert fmt(value, "ru", digits) == ru


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_fmt_with_every_digit_reads_back_exactly(value: float) -> None:
    for lang in LANGUAGES:
        assert read_shown(fmt(value, lang, None), lang) == value + 0.0


@given(st.floats(min_value=1e-300, max_value=1e300), st.integers(1, 6))
def test_fmt_rounds_to_the_significant_digits(value: float, digits: int) -> None:
    half_unit = 0.5 * 10 ** (math.floor(math.log10(value)) - digits + 1)
    for lang in LANGUAGES:
        shown = read_shown(fmt(value, lang, digits), lang)
        assert abs(shown - value) <= half_unit * (1 + 1e-9), (value, digits, lang)


def test_message_fields_that_are_numbers_follow_the_language() -> None:
    assert t("ru", "score.goal_open", goal=0.6) == "цель: RMSE < 0,6"
    assert t("en", "score.goal_open", goal=0.6) == "goal: RMSE < 0.6"
    assert t("ru", "msg.too_large", name="w", value=2e6, limit=HARD_LIMIT).startswith(
        f"w: 2{THIN_SPACE}000{THIN_SPACE}000 выходит за допустимый предел ±{MILLION['ru']};"
    )


# --- the same limit, written the same way wherever it is named -----------------------------------


def limit_messages(lang: str) -> dict[str, str]:
    """Every message that names the ±1,000,000 limit, each from the code path that says it."""
    _, typed, _ = neuron.update(["w", "b"], [1.0, 5e6], "relu", lang)
    row = f"activation,w1,b1,w2,b2,w3,w4,b3\ntanh,1,2,3,4,5,6,{2 * HARD_LIMIT:.0f}\n"
    with pytest.raises(PresetError) as cell:
        parse_upload(row.encode(), "class.csv", TWO_NEURONS.names)
    with pytest.raises(ProblemError) as goal_box:
        build(TWO_NEURONS, "square", "", -10, 10, [], [], 0)
    _, _, notices = LINKS.decode("tab=square2&goal=-1")
    (link,) = notices
    return {
        "typed value": typed,
        "preset cell": cell.value.render(lang),
        "goal box": t(lang, goal_box.value.key, **goal_box.value.fields),
        "link goal": link.render(lang),
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_limit_reads_the_same_in_every_message(lang: str) -> None:
    for where, message in limit_messages(lang).items():
        assert MILLION[lang] in message, (where, message)
        assert not MACHINE_EXPONENT.search(message), (where, message)
        assert "1000000" not in message and "1e6" not in message, (where, message)


# --- plurals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "form"), [(1, 0), (2, 1), (5, 2), (11, 2), (21, 0), (22, 1), (25, 2), (111, 2)]
)
def test_russian_plural_forms(n: int, form: int) -> None:
    assert plural_form("ru", n) == form
    word = ["набор", "набора", "наборов"][form]
    assert t("ru", "classroom.restored", n=n) == f"Встроенная таблица снова на месте: {n} {word}."


@pytest.mark.parametrize(("n", "text"), [(1, "1 preset loaded"), (2, "2 presets loaded")])
def test_english_plural_forms(n: int, text: str) -> None:
    assert t("en", "classroom.loaded", n=n, file="a.csv").startswith(f"a.csv: {text};")


def test_counted_strings_have_every_form_with_the_same_fields() -> None:
    for lang in LANGUAGES:
        for key, text in strings(lang).items():
            if PLURAL_SEPARATOR not in text:
                continue
            forms = text.split(PLURAL_SEPARATOR)
            assert len(forms) == PLURAL_FORMS[lang], (lang, key)
            fields = [sorted(re.findall(r"\{(\w+)\}", f)) for f in forms]
            assert all(f == fields[0] for f in fields), (lang, key)
            other = "ru" if lang == "en" else "en"
            assert PLURAL_SEPARATOR in strings(other)[key], (key, "counted in one language only")


def test_no_message_hides_a_plural_behind_brackets() -> None:
    hack = re.compile(r"\w\((?:s|es|ов|а|и|ы|ей)\)")
    for path in LOCALES.glob("*.json"):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            assert not hack.search(text), (path.name, key, text)


def test_a_counted_message_without_its_count_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("en", "classroom.loaded", file="a.csv")


# --- Russian text from the real callbacks has decimal commas -----------------------------------


def russian_only(text: str, what: str) -> None:
    assert not POINT_DECIMAL.search(text), f"{what}: a decimal point in {text!r}"
    assert not MACHINE_EXPONENT.search(text), f"{what}: an exponent in {text!r}"


def test_score_line_in_russian_through_the_slider_callback(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    dep = find_dependency(dependencies, "square2")
    body = request_body(dep, layout, {"w3": 250.3}, extra={"lang": "ru"})
    response = post(client, body)
    parts = json.loads(response['{"tab":"square2","type":"feedback"}']["data-feedback"])
    score = parts["score"]
    m = re.fullmatch(rf"RMSE {RU} · наибольшая ошибка {RU}", score)
    assert m, score
    assert "," in m.group(1) or "," in m.group(2), score
    russian_only(score, "score line")
    russian_only(parts["goal"], "goal")
    english = post(client, request_body(dep, layout, {"w3": 250.3}))
    en_parts = json.loads(english['{"tab":"square2","type":"feedback"}']["data-feedback"])
    en_numbers = [read_shown(x, "en") for x in re.findall(EN, en_parts["score"])]
    assert [read_shown(m.group(1), "ru"), read_shown(m.group(2), "ru")] == en_numbers


def test_fit_report_and_best_table_in_russian_through_their_buttons(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    fit = action_dependency(dependencies, "square2", "fit")
    response = post(
        client, click_body(fit, layout, {("w1", "value"): 2.5, ("lang", "value"): "ru"})
    )
    report = response['{"tab":"square2","type":"report","what":"fit"}']["children"]
    m = re.match(rf"Подбор: RMSE {RU} → {RU} за {RU} с\.", report)
    assert m, report
    assert read_shown(m.group(2), "ru") < read_shown(m.group(1), "ru")
    russian_only(report, "fit report")
    best = action_dependency(dependencies, "square2", "best")
    response = post(client, click_body(best, layout, {("lang", "value"): "ru"}))
    table = json.dumps(response, ensure_ascii=False)
    assert re.search(r"\d,\d", table), table
    for cell in re.findall(r'"children": "([^"]*)"', table):
        russian_only(cell, "best-fit table")


def test_russian_messages_from_the_code_paths_have_decimal_commas() -> None:
    messages = list(limit_messages("ru").values())
    _, _, notices = LINKS.decode("tab=neuron&act=elu&w=1&b=0&p.alpha=4")
    messages += [n.render("ru") for n in notices]
    _, _, notices = LINKS.decode("tab=square2&w3=2000000&goal=0")
    messages += [n.render("ru") for n in notices]
    _, message, _ = neuron.update(["w", "b"], [1.0, -1.5e7], "relu", "ru")
    messages.append(message)
    with pytest.raises(PresetError) as param:
        row = "activation,beta,w1,b1,w2,b2,w3,w4,b3\nsoftplus,7,1,2,3,4,5,6,7\n"
        parse_upload(row.encode(), "class.csv", TWO_NEURONS.names)
    messages.append(param.value.render("ru"))
    messages.append(actparams.check("softplus", {"beta": 0}, "ru")[1])
    assert any(re.search(r"\d,\d", m) for m in messages), messages
    for text in messages:
        russian_only(text, "message")


# --- the best fits the texts quote are the app's own ----------------------------------------------


QUOTED = {
    "README.md": r"On x² with two neurons: Sigmoid ≈ (\S+), TanH ≈ (\S+),\s+ELU ≈ (\S+), "
    r"ReLU and Leaky ReLU ≈ ([\d.]*\d)",
    "dashboard/locales/en/square2.md": r"RMSE ≈ (\S+) with Sigmoid or TanH and (\S+) with ELU, "
    r"but stays at ([\d.]*\d) with ReLU or Leaky ReLU",
    "dashboard/locales/ru/square2.md": r"RMSE ≈ (\S+) для Sigmoid и TanH и (\S+) для ELU, "
    r"но для ReLU и Leaky ReLU не опускается ниже ([\d,]*\d)",
}
"""Where the best fits on "2 neurons → x²" are quoted, and which activations each group names."""
NAMED = {
    "README.md": [("sigmoid",), ("tanh",), ("elu",), ("relu", "leaky_relu")],
    "dashboard/locales/en/square2.md": [("sigmoid", "tanh"), ("elu",), ("relu", "leaky_relu")],
    "dashboard/locales/ru/square2.md": [("sigmoid", "tanh"), ("elu",), ("relu", "leaky_relu")],
}


@pytest.fixture(scope="module")
def best_fits() -> dict[str, float]:
    """What the app's "Best fit per activation" finds on the tab, without its time safety net
    (the search ends at the fit's evaluation budget, so this is what any machine shows)."""
    presets = shipped("square2.csv", TWO_NEURONS.names)
    problem = Problem.default(TWO_NEURONS)
    search = coach.best_rmse.__wrapped__
    saved, coach.BEST_TIME_LIMIT = coach.BEST_TIME_LIMIT, None
    try:
        return {
            key: search(TWO_NEURONS, key, coach.best_starts(TWO_NEURONS, presets, key), problem)
            for key in GALLERY_ORDER
        }
    finally:
        coach.BEST_TIME_LIMIT = saved


@pytest.mark.parametrize("path", list(QUOTED))
def test_quoted_best_fits_are_the_apps_own(path: str, best_fits: dict[str, float]) -> None:
    text = " ".join((ROOT / path).read_text(encoding="utf-8").split())
    m = re.search(QUOTED[path], text)
    assert m, f"{path} no longer quotes the best fits where this test looks"
    lang = "ru" if "/ru/" in path else "en"
    for quoted, keys in zip(m.groups(), NAMED[path], strict=True):
        decimals = len(quoted.replace(",", ".").partition(".")[2])
        for key in keys:
            assert read_shown(quoted, lang) == round(best_fits[key], decimals), (
                f"{path}: {key} quoted as {quoted}, the app finds {best_fits[key]:.4g}"
            )


def test_the_explanation_reads_with_the_app_in_the_same_language() -> None:
    """The Russian explanation quotes with decimal commas, like the app's own table."""
    assert i18n.explanation("ru", "square2").count("0,04 для ELU") == 1
