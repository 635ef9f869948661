/* The address bar always holds a link to what is on the screen (read back by dashboard/urlstate.py).
 *
 * A clientside callback (views/shell.py) calls links.write when the tab, the language or the
 * instructor's options change, and otherwise on a slow clock (views/shell.py LINK_EVERY_MS):
 * run on every slider step, it cost the renderer about 10 ms per step. It writes the query
 * string with history.replaceState, so the browser's history gets no entry, and changes no
 * Dash property. */
(function () {
  "use strict";
  // Tabs whose whole state a link holds (dashboard/urlstate.py STATE_TABS); others: tab and language.
  const STATE_TABS = ["gallery", "neuron", "square2", "sin3", "deep"];
  // The network builder: its network from the "arch" store, its seed and training settings from
  // its controls (control name -> link key), its weights from its sliders (urlstate.py BUILDER).
  const BUILDER = "builder";
  const BUILDER_KEYS = { seed: "seed", optimizer: "opt", lr: "lr", batch: "batch" };
  const TARGET_KEYS = { target: "target", formula: "f", a: "a", b: "b", goal: "goal" };
  const FLAGS = ["beyond", "stack"];

  const number = (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : null);

  function network(q, arch, controls) {
    const a = arch && arch.value;
    if (a && Array.isArray(a.widths) && Array.isArray(a.activations)) {
      q.set("layers", a.widths.join(","));
      q.set("acts", a.activations.join(","));
    }
    const byName = {};
    for (const c of controls) byName[c.id.name] = c.value;
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
    for (const item of mine(targets)) fields[item.id.field] = item.value;
    if ("target" in fields) {
      for (const [field, key] of Object.entries(TARGET_KEYS)) {
        const v = fields[field];
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

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    links: {
      write: function () {
        const dc = window.dash_clientside;
        const cc = dc.callback_context;
        // Inputs: the clock, the saved store, the tab, the language; states: the controls.
        const [saved, tab, lang] = cc.inputs_list.slice(1);
        const [acts, params, actParams, targets, overlays, archs, controls] = cc.states_list;
        if (typeof tab.value !== "string") return dc.no_update;
        const q = query(saved.value, tab.value, lang.value, acts, params, actParams, targets,
                        overlays, archs, controls);
        const text = "?" + q.toString().replace(/%2C/g, ",");
        if (text !== window.location.search) {
          window.history.replaceState(window.history.state, "", text + window.location.hash);
        }
        return dc.no_update;
      },
    },
  });
})();
