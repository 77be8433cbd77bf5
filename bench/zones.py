#!/usr/bin/env python3
"""Writes the benchmark's fixture zones (scripts/bench): N customer domains `kunde-NNN.test` in
three shapes of what vendors' customers publish, over the include trees of three made-up
senders in `bench-vendors.test`, plus the PTR zone of the sending IP the benchmark evaluates.
And M domains `solo-NNN.test` of the "deep" shape whose include trees are their own copies
(under `sNNN.bench-vendors.test`): nothing one of them needs is ever in a cache that another
filled, which the page benchmark needs for a cold measurement through the worker's cache.

    bench/zones.py OUT_DIR N M

Prints one JSON line per domain shape: its SPF, its DNS-querying terms, and the longest chain of
dependent lookups a full check of it has to wait for (by construction; the benchmark compares
postcheck's measured rounds with it). The DKIM key is the test bed's fixture key
(tests/zones/report.test.zone), so every selector1 key parses.
"""

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOA = "@ SOA ns.{o}. hostmaster.{o}. 2026112401 3600 600 86400 300\n@ NS ns.{o}.\nns A 192.0.2.53\n"
V = "bench-vendors.test"

TREES = """; Three senders' SPF include trees, shaped like large providers' (nested includes, a and mx).
; "office": two branches, one nested a level deeper (4 lookups when included).
_spf.office  TXT "v=spf1 include:spf-a.office.{V} include:spf-b.office.{V} -all"
spf-a.office TXT "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 include:spf-c.office.{V} -all"
spf-b.office TXT "v=spf1 ip4:52.100.0.0/14 ip6:2a01:111:f400::/48 -all"
spf-c.office TXT "v=spf1 ip4:104.47.0.0/17 -all"
; "crm": a chain four includes deep that ends in an a term (5 lookups when included).
_spf.crm TXT "v=spf1 include:a.crm.{V} ~all"
a.crm    TXT "v=spf1 ip4:198.51.100.0/26 include:b.crm.{V} ~all"
b.crm    TXT "v=spf1 ip4:198.51.100.64/26 include:c.crm.{V} ~all"
c.crm    TXT "v=spf1 ip4:198.51.100.128/26 a:out.crm.{V} ~all"
out.crm  A   198.51.100.200
; "news": a and mx terms (3 lookups when included; mx needs the hosts' addresses too).
_spf.news TXT "v=spf1 a:out.news.{V} mx:news.{V} -all"
out.news  A   192.0.2.180
news      MX  10 mx1.news.{V}.
news      MX  20 mx2.news.{V}.
mx1.news  A   192.0.2.181
mx2.news  A   192.0.2.182
"""


def vendors(solos):
    """The vendor zone: the shared trees, then one copy per solo domain."""
    text = f"$ORIGIN {V}.\n$TTL 300\n{SOA.format(o=V)}"
    # The vendor server the benchmark evaluates SPF for (authorized by none of the customers).
    text += "mail.vendor-x A 203.0.113.99\n" + TREES.replace("{V}", V)
    for i in range(solos):
        origin = f"s{i + 1:03}.{V}"
        text += f"$ORIGIN {origin}.\n" + TREES.replace("{V}", origin)
    return text

PTR = f"""$ORIGIN 113.0.203.in-addr.arpa.
$TTL 300
@ SOA ns.{V}. hostmaster.{V}. 2026112401 3600 600 86400 300
@ NS ns.{V}.
99 PTR mail.vendor-x.{V}.
"""

# name -> (SPF record, DNS-querying terms, longest dependent chain of a full check).
# The chain of "deep": TXT kunde → TXT _spf.crm → a.crm → b.crm → c.crm → A out.crm = 6.
SHAPES = {
    "deep": ("v=spf1 mx include:_spf.office.{V} include:_spf.crm.{V} -all", 10, 6),
    "wide": ("v=spf1 include:_spf.office.{V} include:_spf.news.{V} ip4:192.0.2.10 -all", 7, 4),
    "redirect": ("v=spf1 redirect=_spf.crm.{V}", 5, 6),
}


def dkim_key():
    zone = (REPO / "tests/zones/report.test.zone").read_text()
    start = zone.index("dkim2026._domainkey.signed")
    record = zone[start:zone.index(")", start)]
    return "".join(re.findall(r'"([^"]*)"', record))


def customer(name, spf, key):
    quoted = " ".join(f'"{key[i:i + 200]}"' for i in range(0, len(key), 200))
    return (f"$ORIGIN {name}.\n$TTL 300\n{SOA.format(o=name)}"
            f"@ MX 10 mx1.{name}.\n@ MX 20 mx2.{name}.\nmx1 A 192.0.2.21\nmx2 A 192.0.2.22\n"
            f'@ TXT "{spf}"\n'
            f'_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@{name}; adkim=r; aspf=r"\n'
            f"selector1._domainkey TXT ( {quoted} )\n")


def shape_of(index):
    return list(SHAPES)[index % len(SHAPES)]


def main():
    out, count, solos = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{V}.zone").write_text(vendors(solos))
    (out / "113.0.203.in-addr.arpa.zone").write_text(PTR)
    key = dkim_key()
    for i in range(count):
        name = f"kunde-{i + 1:03}.test"
        spf = SHAPES[shape_of(i)][0].replace("{V}", V)
        (out / f"{name}.zone").write_text(customer(name, spf, key))
    for i in range(solos):
        name = f"solo-{i + 1:03}.test"
        spf = SHAPES["deep"][0].replace("{V}", f"s{i + 1:03}.{V}")
        (out / f"{name}.zone").write_text(customer(name, spf, key))
    for shape, (spf, terms, chain) in SHAPES.items():
        print(json.dumps({"shape": shape, "spf": spf.replace("{V}", V), "terms": terms, "chain": chain}))


if __name__ == "__main__":
    main()
