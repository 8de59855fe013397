"""Reminder emails: subject, text and HTML bodies from templates/emails/, one-click unsubscribe headers."""

import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.template.loader import render_to_string
from django.urls import reverse

UNSUBSCRIBE_SALT = "steady.email.unsubscribe"


def unsubscribe_token(user_id, kind):
    # No expiry: a link in an old email must still work.
    return signing.dumps({"user": user_id, "kind": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user_id, kind), or raise signing.BadSignature."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return data["user"], data["kind"]


def absolute(path):
    return settings.SITE_URL + path


def build_message(delivery, context):
    """The email for one delivery; `context` is what reminders.email_context found to say."""
    unsubscribe_url = absolute(
        reverse("email_unsubscribe", args=[unsubscribe_token(delivery.user_id, delivery.kind)])
    )
    context = {
        **context,
        "kind": delivery.kind,
        "user": delivery.user,
        "dashboard_url": absolute(reverse("dashboard")),
        "safety_url": absolute(reverse("safety")),
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    template = f"emails/{delivery.kind}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # One Message-ID per delivery: if a copy ever went out twice, mail clients would show it once.
            "Message-ID": f"<steady.{delivery.kind}.{delivery.pk}@{message_id_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def message_id_domain():
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "steady.localhost"


# One SMTP connection per worker process, reused from one email to the next: opening a connection costs more
# than sending a short email. A NOOP checks it before each use; any error closes it.
_smtp_connection = None


def send(message):
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
    if connection.connection is None:
        return False
    try:
        return connection.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False
