#!/usr/bin/python3
"""A real SMTP server for the notification service's tests (Debian's python3-aiosmtpd).

  smtp_server.py --make-cert DIR
      writes DIR/cert.pem and DIR/key.pem (self-signed, EC P-256, for localhost and 127.0.0.1),
      prints "cert DIR/cert.pem" and "key DIR/key.pem", and exits.

  smtp_server.py [--listen 127.0.0.1:0] [--cert CERT --key KEY [--require-starttls]]
                 [--record PATH.jsonl] [--fail-first N | --reject-all]
      serves until SIGTERM/SIGINT. Once listening it prints exactly one line
      "listening on HOST:PORT" (port 0 picks a free port).
      --cert/--key           offer STARTTLS with this certificate
      --require-starttls     refuse MAIL/RCPT/DATA before STARTTLS (530)
      --record PATH          append one JSON line per accepted message:
                             {"mail_from","rcpt_tos","subject","body","html","starttls","received_ms"}
                             (body/html: decoded text, line ends "\n"; html null if none)
      --fail-first N         answer the first N DATA commands "451 4.3.0 try again"
      --reject-all           answer every DATA command "550 5.1.1 mailbox unavailable"

Must run under /usr/bin/python3: aiosmtpd is Debian's package, not in other interpreters' paths.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import subprocess
import sys
import time

from aiosmtpd.smtp import SMTP


def make_cert(directory):
    os.makedirs(directory, exist_ok=True)
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.chmod(key, 0o600)
    print(f"cert {cert}")
    print(f"key {key}", flush=True)


def message_text(raw):
    """Subject, decoded plain-text body and decoded HTML body (or None) of a raw message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(message.get("Subject", ""))
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    if plain is None and html is None and not message.is_multipart():
        plain = message  # no Content-Type: the whole message is text
    def content(part):
        if part is None:
            return None
        try:
            text = part.get_content()
        except (LookupError, ValueError):  # unknown charset, broken encoding
            text = part.get_payload(decode=True).decode("utf-8", "replace")
        return text.replace("\r\n", "\n")
    return subject, content(plain) or "", content(html)


class Handler:
    def __init__(self, record_path, fail_first, reject_all):
        self.record_path = record_path
        self.fail_first = fail_first
        self.reject_all = reject_all
        self.data_commands = 0

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.reject_all:
            return "550 5.1.1 mailbox unavailable"
        if self.data_commands <= self.fail_first:
            return "451 4.3.0 try again"
        subject, body, html = message_text(envelope.original_content or envelope.content)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": subject,
            "body": body,
            "html": html,
            "starttls": session.ssl is not None,
            "received_ms": int(time.time() * 1000),
        }
        if self.record_path:
            # One write of a whole line, flushed, so readers never see half a record.
            with open(self.record_path, "a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 2.0.0 Message accepted for delivery"


def parse_listen(text):
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"--listen needs HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


async def serve(args):
    tls_context = None
    if args.cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.cert, args.key)
    handler = Handler(args.record, args.fail_first, args.reject_all)
    host, port = args.listen
    loop = asyncio.get_running_loop()

    def factory():
        return SMTP(handler, hostname="localhost", ident="pact-test-smtp", tls_context=tls_context,
                    require_starttls=args.require_starttls, data_size_limit=10 * 1024 * 1024)

    server = await loop.create_server(factory, host=host, port=port)
    bound = server.sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"listening on {shown}:{bound}", flush=True)

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--make-cert", metavar="DIR")
    parser.add_argument("--listen", type=parse_listen, default=("127.0.0.1", 0))
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--record", metavar="PATH")
    parser.add_argument("--fail-first", type=int, default=0, metavar="N")
    parser.add_argument("--reject-all", action="store_true")
    args = parser.parse_args()

    if args.make_cert:
        make_cert(args.make_cert)
        return 0
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    if args.require_starttls and not args.cert:
        parser.error("--require-starttls needs --cert and --key")
    if args.fail_first < 0:
        parser.error("--fail-first must be >= 0")
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
