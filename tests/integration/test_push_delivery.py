"""Reminders by email and by push through the real parts: PostgreSQL, Redis, Celery worker and beat
processes, an SMTP server and a push service (tests/push_peer.py) that checks each push's VAPID signature and
decrypts it.

What is counted is what an operator would count: emails that arrived at the SMTP server and pushes the push
service took, per person.
"""

import collections
import signal
import time

import pytest
from django.db.models import Count

from accounts.models import Profile
from reminders.models import Delivery, PushSubscription
from tests.integration.conftest import make_people_due_now

pytestmark = pytest.mark.services


def make_people_due_with_both_channels(count, push_service):
    """`count` people due now (make_people_due_now) who chose email and push, each with one device.
    Returns {endpoint: email}."""
    emails = make_people_due_now(count)
    Profile.objects.filter(user__email__in=emails).update(push_session_reminders=True)
    owners = {}
    subscriptions = []
    for user_id, email in Profile.objects.filter(user__email__in=emails).values_list(
        "user_id", "user__email"
    ):
        device = push_service.device()
        owners[device.endpoint] = email
        subscriptions.append(
            PushSubscription(
                user_id=user_id, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
            )
        )
    PushSubscription.objects.bulk_create(subscriptions)
    return owners


def pushed_to(push_service, owners):
    """The people each push the push service took went to, one entry per push."""
    return [owners[message.endpoint] for message in push_service.received()]


def duplicates(recipients):
    return sum(n - 1 for n in collections.Counter(recipients).values())


def statuses():
    rows = Delivery.objects.values_list("channel", "status").order_by().annotate(n=Count("id"))
    return {(channel, status): n for channel, status, n in rows}


def wait_quiet(push_service, inbox, seconds=3.0, timeout=60):
    """Wait until neither emails nor pushes arrive for `seconds`."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        now_seen = (inbox.count(), len(push_service.received()))
        if now_seen == seen:
            return
        seen = now_seen
        time.sleep(seconds)


def test_n_people_due_with_both_channels_get_n_emails_and_n_pushes(services, inbox, push_service):
    owners = make_people_due_with_both_channels(30, push_service)
    people = sorted(owners.values())
    services.worker()
    services.beat(every=1.0)

    inbox.wait_for(len(people), timeout=60)
    push_service.wait_for(len(people), timeout=60)
    wait_quiet(push_service, inbox)

    assert sorted(inbox.recipients()) == people
    assert sorted(pushed_to(push_service, owners)) == people
    assert push_service.refused == []
    sessions = dict(
        Profile.objects.filter(user__email__in=people).values_list("user__email", "user__plans__sessions__id")
    )
    for message in push_service.received():
        person = owners[message.endpoint]
        assert message.payload == {
            "title": "Today: 20 min brisk walk",
            "body": "When you've done it, tick it off. A shorter, gentler version still counts.",
            "url": f"/sessions/{sessions[person]}/",
            "tag": f"session_day-{Delivery.objects.get(user__email=person, channel='push').local_date}",
        }
        assert 0 < message.ttl <= 2 * 3600
    assert statuses() == {("email", "sent"): len(people), ("push", "sent"): len(people)}
    assert not PushSubscription.objects.filter(last_success_at__isnull=True).exists()


def test_two_dispatchers_at_once_still_send_each_email_and_push_once(services, inbox, push_service):
    owners = make_people_due_with_both_channels(200, push_service)
    people = sorted(owners.values())
    services.worker()

    dispatchers = [services.run_dispatcher_process() for _ in range(2)]
    for process in dispatchers:
        assert process.wait(timeout=60) == 0

    inbox.wait_for(len(people), timeout=90)
    push_service.wait_for(len(people), timeout=90)
    wait_quiet(push_service, inbox)
    assert inbox.duplicates() == 0
    assert duplicates(pushed_to(push_service, owners)) == 0
    assert sorted(inbox.recipients()) == people
    assert sorted(pushed_to(push_service, owners)) == people
    assert Delivery.objects.count() == 2 * len(people)


def test_worker_killed_mid_batch_and_restarted_sends_no_email_or_push_twice(services, inbox, push_service):
    inbox.delay = push_service.delay = 0.02  # slow servers, so the batch is still going when the worker dies
    services.extra_env["REMINDER_REQUEUE_AFTER"] = "4"
    owners = make_people_due_with_both_channels(200, push_service)
    people = set(owners.values())
    worker = services.worker()

    services.beat_tick()
    deadline = time.monotonic() + 60
    while inbox.count() + len(push_service.received()) < 120 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.kill(signal.SIGKILL)
    before_kill = inbox.count() + len(push_service.received())
    assert before_kill < 2 * len(people), "the batch finished before the kill; make the servers slower"

    services.worker(name="worker-restarted")
    # Beat keeps ticking: messages lost with the killed worker (prefetched, unacked) are enqueued again.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and Delivery.objects.filter(status="queued").exists():
        services.beat_tick()
        time.sleep(1)
    wait_quiet(push_service, inbox)

    emailed, pushed = inbox.recipients(), pushed_to(push_service, owners)
    print(
        f"received before the kill {before_kill}; emails {len(emailed)}, pushes {len(pushed)}; {statuses()}"
    )
    assert duplicates(emailed) == 0 and duplicates(pushed) == 0
    # In flight when the worker died: still "sending", or already reported unconfirmed by the dispatcher.
    in_flight = list(
        Delivery.objects.filter(status__in=["sending", "unconfirmed"]).values_list("channel", "user__email")
    )
    # At most once for what was in flight when the worker died (one per pool process), nothing else lost.
    assert len(in_flight) <= 2
    assert people - set(emailed) <= {email for channel, email in in_flight if channel == "email"}
    assert people - set(pushed) <= {email for channel, email in in_flight if channel == "push"}
    assert Delivery.objects.filter(status="sent").count() == 2 * len(people) - len(in_flight)
