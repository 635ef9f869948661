/*
 * Writes an approximation tab's feedback (views/approx.py packed_feedback) where it is shown.
 *
 * The tab's figure callback sends the status message, the live score, the goal mark and the
 * gradient hint of every slider as one JSON text in the score line's data-feedback attribute:
 * one output instead of eleven, since the Dash renderer does one or two store updates per
 * output component, and each of them runs a selector for every component on the page. Here the
 * texts go into the status line, the score and goal spans (the goal's class too) and the hint
 * beside each slider. Parts an update leaves out keep what they show.
 */
(function () {
    "use strict";

    const ATTRIBUTE = "data-feedback";

    // The DOM id Dash gives a dict id: its keys sorted, compact JSON (dashboard/ids.py dom_id).
    function domId(id) {
        const sorted = {};
        for (const key of Object.keys(id).sort()) {
            sorted[key] = id[key];
        }
        return JSON.stringify(sorted);
    }

    function setText(id, text) {
        const node = document.getElementById(domId(id));
        if (node && typeof text === "string" && node.textContent !== text) {
            node.textContent = text;
        }
        return node;
    }

    function show(_holder, tab, parts) {
        setText({type: "status", tab: tab}, parts.status);
        setText({type: "score", tab: tab}, parts.score);
        const goal = setText({type: "goal", tab: tab}, parts.goal);
        if (goal && typeof parts.goalClass === "string") {
            goal.className = parts.goalClass;
        }
        if (parts.hints && typeof parts.hints === "object") {
            for (const [name, text] of Object.entries(parts.hints)) {
                setText({type: "hint", tab: tab, name: name}, text);
            }
        }
    }

    window.activationPlayground.watchAttribute(ATTRIBUTE, show);
})();
