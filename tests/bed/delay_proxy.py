#!/usr/bin/env python3
"""A DNS proxy that delays every query by a fixed time before passing it on (UDP and TCP).

The test bed puts it between dnsdist and knotd when POSTCHECK_BED_DNS_DELAY_MS is set (for
scripts/bench), so that every query any client sends — plain DNS on port 53, or DNS-over-HTTPS
on 8053 — costs one simulated network round trip, the same for postcheck and for its peers.
(netem would do this in the kernel, but this sandbox's kernel has no queueing disciplines, and
dnsdist's DelayAction covers UDP only.)

    delay_proxy.py --listen 127.0.0.1:5301 --upstream 127.0.0.1:5300 --delay-ms 20
"""

import argparse
import asyncio
import struct


def hostport(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


class UpstreamUdp(asyncio.DatagramProtocol):
    """One upstream socket per client address: answers go back to that client."""

    def __init__(self, downstream, client):
        self.downstream = downstream
        self.client = client

    def datagram_received(self, data, _addr):
        self.downstream.sendto(data, self.client)


class DownstreamUdp(asyncio.DatagramProtocol):
    def __init__(self, upstream, delay):
        self.upstream = upstream
        self.delay = delay
        self.sockets = {}
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        asyncio.get_running_loop().create_task(self.forward(data, addr))

    async def forward(self, data, addr):
        await asyncio.sleep(self.delay)
        transport = self.sockets.get(addr)
        if transport is None or transport.is_closing():
            loop = asyncio.get_running_loop()
            transport, _ = await loop.create_datagram_endpoint(
                lambda: UpstreamUdp(self.transport, addr), remote_addr=self.upstream)
            self.sockets[addr] = transport
        transport.sendto(data)


async def tcp_client(reader, writer, upstream, delay):
    """Length-prefixed messages (RFC 1035 §4.2.2), each sent upstream `delay` after it came;
    pipelined queries keep their order and are not serialised behind each other's delay."""
    loop = asyncio.get_running_loop()
    try:
        up_reader, up_writer = await asyncio.open_connection(*upstream)
    except OSError:
        writer.close()
        return

    async def back():
        try:
            while True:
                data = await up_reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    returning = loop.create_task(back())
    try:
        while True:
            head = await reader.readexactly(2)
            (length,) = struct.unpack("!H", head)
            message = head + await reader.readexactly(length)
            loop.call_later(delay, up_writer.write, message)
    except (asyncio.IncompleteReadError, OSError):
        pass
    # Let the last delayed queries go out and their answers come back.
    await asyncio.sleep(delay + 2)
    up_writer.close()
    returning.cancel()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, type=hostport)
    parser.add_argument("--upstream", required=True, type=hostport)
    parser.add_argument("--delay-ms", required=True, type=float)
    args = parser.parse_args()
    delay = args.delay_ms / 1000
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(
        lambda: DownstreamUdp(args.upstream, delay), local_addr=args.listen)
    server = await asyncio.start_server(
        lambda r, w: tcp_client(r, w, args.upstream, delay), *args.listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
