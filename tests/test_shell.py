"""Only the open tab is on the page: switching tabs keeps each tab's controls (views.shell).

The render callback is driven through the real endpoint with the bodies the browser posts:
the states of the tab being left carry its controls, the saved store carries the snapshots.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from dashboard import ids
from tests.support.dash import components, dom_id, parse_id, render_body, split_outputs


def switch(
    client: FlaskClient,
    dependencies: list[dict[str, Any]],
    tab: str,
    saved: Any,
    on_page: list[dict[str, Any]],
    lang: str = "en",
) -> tuple[list[dict[str, Any]], Any]:
    """Post the tab bar's switch to ``tab`` with the controls ``on_page`` (the props of every
    component on the page, as ``components`` lists them) and return the new tab's components
    and the new saved store."""
    body = render_body(dependencies, tab, lang)
    (dep,) = [d for d in dependencies if d["output"] == body["output"]]
    states = []
    for spec, sent in zip(dep["state"], body["state"], strict=True):
        pattern = parse_id(spec["id"])
        if isinstance(sent, list):  # a wildcard: every matching component on the page
            states.append(
                [
                    {"id": p["id"], "property": spec["property"], "value": p.get(spec["property"])}
                    for p in on_page
                    if isinstance(p["id"], dict)
                    and set(p["id"]) == set(pattern)
                    and all(v == ["ALL"] or p["id"][k] == v for k, v in pattern.items())
                    and spec["property"] in p
                ]
            )
        elif pattern == ids.SAVED:
            states.append({**sent, "value": saved})
        else:
            states.append(sent)
    body["state"] = states
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    out = response.get_json()["response"]
    outputs = [p for p, _ in split_outputs(body["output"])]
    assert outputs == [ids.CONTENT, ids.SAVED, ids.tabbar(ids.MAIN), ids.LANG, ids.NOTICE]
    return list(components(out[ids.CONTENT]["children"])), out[ids.SAVED]["data"]


def by_id(props: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {dom_id(p["id"]): p for p in props}


def test_a_fresh_switch_renders_the_tab_at_its_defaults(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    props, saved = switch(client, dependencies, "square2", {"_open": "gallery"}, [])
    found = by_id(props)
    w1 = found[dom_id(ids.param("square2", "w1"))]
    assert (w1["value"], w1["min"], w1["max"]) == (0.31, -9.69, 10.31)
    assert found[dom_id(ids.activation("square2"))]["value"] == "sigmoid"
    assert found[dom_id(ids.panel(ids.MAIN, "square2"))] is not None
    # Nothing of any other tab is rendered.
    assert {p["id"].get("tab") for p in props if isinstance(p["id"], dict)} <= {"square2", None}
    assert saved["_open"] == "square2" and set(saved) == {"_open", "gallery"}


def test_leaving_and_coming_back_restores_every_control(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    props, saved = switch(client, dependencies, "square2", {"_open": "gallery"}, [])
    # The student moves things: a typed value beyond the range, a widened range after Fit,
    # another activation with its own parameter, a typed target formula and interval.
    for p in props:
        cid = p["id"]
        if cid == ids.param("square2", "w1"):
            p.update(value=42.5, min=-60.0, max=60.0)
        elif cid == ids.box("square2", "w1"):
            p["value"] = 42.5
        elif cid == ids.activation("square2"):
            p["value"] = "elu"
        elif cid == ids.act_param("square2", "elu", "alpha"):
            p["value"] = 2.5
        elif cid == ids.target("square2", "formula"):
            p["value"] = "sin(x) + x^2/10"
        elif cid == ids.target("square2", "a"):
            p["value"] = -4
    sin3, saved = switch(client, dependencies, "sin3", saved, props)
    assert saved["_open"] == "sin3"
    kept = saved["square2"]
    assert kept[dom_id(ids.param("square2", "w1"))] == {
        "value": 42.5,
        "min": -60.0,
        "max": 60.0,
        "marks": props[[p["id"] for p in props].index(ids.param("square2", "w1"))]["marks"],
    }
    # sin3 opens at its own defaults: nothing leaks from square2.
    assert by_id(sin3)[dom_id(ids.param("sin3", "w1"))]["value"] == 1.35

    back, saved = switch(client, dependencies, "square2", saved, sin3)
    found = by_id(back)
    w1 = found[dom_id(ids.param("square2", "w1"))]
    assert (w1["value"], w1["min"], w1["max"]) == (42.5, -60.0, 60.0)
    assert found[dom_id(ids.box("square2", "w1"))]["value"] == 42.5
    assert found[dom_id(ids.activation("square2"))]["value"] == "elu"
    assert found[dom_id(ids.act_param("square2", "elu", "alpha"))]["value"] == 2.5
    assert found[dom_id(ids.target("square2", "formula"))]["value"] == "sin(x) + x^2/10"
    assert found[dom_id(ids.target("square2", "a"))]["value"] == -4
    assert found[dom_id(ids.param("square2", "b1"))]["value"] == -3.59  # untouched: default
    assert found[dom_id(ids.drawn("square2"))]["data"] is None, "the figure is drawn afresh"
    assert "sin3" in saved and saved["_open"] == "square2"


def test_an_emptied_number_box_stays_empty_after_a_switch(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    """A box the student cleared posts null: it comes back empty, not at its default."""
    box = dom_id(ids.box("square2", "w1"))
    props, saved = switch(client, dependencies, "square2", {"_open": "gallery"}, [])
    assert by_id(props)[box]["value"] == 0.31
    for p in props:
        if p["id"] == ids.box("square2", "w1"):
            p["value"] = None
    sin3, saved = switch(client, dependencies, "sin3", saved, props)
    assert saved["square2"][box] == {"value": None}
    back, _ = switch(client, dependencies, "square2", saved, sin3)
    found = by_id(back)
    assert found[box].get("value") is None
    assert found[dom_id(ids.param("square2", "w1"))]["value"] == 0.31


def test_a_tampered_snapshot_changes_nothing_it_does_not_name(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    w1 = dom_id(ids.param("square2", "w1"))
    junk = {
        "_open": "deep",
        "square2": {
            w1: {"value": 1.5, "style": {"display": "none"}, "id": "hijack"},
            dom_id(ids.graph("square2")): {"figure": {"data": []}},
            "not json": {"value": 3},
        },
    }
    props, _ = switch(client, dependencies, "square2", junk, [])
    found = by_id(props)
    assert found[w1]["value"] == 1.5
    assert "style" not in found[w1] and found[w1]["id"] == ids.param("square2", "w1")
    assert "figure" not in found[dom_id(ids.graph("square2"))]
    for bad in ("nonsense", None, 3, ["square2"]):
        assert switch(client, dependencies, "square2", bad, [])[1]["_open"] == "square2"


def test_an_unknown_tab_or_the_same_tab_renders_nothing(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    for tab, saved in (("nope", {"_open": "gallery"}), ("gallery", {"_open": "gallery"})):
        body = render_body(dependencies, tab)
        body["state"] = [
            {**s, "value": saved} if isinstance(s, dict) and s["id"] == ids.SAVED else s
            for s in body["state"]
        ]
        assert client.post("/_dash-update-component", json=body).status_code == 204


def test_a_tab_opened_in_russian_is_rendered_in_russian(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    props, _ = switch(client, dependencies, "sin3", {"_open": "gallery"}, [], lang="ru")
    legend = by_id(props)[dom_id(ids.text("label.parameters", "sin3"))]
    assert legend["children"] == "Параметры"


def test_the_builder_comes_back_with_its_network_and_weights(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    """The builder's sliders depend on its network: a snapshot brings back that network's
    sliders (not the default's), with the weights the student left, and its stores."""
    import json

    import numpy as np
    from plotly.io.json import to_json_plotly

    from dashboard.model.train import Architecture, TrainConfig, init_state, parameter_names, run
    from dashboard.views import builder
    from tests.support.dash import through_browser

    props, saved = switch(client, dependencies, "builder", {"_open": "gallery"}, [])
    assert len([p for p in props if p["id"] == ids.param("builder", "w1_1_1")]) == 1
    # What the page holds after the student built 2 x 3 ReLU, trained a little, moved a
    # slider by hand, chose SGD and selected a unit.
    arch = Architecture((3, 3), ("relu", "relu"))
    x = np.linspace(-3.0, 3.0, 1000)
    state, _ = run(init_state(arch, TrainConfig("sgd", 0.01), 5, (-3, 3)), x, x**2, 20, 2.0)
    loss = builder.extend_loss(None, 1, [3.0, 2.0, 1.0])
    body = builder.layout("en", state, loss, (2, 3))
    on_page = list(components(json.loads(to_json_plotly(body))))
    for p in on_page:
        if p["id"] == ids.param("builder", "w2_1_3"):
            p["value"] = 4.5
        elif p["id"] == ids.control("builder", "layers"):
            p["value"] = 2
    sin3, saved = switch(client, dependencies, "sin3", saved, on_page)
    back, saved = switch(client, dependencies, "builder", saved, sin3)
    found = by_id(back)
    names = [
        p["id"]["name"] for p in back if isinstance(p["id"], dict) and p["id"]["type"] == "param"
    ]
    assert set(names) == set(parameter_names((3, 3)))
    values = {n: found[dom_id(ids.param("builder", n))]["value"] for n in names}
    expected = dict(zip(parameter_names((3, 3)), state.theta.tolist(), strict=True))
    assert values == {**expected, "w2_1_3": 4.5}
    assert found[dom_id(ids.store("builder", "train"))]["data"] == through_browser(state.to_dict())
    assert found[dom_id(ids.store("builder", "loss"))]["data"] == loss
    assert found[dom_id(ids.store("builder", "selected"))]["data"] == [2, 3]
    assert found[dom_id(ids.unit_group("builder", 2, 3))]["open"] is True
    assert found[dom_id(ids.control("builder", "layers"))]["value"] == 2
    assert found[dom_id(ids.layer_control("builder", "activation", 2))]["value"] == "relu"
    assert found[dom_id(ids.layer_row("builder", 3))]["hidden"] is True
    assert found[dom_id(ids.drawn("builder"))]["data"] is None, "the figure is drawn afresh"
    # A damaged snapshot of the network falls back to the default network.
    saved["builder"][dom_id(ids.store("builder", "train"))] = {"data": {"version": 99}}
    _, saved = switch(client, dependencies, "sin3", saved, back)
    saved["builder"][dom_id(ids.store("builder", "train"))] = {"data": {"version": 99}}
    again, _ = switch(client, dependencies, "builder", saved, sin3)
    assert dom_id(ids.param("builder", "w1_1_4")) in by_id(again)
