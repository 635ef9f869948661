"""Faults of the target controls said at their own boxes: the formula's message (its place
counted from 1, an empty formula), and the check callback that fills the message under the
formula, interval and goal boxes and marks the boxes assets/links.js leaves out of the link."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.i18n import t
from dashboard.problem import BOXES, ProblemError, build, faults
from dashboard.sections import SPECS_BY_KEY
from dashboard.views import target
from tests.support.dash import components, dom_id, request_body, tab_layout

SPEC = SPECS_BY_KEY["square2"]


def said(formula: str, lang: str) -> str:
    with pytest.raises(ProblemError) as caught:
        build(SPEC, "formula", formula, -3, 3, [])
    return t(lang, caught.value.key, **caught.value.fields)


# --- the formula's messages --------------------------------------------------------------------


def test_a_bad_character_is_counted_from_one() -> None:
    # "2*x + ^3": 2 is the 1st character, * the 2nd, x the 3rd, a space the 4th, + the 5th,
    # a space the 6th and ^ (nothing to raise) the 7th.
    assert said("2*x + ^3", "en") == (
        "The formula cannot be read at character 7 (marked ⟦ ⟧): 2*x + ⟦^⟧3"
    )
    assert said("2*x + ^3", "ru") == (
        "Формула не читается на 7-м символе (он отмечен ⟦ ⟧): 2*x + ⟦^⟧3"
    )
    # The first character is character 1; spaces before the formula count, as in the box.
    assert said("?x", "en").startswith("The formula cannot be read at character 1 ")
    assert said("  x $", "en") == "The formula cannot be read at character 5 (marked ⟦ ⟧):   x ⟦$⟧"


def test_a_formula_that_stops_short_names_its_last_character() -> None:
    # "x**": x, *, * are characters 1 to 3; the power has nothing after it.
    assert said("x**", "en") == (
        "The formula stops short: something is missing after character 3: x**⟦⟧"
    )
    assert said("x**", "ru") == ("Формула оборвана: после 3-го символа чего-то не хватает: x**⟦⟧")
    assert said("sin(x ", "en").endswith("after character 5: sin(x⟦⟧")


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_an_empty_formula_says_it_is_empty(empty: Any) -> None:
    assert said(empty, "en") == "The formula is empty: type a function of x, for example x^2 + 1."
    assert said(empty, "ru") == "Формула пуста: введите функцию от x, например x^2 + 1."


def test_each_box_gets_its_own_fault() -> None:
    found = faults(SPEC, "formula", "x**", 5, -5, [], [], -1)
    assert set(found) == set(BOXES)  # a bad interval and goal do not hide the formula's fault
    assert found["formula"].key == "target.unfinished_formula"
    assert found["a"] is found["b"] and found["a"].key == "target.empty_interval"
    assert found["goal"].key == "target.bad_goal"
    only_b = faults(SPEC, "square", "", -5, 5000, [], [], None)
    assert {k: e.key for k, e in only_b.items()} == {"b": "target.out_of_range"}
    # A formula without a finite value on the interval is the formula's fault.
    assert set(faults(SPEC, "formula", "log(x)", -3, 3, [])) == {"formula"}
    assert faults(SPEC, "formula", "x^2", -3, 3, [], [], 0.5) == {}
    # The formula of another target is not looked at.
    assert faults(SPEC, "sin", "x**", -3, 3, []) == {}


# --- the check callback ------------------------------------------------------------------------


FIELDS = ids.TARGET_FIELDS


class Check:
    """The target check callback of a tab, posted as the browser posts it."""

    def __init__(self, client: FlaskClient, tab: str, lang: str = "en") -> None:
        self.client, self.tab = client, tab
        page = client.get("/_dash-layout").get_json()
        self.layout = [page, tab_layout(client, tab, lang)]
        for p in components(self.layout):
            if p["id"] == ids.LANG:
                p["value"] = lang
        dependencies = client.get("/_dash-dependencies").get_json()
        first = f"..{dom_id(ids.target_note(tab, 'formula'))}.children..."
        (self.dep,) = [d for d in dependencies if d["output"].startswith(first)]

    def __call__(self, **values: Any) -> dict[str, Any]:
        extra = {dom_id(ids.target(self.tab, f)): v for f, v in values.items()}
        body = request_body(self.dep, self.layout, extra=extra)
        response = self.client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        answer = response.get_json()["response"]
        return {
            "notes": {
                n: answer[dom_id(ids.target_note(self.tab, n))]["children"] for n, _ in target.NOTES
            },
            "invalid": {
                b
                for b in BOXES
                if "invalid" in answer[dom_id(ids.target(self.tab, b))]["className"].split()
            },
            "checked": answer[dom_id(ids.target_check(self.tab))][target.CHECKED],
        }


@pytest.mark.parametrize("tab", ["square2", "builder"])
def test_each_fault_is_said_under_its_own_box(client: FlaskClient, tab: str) -> None:
    check = Check(client, tab)
    bad_formula = check(target="formula", formula="x**")
    assert bad_formula["notes"] == {
        "formula": "The formula stops short: something is missing after character 3: x**⟦⟧",
        "interval": "",
        "goal": "",
    }
    assert bad_formula["invalid"] == {"formula"}
    # The values judged come back with the verdict (links.js waits for them).
    assert bad_formula["checked"]["formula"] == "x**"
    assert bad_formula["checked"]["target"] == "formula"

    bad_interval = check(a=5, b=-5)
    assert bad_interval["notes"] == {
        "formula": "",
        "interval": "The interval needs a < b.",
        "goal": "",
    }
    assert bad_interval["invalid"] == {"a", "b"}
    assert (bad_interval["checked"]["a"], bad_interval["checked"]["b"]) == (5, -5)

    bad_goal = check(goal=-1)
    assert bad_goal["notes"]["goal"] == t("en", "target.bad_goal", limit=1e6)
    assert bad_goal["notes"]["formula"] == bad_goal["notes"]["interval"] == ""
    assert bad_goal["invalid"] == {"goal"}

    empty = check(target="formula", formula="")
    assert empty["notes"]["formula"] == t("en", "target.empty_formula")

    good = check(target="formula", formula="x^2 + 1", a=-2, b=2, goal=0.5)
    assert good["notes"] == {"formula": "", "interval": "", "goal": ""}, "a valid value clears it"
    assert good["invalid"] == set()
    assert {f: good["checked"][f] for f in ("formula", "a", "b", "goal")} == {
        "formula": "x^2 + 1",
        "a": -2,
        "b": 2,
        "goal": 0.5,
    }


def test_the_notes_speak_the_pages_language(client: FlaskClient) -> None:
    answer = Check(client, "sin3", "ru")(target="formula", formula="2*x + ^3", a="", goal=0)
    assert answer["notes"] == {
        "formula": "Формула не читается на 7-м символе (он отмечен ⟦ ⟧): 2*x + ⟦^⟧3",
        "interval": t("ru", "target.not_number", name="a"),
        "goal": t("ru", "target.bad_goal", limit=1e6),
    }
    assert answer["invalid"] == {"formula", "a", "goal"}


def test_the_layout_starts_with_its_own_values_judged() -> None:
    """links.js links a tab's target values only once the check has judged them; a fresh tab's
    own values are judged from the start (all of them valid)."""
    details = target.target_controls(SPEC, "en")
    start = getattr(details, target.CHECKED)
    assert set(start) == set(FIELDS)
    assert faults(SPEC, *(start[f] for f in FIELDS)) == {}
    values = {
        c.id["field"]: c.value
        for c in details._traverse()  # Dash's own walk of a layout
        if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == ids.TARGET
    }
    assert values == start
