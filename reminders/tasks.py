"""Celery tasks: thin wrappers around reminders/dispatch.py and reminders/rollover.py. Beat runs dispatch_due
and roll_over_plans (config/settings.py)."""

import datetime

from celery import shared_task
from django.utils import timezone

from planner import plans
from reminders import dispatch, rollover


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def dispatch_due():
    """Every minute: claim the reminders that are due and enqueue their emails."""
    return dispatch.dispatch_due(timezone.now(), enqueue=send_deliveries.delay)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def send_deliveries(delivery_ids):
    """Send a batch of deliveries, each claimed on its own (dispatch.SEND_BATCH of them at most)."""
    for delivery_id in delivery_ids:
        dispatch.send_delivery(delivery_id)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def roll_over_plans():
    """Every 15 minutes: make this week's plan for people whose local week has begun without one, and tidy
    the deliveries (interrupted sends reported, old rows forgotten)."""
    now = timezone.now()
    for user_id, week_start in rollover.people_needing_this_weeks_plan(now):
        make_week_plan.delay(user_id, week_start.isoformat())
    dispatch.schedule_missing_reminders(now)
    dispatch.report_interrupted_sends(now)
    dispatch.forget_old_deliveries(now)
    plans.forget_removed_sessions(now)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def make_week_plan(user_id, week_start):
    """Make one person's plan for the week starting week_start ("YYYY-MM-DD")."""
    rollover.roll_over_plan(user_id, datetime.date.fromisoformat(week_start))
