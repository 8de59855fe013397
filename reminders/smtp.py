"""Sending one reminder email over SMTP: the worker's reused connection, and what is known when a send fails.

An SMTP conversation has a point after which the outcome can be unknown: the end-of-data marker ("." on a line
of its own, RFC 5321 section 4.1.1.4). Until the server has the whole marker it cannot have taken the message,
so an email that failed before it is tried again with no risk of a second copy. Once the marker is sent, the
server may have accepted the message even if its answer never arrives (a timeout, a dropped connection, the
task's time limit): trying again could deliver it twice, so such an email is "maybe sent" and never tried
again. ConversationSMTP notes the phase of the conversation; send() turns every failure into SendFailed, which
says which side of that point it happened on.

Waits: the conversation up to and including the end-of-data marker shares EMAIL_TIMEOUT seconds (each wait
for the server gets what is left of them); the server's answer to the message gets EMAIL_FINAL_REPLY_TIMEOUT.
So one send takes at most EMAIL_TIMEOUT + EMAIL_FINAL_REPLY_TIMEOUT seconds (dispatch.worst_send_seconds).
"""

import functools
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

# The phases of one send's conversation.
BEFORE = "before"  # up to the end-of-data marker: the server cannot have the message
HANDED_OVER = "handed over"  # the marker is being sent or was sent: the server may have the message
ANSWERED = "answered"  # the server answered the message: it took it (250) or refused it

END_OF_DATA = b"\r\n.\r\n"


class Conversation:
    """What smtplib.SMTP (or SMTP_SSL) does, noting the phase of the conversation and keeping each wait for
    the server within the send's limits. `deadline` (time.monotonic()) is when the message must be handed
    over; `final_reply_timeout` (seconds) is the wait for the answer to it."""

    def __init__(self, *args, deadline, final_reply_timeout, **kwargs):
        self.phase, self.answer_code, self.in_data = BEFORE, None, False
        self.deadline, self.final_reply_timeout = deadline, final_reply_timeout
        kwargs["timeout"] = self.time_left()  # connecting, and the greeting
        super().__init__(*args, **kwargs)

    def begin(self, deadline):
        """A new send on this (reused) connection, to be handed over by `deadline`."""
        self.phase, self.answer_code, self.deadline = BEFORE, None, deadline

    def time_left(self) -> float:
        """Seconds left until the deadline; raises TimeoutError when none are."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the server took more than {settings.EMAIL_TIMEOUT} s to take the message")
        return left

    def limit_the_wait(self):
        if self.sock is None:
            return
        if self.phase == HANDED_OVER:
            self.sock.settimeout(self.final_reply_timeout)
        elif self.phase == BEFORE:
            self.sock.settimeout(self.time_left())
        else:  # after the answer (a RSET after a refusal, QUIT): the usual timeout
            self.sock.settimeout(settings.EMAIL_TIMEOUT)

    def send(self, s):
        if self.in_data and isinstance(s, bytes) and s.endswith(END_OF_DATA):
            # The message with its end-of-data marker. From the moment it starts going out, the server may end
            # up with it all, unless sending fails: then some of its last bytes never left this machine.
            self.limit_the_wait()
            self.phase = HANDED_OVER
            try:
                return super().send(s)
            except smtplib.SMTPServerDisconnected:  # smtplib's word for an OSError while sending
                self.phase = BEFORE
                raise
        self.limit_the_wait()
        return super().send(s)

    def getreply(self):
        self.limit_the_wait()
        return super().getreply()

    def data(self, msg):
        self.in_data = True
        try:
            code, reply = super().data(msg)
        finally:
            self.in_data = False
        self.phase, self.answer_code = ANSWERED, code
        return code, reply


class ConversationSMTP(Conversation, smtplib.SMTP):
    pass


class ConversationSMTP_SSL(Conversation, smtplib.SMTP_SSL):  # noqa: N801 (smtplib's name)
    pass


class EmailBackend(SMTPBackend):
    """Django's SMTP backend (the same settings), talking through a Conversation."""

    deadline = None  # set by send() before each email
    last_used = 0.0  # time.monotonic() of the last email sent

    @property
    def connection_class(self):
        smtp_class = ConversationSMTP_SSL if self.use_ssl else ConversationSMTP
        return functools.partial(
            smtp_class, deadline=self.deadline, final_reply_timeout=settings.EMAIL_FINAL_REPLY_TIMEOUT
        )

    def abandon(self):
        """Close the connection without a QUIT (the server may be the one that hangs)."""
        for connection in (self.connection, self._partial_connection):
            if connection is not None:
                connection.close()
        self.connection = self._partial_connection = None


class SendFailed(Exception):
    """An email did not go out for sure. `maybe_sent`: the server had the whole message and its answer never
    came, so it may have taken it; `sent`: it answered 250 and something failed after that (the email went
    out); `permanent`: the server refused the message or its recipient for good (a 5xx answer). Otherwise
    the server cannot have it and it can be tried again. The original error is its __cause__."""

    def __init__(self, note, *, maybe_sent=False, sent=False, permanent=False):
        super().__init__(note)
        self.note, self.maybe_sent, self.sent, self.permanent = note, maybe_sent, sent, permanent


# One SMTP connection per worker process, reused from one email to the next: opening a connection costs more
# than sending a short email. A NOOP checks it before use when it has been idle (a round trip an email saved
# in a rush); any error closes it.
_backend = None
CHECK_AFTER_IDLE = 5  # seconds


def send(message):
    """Send one EmailMessage over this worker's reused SMTP connection (a fresh one if it went stale), within
    EMAIL_TIMEOUT seconds to hand it over and EMAIL_FINAL_REPLY_TIMEOUT for the answer.

    Raises SendFailed when it did not surely go out (the connection is dropped then, and the next send opens a
    new one). Outside SMTP (files, memory: development and tests) it just sends; an error there is one before
    anything went out.
    """
    global _backend
    backend = _backend or get_connection()
    if not isinstance(backend, SMTPBackend):
        try:
            return message.send()
        except Exception as error:  # a full disk, say: nothing went out
            raise failure(error, None) from error
    if not isinstance(backend, EmailBackend):  # Django's SMTP backend configured: ours, on its settings
        backend = EmailBackend()
    _backend = None  # until this send is over
    backend.deadline = time.monotonic() + settings.EMAIL_TIMEOUT
    try:
        if backend.connection is not None:
            backend.connection.begin(backend.deadline)
            idle = time.monotonic() - backend.last_used > CHECK_AFTER_IDLE
            if idle and not connection_alive(backend.connection):
                backend.abandon()
        backend.open()
        message.connection = backend
        message.send()
    except Exception as error:
        conversation = backend.connection or backend._partial_connection
        backend.abandon()
        raise failure(error, conversation) from error
    backend.last_used = time.monotonic()
    _backend = backend
    return 1


def failure(error, conversation) -> SendFailed:
    """What a send that raised `error` during `conversation` (None: before one) tells about the email."""
    note = f"SMTP: {type(error).__name__}: {error}"[:200]
    phase = conversation.phase if conversation is not None else BEFORE
    if phase == ANSWERED and conversation.answer_code == 250:
        return SendFailed(note, sent=True)
    if phase == HANDED_OVER:
        return SendFailed(f"unconfirmed: the server may have it ({note})"[:200], maybe_sent=True)
    return SendFailed(note, permanent=refused_for_good(error))


def refused_for_good(error) -> bool:
    """Whether the server refused the message or its recipient with a permanent (5xx) answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


def connection_alive(connection) -> bool:
    """Whether the open SMTP connection still answers a NOOP."""
    try:
        return connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def close_connection():
    """Drop this worker's reused SMTP connection, if any, without a QUIT; the next send opens a new one."""
    global _backend
    if _backend is not None:
        _backend.abandon()
    _backend = None
