"""Sending one email over SMTP, reusing the worker's connection from one email to the next."""

import smtplib

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

# One SMTP connection per worker process, reused from one email to the next: opening a connection costs more
# than sending a short email. A NOOP checks it before each use; any error closes it.
_smtp_connection = None


def send(message):
    """Send one EmailMessage over this worker's reused SMTP connection (a fresh one if it went stale).

    Raises smtplib.SMTPException or OSError when the server refuses or cannot be reached; the connection is
    closed then, and the next send opens a new one. Outside SMTP (files, memory) it just sends.
    """
    global _smtp_connection
    connection = _smtp_connection
    if connection is None:
        connection = get_connection()
        if not isinstance(connection, SMTPBackend):  # development and tests: nothing to reuse
            return message.send()
    if not smtp_connection_alive(connection):
        connection.close()
        connection.open()
    message.connection = connection
    _smtp_connection = connection
    try:
        return message.send()
    except BaseException:
        _smtp_connection = None
        connection.close()
        raise


def smtp_connection_alive(connection):
    """Whether the open SMTP connection still answers a NOOP."""
    if connection.connection is None:
        return False
    try:
        return connection.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False
