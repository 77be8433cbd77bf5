#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target from the fixtures (tests/zones, tests/bounces,
tests/headers, tests/reports) into fuzz/corpus/<target>/seed-*. Run once per new target; campaigns and
`cargo fuzz cmin` grow and shrink the corpus from there (scripts/fuzz, ROBUSTNESS.md)."""
import hashlib, json, os, re, struct, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
corpus = os.path.join(root, "fuzz", "corpus")


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def zone_records():
    """(owner, type, rdata) of every record in tests/zones/*.zone, TXT as its strings."""
    records = []
    zones = os.path.join(root, "tests", "zones")
    for file in sorted(os.listdir(zones)):
        if not file.endswith(".zone"):
            continue
        origin, last = file[: -len(".zone")] + ".", None
        for line in open(os.path.join(zones, file), encoding="utf-8", errors="replace"):
            line = re.sub(r'\s;[^"]*$', "", line.rstrip("\n"))
            if not line.strip() or line.startswith(";"):
                continue
            if line.startswith("$ORIGIN"):
                origin = line.split()[1]
                continue
            if line.startswith("$"):
                continue
            owner = last if line[0].isspace() else line.split()[0]
            last = owner
            fields = line.split()
            if not line[0].isspace():
                fields = fields[1:]
            while fields and (fields[0].isdigit() or fields[0] in ("IN",)):
                fields = fields[1:]
            if not fields:
                continue
            rtype, rest = fields[0].upper(), line.split(fields[0], 1)[-1].strip()
            name = origin if owner == "@" else (owner if owner.endswith(".") else owner + "." + origin)
            name = name.rstrip(".").lower()
            if rtype == "TXT":
                strings = re.findall(r'"((?:[^"\\]|\\.)*)"', rest)
                records.append((name, "TXT", [s.replace('\\"', '"') for s in strings]))
            elif rtype in ("A", "AAAA", "PTR", "CNAME", "NS"):
                records.append((name, rtype, rest.split()[0].rstrip(".")))
            elif rtype == "MX":
                parts = rest.split()
                if len(parts) >= 2 and parts[0].isdigit():
                    records.append((name, "MX", (int(parts[0]), parts[1].rstrip("."))))
    return records


def main():
    records = zone_records()
    for name, rtype, data in records:
        if rtype != "TXT":
            continue
        joined = "".join(data)
        raw = "\0".join(data)
        if joined.lower().startswith("v=spf1"):
            write("spf_record", raw)
            for macro in re.findall(r"[a-z]+[:=]([^ ]*%[^ ]*)", joined):
                write("spf_macros", macro)
        elif joined.startswith("v=DMARC1"):
            write("dmarc_record", raw)
        elif "p=" in joined and ("v=DKIM1" in joined or "._domainkey." in name):
            write("dkim_key_record", raw)
    for macro in ["%{ir}.%{v}._spf.%{d2}", "%{l1r-}.lp._spf.%{d2}", "%{C} %{t} %{r}", "%%%_%-", "%{S}"]:
        write("spf_macros", macro)

    # Snapshots: per SPF-bearing name, its zone's answers (what a share link carries).
    by_query = {}
    for name, rtype, data in records:
        if rtype == "TXT":
            record = {"type": "TXT", "data": data}
        elif rtype == "MX":
            record = {"type": "MX", "data": {"preference": data[0], "exchange": data[1]}}
        else:
            record = {"type": rtype, "data": data}
        by_query.setdefault((name, rtype), []).append(record)
    spf_names = [n for n, t, d in records if t == "TXT" and "".join(d).lower().startswith("v=spf1")]
    for domain in spf_names[::4][:40]:
        suffix = ".".join(domain.split(".")[-2:])
        answers = [
            {"query": {"name": n, "type": t}, "answer": {"status": "records", "records": r}}
            for (n, t), r in sorted(by_query.items())
            if n.endswith(suffix)
        ][:40]
        snapshot = {
            "input": {"domain": domain, "ips": ["192.0.2.10", "2001:db8::1"], "timestamp": 1795424400},
            "snapshot": {"answers": answers, "fetches": {}},
            "taken_at": 1795424400,
            "signature": "00" * 32,
        }
        text = json.dumps(snapshot, separators=(",", ":"))
        if len(text) < 16384:
            write("snapshot_report", text)
            write("gateway_requests", text)
    for body in [
        '{"queries":[{"name":"example.com","type":"TXT"},{"name":"_dmarc.example.com","type":"TXT"}]}',
        '{"domain":"example.com","ips":["192.0.2.1"],"dkim_selectors":["s1"]}',
        '{"domain":"example.com","profile":{"name":"Vendor","spf_include":"_spf.vendor.test"}}',
        '{"a":[1e400,18446744073709551616,-0.0,1.0,-1,0.1e-5]}',
    ]:
        write("gateway_requests", body)

    for folder, target in [("bounces", "bounce"), ("headers", "headers")]:
        base = os.path.join(root, "tests", folder)
        for file in sorted(os.listdir(base)):
            if file.endswith((".eml", ".txt")):
                data = open(os.path.join(base, file), "rb").read()[:65536]
                write(target, data)
                if target == "headers":
                    text = data.decode("utf-8", "replace")
                    unfolded = re.sub(r"\r?\n[ \t]+", " ", text)
                    for line in unfolded.splitlines():
                        header, _, value = line.partition(":")
                        header = header.lower()
                        if header == "authentication-results":
                            write("authentication_results", value.strip())
                        elif header == "dkim-signature":
                            write("dkim_signature", value.strip())
                        elif header == "date":
                            write("rfc5322_date", value.strip())
                        elif header == "received" and ";" in value:
                            write("rfc5322_date", value.rsplit(";", 1)[1].strip())
    for date in ["Mon, 23 Nov 2026 10:00:00 +0100", "23 Nov 26 09:00 GMT", "1 Jan 9999 23:59:60 -9959"]:
        write("rfc5322_date", date)

    # DNS responses: a TXT, an MX (with a compression pointer) and a PTR answer.
    def name(text):
        return b"".join(bytes([len(l)]) + l.encode() for l in text.split(".")) + b"\0"

    def response(qname, qtype, rdatas, rcode=0):
        header = struct.pack(">HHHHHH", 0, 0x8180 | rcode, 1, len(rdatas), 0, 0)
        question = name(qname) + struct.pack(">HH", qtype, 1)
        answers = b"".join(b"\xc0\x0c" + struct.pack(">HHIH", qtype, 1, 300, len(r)) + r for r in rdatas)
        return header + question + answers

    txt = b"\x0fv=spf1 mx -all" + b"\x05hello"
    write("dns_wire", response("example.com", 16, [txt]))
    write("dns_wire", response("example.com", 15, [struct.pack(">H", 10) + b"\x04mail\xc0\x0c"]))
    write("dns_wire", response("1.2.0.192.in-addr.arpa", 12, [name("mail.example.com")]))
    write("dns_wire", response("example.com", 16, [], rcode=3))

    # Received reports: every file of tests/reports under 64 KiB, as it is.
    reports = os.path.join(root, "tests", "reports")
    for folder, _, files in sorted(os.walk(reports)):
        for file in sorted(files):
            path = os.path.join(folder, file)
            if file.endswith((".md", ".py")) or file.startswith("LICENSE") or os.path.getsize(path) > 65536:
                continue
            with open(path, "rb") as f:
                write("reports", f.read())


if __name__ == "__main__":
    sys.exit(main())
