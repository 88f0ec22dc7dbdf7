// The learning-rate explorer: descent paths on a two-dimensional loss surface.
// Markup: <div class="gn-explorer" data-explorer="descent" data-src="PATH/interactive/descent.json">.
// Every path is a run of a glassnet optimizer's update(params, grads), computed at build
// time for each learning rate (explorers.descent_data); the page only draws them.

import {
  control, fmt, loadJson, showValue, mount, pageUrl, palette, range, select, svg, uid, watchLayout,
} from "./gn-common.js";

const W = 320, H = 180;
const BOX = {left: 10, right: 310, top: 10, bottom: 160};
const PLAY_INTERVAL_MS = 60;

mount('.gn-explorer[data-explorer="descent"]', (root) => {
  const abort = new AbortController();
  const cleanups = [];
  let view = null;
  loadJson(pageUrl(root.dataset.src), abort.signal).then((data) => {
    if (abort.signal.aborted) return;
    view = build(root, data);
    cleanups.push(watchLayout(root, () => draw(view)));
    draw(view);
  }).catch((error) => { if (error.name !== "AbortError") console.error(error); });
  return () => { abort.abort(); if (view) stop(view); cleanups.forEach((fn) => fn()); };
});

function build(root, data) {
  root.textContent = "";
  const controls = document.createElement("div");
  controls.className = "gn-controls";
  root.appendChild(controls);
  const view = {root, data, timer: null};
  const names = Object.entries(data.optimizers).map(([key, o]) => [key, o.label]);
  view.opt = control(controls, uid("gn-gd-opt"), "Optimizer", select(names, "sgd"));
  const lrIndex = data.lrs.indexOf(0.05);
  view.lr = control(controls, uid("gn-gd-lr"), "Learning rate", range(0, data.lrs.length - 1, lrIndex));
  showValue(view.lr, (k) => String(data.lrs[k]));
  view.step = control(controls, uid("gn-gd-step"), "Step", range(0, data.steps, data.steps));
  showValue(view.step, (k) => `${k} of ${data.steps}`);
  view.opt.addEventListener("input", () => draw(view));
  view.lr.addEventListener("input", () => draw(view));
  view.step.addEventListener("input", () => { stop(view); draw(view); });
  view.play = document.createElement("button");
  view.play.type = "button";
  view.play.className = "md-button gn-play";
  view.play.addEventListener("click", () => (view.timer ? stop(view) : play(view)));
  controls.appendChild(view.play);
  setPlayLabel(view, false);
  const figure = document.createElement("figure");
  figure.className = "gn-plot";
  root.appendChild(figure);
  view.plot = svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img"}, figure);
  const caption = document.createElement("figcaption");
  caption.textContent = "Contours of L(w) = (w\u2081\u00b2 + 20 w\u2082\u00b2) / 2, a valley twenty " +
    "times steeper across than along; the path starts at the ring, the cross is the minimum.";
  figure.appendChild(caption);
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers";
  view.numbers.setAttribute("aria-live", "polite");
  root.appendChild(view.numbers);
  return view;
}

function play(view) {
  view.step.value = 0;
  view.step.gnShow();
  setPlayLabel(view, true);
  draw(view, false);
  view.timer = setInterval(() => {
    const next = Number(view.step.value) + 1;
    if (next > view.data.steps) { stop(view); return; }
    view.step.value = next;
    view.step.gnShow();
    draw(view, false);
  }, PLAY_INTERVAL_MS);
}

function stop(view) {
  if (!view.timer) return;
  clearInterval(view.timer);
  view.timer = null;
  setPlayLabel(view, false);
  draw(view);
}

function setPlayLabel(view, playing) {
  view.play.textContent = playing ? "Pause" : "Play";
  view.play.setAttribute("aria-label", playing ? "Pause the descent" : "Play the descent from the start");
}

function draw(view, announce = true) {
  const {data} = view;
  const colors = palette(view.root);
  const opt = data.optimizers[view.opt.value];
  const k = Number(view.lr.value);
  const lr = data.lrs[k];
  const path = opt.paths[k], loss = opt.loss[k];
  const step = Math.min(Number(view.step.value), path.length - 1);
  view.lr.setAttribute("aria-valuetext", `learning rate ${lr}`);
  view.step.setAttribute("aria-valuetext", `step ${step} of ${data.steps}`);
  const [[x0, x1], [y0, y1]] = data.box;
  const x = (v) => BOX.left + ((v - x0) / (x1 - x0)) * (BOX.right - BOX.left);
  const y = (v) => BOX.bottom - ((v - y0) / (y1 - y0)) * (BOX.bottom - BOX.top);
  const plot = view.plot;
  plot.textContent = "";
  const clip = uid("gn-gd-clip");
  svg("rect", {x: BOX.left, y: BOX.top, width: BOX.right - BOX.left, height: BOX.bottom - BOX.top, id: clip},
      svg("clipPath", {id: `${clip}-path`}, svg("defs", {}, plot)));
  const inside = svg("g", {"clip-path": `url(#${clip}-path)`}, plot);
  svg("rect", {x: BOX.left, y: BOX.top, width: BOX.right - BOX.left, height: BOX.bottom - BOX.top,
               fill: "none", stroke: colors.muted}, plot);
  for (const level of data.contours) {
    for (const line of level.lines) {
      svg("polyline", {points: line.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" "),
                       fill: "none", stroke: colors.muted, "stroke-width": 0.8}, inside);
    }
  }
  const shown = path.slice(0, step + 1).map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`);
  svg("polyline", {points: shown.join(" "), fill: "none", stroke: colors.accent, "stroke-width": 1.8,
                   class: "gn-path"}, inside);
  path.slice(0, step + 1).forEach(([a, b]) => svg("circle", {cx: x(a), cy: y(b), r: 1.8, fill: colors.accent}, inside));
  svg("circle", {cx: x(data.start[0]), cy: y(data.start[1]), r: 5, fill: "none", stroke: colors.fg, "stroke-width": 1.5}, plot);
  svg("path", {d: `M${x(0) - 5},${y(0) - 5}l10,10m0,-10l-10,10`, stroke: colors.fg, "stroke-width": 2}, plot);
  describe(view, opt, lr, path, loss, step, announce);
}

function describe(view, opt, lr, path, loss, step, announce) {
  const steps = view.data.steps;
  const [a, b] = path[step];
  let text = `${opt.label}, learning rate ${lr}: after step ${step} of ${steps}, ` +
    `w = (${fmt(a, 3)}, ${fmt(b, 3)}) and the loss is ${fmt(loss[step], 4)}.`;
  if (path.length - 1 < steps) {
    text += ` The path diverged: it left the plot and passed |w| = 1000 at step ` +
      `${path.length - 1}, because this learning rate is too large for the steep direction.`;
  }
  view.plot.setAttribute("aria-label", text);
  if (announce) view.numbers.textContent = text;
}
