"""Cloudflare's per-invocation limits in the benchmark (issue 12), called by bench/run.py inside
the test bed and the wrangler harness.

1. At the Free budget: every bench domain through the main worker (`SUBREQUEST_LIMIT` 45): the
   queries a cold report needs (cache hits + upstream subrequests, over all parts; on a cold
   isolate each is one subrequest), and the requests the report took (1, or more when it was
   continued).
2. Under the platform's connection cap: `wrangler dev` does not queue a seventh connection, the
   edge does. With POSTCHECK_BENCH_BEFORE (a folder holding an earlier commit's built worker,
   see scripts/bench), the earlier worker and this one each run under wrangler dev with the bed's
   DoH behind bench/cap_proxy.py (6 requests at once, the rest queued), and each report of the
   `solo-NNN.test` domains is timed cold on both.
"""

import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FREE_BUDGET = 45
_client = 0


def _post(base, path, body):
    """POST JSON from a client address of its own (the rate limit is per client)."""
    global _client
    _client += 1
    request = urllib.request.Request(base + path, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "CF-Connecting-IP": f"198.18.{100 + _client // 250}.{_client % 250 + 1}",
    })
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _fields(header):
    return {k: int(v) for k, _, v in (part.partition("=") for part in (header or "").split()) if v.isdigit()}


def report(base, domain, ips):
    """One report followed through its parts: time, parts, subrequests sent, queries needed."""
    start = time.perf_counter()
    status, headers, body = _post(base, "/api/report", json.dumps({"domain": domain, "ips": ips}).encode())
    result = {"parts": 0, "sent": 0, "queries": 0, "complete": False}
    while status == 200:
        result["parts"] += 1
        result["sent"] += _fields(headers.get("X-Postcheck-Subrequests")).get("sent", 0)
        cache = _fields(headers.get("X-Postcheck-Cache"))
        result["queries"] += cache.get("hit", 0) + cache.get("miss", 0)
        if json.loads(body).get("complete", True):
            result["complete"] = True
            break
        status, headers, body = _post(base, "/api/report/continue", body)
    result["ms"] = (time.perf_counter() - start) * 1000
    result["status"] = status
    return result


def free_budget(base, domains, ips):
    rows = {domain: report(base, domain, ips) for domain in domains}
    queries = sorted(r["queries"] for r in rows.values())
    one = sum(1 for r in rows.values() if r["parts"] == 1)
    fits = sum(1 for q in queries if q <= FREE_BUDGET)
    summary = {
        "domains": len(rows),
        "median": statistics.median(queries),
        "max": max(queries),
        "one_request": one,
        "fits_cold": fits,
        "incomplete": [d for d, r in rows.items() if not r["complete"]],
        "parts": sorted({r["parts"] for r in rows.values()}),
    }
    return summary


def _start(directory, port, upstream, state):
    persist = tempfile.mkdtemp(dir=state)
    log = open(Path(state) / f"wrangler-{port}.log", "w")
    (Path(directory) / "www/dist").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, WRANGLER_SEND_METRICS="false", CLOUDFLARE_CF_FETCH_ENABLED="false", CI="true",
               WRANGLER_LOG_PATH=str(Path(state) / f"logs-{port}"))
    process = subprocess.Popen(
        [str(REPO / "node_modules/.bin/wrangler"), "dev", "--ip", "127.0.0.1", "--port", str(port),
         "--show-interactive-dev-session=false", "--persist-to", persist, "--inspector-port", "0",
         "--var", f"DOH_UPSTREAMS:{upstream}", "--var", "DOH_TIMEOUT_MS:2500",
         "--var", f"SNAPSHOT_SECRET:{secrets.token_hex(32)}"],
        cwd=directory, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(480):
        try:
            urllib.request.urlopen(base + "/api/none", timeout=2)
        except urllib.error.HTTPError:
            return process, base
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"wrangler dev on {port} did not come up (log in {log.name})")


def _stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def capped(before_dir, domains, ips):
    """Cold report time of the earlier and this worker, both behind a 6-request cap."""
    doh = os.environ["POSTCHECK_TEST_DOH"]  # http://127.0.0.1:8053/dns-query
    authority = doh.split("//", 1)[1].split("/", 1)[0]
    state = tempfile.mkdtemp(prefix="postcheck-bench-cap.")
    proxy = subprocess.Popen([sys.executable, str(REPO / "bench/cap_proxy.py"), "--listen", "127.0.0.1:8063",
                              "--upstream", authority, "--max", "6"], start_new_session=True)
    upstream = "http://127.0.0.1:8063/dns-query"
    processes = [proxy]
    try:
        before, before_base = _start(before_dir, 8791, upstream, state)
        processes.append(before)
        after, after_base = _start(str(REPO), 8792, upstream, state)
        processes.append(after)
        rows = {}
        for domain in domains:
            rows[domain] = {"before": report(before_base, domain, ips), "after": report(after_base, domain, ips)}
        return rows
    finally:
        for process in reversed(processes):
            _stop(process)
