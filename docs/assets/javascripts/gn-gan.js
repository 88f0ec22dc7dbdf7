// The GAN explorer: the ring GAN of the GAN page replayed, with either generator loss.
// Markup: <div class="gn-explorer" data-explorer="gan" data-src="PATH/interactive/gan.json">.
// Both runs were trained by glassnet at build time (glassnet_site.interactive.gan): every
// snapshot holds the generated points, the discriminator's sigma(D(x)) on a grid, and
// the direction the generator's loss asks a handful of points to move. The page only draws
// them.

import {fitCanvas, fmt, mix, palette, rgb, stepSlider, svg, uid} from "./gn-common.js";

const PLAY_INTERVAL_MS = 120;
const ARROW_SCALE = 0.15; // plot units per unit of push
const ARROW_MAX = 1.0; // longest arrow, plot units
const CHART = {W: 320, H: 150, left: 34, right: 312, top: 22, bottom: 126};
// How far the field's colour goes from the background towards "real" and "generated".
const REAL_TINT = 0.6,
  FAKE_TINT = 0.35;

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="gan">.
export const explorer = {name: "gan", build, draw, stop: (view) => view.player.stop()};

function build(root, data) {
  root.textContent = "";
  const view = {root, data, fields: {}};
  const controls = document.createElement("div");
  controls.className = "gn-controls";
  root.appendChild(controls);
  const group = document.createElement("fieldset");
  group.className = "gn-toggle";
  const legend = document.createElement("legend");
  legend.textContent = "Generator loss";
  group.appendChild(legend);
  const name = uid("gn-gan-loss");
  view.kinds = Object.entries(data.runs).map(([kind, run], i) => {
    const input = document.createElement("input");
    Object.assign(input, {
      type: "radio",
      name,
      value: kind,
      id: `${name}-${kind}`,
      checked: i === 0,
    });
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = run.label;
    const wrap = document.createElement("span");
    wrap.append(input, label);
    group.appendChild(wrap);
    input.addEventListener("change", () => draw(view));
    return input;
  });
  controls.appendChild(group);
  const last = data.steps.length - 1;
  ({input: view.step, player: view.player} = stepSlider(controls, {
    id: uid("gn-gan-step"),
    label: "Training step",
    last,
    format: (k) => `${data.steps[k]} of ${data.steps[last]}`,
    labels: {play: "Play the training from the start", pause: "Pause the training"},
    interval: PLAY_INTERVAL_MS,
    fromStart: true,
    draw: (announce) => draw(view, announce),
  }));
  const layout = document.createElement("div");
  layout.className = "gn-layout";
  root.appendChild(layout);
  const figure = document.createElement("figure");
  figure.className = "gn-plot gn-gan-plane";
  layout.appendChild(figure);
  view.canvas = document.createElement("canvas");
  view.canvas.setAttribute("role", "img");
  figure.appendChild(view.canvas);
  const caption = document.createElement("figcaption");
  caption.textContent =
    "Small dots: real samples from the ring. Outlined circles: the " +
    "generator's samples. Background: the discriminator's verdict, tinted blue where it " +
    "rates a point real and orange where it rates it generated, untinted where it is unsure. " +
    "Arrows: the direction the generator's loss asks each of the dozen ringed samples to " +
    "move: minus the gradient of that loss with respect to the sample. (The generator's " +
    "backward pass receives the gradient itself; the optimizer then steps against it.) The " +
    "generator can grant these requests only together, through its shared weights, so a " +
    "sample need not move exactly that way.";
  figure.appendChild(caption);
  const chartFigure = document.createElement("figure");
  chartFigure.className = "gn-plot gn-gan-losses";
  layout.appendChild(chartFigure);
  view.chart = svg("svg", {viewBox: `0 0 ${CHART.W} ${CHART.H}`, role: "img"}, chartFigure);
  const chartCaption = document.createElement("figcaption");
  chartCaption.textContent =
    `Both losses, each averaged over the ${data.every} steps before it: the ` +
    "discriminator's (solid) and the generator's (dashed); the line marks the current step.";
  chartFigure.appendChild(chartCaption);
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers";
  view.numbers.setAttribute("aria-live", "polite");
  root.appendChild(view.numbers);
  return view;
}

function kindOf(view) {
  return view.kinds.find((input) => input.checked).value;
}

// The field of one snapshot as an offscreen canvas, GRID x GRID pixels, cached per palette.
function fieldImage(view, kind, k, colors) {
  const key = `${kind}-${k}-${colors.bg}-${colors.class0}`;
  if (view.fields.key !== key) {
    const n = view.data.grid;
    const bytes = Uint8Array.from(atob(view.data.runs[kind].field[k]), (c) => c.charCodeAt(0));
    const image = new ImageData(n, n);
    const [bg, real, fake] = [rgb(colors.bg), rgb(colors.class0), rgb(colors.class1)];
    for (let i = 0; i < n * n; i++) {
      const p = bytes[i] / 255;
      const color =
        p >= 0.5
          ? mix(bg, real, (p - 0.5) * 2 * REAL_TINT)
          : mix(bg, fake, (0.5 - p) * 2 * FAKE_TINT);
      image.data.set([...color, 255], i * 4);
    }
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = n;
    canvas.getContext("2d").putImageData(image, 0, 0);
    view.fields = {key, canvas};
  }
  return view.fields.canvas;
}

function draw(view, announce = true) {
  const {data} = view;
  const colors = palette(view.root);
  const kind = kindOf(view);
  const run = data.runs[kind];
  const k = Number(view.step.value);
  const size = Math.max(200, Math.min(420, view.canvas.parentElement.clientWidth));
  const ctx = fitCanvas(view.canvas, size, size);
  const box = data.box;
  const px = (v) => ((v + box) / (2 * box)) * size;
  const py = (v) => ((box - v) / (2 * box)) * size;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(fieldImage(view, kind, k, colors), 0, 0, size, size);
  ctx.fillStyle = colors.fg;
  for (const [a, b] of data.real) {
    ctx.fillRect(px(a / 100) - 1, py(b / 100) - 1, 2, 2);
  }
  ctx.fillStyle = colors.accent;
  ctx.strokeStyle = colors.fg;
  ctx.lineWidth = 1;
  for (const [a, b] of run.samples[k]) {
    ctx.beginPath();
    ctx.arc(px(a / 100), py(b / 100), 3, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.strokeStyle = colors.fg;
  ctx.fillStyle = colors.fg;
  ctx.lineWidth = 1.6;
  run.push[k].forEach(([dx, dy], i) => {
    const [a, b] = run.samples[k][i].map((v) => v / 100);
    ctx.beginPath(); // a ring marks the sample, so that a push too small to see still shows
    ctx.arc(px(a), py(b), 6, 0, 2 * Math.PI);
    ctx.stroke();
    let [ux, uy] = [dx * ARROW_SCALE, dy * ARROW_SCALE];
    const length = Math.hypot(ux, uy);
    if (length > ARROW_MAX) {
      ux *= ARROW_MAX / length;
      uy *= ARROW_MAX / length;
    }
    arrow(ctx, px(a), py(b), px(a + ux), py(b + uy));
  });
  drawChart(view, colors, k);
  view.root.dataset.kind = kind;
  view.root.dataset.step = String(data.steps[k]);
  describe(view, run, k, announce);
}

function arrow(ctx, x0, y0, x1, y1) {
  const length = Math.hypot(x1 - x0, y1 - y0);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  if (length < 4) return;
  const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 6 * ux + 3.5 * uy, y1 - 6 * uy - 3.5 * ux);
  ctx.lineTo(x1 - 6 * ux - 3.5 * uy, y1 - 6 * uy + 3.5 * ux);
  ctx.closePath();
  ctx.fill();
}

function drawChart(view, colors, k) {
  const {data} = view;
  const run = data.runs[kindOf(view)];
  const all = Object.values(data.runs).flatMap((r) => [...r.d_loss, ...r.g_loss]);
  const [lo, hi] = [Math.min(...all, 0), Math.max(...all)];
  const last = data.steps.at(-1);
  const x = (s) => CHART.left + (s / last) * (CHART.right - CHART.left);
  const y = (v) => CHART.bottom - ((v - lo) / (hi - lo)) * (CHART.bottom - CHART.top);
  const chart = view.chart;
  chart.textContent = "";
  svg("line", {x1: CHART.left, x2: CHART.right, y1: y(0), y2: y(0), stroke: colors.grid}, chart);
  svg(
    "line",
    {x1: CHART.left, x2: CHART.left, y1: CHART.top, y2: CHART.bottom, stroke: colors.muted},
    chart,
  );
  svg(
    "line",
    {x1: CHART.left, x2: CHART.right, y1: CHART.bottom, y2: CHART.bottom, stroke: colors.muted},
    chart,
  );
  for (const v of [lo, 0, hi]) {
    svg(
      "text",
      {x: CHART.left - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: colors.muted},
      chart,
    ).textContent = fmt(v, 1);
  }
  svg(
    "text",
    {x: CHART.right, y: CHART.H - 6, "text-anchor": "end", "font-size": 11, fill: colors.muted},
    chart,
  ).textContent = `step ${last}`;
  svg(
    "text",
    {x: CHART.left, y: CHART.H - 6, "font-size": 11, fill: colors.muted},
    chart,
  ).textContent = "0";
  svg(
    "line",
    {x1: CHART.left, x2: CHART.left + 22, y1: 9, y2: 9, stroke: colors.class0, "stroke-width": 2},
    chart,
  );
  svg("text", {x: CHART.left + 26, y: 13, "font-size": 11, fill: colors.fg}, chart).textContent =
    "discriminator";
  svg(
    "line",
    {
      x1: CHART.left + 130,
      x2: CHART.left + 152,
      y1: 9,
      y2: 9,
      stroke: colors.class1,
      "stroke-width": 2,
      "stroke-dasharray": "5 3",
    },
    chart,
  );
  svg("text", {x: CHART.left + 156, y: 13, "font-size": 11, fill: colors.fg}, chart).textContent =
    "generator";
  const line = (values, dash, color, cls) =>
    svg(
      "polyline",
      {
        points: values.map((v, i) => `${x(data.steps[i]).toFixed(1)},${y(v).toFixed(1)}`).join(" "),
        fill: "none",
        stroke: color,
        "stroke-width": 1.6,
        "stroke-dasharray": dash,
        class: cls,
      },
      chart,
    );
  line(run.d_loss, "none", colors.class0, "gn-d-loss");
  line(run.g_loss, "5 3", colors.class1, "gn-g-loss");
  svg(
    "line",
    {
      x1: x(data.steps[k]),
      x2: x(data.steps[k]),
      y1: CHART.top,
      y2: CHART.bottom,
      stroke: colors.fg,
      "stroke-width": 1,
      class: "gn-now",
    },
    chart,
  );
  chart.setAttribute(
    "aria-label",
    `Losses over training; at step ${data.steps[k]} the ` +
      `discriminator's is ${fmt(run.d_loss[k])} and the generator's ${fmt(run.g_loss[k])}.`,
  );
}

function describe(view, run, k, announce) {
  const {data} = view;
  const text =
    `Generator loss ${run.label}. Step ${data.steps[k]} of ${data.steps.at(-1)}: ` +
    `the samples cover ${run.modes[k]} of the 8 modes, ${Math.round(run.on_mode[k] * 100)}% of ` +
    `them lie on a mode; discriminator loss ${fmt(run.d_loss[k])}, generator loss ` +
    `${fmt(run.g_loss[k])}.`;
  view.canvas.setAttribute("aria-label", text);
  // The visible text follows every frame of a replay, so the mode count can be watched;
  // only screen readers are spared the stream, by muting the live region until Play stops.
  view.numbers.setAttribute("aria-live", announce ? "polite" : "off");
  view.numbers.textContent = text;
}
