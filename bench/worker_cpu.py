#!/usr/bin/env python3
"""Worker cost: CPU time of workerd per /api/report and per /api/dns batch, measured from the
process's own accounting (/proc/<pid>/stat utime+stime) over many requests, so the figure is
an upper bound on the worker's CPU time (it includes workerd's HTTP handling). Runs inside the
test bed with wrangler dev (see scripts/bench-worker); prints one line per figure."""
import json, os, subprocess, sys, time, urllib.request

BASE = os.environ["POSTCHECK_TEST_WORKER"]
PORT = BASE.rsplit(":", 1)[1]
TICK = os.sysconf("SC_CLK_TCK")


def workerd_pid():
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{PORT}"], capture_output=True, text=True).stdout
    for part in out.split("pid=")[1:]:
        pid = int(part.split(",")[0])
        if "workerd" in open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace"):
            return pid
    sys.exit(f"no workerd listening on {PORT}: {out}")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


SENT = [0]


def post(path, body):
    # A client address per request (198.18.0.0/15, RFC 2544): the rate limit is per client.
    SENT[0] += 1
    client = f"198.18.{SENT[0] // 250 % 250}.{SENT[0] % 250 + 1}"
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          "CF-Connecting-IP": client})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = resp.read()
        assert resp.status == 200, (resp.status, data[:200])
        return json.loads(data)


def measure(label, path, body, n):
    pid = workerd_pid()
    for _ in range(20):  # warm: wasm compiled, answers cached
        post(path, body)
    before, wall = cpu_seconds(pid), time.perf_counter()
    for _ in range(n):
        post(path, body)
    cpu = (cpu_seconds(pid) - before) / n * 1000
    wall = (time.perf_counter() - wall) / n * 1000
    print(f"{label}: {cpu:.2f} ms CPU per request (workerd, {n} requests, answers cached; "
          f"wall {wall:.1f} ms)")
    return cpu


n = int(os.environ.get("BENCH_REQUESTS", "200"))
report = {"domain": "vendor-customer.test", "ips": ["192.0.2.41", "203.0.113.5"],
          "dkim_selectors": ["s1"]}
snap = post("/api/report", report)
print(f"/api/report for vendor-customer.test: {snap['rounds']} planner rounds, "
      f"{snap['queries']} queries, {len(json.dumps(snap))} bytes of snapshot")
measure("worker CPU /api/report (typical domain, 2 IPs)", "/api/report", report, n)
batch = {"queries": [{"name": "vendor-customer.test", "type": t} for t in ("TXT", "MX", "A", "AAAA")]
         + [{"name": "_dmarc.vendor-customer.test", "type": "TXT"}]}
measure("worker CPU /api/dns (batch of 5)", "/api/dns", batch, n)
