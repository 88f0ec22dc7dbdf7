// Render TeX to HTML with KaTeX at build time, so pages ship no math JavaScript.
// Reads a JSON array of {tex, display} from stdin and writes a JSON array of HTML strings.
// A formula KaTeX cannot parse fails the whole call with the formula in the message.
"use strict";
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
});
process.stdin.on("end", () => {
  const items = JSON.parse(input);
  const out = items.map(({tex, display}) => {
    try {
      return katex.renderToString(tex, {
        displayMode: display,
        throwOnError: true,
        output: "htmlAndMathml",
        strict: "error",
        trust: false,
      });
    } catch (err) {
      process.stderr.write(
        `KaTeX cannot render ${display ? "display" : "inline"} math ` +
          `${JSON.stringify(tex)}: ${err.message}\n`,
      );
      process.exit(1);
    }
  });
  process.stdout.write(JSON.stringify(out));
});
