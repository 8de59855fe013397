"""An SMTP server for tests: aiosmtpd on 127.0.0.1, real SMTP, with the faults a test asks for.

Inbox is the server's handler: it records what arrived, one entry per recipient of each message, and can be
slow, refuse, hang before it has a message, or take a message and answer late (so that the sender cannot know
whether it was taken). `start()` runs it in a thread of this process; a worker process reaches it at
`smtp://127.0.0.1:<port>`.
"""

import asyncio
import logging
import socket
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received, and how it misbehaves. Faults (set them at any time):

    - delay: seconds it takes before taking each message (a slow server);
    - command_delay: seconds before it answers each MAIL and RCPT (slow at every step of the conversation);
    - refuse: its answer to every RCPT instead of 250, e.g. "451 4.3.0 Try again later" or "550 5.1.1 No
      such user" (None: it takes them);
    - hang_at_rcpt: {address: seconds}: the next RCPT for that address waits that long (once);
    - late_reply: {address: seconds}: the next message to that address is taken (recorded), then its 250
      comes that many seconds later (once): the sender may give up while the server has it.
    """

    def __init__(self, delay=0.0):
        self.delay = delay
        self.command_delay = 0.0
        self.refuse = None
        self.hang_at_rcpt = {}
        self.late_reply = {}
        self.received = []  # (recipient, raw bytes): parsed only when a test looks, to keep the sink cheap
        self.events = []  # ("rcpt" | "data", address), in order
        self.lock = threading.Lock()
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command

    def start(self):
        """Serve on a free port of 127.0.0.1 (self.port) in a thread; stop() ends it."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.port = self.controller.port
        return self

    def stop(self):
        self.controller.stop()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.command_delay:
            await asyncio.sleep(self.command_delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.events.append(("rcpt", address))
            wait = self.hang_at_rcpt.pop(address, 0) or self.command_delay
        if wait:
            await asyncio.sleep(wait)
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, envelope.original_content or envelope.content))
                self.events.append(("data", recipient))
            late = max((self.late_reply.pop(r, 0) for r in envelope.rcpt_tos), default=0)
        if late:
            await asyncio.sleep(late)
        return "250 Message accepted for delivery"

    def parsed(self):
        # A method, not a property: aiosmtpd inspects the handler's attributes on every connection.
        with self.lock:
            received = list(self.received)
        return [(recipient, message_from_bytes(raw, policy=policy.default)) for recipient, raw in received]

    def count(self):
        with self.lock:
            return len(self.received)

    def recipients(self):
        with self.lock:
            return [recipient for recipient, _ in self.received]

    def duplicates(self):
        recipients = self.recipients()
        return len(recipients) - len(set(recipients))

    def saw(self, event, address):
        with self.lock:
            return (event, address) in self.events

    def wait_for(self, count, timeout):
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} emails (have {self.count()})"
                )
            time.sleep(0.05)

    def wait_for_event(self, event, address, timeout):
        deadline = time.monotonic() + timeout
        while not self.saw(event, address):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {event} of {address}")
            time.sleep(0.02)

    def wait_quiet(self, seconds=2.0, timeout=60):
        """Wait until nothing more arrives for `seconds`."""
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            now_seen = self.count()
            if now_seen == seen:
                return
            seen = now_seen
            time.sleep(seconds)
