"""People with reminders, and running beat's tick as the worker would: for the reminders tests."""

import datetime

from django.core import mail

from reminders import dispatch
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory

UTC = datetime.UTC


def at(text):
    """An aware UTC datetime from 'YYYY-MM-DD HH:MM'."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_person(tz="Europe/London", reminder_time=datetime.time(8, 0), **profile_fields):
    profile_fields.setdefault("onboarded_at", at("2026-01-01 12:00"))
    profile_fields.setdefault("email_checkins", False)  # switched on by the tests about check-ins
    return ProfileFactory(timezone=tz, reminder_time=reminder_time, **profile_fields).user


def plan_session(user, day, **fields):
    monday = day - datetime.timedelta(days=day.weekday())
    plan = user.plans.filter(week_start=monday).first() or PlanFactory(user=user, week_start=monday)
    return PlannedSessionFactory(plan=plan, date=day, **fields)


def run_beat_tick(django_capture_on_commit_callbacks, now=None):
    """Run the dispatcher as beat's tick does, and the worker for each enqueued delivery. Returns the ids."""
    enqueued = []
    now = now or datetime.datetime.now(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.dispatch_due(now, enqueue=enqueued.extend)
    for delivery_id in enqueued:
        dispatch.send_delivery(delivery_id, now=now)
    return enqueued


def sent_to(user, kind=None):
    return [m for m in mail.outbox if m.to == [user.email] and (kind is None or kind_of(m) == kind)]


def kind_of(message):
    return message.extra_headers["Message-ID"].split(".")[1]


ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)


def subscribe(user, device, user_agent=ANDROID_CHROME):
    """The person turned push on for the device (a tests.push_peer.FakeDevice): its subscription row."""
    from reminders import push

    subscription, _ = push.subscribe(user, device.subscription_json(), user_agent)
    return subscription
