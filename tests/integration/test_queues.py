"""Beat's tasks have a queue and a worker of their own (settings.CELERY_TASK_ROUTES): in a rush of slow sends
the minute's dispatcher tick still runs at once, through real beat, Redis and worker processes."""

import time

import pytest

from reminders.models import Delivery
from tests.integration.conftest import make_people_due_now, wait_until

pytestmark = pytest.mark.services


def test_a_dispatch_tick_runs_within_seconds_while_a_rush_of_slow_sends_waits_in_the_queue(services, inbox):
    rush = make_people_due_now(60, prefix="rush")
    inbox.delay = 0.5  # 60 emails take one worker process 30 s: three messages wait behind the first
    sender = services.worker(concurrency=1)
    services.beat(every=1.0)
    wait_until(
        lambda: Delivery.objects.filter(user__email__in=rush).count() == len(rush),
        timeout=30,
        what="the rush to be claimed",
    )

    [latecomer] = make_people_due_now(1, prefix="late")
    due = time.monotonic()
    wait_until(
        lambda: Delivery.objects.filter(user__email=latecomer).exists(),
        timeout=20,
        what="a tick to claim the reminder due after the rush",
    )
    claimed_after = time.monotonic() - due
    rush_unsent = Delivery.objects.filter(user__email__in=rush, status="queued").count()
    sender.kill()  # a quick end: its batch would hold a warm shutdown for seconds

    assert claimed_after < 5
    assert rush_unsent >= 20  # at least one message of 20 sends was still waiting for the worker
