#!/usr/bin/env python3
"""Received reports in bulk: `postcheck reports` on about 100 MB of DMARC aggregate XML, timed
with the release binary (no DNS, no test bed), and one 10 MB report on /tools in headless
Chromium (bench/reports-page.mjs, over the built www/dist; skipped when it is not built). The XML is generated here, in the shape Google
writes (RFC 7489 Appendix C), from a seeded random generator: a mix of aligned mail, a sending
service that is not aligned, forwarding and spoofing, over many source IPs. Two runs: the XML as
one 100 MB file, and the same records as 40 gzipped reports of 2.5 MB each (what a mailbox of
report mail holds). Prints a BENCHMARKS.md section; bench/run.py appends it.

    python3 bench/reports.py [--postcheck target/release/postcheck] [--megabytes 100] [--runs 3]
"""

import argparse
import json
import gzip
import pathlib
import random
import statistics
import subprocess
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent


def record(rng):
    kind = rng.random()
    ip = f"{rng.choice([192, 198, 203])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
    count = rng.randrange(1, 200)
    if kind < 0.7:  # the domain's own servers: aligned
        evaluated, dkim, spf = ("pass", "pass"), [("example.com", "google", "pass")], ("example.com", "pass")
    elif kind < 0.85:  # a sending service that is not aligned
        evaluated, dkim, spf = ("fail", "fail"), [("mailjet.com", "mailjet", "pass")], ("bnc3.mailjet.com", "pass")
    elif kind < 0.95:  # forwarded: SPF fails, DKIM broken
        evaluated, dkim, spf = ("fail", "fail"), [("example.com", "google", "fail")], ("forwarder.example", "pass")
    else:  # spoofed
        evaluated, dkim, spf = ("fail", "fail"), [], ("spoofer.example", "fail")
    dkim_xml = "".join(
        f"""
      <dkim>
        <domain>{d}</domain>
        <selector>{s}</selector>
        <result>{r}</result>
      </dkim>""" for d, s, r in dkim)
    return f"""  <record>
    <row>
      <source_ip>{ip}</source_ip>
      <count>{count}</count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>{evaluated[0]}</dkim>
        <spf>{evaluated[1]}</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>{dkim_xml}
      <spf>
        <domain>{spf[0]}</domain>
        <result>{spf[1]}</result>
      </spf>
    </auth_results>
  </record>
""", count


def report(report_id, records):
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>google.com</org_name>
    <email>noreply-dmarc-support@google.com</email>
    <report_id>{report_id}</report_id>
    <date_range>
      <begin>1767225600</begin>
      <end>1767311999</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>example.com</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>none</p>
    <sp>none</sp>
    <pct>100</pct>
  </policy_published>
{"".join(records)}</feedback>
"""


def timed(args, runs, output):
    """The median wall time of `runs` runs, the JSON written to the file `output` (as a user
    would keep it), not into this script's memory."""
    times = []
    for _ in range(runs):
        with open(output, "wb") as out:
            start = time.monotonic()
            result = subprocess.run(args, stdout=out, stderr=subprocess.PIPE)
            times.append(time.monotonic() - start)
        if result.returncode != 0:
            raise SystemExit(f"{args}: exit {result.returncode}\n{result.stderr.decode()[:2000]}")
    return statistics.median(times)


def section(postcheck, megabytes=100, runs=3):
    rng = random.Random(17)
    parts = 40
    target = megabytes * 1_000_000
    chunks, size, messages = [[]], 0, 0
    while size < target:
        text, count = record(rng)
        chunks[-1].append(text)
        size += len(text)
        messages += count
        if size >= target * len(chunks) / parts and len(chunks) < parts:
            chunks.append([])
    rows = sum(len(chunk) for chunk in chunks)
    lines = ["## 8. Received reports: DMARC aggregate XML (`bench/reports.py`)", "",
             f"`postcheck reports --json` on {rows} records ({messages} messages) from about as many",
             f"source IPs, release build, JSON written to a file, median of {runs} runs.",
             "",
             "| input | size | time |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        single = tmp / "one.xml"
        single.write_text(report("bench-all", [text for chunk in chunks for text in chunk]))
        seconds = timed([postcheck, "reports", str(single), "--json"], runs, tmp / "out.json")
        lines.append(f"| one XML file | {single.stat().st_size / 1e6:.0f} MB | {seconds:.2f} s |")
        folder = tmp / "gz"
        folder.mkdir()
        compressed = 0
        for index, chunk in enumerate(chunks):
            data = gzip.compress(report(f"bench-{index}", chunk).encode(), mtime=0)
            (folder / f"google.com!example.com!{index}.xml.gz").write_bytes(data)
            compressed += len(data)
        seconds = timed([postcheck, "reports", str(folder), "--json"], runs, tmp / "out.json")
        lines.append(f"| {len(chunks)} gzipped reports (a folder) | {compressed / 1e6:.1f} MB gzip, "
                     f"{single.stat().st_size / 1e6:.0f} MB XML | {seconds:.2f} s |")
        page = page_row(tmp, [text for chunk in chunks for text in chunk], runs)
        if page:
            lines.append(page)
    lines.append("")
    return lines


def page_row(tmp, records, runs, megabytes=10):
    """One report of about `megabytes` MB read on /tools in headless Chromium: the median time
    from choosing the file to the merged view, the reader module's first load included once."""
    if not (REPO / "www/dist/tools/reports/postcheck_web_reports_bg.wasm").exists():
        return None
    target, size, chosen = megabytes * 1_000_000, 0, []
    for text in records:
        if size >= target:
            break
        chosen.append(text)
        size += len(text)
    path = tmp / "page.xml"
    path.write_text(report("bench-page", chosen))
    result = subprocess.run(["node", str(REPO / "bench/reports-page.mjs"), str(path), str(runs)],
                            capture_output=True, text=True, check=True)
    times = json.loads(result.stdout)["ms"]
    return (f"| one XML file on /tools in Chromium (wasm), file chosen to view shown | "
            f"{path.stat().st_size / 1e6:.0f} MB | {statistics.median(times) / 1000:.2f} s |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postcheck", default=str(REPO / "target/release/postcheck"))
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("\n".join(section(args.postcheck, args.megabytes, args.runs)))


if __name__ == "__main__":
    main()
