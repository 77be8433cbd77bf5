// The page part of bench/reports.py: in headless Chromium, /tools from the built www/dist
// (served here by Python's http.server: the reader needs no gateway), choose one report file
// and time, in the page, from the choice to the merged view (the reader module's first load
// included on the first run; later runs in fresh pages). Also records the progress lines the
// page showed. Prints one JSON object: { ms: [..], progress: [..] }.
//
//   node bench/reports-page.mjs FILE [RUNS]
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [file, runs = "3"] = process.argv.slice(2);
const port = 8797;
const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1",
  "--directory", path.join(repo, "www/dist")], { stdio: "ignore" });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = { ms: [], progress: [] };
try {
  for (let run = 0; run < Number(runs); run += 1) {
    const page = await browser.newPage();
    for (let i = 0; i < 50; i += 1) {
      try { await page.goto(`http://127.0.0.1:${port}/tools.html?lang=en`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    await page.waitForSelector("#report-files");
    await page.evaluate(() => {
      window.__seen = [];
      const input = document.querySelector("#report-files");
      input.addEventListener("change", () => { window.__t0 = performance.now(); }, { capture: true, once: true });
      new MutationObserver(() => {
        const reading = document.querySelector("#reports p.reading");
        if (reading && !window.__seen.includes(reading.textContent)) window.__seen.push(reading.textContent);
        if (document.querySelector("a.reports-csv") && !window.__t1) window.__t1 = performance.now();
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.setInputFiles("#report-files", file);
    await page.waitForFunction(() => window.__t1, null, { timeout: 120000 });
    out.ms.push(await page.evaluate(() => window.__t1 - window.__t0));
    out.progress = await page.evaluate(() => window.__seen);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
console.log(JSON.stringify(out));
