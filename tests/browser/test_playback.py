"""Training playback in a real browser: what the frames draw is what stepping draws.

Play shows frames computed on the server a batch at a time (views/builder/batch.py,
assets/playback.js). Here, on the default network (4 TanH units, seed 0, x²): the curve drawn
where Pause stopped is the forward pass of the weights the sliders then hold (written out in
NumPy), those weights are the trainer's after the same number of single steps taken in-process
from the seed's start, and One step pressed that many times from Reset draws the same curve;
Pause stops on the frame being shown; and the step numbers shown only ever grow.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.model.train import MAX_TIME_BUDGET, run
from dashboard.netspec import TAB
from dashboard.views.builder import default_state, spec_of
from tests.browser.test_builder import (
    SLIDERS_JS,
    X,
    forward,
    loss_graph,
    read_loss,
    step_of,
)
from tests.support.browser import READY_JS, css_id, graph, open_app, read_plot, tabbar, wait_idle

pytestmark = pytest.mark.browser

WATCH_JS = """
({plot, loss}) => {
    // Every redraw of the plot (its output curve) and of the loss curve (its last step), in
    // order; and every "Step N" the training line shows.
    const seen = {outputs: [], steps: [], lines: []};
    window.__seen = seen;
    const gd = document.querySelector(plot), lossGd = document.querySelector(loss);
    const drawn = () => {
        const t = (gd._fullData || []).find((tr) => tr.uid === "output");
        if (t && t.y) seen.outputs.push(Array.from(t.y));
        if (seen.outputs.length > 3) seen.outputs.shift();
    };
    gd.on("plotly_afterplot", drawn);
    gd.on("plotly_animated", drawn);  // a frame that moves only the curves
    lossGd.on("plotly_afterplot", () => {
        const x = lossGd._fullData[0] && lossGd._fullData[0].x;
        if (x && x.length) seen.steps.push(x[x.length - 1]);
    });
    const line = document.querySelector(LINE);
    new MutationObserver(() => seen.lines.push(line.textContent)).observe(
        line, {childList: true, characterData: true, subtree: true});
}
"""


def button(page: Page, what: str) -> Any:
    return page.locator(css_id(tab=TAB, type="action", what=what))


def report(page: Page) -> Any:
    return page.locator(css_id(tab=TAB, type="report", what="train"))


def open_builder(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.locator(tabbar("main")).get_by_text("Build your own", exact=True).click()
    page.wait_for_function(READY_JS, arg=[graph(TAB)])
    wait_idle(page)
    line = css_id(tab=TAB, type="report", what="train")
    page.evaluate(
        WATCH_JS.replace("LINE", repr(line)),
        {"plot": graph(TAB), "loss": loss_graph()},
    )


def play_until(page: Page, step: int) -> None:
    button(page, "play").click()
    page.wait_for_function(
        "([sel, n]) => { const gd = document.querySelector(sel);"
        " const x = gd && gd._fullData[0] && gd._fullData[0].x;"
        " return !!x && x.length > 0 && x[x.length - 1] >= n; }",
        arg=[loss_graph(), step],
        timeout=90_000,
    )


def stepped(n: int) -> list[float]:
    """The weights after ``n`` single steps from the default start, taken in-process."""
    state = default_state()
    for _ in range(n):
        state, _ = run(state, X, X**2, 1, MAX_TIME_BUDGET)
    return state.theta.tolist()


def sliders_theta(page: Page) -> list[float]:
    values = page.evaluate(SLIDERS_JS)
    return [values[n] for n in spec_of(default_state().arch).theta_names]


def test_playback_draws_what_stepping_draws(page: Page, app_url: str) -> None:
    open_builder(page, app_url)
    play_until(page, 1)
    button(page, "pause").click()
    expect(button(page, "play")).to_have_attribute("aria-pressed", "false")
    wait_idle(page)
    n = step_of(report(page).inner_text())
    assert n > 0
    values = page.evaluate(SLIDERS_JS)
    played = np.asarray(read_plot(page, TAB).y)
    # The drawn curve is the forward pass of the sliders, which hold the trainer's weights
    # after n single steps from the seed's start.
    np.testing.assert_allclose(played, forward(values, (4,)), rtol=2e-6, atol=1e-5)
    assert sliders_theta(page) == stepped(n)
    assert read_loss(page)["x"][-1] == n
    # One step pressed n times from Reset: the same weights, the same curve.
    button(page, "reset").click()
    expect(report(page)).to_contain_text("seed 0")
    wait_idle(page)
    for k in range(1, n + 1):
        button(page, "step").click()
        expect(report(page)).to_contain_text(f"Step {k:,}:")
    wait_idle(page)
    assert page.evaluate(SLIDERS_JS) == values
    np.testing.assert_allclose(np.asarray(read_plot(page, TAB).y), played, rtol=2e-6, atol=1e-5)


def test_pause_stops_on_the_frame_shown_and_steps_only_grow(page: Page, app_url: str) -> None:
    open_builder(page, app_url)
    play_until(page, 150)  # several batches in
    button(page, "pause").click()
    expect(button(page, "play")).to_have_attribute("aria-pressed", "false")
    wait_idle(page)
    page.wait_for_timeout(500)  # nothing more lands: no frame is drawn after Pause
    wait_idle(page)
    n = step_of(report(page).inner_text())
    values = page.evaluate(SLIDERS_JS)
    drawn = np.asarray(read_plot(page, TAB).y)
    # The last curve drawn (the frame Pause stopped on, or that frame drawn again with its
    # hints) is the forward pass of the sliders, which hold the weights of step n, as the
    # state does.
    np.testing.assert_allclose(drawn, forward(values, (4,)), rtol=2e-6, atol=1e-5)
    last = page.evaluate("() => window.__seen.outputs[window.__seen.outputs.length - 1]")
    np.testing.assert_allclose(np.asarray(last), drawn, rtol=2e-6, atol=1e-5)
    assert sliders_theta(page) == stepped(n)
    assert page.evaluate(SLIDERS_JS) == values, "and stay there"
    assert read_loss(page)["x"][-1] == n
    # Every frame's step was later than the one before it, and so was every "Step N" line.
    steps = page.evaluate("() => window.__seen.steps")
    moving = [s for s in steps if s > 0]
    assert len(set(moving)) >= 3, "several frames drawn"
    assert all(b >= a for a, b in itertools.pairwise(moving)), moving
    assert moving[-1] == n
    lines = [step_of(t) for t in page.evaluate("() => window.__seen.lines") if t.startswith("Step")]
    assert len(lines) >= 2 and all(b >= a for a, b in itertools.pairwise(lines)), lines
    assert lines[-1] == n
