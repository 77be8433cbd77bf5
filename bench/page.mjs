// The page part of scripts/bench: in headless Chromium against `wrangler dev` (the bed's delayed
// DNS as the worker's upstream), for each domain: load the page, type the domain, click "Check",
// and time (in the page, performance.now()) from the click to the complete report; then the same
// check again (the worker's cache now warm). Counts the requests to /api/ per report.
// Prints one JSON object: { load: [ms], cold: [ms], warm: [ms], apiRequests: [n] }.
//
//   node bench/page.mjs DOMAIN...     (POSTCHECK_TEST_WORKER names the worker)
import { chromium } from "playwright-core";

const BASE = process.env.POSTCHECK_TEST_WORKER;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = { load: [], cold: [], warm: [], apiRequests: [] };
let client = 0;

/** Clicks "Check" and returns the in-page time until the report is there, and the API calls. */
async function timedCheck(page, domain) {
  const api = [];
  const listener = (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/")) api.push(request.url());
  };
  page.on("request", listener);
  await page.fill("#domain", domain);
  await page.evaluate(() => {
    window.__t0 = null;
    window.__t1 = null;
    document.querySelector("button[type=submit]").addEventListener("click",
      () => { window.__t0 = performance.now(); }, { capture: true, once: true });
    const done = () => {
      if (document.querySelector("article.report, .failed")) {
        window.__t1 = performance.now();
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => { if (window.__t0 !== null && done()) observer.disconnect(); });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await page.click("button[type=submit]");
  await page.waitForFunction(() => window.__t1 !== null, null, { timeout: 30000 });
  if (await page.$(".failed")) throw new Error(`${domain}: ${await page.innerText(".failed")}`);
  const ms = await page.evaluate(() => window.__t1 - window.__t0);
  page.off("request", listener);
  return { ms, api: api.length };
}

for (const domain of process.argv.slice(2)) {
  client += 1;
  const ctx = await browser.newContext({ locale: "en-US" });
  await ctx.setExtraHTTPHeaders({ "CF-Connecting-IP": `198.18.200.${client}` });
  const page = await ctx.newPage();
  const start = Date.now();
  await page.goto(`${BASE}/?lang=en`);
  await page.waitForSelector("#domain");
  out.load.push(Date.now() - start);
  const cold = await timedCheck(page, domain);
  // The report must be gone before the second check, so the observer sees the new one.
  await page.goto(`${BASE}/?lang=en`);
  await page.waitForSelector("#domain");
  const warm = await timedCheck(page, domain);
  out.cold.push(cold.ms);
  out.warm.push(warm.ms);
  out.apiRequests.push(cold.api, warm.api);
  await ctx.close();
}
await browser.close();
console.log(JSON.stringify(out));
