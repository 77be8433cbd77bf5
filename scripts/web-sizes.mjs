// The brotli sizes (quality 11) of the built web app's parts in www/dist, against their budgets:
// the check page (wasm + JS + CSS, 200 KB: the finding families of the tools it does not offer —
// bounces, headers, SMTP, recipients — are features the page leaves out, and the finding texts
// are not in its wasm but in texts.txt, loaded after the first paint), the widget loader (3 KB),
// and, loaded only where and when used, the texts, /tools, its DKIM verifier and its reports
// reader (budget 112 KB). scripts/build-web prints them and fails over a
// budget; bench/run.py reads them with --json.
//
//   node scripts/web-sizes.mjs [--json] DIST
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const args = process.argv.slice(2);
const json = args[0] === "--json";
const dist = json ? args[1] : args[0];
const br = (file) => zlib.brotliCompressSync(fs.readFileSync(path.join(dist, file)), {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
const PARTS = {
  page: ["pkg/postcheck_web_bg.wasm", "pkg/postcheck_web.js", "style.css", "boot.js"],
  tools: ["tools/postcheck_web_tools_bg.wasm", "tools/postcheck_web_tools.js", "tools-boot.js", "tools.css"],
  dkim: ["tools/dkim/postcheck_web_dkim_bg.wasm", "tools/dkim/postcheck_web_dkim.js"],
  reports: ["tools/reports/postcheck_web_reports_bg.wasm", "tools/reports/postcheck_web_reports.js"],
  widget: ["widget.js"],
  texts: ["texts.txt"],
};
const BUDGET = { page: 200 * 1024, widget: 3 * 1024, reports: 112 * 1024 };
const sizes = Object.fromEntries(Object.entries(PARTS).map(([part, files]) =>
  [part, files.reduce((sum, file) => sum + br(file), 0)]));
const kb = (n, digits = 1) => `${(n / 1024).toFixed(digits)} KB`;
const over = Object.keys(BUDGET).filter((part) => sizes[part] > BUDGET[part]);
if (json) {
  console.log(JSON.stringify(sizes));
} else {
  for (const file of PARTS.page) console.log(`  ${file}: ${kb(br(file))} brotli`);
  console.log(`page (wasm + JS + CSS): ${kb(sizes.page)} brotli (budget 200 KB); index.html ${kb(br("index.html"))}`);
  console.log(`  + the finding texts texts.txt (loaded after the first paint): ${kb(sizes.texts)} brotli`);
  console.log(`bounce and header page /tools (loaded only there): ${kb(sizes.tools)} brotli`);
  console.log(`  + its DKIM verifier (loaded only when asked for): ${kb(sizes.dkim)} brotli`);
  console.log(`  + its reader of DMARC and TLS reports (loaded only when files are chosen): ${kb(sizes.reports)} brotli (budget 112 KB)`);
  console.log(`widget loader widget.js: ${kb(sizes.widget, 2)} brotli (budget 3 KB)`);
}
if (over.length) {
  console.error(`size budget exceeded: ${over.join(", ")}`);
  process.exit(1);
}
