/*
 * Says when a preset file is too large to be sent, which no callback can say.
 *
 * The drop zone (dcc.Upload, max_size) silently drops a file over the limit in the browser, so
 * the server never hears of it. Here, when a file is chosen or dropped on a drop zone, the
 * message beside it (views/classroom.py, in the page's language) is shown if any file is over
 * the limit in its max-bytes attribute, and hidden again for a file that fits. The classes of
 * the group and the message and the attribute's name come from the page config
 * (dashboard/views/pagenames.py).
 */
(function () {
    "use strict";

    const views = window.activationPlayground.config().views || {};
    const classes = views.classes || {};
    const maxBytes = (views.attributes || {}).maxBytes;

    function refusal(node) {
        if (!classes.upload || !classes.refused) {
            return null;
        }
        const group = node instanceof Element ? node.closest("." + classes.upload) : null;
        return group ? group.querySelector("." + classes.refused) : null;
    }

    function check(node, files) {
        const message = refusal(node);
        if (!message || !files || files.length === 0) {
            return;
        }
        const limit = Number(message.getAttribute(maxBytes));
        const tooLarge = Array.from(files).some((file) => file.size > limit);
        message.hidden = !(Number.isFinite(limit) && tooLarge);
    }

    document.addEventListener("change", function (event) {
        const input = event.target;
        if (input instanceof HTMLInputElement && input.type === "file") {
            check(input, input.files);
        }
    }, true);
    document.addEventListener("drop", function (event) {
        if (event.dataTransfer) {
            check(event.target, event.dataTransfer.files);
        }
    }, true);
})();
