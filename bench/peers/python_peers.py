#!/usr/bin/env python3
"""The Python peers of scripts/bench, through their Python APIs, in this one process:

    python_peers.py checkdmarc RUNS DOMAIN...   full check_domains() per domain, caches emptied
                                                before each run (checkdmarc keeps DNS answers in
                                                module-wide ExpiringDicts)
    python_peers.py pyspf IP RUNS DOMAIN...      spf.check2() for IP and postmaster@DOMAIN
    python_peers.py checkdmarc-bulk FILE        check_domains() over every line of FILE once
                                                (its caches on, as a bulk run has them)

All against the bed's DNS, 127.0.0.1:53 (pyspf reads /etc/resolv.conf, which the bed points
there). Prints one JSON object: { domain: { "ms": [...], <result fields> } } (bulk: total ms).
"""

import json
import sys
import time

import dns.resolver


def resolver():
    r = dns.resolver.Resolver(configure=False)
    r.nameservers = ["127.0.0.1"]
    r.port = 53
    r.timeout = r.lifetime = 2.0
    return r


def clear_checkdmarc_caches():
    import checkdmarc.dnssec
    import checkdmarc.utils
    for cache in (checkdmarc.utils.DNS_CACHE, checkdmarc.dnssec.DNSSEC_CACHE,
                  checkdmarc.dnssec.DNSKEY_CACHE, checkdmarc.dnssec.TLSA_CACHE):
        cache.clear()


def checkdmarc_runs(runs, domains):
    import checkdmarc
    out = {}
    for domain in domains:
        entry = {"ms": []}
        for _ in range(runs):
            clear_checkdmarc_caches()
            start = time.perf_counter()
            result = checkdmarc.check_domains([domain], resolver=resolver(), timeout=2.0)
            entry["ms"].append((time.perf_counter() - start) * 1000)
            result = result[0] if isinstance(result, list) else result
            result = dict(result)
            entry["spf_valid"] = result.get("spf", {}).get("valid")
            entry["dmarc_valid"] = result.get("dmarc", {}).get("valid")
            entry["spf_lookups"] = result.get("spf", {}).get("dns_lookups")
        out[domain] = entry
    return out


def pyspf_runs(ip, runs, domains):
    import spf
    out = {}
    for domain in domains:
        entry = {"ms": []}
        for _ in range(runs):
            start = time.perf_counter()
            result, _text = spf.check2(i=ip, s=f"postmaster@{domain}",
                                              h="mail.vendor-x.bench-vendors.test")
            entry["ms"].append((time.perf_counter() - start) * 1000)
            entry["spf"] = result
        out[domain] = entry
    return out


def checkdmarc_bulk(path):
    import checkdmarc
    domains = [line.strip() for line in open(path) if line.strip()]
    clear_checkdmarc_caches()
    start = time.perf_counter()
    results = checkdmarc.check_domains(domains, resolver=resolver(), timeout=2.0)
    total = (time.perf_counter() - start) * 1000
    results = results if isinstance(results, list) else [results]
    valid = sum(1 for r in results if dict(r).get("spf", {}).get("valid"))
    return {"domains": len(domains), "ms": total, "spf_valid": valid}


def main():
    tool = sys.argv[1]
    if tool == "checkdmarc":
        out = checkdmarc_runs(int(sys.argv[2]), sys.argv[3:])
    elif tool == "pyspf":
        out = pyspf_runs(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif tool == "checkdmarc-bulk":
        out = checkdmarc_bulk(sys.argv[2])
    else:
        sys.exit(f"unknown peer {tool}")
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
