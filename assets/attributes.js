/*
 * What every page script shares: the page's config, the DOM id of a Dash dict id, and one
 * watcher for the data attributes that plain scripts turn into content (feedback.js,
 * presets.js).
 *
 * config() is the JSON the server writes into the page (dashboard/pageconfig.py): the id types,
 * attribute names, tab keys and link keys the scripts use, so none of them is written here. It
 * is parsed once; without the element it is an empty object and callers cope.
 *
 * domId(id) is the DOM id Dash renders for a dict id: its keys sorted, compact JSON (as
 * dashboard/ids.py dom_id).
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

    // The config element's DOM id: dashboard/pageconfig.py ELEMENT_ID defines it.
    const CONFIG_ELEMENT = "playground-config";
    let config = null;

    window.activationPlayground.config = function () {
        if (config !== null) {
            return config;
        }
        const element = document.getElementById(CONFIG_ELEMENT);
        if (!element) {
            return {};  // not cached: the element may come later
        }
        try {
            const value = JSON.parse(element.textContent);
            config = value && typeof value === "object" && !Array.isArray(value) ? value : {};
        } catch (e) {
            config = {};
        }
        return config;
    };

    window.activationPlayground.domId = function (id) {
        const sorted = {};
        for (const key of Object.keys(id).sort()) {
            sorted[key] = id[key];
        }
        return JSON.stringify(sorted);
    };
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
