// The npm peer of scripts/bench: mailauth's `authenticate` (SPF for the sending IP, then DMARC
// of the From domain; DKIM finds no signature, ARC and BIMI are off) for each domain, RUNS times,
// against the bed's DNS (127.0.0.1:53). A fresh resolver per run, so c-ares' own cache never
// answers a later run. Prints one JSON object: { domain: { ms: [...], spf, dmarc } }.
//
//   node bench/peers/mailauth.mjs IP RUNS DOMAIN...
import { createRequire } from "node:module";
import { Resolver } from "node:dns/promises";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const { authenticate } = require("mailauth");

const [ip, runs, ...domains] = process.argv.slice(2);
const out = {};
for (const domain of domains) {
  const message = Buffer.from(
    `From: info@${domain}\r\nTo: kunde@example.org\r\nSubject: bench\r\n` +
      `Message-ID: <bench@${domain}>\r\nDate: Tue, 24 Nov 2026 08:00:00 +0000\r\n\r\nHallo\r\n`);
  const entry = { ms: [], spf: null, dmarc: null };
  for (let run = 0; run < Number(runs); run += 1) {
    const dns = new Resolver({ timeout: 2000, tries: 1 });
    dns.setServers(["127.0.0.1:53"]);
    const resolver = (name, rr) => dns.resolve(name, rr);
    const start = performance.now();
    const result = await authenticate(message, {
      ip, helo: "mail.vendor-x.bench-vendors.test", sender: `info@${domain}`,
      mta: "mx.example.org", resolver, disableArc: true, disableBimi: true,
    });
    entry.ms.push(performance.now() - start);
    entry.spf = result.spf?.status?.result ?? null;
    entry.dmarc = result.dmarc?.status?.result ?? null;
  }
  out[domain] = entry;
}
console.log(JSON.stringify(out));
