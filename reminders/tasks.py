"""Celery tasks: thin wrappers around reminders/dispatch.py and reminders/rollover.py. Beat runs dispatch_due
and roll_over_plans, on a queue of their own read by a worker of its own (CELERY_TASK_ROUTES in
config/settings.py), so a tick never waits behind sends; send_deliveries and roll_over_page go to the default
queue."""

import datetime
import time

from celery import shared_task
from django.utils import timezone

from planner import plans
from reminders import dispatch, rollover


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def dispatch_due():
    """Every minute: claim the reminders that are due and enqueue their emails and pushes, enqueue again those
    lost or due a retry, and report sends interrupted by a stopped worker (within 40 s)."""
    return dispatch.dispatch_due(timezone.now(), enqueue=send_deliveries.delay)


# From the timeouts (reminders/dispatch.py, "Time limits"): 175 s and 190 s by default.
SEND_SOFT_TIME_LIMIT, SEND_TIME_LIMIT = dispatch.send_time_limits()


@shared_task(ignore_result=True, soft_time_limit=SEND_SOFT_TIME_LIMIT, time_limit=SEND_TIME_LIMIT)
def send_deliveries(delivery_ids):
    """Send a batch of deliveries (dispatch.SEND_BATCH at most), each claimed on its own, handing back to the
    queue those its time budget cannot hold."""
    started = time.monotonic()
    dispatch.send_batch(delivery_ids, enqueue=send_deliveries.delay, started=started)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def roll_over_plans():
    """Every 15 minutes: claim the roll-over's pages of people whose local week has begun and enqueue a
    roll_over_page for each (reminders/rollover.py), and tidy up (deliveries: interrupted sends reported, old
    rows forgotten; removed sessions' ids and old roll-over pages forgotten)."""
    now = timezone.now()
    rollover.roll_over(now, enqueue=lambda page_id, claim: roll_over_page.delay(page_id, claim))
    dispatch.schedule_missing_reminders(now)
    dispatch.report_interrupted_sends(now)
    dispatch.forget_old_deliveries(now)
    plans.forget_removed_sessions(now)
    rollover.forget_old_pages(now)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def roll_over_page(page_id, claim):
    """Plan the people of one claimed roll-over page whose week has begun (a few hundred, in bulk)."""
    rollover.roll_over_page(page_id, claim)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def make_week_plan(user_id, week_start):
    """Make one person's plan for the week starting week_start ("YYYY-MM-DD"). The roll-over goes by pages
    now; this stays for messages enqueued by a release before that."""
    rollover.roll_over_plan(user_id, datetime.date.fromisoformat(week_start))
