"""Reminder emails against a real SMTP server that misbehaves (tests/smtp_server.py): slow, hanging, refusing,
answering late; and the sending task's time budget and soft time limit (reminders/dispatch.py, smtp.py).

What is counted is what the SMTP server received and what the Delivery rows say, as an operator sees them.
The timeouts are short here (the smtp_server fixture): 1 s to hand a message over, 1 s for the answer.
"""

import datetime
import os
import signal
import threading
import time

import pytest
import time_machine
from billiard.pool import soft_timeout_sighandler
from django.db.models import Count
from django.urls import reverse

from accounts.models import User
from reminders import dispatch, emails, smtp
from reminders.models import Delivery
from reminders.tests.people import at, make_person, plan_session

UTC = datetime.UTC
pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)  # reminders at 08:00 London (UTC)


def person_due_monday(email=None):
    person = make_person(**({"user__email": email} if email else {}))
    plan_session(person, MONDAY, variant="brisk walk", minutes=20)
    return person


def delivery_of(person):
    return Delivery.objects.get(user=person, kind="session_day")


def statuses():
    return dict(Delivery.objects.values_list("status").order_by().annotate(n=Count("id")))


# --- Which side of the end of the message a failure falls on ------------------------------------------------


def test_a_server_that_hangs_before_it_has_the_message_gets_it_once_on_the_next_try(tick, smtp_server):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = person_due_monday()
        smtp_server.hang_at_rcpt[person.email] = 3  # once; longer than EMAIL_TIMEOUT (1 s)
        traveller.move_to(at("2026-11-23 08:00:10"))
        tick()
        delivery = delivery_of(person)
        assert (delivery.status, delivery.attempts) == ("queued", 1)
        assert delivery.note.startswith("SMTP: ") and "timed out" in delivery.note
        assert smtp_server.count() == 0

        traveller.move_to(at("2026-11-23 08:01:10"))
        tick()
    assert smtp_server.recipients() == [person.email]
    assert delivery_of(person).status == "sent"


def test_email_timeout_covers_the_whole_handover_not_each_wait(tick, smtp_server):
    smtp_server.command_delay = 0.6  # MAIL and RCPT each answered within the 1 s, both not
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = person_due_monday()
        traveller.move_to(at("2026-11-23 08:00:10"))
        started = time.monotonic()
        tick()
        assert time.monotonic() - started < 1.5
        assert (delivery_of(person).status, smtp_server.count()) == ("queued", 0)

        smtp_server.command_delay = 0.3  # 0.6 s in all: in time
        traveller.move_to(at("2026-11-23 08:01:10"))
        tick()
    assert smtp_server.recipients() == [person.email]


def test_a_server_that_has_the_message_but_answers_late_is_unconfirmed_and_never_sent_again(
    tick, smtp_server, caplog
):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = person_due_monday()
        smtp_server.late_reply[person.email] = 3  # it takes the message, then answers after 3 s (> 1 s)
        traveller.move_to(at("2026-11-23 08:00:10"))
        with caplog.at_level("WARNING", logger="reminders.dispatch"):
            tick()
        delivery = delivery_of(person)
        assert delivery.status == Delivery.Status.UNCONFIRMED
        assert delivery.note.startswith("unconfirmed: the server may have it (SMTP: SMTPServerDisconnected")
        assert [r.levelname for r in caplog.records] == ["WARNING"]
        assert "is unconfirmed, not sent again" in caplog.records[0].getMessage()

        for minutes in range(1, 15):
            traveller.move_to(at("2026-11-23 08:00:10") + datetime.timedelta(minutes=minutes))
            tick()
    assert smtp_server.recipients() == [person.email]  # the server had it: once
    assert delivery_of(person).status == Delivery.Status.UNCONFIRMED


def test_a_recipient_refused_for_good_fails_at_once_and_is_not_tried_again(tick, smtp_server):
    smtp_server.refuse = "550 5.1.1 No such user here"
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = person_due_monday()
        for minutes in range(0, 10):
            traveller.move_to(at("2026-11-23 08:00:10") + datetime.timedelta(minutes=minutes))
            tick()
    delivery = delivery_of(person)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "550" in delivery.note and "No such user here" in delivery.note


# --- Retries until the moment's deadline ------------------------------------------------------------------


def attempt_minutes(tick, person, smtp_server, minutes, back_at=None):
    """Tick every minute from 08:00:10 for `minutes` minutes, the server refusing for now (451) until minute
    `back_at`; the minutes (after 08:00:10) of each attempt."""
    attempts, seen = [], 0
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        for minute in range(minutes):
            if minute == back_at:
                smtp_server.refuse = None
            traveller.move_to(at("2026-11-23 08:00:10") + datetime.timedelta(minutes=minute))
            tick()
            count = delivery_of(person).attempts
            if count > seen:
                attempts.append(minute)
                seen = count
    return attempts


@pytest.fixture
def refusing_server(smtp_server):
    smtp_server.refuse = "451 4.3.0 Mail server temporarily unavailable"
    return smtp_server


def test_a_19_minute_outage_loses_nothing_and_the_attempts_follow_the_schedule(tick, refusing_server):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False):
        person = person_due_monday()

    attempts = attempt_minutes(tick, person, refusing_server, minutes=40, back_at=19)

    assert attempts == [0, 1, 3, 7, 15, 30]  # 1, 2, 4, 8, 15 minutes apart
    assert refusing_server.recipients() == [person.email]
    assert delivery_of(person).status == "sent"


def test_an_outage_until_the_deadline_fails_the_email_with_its_last_error_at_the_deadline(
    tick, refusing_server, caplog
):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False):
        person = person_due_monday()

    with caplog.at_level("ERROR", logger="reminders.dispatch"):
        attempts = attempt_minutes(tick, person, refusing_server, minutes=130)

    # Every 15 minutes after the first four, until the last tick before 10:00 (the moment plus two hours).
    assert attempts == [0, 1, 3, 7, 15, 30, 45, 60, 75, 90, 105, 119]
    delivery = delivery_of(person)
    assert delivery.status == "failed"
    assert delivery.note.startswith("gave up at its deadline (2 hours after its moment); last: SMTP:")
    assert "451" in delivery.note
    assert ["giving up on delivery" in r.getMessage() for r in caplog.records] == [True]
    assert refusing_server.count() == 0


# --- The sending task's time budget ------------------------------------------------------------------------


def twenty_people_due(traveller, django_capture_on_commit_callbacks):
    """Twenty people due at 08:00 on Monday, dispatched at 08:00:10: the people, and their deliveries' ids
    as one batch (the dispatcher spreads them over 8 messages for the worker processes to share)."""
    people = [person_due_monday(f"person{i}@example.com") for i in range(20)]
    traveller.move_to(at("2026-11-23 08:00:10"))
    enqueued = []
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.dispatch_due(at("2026-11-23 08:00:10"), enqueue=enqueued.append)
    assert [len(batch) for batch in enqueued] == [2, 3, 2, 3, 2, 3, 2, 3]
    return people, [delivery_id for batch in enqueued for delivery_id in batch]


def test_a_slow_server_gets_what_the_task_budget_holds_and_the_rest_is_handed_back_at_once(
    smtp_server, django_capture_on_commit_callbacks
):
    assert (dispatch.worst_send_seconds(), dispatch.send_budget_seconds()) == (3, 6)
    smtp_server.delay = 0.5  # seconds an email: 20 of them take 10 s, more than the task's 6
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        people, batch = twenty_people_due(traveller, django_capture_on_commit_callbacks)
        handed_back = []
        started = time.monotonic()
        dispatch.send_batch(batch, enqueue=handed_back.append, started=started)
        took = time.monotonic() - started

        # It started sends while one more worst-case send (3 s) fitted in its 6 s: about 3 / 0.5 + 1.
        sent = smtp_server.count()
        assert 5 <= sent <= 8 and took < 6
        rest = sum(handed_back, [])  # in messages the worker processes share
        assert rest == batch[sent:]
        assert statuses() == {"sent": sent, "queued": 20 - sent}
        assert Delivery.objects.filter(
            pk__in=rest, enqueue_again_at__gt=at("2026-11-23 08:05")
        ).count() == len(rest), "handed back with a new lease"

        while handed_back:
            dispatch.send_batch(handed_back.pop(), enqueue=handed_back.append)
    assert sorted(smtp_server.recipients()) == sorted(p.email for p in people)
    assert statuses() == {"sent": 20}


def test_someone_who_unsubscribes_or_leaves_while_their_email_waits_in_a_batch_does_not_get_it(
    smtp_server, client, monkeypatch, django_capture_on_commit_callbacks
):
    """The batch is read once, before its first send; the person's answer counts as it is at their turn."""
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        people, batch = twenty_people_due(traveller, django_capture_on_commit_callbacks)
        unsubscriber, leaver = people[5], people[6]
        token = emails.unsubscribe_token(unsubscriber.pk, "session_day")
        real_send = smtp.send

        def send_while_they_act(message):
            real_send(message)
            if message.to == [people[0].email]:  # the batch is under way
                response = client.post(
                    reverse("email_unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
                )
                assert response.status_code == 200
                User.objects.filter(pk=leaver.pk).update(is_active=False)

        monkeypatch.setattr(smtp, "send", send_while_they_act)
        dispatch.send_batch(batch, enqueue=lambda ids: None)

    assert sorted(smtp_server.recipients()) == sorted(
        p.email for p in people if p not in (unsubscriber, leaver)
    )
    assert (delivery_of(unsubscriber).status, delivery_of(unsubscriber).note) == ("skipped", "switched off")
    assert (delivery_of(leaver).status, delivery_of(leaver).note) == ("skipped", "account inactive")
    assert statuses() == {"sent": 18, "skipped": 2}


@pytest.fixture
def soft_time_limit():
    """Strike the task's soft time limit in this process when told, as the worker pool does: SIGUSR1, whose
    handler (billiard's own) raises SoftTimeLimitExceeded wherever the process is."""
    previous = signal.signal(signal.SIGUSR1, soft_timeout_sighandler)
    timers = []

    def strike_when(condition):
        def wait_and_strike():
            deadline = time.monotonic() + 10
            while not condition() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.2)  # well inside the wait for the server
            os.kill(os.getpid(), signal.SIGUSR1)

        timer = threading.Thread(target=wait_and_strike, daemon=True)
        timer.start()
        timers.append(timer)

    yield strike_when
    for timer in timers:
        timer.join(timeout=15)
    signal.signal(signal.SIGUSR1, previous)


def test_the_soft_time_limit_before_the_server_has_the_email_puts_it_back_on_the_queue(
    smtp_server, settings, soft_time_limit, django_capture_on_commit_callbacks
):
    settings.EMAIL_TIMEOUT = 5
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        people, batch = twenty_people_due(traveller, django_capture_on_commit_callbacks)
        third = people[2].email
        smtp_server.hang_at_rcpt[third] = 3
        soft_time_limit(lambda: smtp_server.saw("rcpt", third))
        handed_back = []
        dispatch.send_batch(batch, enqueue=handed_back.append)

        assert smtp_server.recipients() == [people[0].email, people[1].email]
        assert sum(handed_back, []) == batch[2:]  # the third released, with the rest, at once
        assert statuses() == {"sent": 2, "queued": 18}
        assert Delivery.objects.get(pk=batch[2]).attempts == 1

        while handed_back:
            dispatch.send_batch(handed_back.pop(), enqueue=handed_back.append)
    assert smtp_server.duplicates() == 0 and smtp_server.count() == 20
    assert statuses() == {"sent": 20}
    assert Delivery.objects.get(pk=batch[2]).attempts == 2


def test_the_soft_time_limit_after_the_server_has_the_email_records_it_unconfirmed_at_once(
    smtp_server, settings, soft_time_limit, django_capture_on_commit_callbacks
):
    settings.EMAIL_FINAL_REPLY_TIMEOUT = 5
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        people, batch = twenty_people_due(traveller, django_capture_on_commit_callbacks)
        third = people[2].email
        smtp_server.late_reply[third] = 3
        soft_time_limit(lambda: smtp_server.saw("data", third))
        handed_back = []
        dispatch.send_batch(batch, enqueue=handed_back.append)

        assert Delivery.objects.get(pk=batch[2]).status == "unconfirmed"
        assert sum(handed_back, []) == batch[3:]
        assert statuses() == {"sent": 2, "unconfirmed": 1, "queued": 17}

        while handed_back:
            dispatch.send_batch(handed_back.pop(), enqueue=handed_back.append)
    assert smtp_server.duplicates() == 0 and smtp_server.count() == 20
    assert statuses() == {"sent": 19, "unconfirmed": 1}


def test_operators_see_how_many_deliveries_are_unconfirmed_in_the_admin(tick, smtp_server, client):
    from tests.factories import UserFactory

    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = person_due_monday()
        smtp_server.late_reply[person.email] = 3
        traveller.move_to(at("2026-11-23 08:00:10"))
        tick()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/admin/reminders/delivery/").content.decode()

    assert "Unconfirmed (1)" in page
    assert "unconfirmed: the server may have it" in page
