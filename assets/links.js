/* The address bar always holds a link to what is on the screen (read back by dashboard/urlstate.py).
 *
 * Plain script, outside Dash's callbacks: every 0.7 s, when the browser is idle, it reads the
 * open tab's controls from the layout the Dash renderer holds and, when the layout changed
 * since, writes the query string with history.replaceState, so the browser's history gets no
 * entry. It dispatches nothing to Dash: a clock driving a Dash callback cost a whole renderer
 * cycle (30-60 ms of the page's time on a 2-core machine) every tick, which slider steps
 * ran into. */
(function () {
  "use strict";
  // Tabs whose whole state a link holds (dashboard/urlstate.py STATE_TABS); others: tab and language.
  const STATE_TABS = ["gallery", "neuron", "square2", "sin3", "deep"];
  // The network builder: its network from the "arch" store, its seed and training settings from
  // its controls (control name -> link key), its weights from its sliders (urlstate.py BUILDER).
  const BUILDER = "builder";
  const BUILDER_KEYS = { seed: "seed", optimizer: "opt", lr: "lr", batch: "batch" };
  const TARGET_KEYS = { target: "target", formula: "f", a: "a", b: "b", goal: "goal" };
  // The target controls' group (dashboard/ids.py target_check) and its attribute holding the
  // values the server last judged (views/approx.py CHECKED).
  const TARGET_CHECK = "target_check";
  const CHECKED = "data-checked";
  const FLAGS = ["beyond", "stack"];
  // Ids of the page's own components (dashboard/ids.py).
  const SAVED = "saved";
  const LANG = "lang";
  const MAIN = "main";
  // How often the address bar is brought up to date.
  const EVERY_MS = 700;

  const number = (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : null);

  function network(q, arch, controls) {
    const a = arch && arch.value;
    if (a && Array.isArray(a.widths) && Array.isArray(a.activations)) {
      q.set("layers", a.widths.join(","));
      q.set("acts", a.activations.join(","));
    }
    const byName = {};
    // A box the server marked invalid (its class holds "invalid") is left out of the link.
    for (const c of controls) if (!c.invalid) byName[c.id.name] = c.value;
    for (const [name, key] of Object.entries(BUILDER_KEYS)) {
      const v = byName[name];
      if (name === "optimizer") {
        if (typeof v === "string") q.set(key, v);
      } else if (number(v) !== null) {
        q.set(key, number(v));
      }
    }
  }

  function query(saved, tab, lang, acts, params, actParams, targets, overlays, archs, controls) {
    const q = new URLSearchParams();
    q.set("tab", tab);
    if (lang) q.set("lang", lang);
    const builder = tab === BUILDER;
    if (!builder && !STATE_TABS.includes(tab)) return q;
    const mine = (items) => items.filter((item) => item.id.tab === tab);
    if (builder) network(q, mine(archs)[0], mine(controls));
    const act = mine(acts)[0];
    if (act) q.set("act", act.value);
    for (const p of mine(params)) {
      const v = number(p.value);
      if (v !== null) q.set(p.id.name, v);
    }
    for (const p of mine(actParams)) {
      const v = number(p.value);
      if (act && p.id.act === act.value && v !== null) q.set("p." + p.id.name, v);
    }
    const fields = {};
    const invalid = {};
    for (const item of mine(targets)) {
      fields[item.id.field] = item.value;
      invalid[item.id.field] = item.invalid;
    }
    if ("target" in fields) {
      for (const [field, key] of Object.entries(TARGET_KEYS)) {
        const v = fields[field];
        // A box the server marked invalid stays out of the link (for a >= b it marks both).
        if (invalid[field]) continue;
        if (field === "formula" && fields.target !== "formula") continue;
        if (field === "target" || field === "formula") {
          if (typeof v === "string") q.set(key, v);
        } else if (number(v) !== null) {
          q.set(key, number(v));
        }
      }
      for (const flag of FLAGS) {
        if (Array.isArray(fields[flag]) && fields[flag].includes("on")) q.set(flag, "1");
      }
    }
    const ov = mine(overlays)[0];
    if (ov && Array.isArray(ov.value)) q.set("ov", ov.value.join(","));
    const options = saved && saved._options && saved._options[tab];
    if (options && Array.isArray(options.hide) && options.hide.length) {
      q.set("hide", options.hide.join(","));
    }
    if (options && options.lock === true) q.set("lock", "1");
    return q;
  }

  // The components the link is made of, by id type, from the layout the Dash renderer holds
  // (window.dash_component_api.getLayout, its public API for reading props).
  const READ = {
    activation: "acts", param: "params", act_param: "actParams", target: "targets",
    overlays: "overlays", control: "controls",
  };

  function collect(layout) {
    const found = {acts: [], params: [], actParams: [], targets: [], overlays: [], archs: [],
                   controls: [], checks: [], panels: [], saved: null, tab: null, lang: null};
    // The renderer keeps the page's root component under "components".
    const stack = [layout.components !== undefined ? layout.components : layout];
    while (stack.length) {
      const node = stack.pop();
      if (Array.isArray(node)) {
        for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);  // document order
        continue;
      }
      if (!node || typeof node !== "object" || !node.props) continue;
      const props = node.props;
      const id = props.id;
      if (id === SAVED) found.saved = props.data;
      else if (id === LANG) found.lang = props.value;
      else if (id && typeof id === "object") {
        if (id.type === "tabbar" && id.bar === MAIN) found.tab = props.value;
        else if (id.type === "panel" && id.bar === MAIN) found.panels.push(id.key);
        else if (id.type === "store" && id.name === "arch") found.archs.push({id, value: props.data});
        else if (id.type === TARGET_CHECK) found.checks.push({id, value: props[CHECKED]});
        else if (READ[id.type]) {
          const invalid = /(^|\s)invalid(\s|$)/.test(props.className || "");
          found[READ[id.type]].push({id, value: props.value, invalid});
        }
      }
      if (props.children !== undefined) stack.push(props.children);
    }
    return found;
  }

  // Whether the open tab's target boxes hold the values the server last judged: until its
  // verdict on a new value is in, the boxes' "invalid" marks are those of the old one, and a
  // bad value would be linked. (No target controls: nothing to wait for.)
  function judged(f) {
    const check = f.checks.find((c) => c.id.tab === f.tab);
    if (!check) return true;
    const seen = check.value;
    if (!seen || typeof seen !== "object") return false;
    const same = (a, b) => JSON.stringify(a === undefined ? null : a) ===
                           JSON.stringify(b === undefined ? null : b);
    return f.targets.filter((t) => t.id.tab === f.tab)
      .every((t) => same(seen[t.id.field], t.value));
  }

  // The page's own link is read once by the server (views/shell.py render); until it has been,
  // the address bar keeps it.
  const opened = window.location.search.replace(/^\?/, "") !== "";
  let written = null;

  function write() {
    const api = window.dash_component_api;
    const layout = api && api.getLayout ? api.getLayout([]) : undefined;
    if (!layout || layout === written) return;
    const f = collect(layout);
    // Between a tab switch and the new tab's body the controls do not match the tab bar.
    if (typeof f.tab !== "string" || !f.panels.includes(f.tab)) return;
    if (opened && !(f.saved && f.saved._linked)) return;
    if (!judged(f)) return;  // looked at again on the next tick
    written = layout;
    const q = query(f.saved, f.tab, f.lang, f.acts, f.params, f.actParams, f.targets,
                    f.overlays, f.archs, f.controls);
    const text = "?" + q.toString().replace(/%2C/g, ",");
    if (text !== window.location.search) {
      window.history.replaceState(window.history.state, "", text + window.location.hash);
    }
  }

  // A look at the layout costs well under a millisecond and changes nothing in Dash; when the
  // layout object is the one last written, nothing changed and nothing is done.
  window.setInterval(function () {
    if (window.requestIdleCallback) window.requestIdleCallback(write, {timeout: EVERY_MS});
    else write();
  }, EVERY_MS);
})();
