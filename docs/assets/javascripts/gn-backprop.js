// The backpropagation stepper: the 2-2-1 example of the backpropagation page, one step at a
// time. Markup: <div class="gn-explorer" data-explorer="backprop" data-src="PATH/interactive/backprop.json">.
// Every number and every sentence was computed by glassnet at build time
// (glassnet_site.interactive.backprop); the page shows them in order and marks what is known.

import {fmt, palette, svg, uid} from "./gn-common.js";

// Nodes of the graph: column and row in a wide layout (a phone swaps the two axes).
const NODES = {
  x1: {label: "x\u2081", col: 0, row: 0},
  x2: {label: "x\u2082", col: 0, row: 2},
  z1: {label: "(z\u2081)\u2081", col: 1, row: 0},
  z2: {label: "(z\u2081)\u2082", col: 1, row: 2},
  a1: {label: "(a\u2081)\u2081", col: 2, row: 0},
  a2: {label: "(a\u2081)\u2082", col: 2, row: 2},
  y_hat: {label: "\u0177", col: 3, row: 1},
  L: {label: "L", col: 4, row: 1},
};
const EDGES = [
  ["x1", "z1"],
  ["x1", "z2"],
  ["x2", "z1"],
  ["x2", "z2"],
  ["z1", "a1"],
  ["z2", "a2"],
  ["a1", "y_hat"],
  ["a2", "y_hat"],
  ["y_hat", "L"],
];
const PARAMS = [
  ["w11", "(W\u2081)\u2081\u2081"],
  ["w12", "(W\u2081)\u2081\u2082"],
  ["w21", "(W\u2081)\u2082\u2081"],
  ["w22", "(W\u2081)\u2082\u2082"],
  ["b1", "(b\u2081)\u2081"],
  ["b2", "(b\u2081)\u2082"],
  ["v1", "(W\u2082)\u2081\u2081"],
  ["v2", "(W\u2082)\u2082\u2081"],
  ["c", "b\u2082"],
];
const PHASES = {
  start: "the example",
  forward: "forward pass",
  backward: "backward pass",
  update: "update",
};
const NARROW = 480; // px: below this the graph runs top to bottom

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="backprop">.
export const explorer = {name: "backprop", build, draw};

function button(parent, text, label) {
  const el = document.createElement("button");
  el.type = "button";
  el.className = "md-button gn-step-button";
  el.textContent = text;
  el.setAttribute("aria-label", label);
  parent.appendChild(el);
  return el;
}

function build(root, data) {
  root.textContent = "";
  const view = {root, data, index: 0};
  const controls = document.createElement("div");
  controls.className = "gn-controls gn-stepper-controls";
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Step through backpropagation");
  root.appendChild(controls);
  view.back = button(controls, "Back", "Back one step");
  view.next = button(controls, "Next", "Next step");
  view.reset = button(controls, "Start over", "Start over from the example");
  view.counter = document.createElement("span");
  view.counter.className = "gn-step-count";
  controls.appendChild(view.counter);
  const go = (index) => {
    view.index = Math.max(0, Math.min(data.steps.length - 1, index));
    draw(view);
  };
  view.back.addEventListener("click", () => go(view.index - 1));
  view.next.addEventListener("click", () => go(view.index + 1));
  view.reset.addEventListener("click", () => go(0));
  root.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea")) return;
    const moves = {ArrowRight: 1, ArrowLeft: -1};
    if (event.key in moves) {
      event.preventDefault();
      go(view.index + moves[event.key]);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      go(event.key === "Home" ? 0 : data.steps.length - 1);
    }
  });
  const figure = document.createElement("figure");
  figure.className = "gn-plot gn-graph";
  root.appendChild(figure);
  view.plot = svg("svg", {role: "img"}, figure);
  const caption = document.createElement("figcaption");
  caption.textContent =
    "At each node its value and (bold) the gradient of the loss " +
    "with respect to it, as each becomes known. The current step is outlined.";
  figure.appendChild(caption);
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers gn-step-text";
  view.numbers.setAttribute("aria-live", "polite");
  root.appendChild(view.numbers);
  view.table = document.createElement("table");
  view.table.className = "gn-param-table";
  const tableCaption = view.table.createCaption();
  tableCaption.textContent = "The parameters";
  const head = view.table.createTHead().insertRow();
  for (const text of ["Parameter", "Value", "Gradient", "After update"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.appendChild(th);
  }
  const body = view.table.createTBody();
  view.rows = {};
  for (const [key, label] of PARAMS) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = label;
    row.appendChild(th);
    view.rows[key] = [row, row.insertCell(), row.insertCell(), row.insertCell()];
  }
  root.appendChild(view.table);
  view.uid = uid("gn-bp");
  return view;
}

// What is known after step `index`: node values, node gradients, parameter gradients, update.
function known(steps, index) {
  const state = {value: {}, grad: {}, updated: false};
  steps.slice(0, index + 1).forEach((step) => {
    if (step.phase === "forward") state.value[step.target] = step.value;
    if (step.phase === "backward") state.grad[step.target] = step.value;
    if (step.phase === "update" && step.target === "params") state.updated = true;
  });
  return state;
}

function draw(view) {
  const {data, index} = view;
  const step = data.steps[index];
  const colors = palette(view.root);
  const state = known(data.steps, index);
  data.x.forEach((v, i) => {
    state.value[`x${i + 1}`] = v;
  });
  const narrow = view.root.clientWidth < NARROW;
  const [W, H] = narrow ? [320, 500] : [600, 250];
  const place = ({col, row}) =>
    narrow ? [95 + row * 65, 40 + col * 105] : [50 + col * 125, 45 + row * 80];
  const plot = view.plot;
  plot.setAttribute("viewBox", `0 0 ${W} ${H}`);
  plot.textContent = "";
  const marker = `${view.uid}-arrow`;
  svg(
    "path",
    {d: "M0,0L8,4L0,8z", fill: colors.muted},
    svg(
      "marker",
      {
        id: marker,
        viewBox: "0 0 8 8",
        refX: 8,
        refY: 4,
        markerWidth: 7,
        markerHeight: 7,
        orient: "auto-start-reverse",
      },
      svg("defs", {}, plot),
    ),
  );
  const R = 24;
  for (const [from, to] of EDGES) {
    const [x0, y0] = place(NODES[from]),
      [x1, y1] = place(NODES[to]);
    const length = Math.hypot(x1 - x0, y1 - y0);
    const [dx, dy] = [(x1 - x0) / length, (y1 - y0) / length];
    svg(
      "line",
      {
        x1: x0 + dx * R,
        y1: y0 + dy * R,
        x2: x1 - dx * (R + 2),
        y2: y1 - dy * (R + 2),
        stroke: colors.muted,
        "stroke-width": 1.2,
        "marker-end": `url(#${marker})`,
      },
      plot,
    );
  }
  for (const [key, node] of Object.entries(NODES)) {
    const [cx, cy] = place(node);
    const current = step.target === key || (step.target === "x" && node.col === 0);
    const g = svg("g", {class: current ? "gn-node gn-current" : "gn-node", "data-node": key}, plot);
    svg(
      "circle",
      {
        cx,
        cy,
        r: R,
        fill: colors.bg,
        stroke: current ? colors.accent : colors.fg,
        "stroke-width": current ? 3.5 : 1.2,
      },
      g,
    );
    svg(
      "text",
      {x: cx, y: cy + 5, "text-anchor": "middle", "font-size": 14, fill: colors.fg},
      g,
    ).textContent = node.label;
    // The graph keeps the values of the forward pass, L's included: the loss after the
    // update is given in the step text, since the other nodes are not recomputed.
    const value = state.value[key];
    // Wide: the value above the node, the gradient below. Narrow (edges run downwards):
    // both beside the node, on the outer side (the middle column's on the right).
    const side = node.row === 0 ? -1 : 1;
    const [valueAt, gradAt] = narrow
      ? [
          {x: cx + side * (R + 4), y: cy - 3},
          {x: cx + side * (R + 4), y: cy + 13},
        ].map((at) => ({...at, "text-anchor": side < 0 ? "end" : "start"}))
      : [
          {x: cx, y: cy - R - 6, "text-anchor": "middle"},
          {x: cx, y: cy + R + 16, "text-anchor": "middle"},
        ];
    const halo = {stroke: colors.bg, "stroke-width": 4, "paint-order": "stroke"};
    if (value !== undefined) {
      svg(
        "text",
        {...valueAt, ...halo, "font-size": 13, fill: colors.fg, class: "gn-node-value"},
        g,
      ).textContent = fmt(value, 4);
    }
    if (state.grad[key] !== undefined) {
      svg(
        "text",
        {
          ...gradAt,
          ...halo,
          "font-size": 13,
          "font-weight": 700,
          fill: colors.class1,
          class: "gn-node-grad",
        },
        g,
      ).textContent = fmt(state.grad[key], 4);
    }
  }
  for (const [key] of PARAMS) {
    const [row, value, grad, after] = view.rows[key];
    const [v, g, n] = data.params[key];
    value.textContent = fmt(v, 4);
    grad.textContent = state.grad[key] === undefined ? "" : fmt(g, 4);
    after.textContent = state.updated ? fmt(n, 4) : "";
    row.classList.toggle(
      "gn-current",
      step.target === key || (step.target === "params" && state.updated),
    );
  }
  // aria-disabled, not disabled: a disabled button would lose the keyboard's focus.
  view.back.setAttribute("aria-disabled", String(index === 0));
  view.next.setAttribute("aria-disabled", String(index === data.steps.length - 1));
  view.counter.textContent = `Step ${index} of ${data.steps.length - 1}: ${PHASES[step.phase]}`;
  view.root.dataset.step = String(index);
  plot.setAttribute("aria-label", `The 2-2-1 network's graph at step ${index}: ${step.text}`);
  view.numbers.textContent =
    `Step ${index} of ${data.steps.length - 1}, ${PHASES[step.phase]}. ` + step.text;
}
