// The training playground: replays runs that glassnet trained at build time.
// Markup: <div class="gn-playground" data-src="PATH/interactive/playground/">.
// Each run is one file, fetched when the reader picks its combination.

import {
  control,
  fitCanvas,
  fmt,
  loadJson,
  loadPacked,
  mix,
  mount,
  pageUrl,
  palette,
  player,
  range,
  rgb,
  select,
  svg,
  uid,
  watchLayout,
} from "./gn-common.js";

const NAMES = {
  data: {
    xor: "XOR",
    circles: "circles",
    moons: "two moons",
    spirals: "spirals",
    blobs: "Gaussian blobs",
  },
  net: {
    0: "no hidden layer",
    4: "one hidden layer of 4",
    8: "one hidden layer of 8",
    "8-8": "two hidden layers of 8",
    "8-8-8": "three hidden layers of 8",
  },
  act: {relu: "ReLU", tanh: "tanh", sigmoid: "sigmoid"},
};
const PLAY_INTERVAL_MS = 450;

mount(".gn-playground", (root) => {
  const abort = new AbortController();
  const view = {root, abort, run: null, cleanups: []};
  const base = pageUrl(root.dataset.src);
  loadJson(base + "manifest.json", abort.signal)
    .then((manifest) => {
      if (abort.signal.aborted) return;
      view.manifest = manifest;
      view.base = base;
      build(view);
      view.cleanups.push(watchLayout(root, () => draw(view)));
      loadRun(view);
    })
    .catch((error) => showError(view, error));
  return () => {
    abort.abort();
    if (view.player) view.player.stop();
    view.cleanups.forEach((fn) => fn());
  };
});

function showError(view, error) {
  if (error.name === "AbortError") return;
  view.root.querySelector(".gn-status").textContent =
    `The playground could not load: ${error.message}`;
  console.error(error);
}

// --- state and URL -------------------------------------------------------------------

function stateFromUrl(manifest) {
  const params = new URLSearchParams(window.location.search);
  const pick = (key, allowed, fallback) =>
    allowed.map(String).includes(params.get(key)) ? params.get(key) : fallback;
  // The first view is glassnet_site.interactive.playground.DEFAULT, written to the manifest.
  const first = manifest.default;
  return {
    data: pick("data", manifest.datasets, first.data),
    net: pick("net", manifest.networks, first.net),
    act: pick("act", manifest.activations, first.act),
    lr: pick("lr", manifest.lrs, first.lr),
    reg: pick("reg", manifest.regs, first.reg),
    epoch: Number(params.get("epoch") ?? manifest.grid.epochs),
    val: params.get("val") === "0" ? "0" : "1", // validation points shown unless val=0
  };
}

function writeUrl(state) {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(state)) url.searchParams.set(key, value);
  history.replaceState(history.state, "", url);
}

// The run a combination shares: the manifest maps every combination that shares another's
// run (glassnet_site.interactive.playground.Combo.canonical) to that run's key.
function runKey(s, manifest) {
  const key = [s.data, s.net, s.act, s.lr, s.reg].join("_");
  return manifest.shared[key] ?? key;
}

// --- the controls --------------------------------------------------------------------

function build(view) {
  const {root, manifest} = view;
  const grid = manifest.grid;
  const state = stateFromUrl(manifest);
  root.textContent = "";
  const form = el("form", "gn-controls", root);
  form.addEventListener("submit", (event) => event.preventDefault());
  const regNames = {
    none: "none",
    l2: `L2 (weight decay ${grid.l2})`,
    dropout: `dropout (p = ${grid.dropout})`,
  };
  const choices = [
    ["data", "Dataset", manifest.datasets.map((k) => [k, NAMES.data[k]])],
    ["net", "Network", manifest.networks.map((k) => [k, NAMES.net[k]])],
    ["act", "Activation", manifest.activations.map((k) => [k, NAMES.act[k]])],
    ["lr", "Learning rate", manifest.lrs.map((k) => [String(k), String(k)])],
    ["reg", "Regularisation", manifest.regs.map((k) => [k, regNames[k]])],
  ];
  view.controls = {};
  for (const [key, text, options] of choices) {
    const input = control(form, uid(`gn-pg-${key}`), text, select(options, state[key]));
    input.dataset.key = key;
    input.addEventListener("change", () => {
      view.player.stop();
      loadRun(view);
    });
    view.controls[key] = input;
  }
  view.showVal = checkbox(form, uid("gn-pg-val"), "Show validation points", state.val === "1");
  view.showVal.addEventListener("change", () => show(view));
  const bar = el("div", "gn-player", root);
  const snapshots = grid.snapshots;
  const index = nearestIndex(snapshots, state.epoch);
  view.slider = control(bar, uid("gn-pg-epoch"), "Epoch", range(0, snapshots.length - 1, index));
  view.slider.addEventListener("input", () => {
    view.player.stop();
    show(view);
  });
  view.player = player(bar, view.slider, {
    labels: {play: "Play the training replay", pause: "Pause the training replay"},
    interval: PLAY_INTERVAL_MS,
    draw: (announce) => show(view, announce),
  });
  bar.prepend(view.player.button); // Play comes first, as before the slider in reading order
  view.epochText = el("output", "gn-epoch", bar);
  view.epochText.htmlFor = view.slider.id;
  buildPanels(view);
}

// A checkbox inside its label, so that the whole label (44 px high) takes the tap.
function checkbox(parent, id, labelText, checked) {
  const label = el("label", "gn-check", parent);
  label.htmlFor = id;
  const input = el("input", "", label);
  Object.assign(input, {type: "checkbox", id, checked});
  label.append(labelText);
  return input;
}

function buildPanels(view) {
  const panels = el("div", "gn-panels", view.root);
  const boundary = el("figure", "gn-panel", panels);
  view.canvas = el("canvas", "gn-boundary", boundary);
  view.canvas.setAttribute("role", "img");
  caption(
    boundary,
    "Decision regions: the network's probability of class 1 (orange), with " +
      "training points filled and validation points hollow (when shown); circles are " +
      "class 0, squares class 1.",
  );
  const curves = el("figure", "gn-panel", panels);
  view.curves = svg(
    "svg",
    {
      viewBox: "0 0 320 210",
      class: "gn-curves",
      role: "img",
      "aria-label": "Training and validation loss per epoch",
    },
    curves,
  );
  caption(
    curves,
    "Loss per epoch: training (solid) and validation (dashed); the marker is " + "the epoch shown.",
  );
  const units = el("figure", "gn-units-figure", view.root);
  view.units = el("div", "gn-layers", units);
  view.zoom = el("div", "gn-zoom", units);
  view.zoom.hidden = true;
  view.zoom.setAttribute("aria-hidden", "true"); // the square itself carries the name
  el("canvas", "", view.zoom);
  el("span", "", view.zoom);
  caption(
    units,
    "What each neuron of every hidden layer responds to, one group per layer: its output " +
      "over the same plane, orange where it is above its resting value (0, or 0.5 for " +
      "sigmoid), blue below, each square scaled to its own largest output. Point at a " +
      "square, tap it or move the keyboard focus to it (Tab, then the arrow keys) to see " +
      "it larger.",
  );
  view.status = el("p", "gn-status", view.root);
  view.status.setAttribute("aria-live", "polite");
}

function caption(figure, text) {
  el("figcaption", "", figure).textContent = text;
}

function el(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  parent.appendChild(node);
  return node;
}

function nearestIndex(values, target) {
  let best = 0;
  values.forEach((v, i) => {
    if (Math.abs(v - target) < Math.abs(values[best] - target)) best = i;
  });
  return best;
}

function currentState(view) {
  const state = {};
  for (const [key, input] of Object.entries(view.controls)) state[key] = input.value;
  state.epoch = view.manifest.grid.snapshots[Number(view.slider.value)];
  state.val = view.showVal.checked ? "1" : "0";
  return state;
}

// --- loading and playing -------------------------------------------------------------

function loadRun(view) {
  const state = currentState(view);
  const key = runKey(state, view.manifest);
  view.root.setAttribute("aria-busy", "true");
  loadPacked(`${view.base}${key}.bin`, view.abort.signal)
    .then((run) => {
      if (view.abort.signal.aborted || runKey(currentState(view), view.manifest) !== key) return;
      view.run = run;
      view.root.removeAttribute("aria-busy");
      view.root.dataset.run = key;
      show(view);
    })
    .catch((error) => showError(view, error));
}

// Draw the chosen epoch; announce it to screen readers unless the replay is running.
function show(view, announce = true) {
  if (!view.run) return;
  const state = currentState(view);
  writeUrl(state);
  view.epochText.textContent = `${state.epoch} of ${view.manifest.grid.epochs}`;
  view.slider.setAttribute(
    "aria-valuetext",
    `epoch ${state.epoch} of ${view.manifest.grid.epochs}`,
  );
  draw(view);
  const text = describe(view, state);
  view.canvas.setAttribute("aria-label", text);
  if (announce || !view.status.textContent) view.status.textContent = text;
}

function describe(view, s) {
  const {arrays, meta} = view.run;
  const i = Number(view.slider.value);
  const epoch = Math.max(0, Math.min(s.epoch, (meta.diverged ?? Infinity) - 1)); // finite
  const loss = (name) => fmt(arrays[name].data[epoch], 3);
  const pct = (name) => `${Math.round(arrays[name].data[i] * 100)}%`;
  const net = s.net === "0" ? NAMES.net["0"] : `${NAMES.net[s.net]} ${NAMES.act[s.act]} units`;
  let text =
    `${NAMES.data[s.data]}, ${net}, learning rate ${s.lr}, regularisation ` +
    `${view.controls.reg.selectedOptions[0].text}. Epoch ${s.epoch} of ${view.manifest.grid.epochs}: ` +
    `training loss ${loss("train_loss")}, validation loss ${loss("val_loss")}; ` +
    `accuracy ${pct("train_acc")} on training, ${pct("val_acc")} on validation points.`;
  if (meta.diverged !== null && s.epoch >= meta.diverged) {
    text +=
      ` Training diverged at epoch ${meta.diverged}: the learning rate is too large ` +
      "for this network, and the picture stays at the last finite state.";
  }
  text += s.val === "1" ? " Validation points shown." : " Validation points hidden.";
  return text;
}

// --- drawing -------------------------------------------------------------------------

function draw(view) {
  if (!view.run) return;
  const colors = palette(view.root);
  const i = Number(view.slider.value);
  drawBoundary(view, colors, i);
  drawCurves(view, colors, view.manifest.grid.snapshots[i]);
  drawUnits(view, colors, i);
}

function drawBoundary(view, colors, i) {
  const {prob} = view.run.arrays;
  const n = prob.shape[1];
  const size = Math.min(view.canvas.parentElement.clientWidth, 360);
  const ctx = fitCanvas(view.canvas, size, size);
  const field = prob.data.subarray(i * n * n, (i + 1) * n * n);
  const bg = rgb(colors.bg),
    c0 = rgb(colors.class0),
    c1 = rgb(colors.class1);
  paint(ctx, field, n, size, (v) => {
    const t = v / 255 - 0.5; // -0.5 (class 0) to 0.5 (class 1)
    return mix(bg, t < 0 ? c0 : c1, Math.abs(t) * 1.1); // at most 55% colour
  });
  ctx.strokeStyle = colors.fg;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const [a, b] of contourSegments(field, n, 127.5)) {
    ctx.moveTo(((a[1] + 0.5) / n) * size, ((a[0] + 0.5) / n) * size);
    ctx.lineTo(((b[1] + 0.5) / n) * size, ((b[0] + 0.5) / n) * size);
  }
  ctx.stroke();
  drawPoints(ctx, view.manifest.data[view.controls.data.value], size, colors, view.showVal.checked);
}

// Colour an n x n byte field through colorOf and scale it smoothly onto the canvas.
function paint(ctx, field, n, size, colorOf) {
  const image = new ImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    image.data.set([...colorOf(field[k]), 255], 4 * k);
  }
  const small = document.createElement("canvas");
  small.width = small.height = n;
  small.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, size, size);
}

function drawPoints(ctx, data, size, colors, showVal) {
  const scale = (v) => ((v + data.half) / (2 * data.half)) * size;
  const sets = [[data.X, data.y, true]];
  if (showVal) sets.push([data.X_val, data.y_val, false]);
  ctx.lineWidth = 1.2;
  for (const [X, y, filled] of sets) {
    X.forEach(([x1, x2], k) => {
      const px = scale(x1),
        py = size - scale(x2);
      ctx.beginPath();
      if (y[k] === 1) ctx.rect(px - 3.2, py - 3.2, 6.4, 6.4);
      else ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = y[k] === 1 ? colors.class1 : colors.class0;
      ctx.strokeStyle = filled ? colors.fg : ctx.fillStyle;
      if (filled) ctx.fill();
      ctx.stroke();
    });
  }
}

// Marching squares: segments where the field crosses level, in (row, column) units.
function contourSegments(field, n, level) {
  const segments = [];
  const at = (r, c) => field[r * n + c] - level;
  for (let r = 0; r < n - 1; r++) {
    for (let c = 0; c < n - 1; c++) {
      const corners = [
        [r, c],
        [r, c + 1],
        [r + 1, c + 1],
        [r + 1, c],
      ];
      const cuts = [];
      for (let k = 0; k < 4; k++) {
        const a = corners[k],
          b = corners[(k + 1) % 4];
        const va = at(...a),
          vb = at(...b);
        if (va < 0 === vb < 0) continue;
        const t = va / (va - vb);
        cuts.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
      for (let k = 0; k + 1 < cuts.length; k += 2) segments.push([cuts[k], cuts[k + 1]]);
    }
  }
  return segments;
}

function drawCurves(view, colors, epoch) {
  const {train_loss: train, val_loss: val} = view.run.arrays;
  const epochs = view.manifest.grid.epochs;
  const finite = [...train.data, ...val.data].filter(Number.isFinite);
  const top = Math.max(0.8, Math.min(2, Math.max(...finite) * 1.05));
  const box = {left: 44, right: 310, top: 12, bottom: 170};
  const x = (e) => box.left + (e / epochs) * (box.right - box.left);
  const y = (v) => box.bottom - (Math.min(v, top) / top) * (box.bottom - box.top);
  const g = view.curves;
  g.textContent = "";
  axes(g, box, colors, top, epochs, x, y);
  const line = (data, dash) => {
    const points = [];
    data.forEach((v, e) => {
      if (Number.isFinite(v)) points.push(`${x(e).toFixed(1)},${y(v).toFixed(1)}`);
    });
    svg(
      "polyline",
      {
        points: points.join(" "),
        fill: "none",
        stroke: colors.fg,
        "stroke-width": 1.6,
        "stroke-dasharray": dash,
      },
      g,
    );
  };
  line(train.data, "none");
  line(val.data, "5 3");
  svg(
    "line",
    {
      x1: x(epoch),
      x2: x(epoch),
      y1: box.top,
      y2: box.bottom,
      stroke: colors.accent,
      "stroke-width": 2,
    },
    g,
  );
  legend(g, colors, box);
}

function axes(g, box, colors, top, epochs, x, y) {
  const text = (content, attrs) => {
    svg("text", {fill: colors.fg, "font-size": 11, ...attrs}, g).textContent = content;
  };
  svg(
    "path",
    {d: `M${box.left},${box.top}V${box.bottom}H${box.right}`, fill: "none", stroke: colors.muted},
    g,
  );
  for (const e of [0, epochs / 2, epochs])
    text(String(e), {x: x(e), y: box.bottom + 14, "text-anchor": "middle"});
  for (const v of [0, top / 2, top])
    text(v.toFixed(2), {x: box.left - 5, y: y(v) + 4, "text-anchor": "end"});
  text("epoch", {x: (box.left + box.right) / 2, y: box.bottom + 30, "text-anchor": "middle"});
  text("loss", {
    x: 12,
    y: (box.top + box.bottom) / 2,
    transform: `rotate(-90 12 ${(box.top + box.bottom) / 2})`,
    "text-anchor": "middle",
  });
}

function legend(g, colors, box) {
  const items = [
    ["training", "none"],
    ["validation", "5 3"],
  ];
  items.forEach(([label, dash], k) => {
    const y0 = box.top + 8 + k * 15;
    svg(
      "line",
      {
        x1: box.right - 100,
        x2: box.right - 76,
        y1: y0,
        y2: y0,
        stroke: colors.fg,
        "stroke-width": 1.6,
        "stroke-dasharray": dash,
      },
      g,
    );
    svg("text", {x: box.right - 70, y: y0 + 4, fill: colors.fg, "font-size": 11}, g).textContent =
      label;
  });
}

// --- every hidden neuron ---------------------------------------------------------------

const SQUARE_GAP = 4; // px between two squares, as .gn-units's gap
const SQUARE_MAX = 64;
const SQUARE_MIN = 44; // a fingertip's target, as the controls (WCAG 2.5.5)
const ZOOM_MAX = 200;

function drawUnits(view, colors, i) {
  const {arrays, meta} = view.run;
  const box = view.units;
  const layers = meta.layers ?? 0;
  if (!layers) {
    hideZoom(view);
    box.dataset.shape = "";
    box.textContent =
      "No hidden layer: this network is logistic regression, whose boundary " +
      "is always a straight line.";
    return;
  }
  const widths = [];
  for (let l = 1; l <= layers; l++) widths.push(arrays[`hidden${l}`].shape[1]);
  if (box.dataset.shape !== widths.join("-")) buildUnits(view, widths);
  // As many squares a row as fit at SQUARE_MIN px, the rows of a layer filled evenly.
  const widest = Math.max(...widths);
  const fit = Math.max(1, Math.floor((box.clientWidth + SQUARE_GAP) / (SQUARE_MIN + SQUARE_GAP)));
  const perRow = Math.ceil(widest / Math.ceil(widest / fit));
  const room = box.clientWidth - (perRow - 1) * SQUARE_GAP;
  const side = Math.max(SQUARE_MIN, Math.min(SQUARE_MAX, Math.floor(room / perRow)));
  box.style.setProperty("--gn-units-row", `${perRow * side + (perRow - 1) * SQUARE_GAP}px`);
  for (const cell of box.querySelectorAll(".gn-unit")) {
    paintUnit(view, colors, i, cell.querySelector("canvas"), cell.dataset, side);
  }
  if (view.zoomed) showZoom(view, view.zoomed);
}

// Colour one neuron's grid at snapshot i onto canvas, side px square.
function paintUnit(view, colors, i, canvas, {layer, unit}, side) {
  const hidden = view.run.arrays[`hidden${layer}`];
  const [, units, n] = hidden.shape;
  const levels = view.manifest.grid.hidden_levels;
  const ctx = fitCanvas(canvas, side, side);
  const start = (i * units + Number(unit)) * n * n;
  const bg = rgb(colors.bg),
    c0 = rgb(colors.class0),
    c1 = rgb(colors.class1);
  paint(ctx, hidden.data.subarray(start, start + n * n), n, side, (v) => {
    const t = (2 * v) / levels - 1; // -1 to 1: below or above the unit's resting value
    return mix(bg, t < 0 ? c0 : c1, Math.abs(t) * 0.8);
  });
}

function buildUnits(view, widths) {
  const box = view.units;
  hideZoom(view);
  box.textContent = "";
  box.dataset.shape = widths.join("-");
  widths.forEach((count, l) => {
    const row = el("div", "gn-layer", box);
    el("p", "gn-layer-name", row).textContent = `Layer ${l + 1}`;
    const squares = el("div", "gn-units", row);
    for (let u = 0; u < count; u++) {
      const cell = el("div", "gn-unit", squares);
      Object.assign(cell.dataset, {layer: l + 1, unit: u});
      // One Tab stop for all the squares (a roving tab index): Tab reaches the square last
      // visited, the arrow keys move between squares, and the next Tab leaves the grid.
      cell.tabIndex = l === 0 && u === 0 ? 0 : -1;
      cell.setAttribute("role", "img");
      cell.setAttribute("aria-label", `Layer ${l + 1}, neuron ${u + 1}`);
      el("canvas", "", cell).setAttribute("aria-hidden", "true");
      cell.addEventListener("mouseenter", () => showZoom(view, cell));
      cell.addEventListener("mouseleave", () => {
        if (document.activeElement === cell) return;
        const focused = box.contains(document.activeElement) ? document.activeElement : null;
        if (focused) showZoom(view, focused);
        else hideZoom(view);
      });
      cell.addEventListener("focus", () => {
        for (const other of box.querySelectorAll(".gn-unit")) other.tabIndex = -1;
        cell.tabIndex = 0;
        showZoom(view, cell);
      });
      cell.addEventListener("blur", () => {
        if (view.zoomed === cell && !cell.matches(":hover")) hideZoom(view);
      });
      cell.addEventListener("click", () => cell.focus()); // a tap enlarges it too
      cell.addEventListener("keydown", (event) => {
        if (event.key === "Escape") hideZoom(view);
        const next = neighbour(box, cell, event.key);
        if (next) {
          event.preventDefault();
          next.focus();
        }
      });
    }
  });
}

// The square an arrow key moves to from cell: the next or previous neuron of its layer,
// or the neuron of the same number (or the layer's last) in the layer above or below;
// Home and End go to the first and last neuron of its layer.
function neighbour(box, cell, key) {
  const layer = Number(cell.dataset.layer),
    unit = Number(cell.dataset.unit);
  const at = (l, u) => {
    const row = box.querySelectorAll(".gn-units")[l - 1];
    if (!row || u < 0) return null;
    return row.children[Math.min(u, row.children.length - 1)];
  };
  if (key === "ArrowRight")
    return unit + 1 < cell.parentElement.children.length ? at(layer, unit + 1) : null;
  if (key === "ArrowLeft") return at(layer, unit - 1);
  if (key === "ArrowDown") return at(layer + 1, unit);
  if (key === "ArrowUp") return at(layer - 1, unit);
  if (key === "Home") return at(layer, 0);
  if (key === "End") return at(layer, Infinity);
  return null;
}

// The enlarged view of one neuron, drawn over the figure just above its square.
function showZoom(view, cell) {
  const zoom = view.zoom;
  const figure = zoom.parentElement;
  view.zoomed = cell;
  const side = Math.min(ZOOM_MAX, figure.clientWidth - 16);
  paintUnit(
    view,
    palette(view.root),
    Number(view.slider.value),
    zoom.firstChild,
    cell.dataset,
    side,
  );
  zoom.lastChild.textContent = cell.getAttribute("aria-label");
  zoom.hidden = false;
  const box = cell.getBoundingClientRect();
  const frame = figure.getBoundingClientRect();
  const width = zoom.offsetWidth;
  const centre = box.left + box.width / 2 - frame.left;
  const left = Math.max(0, Math.min(figure.clientWidth - width, centre - width / 2));
  zoom.style.left = `${left}px`;
  zoom.style.top = `${box.top - frame.top - zoom.offsetHeight - 6}px`;
  view.root.dataset.zoomed = cell.getAttribute("aria-label");
}

function hideZoom(view) {
  if (!view.zoom) return;
  view.zoom.hidden = true;
  view.zoomed = null;
  delete view.root.dataset.zoomed;
}
