// The activation explorer: pick a function, move z, read f(z) and f'(z) on the curves.
// Markup: <div class="gn-explorer" data-explorer="activation" data-src="PATH/interactive/activations.json">.
// The curves are glassnet's functions sampled at build time (explorers.activation_curves);
// the marker reads its values from those samples, it computes nothing.

import {control, fmt, palette, range, select, showValue, svg, uid} from "./gn-common.js";

const W = 260,
  H = 170;
const BOX = {left: 34, right: 252, top: 14, bottom: 146};

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="activation">.
export const explorer = {name: "activation", build, draw};

function build(root, data) {
  root.textContent = "";
  const controls = document.createElement("div");
  controls.className = "gn-controls";
  root.appendChild(controls);
  const names = Object.entries(data.functions).map(([key, fn]) => [key, fn.label]);
  const view = {root, data};
  view.fn = control(controls, uid("gn-act-fn"), "Function", select(names, "sigmoid"));
  const middle = (data.z.length - 1) / 2;
  view.z = control(controls, uid("gn-act-z"), "Input z", range(0, data.z.length - 1, middle + 20));
  showValue(view.z, (k) => fmt(data.z[k], 2));
  for (const input of [view.fn, view.z]) input.addEventListener("input", () => draw(view));
  const layout = document.createElement("div");
  layout.className = "gn-layout";
  root.appendChild(layout);
  view.plots = ["f(z)", "f\u2032(z)"].map((title) => {
    const figure = document.createElement("figure");
    figure.className = "gn-plot";
    layout.appendChild(figure);
    const plot = svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img"}, figure);
    const caption = document.createElement("figcaption");
    caption.textContent =
      title === "f(z)"
        ? "The function f(z), with its tangent at z."
        : "Its derivative f\u2032(z), the slope that backpropagation multiplies by.";
    figure.appendChild(caption);
    return plot;
  });
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers";
  view.numbers.setAttribute("aria-live", "polite");
  root.appendChild(view.numbers);
  return view;
}

function draw(view) {
  const {data} = view;
  const colors = palette(view.root);
  const fn = data.functions[view.fn.value];
  const i = Number(view.z.value);
  const z = data.z[i];
  const f = fn.f[i],
    df = fn.df[i];
  view.z.setAttribute("aria-valuetext", `z = ${fmt(z, 2)}`);
  curve(view.plots[0], data.z, fn.f, i, colors, df);
  curve(view.plots[1], data.z, fn.df, i, colors, null);
  view.numbers.textContent =
    `${fn.label} at z = ${fmt(z, 2)}: f(z) = ${fmt(f, 4)}, ` + `f\u2032(z) = ${fmt(df, 4)}.`;
  view.plots[0].setAttribute("aria-label", `${fn.label}: f(${fmt(z, 2)}) = ${fmt(f, 4)}`);
  view.plots[1].setAttribute(
    "aria-label",
    `Derivative of ${fn.label}: f\u2032(${fmt(z, 2)}) = ${fmt(df, 4)}`,
  );
}

// One curve with axes, a marker at sample i and, given a slope, the tangent there.
function curve(plot, zs, ys, i, colors, slope) {
  plot.textContent = "";
  const lo = Math.min(0, ...ys),
    hi = Math.max(1, ...ys);
  const pad = 0.08 * (hi - lo);
  const x = (z) => BOX.left + ((z - zs[0]) / (zs.at(-1) - zs[0])) * (BOX.right - BOX.left);
  const y = (v) => BOX.bottom - ((v - lo + pad) / (hi - lo + 2 * pad)) * (BOX.bottom - BOX.top);
  const text = (content, attrs) => {
    svg("text", {fill: colors.fg, "font-size": 10, ...attrs}, plot).textContent = content;
  };
  svg("line", {x1: BOX.left, x2: BOX.right, y1: y(0), y2: y(0), stroke: colors.muted}, plot);
  svg("line", {x1: x(0), x2: x(0), y1: BOX.top, y2: BOX.bottom, stroke: colors.muted}, plot);
  for (const z of [zs[0], 0, zs.at(-1)])
    text(fmt(z, 0), {x: x(z), y: BOX.bottom + 13, "text-anchor": "middle"});
  for (const v of [lo, hi]) text(fmt(v, 1), {x: BOX.left - 4, y: y(v) + 3, "text-anchor": "end"});
  text("z", {x: BOX.right, y: y(0) - 4, "text-anchor": "end"});
  const points = zs.map((z, k) => `${x(z).toFixed(1)},${y(ys[k]).toFixed(1)}`);
  svg(
    "polyline",
    {points: points.join(" "), fill: "none", stroke: colors.fg, "stroke-width": 1.8},
    plot,
  );
  if (slope !== null) {
    const dz = 1.2;
    svg(
      "line",
      {
        x1: x(zs[i] - dz),
        y1: y(ys[i] - slope * dz),
        x2: x(zs[i] + dz),
        y2: y(ys[i] + slope * dz),
        stroke: colors.accent,
        "stroke-width": 1.5,
        "stroke-dasharray": "4 3",
      },
      plot,
    );
  }
  svg(
    "line",
    {
      x1: x(zs[i]),
      x2: x(zs[i]),
      y1: BOX.top,
      y2: BOX.bottom,
      stroke: colors.accent,
      "stroke-opacity": 0.5,
    },
    plot,
  );
  svg(
    "circle",
    {
      cx: x(zs[i]),
      cy: y(ys[i]),
      r: 4.5,
      fill: colors.accent,
      stroke: colors.fg,
      class: "gn-marker",
    },
    plot,
  );
}
