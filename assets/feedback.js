/*
 * Writes a plot tab's feedback, packed by dashboard/views/feedback.py, where it is shown.
 *
 * The tab's figure callback sends the status message, the live score, the goal mark and the
 * gradient hint of every slider as one JSON text in the score line's feedback attribute:
 * one output instead of eleven, since the Dash renderer does one or two store updates per
 * output component, and each of them runs a selector for every component on the page. Here the
 * texts go into the status line, the score and goal spans (the goal's class too) and the hint
 * beside each slider. Parts an update leaves out keep what they show.
 *
 * The attribute's name and the id types come from the page config (dashboard/ids.py,
 * dashboard/views/pagenames.py).
 */
(function () {
    "use strict";

    const page = window.activationPlayground;
    const config = page.config();
    const types = (config.ids || {}).types || {};
    const attribute = ((config.views || {}).attributes || {}).feedback;

    function setText(id, text) {
        const node = document.getElementById(page.domId(id));
        if (node && typeof text === "string" && node.textContent !== text) {
            node.textContent = text;
        }
        return node;
    }

    function show(_holder, tab, parts) {
        setText({type: types.status, tab: tab}, parts.status);
        setText({type: types.score, tab: tab}, parts.score);
        const goal = setText({type: types.goal, tab: tab}, parts.goal);
        if (goal && typeof parts.goalClass === "string") {
            goal.className = parts.goalClass;
        }
        if (parts.hints && typeof parts.hints === "object") {
            for (const [name, text] of Object.entries(parts.hints)) {
                setText({type: types.hint, tab: tab, name: name}, text);
            }
        }
    }

    if (attribute) {
        page.watchAttribute(attribute, show);
    }
})();
