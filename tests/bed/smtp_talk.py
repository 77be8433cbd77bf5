#!/usr/bin/env python3
"""A scripted SMTP client for checking the test bed's SMTP servers by hand and in selftest.sh.

    smtp_talk.py [--tls] [--name NAME] [--timeout SECONDS] HOST PORT [LINE ...]

Connects to HOST:PORT (TLS from the first byte with --tls), prints the greeting, then sends each
LINE and prints the reply. After a STARTTLS line that got 220 it starts TLS. After a reply 354 the
next LINE is the message: its newlines become CRLF and the end-of-data line is added. TLS verifies
the certificate against $POSTCHECK_TEST_CA (else the system's trust store) for NAME (default HOST).
Output, one line each: every reply line as received, `> LINE` for what was sent, and when the
dialogue ends early `[refused]`, `[timeout]` (nothing within SECONDS, default 3), `[closed]` (the
server closed the connection), `[tls: <OpenSSL's verify message or error>]` or `[<the connect
error>]` (e.g. `[Network is unreachable]`). Always exits 0 once the arguments parse: the output
is the result.
"""

import argparse
import os
import socket
import ssl
import sys


class Ended(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--name")
    parser.add_argument("--timeout", type=float, default=3)
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("lines", nargs="*")
    args = parser.parse_args()
    context = ssl.create_default_context(cafile=os.environ.get("POSTCHECK_TEST_CA") or None)
    name = args.name or args.host
    state = {"sock": None, "buffer": b""}

    def out(text):
        print(text, flush=True)

    def start_tls():
        try:
            state["sock"] = context.wrap_socket(state["sock"], server_hostname=name)
        except ssl.SSLCertVerificationError as error:
            raise Ended(f"[tls: {error.verify_message}]") from None
        except (ssl.SSLError, OSError) as error:
            raise Ended(f"[tls: {error}]") from None

    def read_line():
        while b"\n" not in state["buffer"]:
            try:
                chunk = state["sock"].recv(4096)
            except socket.timeout:
                raise Ended("[timeout]") from None
            except OSError:
                chunk = b""
            if not chunk:
                raise Ended("[closed]")
            state["buffer"] += chunk
        line, _, state["buffer"] = state["buffer"].partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "backslashreplace")

    def read_reply():
        while True:
            line = read_line()
            out(line)
            if len(line) < 4 or line[3] != "-":
                return line[:3]

    def send(data):
        try:
            state["sock"].sendall(data)
        except OSError:
            raise Ended("[closed]") from None

    try:
        try:
            state["sock"] = socket.create_connection((args.host, args.port), timeout=args.timeout)
        except ConnectionRefusedError:
            raise Ended("[refused]") from None
        except socket.timeout:
            raise Ended("[timeout]") from None
        except OSError as error:
            raise Ended(f"[{error.strerror or error}]") from None
        if args.tls:
            start_tls()
        code = read_reply()
        for line in args.lines:
            if code == "354":
                out("> (message)")
                body = line.replace("\r\n", "\n").replace("\n", "\r\n")
                lines = [("." + x if x.startswith(".") else x) for x in body.split("\r\n")]
                send("\r\n".join(lines).encode() + b"\r\n.\r\n")
            else:
                out(f"> {line}")
                send(line.encode() + b"\r\n")
            code = read_reply()
            if line.upper() == "STARTTLS" and code == "220":
                start_tls()
    except Ended as end:
        out(str(end))
    finally:
        if state["sock"] is not None:
            state["sock"].close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
