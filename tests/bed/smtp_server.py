#!/usr/bin/env python3
"""The test bed's SMTP servers (submission, SMTPS, MX and broken ones), started by netns-run.sh.

    smtp_server.py --spool DIR --log FILE --listen ADDR:PORT:MODE:NAME[:CERT:KEY] [--listen ...]

One process, one asyncio loop, one listener per --listen; NAME is the host name the listener
greets with (and that its certificate is for, if it has one); CERT and KEY (PEM) are required by
the modes that speak TLS. Runs with the aiosmtpd of .tools/smtp-venv (tests/bed/install-python.sh);
the modes aiosmtpd cannot play (hang, reject, drop) are plain asyncio servers.

Modes (exact replies: tests/zones/README.md, "SMTP servers"):
  submission        STARTTLS required before anything but EHLO/NOOP/QUIT; AUTH PLAIN LOGIN after
                    STARTTLS; the submission policy below
  submissions       TLS from the first byte (RFC 8314), AUTH PLAIN LOGIN; the submission policy
  mx                STARTTLS offered, not required; AUTH only after STARTTLS; without AUTH it is
                    an MX for good.smtp.test (relaying elsewhere denied), with AUTH the
                    submission policy
  m365, gmail       like submission, but every AUTH fails with Microsoft 365's "SMTP AUTH disabled"
                    535 5.7.139, or Gmail's multiline "application-specific password" 534 5.7.9;
                    m365 answers MAIL without AUTH with its 530 5.7.57
  starttls-refused  offers STARTTLS and answers it with 454; AUTH never offered
  plain             no STARTTLS, no AUTH, takes every message
  hang              accepts the connection and never sends a byte, until the client closes
  reject            greets with 554 (a blocklisted client), answers 503 until QUIT, then closes
  drop              greets, answers EHLO and HELO (AUTH PLAIN offered, no STARTTLS), and closes
                    the connection, without a reply, at the first other command
The one account everywhere: vendor@good.smtp.test, password "correct horse battery". Submission
policy: MAIL needs AUTH (530) and a sender @good.smtp.test (553); RCPT unknown@good.smtp.test is
550, throttle@good.smtp.test 450, anything else is taken; a message whose Subject contains
REJECT-ME is refused after DATA with 554 (on every mode that takes mail).

Every message taken is written to DIR/<n>.eml (the data as received, dot-stuffing undone) and then
DIR/<n>.json (listener, helo, tls, user, mail_from, rcpt_to, queue_id), n = 1, 2, ... over all
listeners; the reply is `250 2.0.0 Ok: queued as <n, 10 digits>`. Logs one line per command line
received to FILE, `<listener ADDR:PORT> <line>` with the verb upper-cased, except message data;
the initial response of an AUTH command and every line the client sends during the AUTH exchange
read `[redacted]`.
Stops on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import email.parser
import email.policy
import json
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER = "vendor@good.smtp.test"
PASSWORD = "correct horse battery"
DOMAIN = "good.smtp.test"
IDENT = "ESMTP postcheck test bed"

REPLY_AUTH_REQUIRED = "530 5.7.0 Authentication required"
REPLY_M365_NOT_AUTHENTICATED = (
    "530 5.7.57 Client not authenticated to send mail. [AM0PR01CA0001.eurprd01.prod.outlook.com]"
)
REPLY_NOT_OWNED = "553 5.7.1 <{}>: Sender address rejected: not owned by user " + USER
REPLY_UNKNOWN = "550 5.1.1 <{}>: Recipient address rejected: User unknown in virtual mailbox table"
REPLY_THROTTLE = "450 4.7.1 <{}>: Recipient address rejected: Rate limit exceeded, try again later"
REPLY_RELAY = "554 5.7.1 <{}>: Relay access denied"
REPLY_CONTENT = "554 5.6.0 Message rejected: content policy"
REPLY_M365 = (
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."
    " Visit https://aka.ms/smtp_auth_disabled for more information."
)
REPLY_GMAIL = (
    "534-5.7.9 Application-specific password required. Learn more at\r\n"
    "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor"
)
REPLY_STARTTLS_REFUSED = "454 4.7.0 TLS not available due to local problem"
REPLY_REJECT_GREETING = (
    "554 5.7.1 Service unavailable; client host [127.0.0.1] blocked using zen.spamhaus.org"
)
REPLY_BAD_SEQUENCE = "503 5.5.1 Error: bad sequence of commands"
REPLY_AUTH_NOT_ENABLED = "503 5.5.1 Error: authentication not enabled"
REPLY_NOT_IMPLEMENTED = "502 5.5.1 Error: command not implemented"

# mode: (speaks TLS, STARTTLS required, implicit TLS)
AIOSMTPD_MODES = {
    "submission": (True, True, False),
    "submissions": (True, False, True),
    "mx": (True, False, False),
    "m365": (True, True, False),
    "gmail": (True, True, False),
    "starttls-refused": (False, False, False),
    "plain": (False, False, False),
}
RAW_MODES = ("hang", "reject", "drop")


class CommandLog:
    """One line per command line received, `<listener> <line>`, flushed at once."""

    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8", buffering=1)

    def write(self, listener, text):
        self.file.write(f"{listener} {text}\n")


def printable(line):
    return line.rstrip(b"\r\n").decode("utf-8", "backslashreplace")


def command_text(line):
    """A command line as logged: its verb upper-cased, the rest as received, except that
    `AUTH <mechanism> <initial response>` reads `AUTH <MECHANISM> [redacted]`."""
    verb, space, rest = printable(line).partition(" ")
    verb = verb.upper()
    if verb == "AUTH" and len(rest.split()) >= 2:
        return f"AUTH {rest.split()[0].upper()} [redacted]"
    return verb + space + rest


class Spool:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        os.makedirs(directory, exist_ok=True)

    def write(self, content, meta):
        self.count += 1
        n = self.count
        meta = dict(meta, n=n, queue_id=f"{n:010d}")
        files = ((f"{n}.eml", content), (f"{n}.json", (json.dumps(meta, indent=2) + "\n").encode()))
        for name, data in files:
            tmp = os.path.join(self.directory, f".{name}.tmp")
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, os.path.join(self.directory, name))
        return meta["queue_id"]


def authenticated_user(session):
    if session.authenticated and isinstance(session.auth_data, LoginPassword):
        return session.auth_data.login.decode("utf-8", "replace")
    return None


class Policy:
    """The aiosmtpd handler: what each mode accepts and refuses."""

    def __init__(self, mode, listener, spool):
        self.mode = mode
        self.listener = listener
        self.spool = spool

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        if self.mode == "m365":
            return AuthResult(success=False, handled=False, message=REPLY_M365)
        if self.mode == "gmail":
            return AuthResult(success=False, handled=False, message=REPLY_GMAIL)
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USER.encode()
            and auth_data.password == PASSWORD.encode()
        ):
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-ENHANCEDSTATUSCODES", responses[-1]]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode != "plain" and (self.mode != "mx" or session.authenticated):
            if not session.authenticated:
                # Microsoft 365 names its own code for MAIL without a login.
                return REPLY_M365_NOT_AUTHENTICATED if self.mode == "m365" else REPLY_AUTH_REQUIRED
            if not address.lower().endswith("@" + DOMAIN):
                return REPLY_NOT_OWNED.format("" if address == "<>" else address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode != "plain":
            lower = address.lower()
            if self.mode == "mx" and not session.authenticated and not lower.endswith("@" + DOMAIN):
                return REPLY_RELAY.format(address)
            if lower == "unknown@" + DOMAIN:
                return REPLY_UNKNOWN.format(address)
            if lower == "throttle@" + DOMAIN:
                return REPLY_THROTTLE.format(address)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
        headers = parser.parsebytes(envelope.original_content)
        if "REJECT-ME" in str(headers.get("Subject", "")):
            return REPLY_CONTENT
        transport = server.transport
        queue_id = self.spool.write(
            envelope.original_content,
            {
                "listener": self.listener,
                "helo": session.host_name,
                "tls": bool(transport and transport.get_extra_info("ssl_object")),
                "user": authenticated_user(session),
                "mail_from": "" if envelope.mail_from == "<>" else envelope.mail_from,
                "mail_options": envelope.mail_options,
                "rcpt_to": envelope.rcpt_tos,
            },
        )
        return f"250 2.0.0 Ok: queued as {queue_id}"

    async def handle_exception(self, error):
        # A client that rejects the certificate or hangs up mid-handshake is part of the tests.
        return f"500 5.3.0 Error: {error.__class__.__name__}"


class BedSMTP(SMTP):
    """aiosmtpd's SMTP with the command log and the modes' own STARTTLS and AUTH answers."""

    def __init__(self, handler, *, mode, listener, command_log, **kwargs):
        self.bed_mode = mode
        self.listener = listener
        self.command_log = command_log
        self.reading = "command"  # or "auth" (lines redacted), "data" (not logged)
        super().__init__(handler, **kwargs)

    def _cb_client_connected(self, reader, writer):
        super()._cb_client_connected(reader, writer)
        # Every line aiosmtpd reads passes through readuntil: commands and DATA directly, AUTH
        # responses through readline, which calls it. After STARTTLS the same reader reads the
        # decrypted stream.
        original = reader.readuntil

        async def logged(*args, **kwargs):
            line = await original(*args, **kwargs)
            if self.reading == "command":
                self.command_log.write(self.listener, command_text(line))
            elif self.reading == "auth":
                self.command_log.write(self.listener, "[redacted]")
            return line

        reader.readuntil = logged

    async def smtp_DATA(self, arg):
        self.reading = "data"
        try:
            await super().smtp_DATA(arg)
        finally:
            self.reading = "command"

    async def smtp_AUTH(self, arg):
        if self.bed_mode in ("plain", "starttls-refused") and not self._tls_protocol:
            await self.push(REPLY_AUTH_NOT_ENABLED)
            return
        self.reading = "auth"
        try:
            await super().smtp_AUTH(arg)
        finally:
            self.reading = "command"

    async def smtp_STARTTLS(self, arg):
        if self.bed_mode == "starttls-refused":
            await self.push("501 5.5.4 Syntax: STARTTLS" if arg else REPLY_STARTTLS_REFUSED)
            return
        if self.bed_mode == "plain":
            await self.push(REPLY_NOT_IMPLEMENTED)
            return
        await super().smtp_STARTTLS(arg)


# --- the modes aiosmtpd cannot play: plain asyncio ------------------------------------------------
async def read_lines(reader):
    """The client's lines (CRLF or LF), at most 64 KiB each; ends at EOF or a reset."""
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.LimitOverrunError as error:
            line = await reader.read(error.consumed)
        except asyncio.IncompleteReadError as error:
            if error.partial:
                yield error.partial
            return
        except (ConnectionError, OSError):
            return
        yield line


def raw_server(mode, name, listener, command_log):
    async def serve(reader, writer):
        try:
            if mode == "hang":
                async for line in read_lines(reader):
                    command_log.write(listener, command_text(line))
                return
            greeting = REPLY_REJECT_GREETING if mode == "reject" else f"220 {name} {IDENT}"
            writer.write(greeting.encode() + b"\r\n")
            async for line in read_lines(reader):
                text = command_text(line)
                command_log.write(listener, text)
                verb = text.split(" ", 1)[0]
                if mode == "reject":
                    if verb == "QUIT":
                        writer.write(b"221 2.0.0 Bye\r\n")
                        break
                    writer.write(REPLY_BAD_SEQUENCE.encode() + b"\r\n")
                elif verb == "EHLO":
                    lines = [f"250-{name}", "250-AUTH PLAIN", "250-ENHANCEDSTATUSCODES", "250 8BITMIME"]
                    writer.write("".join(f"{x}\r\n" for x in lines).encode())
                elif verb == "HELO":
                    writer.write(f"250 {name}\r\n".encode())
                else:
                    break  # drop: the connection ends, no reply
                await writer.drain()
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    return serve


def tls_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if cert:
        context.load_cert_chain(cert, key)
    return context


async def serve(args):
    loop = asyncio.get_running_loop()
    command_log = CommandLog(args.log)
    spool = Spool(args.spool)
    servers = []
    for spec in args.listen:
        parts = spec.split(":")
        if len(parts) not in (4, 6):
            sys.exit(f"smtp_server: --listen {spec}: want ADDR:PORT:MODE:NAME[:CERT:KEY]")
        addr, port, mode, name = parts[:4]
        cert, key = parts[4:6] if len(parts) == 6 else (None, None)
        listener = f"{addr}:{port}"
        if mode in RAW_MODES:
            handle = raw_server(mode, name, listener, command_log)
            servers.append(await asyncio.start_server(handle, addr, int(port)))
            continue
        if mode not in AIOSMTPD_MODES:
            sys.exit(f"smtp_server: --listen {spec}: unknown mode {mode}")
        speaks_tls, require_starttls, implicit = AIOSMTPD_MODES[mode]
        if speaks_tls and not cert:
            sys.exit(f"smtp_server: --listen {spec}: mode {mode} needs CERT:KEY")
        # starttls-refused needs a context, without a certificate, only to offer STARTTLS.
        context = tls_context(cert, key) if speaks_tls or mode == "starttls-refused" else None
        policy = Policy(mode, listener, spool)

        def factory(mode=mode, name=name, listener=listener, policy=policy, context=context,
                    require_starttls=require_starttls, implicit=implicit):
            return BedSMTP(
                policy,
                mode=mode,
                listener=listener,
                command_log=command_log,
                hostname=name,
                ident=IDENT,
                tls_context=None if implicit else context,
                require_starttls=require_starttls,
                # With TLS from the first byte aiosmtpd does not know it is encrypted.
                auth_require_tls=not implicit,
                authenticator=policy.authenticator,
                loop=loop,
            )

        implicit_tls = context if implicit else None
        servers.append(await loop.create_server(factory, addr, int(port), ssl=implicit_tls, reuse_address=True))
    print(f"smtp_server: {len(servers)} listeners up", file=sys.stderr, flush=True)

    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def quiet_exceptions(loop, context):
    # Failed TLS handshakes and clients that vanish are what the tests do; one line each.
    error = context.get("exception")
    print(f"smtp_server: {context.get('message')}: {error!r}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spool", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument(
        "--listen", action="append", required=True, metavar="ADDR:PORT:MODE:NAME[:CERT:KEY]"
    )
    args = parser.parse_args()
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="smtp_server: %(name)s: %(message)s"
    )
    # aiosmtpd warns about its own deprecated login_data on every successful AUTH.
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    async def run():
        asyncio.get_running_loop().set_exception_handler(quiet_exceptions)
        await serve(args)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
