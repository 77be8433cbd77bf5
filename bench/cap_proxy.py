#!/usr/bin/env python3
"""An HTTP/1.1 proxy that lets at most N requests through at once and queues the rest, the way
Cloudflare Workers queue a seventh simultaneous outgoing connection of one invocation.

scripts/bench puts it in front of the bed's DoH server (dnsdist) for the "before and after"
measurement of the worker under the platform's connection cap (bench/limits.py): `wrangler dev`
has no cap, so a worker that sends 40 queries at once looks faster there than it would be on
the edge. One request per connection (answers carry `Connection: close`); GET only, as DoH
(RFC 8484 §4.1) uses it.

    cap_proxy.py --listen 127.0.0.1:8063 --upstream 127.0.0.1:8053 --max 6
"""

import argparse
import asyncio


def hostport(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


async def read_message(reader):
    """One HTTP message: the head up to the empty line, then Content-Length octets of body."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head, body


def close_header(head):
    """The head with `Connection: close` in place of any Connection header."""
    lines = [line for line in head.rstrip(b"\r\n").split(b"\r\n")
             if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close", b"", b""])


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--max", type=int, default=6)
    args = parser.parse_args()
    upstream = hostport(args.upstream)
    slots = asyncio.Semaphore(args.max)

    async def serve(reader, writer):
        try:
            head, body = await read_message(reader)
            async with slots:
                up_reader, up_writer = await asyncio.open_connection(*upstream)
                up_writer.write(close_header(head) + body)
                await up_writer.drain()
                answer_head, answer_body = await read_message(up_reader)
                up_writer.close()
            writer.write(close_header(answer_head) + answer_body)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    host, port = hostport(args.listen)
    server = await asyncio.start_server(serve, host, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
