"""Shareable links: every valid state survives encode -> decode exactly; any text decodes to a
valid state without raising; each kind of tampering gives its own notice in both languages."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import i18n, links
from dashboard.links import ViewState
from dashboard.links.schema import ACT
from dashboard.model import ACTIVATIONS
from dashboard.problem import TARGET_KEYS, Problem
from dashboard.sections import HARD_LIMIT, SPECS_BY_KEY
from dashboard.tabs import LINKS, TABS

TAB_KEYS = tuple(tab.key for tab in TABS)
STATE_TABS = tuple(tab.key for tab in TABS if tab.links.has(ACT))
"""Tabs of one activation and fixed parameters (the builder has links of its own)."""
OVERLAYS = {tab.key: tab.links.overlays for tab in TABS if tab.links.overlays}
DEFAULT_OVERLAYS = {tab.key: tab.links.default_overlays for tab in TABS}
check, controls, decode = LINKS.check, LINKS.controls, LINKS.decode
default_state, encode, is_valid = LINKS.default_state, LINKS.encode, LINKS.is_valid
param_names = LINKS.param_names
LINK_SOURCES = sorted((Path(__file__).resolve().parent.parent / "dashboard" / "links").glob("*.py"))

FORMULAS = ("x^2 + 1", "2*sin(x) + x/10", "exp(-x^2)", "abs(x) - 3", "tanh(x)", "x^3 - x", "pi*e")
"""Formulas finite on any interval a link may hold."""

finite = st.floats(-HARD_LIMIT, HARD_LIMIT, allow_nan=False)
ends = st.floats(-1000.0, 1000.0, allow_nan=False)


def subset(draw: st.DrawFn, names: tuple[str, ...]) -> tuple[str, ...]:
    chosen = draw(st.sets(st.sampled_from(names))) if names else set()
    return tuple(n for n in names if n in chosen)


@st.composite
def states(draw: st.DrawFn, tab: str | None = None) -> tuple[str, ViewState]:
    tab = tab or draw(st.sampled_from(STATE_TABS))
    key = draw(st.sampled_from(list(ACTIVATIONS)))
    values = {n: draw(finite) for n in param_names(tab)}
    params = {
        r.name: draw(st.floats(r.lo, r.hi, allow_nan=False)) for r in ACTIVATIONS[key].param_ranges
    }
    problem, lock, goal = None, False, None
    if tab in SPECS_BY_KEY:
        target = draw(st.sampled_from(TARGET_KEYS))
        formula = draw(st.sampled_from(FORMULAS)) if target == "formula" else ""
        lo, hi = sorted(draw(st.lists(ends, min_size=2, max_size=2, unique=True)))
        problem = Problem(target, formula, lo, hi, draw(st.booleans()), draw(st.booleans()))
        lock = draw(st.booleans())
        positive = st.floats(0.0, HARD_LIMIT, exclude_min=True, allow_nan=False)
        goal = draw(st.none() | positive)
    state = ViewState(
        activation=key,
        values=values,
        params=params,
        problem=problem,
        overlays=subset(draw, OVERLAYS.get(tab, ())),
        lang=draw(st.sampled_from([None, "en", "ru"])),
        hide=subset(draw, controls(tab)),
        lock=lock,
        goal=goal,
    )
    return tab, state


# --- round trips -------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states())
def test_decode_of_encode_is_the_state(tab_state: tuple[str, ViewState]) -> None:
    tab, state = tab_state
    query = encode(tab, state)
    assert decode(query) == (tab, state, [])
    assert decode("?" + query) == (tab, state, [])
    for name, value in state.values.items():  # bit for bit, the sign of zero included
        assert decode(query)[1].values[name].hex() == value.hex()
    pairs = parse_qsl(query, keep_blank_values=True)
    assert len({k for k, _ in pairs}) == len(pairs)


@pytest.mark.parametrize("tab", STATE_TABS)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_round_trip_on_each_tab(tab: str, data: st.DataObject) -> None:
    _, state = data.draw(states(tab))
    assert decode(encode(tab, state)) == (tab, state, [])


@pytest.mark.parametrize("tab", TAB_KEYS)
def test_defaults_round_trip_and_a_bare_tab_link_opens_them(tab: str) -> None:
    state = default_state(tab)
    assert decode(encode(tab, state)) == (tab, state, [])
    assert decode(f"?tab={tab}") == (tab, state, [])


@pytest.mark.parametrize("tab", sorted(set(TAB_KEYS) - set(STATE_TABS)))
def test_other_tabs_are_linked_by_name_and_language(tab: str) -> None:
    state = replace(default_state(tab), lang="ru")
    assert encode(tab, state) == f"tab={tab}&lang=ru"
    assert decode(f"tab={tab}&lang=ru") == (tab, state, [])
    _, got, notices = decode(f"tab={tab}&act=relu&w1=2")
    assert got == default_state(tab)
    assert [n.key for n in notices] == ["url.unknown"]
    with pytest.raises(ValueError):
        encode(tab, replace(state, activation="relu"))


def test_the_linked_tabs() -> None:
    assert set(STATE_TABS) <= set(TAB_KEYS)
    assert {"gallery", "neuron", *SPECS_BY_KEY} == set(STATE_TABS)


def test_empty_link_opens_the_first_tab_quietly() -> None:
    for query in ("", "?", None, "#top"):
        assert decode(query) == ("gallery", default_state("gallery"), [])


def test_the_link_is_short_and_readable() -> None:
    state = ViewState(
        activation="elu",
        values={"w1": 0.3, "b1": -3.45, "w2": -0.3, "b2": -3.45, "w3": 300.0, "w4": 300.0,
                "b3": -11.5},
        params={"alpha": 1.2},
        problem=Problem("formula", "2*sin(x) + x/10", -5.0, 5.0, True, False),
        lang="ru",
        hide=("w3", "fit"),
        lock=True,
        goal=0.25,
    )  # fmt: skip
    assert encode("square2", state) == (
        "tab=square2&lang=ru&act=elu&w1=0.3&b1=-3.45&w2=-0.3&b2=-3.45&w3=300&w4=300&b3=-11.5"
        "&p.alpha=1.2&target=formula&f=2%2Asin%28x%29+%2B+x%2F10&a=-5&b=5&beyond=1"
        "&hide=w3,fit&lock=1&goal=0.25"
    )


def test_encode_refuses_states_a_link_cannot_hold() -> None:
    good = default_state("neuron")
    bad = [
        ("nowhere", good),
        ("neuron", ViewState(values={"w": 1.0})),
        ("neuron", ViewState(values={"w": 1.0, "b": float("nan")})),
        ("neuron", ViewState(values={"w": 1.0, "b": 2e6})),
        ("neuron", ViewState(activation="elu", values=good.values, params={"alpha": 9.0})),
        ("neuron", ViewState(activation="swish", values=good.values)),
        ("neuron", ViewState(values=good.values, overlays=("marks", "derivative"))),
        ("neuron", ViewState(values=good.values, hide=("target",))),
        ("neuron", ViewState(values=good.values, lock=True)),
        ("neuron", ViewState(values=good.values, lang="de")),
        ("sin3", ViewState(values=default_state("sin3").values)),  # no problem
        ("sin3", ViewState(values=default_state("sin3").values, problem=Problem("sin", "", 3, 1))),
        ("sin3", ViewState(values=default_state("sin3").values,
                           problem=Problem("sin", "", -1, 1), goal=0.0)),
    ]  # fmt: skip
    for tab, state in bad:
        assert not is_valid(tab, state)
        with pytest.raises(ValueError):
            encode(tab, state)


# --- any text decodes to a valid state -----------------------------------------------------------

KNOWN_KEYS = ["tab", "lang", "act", "target", "f", "a", "b", "beyond", "stack", "ov", "hide"]
KNOWN_KEYS += ["lock", "goal", "w", "w1", "b3", "w29", "p.alpha", "p.slope", "p.min_val"]
values_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["1", "0", "-0", "1e400", "nan", "inf", "-1e6", "1000001", "0x1", "1,5", ""]),
    st.sampled_from([*TAB_KEYS, *ACTIVATIONS, *TARGET_KEYS, "en", "ru", "marks,derivative"]),
    finite.map(repr),
)


def assert_valid(result: tuple[str, ViewState, list[i18n.Message]]) -> None:
    tab, state, notices = result
    assert tab in TAB_KEYS
    check(tab, state)  # raises if the state is not one a link can hold
    assert decode(encode(tab, state))[:2] == (tab, state)
    for notice in notices:
        assert notice.render("en") and notice.render("ru")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_decodes_to_a_valid_state(text: str) -> None:
    assert_valid(decode(text))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(KNOWN_KEYS) | st.text(max_size=6), values_text), max_size=30)
)
def test_any_pairs_decode_to_a_valid_state(pairs: list[tuple[str, str]]) -> None:
    assert_valid(decode(urlencode(pairs)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states(), st.data())
def test_tampered_links_decode_to_valid_states_with_notices(
    tab_state: tuple[str, ViewState], data: st.DataObject
) -> None:
    tab, state = tab_state
    pairs = parse_qsl(encode(tab, state), keep_blank_values=True)
    i = data.draw(st.integers(0, len(pairs) - 1))
    how = data.draw(st.sampled_from(["garbage", "twice", "unknown key"]))
    key, value = pairs[i]
    if how == "garbage":
        pairs[i] = (key, value + "zz!")
    elif how == "twice":
        pairs.append((key, value))
    else:
        pairs.append(("zz" + key, value))
    result = decode(urlencode(pairs))
    assert_valid(result)
    assert result[2], f"{how} of {key} gave no notice"


# --- each notice, by hand ------------------------------------------------------------------------

SQUARE2 = "tab=square2&act=sigmoid&w1=0.3&b1=-3.45&w2=-0.3&b2=-3.45&w3=300&w4=300&b3=-11.5"


@pytest.mark.parametrize(
    ("query", "keys", "fields"),
    [
        ("x=" + "1" * 9000, ["url.too_long"], {"limit": 8000}),
        (SQUARE2 + "&w1=0.5", ["url.duplicate"], {"key": "w1"}),
        (SQUARE2 + "&colour=red&zoom=2", ["url.unknown"], {"keys": "colour, zoom"}),
        ("tab=square2&act=relu&w1=1&b1=2", ["url.missing"], {"keys": "w2, b2, w3, w4, b3"}),
        ("act=relu&w=1", ["url.missing", "url.unknown"], {"keys": "tab"}),
        (SQUARE2.replace("w3=300", "w3=abc"), ["url.not_number"], {"key": "w3", "value": "abc"}),
        (SQUARE2.replace("w3=300", "w3=nan"), ["url.not_number"], {"key": "w3"}),
        (SQUARE2.replace("w3=300", "w3=1e400"), ["url.out_of_range"], {"key": "w3"}),
        (SQUARE2.replace("w3=300", "w3=-1000000.1"), ["url.out_of_range"], {"hi": 1e6}),
        ("tab=neuron&act=elu&w=1&b=0&p.alpha=3.5", ["url.out_of_range"], {"key": "p.alpha"}),
        ("tab=neuron&act=hard_tanh&p.min_val=-2", ["url.missing"], {"keys": "p.max_val"}),
        ("tab=neuron&act=relu&p.alpha=2", ["url.no_such_param"], {"activation": "relu"}),
        ("tab=graphs", ["url.bad_tab"], {"value": "graphs"}),
        ("tab=neuron&lang=fr", ["url.bad_lang"], {"value": "fr"}),
        ("tab=neuron&act=swish", ["url.bad_activation"], {"value": "swish"}),
        ("tab=sin3&target=cos&a=-1&b=1", ["url.bad_target"], {"value": "cos"}),
        ("tab=sin3&target=sin&a=2&b=1", ["url.bad_problem"], {}),
        ("tab=sin3&target=formula&f=sin(x&a=-1&b=1", ["url.bad_problem"], {}),
        ("tab=sin3&target=formula&f=" + "x" * 201 + "&a=-1&b=1", ["url.formula_too_long"], {}),
        ("tab=sin3&target=formula&a=-1&b=1", ["url.missing"], {"keys": "f"}),
        ("tab=sin3&target=sin&a=-1&b=1&beyond=maybe", ["url.bad_flag"], {"key": "beyond"}),
        ("tab=sin3&lock=2", ["url.bad_flag"], {"key": "lock"}),
        ("tab=sin3&goal=-1", ["url.bad_goal"], {"value": "-1"}),
        ("tab=sin3&goal=0", ["url.bad_goal"], {}),
        ("tab=sin3&goal=lots", ["url.bad_goal"], {}),
        ("tab=neuron&ov=marks,grid", ["url.bad_overlays"], {"names": "grid"}),
        ("tab=sin3&hide=w1,overlays,sliders", ["url.bad_controls"], {"names": "overlays, sliders"}),
        ("tab=neuron&lock=1&goal=1&target=sin", ["url.unknown"], {}),
        ("tab=sin3&ov=marks", ["url.unknown"], {"keys": "ov"}),
    ],
)
def test_each_notice(query: str, keys: list[str], fields: dict[str, object]) -> None:
    tab, state, notices = decode(query)
    assert sorted(n.key for n in notices) == sorted(keys)
    first = next(n for n in notices if n.key == keys[0])
    for name, value in fields.items():
        assert first.fields[name] == value
    check(tab, state)
    for notice in notices:
        english, russian = notice.render("en"), notice.render("ru")
        assert english != russian
        assert re.search("[а-я]", russian)


def test_bad_parts_keep_defaults_and_good_parts_survive() -> None:
    query = SQUARE2.replace("w3=300", "w3=abc") + "&act=elu&p.alpha=2.5&lang=ru&hide=w1,nope"
    query = query.replace("act=sigmoid&", "")
    tab, state, notices = decode(query)
    assert tab == "square2"
    assert state.values["w3"] == SPECS_BY_KEY["square2"].defaults["w3"]  # the bad one
    assert state.values["w1"] == 0.3 and state.values["b3"] == -11.5  # the rest as linked
    assert state.activation == "elu" and state.params == {"alpha": 2.5}
    assert state.lang == "ru" and state.hide == ("w1",)
    assert [n.key for n in notices] == ["url.not_number", "url.bad_controls"]


def test_a_bad_interval_keeps_the_formula() -> None:
    _, state, notices = decode("tab=deep&target=formula&f=x%5E2&a=5&b=-5")
    assert state.problem == Problem("formula", "x^2", -10.0, 10.0)
    (notice,) = notices
    assert notice.fields["reason"] == i18n.Message("target.empty_interval", {})
    assert "a < b" in notice.render("en")


def test_a_bad_formula_keeps_the_interval() -> None:
    _, state, notices = decode("tab=deep&target=formula&f=log(x)&a=-2&b=3&stack=1")
    assert state.problem == Problem("square", "", -2.0, 3.0, False, True)
    assert [n.key for n in notices] == ["url.bad_problem"]


def test_whole_addresses_and_odd_spellings_are_read() -> None:
    expected = decode("tab=neuron&act=relu&w=1&b=2")[:2]
    assert decode("https://example.org/app/?tab=neuron&act=relu&w=1&b=2#x")[:2] == expected
    assert decode("/?TAB=Neuron&Act=ReLU&w=1&b=2")[:2] == expected
    assert decode("tab=neuron&act=relu&w=+1&b=2.0&&")[:2] == expected


# --- the module agrees with the rest of the app ------------------------------------------------


def test_constants_match_the_views() -> None:
    from dashboard.figures_single import GALLERY_OVERLAYS, NEURON_OVERLAYS
    from dashboard.views import common, neuron

    assert OVERLAYS == {"gallery": GALLERY_OVERLAYS, "neuron": NEURON_OVERLAYS}
    assert DEFAULT_OVERLAYS["neuron"] == tuple(neuron.DEFAULT_OVERLAYS)
    assert common.HARD_LIMIT == HARD_LIMIT


def test_every_notice_key_is_translated() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in LINK_SOURCES)
    used = set(re.findall(r'"(url\.[a-z_]+)"', source))
    assert len(used) >= 15
    for lang in ("en", "ru"):
        assert used <= set(i18n.strings(lang)), used - set(i18n.strings(lang))


def test_the_classroom_modules_import_no_ui_library() -> None:
    """Links, presets, numbers and export stay free of Dash, Plotly and the frameworks."""
    import subprocess
    import sys

    code = (
        "import sys, dashboard.links, dashboard.presets, dashboard.export, dashboard.numbers; "
        "print(','.join(m for m in ('dash', 'plotly', 'flask', 'torch', 'keras') "
        "if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


# --- the registry and the link schema --------------------------------------------------------


def test_a_tab_of_no_groups_is_linked_by_name_and_language() -> None:
    codec = links.Links([TABS[0].links, links.named("extra")])
    state = replace(codec.default_state("extra"), lang="ru")
    assert codec.encode("extra", state) == "tab=extra&lang=ru"
    assert codec.decode("tab=extra&lang=ru") == ("extra", state, [])
    _, got, notices = codec.decode("tab=extra&act=relu&w1=2")
    assert got == codec.default_state("extra")
    assert [n.key for n in notices] == ["url.unknown"]


@settings(max_examples=60, deadline=None)
@given(states())
def test_every_key_a_link_writes_is_a_row_of_the_schema(tab_state: tuple[str, ViewState]) -> None:
    tab, state = tab_state
    rows = LINKS.tab(tab).rows()
    fixed = {r.key for r in rows if not r.family}
    prefixes = [r.key for r in rows if r.family]
    for key, _ in parse_qsl(encode(tab, state), keep_blank_values=True):
        assert key in fixed or any(key.startswith(p) for p in prefixes), key


def test_the_registry_names_each_tab_once_with_a_title_in_both_languages() -> None:
    assert len(TAB_KEYS) == len(set(TAB_KEYS)) and LINKS.keys == TAB_KEYS
    for tab in TABS:
        for lang in ("en", "ru"):
            assert tab.title in i18n.strings(lang), (tab.key, lang)


def test_the_page_config_carries_the_schema_for_the_address_bar() -> None:
    config = LINKS.page_config()
    assert list(config["tabs"]) == list(TAB_KEYS)
    assert [r["key"] or "" for r in config["rows"]] == [r.key for r in links.ROWS]
    assert config["rows"][0]["key"] == "tab"  # links.js finds the open tab by the first row
