// The digit explorer: draw a digit (or pick a test digit) and watch the CNN of the CNN page
// answer, every feature map included.
// Markup: <div class="gn-explorer" data-explorer="digits" data-src="PATH/interactive/digits.json">.
// The network and its weights are glassnet's (glassnet_site.interactive.digits); its forward
// pass runs in gn-cnn.js. The drawing is a 32x32 bitmap reduced as the UCI digits were:
// the ink of each 4x4 block counted, giving an 8x8 image of counts 0 to 16. NIST's programs
// first scaled each digit to fill its bitmap; the drawing is not scaled, as the page says.

import {fmt, mix, palette, rgb, uid} from "./gn-common.js";
import {forward} from "./gn-cnn.js";

const BRUSH = 2; // radius of the pen, in bitmap pixels
const KEY_STEP = 2; // bitmap pixels the keyboard cursor moves per arrow key
const CELL = 52; // CSS pixels of each feature map
const TITLES = {conv2d: "convolution", relu: "ReLU", maxpool: "max pooling"};
const HEADS = {conv2d: "Conv", relu: "ReLU", maxpool: "Pool"};
// A 4x4 ordered-dither matrix: a test digit, of which only the counts survive, is shown as
// a bitmap whose block b has its `count` pixels of lowest rank inked.
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="digits">.
export const explorer = {name: "digits", build, draw};

// Counts (row-major, (size/block)^2 of them) of the inked pixels of each block of a
// size x size bitmap: how the 8x8 UCI digits were made from 32x32 bitmaps.
export function reduce(bitmap, size = 32, block = 4) {
  const n = size / block;
  const counts = new Array(n * n).fill(0);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++)
      counts[Math.floor(y / block) * n + Math.floor(x / block)] += bitmap[y * size + x];
  }
  return counts;
}

// A bitmap whose blocks hold the given counts (the inverse of reduce, up to the order).
export function halftone(counts, size = 32, block = 4) {
  const n = size / block;
  const bitmap = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const rank = BAYER[(y % block) * block + (x % block)] * (16 / (block * block));
      bitmap[y * size + x] =
        rank < counts[Math.floor(y / block) * n + Math.floor(x / block)] ? 1 : 0;
    }
  }
  return bitmap;
}

function el(tag, className, parent, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function button(parent, text, onClick) {
  const b = el("button", "md-button gn-digits-button", parent, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function build(root, data) {
  root.textContent = "";
  const size = data.bitmap;
  const view = {
    root,
    data,
    size,
    bitmap: new Uint8Array(size * size),
    cursor: [size / 2, size / 2],
    source: null,
    eraser: false,
    frame: 0,
  };
  const help = el(
    "p",
    "gn-digits-help",
    root,
    "Draw a digit in the square with a mouse, a finger or the keyboard (arrows move the cursor, " +
      "Space paints, Delete erases, Shift with an arrow paints as it moves), or pick a test digit; " +
      "the Eraser button makes the pointer erase. " +
      "Draw large, from the top of the square to the bottom, as the digits of the data set are.",
  );
  help.id = uid("gn-digits-help");
  const layout = el("div", "gn-digits", root);

  const input = el("div", "gn-digits-input", layout);
  el("p", "gn-digits-title", input, "Your drawing (32\u00d732)");
  view.pad = el("canvas", "gn-digits-pad", input);
  view.pad.tabIndex = 0;
  view.pad.setAttribute("role", "application");
  view.pad.setAttribute("aria-roledescription", "drawing pad");
  view.pad.setAttribute("aria-label", "Drawing pad, 32 by 32 pixels");
  view.pad.setAttribute("aria-describedby", help.id);
  const tools = el("div", "gn-digits-tools", input);
  view.eraserButton = button(tools, "Eraser", () => setEraser(view, !view.eraser));
  view.eraserButton.setAttribute("aria-pressed", "false");
  button(tools, "Clear", () => {
    view.bitmap.fill(0);
    view.source = null;
    update(view, true);
  });
  buildBars(view, input);
  buildPicks(view, input);

  const maps = el("figure", "gn-digits-maps", layout);
  el("p", "gn-digits-title", maps, "What the network sees (8\u00d78, 0 to 16)");
  view.seen = el("canvas", "gn-digits-seen", maps);
  view.seen.setAttribute("role", "img");
  buildMaps(view, maps);
  view.status = el("p", "gn-numbers gn-digits-status", root);
  view.status.setAttribute("aria-live", "polite");
  listen(view);
  update(view, true);
  return view;
}

// The ten class probabilities as bars with their percentages.
function buildBars(view, parent) {
  el("p", "gn-digits-title", parent, "Class probabilities");
  const bars = el("ul", "gn-digits-bars", parent);
  view.barRows = Array.from({length: 10}, (_, c) => {
    const row = el("li", "gn-digits-row", bars);
    el("span", "gn-digits-class", row, String(c));
    const bar = el("span", "gn-digits-bar", el("span", "gn-digits-track", row));
    return {row, bar, value: el("span", "gn-digits-pct", row)};
  });
}

// A button per test digit, showing its 8x8 image and named by its class.
function buildPicks(view, parent) {
  const label = el("p", "gn-digits-title", parent, "Test digits");
  label.id = uid("gn-digits-picks");
  const picks = el("div", "gn-digits-picks", parent);
  picks.setAttribute("role", "group");
  picks.setAttribute("aria-labelledby", label.id);
  view.thumbs = view.data.digits.map((digit, k) => {
    const b = button(picks, "", () => pick(view, k));
    b.classList.add("gn-digits-pick");
    b.setAttribute("aria-label", `Test digit ${k + 1}, a handwritten ${digit.label}`);
    const thumb = el("canvas", "", b);
    thumb.setAttribute("aria-hidden", "true");
    return thumb;
  });
}

// One row per channel: the filter (for a one-channel convolution), then that channel's map
// after every layer whose output is a stack of maps (convolution, ReLU, pooling).
function buildMaps(view, figure) {
  const {layers} = view.data;
  const outputs = forward(layers, {data: new Float64Array(64), shape: [1, 8, 8]});
  view.mapLayers = layers.map((l, i) => i).filter((i) => outputs[i].shape.length === 3);
  const conv = layers[view.mapLayers[0]];
  view.filters = conv.type === "conv2d" && conv.shape[1] === 1 ? conv : null;
  const grid = el("div", "gn-digits-grid", figure);
  const columns = (view.filters ? 1 : 0) + view.mapLayers.length;
  grid.style.gridTemplateColumns = `auto repeat(${columns}, ${CELL}px)`;
  el("span", "", grid);
  if (view.filters) el("span", "gn-digits-head", grid, "Filter");
  view.mapLayers.forEach((i) => el("span", "gn-digits-head", grid, HEADS[layers[i].type]));
  const channels = outputs[view.mapLayers[0]].shape[0];
  view.maps = [];
  view.kernels = [];
  for (let f = 0; f < channels; f++) {
    el("span", "gn-digits-channel", grid, String(f + 1));
    if (view.filters) view.kernels.push(mapCanvas(grid, `Filter ${f + 1}, 3 by 3 weights`));
    view.maps.push(
      view.mapLayers.map((i) =>
        mapCanvas(grid, `Channel ${f + 1} after the ${TITLES[layers[i].type]} layer`),
      ),
    );
  }
  el(
    "figcaption",
    "",
    figure,
    "Each row is one channel: its 3\u00d73 filter (blue negative, " +
      "orange positive), the feature map it makes, that map after the ReLU, and after 2\u00d72 max " +
      "pooling. Each map column keeps one colour scale, set by the test set's values (the " +
      "99th percentile; the rare larger values show at full colour); the filters share the " +
      "scale of their largest weight.",
  );
}

function mapCanvas(parent, label) {
  const canvas = el("canvas", "gn-digits-map", parent);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  return canvas;
}

// --- input: pointer and keyboard -------------------------------------------------------

function listen(view) {
  const {pad} = view;
  let last = null;
  const at = (event) => {
    const box = pad.getBoundingClientRect();
    return [
      ((event.clientX - box.left) / box.width) * view.size,
      ((event.clientY - box.top) / box.height) * view.size,
    ];
  };
  pad.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 && event.button !== 5) return; // 5: a pen's eraser end
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    pad.focus({preventScroll: true});
    last = at(event);
    view.penErases = event.button === 5;
    view.keys = false;
    stroke(view, last, last, view.eraser || view.penErases);
  });
  pad.addEventListener("pointermove", (event) => {
    if (last === null) return;
    const next = at(event);
    stroke(view, last, next, view.eraser || view.penErases);
    last = next;
    view.cursor = next.map((v) => Math.min(view.size - 1, Math.max(0, Math.round(v))));
  });
  const end = () => {
    if (last !== null) {
      last = null;
      update(view, true);
    }
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  pad.addEventListener("keydown", (event) => {
    view.keys = true;
    key(view, event);
  });
  pad.addEventListener("focus", () => drawPad(view));
  pad.addEventListener("blur", () => drawPad(view));
}

const MOVES = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};

function key(view, event) {
  const move = MOVES[event.key];
  const [x, y] = view.cursor;
  if (move) {
    const clamp = (v) => Math.min(view.size - 1, Math.max(0, v));
    const next = [clamp(x + move[0] * KEY_STEP), clamp(y + move[1] * KEY_STEP)];
    view.cursor = next;
    if (event.shiftKey) stroke(view, [x, y], next, false, true);
    else drawPad(view);
  } else if (event.key === " " || event.key === "Enter") {
    stroke(view, [x, y], [x, y], false, true);
  } else if (event.key === "Delete" || event.key === "Backspace") {
    stroke(view, [x, y], [x, y], true, true);
  } else {
    return;
  }
  event.preventDefault();
}

// Ink (or erase) a disc of radius BRUSH at every point of the segment from a to b.
function stroke(view, a, b, erase, announce = false) {
  const {size, bitmap} = view;
  const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) * 2));
  for (let s = 0; s <= steps; s++) {
    const cx = a[0] + ((b[0] - a[0]) * s) / steps,
      cy = a[1] + ((b[1] - a[1]) * s) / steps;
    for (let y = Math.floor(cy - BRUSH); y <= Math.ceil(cy + BRUSH); y++) {
      for (let x = Math.floor(cx - BRUSH); x <= Math.ceil(cx + BRUSH); x++) {
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= BRUSH) bitmap[y * size + x] = erase ? 0 : 1;
      }
    }
  }
  view.source = null;
  update(view, announce);
}

function setEraser(view, on) {
  view.eraser = on;
  view.eraserButton.setAttribute("aria-pressed", String(on));
}

function pick(view, k) {
  const digit = view.data.digits[k];
  view.bitmap = halftone(digit.counts, view.size, view.data.block);
  view.source = k;
  update(view, true);
}

// --- computing and drawing -------------------------------------------------------------

// Run the network on the current drawing; draw now (announcing the result to screen
// readers when `announce`) or, while a stroke goes on, at the next animation frame.
function update(view, announce) {
  const counts = reduce(view.bitmap, view.size, view.data.block);
  const x = {data: Float64Array.from(counts, (c) => c / view.data.max_count), shape: [1, 8, 8]};
  view.counts = counts;
  view.outputs = forward(view.data.layers, x);
  if (announce) {
    cancelAnimationFrame(view.frame);
    view.frame = 0;
    draw(view);
    describe(view);
  } else if (!view.frame) {
    view.frame = requestAnimationFrame(() => {
      view.frame = 0;
      draw(view);
    });
  }
}

function draw(view) {
  const colors = palette(view.root);
  const c = {
    fg: rgb(colors.fg),
    bg: rgb(colors.bg),
    neg: rgb(colors.class0),
    pos: rgb(colors.class1),
  };
  drawPad(view, colors);
  const {data, outputs} = view;
  paint(
    view.seen,
    8,
    8,
    view.counts.map((v) => mix(c.bg, c.fg, v / data.max_count)),
  );
  view.thumbs.forEach((canvas, k) =>
    paint(
      canvas,
      8,
      8,
      data.digits[k].counts.map((v) => mix(c.bg, c.fg, v / data.max_count)),
    ),
  );
  const signed = (v, top) => mix(c.bg, v < 0 ? c.neg : c.pos, Math.min(1, Math.abs(v) / top));
  if (view.filters) {
    const {W, shape} = view.filters;
    const k = shape[2],
      top = Math.max(...W.map(Math.abs));
    view.kernels.forEach((canvas, f) =>
      paint(
        canvas,
        k,
        k,
        W.slice(f * k * k, (f + 1) * k * k).map((v) => signed(v, top)),
      ),
    );
  }
  view.mapLayers.forEach((i, column) => {
    const {
      data: values,
      shape: [, h, w],
    } = outputs[i];
    const top = data.scales[i];
    view.maps.forEach((row, f) =>
      paint(
        row[column],
        w,
        h,
        Array.from(values.subarray(f * h * w, (f + 1) * h * w), (v) => signed(v, top)),
      ),
    );
  });
  const p = outputs.at(-1).data;
  const best = p.indexOf(Math.max(...p));
  view.barRows.forEach(({row, bar, value}, k) => {
    bar.style.width = `${(100 * p[k]).toFixed(1)}%`;
    value.textContent = `${(100 * p[k]).toFixed(1)}%`;
    row.classList.toggle("gn-digits-best", k === best);
  });
  view.root.dataset.prediction = String(best);
}

// Each value a cell of a w x h canvas, scaled up by CSS without smoothing.
function paint(canvas, w, h, rgbs) {
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, {width: w, height: h});
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(w, h);
  rgbs.forEach(([r, g, b], i) => image.data.set([r, g, b, 255], 4 * i));
  ctx.putImageData(image, 0, 0);
}

function drawPad(view, colors = palette(view.root)) {
  const {pad, size, bitmap, data} = view;
  const css = pad.clientWidth || 224;
  const ratio = window.devicePixelRatio || 1;
  if (pad.width !== Math.round(css * ratio)) pad.width = pad.height = Math.round(css * ratio);
  const ctx = pad.getContext("2d");
  const unit = pad.width / size;
  ctx.fillStyle = colors.bg;
  ctx.fillRect(0, 0, pad.width, pad.height);
  ctx.strokeStyle = colors.grid; // the blocks the reduction counts
  ctx.lineWidth = ratio;
  for (let k = 1; k < size / data.block; k++) {
    const at = Math.round(k * data.block * unit) + 0.5;
    ctx.beginPath();
    ctx.moveTo(at, 0);
    ctx.lineTo(at, pad.height);
    ctx.moveTo(0, at);
    ctx.lineTo(pad.width, at);
    ctx.stroke();
  }
  ctx.fillStyle = colors.fg;
  for (let i = 0; i < bitmap.length; i++) {
    if (!bitmap[i]) continue;
    const x0 = Math.round((i % size) * unit),
      y0 = Math.round(Math.floor(i / size) * unit);
    // Whole device pixels, so that neighbouring cells of ink meet without a seam.
    ctx.fillRect(
      x0,
      y0,
      Math.round(((i % size) + 1) * unit) - x0,
      Math.round((Math.floor(i / size) + 1) * unit) - y0,
    );
  }
  if (document.activeElement === pad && view.keys) {
    // the cursor, once the keyboard draws
    const [x, y] = view.cursor;
    ctx.strokeStyle = colors.accent;
    ctx.lineWidth = 2 * ratio;
    ctx.beginPath();
    ctx.arc(x * unit, y * unit, BRUSH * unit, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

function describe(view) {
  const {data, outputs, counts} = view;
  const p = Array.from(outputs.at(-1).data);
  const order = p.map((v, k) => k).sort((a, b) => p[b] - p[a]);
  const pct = (k) => `${fmt(100 * p[k], 1)}%`;
  const ink = counts.reduce((a, v) => a + v, 0);
  const what =
    view.source === null
      ? ink
        ? `Your drawing (${ink} inked pixels of ${(view.size * view.size).toLocaleString("en-GB")})`
        : "The empty canvas"
      : `Test digit ${view.source + 1}, a handwritten ${data.digits[view.source].label}`;
  view.status.textContent =
    `${what}: the network predicts ${order[0]} with probability ` +
    `${pct(order[0])}; next come ${order[1]} (${pct(order[1])}) and ${order[2]} (${pct(order[2])}).`;
  view.seen.setAttribute(
    "aria-label",
    `The 8 by 8 image the network reads: ${ink} inked pixels in all.`,
  );
}
