"""Links to the network builder: the network, the seed, every weight, the training settings,
the target and the instructor's options survive encode -> decode exactly; any text decodes to
a valid builder state without raising; each kind of tampering gives its notice."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import i18n, netspec
from dashboard.links import BUILDER_CONTROLS, Net, ViewState, seeded_weights
from dashboard.model import ACTIVATIONS
from dashboard.model.train import MAX_LAYERS, MAX_SEED, MAX_UNITS, parameter_names
from dashboard.problem import TARGET_KEYS, Problem
from dashboard.sections import HARD_LIMIT
from dashboard.tabs import LINKS

BUILDER = netspec.TAB
check, controls, decode = LINKS.check, LINKS.controls, LINKS.decode
default_state, encode, is_valid = LINKS.default_state, LINKS.encode, LINKS.is_valid

FORMULAS = ("x^2 + 1", "2*sin(x) + x/10", "exp(-x^2)", "tanh(x)")
finite = st.floats(-HARD_LIMIT, HARD_LIMIT, allow_nan=False)
ends = st.floats(-1000.0, 1000.0, allow_nan=False)


@st.composite
def nets(draw: st.DrawFn) -> Net:
    widths = tuple(draw(st.lists(st.integers(1, MAX_UNITS), min_size=1, max_size=MAX_LAYERS)))
    acts = tuple(draw(st.sampled_from(sorted(ACTIVATIONS))) for _ in widths)
    lr = draw(st.floats(0.0, 100.0, exclude_min=True, allow_nan=False))
    return Net(
        widths,
        acts,
        draw(st.integers(0, MAX_SEED)),
        draw(st.sampled_from(["adam", "sgd"])),
        lr,
        draw(st.sampled_from(netspec.BATCH_CHOICES)),
    )


@st.composite
def builder_states(draw: st.DrawFn) -> ViewState:
    net = draw(nets())
    problem = Problem.default(net.spec())
    if draw(st.booleans()):
        target = draw(st.sampled_from(TARGET_KEYS))
        formula = draw(st.sampled_from(FORMULAS)) if target == "formula" else ""
        lo, hi = sorted(draw(st.lists(ends, min_size=2, max_size=2, unique=True)))
        problem = Problem(target, formula, lo, hi, draw(st.booleans()), draw(st.booleans()))
    values = seeded_weights(net, problem)
    if draw(st.booleans()):  # trained or hand-set weights; else the seeded ones
        values = {n: draw(finite) for n in parameter_names(net.widths)}
    chosen = draw(st.sets(st.sampled_from(BUILDER_CONTROLS)))
    positive = st.floats(0.0, HARD_LIMIT, exclude_min=True, allow_nan=False)
    return replace(
        default_state(BUILDER),
        values=values,
        problem=problem,
        lang=draw(st.sampled_from([None, "en", "ru"])),
        hide=tuple(c for c in BUILDER_CONTROLS if c in chosen),
        lock=draw(st.booleans()),
        goal=draw(st.none() | positive),
        net=net,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(builder_states())
def test_decode_of_encode_is_the_builder_state(state: ViewState) -> None:
    query = encode(BUILDER, state)
    assert decode(query) == (BUILDER, state, [])
    got = decode("?" + query)[1]
    for name, value in state.values.items():  # bit for bit, the sign of zero included
        assert got.values[name].hex() == value.hex()
    pairs = parse_qsl(query, keep_blank_values=True)
    assert len({k for k, _ in pairs}) == len(pairs)
    assert len(query) <= 8000 or len(state.values) > 150


@settings(max_examples=100, deadline=None)
@given(builder_states())
def test_a_link_with_every_weight_written_out_reads_the_same(state: ViewState) -> None:
    """The page writes every weight (it does not know the seeded ones): same state back."""
    query = encode(BUILDER, state)
    pairs = [(k, v) for k, v in parse_qsl(query) if k not in parameter_names(state.net.widths)]
    pairs += [(n, repr(v)) for n, v in state.values.items()]
    assert decode(urlencode(pairs)) == (BUILDER, state, [])


def test_the_default_link_is_bare_and_a_fresh_net_is_short() -> None:
    state = default_state(BUILDER)
    assert encode(BUILDER, state) == "tab=builder"
    assert decode("?tab=builder") == (BUILDER, state, [])
    net = Net((2, 4), ("tanh", "relu"), 7)
    fresh = replace(state, net=net, values=seeded_weights(net, state.problem))
    assert encode(BUILDER, fresh) == "tab=builder&layers=2,4&acts=tanh,relu&seed=7"
    assert decode("tab=builder&layers=2,4&acts=tanh,relu&seed=7") == (BUILDER, fresh, [])


def test_a_readable_builder_link() -> None:
    net = Net((1,), ("relu",), 3, "sgd", 0.1, 64)
    problem = Problem("sin", "", -6.0, 6.0, False, False)
    values = {"w1_1_1": 0.5, "b1_1": -1.0, "w2_1_1": 2.25, "b2_1": 0.0}
    state = replace(default_state(BUILDER), net=net, problem=problem, values=values,
                    hide=("network", "fit"), lock=True, goal=0.2)  # fmt: skip
    assert encode(BUILDER, state) == (
        "tab=builder&layers=1&acts=relu&seed=3&opt=sgd&lr=0.1&batch=64&target=sin&a=-6&b=6"
        "&w1_1_1=0.5&b1_1=-1&w2_1_1=2.25&b2_1=0&hide=network,fit&lock=1&goal=0.2"
    )


def test_the_builder_controls_an_instructor_may_hide() -> None:
    assert controls(BUILDER) == BUILDER_CONTROLS
    assert {"network", "training", "parameters", "target", "fit"} <= set(BUILDER_CONTROLS)


def test_encode_refuses_builder_states_a_link_cannot_hold() -> None:
    good = default_state(BUILDER)
    assert is_valid(BUILDER, good)
    net = good.net
    bad = [
        replace(good, net=None),
        replace(good, net=replace(net, widths=(9,))),
        replace(good, net=replace(net, widths=(1, 1, 1, 1, 1), activations=("tanh",) * 5)),
        replace(good, net=replace(net, activations=("nope",))),
        replace(good, net=replace(net, seed=-1)),
        replace(good, net=replace(net, seed=True)),
        replace(good, net=replace(net, optimizer="rmsprop")),
        replace(good, net=replace(net, lr=0.0)),
        replace(good, net=replace(net, lr=float("nan"))),
        replace(good, net=replace(net, batch=7)),
        replace(good, values={**good.values, "w1_1_1": float("inf")}),
        replace(good, values={"w1_1_1": 1.0}),
        replace(good, activation="relu"),
        replace(good, hide=("sliders",)),
        replace(good, problem=None),
    ]
    for state in bad:
        with pytest.raises(ValueError):
            check(BUILDER, state)
    with pytest.raises(ValueError):
        check("sin3", replace(default_state("sin3"), net=Net()))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_builder_text_decodes_to_a_valid_state(text: str) -> None:
    tab, state, notices = decode("tab=builder&" + text)
    assert tab == BUILDER and is_valid(tab, state)
    assert all(isinstance(n, i18n.Message) for n in notices)


KEYS = ("layers", "acts", "seed", "opt", "lr", "batch", "w1_1_1", "b1_1", "w2_1_1", "w9_9_9",
        "target", "a", "b", "f", "goal", "lock", "hide", "act")  # fmt: skip
VALUES = ("", "1", "8,8", "9", "0,1", "tanh,relu", "nope", "1e400", "nan", "-0", "2.5", "sgd",
          ",,,", "1,2,3,4,5", "64", "x^2", "network,foo", "\x00", "∞")  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)), max_size=12))
def test_tampered_builder_links_never_raise(pairs: list[tuple[str, str]]) -> None:
    tab, state, notices = decode(urlencode([("tab", "builder"), *pairs]))
    assert tab == BUILDER and is_valid(tab, state)
    for n in notices:
        assert n.render("en") and n.render("ru")


def keys_of(query: str) -> list[str]:
    return [n.key for n in decode(query)[2]]


@pytest.mark.parametrize(
    ("query", "notices"),
    [
        ("tab=builder&layers=8,8,8,8,8&acts=tanh,tanh,tanh,tanh,tanh", ["url.net_layers"]),
        ("tab=builder&layers=4,20&acts=relu,relu", ["url.net_units"]),
        ("tab=builder&layers=4,2.5&acts=relu,relu", ["url.net_units"]),
        ("tab=builder&layers=4,x&acts=relu,relu&w1_1_1=1", ["url.net_units",
                                                            "url.net_weights_dropped"]),
        ("tab=builder&layers=2&acts=relu,tanh", ["url.net_acts_count"]),
        ("tab=builder&layers=2&acts=swish2", ["url.bad_activation"]),
        ("tab=builder&layers=2", ["url.missing"]),
        ("tab=builder&seed=1.5", ["url.not_whole"]),
        ("tab=builder&seed=-1", ["url.out_of_range"]),
        ("tab=builder&opt=rmsprop&lr=0.1&batch=0", ["url.bad_optimizer"]),
        ("tab=builder&opt=sgd&lr=0&batch=0", ["url.bad_lr"]),
        ("tab=builder&opt=sgd&lr=0.1&batch=7", ["url.bad_batch"]),
        ("tab=builder&opt=sgd", ["url.missing"]),
        ("tab=builder&w1_1_1=0.5", ["url.net_weights_missing"]),
        ("tab=builder&w1_1_1=abc", ["url.net_weights_missing", "url.not_number"]),
        ("tab=builder&w7_1_1=1&act=relu", ["url.unknown"]),
        ("tab=builder&hide=network,sliders", ["url.bad_controls"]),
        ("tab=builder&target=sin&a=5&b=1", ["url.bad_problem"]),
        ("tab=builder&goal=-1", ["url.bad_goal"]),
        ("tab=builder&seed=1&seed=2", ["url.duplicate"]),
    ],
)  # fmt: skip
def test_each_builder_notice(query: str, notices: list[str]) -> None:
    assert keys_of(query) == notices


def test_bad_parts_keep_their_defaults_and_good_parts_are_kept() -> None:
    _, state, _ = decode("tab=builder&layers=9&acts=relu&seed=5&opt=sgd&lr=0.5&batch=16&w1_1_1=3")
    assert state.net == Net(seed=5, optimizer="sgd", lr=0.5, batch=16)
    assert state.values == seeded_weights(state.net, state.problem), "seeded from the link's seed"
    _, state, _ = decode("tab=builder&layers=2&acts=relu&w1_1_1=0.25&b1_1=x")
    assert state.net.widths == (2,) and state.values["w1_1_1"] == 0.25
    assert state.values["b1_1"] == seeded_weights(state.net, state.problem)["b1_1"]
    _, state, _ = decode("tab=builder&layers=1&acts=relu&target=sin&a=-6&b=6")
    assert state.values == seeded_weights(Net((1,), ("relu",)), state.problem)
    assert state.values != seeded_weights(Net((1,), ("relu",)), default_state(BUILDER).problem)


def test_notices_are_translated() -> None:
    import re
    from pathlib import Path

    from dashboard import links

    sources = sorted(Path(links.__file__).parent.glob("*.py"))
    source = "".join(p.read_text(encoding="utf-8") for p in sources)
    used = set(re.findall(r'"(url\.[a-z_]+)"', source))
    for lang in ("en", "ru"):
        assert used <= set(i18n.strings(lang)), used - set(i18n.strings(lang))
