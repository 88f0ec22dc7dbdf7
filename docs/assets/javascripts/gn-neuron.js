// The neuron explorer: two weights and a bias, the line they draw, and the points it sorts.
// Markup: <div class="gn-explorer" data-explorer="neuron" data-src="PATH/interactive/neuron.json">.
// The points and the perceptron's own weights come from glassnet (explorers.neuron_data);
// the weighted sum z = w1 x1 + w2 x2 + b of one neuron is computed here, and the browser
// test checks it against glassnet.perceptron.perceptron_predict.

import {control, fmt, palette, range, showValue, svg, uid} from "./gn-common.js";

const SIZE = 300;

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="neuron">.
export const explorer = {name: "neuron", build, draw};

function build(root, data) {
  root.textContent = "";
  const layout = document.createElement("div");
  layout.className = "gn-layout";
  root.appendChild(layout);
  const figure = document.createElement("figure");
  figure.className = "gn-plot";
  layout.appendChild(figure);
  const plot = svg("svg", {viewBox: `0 0 ${SIZE} ${SIZE}`, role: "img"}, figure);
  const side = document.createElement("div");
  side.className = "gn-side";
  layout.appendChild(side);
  const view = {root, data, plot, sliders: {}};
  const start = {w1: data.start.w[0], w2: data.start.w[1], b: data.start.b};
  for (const [key, text] of [
    ["w1", "Weight w\u2081"],
    ["w2", "Weight w\u2082"],
    ["b", "Bias b"],
  ]) {
    view.sliders[key] = control(side, uid(`gn-neuron-${key}`), text, range(-3, 3, start[key], 0.1));
    showValue(view.sliders[key], (v) => fmt(v, 1));
  }
  view.sliders.point = control(side, uid("gn-neuron-point"), "Example", range(1, data.y.length, 1));
  showValue(view.sliders.point, (v) => `${v} of ${data.y.length}`);
  for (const input of Object.values(view.sliders))
    input.addEventListener("input", () => draw(view));
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "md-button gn-reset";
  // The visible text is the accessible name (WCAG 2.5.3); the title adds the detail.
  reset.textContent = "Use the perceptron's weights";
  reset.title = "Set the weights and bias the perceptron rule learned";
  reset.addEventListener("click", () => {
    for (const key of ["w1", "w2", "b"]) {
      view.sliders[key].value = start[key];
      view.sliders[key].gnShow();
    }
    draw(view);
  });
  side.appendChild(reset);
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers";
  view.numbers.setAttribute("aria-live", "polite");
  side.appendChild(view.numbers);
  return view;
}

function params(view) {
  const v = (key) => Number(view.sliders[key].value);
  return {w: [v("w1"), v("w2")], b: v("b"), point: v("point") - 1};
}

// The neuron's weighted sum and its step activation, the perceptron's answer.
export function neuron(w, b, x) {
  const z = w[0] * x[0] + w[1] * x[1] + b;
  return {z, fires: z > 0 ? 1 : 0};
}

function draw(view) {
  const {plot, data} = view;
  const colors = palette(view.root);
  const {w, b, point} = params(view);
  const R = data.range;
  const px = (v) => ((v + R) / (2 * R)) * SIZE;
  const py = (v) => SIZE - px(v);
  plot.textContent = "";
  const {polygon, crossings} = halfPlane(w, b, R);
  svg(
    "rect",
    {x: 0, y: 0, width: SIZE, height: SIZE, fill: colors.class0, "fill-opacity": 0.12},
    plot,
  );
  if (polygon.length) {
    svg(
      "polygon",
      {
        points: polygon.map(([a, c]) => `${px(a)},${py(c)}`).join(" "),
        fill: colors.class1,
        "fill-opacity": 0.22,
      },
      plot,
    );
  }
  if (crossings.length >= 2) {
    const [p, q] = crossings;
    svg(
      "line",
      {
        x1: px(p[0]),
        y1: py(p[1]),
        x2: px(q[0]),
        y2: py(q[1]),
        stroke: colors.fg,
        "stroke-width": 2,
      },
      plot,
    );
  }
  let right = 0;
  data.X.forEach((x, k) => {
    const {fires} = neuron(w, b, x);
    right += fires === data.y[k];
    drawPoint(plot, px(x[0]), py(x[1]), data.y[k], fires, colors, k === point);
  });
  describe(view, w, b, point, right);
}

function drawPoint(plot, cx, cy, label, fires, colors, selected) {
  const color = label === 1 ? colors.class1 : colors.class0;
  const g = svg("g", {class: "gn-point", "data-pred": fires, "data-label": label}, plot);
  if (label === 1)
    svg("rect", {x: cx - 4.5, y: cy - 4.5, width: 9, height: 9, fill: color, stroke: colors.fg}, g);
  else svg("circle", {cx, cy, r: 5, fill: color, stroke: colors.fg}, g);
  if (fires !== label) {
    svg(
      "circle",
      {
        cx,
        cy,
        r: 9,
        fill: "none",
        stroke: colors.fg,
        "stroke-width": 1.5,
        "stroke-dasharray": "3 2",
      },
      g,
    );
  }
  if (selected)
    svg("circle", {cx, cy, r: 13, fill: "none", stroke: colors.accent, "stroke-width": 2.5}, g);
}

// The part of the square [-R, R]^2 where w.x + b > 0 (clipped polygon), and where the
// line w.x + b = 0 crosses the square's edges.
function halfPlane(w, b, R) {
  const square = [
    [-R, -R],
    [R, -R],
    [R, R],
    [-R, R],
  ];
  const polygon = [],
    crossings = [];
  square.forEach((p, k) => {
    const q = square[(k + 1) % 4];
    const zp = neuron(w, b, p).z,
      zq = neuron(w, b, q).z;
    if (zp > 0) polygon.push(p);
    if (zp > 0 !== zq > 0 && zp !== zq) {
      const t = zp / (zp - zq);
      const cut = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
      polygon.push(cut);
      crossings.push(cut);
    }
  });
  return {polygon, crossings};
}

function describe(view, w, b, point, right) {
  const {data} = view;
  const x = data.X[point];
  const {z, fires} = neuron(w, b, x);
  const n = data.y.length;
  const product = (wi, xi) => `(${fmt(wi, 1)})(${fmt(xi, 2)})`;
  view.numbers.textContent =
    `Example ${point + 1}, class ${data.y[point]}, at x = (${fmt(x[0], 2)}, ${fmt(x[1], 2)}). ` +
    `Weighted sum z = w\u2081x\u2081 + w\u2082x\u2082 + b = ${product(w[0], x[0])} + ` +
    `${product(w[1], x[1])} + (${fmt(b, 1)}) = ${fmt(z, 2)}. ` +
    `Activation step(z) = ${fires}: the neuron ${fires ? "fires" : "stays silent"}, which is ` +
    `${fires === data.y[point] ? "right" : "wrong"}. ${right} of ${n} points are on their ` +
    "class's side (a dashed ring marks each one that is not).";
  view.plot.setAttribute(
    "aria-label",
    `The line ${fmt(w[0], 1)} x\u2081 + ${fmt(w[1], 1)} ` +
      `x\u2082 + ${fmt(b, 1)} = 0 over the points; ${right} of ${n} are on their class's side.`,
  );
}
