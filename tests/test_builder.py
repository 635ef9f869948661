"""The builder tab through Dash's HTTP endpoint: architecture, refusals, training frames, plot.

Bodies are built as the browser builds them, from the app's own ``/_dash-dependencies`` and the
tab's body as the tab bar renders it (``tab_layout``). What the server answers is compared
with ``model.train`` run in-process and with a forward pass written out here in NumPy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from dash import ALL
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.model.train import (
    MAX_TIME_BUDGET,
    Architecture,
    TrainConfig,
    TrainState,
    init_state,
    parameter_names,
    run,
)
from dashboard.views import approx, builder, feedback
from tests.support.dash import (
    apply_patch,
    components,
    decode,
    dom_id,
    parse_id,
    split_outputs,
    tab_layout,
    through_browser,
)

TAB = "builder"
X = np.linspace(-3.0, 3.0, 1000)
NONE = {"_dash_no_update": "_dash_no_update"}
"""Dash's no_update as JSON, inside a frame."""


class Page:
    """The props of every component on the page (header and builder tab), updated from the
    server's answers as the browser would update them."""

    def __init__(self, client: FlaskClient, lang: str = "en") -> None:
        self.client = client
        page = client.get("/_dash-layout").get_json()
        self.props = [p for p in components(page) if p["id"] != ids.CONTENT]
        self.body = tab_layout(client, TAB, lang)
        self.props += list(components(self.body))
        for p in self.props:
            if p["id"] == ids.LANG:
                p["value"] = lang

    def find(self, cid: Any) -> dict[str, Any]:
        (found,) = [p for p in self.props if p["id"] == cid]
        return found

    def matching(self, pattern: Any) -> list[dict[str, Any]]:
        return [p for p in self.props if _matches(pattern, p["id"])]

    def set(self, cid: Any, **props: Any) -> None:
        self.find(cid).update(props)

    def post(
        self, dependencies: list[dict[str, Any]], first_output: Any, changed: list[Any]
    ) -> dict[str, Any]:
        """Post the callback whose first output is ``first_output`` with the page's values,
        ``changed`` naming the (id, property) that triggered it; apply and return the answer."""
        single = f"{dom_id(first_output[0])}.{first_output[1]}"
        prefix = ".." + single
        (dep,) = [
            d
            for d in dependencies
            if d["output"] == single
            or (d["output"].startswith(prefix) and d["output"][len(prefix)] in ".@")
        ]

        def items(spec: Mapping[str, str], with_none: bool) -> Any:
            pattern, prop = parse_id(spec["id"]), spec["property"]
            found = self.matching(pattern)
            listed = []
            for p in found:
                item = {"id": p["id"], "property": prop}
                if with_none or p.get(prop) is not None:
                    item["value"] = p.get(prop)
                listed.append(item)
            if isinstance(pattern, dict) and ["ALL"] in pattern.values():
                return listed
            assert len(listed) == 1, spec["id"]
            return listed[0]

        outputs = []
        for pattern, full in split_outputs(dep["output"]):
            prop = full.split("@")[0]  # allow_duplicate's hash is not sent
            pattern_id = pattern
            if isinstance(pattern_id, dict) and ["ALL"] in pattern_id.values():
                found = self.matching(pattern_id)
                outputs.append([{"id": p["id"], "property": prop} for p in found])
            else:
                outputs.append({"id": pattern_id, "property": prop})
        names = [f"{dom_id(cid)}.{prop}" for cid, prop in changed]
        body = {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [items(s, True) for s in dep["inputs"]],
            "changedPropIds": names,
            "parsedChangedPropsIds": [cid for cid, _ in changed],
            "state": [items(s, False) for s in dep["state"]],
        }
        response = self.client.post("/_dash-update-component", json=body)
        if response.status_code == 204:
            return {}
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        answer = self._unframe(response.get_json()["response"])
        for key, props in answer.items():
            cid = parse_id(key)
            for prop, value in props.items():
                if prop == "children" and cid == ids.part(TAB, "sliders"):
                    self._replace_sliders(value)
                    continue
                target = self.find(cid)
                if isinstance(value, dict) and value.get("__dash_patch_update"):
                    target[prop] = apply_patch(target[prop], value)
                else:
                    target[prop] = through_browser(value)
        return answer

    def _unframe(self, answer: dict[str, Any]) -> dict[str, Any]:
        """A frame (of training or of the figure callback) as the browser's applying
        callback (``builder.APPLY_JS``) turns it into properties: each named output to its
        component, a pattern's list in the sliders' order; then the packed feedback's texts
        where assets/feedback.js writes them."""
        frames = [dom_id(ids.live(TAB, "frame")), dom_id(ids.live(TAB, "figframe"))]
        out = {k: v for k, v in answer.items() if k not in frames}
        for key in frames:
            if key not in answer:
                continue
            frame = answer[key]["data"]
            named = dict(frame["out"])
            if key == frames[0]:
                named["waiting"] = False
                if frame.get("batch"):
                    named.update(self._played(frame["batch"]))
            for name, value in named.items():
                cid, prop = builder.TRAIN_OUTPUTS[name]
                if isinstance(cid, dict) and ALL in cid.values():
                    found = self.matching({k: ["ALL"] if v is ALL else v for k, v in cid.items()})
                    for p, v in zip(found, value, strict=True):
                        if v != NONE:
                            out.setdefault(dom_id(p["id"]), {})[prop] = v
                elif value != NONE:
                    out.setdefault(dom_id(cid), {})[prop] = value
        for key, props in written_out(out).items():
            out.setdefault(key, {}).update(props)
        return out

    def _played(self, batch: dict[str, Any]) -> dict[str, Any]:
        """A batch as the browser ends up after showing every frame (assets/playback.js) and
        halting on the last (``playback.CONTROL_JS``), by the names of ``TRAIN_OUTPUTS``: the
        frames' Patch assignments drawn, the last frame's score, sliders, state, loss record
        and figure and training line; the drawn record cleared; "playing" cleared where
        training stopped."""
        for frame in batch["frames"]:
            for cid, ops in ((ids.graph(TAB), frame["plot"]), (ids.diagram(TAB), frame["diagram"])):
                target = self.find(cid)
                if not isinstance(target.get("figure"), dict):
                    continue  # not drawn yet: the batch's answer draws it whole
                operations = [
                    {"operation": "Assign", "location": loc, "params": {"value": v}}
                    for loc, v in ops or []
                ]
                target["figure"] = apply_patch(
                    target["figure"],
                    {"__dash_patch_update": "__dash_patch_update", "operations": operations},
                )
        last = batch["frames"][-1]
        loss = batch["loss"]
        figure = self.find(ids.loss_graph(TAB))["figure"]
        figure["data"][0] = {**figure["data"][0], "x": loss["step"], "y": loss["loss"]}
        ranges = last["ranges"] or {}
        named = {
            "values": last["values"],
            **{k: [NONE if v is None else v for v in ranges[k]] for k in ranges},
            "state": last["state"],
            "loss": loss,
            "loss_figure": figure,
            "report": last["report"],
            "report_class": last["report_class"],
            "feedback": last["feedback"],
            "drawn": None,
        }
        if last.get("stop"):
            named["playing"] = False
        return named

    def _replace_sliders(self, children: Any) -> None:
        kinds = (ids.PARAM, ids.BOX, ids.HINT, "unit_group")
        self.props = [
            p
            for p in self.props
            if not (isinstance(p["id"], dict) and p["id"].get("type") in kinds)
        ]
        self.props += list(components(through_browser(children)))

    # --- what the tab shows

    def values(self) -> dict[str, float]:
        return {p["id"]["name"]: p["value"] for p in self.matching(ids.param(TAB, ["ALL"]))}

    def state(self) -> TrainState:
        return TrainState.from_dict(self.find(ids.store(TAB, "train"))["data"])

    def draw(self, dependencies: list[dict[str, Any]]) -> dict[str, Any]:
        """Run the figure callback as the browser does after the sliders changed."""
        sliders = self.matching(ids.param(TAB, ["ALL"]))
        self.post(dependencies, (ids.live(TAB, "figframe"), "data"), [(sliders[0]["id"], "value")])
        return self.find(ids.graph(TAB))["figure"]


def written_out(answer: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What the packed feedback in ``answer`` (if any) writes on the page, as properties, the
    way assets/feedback.js writes it: the status line, the score and goal (its class too) and
    the hint of each slider named; a part left out, or not a text, is left as it is."""
    packed = answer.get(dom_id(ids.feedback(TAB)), {}).get(feedback.ATTRIBUTE)
    if not isinstance(packed, str):
        return {}
    parts = json.loads(packed)
    places = [
        (ids.status(TAB), "children", parts.get("status")),
        (ids.score(TAB), "children", parts.get("score")),
        (ids.goal(TAB), "children", parts.get("goal")),
        (ids.goal(TAB), "className", parts.get("goalClass")),
        *((ids.hint(TAB, n), "children", h) for n, h in parts.get("hints", {}).items()),
    ]
    out: dict[str, dict[str, Any]] = {}
    for cid, prop, text in places:
        if isinstance(text, str):
            out.setdefault(dom_id(cid), {})[prop] = text
    return out


def _matches(pattern: Any, cid: Any) -> bool:
    if isinstance(pattern, str) or isinstance(cid, str):
        return pattern == cid
    if set(pattern) != set(cid):
        return False
    return all(v == ["ALL"] or cid[k] == v for k, v in pattern.items())


def rebuild(page: Page, dependencies: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """Set architecture controls (layers=, units=[...], activations=[...], seed=) and post."""
    changed = []
    if "layers" in changes:
        page.set(ids.control(TAB, "layers"), value=changes["layers"])
        changed.append((ids.control(TAB, "layers"), "value"))
    for k, units in enumerate(changes.get("units", []), start=1):
        page.set(ids.layer_control(TAB, "units", k), value=units)
        changed.append((ids.layer_control(TAB, "units", k), "value"))
    for k, act in enumerate(changes.get("activations", []), start=1):
        page.set(ids.layer_control(TAB, "activation", k), value=act)
        changed.append((ids.layer_control(TAB, "activation", k), "value"))
    if "seed" in changes:
        page.set(ids.control(TAB, "seed"), value=changes["seed"])
        changed.append((ids.control(TAB, "seed"), "value"))
    return page.post(dependencies, (ids.part(TAB, "sliders"), "children"), changed)


def step(page: Page, dependencies: list[dict[str, Any]], one: bool = False) -> dict[str, Any]:
    """One step, or (``one`` false) a batch of frames played to its end and halted there, as
    the browser asks for them (``playback.CONTROL_JS``: the "ask" store) and shows them."""
    ask = page.find(ids.live(TAB, "ask"))
    n = ((ask.get("data") or {}).get("n") or 0) + 1
    ask["data"] = {"kind": "step", "gen": 1, "n": n} if one else {"kind": "batch", "gen": 1, "n": n}
    trigger = (ids.live(TAB, "ask"), "data")
    return page.post(dependencies, (ids.live(TAB, "frame"), "data"), [trigger])


# --- the tab and its architecture ---------------------------------------------------------------


def test_the_default_tab_holds_the_default_network(client: FlaskClient) -> None:
    page = Page(client)
    state = page.state()
    assert state.arch == Architecture((4,), ("tanh",))
    assert state.to_dict() == init_state(state.arch, builder.DEFAULT_CONFIG, 0, (-3, 3)).to_dict()
    values = page.values()
    assert list(values) == [  # grouped per unit: the weights into it, then its bias
        *(n for j in range(1, 5) for n in (f"w1_1_{j}", f"b1_{j}")),
        *(f"w2_{i}_1" for i in range(1, 5)),
        "b2_1",
    ]
    assert set(values) == set(parameter_names((4,)))
    assert [values[n] for n in parameter_names((4,))] == state.theta.tolist()
    assert len(page.matching(ids.box(TAB, ["ALL"]))) == len(values)
    assert len(page.matching(ids.hint(TAB, ["ALL"]))) == len(values)


def test_a_new_architecture_renders_its_sliders_and_a_seeded_start(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    answer = rebuild(
        page, dependencies, layers=2, units=[3, 2], activations=["tanh", "relu"], seed=7
    )
    arch = Architecture((3, 2), ("tanh", "relu"))
    assert page.find(ids.store(TAB, "arch"))["data"] == {
        "widths": [3, 2],
        "activations": ["tanh", "relu"],
    }
    expected = init_state(arch, builder.DEFAULT_CONFIG, 7, (-3.0, 3.0))
    assert page.state().to_dict() == expected.to_dict()
    values = page.values()
    assert set(values) == set(parameter_names((3, 2))) and len(values) == 6 + 8 + 3
    assert [values[n] for n in parameter_names((3, 2))] == expected.theta.tolist()
    groups = page.matching({"type": "unit_group", "tab": TAB, "layer": ["ALL"], "unit": ["ALL"]})
    assert [(g["id"]["layer"], g["id"]["unit"]) for g in groups] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1)
    ]  # fmt: skip
    hidden = [p["hidden"] for p in page.matching(ids.layer_row(TAB, ["ALL"]))]
    assert hidden == [False, False, True, True]
    assert answer[dom_id(ids.report(TAB, "arch"))]["children"] == ""
    # The same seed gives the same start; another seed another one.
    rebuild(page, dependencies, seed=8)
    assert page.state().theta.tolist() != expected.theta.tolist()
    rebuild(page, dependencies, seed=7)
    assert page.state().to_dict() == expected.to_dict()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"units": [9]}, "Layer 1: “9” is not allowed, a layer holds 1 to 8 units"),
        ({"units": [0]}, "Layer 1: “0” is not allowed, a layer holds 1 to 8 units"),
        ({"units": [None]}, "Layer 1: type how many units it holds, a whole number from 1 to 8"),
        ({"units": [2.5]}, "Layer 1: “2.5” is not allowed"),
        ({"layers": 5}, "“5” is not allowed: a network here has 1 to 4 hidden layers"),
        ({"layers": 0}, "1 to 4 hidden layers"),
        ({"layers": 2.5}, "“2.5” is not allowed: a network here has 1 to 4 hidden layers"),
        ({"layers": None}, "Type how many hidden layers the network has: a whole number from 1"),
        ({"seed": -1}, "The seed must be a whole number from 0 to 2,147,483,647."),
    ],
)
def test_a_choice_beyond_the_limits_is_refused_and_changes_nothing(
    client: FlaskClient, dependencies: list[dict[str, Any]], change: dict, expected: str
) -> None:
    page = Page(client)
    before = page.state().to_dict()
    answer = rebuild(page, dependencies, **change)
    assert set(answer) == {dom_id(ids.report(TAB, "arch"))}, "only the message changes"
    assert expected in answer[dom_id(ids.report(TAB, "arch"))]["children"]
    assert page.state().to_dict() == before


def test_refusals_in_russian(client: FlaskClient, dependencies: list[dict[str, Any]]) -> None:
    page = Page(client, "ru")
    answer = rebuild(page, dependencies, units=[12])
    message = answer[dom_id(ids.report(TAB, "arch"))]["children"]
    assert message.startswith("Слой 1: «12» не подходит") and "от 1 до 8 нейронов" in message


# --- training frames ------------------------------------------------------------------------------


def square_data() -> tuple[np.ndarray, np.ndarray]:
    return X, X**2


def test_a_frame_advances_the_state_as_run_does(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    rebuild(page, dependencies, layers=2, units=[3, 3], activations=["tanh", "tanh"])
    start = page.state()
    answer = step(page, dependencies)
    after = page.state()
    taken = after.step - start.step
    assert 1 <= taken <= builder.TICK_STEPS
    # The same number of steps in-process, with time enough for all of them.
    x, t = square_data()
    expected, losses = run(start, x, t, taken, MAX_TIME_BUDGET)
    got = after.to_dict()
    assert got.pop("stop") in ("steps", "time")
    assert got == {k: v for k, v in expected.to_dict().items() if k != "stop"}
    # Every slider holds the new weights, exactly.
    values = page.values()
    assert [values[n] for n in parameter_names((3, 3))] == expected.theta.tolist()
    # The loss curve got each step's loss.
    loss = page.find(ids.store(TAB, "loss"))["data"]
    assert loss["step"] == list(range(1, taken + 1))
    np.testing.assert_allclose(loss["loss"], losses, rtol=1e-5)
    figure = page.find(ids.loss_graph(TAB))["figure"]
    assert figure["data"][0]["y"] == loss["loss"]
    assert "Step" in answer[dom_id(ids.report(TAB, "train"))]["children"]
    # A second frame continues from the first, as one call would.
    step(page, dependencies)
    again = page.state()
    more = again.step - after.step
    expected2, _ = run(expected, x, t, more, MAX_TIME_BUDGET)
    assert again.theta.tolist() == expected2.theta.tolist()


def test_one_step_and_a_hand_move_before_it(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    start = page.state()
    step(page, dependencies, one=True)
    x, t = square_data()
    expected, _ = run(start, x, t, 1, MAX_TIME_BUDGET)
    assert page.state().step == 1
    assert page.state().theta.tolist() == expected.theta.tolist()
    # Paused, the student moves a slider by hand: the next step starts from it.
    page.set(ids.param(TAB, "b2_1"), value=1.5)
    step(page, dependencies, one=True)
    theta = expected.theta.copy()
    theta[parameter_names((4,)).index("b2_1")] = 1.5
    by_hand, _ = run(expected.with_theta(theta), x, t, 1, MAX_TIME_BUDGET)
    assert page.state().to_dict() == by_hand.to_dict()


def test_settings_reach_the_optimiser_and_bad_ones_are_refused(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    start = page.state()
    page.set(ids.control(TAB, "lr"), value=0.005)
    page.set(ids.control(TAB, "optimizer"), value="sgd")
    page.set(ids.control(TAB, "batch"), value=16)
    step(page, dependencies, one=True)
    x, t = square_data()
    config = TrainConfig("sgd", 0.005, batch_size=16)
    expected, _ = run(start.with_config(config), x, t, 1, MAX_TIME_BUDGET)
    assert page.state().to_dict() == expected.to_dict()
    for lr, text in ((None, "is not a number"), (500, "at most 100"), (0, "above 0")):
        page.set(ids.control(TAB, "lr"), value=lr)
        answer = step(page, dependencies, one=True)
        assert text in answer[dom_id(ids.report(TAB, "lr"))]["children"], "said at its box"
        assert dom_id(ids.store(TAB, "train")) not in answer
        assert answer[dom_id(ids.live(TAB, "playing"))]["data"] is False


def check_lr(page: Page, dependencies: list[dict[str, Any]], lr: Any) -> dict[str, Any]:
    page.set(ids.control(TAB, "lr"), value=lr)
    lr_id = ids.control(TAB, "lr")
    page.post(dependencies, (ids.report(TAB, "lr"), "children"), [(lr_id, "value")])
    return {
        "message": page.find(ids.report(TAB, "lr")).get("children"),
        "class": page.find(lr_id).get("className"),
    }


@pytest.mark.parametrize(
    ("lr", "expected"),
    [(0, "above 0"), (-1, "above 0"), (1e9, "at most 100"), (None, "is not a number")],
)
def test_a_learning_rate_is_checked_as_it_is_typed(
    client: FlaskClient, dependencies: list[dict[str, Any]], lr: Any, expected: str
) -> None:
    page = Page(client)
    bad = check_lr(page, dependencies, lr)
    assert expected in bad["message"]
    assert bad["class"].split() == ["lr-box", "invalid"]
    good = check_lr(page, dependencies, 0.02)
    assert good == {"message": "", "class": "lr-box"}, "a valid value clears the message"


def test_reset_brings_back_the_seeds_start_and_a_fresh_status(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    start = page.state()
    step(page, dependencies)
    assert page.state().step > 0
    assert page.find(ids.report(TAB, "train"))["className"] == "status progress"
    button = page.find(ids.action(TAB, "reset"))
    button["n_clicks"] = 1
    page.post(
        dependencies, (ids.live(TAB, "frame"), "data"), [(ids.action(TAB, "reset"), "n_clicks")]
    )
    assert page.state().to_dict() == start.to_dict()
    values = page.values()
    assert [values[n] for n in parameter_names((4,))] == start.theta.tolist()
    assert page.find(ids.store(TAB, "loss"))["data"] == builder.empty_loss()
    status = page.find(ids.report(TAB, "train"))["children"]
    assert "Step" not in status and "seed 0" in status
    assert page.find(ids.live(TAB, "playing"))["data"] is False


def test_divergence_stops_playing_and_keeps_finite_weights(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    page.set(ids.control(TAB, "lr"), value=100)
    page.set(ids.control(TAB, "optimizer"), value="sgd")
    page.set(ids.live(TAB, "playing"), data=True)
    answer = step(page, dependencies)
    state = page.state()
    assert state.stop in ("nonfinite", "exploded")
    assert np.all(np.isfinite(state.theta))
    assert answer[dom_id(ids.live(TAB, "playing"))]["data"] is False
    assert "Training stopped at step" in answer[dom_id(ids.report(TAB, "train"))]["children"]


def test_the_loss_curve_stays_bounded() -> None:
    record = builder.empty_loss()
    first = 1
    for _ in range(30):
        record = builder.extend_loss(through_browser(record), first, [1.0] * 500)
        first += 500
    assert len(record["step"]) <= builder.LOSS_POINTS
    assert record["step"][0] % record["stride"] == 0 and record["step"][-1] > 14_000


def test_the_loss_curve_ends_at_the_last_step_taken() -> None:
    """Whatever the stride, the curve's last point is the frame's last step (the "Step N"
    line's N), and only that point may lie off the stride."""
    rng = np.random.default_rng(5)
    record, first = builder.empty_loss(), 1
    for _ in range(60):
        n = int(rng.integers(1, 700))
        losses = (1.0 + np.arange(n)).tolist()
        record = builder.extend_loss(through_browser(record), first, losses)
        first += n
        assert record["step"][-1] == first - 1
        assert record["loss"][-1] == losses[-1]
        assert all(s % record["stride"] == 0 for s in record["step"][:-1])
        assert len(record["step"]) <= builder.LOSS_POINTS
    assert record["stride"] > 1


# --- the plot and the diagram ---------------------------------------------------------------------


def forward(values: Mapping[str, float], widths: tuple[int, ...], acts: list[Any]) -> list:
    """Every layer's activations and the output, written out from the naming rule."""
    sizes = (1, *widths, 1)
    a = X.reshape(-1, 1)
    layers = []
    for layer in range(1, len(sizes)):
        w = np.array(
            [[values[f"w{layer}_{i}_{j}"] for j in range(1, sizes[layer] + 1)]
             for i in range(1, sizes[layer - 1] + 1)]
        )  # fmt: skip
        b = np.array([values[f"b{layer}_{j}"] for j in range(1, sizes[layer] + 1)])
        z = a @ w + b
        a = acts[layer - 1](z) if layer < len(sizes) - 1 else z
        layers.append(a)
    return layers


def test_the_figure_is_the_networks_forward_pass(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    rebuild(page, dependencies, layers=2, units=[3, 2], activations=["tanh", "relu"], seed=3)
    step(page, dependencies)  # trained weights, not only the start
    page.set(ids.param(TAB, "w1_1_2"), value=-1.7)  # and a hand-moved one
    figure = page.draw(dependencies)
    values = page.values()
    hidden1, hidden2, out = forward(values, (3, 2), [np.tanh, lambda z: np.maximum(z, 0.0), None])
    traces = {tr["uid"]: tr for tr in figure["data"]}
    np.testing.assert_allclose(decode(traces["output"]["y"]), out[:, 0], rtol=2e-6, atol=1e-5)
    np.testing.assert_array_equal(decode(traces["output"]["x"]), X)
    np.testing.assert_allclose(decode(traces["target"]["y"]), X**2, rtol=2e-6, atol=1e-6)
    for j in range(3):
        np.testing.assert_allclose(
            decode(traces[f"a1{j + 1}"]["y"]), hidden1[:, j], rtol=2e-6, atol=1e-6
        )
    for j in range(2):
        np.testing.assert_allclose(
            decode(traces[f"a2{j + 1}"]["y"]), hidden2[:, j], rtol=2e-6, atol=1e-5
        )
    assert figure["layout"]["title"]["text"] == "Your network: 3 TanH → 2 ReLU"
    rmse = float(np.sqrt(np.mean((out[:, 0] - X**2) ** 2)))
    score = page.find(ids.score(TAB))["children"]
    assert score.startswith(f"RMSE {float(f'{rmse:.3g}'):.3g}")
    # The diagram draws the same weights: edge j of layer 1 is w1_1_j.
    diagram = page.find(ids.diagram(TAB))["figure"]
    shapes = diagram["layout"]["shapes"]
    assert len(shapes) == 3 + 6 + 2
    assert shapes[1]["line"]["color"] == "#f59322"  # w1_1_2 = -1.7 < 0
    # A slider move after that is a Patch of the traces it moves, equal to a whole redraw.
    page.set(ids.param(TAB, "w3_2_1"), value=2.25)
    patched = page.draw(dependencies)
    values = page.values()
    out = forward(values, (3, 2), [np.tanh, lambda z: np.maximum(z, 0.0), None])[-1]
    traces = {tr["uid"]: tr for tr in patched["data"]}
    np.testing.assert_allclose(decode(traces["output"]["y"]), out[:, 0], rtol=2e-6, atol=1e-5)


def test_clicking_a_node_selects_its_unit(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    page.draw(dependencies)
    diagram = page.find(ids.diagram(TAB))
    diagram["clickData"] = {"points": [{"curveNumber": 1, "customdata": [1, 3]}]}
    answer = page.post(
        dependencies, (ids.store(TAB, "selected"), "data"), [(ids.diagram(TAB), "clickData")]
    )
    assert page.find(ids.store(TAB, "selected"))["data"] == [1, 3]
    opened = answer[dom_id(ids.unit_group(TAB, 1, 3))]["open"]
    assert opened is True and len(answer) == 2
    figure = page.draw(dependencies)
    (third,) = [tr for tr in figure["data"] if tr["uid"] == "a13"]
    assert third["line"]["width"] == builder.HIGHLIGHT_WIDTH
    others = [tr for tr in figure["data"] if tr["uid"] in ("a11", "a12", "a14")]
    assert all(tr["line"].get("width", 2) == 2 for tr in others)
    nodes = page.find(ids.diagram(TAB))["figure"]["data"][1]
    k = [c for c in nodes["customdata"]].index([1, 3])
    assert nodes["marker"]["line"]["width"][k] == 3.5
    # The input x is not a unit to select.
    diagram["clickData"] = {"points": [{"curveNumber": 1, "customdata": [0, 1]}]}
    assert (
        page.post(
            dependencies, (ids.store(TAB, "selected"), "data"), [(ids.diagram(TAB), "clickData")]
        )
        == {}
    )


@pytest.mark.parametrize(("source", "target"), [(1, 4), (3, 1)])
def test_clicking_an_edge_selects_the_unit_it_enters(
    client: FlaskClient, dependencies: list[dict[str, Any]], source: int, target: int
) -> None:
    """The edge from unit ``source`` of the layer before into unit ``target`` of layer 1 or
    the output: its click data is the diagram's own (the midpoint trace's customdata, found
    by its hover text), and the unit selected is the one the edge enters."""
    page = Page(client)
    page.draw(dependencies)
    mid = page.find(ids.diagram(TAB))["figure"]["data"][0]
    layer = 1 if target == 4 else 2
    into = "layer 1, unit 4" if layer == 1 else "output"
    (k,) = [
        k
        for k, h in enumerate(mid["hovertext"])
        if into in h and (("x →" in h) if layer == 1 else (f"unit {source} →" in h))
    ]
    page.find(ids.diagram(TAB))["clickData"] = {
        "points": [{"curveNumber": 0, "customdata": mid["customdata"][k]}]
    }
    page.post(dependencies, (ids.store(TAB, "selected"), "data"), [(ids.diagram(TAB), "clickData")])
    assert page.find(ids.store(TAB, "selected"))["data"] == [layer, target]


def test_fit_moves_the_sliders_and_lowers_the_error(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    page = Page(client)
    page.draw(dependencies)
    before = page.find(ids.score(TAB))["children"]
    button = page.find(ids.action(TAB, "fit"))
    button["n_clicks"] = 1
    answer = page.post(
        dependencies, (ids.param(TAB, ["ALL"]), "value"), [(ids.action(TAB, "fit"), "n_clicks")]
    )
    assert "Fit: RMSE" in answer[dom_id(ids.report(TAB, "fit"))]["children"]
    page.draw(dependencies)
    after = page.find(ids.score(TAB))["children"]
    rmse = lambda s: float(s.split()[1])  # noqa: E731
    assert rmse(after) < rmse(before) / 10
    # The next step starts from Fit's answer.
    fitted = page.values()
    start = page.state()
    step(page, dependencies, one=True)
    x, t = square_data()
    spec = builder.spec_of(start.arch)
    theta = [fitted[n] for n in spec.theta_names]
    expected, _ = run(start.with_theta(theta), x, t, 1, MAX_TIME_BUDGET)
    assert page.state().theta.tolist() == expected.theta.tolist()


def test_frames_skip_the_hints_and_the_next_draw_brings_them_back(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    """A playing frame moves every slider, so its hints would be stale at once: it sends none
    (each hint ""), and marks the drawn record so; the figure callback that runs once playing
    stops draws afresh, hints and all, the same hints the approximation view gives."""
    page = Page(client)
    answer = step(page, dependencies)
    hint_keys = [k for k in answer if parse_id(k).get("type") == ids.HINT]
    assert hint_keys and all(answer[k]["children"] == "" for k in hint_keys)
    # Halted on the last frame, the drawn record is cleared: the next draw is whole.
    assert page.find(ids.drawn(TAB))["data"] is None
    page.draw(dependencies)
    shown = {p["id"]["name"]: p["children"] for p in page.matching(ids.hint(TAB, ["ALL"]))}
    spec = builder.spec_of(page.state().arch)
    values = page.values()
    names = list(values)
    *_, expected = approx.update_all(spec, names, [values[n] for n in names], "tanh", "en")
    assert shown == dict(zip(spec.slider_order, expected, strict=True))
    assert any(h != "" for h in shown.values())
    assert page.find(ids.drawn(TAB))["data"]["hints"] is True


def test_while_playing_the_figure_callback_finds_nothing_to_draw_and_pause_brings_hints(
    client: FlaskClient, dependencies: list[dict[str, Any]]
) -> None:
    """Between frames the figure callback runs (the sliders moved) but the frame drew the
    plot already: while playing it answers without a figure and without hints. Pause answers
    the hints for the weights where training stopped."""
    page = Page(client)
    page.set(ids.live(TAB, "playing"), data=True)
    step(page, dependencies)
    sliders = page.matching(ids.param(TAB, ["ALL"]))
    answer = page.post(
        dependencies, (ids.live(TAB, "figframe"), "data"), [(sliders[0]["id"], "value")]
    )
    assert dom_id(ids.graph(TAB)) not in answer, "nothing redrawn"
    assert all(p["children"] == "" for p in page.matching(ids.hint(TAB, ["ALL"])))
    # Pause (in the browser: playing cleared, the playback halted on the frame shown, which
    # step() did, and "halted" counted) runs the figure callback for that frame.
    page.set(ids.live(TAB, "playing"), data=False)
    page.set(ids.live(TAB, "halted"), data=1)
    answer = page.post(
        dependencies, (ids.live(TAB, "figframe"), "data"), [(ids.live(TAB, "halted"), "data")]
    )
    assert dom_id(ids.graph(TAB)) in answer, "the plot drawn afresh"
    shown = {p["id"]["name"]: p["children"] for p in page.matching(ids.hint(TAB, ["ALL"]))}
    spec = builder.spec_of(page.state().arch)
    values = page.values()
    names = list(values)
    *_, expected = approx.update_all(spec, names, [values[n] for n in names], "tanh", "en")
    assert shown == dict(zip(spec.slider_order, expected, strict=True))
