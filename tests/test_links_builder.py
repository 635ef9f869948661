"""Links to the network builder through the real endpoint: the page's location, read once,
opens the builder with exactly the link's network, weights, seed, training settings, target
and instructor options."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient

from dashboard import ids, netspec, pageconfig
from dashboard.links import Net, ViewState, seeded_weights
from dashboard.model.train import TrainState, parameter_names
from dashboard.problem import Problem
from dashboard.tabs import LINKS
from tests.support.dash import components, dom_id, render_body

TAB = netspec.TAB


def open_link(
    client: FlaskClient, dependencies: list[dict[str, Any]], search: str
) -> dict[str, Any]:
    """What the server answers when the location reports ``search`` on a fresh page."""
    body = render_body(dependencies, "gallery", "en")
    body["inputs"][1]["value"] = search
    body["changedPropIds"] = [f"{ids.URL}.search"]
    body["parsedChangedPropsIds"] = [ids.URL]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_json()["response"]


def by_id(out: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {dom_id(p["id"]): p for p in components(out[ids.CONTENT]["children"])}


def trained_state() -> ViewState:
    net = Net((2, 3), ("tanh", "relu"), 5, "sgd", 0.1, 64)
    problem = Problem("sin", "", -6.0, 6.0, False, False)
    rng = np.random.default_rng(11)
    values = {n: float(v) for n, v in zip(parameter_names(net.widths),
                                          rng.normal(size=17) * 1.7, strict=True)}  # fmt: skip
    values["w2_1_2"] = 12.5  # beyond the sliders' ±10: the range widens to hold it
    return replace(LINKS.default_state(TAB), net=net, problem=problem, values=values,
                   goal=0.3, lang="en")  # fmt: skip


def test_a_builder_link_opens_its_exact_network(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    state = trained_state()
    out = open_link(client, dependencies, "?" + LINKS.encode(TAB, state))
    assert out[ids.dom_id(ids.tabbar(ids.MAIN))]["value"] == TAB
    assert out[ids.NOTICE]["children"] == []
    found = by_id(out)
    for name, value in state.values.items():  # exactly, not rounded to a slider step
        assert found[dom_id(ids.param(TAB, name))]["value"] == value, name
        assert found[dom_id(ids.box(TAB, name))]["value"] == value, name
    slider = found[dom_id(ids.param(TAB, "w2_1_2"))]
    assert slider["min"] <= 12.5 <= slider["max"]
    train = TrainState.from_dict(found[dom_id(ids.store(TAB, "train"))]["data"])
    assert train.arch.widths == (2, 3) and train.arch.activations == ("tanh", "relu")
    assert train.theta.tolist() == [state.values[n] for n in parameter_names((2, 3))]
    assert (train.config.optimizer, train.config.learning_rate, train.config.batch_size) == (
        "sgd", 0.1, 64)  # fmt: skip
    assert train.seed == 5 and train.step == 0
    assert found[dom_id(ids.store(TAB, "arch"))]["data"] == {
        "widths": [2, 3], "activations": ["tanh", "relu"]}  # fmt: skip
    control = {n: found[dom_id(ids.control(TAB, n))]["value"]
               for n in ("layers", "seed", "lr", "optimizer", "batch")}  # fmt: skip
    assert control == {"layers": 2, "seed": 5, "lr": 0.1, "optimizer": "sgd", "batch": 64}
    units = [found[dom_id(ids.layer_control(TAB, "units", k))]["value"] for k in (1, 2)]
    acts = [found[dom_id(ids.layer_control(TAB, "activation", k))]["value"] for k in (1, 2)]
    assert units == [2, 3] and acts == ["tanh", "relu"]
    target = {f: found[dom_id(ids.target(TAB, f))]["value"] for f in ids.TARGET_FIELDS}
    assert target == {"target": "sin", "formula": "", "a": -6, "b": 6, "beyond": [],
                      "stack": [], "goal": 0.3}  # fmt: skip


def test_a_short_link_opens_the_seeded_network(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    out = open_link(client, dependencies, "?tab=builder&layers=1,8&acts=relu,tanh&seed=3")
    assert out[ids.NOTICE]["children"] == []
    found = by_id(out)
    net = Net((1, 8), ("relu", "tanh"), 3)
    expected = seeded_weights(net, LINKS.default_state(TAB).problem)
    for name, value in expected.items():
        assert found[dom_id(ids.param(TAB, name))]["value"] == value, name


@pytest.mark.parametrize(
    ("search", "notice"),
    [
        ("?tab=builder&layers=9,9,9,9,9", "1 to 4"),
        ("?tab=builder&layers=4,20&acts=relu,relu", "1 to 8"),
        ("?tab=builder&w1_1_1=0.5", "seed 0"),
        ("?tab=builder&layers=2&acts=relu&w7_1_1=1", "ignored"),
    ],
)
def test_a_tampered_builder_link_opens_with_a_notice(
    client: FlaskClient, dependencies: list[dict[str, Any]], search: str, notice: str
) -> None:
    out = open_link(client, dependencies, search)
    texts = " ".join(p["props"]["children"] for p in out[ids.NOTICE]["children"])
    assert notice in texts, texts
    assert out[ids.dom_id(ids.tabbar(ids.MAIN))]["value"] == TAB
    assert dom_id(ids.store(TAB, "train")) in by_id(out)


def test_instructor_options_hide_builder_controls(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    out = open_link(client, dependencies, "?tab=builder&hide=network,training,fit&lock=1")
    assert out[ids.NOTICE]["children"] == []
    hidden = {"display": "none"}
    groups: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "data-control" in props:
                groups[props["data-control"]] = props.get("style")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(out[ids.CONTENT]["children"])
    assert groups["network"] == hidden and groups["training"] == hidden
    assert groups.get("parameters") != hidden
    found = by_id(out)
    assert found[dom_id(ids.action(TAB, "fit"))]["style"] == hidden
    assert found[dom_id(ids.target(TAB, "a"))]["disabled"] is True


def test_the_address_bar_costs_no_dash_callback(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    # assets/links.js writes the address bar from the renderer's layout on its own clock: no
    # Dash callback and no dcc.Interval drive it, so neither a slider step nor a training frame
    # pays a renderer cycle for it (tests/browser/test_links*.py check that it follows).
    assert not [d for d in dependencies if (d.get("clientside_function") or {}).get("namespace")
                == "links"]  # fmt: skip
    page = client.get("/_dash-layout").get_json()
    assert '"Interval"' not in json.dumps(page)
    # links.js walks the link schema the page publishes: the builder's network comes from its
    # "arch" store and its seed and settings from its controls, read from the renderer's layout.
    script = client.get("/assets/links.js").get_data(as_text=True)
    assert "getLayout" in script and "config()" in script
    rows = {row["key"]: row["control"] for row in pageconfig.config()["links"]["rows"]}
    for key in ("layers", "acts"):
        assert (rows[key]["type"], rows[key]["match"]) == (
            ids.store("t", "arch")["type"],
            {"name": "arch"},
        ), key
    for key, name in (("seed", "seed"), ("opt", "optimizer"), ("lr", "lr"), ("batch", "batch")):
        assert (rows[key]["type"], rows[key]["match"]) == (
            ids.control("t", name)["type"],
            {"name": name},
        ), key
