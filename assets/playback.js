/*
 * Training playback on the builder tab: the frames of a batch (dashboard/views/builder/batch.py)
 * shown one after another at the display's pace, while the next batch is on its way.
 *
 * window.activationPlayground.playback is driven by the tab's clientside callbacks
 * (dashboard/views/builder/playback.py and frames.py), which pass in the ids of the graphs:
 *
 * - start(targets) begins a playback (a new "generation": answers asked for by an older one
 *   are refused) unless one runs; halt() ends it at once, on the frame being shown, which
 *   take() then gives once (null if none was shown, or already taken);
 * - enqueue(batch, gen) queues a batch's frames, if asked for by this playback; queued(),
 *   chain() (where the next batch starts: the last queued frame's state, the loss and drawn
 *   records) and stopped() (a frame that ended training was shown) tell the callbacks what to
 *   do next, playing() whether a playback runs;
 * - syncDue(ms) gives the frame shown, at most once per ``ms``, to write into the sliders;
 * - written(item, names, lossFigure, all) gives the page's values for a frame shown: the
 *   sliders (when ``names`` are the batch's), the training line and, with ``all``, the state,
 *   the loss record and the loss figure.
 *
 * A frame is drawn from the Patch assignments it carries (curves as typed arrays): the plot's
 * curves, whose axes have fixed ranges, by a Plotly.animate of no length without a redraw
 * (only their lines are drawn again), anything else by one Plotly.update per graph (the
 * diagram's edges as per-edge changes, so only those are drawn again), the loss curve by one
 * Plotly.restyle; the score's packed text goes in the feedback attribute, which
 * assets/feedback.js writes out.
 */
(function () {
    "use strict";

    const ARRAYS = {f4: Float32Array, f8: Float64Array, i4: Int32Array, i2: Int16Array,
        i1: Int8Array, u4: Uint32Array, u2: Uint16Array, u1: Uint8Array};

    let gen = 0;
    let playing = false;
    let stopped = false;
    let queue = [];
    let chain = null;
    let shown = null;
    let held = null;
    let synced = null;
    let lastSync = 0;
    let lastDraw = -Infinity;
    let cost = 0;
    let targets = null;
    let request = 0;

    function decoded(value) {
        if (!value || typeof value !== "object" || typeof value.bdata !== "string") {
            return value;
        }
        const kind = ARRAYS[value.dtype];
        if (!kind) {
            return value;
        }
        const raw = atob(value.bdata);
        const bytes = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i += 1) {
            bytes[i] = raw.charCodeAt(i);
        }
        return new kind(bytes.buffer);
    }

    function graph(id) {
        const holder = document.getElementById(id);
        return holder && holder.querySelector(".js-plotly-plot");
    }

    // What differs between two layout items, as relayout's "item[i].a.b" keys (so plotly.js
    // redraws just those shapes instead of the whole plot).
    function differences(into, path, before, after) {
        for (const key of Object.keys(after)) {
            const value = after[key];
            const old = before ? before[key] : undefined;
            if (value && typeof value === "object" && !Array.isArray(value)) {
                differences(into, path + "." + key, old, value);
            } else if (old !== value) {
                into[path + "." + key] = value;
            }
        }
    }

    // A whole array of layout items (the diagram's edges) as the differences from the items
    // drawn, where there are as many.
    function itemwise(gd, layout) {
        for (const key of Object.keys(layout)) {
            const items = layout[key];
            const drawn = gd.layout && gd.layout[key];
            if (Array.isArray(items) && Array.isArray(drawn) && drawn.length === items.length
                && items.every((item) => item && typeof item === "object")) {
                delete layout[key];
                items.forEach((item, i) => differences(layout, key + "[" + i + "]", drawn[i], item));
            }
        }
        return layout;
    }

    // One Plotly.update per set of traces the assignments touch (usually one in all).
    function assign(gd, ops, still) {
        if (!gd || !ops || !ops.length) {
            return;
        }
        const byTraces = new Map();
        const layout = {};
        const perAttr = {};
        for (const [location, value] of ops) {
            if (location[0] === "layout") {
                layout[location.slice(1).join(".")] = decoded(value);
            } else if (typeof location[1] === "number") {  // data[i]...
                const attr = location.slice(2).join(".");
                (perAttr[attr] = perAttr[attr] || []).push([location[1], decoded(value)]);
            }
        }
        for (const attr of Object.keys(perAttr)) {
            const pairs = perAttr[attr].sort((a, b) => a[0] - b[0]);
            const key = pairs.map((p) => p[0]).join(",");
            if (!byTraces.has(key)) {
                byTraces.set(key, {traces: pairs.map((p) => p[0]), update: {}});
            }
            byTraces.get(key).update[attr] = pairs.map((p) => p[1]);
        }
        itemwise(gd, layout);
        if (still && byTraces.size === 1 && !Object.keys(layout).length) {
            const group = byTraces.values().next().value;
            const attrs = Object.keys(group.update);
            if (attrs.length === 1 && attrs[0] === "y") {
                // Only the curves move: a transition of no length redraws just their lines.
                window.Plotly.animate(gd, {
                    data: group.update.y.map((y) => ({y: y})),
                    traces: group.traces,
                }, {transition: {duration: 0}, frame: {duration: 0, redraw: false},
                    mode: "immediate"});
                return;
            }
        }
        let first = true;
        for (const group of byTraces.values()) {
            window.Plotly.update(gd, group.update, first ? layout : {}, group.traces);
            first = false;
        }
        if (first && Object.keys(layout).length) {
            window.Plotly.relayout(gd, layout);
        }
    }

    // The loss record as it stood at the frame: the batch's record up to the frame's step,
    // ending at the frame's own point.
    function lossAt(item) {
        const record = item.loss || {};
        const steps = [];
        const losses = [];
        const all = Array.isArray(record.step) ? record.step : [];
        for (let i = 0; i < all.length && all[i] <= item.frame.step; i += 1) {
            steps.push(all[i]);
            losses.push(record.loss[i]);
        }
        const end = item.frame.end;
        if (end && (!steps.length || steps[steps.length - 1] < end[0])) {
            steps.push(end[0]);
            losses.push(end[1]);
        }
        return {stride: record.stride || 1, step: steps, loss: losses};
    }

    function draw(item) {
        const frame = item.frame;
        assign(graph(targets.plot), frame.plot, true);  // its axes stay put
        assign(graph(targets.diagram), frame.diagram);
        const loss = graph(targets.loss);
        if (loss) {
            const record = lossAt(item);
            window.Plotly.restyle(loss, {x: [record.step], y: [record.loss]}, [0]);
        }
        const holder = document.getElementById(targets.feedback);
        if (holder && typeof frame.feedback === "string") {
            holder.setAttribute(targets.attribute, frame.feedback);
        }
    }

    // A frame every frameMs, each in turn; where drawing takes longer (a busy machine), the
    // page keeps at least as much time between draws as a draw takes, for the pointer and the
    // keys, and the frames (so the batches asked for) slow down with it.
    function tick(now) {
        if (!playing) {
            return;
        }
        if (queue.length && !stopped && now - lastDraw >= Math.max(targets.frameMs, cost) - 4) {
            const item = queue.shift();
            const started = performance.now();
            draw(item);
            cost = performance.now() - started;
            shown = item;
            lastDraw = now;
            if (item.frame.stop) {
                stopped = true;
                queue = [];
            }
        }
        request = window.requestAnimationFrame(tick);
    }

    function sameNames(a, b) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length
            && a.every((v, i) => v === b[i]);
    }

    const playback = {
        gen: () => gen,
        queued: () => queue.length,
        chain: () => chain,
        stopped: () => stopped,
        playing: () => playing,
        start: function (given) {
            if (playing) {
                return false;
            }
            gen += 1;
            playing = true;
            stopped = false;
            queue = [];
            chain = null;
            shown = null;
            synced = null;
            targets = given;
            lastDraw = -Infinity;
            cost = 0;
            request = window.requestAnimationFrame(tick);
            return true;
        },
        halt: function () {
            if (!playing) {
                return;
            }
            gen += 1;
            playing = false;
            queue = [];
            chain = null;
            held = shown;
            window.cancelAnimationFrame(request);
        },
        take: function () {
            const item = held;
            held = null;
            return item;
        },
        enqueue: function (batch, asked) {
            if (!playing || asked !== gen || !batch || !Array.isArray(batch.frames)
                || !batch.frames.length) {
                return false;
            }
            for (const frame of batch.frames) {
                queue.push({frame: frame, names: batch.names, loss: batch.loss});
            }
            const last = batch.frames[batch.frames.length - 1];
            chain = {state: last.state, loss: batch.loss, drawn: batch.drawn};
            return true;
        },
        syncDue: function (ms) {
            const now = performance.now();
            if (!shown || shown === synced || now - lastSync < ms) {
                return null;
            }
            synced = shown;
            lastSync = now;
            return shown;
        },
        written: function (item, names, lossFigure, all) {
            const frame = item.frame;
            const out = {report: frame.report, report_class: frame.report_class};
            if (!sameNames(item.names, names)) {
                return out;  // another network's sliders are on the page now
            }
            out.values = frame.values;
            if (frame.ranges) {
                out.mins = frame.ranges.mins;
                out.maxes = frame.ranges.maxes;
                out.marks = frame.ranges.marks;
            }
            if (all) {
                const record = lossAt(item);
                out.state = frame.state;
                out.loss = record;
                if (lossFigure && Array.isArray(lossFigure.data) && lossFigure.data.length) {
                    const data = lossFigure.data.slice();
                    data[0] = Object.assign({}, data[0], {x: record.step, y: record.loss});
                    out.loss_figure = Object.assign({}, lossFigure, {data: data});
                }
            }
            return out;
        },
    };

    window.activationPlayground = window.activationPlayground || {};
    window.activationPlayground.playback = playback;
})();
