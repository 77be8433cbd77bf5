#!/usr/bin/env python3
"""Bulk lists: `postcheck recipients` on 10,000 addresses and `postcheck bounce` on an mbox of
10,000 bounces (the rjbs corpus repeated, tests/bounces/corpus-rjbs), timed with the release
binary. The recipients run needs the test bed's DNS (POSTCHECK_TEST_NS, inside
tests/bed/netns-run.sh); its 10,000 addresses use the bed's recipients.test and report.test
domains, so the figure is the CLI's own time plus a few dozen local lookups. Prints a
BENCHMARKS.md section; bench/run.py appends it.

    python3 bench/lists.py [--postcheck target/release/postcheck]
"""

import argparse
import os
import pathlib
import subprocess
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent


def timed(args, stdin=None):
    start = time.monotonic()
    result = subprocess.run(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.monotonic() - start, result


def section(postcheck):
    lines = ["## 7. Lists: recipients and bounces in bulk (`bench/lists.py`)", "",
             "| run | entries | time |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        corpus = sorted(p for p in (REPO / "tests/bounces/corpus-rjbs").iterdir() if p.suffix == ".eml")
        mbox = tmp / "bounces.mbox"
        count = 0
        with mbox.open("wb") as out:
            while count < 10_000:
                for path in corpus:
                    if count == 10_000:
                        break
                    out.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n")
                    for line in path.read_bytes().splitlines(keepends=True):
                        if line.startswith(b"From ") or line.startswith(b">From "):
                            out.write(b">")
                        out.write(line)
                    out.write(b"\n")
                    count += 1
        seconds, result = timed([postcheck, "bounce", str(mbox), "--json"])
        status = "" if result.returncode == 0 else f" (exit {result.returncode})"
        lines.append(f"| postcheck bounce, one mbox | {count} bounces | {seconds:.2f} s{status} |")
        ns = os.environ.get("POSTCHECK_TEST_NS")
        if ns:
            domains = ["mx.recipients.test", "mx2.recipients.test", "nullmx.recipients.test",
                       "implicit.recipients.test", "nomail.recipients.test", "nosuch.recipients.test",
                       "gmial.com", "clean.report.test", "customer.report.test"]
            addresses = tmp / "addresses.txt"
            with addresses.open("w") as out:
                for n in range(10_000):
                    out.write(f"person{n}@{domains[n % len(domains)]}\n")
            seconds, result = timed([postcheck, "recipients", str(addresses), "--json",
                                     "--nameserver", ns])
            status = "" if result.returncode in (0, 1) else f" (exit {result.returncode})"
            lines.append(f"| postcheck recipients, {len(domains)} domains | 10000 addresses | {seconds:.2f} s{status} |")
        else:
            lines.append("| postcheck recipients | – | needs the test bed (POSTCHECK_TEST_NS) |")
    lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postcheck", default=str(REPO / "target/release/postcheck"))
    args = parser.parse_args()
    print("\n".join(section(args.postcheck)))


if __name__ == "__main__":
    main()
