/* The address bar always holds a link to what is on the screen (read back by dashboard/links).
 *
 * Plain script, outside Dash's callbacks: every 0.7 s, when the browser is idle, it reads the
 * open tab's controls from the layout the Dash renderer holds and, when the layout changed
 * since, writes the query string with history.replaceState, so the browser's history gets no
 * entry. It dispatches nothing to Dash: a clock driving a Dash callback cost a whole renderer
 * cycle (30-60 ms of the page's time on a 2-core machine) every tick, which slider steps
 * ran into.
 *
 * What a link holds comes from the page config's "links" section (dashboard/links/schema.py):
 * its rows, in order, each a link key with its kind, its group and the control it is read from
 * (id type, id fields, property), and each tab's groups. The script holds no key, tab or id. */
(function () {
  "use strict";
  // How often the address bar is brought up to date.
  const EVERY_MS = 700;

  const number = (v) => (Number.isFinite(v) ? String(v) : null);
  const invalid = (props) => /(^|\s)invalid(\s|$)/.test(props.className || []);

  function settings() {
    const app = window.activationPlayground;
    const cfg = app && app.config ? app.config() : {};
    if (!cfg.links || !cfg.ids || !cfg.views) return null;
    return {links: cfg.links, types: cfg.ids.types, fixed: cfg.ids.fixed,
            checked: cfg.views.attributes.checked};
  }

  // Whether a component's id is the control's (on tab ``tab``, unless a control of the page).
  function matches(id, control, tab) {
    if (control.page && !Object.keys(control.match).length) return id === control.type;
    if (!id || typeof id !== "object" || id.type !== control.type) return false;
    if (!control.page && id.tab !== tab) return false;
    return Object.entries(control.match).every(([field, value]) => id[field] === value);
  }

  // Every component with an id, in document order, from the layout the Dash renderer holds
  // (window.dash_component_api.getLayout, its public API for reading props).
  function components(layout) {
    const found = [];
    // The renderer keeps the page's root component under "components".
    const stack = [layout.components !== undefined ? layout.components : layout];
    while (stack.length) {
      const node = stack.pop();
      if (Array.isArray(node)) {
        for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);  // document order
        continue;
      }
      if (!node || typeof node !== "object" || !node.props) continue;
      if (node.props.id !== undefined) found.push(node.props);
      if (node.props.children !== undefined) stack.push(node.props.children);
    }
    return found;
  }

  // A control's value as its row's kind writes it (null: left out).
  function text(row, v, L) {
    const kinds = L.kinds;
    if (v === undefined || v === null) return null;
    if (row.kind === kinds.flag) {
      const on = v === true || (Array.isArray(v) && v.includes(L.on));
      return on ? L.flagOn : null;
    }
    if (row.kind === kinds.list) {
      if (!Array.isArray(v) || (row.omitEmpty && !v.length)) return null;
      return v.join(",");
    }
    if (row.kind === kinds.number || row.kind === kinds.whole) return number(v);
    if (typeof v !== "string") return null;
    return row.kind === kinds.word && !v.length ? null : v;
  }

  // The (key, value) pairs of one row on the open tab.
  function read(row, page, q, L) {
    const c = row.control;
    if (!c) return [];
    if (c.type === L.option) {
      const all = page.saved && page.saved[L.saved.options];
      const mine = all && all[page.tab];
      return mine ? [[row.key, mine[Object.values(c.match)[0]]]] : [];
    }
    const out = [];
    for (const props of page.all) {
      // A box the server marked invalid (its class holds "invalid") is left out of the link.
      if (!matches(props.id, c, page.tab) || invalid(props)) continue;
      if (!Object.entries(c.same).every(([field, key]) => props.id[field] === q.get(key))) {
        continue;
      }
      let v = props[c.prop];
      if (c.part) v = v && typeof v === "object" ? v[c.part] : undefined;
      const name = props.id[c.by];
      out.push([c.by ? (row.key ? row.key + name : name) : row.key, v]);
      if (!c.by) break;
    }
    return out;
  }

  function query(page, L) {
    const q = new URLSearchParams();
    const groups = L.tabs[page.tab] || [];
    for (const row of L.rows) {
      if (!groups.includes(row.group)) continue;
      if (row.only && q.get(row.only[0]) !== row.only[1]) continue;
      for (const [key, v] of read(row, page, q, L)) {
        const t = text(row, v, L);
        if (t !== null) q.set(key, t);
      }
    }
    return q;
  }

  // The open tab, the saved store and every component, from the layout. The schema's first
  // row is the tab's: its control is the tab bar.
  function look(layout, s) {
    const all = components(layout);
    const bar = s.links.rows[0].control;
    const open = all.find((p) => matches(p.id, bar, null));
    const ofType = (type) => all.filter((p) => p.id && p.id.type === type);
    return {
      all: all,
      tab: open ? open[bar.prop] : null,
      saved: (all.find((p) => p.id === s.fixed.saved) || {}).data,
      panels: ofType(s.types.panel).filter((p) => p.id.bar === bar.match.bar).map((p) => p.id.key),
      checks: ofType(s.types.target_check),
    };
  }

  // Whether the open tab's target boxes hold the values the server last judged: until its
  // verdict on a new value is in, the boxes' "invalid" marks are those of the old one, and a
  // bad value would be linked. (No target controls: nothing to wait for.)
  function judged(page, s) {
    const check = page.checks.find((c) => c.id.tab === page.tab);
    if (!check) return true;
    const seen = check[s.checked];
    if (!seen || typeof seen !== "object") return false;
    const same = (a, b) => JSON.stringify(a === undefined ? null : a) ===
                           JSON.stringify(b === undefined ? null : b);
    return page.all.filter((p) => p.id && p.id.type === s.types.target && p.id.tab === page.tab)
      .every((p) => same(seen[p.id.field], p.value));
  }

  // The page's own link is read once by the server (views/shell.py render); until it has been,
  // the address bar keeps it.
  const opened = window.location.search.length > 1;
  let written = null;

  function write() {
    const s = settings();
    const api = window.dash_component_api;
    const layout = api && api.getLayout ? api.getLayout([]) : undefined;
    if (!s || !layout || layout === written) return;
    const page = look(layout, s);
    // Between a tab switch and the new tab's body the controls do not match the tab bar.
    if (typeof page.tab !== "string" || !page.panels.includes(page.tab)) return;
    if (opened && !(page.saved && page.saved[s.links.saved.linked])) return;
    if (!judged(page, s)) return;  // looked at again on the next tick
    written = layout;
    const text = "?" + query(page, s.links).toString().replace(/%2C/g, ",");
    if (text !== window.location.search) {
      window.history.replaceState(window.history.state, document.title, text + window.location.hash);
    }
  }

  // A look at the layout costs well under a millisecond and changes nothing in Dash; when the
  // layout object is the one last written, nothing changed and nothing is done.
  window.setInterval(function () {
    if (window.requestIdleCallback) window.requestIdleCallback(write, {timeout: EVERY_MS});
    else write();
  }, EVERY_MS);
})();
