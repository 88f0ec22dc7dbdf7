// Keyboard access to the code blocks that scroll sideways, before Material mounts them.
//
// Material mounts each code block only as it scrolls into view (the theme's content.lazy
// feature): on a long page it would otherwise lay the page out again for every block as it
// starts, a few hundred milliseconds on a slow phone. Mounting is also when Material makes a
// block that scrolls sideways focusable, so that the keyboard can scroll it; until then Tab
// would pass over such a block further down the page. Once the browser is idle after a page
// view, this measures every shown block that Material has not mounted yet, all at once (one
// layout, usually none), and makes the wide ones focusable on Material's own condition (a
// pointer that can hover). When Material mounts a block it takes the attribute over, and
// keeps it right as the window changes size.

import {mount} from "./gn-common.js";

const hover = matchMedia("(hover)");
const whenIdle = window.requestIdleCallback || ((run) => setTimeout(run, 200));

function reachWideBlocks(content) {
  if (!hover.matches) return;
  const blocks = content.querySelectorAll("pre:not(.mermaid) > code:not([tabindex])");
  // Blocks in a closed <details> (the lessons' solutions) are measured when they open.
  const shown = [...blocks].filter((code) => code.checkVisibility?.() ?? true);
  const wide = shown.filter((code) => code.scrollWidth > code.offsetWidth);
  wide.forEach((code) => code.setAttribute("tabindex", "0"));
}

mount(".md-content", (content) => {
  whenIdle(() => reachWideBlocks(content), {timeout: 1000});
});
