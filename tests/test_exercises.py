"""The builder's exercises (presets/builder.csv): each loads as its link, opens through the
real endpoint with exactly its network and settings, and trains as stated; a bad table stops
start-up naming its file, row and column in English and Russian."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient

from dashboard import exercises, ids, netspec
from dashboard.app import create_app
from dashboard.model.train import Architecture, TrainConfig, TrainState, parameter_names, run
from dashboard.tabs import LINKS
from tests.support.dash import components, dom_id, render_body

SHIPPED = exercises.load()
TAB = netspec.TAB


def train_state(e: exercises.Exercise) -> TrainState:
    s, n = e.state, e.state.net
    assert n is not None
    theta = [s.values[k] for k in parameter_names(n.widths)]
    config = TrainConfig(n.optimizer, n.lr, batch_size=n.batch)
    return TrainState(Architecture(n.widths, n.activations), theta, config, n.seed)


def train(e: exercises.Exercise, steps: int) -> tuple[TrainState, float]:
    """``steps`` optimiser steps from the exercise (in bounded calls, as the page takes them);
    the RMSE after them."""
    state, p = train_state(e), e.state.problem
    assert p is not None
    x = p.x()
    y = p.y(x)
    while state.step < steps:
        state, losses = run(state, x, y, steps - state.step, 2.0)
        assert state.stop in ("steps", "time")
    return state, float(np.sqrt(losses[-1]))


def test_the_shipped_exercises() -> None:
    assert len(SHIPPED) >= 3
    for e in SHIPPED:
        tab, state, notices = LINKS.decode(e.query)
        assert (tab, notices) == (TAB, []), e.name
        assert state == e.state and e.name and e.name_ru
        assert e.label("ru") == e.name_ru and e.label("en") == e.name


@pytest.mark.parametrize("k", range(len(SHIPPED)))
def test_each_exercise_applies_through_the_endpoint(client: FlaskClient, k: int) -> None:
    e = SHIPPED[k]
    dependencies = client.get("/_dash-dependencies").get_json()
    body = render_body(dependencies, "gallery", "en")
    body["inputs"][1]["value"] = f"?{e.query}&lang=ru"
    body["changedPropIds"] = [f"{ids.URL}.search"]
    body["parsedChangedPropsIds"] = [ids.URL]
    out = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert out[ids.NOTICE]["children"] == []
    found = {dom_id(p["id"]): p for p in components(out[ids.CONTENT]["children"])}
    for name, value in e.state.values.items():
        assert found[dom_id(ids.param(TAB, name))]["value"] == value, name
    train = TrainState.from_dict(found[dom_id(ids.store(TAB, "train"))]["data"])
    assert train.to_dict() == train_state(e).to_dict()
    p = e.state.problem
    assert found[dom_id(ids.target(TAB, "target"))]["value"] == p.target
    assert (found[dom_id(ids.target(TAB, "a"))]["value"],
            found[dom_id(ids.target(TAB, "b"))]["value"]) == (p.lo, p.hi)  # fmt: skip
    # The table in the tab offers every exercise, with its link, in the page's language.
    links = [c for c in components(out[ids.CONTENT]["children"]) if c["id"].get("type")
             == "exercise"]  # fmt: skip
    assert [c["href"] for c in links] == [f"?{x.query}&lang=ru" for x in SHIPPED]
    assert links[0]["children"] == "Применить"


def test_two_by_four_tanh_on_x_squared_reaches_its_goal() -> None:
    """The first exercise: RMSE below 0.05 (its goal: 0.09) within 1,000 Adam steps."""
    (e,) = [x for x in SHIPPED if x.state.net and x.state.net.widths == (4, 4)]
    _, rmse = train(e, 1000)
    assert rmse < 0.05


def test_dead_relu_units_never_move() -> None:
    """The dead-unit exercise: units 2, 5 and 7 output 0 on the whole interval, so their
    weights get no gradient and stay put while the others fit |x| (RMSE below 0.01 in 500)."""
    (e,) = [x for x in SHIPPED if x.state.net and x.state.net.activations == ("relu",)]
    start = train_state(e)
    trained, rmse = train(e, 500)
    assert rmse < 0.01
    names = parameter_names(e.state.net.widths)
    before = dict(zip(names, start.theta.tolist(), strict=True))
    after = dict(zip(names, trained.theta.tolist(), strict=True))
    for j in (2, 5, 7):
        for name in (f"w1_1_{j}", f"b1_{j}", f"w2_{j}_1"):
            assert after[name] == before[name], name
    assert after["w1_1_1"] != before["w1_1_1"]


HEADER = "name,name_ru,layers,acts,seed,opt,lr,batch,target,a,b,goal,weights\n"


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("x,y,9,relu,0,adam,0.1,0,square,-3,3,,", "layers", "1 to 8"),
        ("x,y,\"4,4,4,4,4\",tanh,0,adam,0.1,0,square,-3,3,,", "layers", "1 to 4"),
        ("x,y,4,swish2,0,adam,0.1,0,square,-3,3,,", "acts", "swish2"),
        ("x,y,4,tanh,1.5,adam,0.1,0,square,-3,3,,", "seed", "whole"),
        ("x,y,4,tanh,0,adam,0,0,square,-3,3,,", "lr", "learning rate"),
        ("x,y,4,tanh,0,adam,0.1,7,square,-3,3,,", "batch", "batch"),
        ("x,y,4,tanh,0,adam,0.1,0,square,3,-3,,", "target", "cannot be used"),
        ("x,y,4,tanh,0,adam,0.1,0,square,-3,3,-1,", "goal", "positive"),
        ("x,y,4,tanh,0,adam,0.1,0,square,-3,3,,w1_1_1=abc", "weights", "not a number"),
        ("x,y,4,tanh,0,adam,0.1,0,square,-3,3,,w9_1_1=1", "weights", "ignored"),
        (",y,4,tanh,0,adam,0.1,0,square,-3,3,,", "name", "name"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_named(row: str, column: str, words: str) -> None:
    ok = "fine,хорошо,4,tanh,0,adam,0.1,0,square,-3,3,,\n"
    with pytest.raises(exercises.ExerciseError) as caught:
        exercises.read(HEADER + ok + row + "\n", "bad.csv")
    e = caught.value
    assert (e.fields["file"], e.fields["row"], e.fields["column"]) == ("bad.csv", 3, column)
    en, ru = e.render("en"), e.render("ru")
    assert "bad.csv" in en and "row 3" in en and column in en and words in en, en
    assert "bad.csv" in ru and column in ru and ru != en, ru


def test_bad_columns_and_an_empty_table() -> None:
    with pytest.raises(exercises.ExerciseError) as caught:
        exercises.read("name,layers,colour\nx,4,red\n", "cols.csv")
    assert "colour" in caught.value.render("en") and "name_ru" in caught.value.render("ru")
    with pytest.raises(exercises.ExerciseError):
        exercises.read(HEADER, "empty.csv")


def test_a_bad_shipped_file_stops_start_up(tmp_path: Any, monkeypatch: Any) -> None:
    bad = tmp_path / "builder.csv"
    bad.write_text(HEADER + "x,y,20,relu,0,adam,0.1,0,square,-3,3,,\n", encoding="utf-8")
    monkeypatch.setattr(exercises, "FILE", bad)
    with pytest.raises(exercises.ExerciseError, match=r"builder\.csv.*row 2.*layers"):
        create_app()
