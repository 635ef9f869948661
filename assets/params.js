/*
 * Keeps each parameter's slider and number box in step, outside Dash's callback cycle.
 *
 * The slider holds the value the model uses. A Dash callback between the two would add a whole
 * renderer cycle (tens of milliseconds on a slow machine) to every slider step, so the two are
 * joined here instead:
 *  - slider -> box: when a slider's thumb announces a new value (aria-valuenow), the box beside
 *    it shows that value, unless the student is typing in it;
 *  - box -> slider: Enter, or leaving the box, hands the typed text to the slider through
 *    dash_clientside.set_props, exactly like a user change: any finite number as it is (even
 *    beyond the slider's range), anything else as null, which the figure callback answers with
 *    a message naming the parameter.
 */
(function () {
    "use strict";

    function boxOf(thumb) {
        const param = thumb.closest(".param");
        return param ? param.querySelector(".param-box input") : null;
    }

    // The id type of the slider a box belongs to: network parameters, activation parameters.
    const SLIDER_TYPE = {box: "param", act_box: "act_param"};

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
        // Training writes weights to the last bit; the box shows them to 6 digits.
        const shown = String(value).length > 10 ? Number(value.toPrecision(6)) : value;
        if (Number.isFinite(value) && Number(box.value) !== shown) {
            box.value = String(shown);
        }
    }

    function isBox(node) {
        return node instanceof HTMLInputElement && node.closest(".param-box") !== null;
    }

    function commit(box) {
        const id = sliderIdOf(box);
        if (!id || !window.dash_clientside || !window.dash_clientside.set_props) {
            return;
        }
        const text = box.value.trim();
        const number = text === "" ? NaN : Number(text);
        const value = Number.isFinite(number) ? number : null;
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
    // A slider moved by the student or by a preset resets what counts as "already sent".
    document.addEventListener("focusin", function (event) {
        const box = event.target;
        if (isBox(box)) {
            delete box.dataset.committed;
        }
    });
})();
