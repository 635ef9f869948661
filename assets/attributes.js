/*
 * One watcher for the page's data attributes that plain scripts turn into content
 * (feedback.js: data-feedback, presets.js: data-table).
 *
 * watchAttribute(name, handle) calls handle(element) whenever the attribute changes on an
 * element, and for every element carrying it when a tab's body is put on the page with the
 * attribute already set. Dash loads the assets in alphabetical order, so this file comes first.
 */
(function () {
    "use strict";

    window.activationPlayground = window.activationPlayground || {};
    window.activationPlayground.watchAttribute = function (name, handle) {
        new MutationObserver(function (records) {
            for (const record of records) {
                if (record.type === "attributes") {
                    handle(record.target);
                    continue;
                }
                for (const node of record.addedNodes) {
                    if (node.nodeType !== Node.ELEMENT_NODE) {
                        continue;
                    }
                    if (node.hasAttribute(name)) {
                        handle(node);
                    }
                    for (const holder of node.querySelectorAll("[" + name + "]")) {
                        handle(holder);
                    }
                }
            }
        }).observe(document.documentElement, {
            subtree: true,
            childList: true,
            attributes: true,
            attributeFilter: [name],
        });
    };
})();
