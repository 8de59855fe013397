"""Reminder emails through the real parts: PostgreSQL, Redis, Celery worker and beat processes, SMTP.

What is counted is what an operator would count: emails that arrived at the SMTP server, per recipient.
"""

import signal
import time

import pytest
from django.db.models import Count
from django.test import Client

from reminders.models import Delivery
from tests.factories import ProfileFactory
from tests.integration.conftest import make_people_due_now

pytestmark = pytest.mark.services


def statuses():
    return dict(Delivery.objects.values_list("status").order_by("status").annotate(n=Count("id")))


def test_n_people_due_get_n_emails_from_beat_and_a_worker(services, inbox):
    people = make_people_due_now(40)
    services.worker()
    services.beat(every=1.0)

    inbox.wait_for(len(people), timeout=60)
    inbox.wait_quiet(seconds=3)

    assert sorted(inbox.recipients()) == sorted(people)
    recipient, message = inbox.parsed()[0]
    assert message["Subject"] == "Today: 20 min brisk walk"
    assert message["List-Unsubscribe"].strip().startswith("<http://steady.test/email/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.is_multipart() and {p.get_content_type() for p in message.walk()} >= {
        "text/plain",
        "text/html",
    }
    assert statuses() == {"sent": len(people)}


def test_two_dispatchers_at_once_still_send_each_email_once(services, inbox):
    people = make_people_due_now(300)
    services.worker()

    dispatchers = [services.run_dispatcher_process() for _ in range(2)]
    for process in dispatchers:
        assert process.wait(timeout=60) == 0

    inbox.wait_for(len(people), timeout=90)
    inbox.wait_quiet(seconds=3)
    assert inbox.duplicates() == 0
    assert sorted(inbox.recipients()) == sorted(people)
    assert Delivery.objects.count() == len(people)


def test_worker_killed_mid_batch_and_restarted_sends_no_duplicates(services, inbox):
    inbox.delay = 0.02  # a slow mail server, so the batch is still going when the worker dies
    services.extra_env["REMINDER_REQUEUE_AFTER"] = "4"
    people = make_people_due_now(300)
    worker = services.worker()

    services.beat_tick()
    inbox.wait_for(80, timeout=60)
    worker.kill(signal.SIGKILL)
    received_before_kill = inbox.count()
    assert received_before_kill < len(people), "the batch finished before the kill; make the sink slower"

    services.worker(name="worker-restarted")
    # Beat keeps ticking: messages lost with the killed worker (prefetched, unacked) are enqueued again.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and Delivery.objects.filter(status="queued").exists():
        services.beat_tick()
        time.sleep(1)
    inbox.wait_quiet(seconds=3)

    print(f"received before the kill {received_before_kill}, after {inbox.count()}, deliveries {statuses()}")
    assert inbox.duplicates() == 0
    lost = set(people) - set(inbox.recipients())
    # In flight when the worker died: still "sending", or already reported unconfirmed by the dispatcher.
    in_flight = set(
        Delivery.objects.filter(status__in=["sending", "unconfirmed"]).values_list("user__email", flat=True)
    )
    # At most once for what was in flight when the worker died (one per pool process), nothing else lost.
    assert lost <= in_flight
    assert len(in_flight) <= 2
    assert Delivery.objects.filter(status="sent").count() == len(people) - len(in_flight)


def test_redis_down_the_site_keeps_serving_and_due_emails_go_out_when_it_is_back(
    services, inbox, own_redis, settings
):
    from config.celery import app as web_celery_app

    services.broker_url = own_redis.url
    services.worker()
    services.beat(every=1.0)

    own_redis.stop()
    people = make_people_due_now(20)

    # The web app, configured with the same (stopped) broker, keeps serving.
    previous_broker = web_celery_app.conf.broker_url
    web_celery_app.conf.broker_url = own_redis.url
    try:
        browser = Client()
        assert browser.get("/").status_code == 200
        assert browser.get("/safety/").status_code == 200
        someone = ProfileFactory().user
        browser.force_login(someone)
        assert browser.get("/dashboard/", follow=True).status_code == 200
    finally:
        web_celery_app.conf.broker_url = previous_broker
    time.sleep(3)
    assert inbox.count() == 0

    own_redis.start()
    inbox.wait_for(len(people), timeout=90)
    inbox.wait_quiet(seconds=3)
    assert sorted(inbox.recipients()) == sorted(people)
