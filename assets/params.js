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
 *
 * The id types and the classes of a parameter's row and box come from the page config
 * (dashboard/ids.py, dashboard/views/pagenames.py).
 */
(function () {
    "use strict";

    const config = window.activationPlayground.config();
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
})();
