// The learning-rate explorer: descent paths on a two-dimensional loss surface.
// Markup: <div class="gn-explorer" data-explorer="descent" data-src="PATH/interactive/descent.json">.
// Every path is a run of a glassnet optimizer's update(params, grads), computed at build
// time for each learning rate (explorers.descent_data); the page only draws them.

import {
  control,
  fmt,
  palette,
  range,
  select,
  showValue,
  stepSlider,
  svg,
  uid,
} from "./gn-common.js";

const W = 320,
  H = 180;
const BOX = {left: 10, right: 310, top: 10, bottom: 160};
const PLAY_INTERVAL_MS = 60;

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="descent">.
export const explorer = {name: "descent", build, draw, stop: (view) => view.player.stop()};

function build(root, data) {
  root.textContent = "";
  const controls = document.createElement("div");
  controls.className = "gn-controls";
  root.appendChild(controls);
  const view = {root, data};
  const names = Object.entries(data.optimizers).map(([key, o]) => [key, o.label]);
  view.opt = control(controls, uid("gn-gd-opt"), "Optimizer", select(names, "sgd"));
  const lrIndex = data.lrs.indexOf(0.05);
  view.lr = control(
    controls,
    uid("gn-gd-lr"),
    "Learning rate",
    range(0, data.lrs.length - 1, lrIndex),
  );
  showValue(view.lr, (k) => String(data.lrs[k]));
  ({input: view.step, player: view.player} = stepSlider(controls, {
    id: uid("gn-gd-step"),
    label: "Step",
    last: data.steps,
    format: (k) => `${k} of ${data.steps}`,
    labels: {play: "Play the descent from the start", pause: "Pause the descent"},
    interval: PLAY_INTERVAL_MS,
    fromStart: true,
    draw: (announce) => draw(view, announce),
  }));
  view.opt.addEventListener("input", () => draw(view));
  view.lr.addEventListener("input", () => draw(view));
  const figure = document.createElement("figure");
  figure.className = "gn-plot";
  root.appendChild(figure);
  view.plot = svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img"}, figure);
  const caption = document.createElement("figcaption");
  caption.textContent =
    "Contours of L(w) = (w\u2081\u00b2 + 20 w\u2082\u00b2) / 2, a valley twenty " +
    "times steeper across than along; the path starts at the ring, the cross is the minimum.";
  figure.appendChild(caption);
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers";
  view.numbers.setAttribute("aria-live", "polite");
  root.appendChild(view.numbers);
  return view;
}

function draw(view, announce = true) {
  const {data} = view;
  const colors = palette(view.root);
  const opt = data.optimizers[view.opt.value];
  const k = Number(view.lr.value);
  const lr = data.lrs[k];
  const path = opt.paths[k],
    loss = opt.loss[k];
  const step = Math.min(Number(view.step.value), path.length - 1);
  view.lr.setAttribute("aria-valuetext", `learning rate ${lr}`);
  view.step.setAttribute("aria-valuetext", `step ${step} of ${data.steps}`);
  const [[x0, x1], [y0, y1]] = data.box;
  const x = (v) => BOX.left + ((v - x0) / (x1 - x0)) * (BOX.right - BOX.left);
  const y = (v) => BOX.bottom - ((v - y0) / (y1 - y0)) * (BOX.bottom - BOX.top);
  const plot = view.plot;
  plot.textContent = "";
  const clip = uid("gn-gd-clip");
  svg(
    "rect",
    {x: BOX.left, y: BOX.top, width: BOX.right - BOX.left, height: BOX.bottom - BOX.top, id: clip},
    svg("clipPath", {id: `${clip}-path`}, svg("defs", {}, plot)),
  );
  const inside = svg("g", {"clip-path": `url(#${clip}-path)`}, plot);
  svg(
    "rect",
    {
      x: BOX.left,
      y: BOX.top,
      width: BOX.right - BOX.left,
      height: BOX.bottom - BOX.top,
      fill: "none",
      stroke: colors.muted,
    },
    plot,
  );
  for (const level of data.contours) {
    for (const line of level.lines) {
      svg(
        "polyline",
        {
          points: line.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" "),
          fill: "none",
          stroke: colors.muted,
          "stroke-width": 0.8,
        },
        inside,
      );
    }
  }
  const shown = path.slice(0, step + 1).map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`);
  svg(
    "polyline",
    {
      points: shown.join(" "),
      fill: "none",
      stroke: colors.accent,
      "stroke-width": 1.8,
      class: "gn-path",
    },
    inside,
  );
  path
    .slice(0, step + 1)
    .forEach(([a, b]) => svg("circle", {cx: x(a), cy: y(b), r: 1.8, fill: colors.accent}, inside));
  svg(
    "circle",
    {
      cx: x(data.start[0]),
      cy: y(data.start[1]),
      r: 5,
      fill: "none",
      stroke: colors.fg,
      "stroke-width": 1.5,
    },
    plot,
  );
  svg(
    "path",
    {d: `M${x(0) - 5},${y(0) - 5}l10,10m0,-10l-10,10`, stroke: colors.fg, "stroke-width": 2},
    plot,
  );
  describe(view, opt, lr, path, loss, step, announce);
}

function describe(view, opt, lr, path, loss, step, announce) {
  const steps = view.data.steps;
  const [a, b] = path[step];
  let text =
    `${opt.label}, learning rate ${lr}: after step ${step} of ${steps}, ` +
    `w = (${fmt(a, 3)}, ${fmt(b, 3)}) and the loss is ${fmt(loss[step], 4)}.`;
  if (path.length - 1 < steps) {
    text +=
      ` The path diverged: it left the plot and passed |w| = 1000 at step ` +
      `${path.length - 1}, because this learning rate is too large for the steep direction.`;
  }
  view.plot.setAttribute("aria-label", text);
  if (announce) view.numbers.textContent = text;
}
