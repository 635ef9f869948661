/*
 * One watcher for the page's data attributes that plain scripts turn into content
 * (feedback.js: data-feedback, presets.js: data-table).
 *
 * watchAttribute(name, handle) calls handle(element, tab, value, raw) whenever the attribute
 * changes on an element, and for every element carrying it when a tab's body is put on the page
 * with the attribute already set: ``tab`` is the tab of the element's Dash id (a dict id, as
 * JSON), ``value`` the attribute's JSON object and ``raw`` its text. Elements whose id or
 * attribute is not such JSON are left alone. Dash loads the assets in alphabetical order, so
 * this file comes first.
 */
(function () {
    "use strict";

    function parsed(element, name) {
        const raw = element.getAttribute(name);
        if (!raw) {
            return null;
        }
        let tab;
        let value;
        try {
            tab = JSON.parse(element.id).tab;
            value = JSON.parse(raw);
        } catch (e) {
            return null;
        }
        if (typeof tab !== "string" || !value || typeof value !== "object") {
            return null;
        }
        return {tab: tab, value: value, raw: raw};
    }

    window.activationPlayground = window.activationPlayground || {};
    window.activationPlayground.watchAttribute = function (name, handleParsed) {
        function handle(element) {
            const found = parsed(element, name);
            if (found) {
                handleParsed(element, found.tab, found.value, found.raw);
            }
        }
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
