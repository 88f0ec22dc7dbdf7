// Shared pieces of the interactive figures: page lifecycle, palette, data loading, drawing.
// The figures only replay and look up what glassnet computed at build time
// (python -m glassnet_site.interactive); nothing here trains or evaluates a network.

const SVG_NS = "http://www.w3.org/2000/svg";

// Run init(element) for every element matching selector on every page view, including
// Material's instant navigation; init returns a cleanup function, called on leaving.
export function mount(selector, init) {
  let cleanups = [];
  const start = () => {
    cleanups.forEach((fn) => fn());
    cleanups = [...document.querySelectorAll(selector)].map((el) => {
      try {
        return init(el) || (() => {});
      } catch (error) {
        el.dataset.gnError = String(error);
        throw error;
      }
    });
  };
  if (typeof document$ !== "undefined") document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}

// Mount an explorer drawn from one JSON file (its data-src), fetched only when the explorer
// comes near the screen: build(root, data) makes its controls and returns its view;
// draw(view) runs then, on resize and on a palette change; stop(view), when given, runs as
// the reader leaves the page.
export function mountExplorer(selector, build, draw, stop = null) {
  mount(selector, (root) => {
    const abort = new AbortController();
    const cleanups = [];
    let view = null;
    cleanups.push(
      whenNear(root, () =>
        loadJson(pageUrl(root.dataset.src), abort.signal)
          .then((data) => {
            if (abort.signal.aborted) return;
            view = build(root, data);
            cleanups.push(watchLayout(root, () => draw(view)));
            draw(view);
          })
          .catch((error) => {
            if (error.name !== "AbortError") console.error(error);
          }),
      ),
    );
    return () => {
      abort.abort();
      if (view && stop) stop(view);
      cleanups.forEach((fn) => fn());
    };
  });
}

// Call start() once, when el comes within NEAR_MARGIN of the viewport (at once if it is
// already there); returns a cleanup function that cancels the wait.
const NEAR_MARGIN = "50%";
export function whenNear(el, start) {
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      start();
    },
    {rootMargin: `${NEAR_MARGIN} 0px`},
  );
  observer.observe(el);
  return () => observer.disconnect();
}

// A Play/Pause button, appended to parent, that moves a range input one step every
// `interval` ms up to its end. Playing starts from the first step when `fromStart`, or
// when the input is already at its end. draw(announce) redraws the figure: with announce
// false while the replay runs (no stream of updates for screen readers), true when it
// stops. `labels` name the two actions for screen readers. Returns {button, stop}.
export function player(parent, input, {labels, interval, fromStart = false, draw}) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button gn-play";
  parent.appendChild(button);
  let timer = null;
  const setLabel = (playing) => {
    button.textContent = playing ? "Pause" : "Play";
    button.setAttribute("aria-label", playing ? labels.pause : labels.play);
  };
  const moveTo = (value) => {
    input.value = value;
    if (input.gnShow) input.gnShow();
  };
  const stop = () => {
    if (!timer) return;
    clearInterval(timer);
    timer = null;
    setLabel(false);
    draw(true);
  };
  const play = () => {
    const last = Number(input.max);
    if (fromStart || Number(input.value) === last) moveTo(input.min);
    setLabel(true);
    draw(false);
    timer = setInterval(() => {
      const next = Number(input.value) + 1;
      if (next > last) {
        stop();
        return;
      }
      moveTo(next);
      draw(false);
    }, interval);
  };
  button.addEventListener("click", () => (timer ? stop() : play()));
  setLabel(false);
  return {button, stop};
}

// A labelled step slider from 0 to `last` (starting at `value`), its value shown through
// format(step), and a Play button after it (see player; labels, interval, fromStart and
// draw are player's). Moving the slider by hand stops the replay and redraws with
// draw(true). Returns {input, player}.
export function stepSlider(parent, {id, label, last, value = last, format, ...play}) {
  const input = control(parent, id, label, range(0, last, value));
  showValue(input, format);
  const replay = player(parent, input, play);
  input.addEventListener("input", () => {
    replay.stop();
    play.draw(true);
  });
  return {input, player: replay};
}

// The figure's colours, read from CSS custom properties (they change with the palette).
export function palette(el) {
  const style = getComputedStyle(el);
  const get = (name) => style.getPropertyValue(name).trim();
  return {
    fg: get("--md-default-fg-color"),
    muted: get("--md-default-fg-color--light"),
    grid: get("--md-default-fg-color--lightest"),
    bg: get("--md-default-bg-color"),
    class0: get("--gn-class0"),
    class1: get("--gn-class1"),
    accent: get("--gn-accent"),
  };
}

// Call redraw() when the reader switches palette or the element changes size; returns a
// cleanup function.
export function watchLayout(el, redraw) {
  const schemeObserver = new MutationObserver(redraw);
  schemeObserver.observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });
  let width = el.clientWidth;
  const sizeObserver = new ResizeObserver(() => {
    if (el.clientWidth !== width) {
      width = el.clientWidth;
      redraw();
    }
  });
  sizeObserver.observe(el);
  return () => {
    schemeObserver.disconnect();
    sizeObserver.disconnect();
  };
}

// A URL relative to the page (data-src attributes are written relative to the page).
export function pageUrl(path) {
  return new URL(path, window.location.href).href;
}

const jsonCache = new Map();
export function loadJson(url, signal) {
  if (!jsonCache.has(url)) {
    jsonCache.set(
      url,
      fetch(url, {signal})
        .then((r) => {
          if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
          return r.json();
        })
        .catch((error) => {
          jsonCache.delete(url);
          throw error;
        }),
    );
  }
  return jsonCache.get(url);
}

// A file written by glassnet_site.interactive.packing.pack: zlib-compressed, "GNI1", a JSON
// header, then little-endian arrays. Returns {meta, arrays: {name: {data, shape}}}.
const packedCache = new Map();
export function loadPacked(url, signal) {
  if (!packedCache.has(url)) {
    packedCache.set(
      url,
      fetch(url, {signal})
        .then(async (r) => {
          if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
          const inflated = r.body.pipeThrough(new DecompressionStream("deflate"));
          return unpack(await new Response(inflated).arrayBuffer());
        })
        .catch((error) => {
          packedCache.delete(url);
          throw error;
        }),
    );
  }
  return packedCache.get(url);
}

const TYPED = {uint8: Uint8Array, float32: Float32Array, int32: Int32Array};

export function unpack(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "GNI1") throw new Error(`not a glassnet interactive file (${magic})`);
  const size = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + size)));
  const start = 8 + size;
  const arrays = {};
  for (const [name, entry] of Object.entries(header.arrays)) {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const data = new TYPED[entry.dtype](buffer, start + entry.offset, count).slice();
    if (entry.filter === "delta") undoDelta(data, entry.shape.at(-1));
    arrays[name] = {data, shape: entry.shape};
  }
  return {meta: header.meta, arrays};
}

// Running sums modulo 256 along each row: the inverse of packing.delta_encode.
function undoDelta(data, rowLength) {
  for (let row = 0; row < data.length; row += rowLength) {
    for (let i = row + 1; i < row + rowLength; i++) data[i] = (data[i] + data[i - 1]) & 255;
  }
}

// --- drawing helpers -----------------------------------------------------------------

export function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

// "#rrggbb" or "rgb(...)" to [r, g, b].
export function rgb(color) {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = color;
  const hex = probe.fillStyle;
  if (hex.startsWith("#")) return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return hex
    .match(/[\d.]+/g)
    .slice(0, 3)
    .map(Number);
}

export function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

// A canvas sized for the device's pixel ratio; returns its 2-D context scaled to CSS px.
export function fitCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

// A labelled form control: <label for> and the control inside a wrapper div.
export function control(parent, id, labelText, element) {
  const wrap = document.createElement("div");
  wrap.className = "gn-control";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  element.id = id;
  wrap.append(label, element);
  parent.appendChild(wrap);
  return element;
}

// Show a range input's value next to it, formatted; refresh with input.gnShow().
export function showValue(input, format) {
  const output = document.createElement("output");
  output.className = "gn-value";
  output.htmlFor = input.id;
  input.after(output);
  input.gnShow = () => {
    output.textContent = format(Number(input.value));
  };
  input.addEventListener("input", input.gnShow);
  input.gnShow();
  return output;
}

export function select(options, value) {
  const el = document.createElement("select");
  for (const [optionValue, text] of options) {
    const option = new Option(text, optionValue);
    el.appendChild(option);
  }
  el.value = value;
  return el;
}

export function range(min, max, value, step = 1) {
  const el = document.createElement("input");
  Object.assign(el, {type: "range", min, max, step, value});
  return el;
}

// An id unique on the page, so two figures of the same kind never share labels.
let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function fmt(value, digits = 2) {
  if (!Number.isFinite(value)) return "not a number";
  return value.toFixed(digits).replace("-", "\u2212");
}
