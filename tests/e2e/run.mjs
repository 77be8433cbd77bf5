// End-to-end tests of the page in real Chromium (Debian's, driven by playwright-core) against
// `wrangler dev` whose upstream is the test bed's DoH server. Run inside the bed and the wrangler
// harness (see scripts/test); prints `e2e: N passed, M failed` and writes screenshots to
// tests/out/screenshots/.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BASE = process.env.POSTCHECK_TEST_WORKER;
if (!BASE) {
  console.error("POSTCHECK_TEST_WORKER is not set: run through ./scripts/test");
  process.exit(2);
}
const SHOTS = path.join(repo, "tests/out/screenshots");
fs.mkdirSync(SHOTS, { recursive: true });
const OTHER_ORIGIN = "http://127.0.0.1:8790";

let clientCounter = 0;
/** A new browser context that looks like a client of its own to the rate limiter. */
async function context(browser, options = {}) {
  clientCounter += 1;
  const ctx = await browser.newContext({ locale: "en-US", ...options });
  await ctx.setExtraHTTPHeaders({ "CF-Connecting-IP": `198.19.${clientCounter >> 8}.${clientCounter & 255}` });
  return ctx;
}

/** Waits for the check to end (report or error) and returns the codes of the findings. */
async function reportCodes(page) {
  await page.waitForSelector("article.report, .failed", { timeout: 30000 });
  const failed = await page.$(".failed");
  if (failed) throw new Error("check failed: " + (await failed.innerText()));
  return page.$$eval(".sections li.finding", (items) =>
    items.map((li) => ({ code: li.dataset.code, sev: [...li.classList].find((c) => c.startsWith("sev-")).slice(4) })));
}

/** The rows of the full-report contract table of tests/zones/README.md. */
function contractRows() {
  const text = fs.readFileSync(path.join(repo, "tests/zones/README.md"), "utf8");
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| domain | args | codes | must not |"));
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    const [domain, args, codes, mustNot] = cells;
    const list = (cell) => cell.split(",").map((c) => c.trim()).filter(Boolean).map((c) => {
      const m = c.match(/^([a-z0-9-]+)((?: ×\d+| \(\w+\))*)$/);
      if (!m) throw new Error(`unreadable cell entry ${c} in ${line}`);
      const count = m[2].match(/×(\d+)/);
      const sev = m[2].match(/\((\w+)\)/);
      return { code: m[1], count: count ? Number(count[1]) : null, sev: sev ? sev[1] : null };
    });
    rows.push({ domain: domain.replace(/`/g, ""), args: args.replace(/`/g, ""), codes: list(codes), mustNot: list(mustNot) });
  }
  return rows;
}

function liveUrl(row, lang = "en") {
  const params = new URLSearchParams();
  params.set("d", row.domain);
  const words = row.args.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i += 2) {
    if (words[i] === "--ip") params.append("ip", words[i + 1]);
    else if (words[i] === "--dkim-selector") params.append("sel", words[i + 1]);
    else return null; // an option the page does not have (profiles come from the widget)
  }
  params.set("lang", lang);
  return `${BASE}/?${params}`;
}

function checkRow(row, found) {
  const problems = [];
  for (const want of row.codes) {
    const hits = found.filter((f) => f.code === want.code && (!want.sev || f.sev === want.sev));
    if (hits.length === 0) problems.push(`missing ${want.code}`);
    else if (want.count !== null && hits.length !== want.count) problems.push(`${want.code} ×${hits.length}, want ×${want.count}`);
  }
  for (const bad of row.mustNot) {
    if (found.some((f) => f.code === bad.code && (!bad.sev || f.sev === bad.sev))) problems.push(`unexpected ${bad.code}`);
  }
  return problems;
}

const tests = [];
// POSTCHECK_E2E_ONLY=<text> runs only the tests whose name contains it (while working on one).
const only = process.env.POSTCHECK_E2E_ONLY;
const test = (name, fn) => { if (!only || name.includes(only)) tests.push({ name, fn }); };

test("every full-report fixture shows its codes on the page", async (browser) => {
  const rows = contractRows().filter((row) => liveUrl(row));
  if (rows.length < 30) throw new Error(`only ${rows.length} rows read from the contract table`);
  const ctx = await context(browser);
  const failures = [];
  for (const row of rows) {
    const page = await ctx.newPage();
    await ctx.setExtraHTTPHeaders({ "CF-Connecting-IP": `198.19.200.${rows.indexOf(row) % 250}` });
    await page.goto(liveUrl(row));
    try {
      const problems = checkRow(row, await reportCodes(page));
      if (problems.length) failures.push(`${row.domain}: ${problems.join("; ")}`);
    } catch (err) {
      failures.push(`${row.domain}: ${err.message}`);
    }
    await page.close();
  }
  await ctx.close();
  if (failures.length) throw new Error(failures.join("\n"));
});

test("with 8 subrequests per invocation the page continues the report and shows the same one", async (browser) => {
  const TINY = process.env.POSTCHECK_TEST_WORKER_TINY;
  if (!TINY) throw new Error("POSTCHECK_TEST_WORKER_TINY is not set");
  const ctx = await context(browser);
  const shown = async (base, slow) => {
    const page = await ctx.newPage();
    const api = [];
    page.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/api/")) api.push(p); });
    let progress = null;
    if (slow) {
      // Hold each continuation a moment, so the progress line can be seen and read.
      await page.route("**/api/report/continue", async (route) => {
        if (progress === null) {
          progress = await page.$eval(".progress .parts", (e) => e.textContent).catch(() => "");
        }
        await new Promise((done) => setTimeout(done, 200));
        await route.continue();
      });
    }
    // A domain no other test asks the 8-subrequest worker for: its isolate's memory cache would
    // otherwise answer most of the report, and it would fit one invocation.
    await page.goto(`${base}/?d=customer.report.test&ip=192.0.2.10&lang=en`);
    const codes = await reportCodes(page);
    if (slow) await page.screenshot({ path: path.join(SHOTS, "report-in-parts.png"), fullPage: true });
    await page.close();
    return { codes: codes.map((c) => `${c.code}/${c.sev}`).sort().join(","), api, progress };
  };
  const parts = await shown(TINY, true);
  const whole = await shown(BASE, false);
  const continued = parts.api.filter((p) => p === "/api/report/continue").length;
  if (parts.api[0] !== "/api/report" || continued < 2) throw new Error(`API requests: ${parts.api.join(",")}`);
  if (!/\d+ answers so far/.test(parts.progress || "")) throw new Error(`progress line: ${parts.progress}`);
  if (whole.api.join(",") !== "/api/report") throw new Error(`one go: ${whole.api.join(",")}`);
  if (parts.codes !== whole.codes) throw new Error(`in parts: ${parts.codes}\nin one go: ${whole.codes}`);
  await ctx.close();
});

test("the widget continues a report in parts too", async (browser) => {
  const TINY = process.env.POSTCHECK_TEST_WORKER_TINY;
  const ctx = await context(browser);
  const page = await ctx.newPage();
  const api = [];
  page.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/api/")) api.push(p); });
  await page.goto(`${TINY}/embed?name=Example&spf=include:_spf.mailer.test&lang=en`);
  await page.waitForSelector("#widget-domain");
  // A domain no other test asks the 8-subrequest worker for (its memory cache is per isolate).
  await page.fill("#widget-domain", "dmarc-policy-none.report.test");
  await page.click("button[type=submit]");
  await page.waitForSelector(".action[data-code=profile-spf-missing]", { timeout: 30000 });
  const record = await page.$eval(".action[data-code=profile-spf-missing] .value", (e) => e.textContent);
  if (!record.includes("include:_spf.mailer.test")) throw new Error(`vendor fix: ${record}`);
  if (!api.includes("/api/report/continue")) throw new Error(`API requests: ${api.join(",")}`);
  await ctx.close();
});

test("one round trip per report, and the report shows actions with a copyable record", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  const api = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) api.push(new URL(r.url()).pathname); });
  await page.goto(`${BASE}/?lang=en`);
  await page.fill("#domain", "info@dmarc-none.report.test");
  await page.click("button[type=submit]");
  const codes = await reportCodes(page);
  if (!codes.some((c) => c.code === "dmarc-none")) throw new Error("dmarc-none not shown");
  if (api.join(",") !== "/api/report") throw new Error(`API requests: ${api.join(",")}`);
  const record = await page.$eval(".action[data-code=dmarc-none] .publish .value", (e) => e.textContent);
  if (!record.startsWith("v=DMARC1")) throw new Error(`record to publish: ${record}`);
  if (!(await page.$(".action[data-code=dmarc-none] button.copy"))) throw new Error("no copy button");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(SHOTS, "desktop-report.png"), fullPage: true });
  await ctx.close();
});

test("where to publish at the DNS host, who acts, a name that does not exist, and the domain a web address leads to", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?lang=en`);
  await page.fill("#domain", "https://www.ionos-kunde.test/kontakt");
  await page.click("button[type=submit]");
  await reportCodes(page);
  const why = await page.$eval(".why-domain", (e) => e.textContent);
  if (!why.startsWith("Checked ionos-kunde.test, the domain of the web address")) throw new Error(`why: ${why}`);
  const action = ".action[data-code=dmarc-none]";
  if ((await page.$eval(action, (e) => e.dataset.actor)) !== "dns-host") throw new Error("dmarc-none is not the DNS host's");
  const who = await page.$eval(`${action} .who`, (e) => e.textContent);
  if (!who.includes("You: in the DNS settings at IONOS")) throw new Error(`who: ${who}`);
  if (!(await page.$(`${action} .publish[data-host=_dmarc]`))) throw new Error("the host field is not _dmarc");
  const steps = await page.$$eval(`${action} .steps li`, (items) => items.map((li) => li.textContent));
  if (steps.length !== 3 || !steps[0].startsWith("Log in at IONOS")) throw new Error(`steps: ${steps}`);
  const help = await page.$eval(`${action} a.help-link`, (a) => a.href);
  if (!help.startsWith("https://www.ionos.de/")) throw new Error(`help: ${help}`);
  const headline = await page.$eval(".headline", (e) => e.textContent);
  if (!/^\d+ things? to fix so that your mail is accepted\.$|^Nothing urgent/.test(headline)) throw new Error(`headline: ${headline}`);
  await page.screenshot({ path: path.join(SHOTS, "publish-ionos.png"), fullPage: true });

  await page.goto(`${BASE}/?d=gmial.com&lang=en`);
  const codes = await reportCodes(page);
  if (codes.map((c) => c.code).join(",") !== "domain-not-found") throw new Error(`codes: ${JSON.stringify(codes)}`);
  const actions = await page.$$eval(".action", (items) => items.map((li) => li.dataset.code));
  if (actions.join(",") !== "domain-not-found") throw new Error(`actions: ${actions}`);
  const whoActs = await page.$eval(".action[data-code=domain-not-found] .who", (e) => e.textContent);
  if (!whoActs.includes("You: in how the domain is spelled")) throw new Error(`who: ${whoActs}`);
  const message = await page.$eval("li.finding[data-code=domain-not-found] .message", (e) => e.textContent);
  if (!message.includes("Did you mean gmail.com?")) throw new Error(`message: ${message}`);
  if ((await page.$eval(".headline", (e) => e.textContent)) !== "This domain does not exist.") throw new Error("headline of a missing domain");
  if (await page.$(".publish")) throw new Error("a record to publish for a name that does not exist");

  // The widget with a vendor's sender profile: its own IP without PTR is the vendor's to fix.
  await page.goto(`${BASE}/embed?name=Example%20Mailer&spf=include:_spf.provider.test&ip=198.51.100.99&lang=en`);
  await page.fill("#widget-domain", "vendor-customer.test");
  await page.click("button[type=submit]");
  await page.waitForSelector(".action[data-code=ptr-missing]", { timeout: 30000 });
  if ((await page.$eval(".action[data-code=ptr-missing]", (e) => e.dataset.actor)) !== "vendor") throw new Error("ptr-missing is not the vendor's");
  const vendorWho = await page.$eval(".action[data-code=ptr-missing] .who", (e) => e.textContent);
  if (!vendorWho.includes("Contact Example Mailer's support")) throw new Error(`who: ${vendorWho}`);
  const summary = await page.$eval(".report.compact .summary", (e) => e.textContent);
  if (!summary.includes("for Example Mailer to fix")) throw new Error(`summary: ${summary}`);
  // The widget offers the test mail, made for the vendor's profile.
  const testMail = await page.getAttribute(".widget-test-mail a", "href");
  if (!testMail.startsWith("/tools?profile=") || !testMail.endsWith("&lang=en#test-mail") || !decodeURIComponent(testMail).includes('"name":"Example Mailer"'))
    throw new Error(`test mail link: ${testMail}`);
  await page.screenshot({ path: path.join(SHOTS, "widget-vendor-ptr.png"), fullPage: true });
  await ctx.close();
});

test("the record editor flags a broken record as it is typed, with no request", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?lang=en`);
  await page.waitForSelector("#record-input");
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.locator("#record-input").pressSequentially("v=spf1 ip4:300.1.1.1 -all", { delay: 5 });
  await page.waitForSelector(".editor li.finding");
  const codes = await page.$$eval(".editor li.finding", (l) => l.map((e) => e.dataset.code));
  if (!codes.some((c) => c.startsWith("spf-"))) throw new Error(`editor codes: ${codes}`);
  const marked = await page.$eval(".editor mark", (m) => m.textContent);
  if (!marked.includes("300.1.1.1")) throw new Error(`marked: ${marked}`);
  await page.fill("#record-input", "v=spf1 ip4:192.0.2.1 -all");
  await page.waitForSelector(".editor .clean");
  if (requests.length) throw new Error(`requests while editing: ${requests}`);
  await ctx.close();
});

test("a snapshot link shows the same findings in a fresh browser with no DNS request", async (browser) => {
  const first = await context(browser);
  const page = await first.newPage();
  await page.goto(`${BASE}/?d=customer.report.test&ip=192.0.2.91&lang=en`);
  const before = await reportCodes(page);
  const link = await page.$eval("a.snapshot-link", (a) => a.href);
  await first.close();
  const fresh = await context(browser);
  const again = await fresh.newPage();
  const api = [];
  again.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/api/")) api.push(p); });
  await again.goto(link);
  const after = await reportCodes(again);
  await again.waitForSelector(".signature[data-valid=true]", { timeout: 15000 });
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error("findings differ");
  if (api.some((p) => p === "/api/dns" || p === "/api/report")) throw new Error(`requests: ${api}`);
  if (!(await again.$(".from-link"))) throw new Error("not labelled as a saved report");
  // A language switch renders the report again from what the page holds: no second /api/verify.
  await again.click("nav.lang button[lang=de]");
  await again.waitForSelector("html[lang=de]");
  await again.waitForSelector(".signature[data-valid=true]");
  if (!(await again.innerText(".signature")).includes("Signatur")) throw new Error("signature line not in German");
  const verifies = api.filter((p) => p === "/api/verify").length;
  if (verifies !== 1) throw new Error(`/api/verify asked ${verifies} times`);
  // An edited snapshot (back-dated) is flagged.
  const hash = new URL(link).hash.slice(3);
  const json = JSON.parse(zlib.inflateRawSync(Buffer.from(hash, "base64url")).toString());
  json.taken_at -= 86400;
  const edited = link.split("#")[0] + "#s=" + zlib.deflateRawSync(Buffer.from(JSON.stringify(json))).toString("base64url");
  await again.goto("about:blank");
  await again.goto(edited);
  await again.waitForSelector(".signature[data-valid=false]", { timeout: 15000 });
  await fresh.close();
});

test("German and English, from ?lang=, the browser, and the switch", async (browser) => {
  const de = await context(browser, { locale: "de-DE" });
  const page = await de.newPage();
  await page.goto(`${BASE}/`);
  await page.waitForSelector("#domain");
  if ((await page.getAttribute("html", "lang")) !== "de") throw new Error("browser language de not used");
  if (!(await page.innerText("body")).includes("Prüfen")) throw new Error("no German text");
  await page.click("nav.lang button[lang=en]");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  if (!(await page.innerText("body")).includes("Check")) throw new Error("no English after switch");
  await page.goto(`${BASE}/?d=dmarc-none.report.test&lang=de`);
  await reportCodes(page);
  const message = await page.$eval("li.finding[data-code=dmarc-none] .message", (e) => e.textContent);
  if (!/DMARC/.test(message) || !/[äöüß]|keinen|kein/.test(message)) throw new Error(`German message: ${message}`);
  await de.close();
});

test("accessibility: axe-core finds no serious or critical violation", async (browser) => {
  const ctx = await context(browser, { bypassCSP: true });
  const failures = [];
  for (const [name, url] of [["start", `${BASE}/?lang=en`], ["report", `${BASE}/?d=dmarc-none.report.test&lang=de`], ["widget", `${BASE}/embed?name=Example&spf=include:_spf.mailer.test`], ["tools", `${BASE}/tools?lang=en`]]) {
    const page = await ctx.newPage();
    await page.goto(url);
    if (name === "report") await reportCodes(page);
    else if (name === "tools") {
      await page.waitForSelector("#bounce-input");
      await page.fill("#bounce-input", fs.readFileSync(path.join(repo, "tests/bounces/dsn-gmail-auth-5.7.26.eml"), "utf8"));
      await page.fill("#headers-input", fs.readFileSync(path.join(repo, "tests/headers/whole-message-delayed.eml"), "utf8"));
      await page.waitForSelector("li.finding");
    } else await page.waitForSelector("form");
    await page.addScriptTag({ path: path.join(repo, "node_modules/axe-core/axe.min.js") });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") failures.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target).slice(0, 3).join(" ")}`);
    }
    await page.close();
  }
  await ctx.close();
  if (failures.length) throw new Error(failures.join("\n"));
});

test("a TXT record holding markup stays inert text", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  let dialog = false;
  page.on("dialog", async (d) => { dialog = true; await d.dismiss(); });
  await page.goto(`${BASE}/?d=hostile-txt.report.test&lang=en`);
  await reportCodes(page);
  const text = await page.innerText(".sections");
  if (!text.includes("<script>")) throw new Error("the record's text is not shown as text");
  const injected = await page.$$eval(".sections script, .sections img, .report img", (l) => l.length);
  if (injected || dialog) throw new Error("markup from DNS was interpreted");
  await ctx.close();
});

test("the widget on another origin renders, resizes and shows the vendor's fix", async (browser) => {
  const server = spawn("python3", ["-m", "http.server", "8790", "--bind", "127.0.0.1", "--directory", path.join(repo, "www/dist")], { stdio: "ignore" });
  try {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`${OTHER_ORIGIN}/embed-example.html`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    const frameElement = await page.waitForSelector("iframe");
    const frame = await frameElement.contentFrame();
    await frame.waitForSelector("#widget-domain");
    const initial = (await frameElement.boundingBox()).height;
    await frame.fill("#widget-domain", "clean.report.test");
    await frame.click("button[type=submit]");
    await frame.waitForSelector(".action[data-code=profile-spf-missing]", { timeout: 30000 });
    const record = await frame.$eval(".action[data-code=profile-spf-missing] .value", (e) => e.textContent);
    if (!record.includes("include:_spf.mailer.test")) throw new Error(`vendor fix: ${record}`);
    await page.waitForFunction((h) => document.querySelector("iframe").getBoundingClientRect().height > h + 40, initial, { timeout: 10000 });
    const cookies = await ctx.cookies();
    if (cookies.length) throw new Error(`cookies set: ${cookies.map((c) => c.name)}`);
    await page.screenshot({ path: path.join(SHOTS, "widget.png"), fullPage: true });
    await ctx.close();
  } finally {
    server.kill();
  }
});

test("mobile (360 px) and dark screenshots without horizontal scrolling", async (browser) => {
  const mobile = await context(browser, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  const page = await mobile.newPage();
  await page.goto(`${BASE}/?d=clean.report.test&ip=192.0.2.80&sel=s1&lang=de`);
  await reportCodes(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: path.join(SHOTS, "mobile-report.png"), fullPage: true });
  await mobile.close();
  if (overflow > 1) throw new Error(`horizontal overflow of ${overflow}px at 360 px`);
  const dark = await context(browser, { colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const darkPage = await dark.newPage();
  await darkPage.goto(`${BASE}/?d=dmarc-none.report.test&lang=en`);
  await reportCodes(darkPage);
  const bg = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await darkPage.screenshot({ path: path.join(SHOTS, "dark-report.png"), fullPage: true });
  await dark.close();
  if (bg === "rgb(255, 255, 255)") throw new Error("dark scheme not applied");
});

test("a pasted bounce and pasted headers are explained on /tools, with nothing sent", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?lang=en`);
  await page.click("footer a[href^='/tools']");
  await page.waitForSelector("#bounce-input");
  const sent = [];
  page.on("request", (r) => sent.push(r.url()));
  const bounce = fs.readFileSync(path.join(repo, "tests/bounces/gmail-plain-en-auth.txt"), "utf8");
  await page.fill("#bounce-input", bounce);
  await page.waitForSelector("li.finding[data-code=bounce-auth-failed]");
  const next = await page.getAttribute("a.next-check", "href");
  if (!next.includes("d=kita-sonnenschein.example")) throw new Error(`next check: ${next}`);
  const headers = fs.readFileSync(path.join(repo, "tests/headers/multiple-signatures.txt"), "utf8");
  await page.fill("#headers-input", headers);
  await page.waitForSelector("li.signature");
  const selectors = await page.$$eval("li.signature", (l) => l.map((e) => `${e.dataset.d}/${e.dataset.s}`));
  if (selectors.join(" ") !== "kunde.example/crm1 vendor-mailer.example/s2024") throw new Error(`signatures: ${selectors}`);
  const link = await page.getAttribute("li.signature a.check-selector", "href");
  if (!link.includes("sel=crm1")) throw new Error(`selector link: ${link}`);
  if (sent.length) throw new Error(`requests while analysing: ${sent}`);
  await page.goto(`${BASE}/tools?lang=de`);
  await page.waitForSelector("#bounce-input");
  await page.fill("#bounce-input", fs.readFileSync(path.join(repo, "tests/bounces/dsn-webde-full.eml"), "utf8"));
  await page.waitForSelector("li.finding[data-code=bounce-mailbox-full]");
  if (!(await page.innerText("main")).includes("Postfach")) throw new Error("no German explanation");
  // An out-of-office reply pasted as if it were a bounce: told apart, not "not delivered".
  await page.fill("#bounce-input", "From: Anna <anna@firma.example>\nSubject: Abwesenheitsnotiz: Ihre Rechnung\nAuto-Submitted: auto-replied\n\nIch bin bis zum 12. Dezember nicht im Büro.\n");
  await page.waitForSelector("li.finding[data-code=bounce-auto-reply]");
  const said = await page.innerText("li.finding[data-code=bounce-auto-reply]");
  if (!said.includes("automatische Antwort") || !said.includes("zugestellt")) throw new Error(`auto-reply: ${said}`);
  await page.fill("#bounce-input", fs.readFileSync(path.join(repo, "tests/bounces/dsn-webde-full.eml"), "utf8"));
  await page.waitForSelector("li.finding[data-code=bounce-mailbox-full]");
  await page.screenshot({ path: path.join(SHOTS, "tools.png"), fullPage: true });
  await ctx.close();
});

test("a whole pasted message's DKIM signatures are verified on /tools, keys through /api/dns only", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/?d=dmarc-none.report.test&lang=en`);
  await reportCodes(page);
  // The report links to /tools itself.
  await page.click("article.report p.tools-link a");
  await page.waitForSelector("#headers-input");
  // Each tool is a section of its own that a link can point at (/tools#bounce, /tools#headers).
  if (!(await page.$("section#bounce")) || !(await page.$("section#headers"))) throw new Error("no section anchors");
  const sent = [];
  page.on("request", (r) => sent.push({ url: r.url(), body: r.postData() || "" }));
  // Headers alone offer no verification (there is no body to hash).
  await page.fill("#headers-input", fs.readFileSync(path.join(repo, "tests/headers/multiple-signatures.txt"), "utf8"));
  await page.waitForSelector("li.signature");
  if (await page.$("button.verify-dkim")) throw new Error("verification offered for headers without a body");
  const signed = fs.readFileSync(path.join(repo, "tests/headers/dkim-signed.eml"), "utf8");
  await page.fill("#headers-input", signed);
  await page.waitForSelector("button.verify-dkim");
  if (sent.some((r) => r.url.includes("/tools/dkim/"))) throw new Error("verifier loaded before it was asked for");
  await page.click("button.verify-dkim");
  await page.waitForSelector("tr.dkim-result", { timeout: 30000 });
  const results = await page.$$eval("tr.dkim-result", (rows) => rows.map((r) => `${r.dataset.d}=${r.dataset.result}`));
  if (results.join(" ") !== "signed.report.test=pass") throw new Error(`signed message: ${results}`);
  const dns = sent.filter((r) => new URL(r.url).pathname.startsWith("/api/"));
  if (dns.length !== 1 || !dns[0].url.endsWith("/api/dns")) throw new Error(`API requests: ${dns.map((r) => r.url)}`);
  const asked = JSON.parse(dns[0].body);
  if (JSON.stringify(asked) !== JSON.stringify({ queries: [{ name: "dkim2026._domainkey.signed.report.test", type: "TXT" }] }))
    throw new Error(`asked for more than the key: ${dns[0].body}`);
  // Nothing of the message left the browser: no request carries its body or its subject.
  const subject = signed.match(/^Subject: (.*)$/m)[1];
  if (sent.some((r) => r.body.includes(subject) || r.url.includes(encodeURIComponent(subject)))) throw new Error("the message was sent");
  await page.screenshot({ path: path.join(SHOTS, "tools-dkim.png"), fullPage: true });
  await page.fill("#headers-input", fs.readFileSync(path.join(repo, "tests/headers/dkim-signed-tampered.eml"), "utf8"));
  await page.click("button.verify-dkim");
  await page.waitForSelector("tr.dkim-result");
  const tampered = await page.$$eval("tr.dkim-result", (rows) => rows.map((r) => r.dataset.result));
  if (tampered.join(" ") !== "fail") throw new Error(`tampered message: ${tampered}`);
  // Signed with l= and a paragraph appended: the signature holds, and the page says what it
  // does not cover (RFC 6376 §8.2), as a finding with its text.
  await page.fill("#headers-input", fs.readFileSync(path.join(repo, "tests/headers/dkim-signed-length.eml"), "utf8"));
  await page.click("button.verify-dkim");
  await page.waitForSelector("ul.dkim-findings li.finding");
  const partly = await page.$$eval("tr.dkim-result", (rows) => rows.map((r) => r.dataset.result));
  if (partly.join(" ") !== "pass") throw new Error(`l= message: ${partly}`);
  const noted = await page.$$eval("ul.dkim-findings li.finding", (items) =>
    items.map((li) => `${li.dataset.code}: ${li.querySelector("p.message").textContent}`));
  if (noted.length !== 1 || !noted[0].startsWith("dkim-body-length-limit: ") || noted[0].length < 60)
    throw new Error(`l= findings: ${noted}`);
  await page.screenshot({ path: path.join(SHOTS, "tools-dkim-length.png"), fullPage: true });
  await ctx.close();
});

test("many bounces at once on /tools: .eml files and an mbox, one row per recipient, nothing sent", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/tools?lang=en`);
  await page.waitForSelector("#bounce-files");
  const sent = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) sent.push(r.url()); });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postcheck-bulk-"));
  const notice = (date, reply) => `From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nDate: ${date}\nSubject: Undelivered Mail Returned to Sender\n\n<max@gmial.com>: host mx.gmial.com[192.0.2.1] said: ${reply}\n`;
  fs.writeFileSync(path.join(dir, "typo.mbox"),
    `From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n${notice("Mon, 23 Nov 2026 10:00:00 +0100", "452 4.2.2 <max@gmial.com>: Mailbox full")}\n` +
    `From MAILER-DAEMON Wed Nov 25 10:00:00 2026\n${notice("Wed, 25 Nov 2026 10:00:00 +0100", "550 5.1.1 <max@gmial.com>: Recipient address rejected: User unknown")}`);
  await page.setInputFiles("#bounce-files", [
    path.join(dir, "typo.mbox"),
    path.join(repo, "tests/bounces/dsn-webde-full.eml"),
    path.join(repo, "tests/bounces/dsn-gmail-auth-5.7.26.eml"),
  ]);
  await page.waitForSelector("a.bounces-csv", { timeout: 30000 });
  const rows = await page.$$eval("tr.bounced", (l) => l.map((e) => `${e.dataset.recipient}=${e.dataset.code}/${e.dataset.suggestion}`));
  if (rows.length !== 3) throw new Error(`rows: ${rows}`);
  const max = rows.find((r) => r.startsWith("max@gmial.com="));
  if (max !== "max@gmial.com=bounce-user-unknown/gmail.com") throw new Error(`the later bounce decides, with the typo: ${rows}`);
  if (!/Meant: max@gmail\.com\?/.test(await page.innerText("tr.bounced[data-recipient='max@gmial.com']"))) throw new Error("no suggestion shown");
  // Each column says what it holds.
  const heads = await page.$$eval("table.bounce-rows thead th", (l) => l.map((e) => e.textContent.trim()));
  if (heads.join("|") !== "Recipient|Category|Kind|Status|Last|Bounces|What to do") throw new Error(`column headings: ${heads}`);
  const csv = decodeURIComponent((await page.getAttribute("a.bounces-csv", "href")).replace(/^data:text\/csv;charset=utf-8,/, ""));
  if (!csv.includes("max@gmial.com,bounce-user-unknown,hard,5.1.1,2026-11-25,") || !csv.includes(",gmail.com,2,")) throw new Error(`csv: ${csv}`);
  if (sent.length) throw new Error(`requests: ${sent}`);
  await page.screenshot({ path: path.join(SHOTS, "tools-bounces.png"), fullPage: true });
  await ctx.close();
});

test("a recipient list on /tools: every verdict, the typo in its row, only the domains sent", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/tools?lang=en`);
  await page.waitForSelector("#recipients-input");
  const bodies = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) bodies.push(`${new URL(r.url()).pathname} ${r.postData() || ""}`); });
  const list = ["max@mx.recipients.test", "Anna Beispiel <anna@nullmx.recipients.test>; bob@implicit.recipients.test",
    "mailto:carla@nomail.recipients.test", "dora@nosuch.recipients.test", "eva@host.servfail.test", "MAX@MX.recipients.test",
    "frank@gmial.com", "kein-at-zeichen.de", "gustav@[192.0.2.1]"].join("\n");
  await page.fill("#recipients-input", list);
  await page.click("button.check-recipients");
  await page.waitForSelector("a.recipients-csv", { timeout: 30000 });
  const rows = await page.$$eval("tr.recipient", (l) => l.map((e) => `${e.dataset.line}:${e.dataset.code}`));
  const expected = ["2:recipient-null-mx", "2:recipient-implicit-mx", "3:recipient-no-mail-host", "4:recipient-domain-missing",
    "5:recipient-lookup-failed", "6:recipient-duplicate", "7:recipient-domain-missing", "8:recipient-syntax", "9:recipient-address-literal"];
  if (rows.join(" ") !== expected.join(" ")) throw new Error(`rows: ${rows}`);
  const typo = await page.getAttribute("tr.recipient[data-line='7']", "data-suggestion");
  if (typo !== "gmail.com") throw new Error(`suggestion: ${typo}`);
  if (!/frank@gmail\.com/.test(await page.innerText("tr.recipient[data-line='7']"))) throw new Error("the meant address is not named");
  const recipientHeads = await page.$$eval("table.recipient-rows thead th", (l) => l.map((e) => e.textContent.trim()));
  if (recipientHeads.join("|") !== "Line|Entry|Findings") throw new Error(`column headings: ${recipientHeads}`);
  const ok = await page.innerText("table.recipient-summary tr[data-code=recipient-ok] td.count");
  if (ok !== "1") throw new Error(`recipient-ok: ${ok}`);
  // Only /api/dns, only domains: no local part of any address left the browser, and the
  // domain of three addresses was asked for once.
  if (bodies.some((b) => !b.startsWith("/api/dns "))) throw new Error(`requests: ${bodies}`);
  const sent = bodies.join("\n");
  for (const local of ["max@", "anna", "bob@", "carla", "frank", "gustav", "kein-at"]) if (sent.includes(local)) throw new Error(`sent ${local}: ${sent}`);
  const mxAsked = (sent.match(/"name":"mx\.recipients\.test","type":"MX"/g) || []).length;
  if (mxAsked !== 1) throw new Error(`mx.recipients.test asked ${mxAsked} times: ${sent}`);
  const csv = decodeURIComponent((await page.getAttribute("a.recipients-csv", "href")).replace(/^data:text\/csv;charset=utf-8,/, ""));
  if (!csv.startsWith("line,input,address,code,severity,suggestion,message") || !/,gmail\.com,/.test(csv)) throw new Error(`csv: ${csv}`);
  await page.screenshot({ path: path.join(SHOTS, "tools-recipients.png"), fullPage: true });
  await ctx.close();
});

test("a recipient list on /tools waits out the gateway's rate limit as long as its Retry-After says", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/tools?lang=en`);
  await page.waitForSelector("#recipients-input");
  // The first /api/dns is answered as the gateway answers a client over its limit (429, its
  // JSON error, Retry-After; crates/postcheck-worker/tests/it/abuse.rs holds the gateway to
  // that), with 2 seconds instead of its 60; every later one goes to the gateway.
  let asked = 0;
  let limitedAt = 0;
  let early = null;
  await page.route("**/api/dns", async (route) => {
    asked += 1;
    if (asked === 1) {
      limitedAt = Date.now();
      await route.fulfill({
        status: 429,
        headers: { "Content-Type": "application/json", "Retry-After": "2" },
        body: JSON.stringify({ error: { code: "rate-limited", message: "too many requests; retry after 2 seconds" } }),
      });
    } else {
      if (Date.now() - limitedAt < 1900) early = Date.now() - limitedAt;
      await route.continue();
    }
  });
  await page.fill("#recipients-input", "max@mx.recipients.test\ndora@nosuch.recipients.test");
  await page.click("button.check-recipients");
  const waiting = await page.waitForSelector("p.status:has-text('rate limit')", { timeout: 10000 });
  const said = await waiting.innerText();
  if (!said.endsWith(" 2 s")) throw new Error(`status while waiting: ${said}`);
  await page.waitForSelector("a.recipients-csv", { timeout: 30000 });
  const rows = await page.$$eval("tr.recipient", (l) => l.map((e) => `${e.dataset.line}:${e.dataset.code}`));
  if (rows.join(" ") !== "2:recipient-domain-missing") throw new Error(`rows after the wait: ${rows}`);
  const ok = await page.innerText("table.recipient-summary tr[data-code=recipient-ok] td.count");
  if (ok !== "1") throw new Error(`recipient-ok: ${ok}`);
  if (asked < 2) throw new Error(`/api/dns asked ${asked} times`);
  if (early !== null) throw new Error(`asked again after ${early} ms, before the Retry-After`);
  await ctx.close();
});

test("a recipient list of 10,000 addresses on /tools: every row counted, 500 problem rows shown, the CSV whole", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/tools?lang=en`);
  await page.waitForSelector("#recipients-input");
  // 10,000 distinct addresses over four domains: 5,000 fine, 2,500 at the implicit MX of an
  // address record, 2,500 at a name that does not exist.
  const domains = ["mx.recipients.test", "mx2.recipients.test", "implicit.recipients.test", "nosuch.recipients.test"];
  const lines = Array.from({ length: 10000 }, (_, i) => `user${i}@${domains[i % 4]}`);
  await page.$eval("#recipients-input", (e, text) => { e.value = text; e.dispatchEvent(new Event("input", { bubbles: true })); }, lines.join("\n"));
  await page.click("button.check-recipients");
  await page.waitForSelector("a.recipients-csv", { timeout: 60000 });
  const status = await page.innerText("p.status");
  if (!status.startsWith("10000 entries")) throw new Error(`status: ${status}`);
  const shown = await page.$$eval("tr.recipient", (l) => l.length);
  if (shown !== 500) throw new Error(`${shown} rows shown, want the first 500 of 5,000 problems`);
  const missing = await page.innerText("table.recipient-summary tr[data-code=recipient-domain-missing] td.count");
  if (missing !== "2500") throw new Error(`recipient-domain-missing: ${missing}`);
  const csv = decodeURIComponent((await page.getAttribute("a.recipients-csv", "href")).replace(/^data:text\/csv;charset=utf-8,/, ""));
  const csvRows = csv.trim().split("\n").length - 1;
  if (csvRows !== 10000) throw new Error(`CSV rows: ${csvRows}`);
  await ctx.close();
});

test("DMARC and TLS reports on /tools: read in the browser by a module loaded on use, the same as the CLI reads them", async (browser) => {
  const dir = path.join(repo, "tests/reports/parsedmarc");
  const files = ["outlook.xml", "fastmail.xml.gz", "google-borschow.eml", "tls-smtp.json", "invalid-xml.xml"];
  // What the CLI reads from the same files, through the same core.
  const cli = await new Promise((resolve, reject) => {
    const child = spawn(path.join(repo, "target/debug/postcheck"), ["reports", ...files, "--json"], { cwd: dir });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("close", () => resolve(JSON.parse(out)));
  });
  const ctx = await context(browser);
  const page = await ctx.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${BASE}/tools?lang=en`);
  await page.waitForSelector("#report-files");
  if (requests.some((p) => p.startsWith("/tools/reports/"))) throw new Error("the reader module loaded before it was needed");
  await page.setInputFiles("#report-files", files.map((f) => path.join(dir, f)));
  await page.waitForSelector("a.reports-csv", { timeout: 30000 });
  const c = cli.counts;
  const status = await page.innerText("#reports p.status");
  const want = `${c.files} files (${c.complete_files} read completely): ${c.aggregate_reports} aggregate reports (${c.duplicates} duplicate), ${c.failure_reports} failure reports, ${c.tls_reports} TLS reports`;
  if (status !== want) throw new Error(`status: ${status}, want ${want}`);
  for (const domain of cli.domains) {
    const senders = await page.$$eval(`article.report-domain[data-domain="${domain.domain}"] tr.sender`, (rows) => rows.map((r) => `${r.dataset.sender}:${r.dataset.verdict}`));
    const expected = domain.groups.map((g) => `${g.name}:${g.verdict}`);
    if (senders.join(" ") !== expected.join(" ")) throw new Error(`${domain.domain} senders: ${senders}, want ${expected}`);
  }
  const problems = await page.$$eval("#reports li.problem", (l) => l.map((e) => `${e.dataset.file}:${e.dataset.code}`));
  const expectedProblems = cli.problems.map((p) => `${p.params.source}:${p.code}`);
  if (problems.join(" ") !== expectedProblems.join(" ") || !problems.length) throw new Error(`problems: ${problems}, want ${expectedProblems}`);
  for (const tls of cli.tls) {
    const failed = await page.getAttribute(`tr.tls[data-domain="${tls.domain}"]`, "data-failed");
    if (Number(failed) !== tls.failed) throw new Error(`${tls.domain} TLS failures: ${failed}, want ${tls.failed}`);
  }
  if (!requests.includes("/tools/reports/postcheck_web_reports_bg.wasm")) throw new Error("the reader module was not loaded");
  if (requests.some((p) => p.startsWith("/api/"))) throw new Error(`sent: ${requests.filter((p) => p.startsWith("/api/"))}`);
  // German from the same reading.
  await page.click("nav.lang button[lang=de]");
  const german = await page.innerText("#reports p.status");
  if (!german.includes("Dateien")) throw new Error(`German status: ${german}`);
  await page.screenshot({ path: path.join(SHOTS, "tools-reports.png"), fullPage: true });
  // A legitimate sender that fails links to the check of the domain with its IP.
  await page.goto(`${BASE}/tools?lang=en`);
  await page.setInputFiles("#report-files", path.join(repo, "tests/reports/handmade/google.xml"));
  await page.waitForSelector("a.reports-csv", { timeout: 30000 });
  const link = await page.getAttribute('tr.sender[data-sender="Mailjet"] a.check-sender', "href");
  if (link !== "/?d=example.com&ip=198.51.100.20&lang=en") throw new Error(`Mailjet's check: ${link}`);
  if (await page.$('tr.sender[data-verdict="unknown-failing"] a.check-sender')) throw new Error("a spoofer links to a check");
  // A vendor's sender profile in the address (as the check page takes it) names its mail.
  const profile = encodeURIComponent(JSON.stringify({ name: "Example Mailer", spf: ["include:spf.mailjet.com"] }));
  await page.goto(`${BASE}/tools?lang=en&profile=${profile}`);
  await page.setInputFiles("#report-files", path.join(repo, "tests/reports/handmade/google.xml"));
  await page.waitForSelector("a.reports-csv", { timeout: 30000 });
  const vendor = await page.getAttribute('tr.sender[data-sender="Example Mailer"]', "data-verdict");
  if (vendor !== "legitimate-failing") throw new Error(`the vendor's mail: ${vendor}`);
  if (await page.$('tr.sender[data-sender="Mailjet"]')) throw new Error("Mailjet still named on its own");
  // Mail with no domain, named on request by its server's PTR record (192.0.2.80 is
  // mail.clean.report.test in the bed): only the PTR query leaves the browser.
  const xml = path.join(os.tmpdir(), `postcheck-e2e-ptr-${process.pid}.xml`);
  fs.writeFileSync(xml, "<feedback><report_metadata><org_name>receiver.example</org_name><report_id>ptr-1</report_id>" +
    "<date_range><begin>1767225600</begin><end>1767311999</end></date_range></report_metadata>" +
    "<policy_published><domain>example.com</domain><p>none</p></policy_published>" +
    "<record><row><source_ip>192.0.2.80</source_ip><count>4</count><policy_evaluated><disposition>none</disposition>" +
    "<dkim>fail</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers>" +
    "<auth_results/></record></feedback>");
  await page.goto(`${BASE}/tools?lang=en`);
  const sent = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) sent.push(r.postData() || r.url()); });
  await page.setInputFiles("#report-files", xml);
  await page.waitForSelector('tr.sender[data-sender="unidentified"]', { timeout: 30000 });
  if (sent.length) throw new Error(`sent before asked: ${sent}`);
  await page.click("button.look-up-names");
  await page.waitForSelector('tr.sender[data-sender="report.test"]', { timeout: 30000 });
  if (sent.length !== 1 || !sent[0].includes("80.2.0.192.in-addr.arpa") || !sent[0].includes("PTR")) throw new Error(`sent: ${sent}`);
  fs.unlinkSync(xml);
  await ctx.close();
});

test("a test address on /tools: a mail sent to it is judged, and its report opens on the check page", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/tools?lang=en`);
  await page.click("button.create-test-address");
  const address = await (await page.waitForSelector("#test-mail .test-address code", { timeout: 30000 })).innerText();
  if (!/^check-[a-z2-7]{26}@check\.test$/.test(address)) throw new Error(`address: ${address}`);
  // The bed's DKIM-signed message, with the receiving hop Cloudflare adds on top, delivered
  // through wrangler's local email endpoint as Email Routing would.
  const signed = fs.readFileSync(path.join(repo, "tests/headers/dkim-signed.eml"), "utf8").replace(/\r?\n/g, "\r\n");
  const message = "Received: from sender.example (sender.example [192.0.2.95])\r\n\tby mx.cloudflare.net with ESMTPS id e2e;\r\n" +
    "\tMon, 23 Nov 2026 10:00:02 +0100\r\n" + signed;
  const delivered = await fetch(`${BASE}/cdn-cgi/handler/email?from=bounce@signed.report.test&to=${encodeURIComponent(address)}`, { method: "POST", body: message });
  if (delivered.status !== 200) throw new Error(`delivery: ${delivered.status} ${await delivered.text()}`);
  await page.waitForSelector("#test-mail .test-mail-result", { timeout: 60000 });
  const facts = await page.innerText("#test-mail table.facts");
  if (!facts.includes("192.0.2.95") || !facts.includes("signed.report.test")) throw new Error(`facts: ${facts}`);
  if (!(await page.$('#test-mail li.signature[data-domain="signed.report.test"][data-result="pass"]'))) throw new Error("the signature does not pass");
  if (!(await page.$('#test-mail p.dmarc[data-outcome="pass"]'))) throw new Error("DMARC does not pass by the aligned signature");
  await page.screenshot({ path: path.join(SHOTS, "tools-test-mail.png"), fullPage: true });
  const link = await page.getAttribute("#test-mail a.test-mail-report", "href");
  if (!link.startsWith("/?lang=en#s=")) throw new Error(`link: ${link}`);
  await page.goto(`${BASE}${link}`);
  // The report of the From domain with the delivering IP: signed.report.test's SPF record is
  // `v=spf1 -all`, so that IP is not authorized.
  const codes = await reportCodes(page);
  if (!codes.some((c) => c.code === "spf-ip-not-authorized")) throw new Error(`the check page's report: ${JSON.stringify(codes)}`);
  const ip = await page.getAttribute("table.per-ip tr[data-ip]", "data-ip");
  if (ip !== "192.0.2.95") throw new Error(`the report's IP: ${ip}`);
  // The same message with its body changed: the signature fails, and the page says so; an
  // unsigned one is said to be unsigned.
  for (const [file, want] of [["dkim-signed-tampered.eml", "fail"], [null, "unsigned"]]) {
    await page.goto(`${BASE}/tools?lang=en`);
    await page.click("button.create-test-address");
    const next = await (await page.waitForSelector("#test-mail .test-address code", { timeout: 30000 })).innerText();
    const body = file
      ? fs.readFileSync(path.join(repo, "tests/headers", file), "utf8").replace(/\r?\n/g, "\r\n")
      : "From: Kunde <info@vendor-customer.test>\r\nTo: x@check.test\r\nSubject: t\r\nMessage-ID: <e2e-unsigned@vendor-customer.test>\r\n\r\nHallo\r\n";
    const sent = await fetch(`${BASE}/cdn-cgi/handler/email?from=bounce@signed.report.test&to=${encodeURIComponent(next)}`, {
      method: "POST",
      body: "Received: from sender.example (sender.example [192.0.2.95])\r\n\tby mx.cloudflare.net with ESMTPS id e2e2;\r\n\tMon, 23 Nov 2026 10:00:02 +0100\r\n" + body,
    });
    if (sent.status !== 200) throw new Error(`delivery: ${sent.status} ${await sent.text()}`);
    await page.waitForSelector("#test-mail .test-mail-result", { timeout: 60000 });
    if (want === "unsigned" ? !(await page.$("#test-mail p.unsigned")) : !(await page.$(`#test-mail li.signature[data-result="${want}"]`)))
      throw new Error(`${file || "unsigned"}: not ${want}`);
    // Neither has an aligned pass: DMARC fails.
    if (!(await page.$('#test-mail p.dmarc[data-outcome="fail"]'))) throw new Error(`${file || "unsigned"}: DMARC not failed`);
  }
  await ctx.close();
});

test("the SMTP settings check on /tools explains the bed's servers, and never asks for a password", async (browser) => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/tools?lang=en`);
  await page.waitForSelector("#smtp-host");
  if (await page.$("input[type=password]")) throw new Error("a password field on the web");
  if (!/No password is ever asked for here/.test(await page.innerText("section#smtp"))) throw new Error("no note on passwords");
  const asked = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname === "/api/smtp") asked.push(r.url()); });
  const check = async (expected) => {
    await page.click("button.check-smtp");
    await page.waitForSelector("section#smtp .smtp-findings li.finding, section#smtp p.status.error", { timeout: 40000 });
    const codes = await page.$$eval("section#smtp li.finding", (l) => l.map((e) => e.dataset.code));
    if (codes.join(" ") !== expected) throw new Error(`expected ${expected}, got ${codes} (${await page.innerText("section#smtp .tool-result")})`);
  };
  // The settings as they are right, with the port's usual encryption chosen for it.
  await page.fill("#smtp-host", "good.smtp.test");
  await check("smtp-auth-after-tls smtp-ok");
  await page.selectOption("#smtp-port", "465");
  if ((await page.inputValue("#smtp-security")) !== "tls") throw new Error("465 did not switch to SSL/TLS");
  await check("smtp-ok");
  const facts = await page.innerText("table.smtp-facts");
  if (!/good\.smtp\.test:465/.test(facts) || !/LOGIN|PLAIN/.test(facts)) throw new Error(`facts: ${facts}`);
  // A wrong combination the customer set: the customer acts.
  await page.selectOption("#smtp-port", "587");
  await page.selectOption("#smtp-security", "tls");
  await check("smtp-tls-on-starttls-port");
  if (!/Who must act: You: in your program's settings/.test(await page.innerText("section#smtp"))) throw new Error("no 'who must act' for the customer");
  // A certificate the runtime refuses: the provider acts.
  await page.fill("#smtp-host", "expired.smtp.test");
  await page.selectOption("#smtp-security", "starttls");
  await check("smtp-tls-not-accepted");
  if (!/Who must act: Your mail provider/.test(await page.innerText("section#smtp"))) throw new Error("no 'who must act' for the provider");
  await page.screenshot({ path: path.join(SHOTS, "tools-smtp.png"), fullPage: true });
  const wanted = ["host=good.smtp.test&port=587&security=starttls", "host=good.smtp.test&port=465&security=tls",
    "host=good.smtp.test&port=587&security=tls", "host=expired.smtp.test&port=587&security=starttls"];
  if (asked.map((u) => u.split("?")[1]).join(" ") !== wanted.join(" ")) throw new Error(`requests: ${asked}`);
  // In German, a refused greeting.
  await page.goto(`${BASE}/tools?lang=de`);
  await page.waitForSelector("#smtp-host");
  await page.fill("#smtp-host", "reject.smtp.test");
  await check("smtp-connection-rejected");
  if (!/Wer handeln muss/.test(await page.innerText("section#smtp"))) throw new Error("no German 'who must act'");
  await ctx.close();
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let passed = 0;
let failed = 0;
for (const { name, fn } of tests) {
  try {
    await fn(browser);
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${String(err.message || err).split("\n").join("\n     ")}`);
  }
}
await browser.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
