"""Links that reproduce a view (issue 5, items 4-5): the page's location read once, through
the real endpoint, with the body the browser posts when dcc.Location reports the address."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.i18n import t
from dashboard.links import ViewState
from dashboard.tabs import LINKS
from tests.support.dash import components, dom_id, render_body


def open_link(
    client: FlaskClient,
    dependencies: list[dict[str, Any]],
    search: str,
    lang: str = "en",
    saved: Any = None,
) -> tuple[int, dict[str, Any]]:
    """Post what the browser posts when the location reports ``search`` on a fresh page."""
    body = render_body(dependencies, "gallery", lang)
    url = body["inputs"][1]
    url["value"] = search
    body["changedPropIds"] = [f"{ids.URL}.search"]
    body["parsedChangedPropsIds"] = [ids.URL]
    if saved is not None:
        for s in body["state"]:
            if isinstance(s, dict) and s["id"] == ids.SAVED:
                s["value"] = saved
    response = client.post("/_dash-update-component", json=body)
    return response.status_code, (response.get_json() or {}).get("response", {})


def by_id(out: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {dom_id(p["id"]): p for p in components(out[ids.CONTENT]["children"])}


def test_a_link_opens_its_tab_with_every_value(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    search = (
        "?tab=square2&lang=ru&act=elu&w1=0.5&b1=-3&w2=-0.5&b2=-3&w3=12.25&w4=12.25&b3=-1"
        "&p.alpha=1.5&target=formula&f=sin(x)%2Bx%5E2%2F10&a=-4&b=6&beyond=1&goal=0.25"
    )
    status, out = open_link(client, dependencies, search)
    assert status == 200
    assert out[ids.dom_id(ids.tabbar(ids.MAIN))]["value"] == "square2"
    assert out[ids.LANG]["value"] == "ru"
    assert out[ids.NOTICE]["children"] == []
    found = by_id(out)
    values = {"w1": 0.5, "b1": -3, "w2": -0.5, "b2": -3, "w3": 12.25, "w4": 12.25, "b3": -1}
    for name, value in values.items():
        assert found[dom_id(ids.param("square2", name))]["value"] == value, name
        assert found[dom_id(ids.box("square2", name))]["value"] == value, name
    assert found[dom_id(ids.activation("square2"))]["value"] == "elu"
    assert found[dom_id(ids.act_param("square2", "elu", "alpha"))]["value"] == 1.5
    target = {f: found[dom_id(ids.target("square2", f))]["value"] for f in ids.TARGET_FIELDS}
    assert target == {
        "target": "formula",
        "formula": "sin(x)+x^2/10",
        "a": -4,
        "b": 6,
        "beyond": ["on"],
        "stack": [],
        "goal": 0.25,
    }
    legend = found[dom_id(ids.text("label.parameters", "square2"))]
    assert legend["children"] == "Параметры", "the tab is rendered in the link's language"
    saved = out[ids.SAVED]["data"]
    assert saved["_open"] == "square2" and saved["_linked"] is True


def test_the_link_is_read_once(client: FlaskClient, dependencies: list[dict[str, Any]]) -> None:
    status, _ = open_link(client, dependencies, "?tab=sin3", saved={"_open": "sin3", "_linked": 1})
    assert status == 204
    status, _ = open_link(client, dependencies, "")
    assert status == 204, "no link: the first tab as rendered with the page"


@pytest.mark.parametrize(
    ("search", "notice"),
    [
        ("?tab=sin3&w1=abc", "not a number"),
        ("?tab=sin3&w1=1e9", "lies outside"),
        ("?tab=nowhere", "unknown tab"),
        ("?tab=square2&act=swish2", "unknown activation"),
        ("?tab=square2&zzz=1", "ignored"),
        ("?tab=square2&target=sin&a=5&b=1", "cannot be used"),
        ("?tab=square2&goal=-1", "not a positive number"),
    ],
)
def test_a_tampered_link_opens_with_defaults_and_a_notice(
    client: FlaskClient, dependencies: list[dict[str, Any]], search: str, notice: str
) -> None:
    status, out = open_link(client, dependencies, search)
    assert status == 200
    texts = " ".join(p["props"]["children"] for p in out[ids.NOTICE]["children"])
    assert notice in texts, texts
    tab = out[ids.dom_id(ids.tabbar(ids.MAIN))]["value"]
    found = by_id(out)
    if tab == "sin3":
        assert found[dom_id(ids.param("sin3", "w1"))]["value"] == 1.35, "bad part: default"


def test_a_russian_notice(client: FlaskClient, dependencies: list[dict[str, Any]]) -> None:
    _, out = open_link(client, dependencies, "?tab=nowhere&lang=ru")
    texts = " ".join(p["props"]["children"] for p in out[ids.NOTICE]["children"])
    assert "вкладк" in texts.lower(), texts


def test_instructor_options_hide_and_lock(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    search = "?tab=square2&hide=w3,fit,hints,act_params&lock=1&goal=0.5"
    status, out = open_link(client, dependencies, search)
    assert status == 200 and out[ids.NOTICE]["children"] == []
    content = out[ids.CONTENT]["children"]

    def style_of_row(name: str) -> Any:
        """The style of the element holding the slider ``name`` (its row)."""
        target = ids.param("square2", name)

        def walk(node: Any, parent: Any) -> Any:
            if isinstance(node, dict):
                props = node.get("props")
                if isinstance(props, dict) and props.get("id") == target:
                    return parent
                for v in node.values():
                    found = walk(v, node if isinstance(props, dict) else parent)
                    if found is not None:
                        return found
            elif isinstance(node, list):
                for v in node:
                    found = walk(v, parent)
                    if found is not None:
                        return found
            return None

        return walk(content, None)["props"].get("style")

    assert style_of_row("w3") == {"display": "none"}
    assert style_of_row("w1") is None
    found = by_id(out)
    assert found[dom_id(ids.action("square2", "fit"))]["style"] == {"display": "none"}
    assert "style" not in found[dom_id(ids.action("square2", "best"))]
    assert all(
        p.get("style") == {"display": "none"}
        for k, p in found.items()
        if p["id"].get("type") == ids.HINT
    )
    assert all(
        p.get("style") == {"display": "none"}
        for p in found.values()
        if p["id"].get("type") == ids.ACT_GROUP
    )
    for field in ("target", "formula", "a", "b", "goal"):
        assert found[dom_id(ids.target("square2", field))]["disabled"] is True, field
    assert found[dom_id(ids.target("square2", "goal"))]["value"] == 0.5
    saved = out[ids.SAVED]["data"]
    options = saved["_options"]["square2"]
    assert sorted(options["hide"]) == ["act_params", "fit", "hints", "w3"]
    assert options["lock"] is True


def test_encode_then_open_gives_the_state_back(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    """LINKS.encode's link, opened through the endpoint, sets exactly the encoded values."""
    state = LINKS.default_state("sin3")
    values = {n: round(v * 1.5 - 0.25, 6) for n, v in state.values.items()}
    state = ViewState(
        activation="tanh",
        values=values,
        params={},
        problem=state.problem,
        lang="en",
    )
    _, out = open_link(client, dependencies, "?" + LINKS.encode("sin3", state))
    found = by_id(out)
    for name, value in values.items():
        assert found[dom_id(ids.param("sin3", name))]["value"] == value
    assert found[dom_id(ids.activation("sin3"))]["value"] == "tanh"


@pytest.mark.parametrize("tab", ["square2", "builder"])
def test_check_box_labels_follow_the_language_and_stay_locked(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str
) -> None:
    """The target controls' check boxes carry their labels as plain text: the language switch
    rewrites them, and keeps a box a link locked disabled."""
    beyond, stack = ids.target(tab, "beyond"), ids.target(tab, "stack")
    (dep,) = [
        d
        for d in dependencies
        if d["output"] == f"..{dom_id(beyond)}.options...{dom_id(stack)}.options.."
    ]
    locked = [{"label": "Show beyond [a, b]", "value": "on", "disabled": True}]
    body = {
        "output": dep["output"],
        "outputs": [{"id": beyond, "property": "options"}, {"id": stack, "property": "options"}],
        "inputs": [{"id": ids.LANG, "property": "value", "value": "ru"}],
        "changedPropIds": [f"{ids.LANG}.value"],
        "state": [
            {"id": beyond, "property": "options", "value": locked},
            {"id": stack, "property": "options", "value": [{"label": "x", "value": "on"}]},
        ],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    out = response.get_json()["response"]
    assert out[dom_id(beyond)]["options"] == [
        {"label": t("ru", "target.beyond"), "value": "on", "disabled": True}
    ]
    assert out[dom_id(stack)]["options"] == [{"label": t("ru", "target.stack"), "value": "on"}]
