"""The push channel's migrations keep what was there: every delivery recorded so far was an email, and every
person's email choices stay as they were, with push off."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Profile
from reminders.models import Delivery

BEFORE_PUSH = [("accounts", "0005_normalize_email_domains"), ("reminders", "0001_initial")]


def migrate(targets):
    """Migrate to the targets; the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_deliveries_made_before_push_are_emails_and_email_choices_are_kept():
    old = migrate(BEFORE_PUSH)
    user = old.get_model("accounts", "User").objects.create(email="before@example.com", password="!")
    old.get_model("accounts", "Profile").objects.create(
        user=user, email_weekly_plan=False, email_checkins=True
    )
    now = datetime.datetime(2026, 11, 22, 18, tzinfo=datetime.UTC)
    old.get_model("reminders", "Delivery").objects.create(
        user=user, kind="weekly_plan", local_date=now.date(), due_at=now, enqueue_again_at=now, status="sent"
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    delivery = Delivery.objects.get(user_id=user.pk)
    assert (delivery.channel, delivery.status) == ("email", "sent")
    profile = Profile.objects.get(user_id=user.pk)
    assert (profile.email_weekly_plan, profile.email_session_reminders, profile.email_checkins) == (
        False,
        True,
        True,
    )
    assert (profile.push_weekly_plan, profile.push_session_reminders, profile.push_checkins) == (
        False,
        False,
        False,
    )
    # The key now has the channel: the same reminder by push is a delivery of its own, a second email is not.
    fields = {"user_id": user.pk, "kind": "weekly_plan", "local_date": now.date(), "due_at": now}
    Delivery.objects.create(channel="push", enqueue_again_at=now, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(channel="email", enqueue_again_at=now, **fields)


BEFORE_ONCE_PER_MOMENT = [
    ("accounts", "0005_normalize_email_domains"),
    ("reminders", "0002_push_channel_and_subscriptions"),
]


@pytest.mark.django_db(transaction=True)
def test_the_key_of_one_moment_replaces_the_key_of_one_local_day_and_rows_are_kept():
    old = migrate(BEFORE_ONCE_PER_MOMENT)
    user = old.get_model("accounts", "User").objects.create(email="moved@example.com", password="!")
    sydney_8am = datetime.datetime(2026, 11, 22, 21, tzinfo=datetime.UTC)  # the 23rd in Sydney
    old.get_model("reminders", "Delivery").objects.create(
        user=user,
        kind="session_day",
        channel="email",
        local_date=datetime.date(2026, 11, 23),
        due_at=sydney_8am,
        enqueue_again_at=sydney_8am,
        status="sent",
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Delivery.objects.get(user_id=user.pk).status == "sent"
    # London's 08:00 on the 23rd, after a move: the same local date, another moment: a delivery of its own.
    london_8am = datetime.datetime(2026, 11, 23, 8, tzinfo=datetime.UTC)
    fields = {"user_id": user.pk, "kind": "session_day", "channel": "email", "enqueue_again_at": london_8am}
    Delivery.objects.create(
        local_date=datetime.date(2026, 11, 23), due_at=london_8am, status="unconfirmed", **fields
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(local_date=datetime.date(2026, 11, 24), due_at=london_8am, **fields)
