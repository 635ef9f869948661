"""Preset tables in and out of every tab, and export as code, through Dash's HTTP endpoint.

Each test drives a :class:`Page`: the page's layout plus the open tab's body, as the server
renders them, into which every answer is written back as the browser would (the preset table
is read from the attribute assets/presets.js draws it from; a click on its Apply is the tab's
``pick`` store set, as that script does). Bodies are built from the app's own
``/_dash-dependencies`` in the shape the renderer posts (outputs with ``allow_duplicate`` sent
as ``property@hash``; states without ``value`` when null), so they also pass the app's check
of callback bodies.
"""

from __future__ import annotations

import ast
import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.i18n import t
from dashboard.model import ACTIVATIONS, get_activation
from dashboard.presets import (
    Preset,
    PresetError,
    load,
    param_names,
    parse_upload,
    table_csv,
    to_csv,
)
from dashboard.sections import NEURON_GRID, NEURON_PARAMS, SPECS_BY_KEY
from dashboard.views import builder, classroom, shell
from tests.support.dash import (
    components,
    dom_id,
    matches,
    need,
    parse_id,
    request_outputs,
    split_outputs,
    tab_layout,
)

CORPUS = Path(__file__).resolve().parent / "data" / "presets"
TABS = ("neuron", "square2", "sin3", "deep")
ENDPOINT = "/_dash-update-component"


def data_url(data: bytes | str, mime: str = "text/csv") -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")


class Page:
    """The page as the browser holds it: the layout, the open tab, and what callbacks wrote."""

    def __init__(
        self, client: FlaskClient, dependencies: list[dict[str, Any]], tab: str, lang: str = "en"
    ) -> None:
        self.client, self.dependencies, self.tab = client, dependencies, tab
        page = client.get("/_dash-layout").get_json()
        self.tree = [page, tab_layout(client, tab, lang)]
        self.set(ids.LANG, "value", lang)

    def props(self) -> list[dict[str, Any]]:
        return list(components(self.tree))

    def find(self, cid: Any) -> dict[str, Any]:
        (found,) = [p for p in self.props() if p["id"] == cid]
        return found

    def get(self, cid: Any, prop: str) -> Any:
        return self.find(cid).get(prop)

    def set(self, cid: Any, prop: str, value: Any) -> None:
        self.find(cid)[prop] = value

    def dependency(self, output: Any, prop: str, trigger: Any) -> dict[str, Any]:
        """The callback whose first output is ``output``'s ``prop`` (with or without @hash)
        and which ``trigger`` (an id) is an input of."""
        found = []
        for dep in self.dependencies:
            (first, first_prop), *_ = split_outputs(dep["output"])
            inputs = [parse_id(i["id"]) for i in dep["inputs"]]
            if (
                first == output
                and first_prop.split("@")[0] == prop
                and any(matches(i, trigger) for i in inputs)
            ):
                found.append(dep)
        (dep,) = found
        return dep

    def body(self, dep: dict[str, Any], changed: list[tuple[Any, str]]) -> dict[str, Any]:
        props = self.props()

        def items(spec: Mapping[str, str], is_input: bool) -> Any:
            pattern, prop = parse_id(spec["id"]), spec["property"]
            found = [p for p in props if matches(pattern, p["id"])]
            out = []
            for p in found:
                item = {"id": p["id"], "property": prop}
                if is_input or p.get(prop) is not None:
                    item["value"] = p.get(prop)
                out.append(item)
            if isinstance(pattern, dict) and ["ALL"] in pattern.values():
                return out
            (one,) = out
            return one

        outputs = request_outputs(dep, props)
        changed_ids = [f"{dom_id(cid)}.{prop}" for cid, prop in changed]
        return {
            "output": dep["output"],
            "outputs": outputs
            if len(outputs) > 1 or dep["output"].startswith("..")
            else outputs[0],
            "inputs": [items(s, True) for s in dep["inputs"]],
            "changedPropIds": changed_ids,
            "parsedChangedPropsIds": [cid for cid, _ in changed],
            "state": [items(s, False) for s in dep["state"]],
        }

    def fire(self, output: Any, prop: str, changed: list[tuple[Any, str]]) -> dict[str, Any]:
        """Post the callback of ``output``.``prop``, triggered by ``changed``; write its answer
        into the page and return it by DOM id (``{}`` for no update)."""
        body = self.body(self.dependency(output, prop, changed[0][0]), changed)
        response = self.client.post(ENDPOINT, json=body)
        if response.status_code == 204:
            return {}
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        answer = response.get_json()["response"]
        by_dom = {dom_id(p["id"]): p for p in self.props()}
        for target, values in answer.items():
            for key, value in values.items():
                by_dom[target][key.split("@")[0]] = value
        return answer

    # --- what a student does ----------------------------------------------------------------

    def click(self, what: str, output: Any, prop: str) -> dict[str, Any]:
        button = ids.action(self.tab, what)
        self.set(button, "n_clicks", (self.get(button, "n_clicks") or 0) + 1)
        return self.fire(output, prop, [(button, "n_clicks")])

    def upload(self, contents: str, filename: str) -> dict[str, Any]:
        cid = ids.upload(self.tab)
        self.set(cid, "contents", contents)
        self.set(cid, "filename", filename)
        answer = self.fire(ids.store(self.tab, "presets"), "data", [(cid, "contents")])
        self.show_table()
        self.show_notice()
        return answer

    def show_table(self) -> None:
        self.fire(
            ids.part(self.tab, "presets"),
            classroom.TABLE,
            [(ids.store(self.tab, "presets"), "data")],
        )

    def show_notice(self) -> list[str]:
        answer = self.fire(
            ids.report(self.tab, "upload"), "children", [(ids.result(self.tab, "upload"), "data")]
        )
        children = answer.get(dom_id(ids.report(self.tab, "upload")), {}).get("children") or []
        return [c["props"]["children"] for c in children]

    def switch_language(self, lang: str) -> list[str]:
        self.set(ids.LANG, "value", lang)
        self.show_table()
        return self.show_notice()

    def apply(self, row: int) -> dict[str, Any]:
        """A click on the row's Apply button, as assets/presets.js reports it."""
        picked = self.get(ids.pick(self.tab), "data") or {"n": 0}
        self.set(ids.pick(self.tab), "data", {"row": row, "n": picked["n"] + 1})
        return self.fire(ids.param(self.tab, ["ALL"]), "value", [(ids.pick(self.tab), "data")])

    def download(self, what: str) -> dict[str, Any] | None:
        answer = self.click(what, ids.download(self.tab, "csv"), "data")
        return answer.get(dom_id(ids.download(self.tab, "csv")), {}).get("data")

    def open_code(self) -> dict[str, Any]:
        """A click on the "Code" section's summary (it opens or closes the section)."""
        summary = ids.text("classroom.code", self.tab)
        self.set(summary, "n_clicks", (self.get(summary, "n_clicks") or 0) + 1)
        return self.fire(ids.part(self.tab, "export"), "children", [(summary, "n_clicks")])

    def code(self, what: str = "code") -> dict[str, Any]:
        if not self.get(ids.part(self.tab, "export"), "children"):
            self.open_code()
        return self.click(what, ids.part(self.tab, "code"), "children")

    # --- what the page shows ----------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            p["id"]["name"]: p.get("value")
            for p in self.props()
            if isinstance(p["id"], dict)
            and p["id"].get("type") == ids.PARAM
            and p["id"].get("tab") == self.tab
        }

    def act_values(self) -> dict[tuple[str, str], Any]:
        return {
            (p["id"]["act"], p["id"]["name"]): p.get("value")
            for p in self.props()
            if isinstance(p["id"], dict)
            and p["id"].get("type") == ids.ACT_PARAM
            and p["id"].get("tab") == self.tab
        }

    def activation(self) -> Any:
        return self.get(ids.activation(self.tab), "value")

    def store(self) -> Any:
        return self.get(ids.store(self.tab, "presets"), "data")

    def table(self) -> dict[str, Any]:
        """The table assets/presets.js draws, from its holder's attribute."""
        return json.loads(self.get(ids.part(self.tab, "presets"), classroom.TABLE))

    def rows(self) -> list[int]:
        """The rows with an Apply button, each with its button's DOM id checked."""
        rows = self.table().get("rows", [])
        for row in rows:
            assert row["id"] == dom_id(ids.preset(self.tab, row["row"]))
        return [row["row"] for row in rows]

    def table_text(self) -> str:
        return json.dumps(self.table(), ensure_ascii=False)

    def snapshot(self) -> tuple[Any, ...]:
        """Everything a failed upload must leave alone."""
        return (
            json.dumps(self.store(), sort_keys=True),
            self.table_text(),
            self.rows(),
            self.values(),
            self.activation(),
            self.act_values(),
        )


def sample_presets(tab: str) -> list[Preset]:
    """Two named presets of the tab, one with an activation parameter, far off the defaults."""
    names = param_names(tab)
    rng = np.random.default_rng(len(names))
    first = {n: round(float(rng.uniform(-40, 40)), 3) for n in names}
    second = {n: float(v) for n, v in zip(names, rng.normal(0, 1e3, len(names)), strict=True)}
    return [
        Preset("tanh", first, "Lesson 1: wide"),
        Preset("leaky_relu", second, "Урок 2", {"slope": 0.25}),
    ]


# --- the groups on the page -------------------------------------------------------------------


def marked(layout: Any) -> list[str]:
    """The data-control marks of a serialised layout, in page order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "data-control" in props:
                found.append(props["data-control"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    return found


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_with_parameters_has_the_four_marked_groups(
    client: FlaskClient, tab: str
) -> None:
    layout = tab_layout(client, tab)
    for group in classroom.GROUPS:
        assert marked(layout).count(group) == 1, group
    props = {dom_id(p["id"]): p for p in components(layout)}
    upload = props[dom_id(ids.upload(tab))]
    assert upload["max_size"] == classroom.UPLOAD_MAX_SIZE
    assert 1_000_000 < upload["max_size"] * 4 / 3 + 10_000 < 2 * 1024 * 1024
    store = props[dom_id(ids.store(tab, "presets"))]
    assert store["data"] == classroom.records(load(tab))
    table = json.loads(props[dom_id(ids.part(tab, "presets"))][classroom.TABLE])
    assert [row["row"] for row in table["rows"]] == list(range(len(load(tab))))
    assert props[dom_id(ids.pick(tab))]["data"] is None


def test_builder_has_the_code_section_and_its_own_exercises(client: FlaskClient) -> None:
    """No upload or download of parameter tables on the builder (its shape varies); its
    "presets" group is the table of shipped exercises."""
    shown = [m for m in marked(tab_layout(client, "builder")) if m in classroom.GROUPS]
    assert shown == ["presets", "export"]
    props = list(components(tab_layout(client, "builder")))
    assert not [p for p in props if p["id"] == ids.upload("builder")]


def test_the_store_is_kept_by_the_shell_snapshot() -> None:
    """The shell keeps every ``store`` pattern's data: an uploaded table survives a switch."""
    assert (ids.store(["ALL"], ["ALL"])["type"], ("data",)) in [
        (pattern["type"], props) for pattern, props in shell.KEPT
    ]
    from dashboard.views import approx

    spec = SPECS_BY_KEY["sin3"]
    uploaded = classroom.records(sample_presets("sin3"))
    body = approx.layout(spec, load("sin3"), "en")
    kept = {dom_id(ids.store("sin3", "presets")): {"data": uploaded}}
    restored = shell.restore(body, kept)
    (store,) = [
        c for c in restored._traverse() if getattr(c, "id", None) == ids.store("sin3", "presets")
    ]
    assert store.data == uploaded


# --- upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", TABS)
def test_a_good_upload_replaces_the_table_and_applies_in_one_click(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str
) -> None:
    page = Page(client, dependencies, tab)
    names = param_names(tab)
    presets = sample_presets(tab)
    header, *rows = table_csv(presets, names).splitlines()
    text = "\r\n".join([header + ",ignored", *(row + ",x" for row in rows)]) + "\r\n"
    answer = page.upload(data_url(text), f"C:\\class\\{tab}.csv")
    assert answer[dom_id(ids.upload(tab))] == {"contents": None}  # the same file may come again
    assert page.store() == classroom.records(presets)
    assert page.rows() == [0, 1]
    shown = page.table_text()
    assert "Lesson 1: wide" in shown and "Урок 2" in shown
    assert "Leaky ReLU (a = 0.25)" in shown
    notice = page.show_notice()
    assert notice == [
        f"{tab}.csv: 2 presets loaded; the table above now shows them.",
        f"{tab}.csv: column ignored is not used on this tab and was ignored.",
    ]
    in_russian = page.switch_language("ru")[0]
    assert in_russian == f"{tab}.csv: загружено 2 набора — таблица выше обновлена."
    assert "Урок 2" in page.table_text() and "Применить" in page.table_text()

    page.apply(1)
    assert page.values() == presets[1].values
    assert page.activation() == "leaky_relu"
    assert page.act_values()[("leaky_relu", "slope")] == 0.25
    assert page.act_values()[("elu", "alpha")] == 1.0  # other activations' controls untouched
    for name, value in presets[1].values.items():  # ranges widened to hold the values
        p = page.find(ids.param(tab, name))
        assert p["min"] <= value <= p["max"]
    page.apply(0)
    assert page.values() == presets[0].values
    assert page.activation() == "tanh"

    page.click("restore", ids.store(tab, "presets"), "data")
    page.show_table()
    assert page.store() == classroom.records(load(tab))
    assert page.rows() == list(range(len(load(tab))))


def test_an_uploaded_table_with_defaults_resets_the_activation_parameter(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client, dependencies, "neuron")
    page.set(ids.act_param("neuron", "elu", "alpha"), "value", 2.5)
    page.upload(data_url("activation,w,b\nelu,3,-1\n"), "elu.csv")
    page.apply(0)
    assert (page.values(), page.activation()) == ({"w": 3.0, "b": -1.0}, "elu")
    assert page.act_values()[("elu", "alpha")] == 1.0  # the row leaves α empty: its default


def corrupt(tab: str, how: str) -> tuple[str, str, int | None, str | None]:
    """A bad table for ``tab`` made from its shipped one: text, file name, expected row (as a
    spreadsheet shows it) and column."""
    names = param_names(tab)
    lines = table_csv(load(tab), names).splitlines()
    header = lines[0].split(",")
    if how == "nan":
        cells = lines[2].split(",")
        j = header.index(names[-1])
        cells[j] = "NaN"
        lines[2] = ",".join(cells)
        return "\n".join(lines) + "\n", f"{tab}_nan.csv", 3, names[-1]
    if how == "activation":
        cells = lines[1].split(",")
        cells[header.index("activation")] = "swishy"
        lines[1] = ",".join(cells)
        return "\n".join(lines) + "\n", f"{tab}_act.csv", 2, "activation"
    if how == "missing":
        j = header.index(names[0])
        lines = [",".join(c for k, c in enumerate(line.split(",")) if k != j) for line in lines]
        return "\n".join(lines) + "\n", f"{tab}_missing.csv", None, None
    raise ValueError(how)


CORPUS_BAD = (
    "bad_latin1.csv",
    "bad_xlsx_renamed.csv",
    "bad_ragged_row.csv",
    "bad_too_many_rows.csv",
)
"""Files of the corpus that are refused the same way on any tab."""


def bad_files(tab: str) -> list[tuple[str, bytes, int | None, str | None]]:
    made = [corrupt(tab, how) for how in ("nan", "activation", "missing")]
    out = [(name, text.encode("utf-8"), row, column) for text, name, row, column in made]
    rows = {"bad_latin1.csv": 3, "bad_ragged_row.csv": 2}
    out += [(name, (CORPUS / name).read_bytes(), rows.get(name), None) for name in CORPUS_BAD]
    if tab == "square2":  # the corpus files written for this tab
        out += [
            ("bad_nan.csv", (CORPUS / "bad_nan.csv").read_bytes(), 3, "b3"),
            (
                "bad_param_out_of_range.csv",
                (CORPUS / "bad_param_out_of_range.csv").read_bytes(),
                2,
                "alpha",
            ),
            (
                "bad_unknown_activation.csv",
                (CORPUS / "bad_unknown_activation.csv").read_bytes(),
                4,
                "activation",
            ),
        ]
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("tab", TABS)
def test_a_bad_upload_changes_nothing_and_says_where(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str, lang: str
) -> None:
    page = Page(client, dependencies, tab, lang)
    page.set(ids.param(tab, param_names(tab)[0]), "value", 1.5)  # a student's own value
    before = page.snapshot()
    row_word = {"en": "row", "ru": "строка"}[lang]
    for name, data, row, column in bad_files(tab):
        answer = page.upload(data_url(data), name)
        assert dom_id(ids.store(tab, "presets")) not in answer, name
        assert page.snapshot() == before, name
        with pytest.raises(PresetError) as refused:
            parse_upload(data, name, param_names(tab))
        notice = page.show_notice()
        assert notice == [refused.value.render(lang)], name
        (message,) = notice
        assert message.startswith(name), message
        if row is not None:
            assert f"{row_word} {row}" in message, message
        if column is not None:
            assert f"{column} (" in message, message
        # The message follows the language switch; still nothing else changes.
        other = "ru" if lang == "en" else "en"
        assert page.switch_language(other) == [refused.value.render(other)]
        page.switch_language(lang)
        assert page.snapshot() == before, name


def test_a_bad_upload_after_a_good_one_keeps_the_uploaded_table(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client, dependencies, "sin3")
    page.upload(data_url(table_csv(sample_presets("sin3"), param_names("sin3"))), "mine.csv")
    before = page.snapshot()
    page.upload(data_url(b"PK\x03\x04 not a table"), "book.xlsx")
    assert page.snapshot() == before
    assert "mine.csv" not in page.show_notice()[0]


def test_forged_store_records_are_skipped_and_never_applied(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client, dependencies, "neuron")
    good = {"name": "", "activation": "relu", "values": {"w": 2, "b": 1}, "params": {}}
    forged = [
        {"activation": "relu", "values": {"w": float("inf"), "b": 0}},
        {"activation": "eval", "values": {"w": 1, "b": 0}},
        {"activation": "relu", "values": {"w": 1e7, "b": 0}},
        {"activation": "relu", "values": {"w": 1, "b": 0, "x": 3}},
        {"activation": "elu", "values": {"w": 1, "b": 0}, "params": {"alpha": 99}},
        {"activation": "relu", "values": {"w": True, "b": 0}},
        "relu,1,0",
        good,
    ]
    page.set(ids.store("neuron", "presets"), "data", forged)
    page.show_table()
    assert page.rows() == [len(forged) - 1]
    before = page.snapshot()
    for row in range(len(forged) - 1):
        assert classroom.preset_of(forged[row], ("w", "b")) is None, forged[row]
        # A forged click on a row the table does not show: a button the page never had.
        assert page.apply(row) == {}
    # Clicks no Apply button of the page sends: not a row, out of range, not a number.
    pick = ids.pick("neuron")
    for picked in ("0", [0], {"row": True}, {"row": "7"}, {"row": -1}, {"row": 99}, {}):
        page.set(pick, "data", picked)
        assert page.fire(ids.param("neuron", ["ALL"]), "value", [(pick, "data")]) == {}
    assert page.snapshot() == before
    page.apply(len(forged) - 1)
    assert page.values() == {"w": 2, "b": 1} and page.activation() == "relu"


# --- download and round trip -------------------------------------------------------------------


def odd_values(tab: str, seed: int) -> dict[str, float]:
    """Values no slider step reaches, with digits a careless writer would lose."""
    rng = np.random.default_rng(seed)
    out = {}
    for i, name in enumerate(param_names(tab)):
        kind = i % 4
        if kind == 0:
            out[name] = 0.1 + 0.2  # 0.30000000000000004
        elif kind == 1:
            out[name] = float(rng.normal(0, 1) / 3)
        elif kind == 2:
            out[name] = -float(rng.uniform(1, 9e5))
        else:
            out[name] = float(rng.uniform(-1, 1) * 1e-7)
    return out


@pytest.mark.parametrize(
    ("key", "params"),
    [("sigmoid", {}), ("elu", {"alpha": 2.3}), ("hard_tanh", {"min_val": -0.7, "max_val": 1.9})],
)
@pytest.mark.parametrize("tab", TABS)
def test_download_upload_apply_round_trip_is_exact(
    client: FlaskClient,
    dependencies: list[dict[str, Any]],
    tab: str,
    key: str,
    params: dict[str, float],
) -> None:
    page = Page(client, dependencies, tab)
    values = odd_values(tab, len(key))
    for name, value in values.items():
        page.set(ids.param(tab, name), "value", value)
    page.set(ids.activation(tab), "value", key)
    for name, value in params.items():
        page.set(ids.act_param(tab, key, name), "value", value)
    sent = page.download("download_params")
    assert sent is not None and sent["filename"] == f"activation-playground-{tab}-parameters.csv"
    assert sent["content"] == to_csv(param_names(tab), key, values, params)

    # Another student, on a fresh page, uploads the file and applies its one row.
    other = Page(client, dependencies, tab)
    other.upload(data_url(sent["content"]), sent["filename"])
    assert other.rows() == [0]
    other.apply(0)
    assert other.values() == values  # to the last bit
    assert other.activation() == key
    expected = {**ACTIVATIONS[key].params, **params}
    assert {n: v for (a, n), v in other.act_values().items() if a == key} == expected

    # The whole table goes out and back unchanged too.
    table = other.download("download_table")
    assert table is not None and table["filename"] == f"activation-playground-{tab}-presets.csv"
    third = Page(client, dependencies, tab)
    third.upload(data_url(table["content"]), table["filename"])
    assert third.store() == other.store()


@pytest.mark.parametrize("tab", TABS)
def test_the_shipped_table_downloads_as_it_uploads(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str
) -> None:
    page = Page(client, dependencies, tab)
    sent = page.download("download_table")
    assert sent is not None
    presets, _ = parse_upload(data_url(sent["content"]), sent["filename"], param_names(tab))
    assert presets == load(tab)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_downloading_a_bad_value_says_which_and_sends_nothing(
    client: FlaskClient, dependencies: list[dict[str, Any]], lang: str
) -> None:
    page = Page(client, dependencies, "square2", lang)
    page.set(ids.param("square2", "w3"), "value", None)
    answer = page.click("download_params", ids.download("square2", "csv"), "data")
    assert dom_id(ids.download("square2", "csv")) not in answer
    report = answer[dom_id(ids.report("square2", "download"))]["children"]
    assert report == t(lang, "msg.not_number", name="w3")


# --- export as code -----------------------------------------------------------------------------


def written_numbers(code: str) -> set[float]:
    tree = ast.parse(code)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            out.add(node.value)
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
        ):
            out.add(-node.operand.value)
    return out


def code_texts(answer: dict[str, Any], tab: str) -> dict[str, str]:
    blocks = answer[dom_id(ids.part(tab, "code"))]["children"]
    out = {}
    for block in blocks:
        heading, pre = block["props"]["children"]
        out[heading["props"]["children"]] = pre["props"]["children"]["props"]["children"]
    return out


@pytest.mark.parametrize("tab", TABS)
def test_code_carries_the_current_weights(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str
) -> None:
    page = Page(client, dependencies, tab, "ru")
    values = odd_values(tab, 7)
    for name, value in values.items():
        page.set(ids.param(tab, name), "value", value)
    page.set(ids.activation(tab), "value", "leaky_relu")
    page.set(ids.act_param(tab, "leaky_relu", "slope"), "value", 0.3)
    codes = code_texts(page.code(), tab)
    assert set(codes) == {"PyTorch", "Keras 3"}
    for code in codes.values():
        assert set(values.values()) | {0.3} <= written_numbers(code)
        assert any("а" <= c <= "я" for c in code)  # comments in the page's language
    assert "nn.LeakyReLU(negative_slope=0.3)" in codes["PyTorch"]
    assert "layers.LeakyReLU(negative_slope=0.3" in codes["Keras 3"]

    answer = page.code("keras")
    sent = answer[dom_id(ids.download(tab, "code"))]["data"]
    assert sent["filename"] == f"activation-playground-{tab}-keras.py"
    assert sent["content"] == codes["Keras 3"]


def test_code_of_a_bad_value_says_which(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client, dependencies, "deep")
    page.set(ids.param("deep", "w22"), "value", "lots")
    answer = page.code()
    assert dom_id(ids.part("deep", "code")) not in answer
    assert answer[dom_id(ids.report("deep", "export"))]["children"] == t(
        "en", "msg.not_number", name="w22"
    )


@pytest.mark.parametrize("tab", [*TABS, "builder"])
def test_the_code_section_is_filled_when_first_opened_in_the_pages_language(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str
) -> None:
    page = Page(client, dependencies, tab, "ru")
    assert not page.get(ids.part(tab, "export"), "children")
    assert not [p for p in page.props() if p["id"] == ids.action(tab, "code")]
    answer = page.open_code()
    shown = json.dumps(answer[dom_id(ids.part(tab, "export"))]["children"], ensure_ascii=False)
    assert t("ru", "classroom.show_code") in shown and t("ru", "classroom.code_hint") in shown
    assert page.get(ids.action(tab, "code"), "n_clicks") == 0
    assert page.open_code() == {}  # closed and opened again: the contents stay as they are


def test_builder_code_carries_its_network(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client, dependencies, "builder")
    values = page.values()
    state = builder.default_state()
    assert set(values) == set(builder.spec_of(state.arch).names)
    codes = code_texts(page.code(), "builder")
    for code in codes.values():
        assert {float(v) for v in values.values()} <= written_numbers(code)
        assert code.count("Tanh") + code.count('"tanh"') >= 1


def torch_output(torch: Any, code: str, x: np.ndarray) -> np.ndarray:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<snippet>", "exec"), namespace)
    model = namespace["model"]
    with torch.no_grad():
        return model(torch.tensor(x, dtype=torch.float64).reshape(-1, 1)).numpy().ravel()


@pytest.mark.parametrize("tab", TABS)
def test_the_pytorch_file_the_callback_sends_computes_our_network(
    client: FlaskClient, dependencies: list[dict[str, Any]], tab: str
) -> None:
    torch = need("torch")
    page = Page(client, dependencies, tab)
    preset = load(tab)[-1]
    for name, value in preset.values.items():
        page.set(ids.param(tab, name), "value", value)
    page.set(ids.activation(tab), "value", "elu")
    page.set(ids.act_param(tab, "elu", "alpha"), "value", 1.7)
    sent = page.code("torch")[dom_id(ids.download(tab, "code"))]["data"]
    assert sent["filename"].endswith("-torch.py")
    act = get_activation("elu")
    if tab == "neuron":
        x = NEURON_GRID.points()
        expected = act(x * preset.values["w"] + preset.values["b"], alpha=1.7)
    else:
        spec = SPECS_BY_KEY[tab]
        x = spec.grid.points()
        expected = spec.network(preset.values, act, {"alpha": 1.7}).forward(x).output
    got = torch_output(torch, sent["content"], x)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5 * max(1.0, np.abs(expected).max()))


def test_the_pytorch_file_of_the_builder_computes_its_network(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    torch = need("torch")
    page = Page(client, dependencies, "builder")
    values = {n: float(v) for n, v in page.values().items()}
    sent = page.code("torch")[dom_id(ids.download("builder", "code"))]["data"]
    spec = builder.spec_of(builder.default_state().arch)
    x = spec.grid.points()
    expected = spec.network(values, get_activation("linear")).forward(x).output
    np.testing.assert_allclose(torch_output(torch, sent["content"], x), expected, atol=1e-8)


# --- strings ------------------------------------------------------------------------------------


def test_every_string_in_both_languages() -> None:
    en = json.loads((Path(__file__).parents[1] / "dashboard/locales/en.classroom.json").read_text())
    ru = json.loads((Path(__file__).parents[1] / "dashboard/locales/ru.classroom.json").read_text())
    assert set(en) == set(ru)
    for key in en:
        assert en[key].strip() and ru[key].strip()
        assert set(_fields(en[key])) == set(_fields(ru[key])), key


def _fields(text: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def test_neuron_params_match_the_tables_columns() -> None:
    assert param_names("neuron") == tuple(p.name for p in NEURON_PARAMS)
