"""Reminders under faults, through the real parts: PostgreSQL, Redis, Celery worker and beat processes, and
an SMTP server (tests/smtp_server.py) or push service (tests/push_peer.py) that is slow, refuses, hangs or
answers late. The task's soft time limit is struck as the worker pool strikes it: SIGUSR1 to the pool process.

What is counted is what an operator would count: emails that arrived at the SMTP server, pushes the push
service took, per person, and the Delivery rows' statuses.
"""

import collections
import datetime
import os
import signal
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accounts.models import Profile
from reminders import dispatch
from reminders.models import Delivery, PushSubscription
from tests.integration.conftest import make_people_due_now, wait_until

pytestmark = pytest.mark.services

# One send takes 3 s at most (1 s to hand an email over, 1 s for the answer, 3 x 1 s for a push), a task
# starts sends for 6 s, its soft limit is 21 s and its hard limit 36 s. Beat ticks every second (the workers
# time retries by the tick too).
SHORT_TIMEOUTS = {
    "EMAIL_TIMEOUT": "1",
    "EMAIL_FINAL_REPLY_TIMEOUT": "1",
    "PUSH_TIMEOUT": "1",
    "REMINDER_DISPATCH_EVERY": "1",
}


def statuses():
    return dict(Delivery.objects.values_list("status").order_by().annotate(n=Count("id")))


def pool_processes(worker):
    """The pids of a `celery worker`'s pool processes (its children)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == worker.process.pid:
            children.append(int(stat.parent.name))
    return children


def strike_soft_time_limit(worker):
    """What the pool does when a task's soft time limit is up: SIGUSR1 to the process running it."""
    [pool_process] = pool_processes(worker)
    os.kill(pool_process, signal.SIGUSR1)


# --- A slow or hanging SMTP server: the time limits hold ----------------------------------------------------


def test_a_server_at_half_a_second_an_email_and_one_that_hangs_still_get_every_email_once(services, inbox):
    services.extra_env.update({**SHORT_TIMEOUTS, "REMINDER_RETRY_AFTER": "2"})
    people = make_people_due_now(40)
    inbox.delay = 0.5  # 20 emails take 10 s: more than a task's 6 s of sends
    inbox.hang_at_rcpt[people[7]] = 3  # one timeout (longer than 1 s), once
    services.worker(concurrency=2)
    services.beat(every=1.0)

    inbox.wait_for(len(people), timeout=90)
    inbox.wait_quiet(seconds=3)

    assert sorted(inbox.recipients()) == sorted(people) and inbox.duplicates() == 0
    assert statuses() == {"sent": 40}
    assert Delivery.objects.get(user__email=people[7]).attempts == 2
    logs = services.logs()
    assert "SoftTimeLimitExceeded" not in logs and "TimeLimitExceeded" not in logs


def test_the_soft_time_limit_before_the_server_has_an_email_puts_it_back_and_it_arrives_once(services, inbox):
    services.extra_env.update({**SHORT_TIMEOUTS, "EMAIL_TIMEOUT": "30"})
    people = make_people_due_now(10)
    inbox.hang_at_rcpt[people[3]] = 20
    worker = services.worker(concurrency=1)
    services.beat_tick()

    inbox.wait_for_event("rcpt", people[3], timeout=30)
    time.sleep(0.3)
    strike_soft_time_limit(worker)
    inbox.wait_for(len(people), timeout=30)
    inbox.wait_quiet(seconds=2)

    assert sorted(inbox.recipients()) == sorted(people) and inbox.duplicates() == 0
    assert statuses() == {"sent": 10}
    assert Delivery.objects.get(user__email=people[3]).attempts == 2
    assert "a send was cut short by the task's time limit" in services.logs()


def test_the_soft_time_limit_after_the_server_has_an_email_records_it_unconfirmed_at_once(services, inbox):
    services.extra_env.update({**SHORT_TIMEOUTS, "EMAIL_FINAL_REPLY_TIMEOUT": "30"})
    people = make_people_due_now(10)
    inbox.late_reply[people[3]] = 20
    worker = services.worker(concurrency=1)
    services.beat_tick()

    inbox.wait_for_event("data", people[3], timeout=30)
    time.sleep(0.3)
    strike_soft_time_limit(worker)
    struck = time.monotonic()
    wait_until(
        lambda: Delivery.objects.filter(user__email=people[3], status="unconfirmed").exists(),
        timeout=5,
        what="the delivery to be recorded unconfirmed",
    )
    recorded_after = time.monotonic() - struck
    inbox.wait_for(len(people), timeout=30)
    inbox.wait_quiet(seconds=2)

    assert recorded_after < 5
    assert sorted(inbox.recipients()) == sorted(people) and inbox.duplicates() == 0
    assert statuses() == {"sent": 9, "unconfirmed": 1}


def test_an_answer_that_comes_after_the_final_reply_timeout_is_unconfirmed_and_never_sent_again(
    services, inbox
):
    services.extra_env.update({**SHORT_TIMEOUTS, "REMINDER_REQUEUE_AFTER": "2", "REMINDER_RETRY_AFTER": "1"})
    people = make_people_due_now(10)
    inbox.late_reply[people[3]] = 4  # it has the message, and answers after 4 s (> 1 s)
    services.worker(concurrency=2)
    services.beat(every=1.0)

    inbox.wait_for(len(people), timeout=60)
    time.sleep(8)  # ticks go on: a requeue or a retry would show now

    assert sorted(inbox.recipients()) == sorted(people) and inbox.duplicates() == 0
    assert statuses() == {"sent": 9, "unconfirmed": 1}
    unconfirmed = Delivery.objects.get(status="unconfirmed")
    assert unconfirmed.user.email == people[3] and unconfirmed.attempts == 1
    assert unconfirmed.note.startswith("unconfirmed: the server may have it")
    assert f"delivery {unconfirmed.pk} is unconfirmed, not sent again" in services.logs()


def test_a_worker_killed_mid_send_is_reported_unconfirmed_a_minute_after_the_send_time_limit(services, inbox):
    services.extra_env.update({**SHORT_TIMEOUTS, "REMINDER_REQUEUE_AFTER": "4"})
    people = make_people_due_now(5)
    inbox.late_reply[people[0]] = 30  # the first email is in flight for a while
    worker = services.worker(concurrency=1)
    services.beat_tick()
    inbox.wait_for_event("data", people[0], timeout=30)
    worker.kill(signal.SIGKILL)
    killed = time.monotonic()
    services.worker(name="worker-restarted")
    services.beat(every=1.0)

    # The send's hard time limit is 36 s: a delivery "sending" 30 s longer lost its worker.
    wait_until(lambda: Delivery.objects.filter(status="unconfirmed").exists(), timeout=120, what="the report")
    reported_after = time.monotonic() - killed
    inbox.wait_for(len(people), timeout=30)

    assert 60 <= reported_after <= 90
    delivery = Delivery.objects.get(status="unconfirmed")
    assert delivery.user.email == people[0]
    assert delivery.note.startswith("interrupted while sending (the worker stopped): it may have been sent")
    assert "1 deliveries were interrupted while sending" in services.logs()
    assert sorted(inbox.recipients()) == sorted(people) and inbox.duplicates() == 0


# --- An outage: retries until each moment's deadline ------------------------------------------------------


def test_an_outage_loses_nothing_that_is_still_in_time_and_fails_what_passed_its_deadline(services, inbox):
    services.extra_env.update(
        {**SHORT_TIMEOUTS, "REMINDER_RETRY_AFTER": "1", "REMINDER_RETRY_AFTER_MAX": "2"}
    )
    inbox.refuse = "451 4.3.0 Mail server temporarily unavailable"
    # The workers and beat first: their start (a few seconds each) must not eat the 6 s below, or the
    # dispatcher would first see the second group after its deadline and skip it untried.
    services.worker(concurrency=2)
    services.beat(every=1.0)
    now = timezone.now()
    # Due nearly two hours ago: one group's deadline comes in 60 s, the other's in 6 s.
    in_time = make_people_due_now(10, prefix="intime", due_at=now - datetime.timedelta(seconds=7140))
    make_people_due_now(10, prefix="toolate", due_at=now - datetime.timedelta(seconds=7194))

    time.sleep(12)  # the outage
    inbox.refuse = None
    inbox.wait_for(len(in_time), timeout=60)
    inbox.wait_quiet(seconds=3)

    assert sorted(inbox.recipients()) == sorted(in_time) and inbox.duplicates() == 0
    assert statuses() == {"sent": 10, "failed": 10}
    assert min(Delivery.objects.filter(status="sent").values_list("attempts", flat=True)) >= 4
    for note in Delivery.objects.filter(status="failed").values_list("note", flat=True):
        assert (
            note.startswith("gave up at its deadline (2 hours after its moment); last: SMTP:")
            and "451" in note
        )


# --- A backlog of lost messages: enqueued again in one tick, in bounded batches ----------------------------


def test_a_backlog_of_three_batches_is_enqueued_again_in_one_tick_each_batch_committed_on_its_own(
    transactional_db, settings
):
    settings.REMINDER_REQUEUE_AFTER = 600
    make_people_due_now(350)

    def broker_down(ids):
        raise ConnectionError("Redis is down")

    dispatch.dispatch_due(timezone.now(), enqueue=broker_down)  # 350 deliveries queued, their messages lost
    assert statuses() == {"queued": 350}

    database = connection.settings_dict
    elsewhere = psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname=database["NAME"],
        autocommit=True,
    )
    later = timezone.now() + datetime.timedelta(seconds=601)
    enqueued, committed = [], []

    def enqueue(ids):
        enqueued.extend(ids)
        # Seen from another connection when each message is enqueued (after its batch's commit): the rows
        # renewed so far, committed.
        committed.append(
            elsewhere.execute(
                "SELECT count(*) FROM planner_delivery WHERE enqueue_again_at > %s", [later]
            ).fetchone()[0]
        )

    try:
        assert dispatch.dispatch_due(later, enqueue=enqueue, batch_size=100) == 350
    finally:
        elsewhere.close()
    assert sorted(enqueued) == sorted(Delivery.objects.values_list("pk", flat=True))
    # 100 committed while the first batch's messages went, then 200, 300, 350: four transactions, not one.
    assert sorted(set(committed)) == [100, 200, 300, 350]


# --- Hung push services: the time limits hold for push too -------------------------------------------------


def test_a_batch_of_pushes_to_hung_push_services_fits_the_time_limits_and_goes_when_they_recover(
    services, inbox, push_service
):
    services.extra_env.update(
        {**SHORT_TIMEOUTS, "REMINDER_RETRY_AFTER": "2", "REMINDER_RETRY_AFTER_MAX": "2"}
    )
    people = make_people_due_now(20)
    Profile.objects.filter(user__email__in=people).update(
        email_session_reminders=False, push_session_reminders=True
    )
    owners = {}
    for user_id, email in Profile.objects.filter(user__email__in=people).values_list(
        "user_id", "user__email"
    ):
        device = push_service.device()
        owners[device.endpoint] = email
        PushSubscription.objects.create(
            user_id=user_id, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
        )
    push_service.delay = 5  # hung: every push waits longer than PUSH_TIMEOUT (1 s)
    worker = services.worker(concurrency=2)
    services.beat(every=1.0)

    wait_until(
        lambda: not Delivery.objects.filter(attempts=0).exists(), timeout=60, what="every push to be tried"
    )
    assert "SoftTimeLimitExceeded" not in services.logs()
    push_service.delay = 0
    try:
        wait_until(
            lambda: Delivery.objects.filter(status="sent").count() == 20,
            timeout=90,
            what="every push to go out",
        )
    finally:
        print(list(Delivery.objects.values_list("status", "attempts", "note", "enqueue_again_at")))
    time.sleep(6)  # pushes the hung service took after its caller had given up arrive late

    assert worker.process.poll() is None
    assert "TimeLimitExceeded" not in services.logs()
    assert statuses() == {"sent": 20}
    pushes = collections.defaultdict(list)
    for message in push_service.received():
        pushes[owners[message.endpoint]].append(message)
    assert sorted(pushes) == sorted(people)
    # A push whose answer never came may have been taken, and is pushed again: the device shows it once.
    for messages in pushes.values():
        assert len({(m.payload["tag"], m.headers["topic"]) for m in messages}) == 1
