"""The builder tab in a real browser: build a 2-layer net, train it, pause, select a unit.

What is checked is what the page shows: the loss curve Plotly drew falls, the sliders' thumbs
move, the plotted output is the forward pass of the values the sliders hold (written out here
in NumPy), and a click on a node of the diagram opens that unit's sliders and draws its curve
thicker. Data reach page scripts as ``arg`` only (the app's CSP allows no eval).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard import ids
from tests.support.browser import (
    IDLE_JS,
    READY_JS,
    css_id,
    graph,
    open_app,
    read_plot,
    slider_value,
    tabbar,
    wait_idle,
)

pytestmark = pytest.mark.browser

TAB = "builder"
X = np.linspace(-3.0, 3.0, 1000)

LOSS_JS = """
(sel) => {
    const gd = document.querySelector(sel);
    const t = gd && gd._fullData && gd._fullData[0];
    return t ? {x: Array.from(t.x), y: Array.from(t.y)} : null;
}
"""

SLIDERS_JS = """
() => Object.fromEntries(
    Array.from(document.querySelectorAll('[id*=\\'"type":"param"\\']')).map(el => {
        const id = JSON.parse(el.id);
        const thumb = el.querySelector('[role=slider]');
        return [id.name, Number(thumb.getAttribute('aria-valuenow'))];
    })
)
"""

NODE_JS = """
({sel, layer, unit}) => {
    const gd = document.querySelector(sel);
    const nodes = gd._fullData[1];
    const k = nodes.customdata.findIndex(c => c[0] === layer && c[1] === unit);
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    return {x: box.left + xa._offset + xa.l2p(nodes.x[k]),
            y: box.top + ya._offset + ya.l2p(nodes.y[k])};
}
"""

WIDTH_JS = """
({sel, uid}) => {
    const gd = document.querySelector(sel);
    const t = gd._fullData.find(t => t.uid === uid);
    return t ? t.line.width : null;
}
"""


ASK = json.dumps(ids.dom_id(ids.live(TAB, "ask")))[1:-1]
"""The "ask" store's id as a request's JSON body spells it (its quotes escaped)."""


def asks_for_frame(request: Any) -> bool:
    """A request of the training callback (the "ask" store, by which the page asks for a
    batch of frames or One step, is one of its inputs)."""
    return request.method == "POST" and ASK in (request.post_data or "")


def step_of(status: str) -> int:
    """N of the training line "Step N: ..." (N may be written 1,167)."""
    assert status.startswith("Step "), status
    return int(re.sub(r"\D", "", status.split(":")[0]))


def loss_graph() -> str:
    return css_id(tab=TAB, type="loss") + " .js-plotly-plot"


def diagram() -> str:
    return css_id(tab=TAB, type="diagram") + " .js-plotly-plot"


def read_loss(page: Page) -> dict[str, list[float]]:
    return page.evaluate(LOSS_JS, loss_graph())


def forward(values: dict[str, float], widths: tuple[int, ...]) -> np.ndarray:
    """The output of a tanh network with these named parameters, from the naming rule."""
    sizes = (1, *widths, 1)
    a = X.reshape(-1, 1)
    for layer in range(1, len(sizes)):
        w = np.array(
            [
                [values[f"w{layer}_{i}_{j}"] for j in range(1, sizes[layer] + 1)]
                for i in range(1, sizes[layer - 1] + 1)
            ]
        )
        b = np.array([values[f"b{layer}_{j}"] for j in range(1, sizes[layer] + 1)])
        z = a @ w + b
        a = np.tanh(z) if layer < len(sizes) - 1 else z
    return a[:, 0]


def test_build_train_pause_and_select(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.locator(tabbar("main")).get_by_text("Build your own", exact=True).click()
    page.wait_for_function(READY_JS, arg=[graph(TAB)])

    # Two hidden layers (of 4 TanH units each, the default row).
    layers = page.locator(css_id(name="layers", tab=TAB, type="control"))
    layers.fill("2")
    layers.press("Enter")
    expect(page.locator(css_id(name="w3_4_1", tab=TAB, type="param"))).to_have_count(1)
    page.wait_for_function(
        IDLE_JS
        + """(sel) => dashIdle() && document.querySelector(sel)._fullLayout.title.text
                === 'Your network: 4 TanH → 4 TanH'""",
        arg=graph(TAB),
    )
    wait_idle(page)
    start = page.evaluate(SLIDERS_JS)
    assert len(start) == 8 + 20 + 5

    # A typed 2.5 layers is refused, and the message says what was typed.
    layers.fill("2.5")
    layers.press("Enter")
    expect(page.locator(css_id(tab=TAB, type="report", what="arch"))).to_contain_text(
        "“2.5” is not allowed"
    )
    wait_idle(page)
    assert page.evaluate(SLIDERS_JS) == start
    layers.fill("2")
    layers.press("Enter")
    expect(page.locator(css_id(tab=TAB, type="report", what="arch"))).to_have_text("")
    wait_idle(page)
    assert page.evaluate(SLIDERS_JS) == start

    # A typed 9 is refused and changes nothing.
    units = page.locator(css_id(field="units", layer=1, tab=TAB, type="layer_control"))
    units.fill("9")
    units.press("Enter")
    expect(page.locator(css_id(tab=TAB, type="report", what="arch"))).to_contain_text(
        "a layer holds 1 to 8 units"
    )
    wait_idle(page)
    assert page.evaluate(SLIDERS_JS) == start

    # Play, watch several frames, pause.
    ticks: list[float] = []
    page.on(
        "request",
        lambda r: ticks.append(time.perf_counter()) if asks_for_frame(r) else None,
    )
    page.locator(css_id(tab=TAB, type="action", what="play")).click()
    page.wait_for_function(
        "(sel) => { const gd = document.querySelector(sel);"
        " const x = gd && gd._fullData[0] && gd._fullData[0].x;"
        " return !!x && x.length > 0 && x[x.length - 1] >= 150; }",
        arg=loss_graph(),
        timeout=90_000,
    )
    deadline = time.monotonic() + 60  # an idle machine takes 150 steps in fewer frames
    while len(ticks) < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    play = page.locator(css_id(tab=TAB, type="action", what="play"))
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(play).to_have_class("action playing")
    page.locator(css_id(tab=TAB, type="action", what="pause")).click()
    expect(play).to_have_attribute("aria-pressed", "false")
    wait_idle(page)  # a frame still on its way when Pause was pressed was dropped, not drawn
    loss = read_loss(page)
    report = page.locator(css_id(tab=TAB, type="report", what="train"))
    status = report.inner_text()
    assert status.startswith("Step ")
    expect(report).to_have_class("status progress")
    steps = step_of(status)
    assert loss["x"][-1] == steps, "the loss curve ends at the step the line names"
    assert loss["y"][-1] < loss["y"][0] / 2, "the loss falls"
    assert len(ticks) >= 3, "several batches"
    rate = (len(ticks) - 1) / (ticks[-1] - ticks[0]) if len(ticks) > 1 else 0.0
    print(f"\nbuilder: {steps} steps in {len(ticks)} batches, {rate:.1f} batches/s")

    # The sliders moved, and the plot is the forward pass of what they hold.
    trained = page.evaluate(SLIDERS_JS)
    moved = [n for n in start if trained[n] != start[n]]
    assert len(moved) == len(start), "every parameter moved"
    assert slider_value(page, TAB, "b3_1") == trained["b3_1"]
    out = np.asarray(read_plot(page, TAB).y)
    expected = forward(trained, (4, 4))
    np.testing.assert_allclose(out, expected, rtol=2e-6, atol=1e-5)

    # Paused: nothing moves any more.
    page.wait_for_timeout(600)
    assert page.evaluate(SLIDERS_JS) == trained

    # A click on unit 2 of layer 1 opens its sliders and thickens its curve.
    group = page.locator(css_id(layer=1, tab=TAB, type="unit_group", unit=2))
    expect(group).not_to_have_attribute("open", "")
    page.locator(diagram()).scroll_into_view_if_needed()
    wait_idle(page)
    for _ in range(3):  # Plotly takes a click once its hover layer has seen the pointer
        point = page.evaluate(NODE_JS, {"sel": diagram(), "layer": 1, "unit": 2})
        page.mouse.move(point["x"], point["y"])
        page.wait_for_timeout(200)
        page.mouse.click(point["x"], point["y"])
        try:
            expect(group).to_have_attribute("open", "", timeout=3000)
            break
        except AssertionError:
            continue
    expect(group).to_have_attribute("open", "")
    page.wait_for_function(
        IDLE_JS + "(a) => dashIdle() && (" + WIDTH_JS + ")(a) === 5",
        arg={"sel": graph(TAB), "uid": "a12"},
    )
    assert page.evaluate(WIDTH_JS, {"sel": graph(TAB), "uid": "a11"}) == 2
    expect(page.locator(css_id(name="w1_1_2", tab=TAB, type="param"))).to_be_visible()


def pending_frames(page: Page) -> set[Any]:
    """The training callback's requests still unanswered."""
    pending: set[Any] = set()

    def sent(r: Any) -> None:
        if asks_for_frame(r):
            pending.add(r)

    page.on("request", sent)
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    return pending


def wait_frames_answered(page: Page, pending: set[Any]) -> None:
    """Wait (bounded) until every training request has its answer, then until Dash is idle:
    a frame that could still land would have landed by then."""
    deadline = time.monotonic() + 60
    while pending and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright deliver the network events
    assert not pending, "a training request went unanswered"
    wait_idle(page)


@pytest.mark.parametrize("button", ["reset", "pause"])
def test_reset_and_pause_win_over_a_frame_in_flight(page: Page, app_url: str, button: str) -> None:
    """Reset (or Pause) pressed while a frame is on its way: that frame never lands. Reset
    leaves the seed's starting weights and an empty loss curve; Pause leaves the sliders, the
    plot and the "Step N" line of the last frame drawn."""
    open_app(page, app_url)
    page.locator(tabbar("main")).get_by_text("Build your own", exact=True).click()
    page.wait_for_function(READY_JS, arg=[graph(TAB)])
    start = page.evaluate(SLIDERS_JS)
    pending = pending_frames(page)
    page.locator(css_id(tab=TAB, type="action", what="play")).click()
    page.wait_for_function(
        "(sel) => { const gd = document.querySelector(sel);"
        " const x = gd && gd._fullData[0] && gd._fullData[0].x;"
        " return !!x && x.length > 0 && x[x.length - 1] >= 100; }",
        arg=loss_graph(),
        timeout=90_000,
    )
    # Press the button just after a frame was asked for: the server takes 60 ms on it.
    with page.expect_request(
        asks_for_frame,
        timeout=30_000,
    ):
        pass
    page.locator(css_id(tab=TAB, type="action", what=button)).click()
    play = page.locator(css_id(tab=TAB, type="action", what="play"))
    expect(play).to_have_attribute("aria-pressed", "false")
    wait_frames_answered(page, pending)
    report = page.locator(css_id(tab=TAB, type="report", what="train"))
    now = page.evaluate(SLIDERS_JS)
    loss = read_loss(page)
    out = np.asarray(read_plot(page, TAB).y)
    if button == "reset":
        assert now == start, "every slider back at the seed's starting weight"
        assert loss["x"] == []
        expect(report).to_contain_text("seed 0")
        assert "Step" not in report.inner_text()
    else:
        steps = step_of(report.inner_text())
        assert loss["x"][-1] == steps and steps > 0
        assert now != start
    np.testing.assert_allclose(out, forward(now, (4,)), rtol=2e-6, atol=1e-5)
    # Nothing moves afterwards: every request answered, Dash idle, the same sliders.
    wait_frames_answered(page, pending)
    assert page.evaluate(SLIDERS_JS) == now


def test_learning_rate_checked_at_its_box_and_kept_out_of_the_link(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    page.locator(tabbar("main")).get_by_text("Build your own", exact=True).click()
    page.wait_for_function(READY_JS, arg=[graph(TAB)])
    lr = page.locator(css_id(name="lr", tab=TAB, type="control"))
    message = page.locator(css_id(tab=TAB, type="report", what="lr"))
    for typed, said in (("0", "above 0"), ("-1", "above 0"), ("1e9", "at most 100")):
        lr.fill(typed)
        lr.press("Enter")
        expect(message).to_contain_text(said)
        expect(lr.locator("xpath=..")).to_have_class(re.compile(r"\blr-box invalid\b"))
        box, note = lr.bounding_box(), message.bounding_box()
        assert box and note and 0 <= note["y"] - box["y"] < 120, "the message sits at the box"
        wait_idle(page)
        # The link is rewritten without the learning rate (were the typed value linked, the
        # link would hold it and this would time out).
        page.wait_for_function(
            "() => location.search.includes('tab=builder') && !location.search.includes('lr=')",
            timeout=30_000,
        )
    lr.fill("0.005")
    lr.press("Enter")
    expect(message).to_have_text("")
    expect(lr.locator("xpath=..")).not_to_have_class(re.compile(r"\binvalid\b"))
    page.wait_for_function("() => location.search.includes('lr=0.005')")
