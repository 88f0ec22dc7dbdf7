// The attention explorer: every head of the language-models page's character Transformer
// over one sample of the held-out text.
// Markup: <div class="gn-explorer" data-explorer="attention" data-load="near" data-src="PATH/interactive/attention.json">.
// glassnet computed the weights and the predictions at build time
// (glassnet_site.interactive.attention); the page only looks them up and shades cells.

import {fmt, mix, palette, rgb, uid} from "./gn-common.js";

const MAX_TINT = 0.9; // how far a cell of weight 1 goes from the background to the accent

// Registered by gn-explorers.js for <div class="gn-explorer" data-explorer="attention">.
export const explorer = {name: "attention", build, draw};

// A character as the cells and sentences show it: a space or a line break made visible.
function shown(c) {
  return c === " " ? "\u2423" : c === "\n" ? "\u21b5" : c;
}

function toggle(parent, legendText, count, prefix, onChange) {
  const group = document.createElement("fieldset");
  group.className = "gn-toggle";
  const legend = document.createElement("legend");
  legend.textContent = legendText;
  group.appendChild(legend);
  const name = uid(prefix);
  const inputs = Array.from({length: count}, (_, i) => {
    const input = document.createElement("input");
    Object.assign(input, {
      type: "radio",
      name,
      value: String(i),
      id: `${name}-${i}`,
      checked: i === 0,
    });
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = `${legendText} ${i + 1}`;
    const wrap = document.createElement("span");
    wrap.append(input, label);
    group.appendChild(wrap);
    input.addEventListener("change", onChange);
    return input;
  });
  parent.appendChild(group);
  return inputs;
}

function build(root, data) {
  root.textContent = "";
  const chars = [...data.text];
  const view = {root, data, chars, position: chars.length - 1};
  const controls = document.createElement("div");
  controls.className = "gn-controls";
  root.appendChild(controls);
  const redraw = () => draw(view);
  view.blocks = toggle(controls, "Block", data.blocks, "gn-attn-block", redraw);
  view.heads = toggle(controls, "Head", data.heads, "gn-attn-head", redraw);
  const label = document.createElement("p");
  label.className = "gn-attn-label";
  label.id = uid("gn-attn-cells");
  label.textContent = "Position (click a character, or use the arrow keys):";
  root.appendChild(label);
  view.row = document.createElement("div");
  view.row.className = "gn-attn-cells";
  view.row.setAttribute("role", "radiogroup");
  view.row.setAttribute("aria-labelledby", label.id);
  root.appendChild(view.row);
  view.cells = chars.map((c, t) => {
    const cell = document.createElement("button");
    cell.type = "button";
    cell.className = "gn-attn-cell";
    cell.setAttribute("role", "radio");
    const glyph = document.createElement("span");
    glyph.className = "gn-attn-char";
    glyph.textContent = shown(c);
    const weight = document.createElement("span");
    weight.className = "gn-attn-weight";
    cell.append(glyph, weight);
    cell.addEventListener("click", () => choose(view, t, false));
    view.row.appendChild(cell);
    return cell;
  });
  view.row.addEventListener("keydown", (event) => {
    const moves = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
    let next = null;
    if (event.key in moves) next = view.position + moves[event.key];
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = chars.length - 1;
    if (next === null) return;
    event.preventDefault();
    choose(view, Math.max(0, Math.min(chars.length - 1, next)), true);
  });
  view.guesses = document.createElement("div");
  view.guesses.className = "gn-attn-guesses";
  root.appendChild(view.guesses);
  const note = document.createElement("p");
  note.className = "gn-attn-note";
  note.textContent =
    "Shading: the chosen position's attention weight on each character, " +
    "more strongly tinted for more; the characters after it are masked and get none. " +
    "Hover over a character to read its weight; the line below names the three heaviest.";
  root.appendChild(note);
  view.numbers = document.createElement("p");
  view.numbers.className = "gn-numbers";
  view.numbers.setAttribute("aria-live", "polite");
  root.appendChild(view.numbers);
  return view;
}

function choose(view, t, focus) {
  view.position = t;
  draw(view);
  if (focus) view.cells[t].focus();
}

const checked = (inputs) => Number(inputs.find((input) => input.checked).value);

function draw(view) {
  const {data, chars, position: t} = view;
  const [b, h] = [checked(view.blocks), checked(view.heads)];
  const row = data.weights[b][h][t];
  const colors = palette(view.root);
  const [bg, accent, fg] = [rgb(colors.bg), rgb(colors.accent), rgb(colors.fg)];
  const light = bg.reduce((a, v) => a + v, 0) > 3 * 128;
  view.cells.forEach((cell, k) => {
    const chosen = k === t;
    cell.setAttribute("aria-checked", String(chosen));
    cell.tabIndex = chosen ? 0 : -1;
    cell.classList.toggle("gn-attn-chosen", chosen);
    const masked = k > t;
    cell.classList.toggle("gn-attn-masked", masked);
    const w = masked ? 0 : row[k];
    const fill = mix(bg, accent, w * MAX_TINT);
    // Text in the background's colour once the fill is far from it, in the page's otherwise.
    const dark = fill.reduce((a, v) => a + v, 0) < 3 * 128;
    const text = light === dark ? bg : fg;
    cell.style.background = `rgb(${fill.join(",")})`;
    cell.style.color = `rgb(${text.join(",")})`;
    cell.lastChild.textContent = masked ? "masked" : fmt(w);
    cell.setAttribute(
      "aria-label",
      `'${shown(chars[k])}', position ${k + 1}: ` +
        (masked ? "after the chosen position, masked" : `weight ${fmt(w)}`),
    );
  });
  view.guesses.textContent = "";
  const title = document.createElement("span");
  title.textContent = `The model's top guesses for the character after position ${t + 1}: `;
  view.guesses.appendChild(title);
  data.top[t].forEach(([c, p], i) => {
    const guess = document.createElement("span");
    guess.className = "gn-attn-guess";
    guess.textContent = `'${shown(c)}' ${fmt(p)}`;
    view.guesses.appendChild(guess);
    if (i < data.top[t].length - 1) view.guesses.append(", ");
  });
  const heaviest = row
    .map((w, k) => k)
    .sort((i, j) => row[j] - row[i] || i - j)
    .slice(0, 3);
  const [best, ...next] = heaviest;
  const at = (k) => `'${shown(chars[k])}' (position ${k + 1}, ${fmt(row[k])})`;
  Object.assign(view.root.dataset, {block: b + 1, head: h + 1, step: t});
  const [c, p] = data.top[t][0];
  view.numbers.textContent =
    `Block ${b + 1}, head ${h + 1}, at '${shown(chars[t])}' ` +
    `(position ${t + 1}): most weight on ${at(best)}` +
    (next.length ? `, then ${next.map(at).join(" and ")}` : "") +
    `; the model's top guess for the next character is '${shown(c)}' ` +
    `(${fmt(p)}).`;
}
