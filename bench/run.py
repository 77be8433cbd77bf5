#!/usr/bin/env python3
"""The measurements of scripts/bench, run inside the test bed (with the delaying proxy between
dnsdist and knotd) and wrangler dev: full-report latency of postcheck's CLI and its peers on the
same DNS, the page in Chromium, the worker's CPU, and a bulk run. Writes BENCHMARKS.md and
prints the figures. Not a test: nothing here passes or fails on a time.

Environment (set by scripts/bench): POSTCHECK_BENCH_DELAY_MS, POSTCHECK_BENCH_RUNS,
POSTCHECK_BENCH_CUSTOMERS, POSTCHECK_BENCH_SOLOS, POSTCHECK_BENCH_SHAPES (zones.py's JSON lines),
POSTCHECK_TEST_WORKER (with-wrangler.sh).
"""

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import limits  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CLI = REPO / "target/release/postcheck"
VENV_PY = REPO / ".tools/bench-venv/bin/python"
IP = "203.0.113.99"
NS = "127.0.0.1:53"
DELAY = float(os.environ["POSTCHECK_BENCH_DELAY_MS"])
RUNS = int(os.environ["POSTCHECK_BENCH_RUNS"])
CUSTOMERS = int(os.environ["POSTCHECK_BENCH_CUSTOMERS"])
SOLOS = int(os.environ["POSTCHECK_BENCH_SOLOS"])
SHAPES = [json.loads(line) for line in os.environ["POSTCHECK_BENCH_SHAPES"].splitlines() if line]
# Two domains of each shape (zones.py cycles the shapes: kunde-001 deep, -002 wide, -003 redirect).
LATENCY_DOMAINS = [f"kunde-{i:03}.test" for i in range(1, 2 * len(SHAPES) + 1)]


def shape_of(domain):
    return SHAPES[(int(domain[6:9]) - 1) % len(SHAPES)]["shape"]


def median(values):
    return statistics.median(values) if values else float("nan")


def out(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kw).stdout.strip()


def say(line=""):
    print(line, flush=True)


# --- 1. full-report latency, side by side -----------------------------------------------------

def postcheck_runs(domains):
    results = {}
    for domain in domains:
        entry = {"ms": [], "rounds": None, "queries": None, "exit": None}
        for _ in range(RUNS):
            start = time.perf_counter()
            done = subprocess.run([str(CLI), "check", domain, "--ip", IP, "--nameserver", NS,
                                   "--json", "--stats"], capture_output=True, text=True)
            entry["ms"].append((time.perf_counter() - start) * 1000)
            stats = re.search(r"(\d+) DNS queries and (\d+) HTTPS fetches in (\d+) rounds", done.stderr)
            entry["queries"], entry["rounds"] = int(stats[1]), int(stats[3])
            entry["exit"] = done.returncode
            report = json.loads(done.stdout)
            entry["spf"] = next((r.get("result") for r in report["spf"].get("results", [])
                                 if r.get("ip") == IP), None)
        results[domain] = entry
    return results


def peer(args):
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"peer failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def latency():
    say(f"1. Full-report latency, {len(LATENCY_DOMAINS)} domains x {RUNS} runs, {DELAY:g} ms per DNS query")
    tools = {
        "postcheck": postcheck_runs(LATENCY_DOMAINS),
        "checkdmarc": peer([str(VENV_PY), str(REPO / "bench/peers/python_peers.py"), "checkdmarc",
                            str(RUNS), *LATENCY_DOMAINS]),
        "mailauth": peer(["node", str(REPO / "bench/peers/mailauth.mjs"), IP, str(RUNS),
                          *LATENCY_DOMAINS]),
        "pyspf": peer([str(VENV_PY), str(REPO / "bench/peers/python_peers.py"), "pyspf", IP,
                       str(RUNS), *LATENCY_DOMAINS]),
    }
    for tool, results in tools.items():
        say(f"   {tool}: median {median([m for r in results.values() for m in r['ms']]):.0f} ms")
    return tools


def log_lines():
    with open(os.environ["POSTCHECK_TEST_QUERY_LOG"], "rb") as log:
        return sum(1 for _ in log)


def queries_per_report():
    """DNS queries one report sends, per tool and shape, counted in dnsdist's query log (one run
    each, nothing else asking meanwhile)."""
    domains = LATENCY_DOMAINS[:len(SHAPES)]
    commands = {
        "postcheck": lambda d: [str(CLI), "check", d, "--ip", IP, "--nameserver", NS, "--json"],
        "checkdmarc": lambda d: [str(VENV_PY), str(REPO / "bench/peers/python_peers.py"),
                                 "checkdmarc", "1", d],
        "mailauth": lambda d: ["node", str(REPO / "bench/peers/mailauth.mjs"), IP, "1", d],
        "pyspf": lambda d: [str(VENV_PY), str(REPO / "bench/peers/python_peers.py"), "pyspf", IP,
                            "1", d],
    }
    counts = {}
    for tool, command in commands.items():
        counts[tool] = {}
        for domain in domains:
            before = log_lines()
            subprocess.run(command(domain), capture_output=True, check=False)
            counts[tool][shape_of(domain)] = log_lines() - before
    say(f"   DNS queries per report: {counts}")
    return counts


def sanity(tools):
    """Each tool must have done its work (results, not errors): else the figures mean nothing."""
    problems = []
    for domain, r in tools["postcheck"].items():
        if r["exit"] not in (0, 1) or r["spf"] not in ("fail", "softfail"):
            problems.append(f"postcheck {domain}: exit {r['exit']}, SPF {r['spf']}")
    for domain, r in tools["checkdmarc"].items():
        if not (r.get("spf_valid") and r.get("dmarc_valid")):
            problems.append(f"checkdmarc {domain}: {r}")
    for domain, r in tools["pyspf"].items():
        if r.get("spf") not in ("fail", "softfail"):
            problems.append(f"pyspf {domain}: {r.get('spf')}")
    for domain, r in tools["mailauth"].items():
        if r.get("spf") not in ("fail", "softfail") or r.get("dmarc") != "fail":
            problems.append(f"mailauth {domain}: SPF {r.get('spf')}, DMARC {r.get('dmarc')}")
    return problems


# --- 2 and 3. the page in Chromium ------------------------------------------------------------

def page():
    domains = [f"solo-{i:03}.test" for i in range(1, SOLOS + 1)]
    say(f"2./3. The page in Chromium: {len(domains)} domains, each checked cold and again")
    result = peer(["node", str(REPO / "bench/page.mjs"), *domains])
    say(f"   time to report: cold median {median(result['cold']):.0f} ms, warm {median(result['warm']):.0f} ms; "
        f"/api/ requests per report: {sorted(set(result['apiRequests']))}")
    return result


def brotli_sizes():
    """The web app's parts, measured as scripts/build-web measures them."""
    return json.loads(out(["node", str(REPO / "scripts/web-sizes.mjs"), "--json", str(REPO / "www/dist")]))


# --- 4. worker cost ---------------------------------------------------------------------------

def worker_cost():
    say("4. Worker CPU (bench/worker_cpu.py)")
    lines = out([sys.executable, str(REPO / "bench/worker_cpu.py")]).splitlines()
    for line in lines:
        say(f"   {line}")
    return lines


# --- 5. bulk ----------------------------------------------------------------------------------

def bulk():
    domains = [f"kunde-{i:03}.test" for i in range(1, CUSTOMERS + 1)]
    say(f"5. Bulk: {len(domains)} domains")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(domains) + "\n")
        listing = f.name
    rows = {}
    for concurrency in (1, 8):
        start = time.perf_counter()
        done = subprocess.run([str(CLI), "check", "--batch", listing, "--concurrency", str(concurrency),
                               "--ip", IP, "--nameserver", NS], capture_output=True, text=True)
        ms = (time.perf_counter() - start) * 1000
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        rows[f"postcheck --batch --concurrency {concurrency}"] = {"ms": ms, "domains": len(lines)}
    r = peer([str(VENV_PY), str(REPO / "bench/peers/python_peers.py"), "checkdmarc-bulk", listing])
    rows["checkdmarc check_domains()"] = {"ms": r["ms"], "domains": r["domains"]}
    os.unlink(listing)
    for name, row in rows.items():
        say(f"   {name}: {row['ms'] / 1000:.1f} s for {row['domains']} domains")
    return rows


# --- BENCHMARKS.md ----------------------------------------------------------------------------

def versions():
    py = out([str(VENV_PY), "-c", "import importlib.metadata as m; print(' '.join(f'{p}=={m.version(p)}' for p in ('checkdmarc', 'pyspf', 'dnspython')))"])
    pkg = lambda p: json.loads((REPO / p).read_text())["version"]  # noqa: E731
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((line.split(":", 1)[1].strip() for line in open("/proc/meminfo") if line.startswith("MemTotal")), "?")
    return {
        "machine": f"{cpu}, {os.cpu_count()} CPUs, {mem} RAM, Linux {platform.release()}",
        "postcheck": out(["git", "-C", str(REPO), "describe", "--always", "--dirty"]) + " (release build)",
        "rustc": out(["rustc", "-V"]),
        "python peers": py,
        "mailauth": f"{pkg('bench/node_modules/mailauth/package.json')} on Node {out(['node', '-v'])}",
        "chromium": out(["/usr/bin/chromium", "--version"]),
        "wrangler": pkg("node_modules/wrangler/package.json"),
        "dns": f"{out(['knotd', '-V'])}, {out(['dnsdist', '--version']).splitlines()[0]}",
    }


# --- 6. Cloudflare's limits ---------------------------------------------------------------------

def worker_limits():
    domains = [f"kunde-{i:03}.test" for i in range(1, CUSTOMERS + 1)] + [f"solo-{i:03}.test" for i in range(1, SOLOS + 1)]
    say(f"6. Cloudflare's limits: {len(domains)} reports through the worker at the Free budget")
    free = limits.free_budget(os.environ["POSTCHECK_TEST_WORKER"], domains, [IP])
    say(f"   queries per cold report: median {free['median']}, max {free['max']}; "
        f"one request: {free['one_request']} of {free['domains']}")
    capped = None
    before = os.environ.get("POSTCHECK_BENCH_BEFORE")
    if before:
        solos = [f"solo-{i:03}.test" for i in range(1, SOLOS + 1)]
        say(f"   under a 6-connection cap: {os.environ.get('POSTCHECK_BENCH_BEFORE_REV', '?')} and this worker, {len(solos)} cold reports each")
        capped = limits.capped(before, solos, [IP])
        for domain, row in capped.items():
            say(f"   {domain}: before {row['before']['ms']:.0f} ms ({row['before']['queries']} queries), "
                f"after {row['after']['ms']:.0f} ms ({row['after']['queries']} queries)")
    return free, capped


def write(tools, counts, problems, page_result, sizes, cpu_lines, bulk_rows, free, capped):
    pc = tools["postcheck"]
    pc_median = median([m for r in pc.values() for m in r["ms"]])
    chain = {s["shape"]: s["chain"] for s in SHAPES}
    lines = [
        "# Benchmarks",
        "",
        "Written by `./scripts/bench` (rerun it any time; it takes about ten minutes). Nothing here is",
        "asserted by the test command: these are measurements, not tests.",
        "",
        "## Machine and versions",
        "",
        *[f"- {k}: {v}" for k, v in versions().items()],
        "",
        "## Method",
        "",
        f"All tools ask the same DNS: the test bed (knotd behind dnsdist, in a private network namespace)",
        f"with `tests/bed/delay_proxy.py` between the two, so every query — plain DNS or DoH — takes",
        f"{DELAY:g} ms more, like a resolver a few hundred kilometres away with a cold cache. The zones come",
        f"from `bench/zones.py`: customer domains `kunde-NNN.test` in three shapes over the include trees",
        f"of three made-up senders (nested includes, `a` and `mx` terms), each with MX, DMARC and a DKIM",
        f"key; the sending IP {IP} is authorized by none of them (the case postcheck exists for), so SPF",
        f"evaluation has to walk the whole tree.",
        "",
        "| shape | SPF | DNS-querying terms | longest chain of dependent lookups |",
        "|---|---|---|---|",
        *[f"| {s['shape']} | `{s['spf']}` | {s['terms']} | {s['chain']} |" for s in SHAPES],
        "",
        "- **postcheck**: the release CLI, one process per report (`postcheck check D --ip IP",
        "  --nameserver 127.0.0.1:53 --json`): the full report (SPF with evaluation for the IP, DMARC,",
        "  DKIM with the selectors of the providers its SPF and MX name plus six universal ones, MX,",
        "  MTA-STS, TLS-RPT, BIMI, PTR, five blocklists).",
        "  Timed from outside, so process start is included.",
        "- **checkdmarc** (Python API, `check_domains([d], resolver=…)` at 127.0.0.1:53, in one",
        "  process, its DNS caches emptied before each run): SPF (parsed and counted, not evaluated for",
        "  an IP), DMARC, MX, NS, DNSSEC, BIMI, MTA-STS, TLS-RPT.",
        "- **mailauth** (npm, `authenticate()` of a one-line message from the domain, in one process,",
        "  a fresh resolver per run): SPF evaluated for the IP, then DMARC; ARC and BIMI off.",
        "- **pyspf** (`spf.check2()`, in one process): SPF evaluated for the IP, nothing else.",
        "",
        "The peers are timed inside their own process (no interpreter start-up); postcheck is timed",
        "with its process start. Lower bound for postcheck: its planner's rounds (each waits for the",
        "answers of the one before; `--stats` reports them) × the delay.",
        "",
        f"## 1. Full report, side by side ({RUNS} runs per domain, medians in ms)",
        "",
        "| domain | shape | postcheck | rounds (chain) | lower bound | checkdmarc | mailauth | pyspf |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for domain in LATENCY_DOMAINS:
        r = pc[domain]
        shape = shape_of(domain)
        lines.append(
            f"| {domain} | {shape} | {median(r['ms']):.0f} | {r['rounds']} ({chain[shape]}) | "
            f"{r['rounds'] * DELAY:.0f} | {median(tools['checkdmarc'][domain]['ms']):.0f} | "
            f"{median(tools['mailauth'][domain]['ms']):.0f} | {median(tools['pyspf'][domain]['ms']):.0f} |")
    lines += ["", "| tool | what it does | median | × postcheck |", "|---|---|---|---|"]
    scope = {
        "postcheck": f"full report, {median([r['queries'] for r in pc.values()]):.0f} queries (median)",
        "checkdmarc": "SPF (no evaluation), DMARC, MX, NS, DNSSEC, BIMI, MTA-STS, TLS-RPT",
        "mailauth": "SPF evaluation + DMARC",
        "pyspf": "SPF evaluation only",
    }
    for tool, results in tools.items():
        m = median([x for r in results.values() for x in r["ms"]])
        lines.append(f"| {tool} | {scope[tool]} | {m:.0f} ms | {m / pc_median:.1f} |")
    lines += ["", "DNS queries one report sends (dnsdist's query log, one run each):", "",
              "| tool | " + " | ".join(s["shape"] for s in SHAPES) + " |",
              "|---|" + "---|" * len(SHAPES)]
    for tool, per_shape in counts.items():
        lines.append(f"| {tool} | " + " | ".join(str(per_shape[s["shape"]]) for s in SHAPES) + " |")
    if problems:
        lines += ["", "**Warning — a tool did not produce its normal result; the figures above are suspect:**", ""]
        lines += [f"- {p}" for p in problems]
    lines += [
        "",
        "## 2. Round trips per report (page → worker)",
        "",
        f"Counted in Chromium for {SOLOS} reports, each checked twice: requests to `/api/` per report:",
        f"{', '.join(str(n) for n in page_result['apiRequests'])} (target: one).",
        "",
        "## 3. The page: weight and time to the report",
        "",
        "| part | brotli |", "|---|---|",
        f"| check page (wasm + JS + CSS), loaded on every visit | {sizes['page'] / 1024:.1f} KB |",
        f"| `/tools` (bounce and header page), loaded only there | {sizes['tools'] / 1024:.1f} KB |",
        f"| `/tools` DKIM verifier, loaded only when asked for | {sizes['dkim'] / 1024:.1f} KB |",
        f"| widget loader `widget.js` | {sizes['widget'] / 1024:.2f} KB |",
        "",
        f"Headless Chromium against `wrangler dev` (its upstream: the bed's DoH, {DELAY:g} ms per query),",
        f"from the click on \"Check\" to the complete report, timed in the page (`performance.now()`),",
        f"for {SOLOS} `solo-NNN.test` domains (the deep shape, each with include trees of its own, so",
        "the first check finds nothing in the worker's cache), then the same domain again:",
        "",
        "| | median | min | max |", "|---|---|---|---|",
        *[f"| {label} | {median(v):.0f} ms | {min(v):.0f} ms | {max(v):.0f} ms |"
          for label, v in (("page load to interactive", page_result["load"]),
                           ("check, worker cache cold", page_result["cold"]),
                           ("check, worker cache warm", page_result["warm"]))],
        "",
        "## 4. Worker cost (workerd under wrangler dev, `bench/worker_cpu.py`)",
        "",
        *[f"- {line}" for line in cpu_lines],
        "",
        f"## 5. Bulk: {CUSTOMERS} domains",
        "",
        "| run | total | per domain |", "|---|---|---|",
        *[f"| {name} | {row['ms'] / 1000:.1f} s | {row['ms'] / max(row['domains'], 1):.0f} ms |"
          for name, row in bulk_rows.items()],
        "",
        "## 6. Within Cloudflare's limits (Workers Free: 50 subrequests, 6 connections)",
        "",
        f"Every bench domain ({free['domains']}: the customers and the solos, sending IP {IP}) as a report",
        f"through the worker at the Free budget (`SUBREQUEST_LIMIT` {limits.FREE_BUDGET}), followed through its",
        "continuations (`bench/limits.py`). Queries per cold report = cache hits + upstream subrequests",
        "over all parts: what a report costs on a cold isolate, one subrequest each.",
        "",
        "| | value |", "|---|---|",
        f"| upstream queries per cold report, median | {free['median']} |",
        f"| upstream queries per cold report, max | {free['max']} |",
        f"| cold reports within one invocation's budget ({limits.FREE_BUDGET}) | {free['fits_cold']} of {free['domains']} |",
        f"| reports answered in one request (this run) | {free['one_request']} of {free['domains']} |",
        f"| requests per report seen | {', '.join(str(p) for p in free['parts'])} |",
        "",
    ]
    if free["incomplete"]:
        lines += [f"**Incomplete reports:** {', '.join(free['incomplete'])}", ""]
    if capped:
        rev = os.environ.get("POSTCHECK_BENCH_BEFORE_REV", "the earlier commit")
        before_ms = [r["before"]["ms"] for r in capped.values()]
        after_ms = [r["after"]["ms"] for r in capped.values()]
        lines += [
            f"Cold report time through the worker with the platform's connection cap emulated: each worker",
            f"under `wrangler dev` with the bed's DoH behind `bench/cap_proxy.py` (6 requests at once, the",
            f"rest queued, as the edge queues a seventh connection), {DELAY:g} ms per DNS query; before =",
            f"the worker of {rev}, after = this one. Each `solo-NNN.test` once per worker (cold):",
            "",
            "| domain | before | queries | after | queries |", "|---|---|---|---|---|",
            *[f"| {d} | {r['before']['ms']:.0f} ms | {r['before']['queries']} | {r['after']['ms']:.0f} ms | {r['after']['queries']} |"
              for d, r in capped.items()],
            f"| **median** | **{median(before_ms):.0f} ms** | | **{median(after_ms):.0f} ms** | |",
            "",
        ]
    return lines


def main():
    tools = latency()
    counts = queries_per_report()
    problems = sanity(tools)
    for p in problems:
        say(f"   WARNING: {p}")
    page_result = page()
    # After the page: its "cold" checks must find the main worker's caches empty.
    free, capped = worker_limits()
    sizes = brotli_sizes()
    say(f"   page weight: {sizes['page'] / 1024:.1f} KB brotli")
    cpu_lines = worker_cost()
    bulk_rows = bulk()
    lines = write(tools, counts, problems, page_result, sizes, cpu_lines, bulk_rows, free, capped)
    # Lists in bulk (bench/lists.py): recipients and bounces, 10,000 each.
    import lists  # noqa: E402 - the sibling script, on the path as this one's folder
    lines += lists.section(str(REPO / "target/release/postcheck"))
    # Received reports (bench/reports.py): 100 MB of DMARC aggregate XML, no DNS.
    import reports  # noqa: E402 - the sibling script, as lists above
    lines += reports.section(str(REPO / "target/release/postcheck"))
    target = Path(os.environ.get("POSTCHECK_BENCH_OUT", REPO / "BENCHMARKS.md"))
    # The hand-written reading of the figures (where postcheck is not ahead, and why) lives in
    # bench/READING.md and is appended, so a rerun does not lose it.
    notes = REPO / "bench/READING.md"
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    target.write_text("\n".join(lines))
    say(f"wrote {target}")


if __name__ == "__main__":
    main()
