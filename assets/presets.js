/*
 * Draws a tab's preset table (views/classroom.py preset_table) from its holder's data-table
 * attribute, as plain HTML: a Dash component per cell would cost the Dash renderer time on
 * every store update of every slider step (the cells were about 70 of the square2 tab's 235
 * components). A click on a row's Apply sets the tab's pick store (dashboard/ids.py pick) through
 * dash_clientside.set_props, like a user change; the server's callback checks the row and
 * sets the sliders. Texts go in as textContent, never as HTML (names come from uploads). The
 * attribute's name, the store's id type and the message's class come from the page config.
 */
(function () {
    "use strict";

    const page = window.activationPlayground;
    const config = page.config();
    const types = (config.ids || {}).types || {};
    const views = config.views || {};
    const attribute = (views.attributes || {}).table;
    const classes = views.classes || {};
    let clicks = 0;

    function element(tag, text, className) {
        const node = document.createElement(tag);
        if (typeof text === "string") {
            node.textContent = text;
        }
        if (className) {
            node.className = className;
        }
        return node;
    }

    function row(tag, texts) {
        const tr = document.createElement("tr");
        for (const text of texts) {
            tr.appendChild(element(tag, String(text)));
        }
        return tr;
    }

    function applyButton(tab, item) {
        const button = element("button", String(item.apply), "apply");
        button.type = "button";
        button.id = String(item.id);
        button.title = String(item.title);
        button.addEventListener("click", function () {
            if (window.dash_clientside && window.dash_clientside.set_props) {
                clicks += 1;
                window.dash_clientside.set_props(
                    {type: types.pick, tab: tab},
                    {data: {row: item.row, n: clicks}},
                );
            }
        });
        return button;
    }

    function draw(holder, tab, table, raw) {
        if (holder.dataset.drawn === raw) {
            return;
        }
        let content;
        if (typeof table.empty === "string") {
            content = element("p", table.empty, classes.hint);
        } else if (Array.isArray(table.head) && Array.isArray(table.rows)) {
            content = document.createElement("table");
            const head = content.appendChild(document.createElement("thead"));
            head.appendChild(row("th", table.head));
            const body = content.appendChild(document.createElement("tbody"));
            for (const item of table.rows) {
                if (!item || !Array.isArray(item.cells)) {
                    continue;
                }
                const tr = body.appendChild(row("td", item.cells));
                tr.appendChild(document.createElement("td")).appendChild(applyButton(tab, item));
            }
        } else {
            return;
        }
        holder.replaceChildren(content);
        holder.dataset.drawn = raw;
    }

    if (attribute) {
        page.watchAttribute(attribute, draw);
    }
})();
