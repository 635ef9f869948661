/*
 * Keeps each parameter's slider and number box in step, outside Dash's callback cycle.
 *
 * The slider holds the value the model uses. A Dash callback between the two would add a whole
 * renderer cycle (tens of milliseconds on a slow machine) to every slider step, so the two are
 * joined here instead:
 *  - slider -> box: when a slider's thumb announces a new value (aria-valuenow), the box beside
 *    it shows that value, unless the student is typing in it; a long one (a weight written by
 *    training, a link's 0.123456789) to 6 significant digits;
 *  - box -> slider: Enter, or leaving the box, hands the typed text to the slider through
 *    dash_clientside.set_props, exactly like a user change: any finite number as it is (even
 *    beyond the slider's range), anything else as null, which the figure callback answers with
 *    a message naming the parameter. A box still showing the text the slider gave it hands
 *    nothing on: that text may be the slider's value shortened, and committing what a box
 *    shows must never change the value.
 *  - arrow keys: a step from the value the slider holds. The slider's own key handling
 *    (Radix, inside dcc.Slider) rounds the moved value to its grid of steps from its minimum,
 *    so one press after a Fit or a typed value (w1 = 0.0603) would throw that value away
 *    (0 or 0.1). Arrow keys (and Page Up/Down, Shift+arrow: ten steps) on a slider's thumb
 *    are therefore taken here first: the slider gets value ± step, kept inside its range when
 *    it was inside, through dash_clientside.set_props like a user change. Home and End still
 *    go to the slider's ends.
 *  - a drag: while a moved value is on its way to the plot, later pointer moves wait, and the
 *    latest goes on when the plot has redrawn or the pointer is let go (see "A drag paced").
 *
 * The id types and the classes of a parameter's row and box come from the page config
 * (dashboard/ids.py, dashboard/views/pagenames.py).
 */
(function () {
    "use strict";

    const page = window.activationPlayground;
    const config = page.config();
    const types = (config.ids || {}).types || {};
    const classes = (config.views || {}).classes || {};
    const ROW = "." + classes.param;
    const BOX = "." + classes.paramBox;

    function boxOf(thumb) {
        const param = thumb.closest(ROW);
        return param ? param.querySelector(BOX + " input") : null;
    }

    // The id type of the slider a box belongs to: network parameters, activation parameters.
    const SLIDER_TYPE = types.box && types.act_box
        ? {[types.box]: types.param, [types.act_box]: types.act_param} : {};

    function sliderIdOf(box) {
        try {
            const id = JSON.parse(box.id);
            return SLIDER_TYPE[id.type] ? {...id, type: SLIDER_TYPE[id.type]} : null;
        } catch (e) {
            return null;
        }
    }

    function showValue(thumb) {
        const box = boxOf(thumb);
        const now = thumb.getAttribute("aria-valuenow");
        if (!box || now === null || document.activeElement === box) {
            return;
        }
        const value = Number(now);
        if (!Number.isFinite(value)) {
            return;
        }
        // Training writes weights to the last bit; the box shows them to 6 digits.
        const shown = String(value).length > 10 ? Number(value.toPrecision(6)) : value;
        if (Number(box.value) !== shown) {
            box.value = String(shown);
        }
        // What the box now shows stands for the slider's value, shortened or not (see commit).
        box.dataset.shown = box.value;
    }

    function isBox(node) {
        return node instanceof HTMLInputElement && node.closest(BOX) !== null;
    }

    function commit(box) {
        const id = sliderIdOf(box);
        if (!id || !window.dash_clientside || !window.dash_clientside.set_props) {
            return;
        }
        const text = box.value.trim();
        if (box.dataset.shown !== undefined && text === box.dataset.shown.trim()) {
            return;  // left as the slider set it: the slider holds the value, maybe unshortened
        }
        const number = text === "" ? NaN : Number(text);
        const value = Number.isFinite(number) ? number : null;
        delete box.dataset.shown;  // typed over: it stands for what it says from now on
        if (box.dataset.committed === String(value)) {
            return;
        }
        box.dataset.committed = String(value);
        window.dash_clientside.set_props(id, {value: value});
    }

    new MutationObserver(function (records) {
        for (const record of records) {
            if (record.target.getAttribute("role") === "slider") {
                showValue(record.target);
            }
        }
    }).observe(document.documentElement, {
        subtree: true,
        attributes: true,
        attributeFilter: ["aria-valuenow"],
    });

    document.addEventListener("keydown", function (event) {
        const box = event.target;
        if (event.key === "Enter" && isBox(box)) {
            commit(box);
        }
    });
    document.addEventListener("change", function (event) {
        const box = event.target;
        if (isBox(box)) {
            commit(box);
        }
    });
    // Keys that step a slider, and by how many steps.
    const STEP_KEYS = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1,
                       PageUp: 10, PageDown: -10};
    // Digits kept after the point: the sum of two decimals carries binary noise beyond them
    // (0.0603 - 0.1 = -0.03970000000000001).
    const DECIMALS = 12;

    function sliderIdOfThumb(thumb) {
        const holder = thumb.closest(".dash-slider-container");
        if (!holder) {
            return null;
        }
        try {
            const id = JSON.parse(holder.id);
            return id && Object.values(SLIDER_TYPE).includes(id.type) ? id : null;
        } catch (e) {
            return null;
        }
    }

    function stepped(value, move, lo, hi) {
        let next = Number((value + move).toFixed(DECIMALS));
        if (typeof lo === "number" && typeof hi === "number" && value >= lo && value <= hi) {
            next = Math.min(hi, Math.max(lo, next));
        }
        return next;
    }

    function stepSlider(event) {
        const thumb = event.target;
        let steps = STEP_KEYS[event.key];
        if (!steps || !(thumb instanceof Element) || thumb.getAttribute("role") !== "slider"
            || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        const id = sliderIdOfThumb(thumb);
        const api = window.dash_component_api;
        // getLayout gives the component as the renderer holds it: {type, namespace, props}.
        const layout = id && api && api.getLayout ? api.getLayout(id) : null;
        const props = layout && layout.props;
        if (!props || props.disabled || !window.dash_clientside
            || !window.dash_clientside.set_props) {
            return;
        }
        const value = props.value;
        const step = props.step;
        if (typeof value !== "number" || !Number.isFinite(value)
            || typeof step !== "number" || !(step > 0)) {
            return;
        }
        if (event.shiftKey && Math.abs(steps) === 1) {
            steps *= 10;
        }
        event.preventDefault();
        event.stopPropagation();  // the slider's own handler would round to its grid
        const next = stepped(value, steps * step, props.min, props.max);
        if (next !== value) {
            window.dash_clientside.set_props(id, {value: next});
        }
    }

    // Capture on the window: before React's handler on the page's root sees the key.
    window.addEventListener("keydown", stepSlider, true);

    // A slider moved by the student or by a preset resets what counts as "already sent".
    document.addEventListener("focusin", function (event) {
        const box = event.target;
        if (isBox(box)) {
            delete box.dataset.committed;
        }
    });

    // A drag paced by the plot. The slider (updatemode "drag") hands Dash a value on every
    // pointer move that changes it, and Dash's renderer throws away the answer of a callback
    // still running when a newer call of it is asked for: moves coming faster than a round
    // trip kept the plot still until the thumb rested. So while a moved value is on its way to
    // the plot, later moves wait here; the latest of them goes on to the slider as soon as the
    // tab's plot has redrawn (Plotly's plotly_afterplot or plotly_transitioned), and when the
    // pointer is let go, so a drag ends with the plot drawn for exactly the value where the
    // thumb stopped.
    const SETTLE_MS = 600;  // a value whose answer draws nothing (an error) frees the drag then
    const pace = {target: null, pointer: null, thumb: null, busy: false, held: null, timer: 0};
    const watched = new WeakSet();

    function graphOf(holder) {
        const id = sliderIdOfThumb(holder.querySelector("[role=slider]") || holder);
        const node = id && document.getElementById(page.domId({tab: id.tab, type: types.graph}));
        return node ? node.querySelector(".js-plotly-plot") : null;
    }

    function free() {
        clearTimeout(pace.timer);
        pace.busy = false;
        const held = pace.held;
        pace.held = null;
        if (held && pace.target) {
            replay(held);
        }
    }

    // A move went on to the slider: wait for the plot, unless the value did not change (then
    // nothing was sent: no new value shows within two frames).
    function passed() {
        const thumb = pace.thumb;
        const before = thumb ? thumb.getAttribute("aria-valuenow") : null;
        pace.busy = true;
        clearTimeout(pace.timer);
        pace.timer = setTimeout(free, SETTLE_MS);
        requestAnimationFrame(function () {
            requestAnimationFrame(function () {
                if (pace.busy && pace.thumb === thumb && thumb.getAttribute("aria-valuenow") === before) {
                    free();
                }
            });
        });
    }

    function replay(held) {
        passed();
        pace.replaying = true;
        try {
            pace.target.dispatchEvent(new PointerEvent("pointermove", held));
        } finally {
            pace.replaying = false;
        }
    }

    function end() {
        clearTimeout(pace.timer);
        Object.assign(pace, {target: null, pointer: null, thumb: null, busy: false, held: null});
    }

    window.addEventListener("pointerdown", function (event) {
        const holder = event.target instanceof Element
            ? event.target.closest(".dash-slider-container") : null;
        const thumb = holder && holder.querySelector("[role=slider]");
        if (!thumb || !sliderIdOfThumb(thumb)) {
            return;
        }
        end();
        Object.assign(pace, {target: event.target, pointer: event.pointerId, thumb: thumb});
        const gd = graphOf(holder);
        if (gd && gd.on && !watched.has(gd)) {
            watched.add(gd);
            const drawn = function () {
                if (pace.busy) {
                    free();
                }
            };
            // A whole redraw ends with the first, a step's redraw of the traces alone
            // (dashboard/figures.py, "transition") with the second.
            gd.on("plotly_afterplot", drawn);
            gd.on("plotly_transitioned", drawn);
        }
        passed();  // a press on the track moves the thumb there at once
    }, true);

    window.addEventListener("pointermove", function (event) {
        if (!pace.target || event.pointerId !== pace.pointer || pace.replaying) {
            return;
        }
        if (!pace.busy) {
            pace.held = null;
            passed();
            return;
        }
        event.stopPropagation();  // the slider sees it when the plot has caught up
        pace.held = {
            clientX: event.clientX, clientY: event.clientY, screenX: event.screenX,
            screenY: event.screenY, pointerId: event.pointerId, pointerType: event.pointerType,
            isPrimary: event.isPrimary, buttons: event.buttons, bubbles: true, cancelable: true,
            composed: true,
        };
    }, true);

    function letGo(event) {
        if (!pace.target || event.pointerId !== pace.pointer) {
            return;
        }
        const held = pace.held;
        pace.held = null;
        if (held && event.type === "pointerup") {
            replay(held);  // the last place the pointer moved to, while the slider holds it
        }
        end();
    }
    window.addEventListener("pointerup", letGo, true);
    window.addEventListener("pointercancel", letGo, true);
})();
