"""The reminder email as it goes out: rendered by Jinja2 (reminders/jinja2/) and written by Django's MIME, as
a mail client reads it."""

import datetime
from email import message_from_bytes, policy

import pytest
import time_machine
from django.template import engines

from reminders import emails
from reminders.models import Delivery, EmailKind
from reminders.tests.people import at, make_person, plan_session
from tests.factories import CheckInFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


def read(raw: bytes):
    """What a mail client reads: the content type, each header's value (unfolded, decoded; the Date and the
    multipart boundary set aside), each part's type, transfer encoding and text, and whether it is dated."""
    message = message_from_bytes(raw, policy=policy.default)
    headers = [
        (name, str(value).strip()) for name, value in message.items() if name not in ("Content-Type", "Date")
    ]
    parts = [
        (part.get_content_type(), part["Content-Transfer-Encoding"], part.get_content())
        for part in message.walk()
        if not part.is_multipart()
    ]
    return message.get_content_type(), headers, parts, message["Date"] is not None


def assert_smtp_lines(raw: bytes):
    """Every line ends in CRLF, no bare CR or LF, none over 998 bytes (RFC 5321 2.3.8, 4.5.3.1.6)."""
    lines = raw.split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    assert max(len(line) for line in lines) <= 998


def djangos(message) -> bytes:
    return message.message().as_bytes(linesep="\r\n")


def a_reminder_of_each_kind():
    """The session-day, weekly-plan and check-in emails of one person, as build_message() makes them."""
    with time_machine.travel(at("2026-11-22 12:00"), tick=False):
        person = make_person(email_checkins=True, onboarded_at=at("2026-10-01 12:00"))
        person.first_name = "Zoë <O'Brien> & co"
        person.save()
        plan_session(person, MONDAY, variant="brisk walk", minutes=20)
        plan_session(person, MONDAY, variant="gentle yoga", minutes=15, intensity="")
        CheckInFactory(user=person, created_at=at("2026-10-01 09:00"))
        messages = {}
        for kind, local_date in [
            (EmailKind.SESSION_DAY, MONDAY),
            (EmailKind.WEEKLY_PLAN, MONDAY - datetime.timedelta(days=1)),
            (EmailKind.CHECKIN, MONDAY),
        ]:
            delivery = Delivery(
                pk=7, user=person, kind=kind, local_date=local_date, due_at=at("2026-11-22 12:00")
            )
            context = emails.email_context(delivery)
            assert context is not None, kind
            messages[kind] = emails.build_message(delivery, context)
    return messages


def test_each_kind_of_reminder_is_a_text_and_html_email_within_smtps_line_limits():
    for kind, message in a_reminder_of_each_kind().items():
        raw = djangos(message)

        content_type, headers, parts, dated = read(raw)
        assert content_type == "multipart/alternative" and dated, kind
        assert [part[0] for part in parts] == ["text/plain", "text/html"], kind
        assert ("Auto-Submitted", "auto-generated") in headers, kind
        assert_smtp_lines(raw)


def test_the_html_escapes_what_people_typed_and_the_text_keeps_it_as_typed():
    message = a_reminder_of_each_kind()[EmailKind.SESSION_DAY]
    html = message.alternatives[0][0]

    assert "Hello Zoë &lt;O&#39;Brien&gt; &amp; co," in html
    assert "Hello Zoë <O'Brien> & co," in message.body
    assert message.subject == "Today: 2 sessions in your plan"
    assert "Monday 23 November" in message.body and "<strong>Monday 23 November</strong>" in html
    assert "20 min · brisk walk" in html and "15 min · gentle yoga" in html


def test_the_shared_email_frame_renders_the_same_in_django_and_jinja2():
    # templates/emails/_layout.html frames allauth's emails (Django's templates) and reminders (Jinja2).
    child = (
        '{% extends "emails/_layout.html" %}{% block title %}A title{% endblock %}'
        "{% block content %}<p>Content</p>{% endblock %}{% block why %}Why you get it.{% endblock %}"
    )
    context = {
        "safety_url": "https://steady.test/safety/?a=1&b=2",
        "unsubscribe_url": "https://steady.test/u/",
    }

    by_django = engines["django"].from_string(child).render(context)
    by_jinja2 = emails.templates().from_string(child).render(context)

    assert by_jinja2 == by_django
    assert 'href="https://steady.test/safety/?a=1&amp;b=2"' in by_jinja2
    assert 'Why you get it. <a href="https://steady.test/u/"' in by_jinja2
