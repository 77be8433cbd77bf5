#!/usr/bin/env python3
"""The test bed's HTTPS server for MTA-STS policies (RFC 8461 §3.3) and Thunderbird autoconfig
files, started by netns-run.sh.

    https_server.py --root DIR --log FILE --listen ADDR:PORT:CERT:KEY [--listen ...]

Serves GET (and HEAD) of https://<host>/<path> from DIR/<host>/<path>, the host taken from the
Host header (port and trailing dot dropped, lower-cased), so one listener serves every fixture
domain; a query string (`?emailaddress=...` of autoconfig) is ignored. A file <path>.redirect in
place of <path> makes the answer a 301 to the URL on its first line. Anything else is 404. Files
go out byte for byte, those ending in .txt as text/plain; charset=utf-8, in .xml as text/xml;
charset=utf-8. Each --listen is one TLS listener with its own certificate chain and key (PEM);
the TLS handshake happens in the connection's own thread, so a client that stalls blocks nobody.

Logs one line per request to FILE: `<listener> <host> <method> <path> <status>`, the path with
its query string when it has one.
Stops on SIGTERM or SIGINT.
"""

import argparse
import http.server
import os
import signal
import socketserver
import ssl
import sys
import threading
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "postcheck-bed"
    # Ends each connection after its answer: the simplest correct HTTP/1.1 server.
    protocol_version = "HTTP/1.1"
    timeout = 10

    def version_string(self):
        return self.server_version

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, head):
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            host = host.split("]")[0] + "]"
        else:
            host = host.rsplit(":", 1)[0] if ":" in host else host
        host = host.rstrip(".")
        url = urllib.parse.urlsplit(self.path)
        status, body, headers = self.resolve(host, urllib.parse.unquote(url.path))
        self.log_line(host, url.path + (f"?{url.query}" if url.query else ""), status)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.close_connection = True

    def resolve(self, host, path):
        root = self.server.root
        not_found = (404, b"not found\n", [("Content-Type", "text/plain; charset=utf-8")])
        if not host or host.startswith(".") or "/" in host or "\\" in host:
            return not_found
        base = os.path.realpath(os.path.join(root, host))
        target = os.path.realpath(os.path.join(base, path.lstrip("/")))
        if not (base.startswith(root + os.sep) and (target == base or target.startswith(base + os.sep))):
            return not_found
        redirect = target + ".redirect"
        if os.path.isfile(redirect):
            with open(redirect, encoding="utf-8") as f:
                location = f.readline().strip()
            return 301, b"moved\n", [("Location", location), ("Content-Type", "text/plain; charset=utf-8")]
        if os.path.isfile(target):
            with open(target, "rb") as f:
                body = f.read()
            kinds = {".txt": "text/plain; charset=utf-8", ".xml": "text/xml; charset=utf-8"}
            kind = kinds.get(os.path.splitext(target)[1], "application/octet-stream")
            return 200, body, [("Content-Type", kind)]
        return not_found

    def log_line(self, host, path, status):
        line = f"{self.server.name} {host or '-'} {self.command} {path} {status}\n"
        with self.server.log_lock:
            with open(self.server.log_path, "a", encoding="utf-8") as log:
                log.write(line)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, context, name, root, log_path, log_lock):
        super().__init__(address, Handler)
        self.context = context
        self.name = name
        self.root = root
        self.log_path = log_path
        self.log_lock = log_lock

    def get_request(self):
        sock, address = self.socket.accept()
        # The handshake runs on first use, in the handler's thread.
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        # A client that rejects the certificate or hangs up is part of the tests, not an error.
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--listen", action="append", required=True, metavar="ADDR:PORT:CERT:KEY")
    args = parser.parse_args()
    root = os.path.realpath(args.root)
    lock = threading.Lock()
    servers = []
    for spec in args.listen:
        addr, port, cert, key = spec.split(":", 3)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["http/1.1"])
        context.load_cert_chain(cert, key)
        servers.append(Server((addr, int(port)), context, f"{addr}:{port}", root, args.log, lock))
    open(args.log, "a").close()

    def stop(signum, frame):
        for server in servers:
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for server in servers:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
