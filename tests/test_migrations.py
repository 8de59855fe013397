"""A database made before reminders and wellbeing became apps of their own migrates forward, every row kept.

Reminder, Delivery and CheckIn moved out of the planner app with their tables (planner_reminder,
planner_delivery, planner_checkin) left where they were. This test builds a database as the last release had
it, with rows in every table, migrates it, and finds every row again through today's models.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from planner.models import Plan, PlannedSession
from reminders.models import Delivery, Reminder
from wellbeing.models import CheckIn

BEFORE_THE_SPLIT = [
    ("accounts", "0001_initial"),
    ("planner", "0002_plan_planned_from_provisional"),
    ("reminders", None),
    ("wellbeing", None),
]


def migrate(targets):
    """Migrate to the targets ((app, name), or (app, None) for none of the app); the models as they were."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    target_apps = {app for app, _ in targets}
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in target_apps]
    return executor.loader.project_state(nodes + [t for t in targets if t[1]]).apps


def row_counts() -> dict:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our tables)
            counts[table] = cursor.fetchone()[0]
    return counts


def fill_every_table(old):
    """One person with rows of every kind, made through the models as they were before the split."""
    now = timezone.now()
    user = old.get_model("accounts", "User").objects.create(email="before@example.com", password="!")
    old.get_model("accounts", "Profile").objects.create(user=user, onboarding_step=6, onboarded_at=now)
    address = old.get_model("account", "EmailAddress").objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    old.get_model("account", "EmailConfirmation").objects.create(email_address=address, key="k" * 64)
    plan = old.get_model("planner", "Plan").objects.create(
        user=user,
        week_start=datetime.date(2026, 11, 23),
        target_aerobic_minutes=60,
        target_strength_days=1,
        target_balance_days=0,
        meets_who_guideline=False,
    )
    old.get_model("planner", "PlannedSession").objects.create(
        plan=plan,
        date=datetime.date(2026, 11, 25),
        activity="walking",
        variant="walking, brisk",
        compendium_code="17200",
        category="aerobic",
        intensity="moderate",
        met="4.3",
        minutes=30,
        status="done",
    )
    old.get_model("planner", "Reminder").objects.create(user=user, kind="weekly_plan", next_due_at=now)
    old.get_model("planner", "Delivery").objects.create(
        user=user, kind="weekly_plan", local_date=now.date(), due_at=now, enqueue_again_at=now, status="sent"
    )
    answers = {"cheerful": 3, "calm": 3, "active": 2, "rested": 2, "interested": 3}
    old.get_model("planner", "CheckIn").objects.create(user=user, score=52, **answers)
    content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="planner", model="delivery"
    )
    old.get_model("auth", "Permission").objects.create(
        content_type=content_type, codename="resend_delivery", name="Can resend a delivery"
    )
    permission = old.get_model("auth", "Permission").objects.get(codename="resend_delivery")
    old.get_model("admin", "LogEntry").objects.create(
        user=user, content_type=content_type, object_id="1", object_repr="a delivery", action_flag=2
    )
    group = old.get_model("auth", "Group").objects.create(name="operators")
    group.permissions.add(permission)
    user.groups.add(group)
    user.user_permissions.add(permission)
    old.get_model("sessions", "Session").objects.create(
        session_key="k" * 32, session_data="", expire_date=now + datetime.timedelta(days=1)
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_split_migrates_forward_with_every_row_kept():
    old = migrate(BEFORE_THE_SPLIT)
    fill_every_table(old)
    before = row_counts()
    assert [table for table, count in before.items() if not count] == []

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())

    after = row_counts()
    assert {table: after[table] for table in before} == before  # tables made since start empty
    user = User.objects.get(email="before@example.com")
    assert Plan.objects.get(user=user).sessions.get().minutes == 30
    assert PlannedSession.objects.filter(plan__user=user, status="done").count() == 1
    assert Reminder.objects.get(user=user).kind == "weekly_plan"
    assert Delivery.objects.get(user=user).status == "sent"
    assert CheckIn.objects.get(user=user).score == 52
    # Permissions follow their model to its new app.
    assert (
        user._meta.apps.get_model("auth", "Permission")
        .objects.get(codename="resend_delivery")
        .content_type.app_label
        == "reminders"
    )


@pytest.mark.django_db(transaction=True)
def test_stored_addresses_take_the_one_spelling_unless_another_account_has_it():
    old = migrate([("accounts", "0004_submitkey")])
    users = old.get_model("accounts", "User").objects
    users.create(email="anna@bücher.example", password="!")
    users.create(email="ben@Straße.example", password="!")
    users.create(email="ben@xn--strae-oqa.example", password="!")  # both spellings: two accounts already

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())

    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {"anna@xn--bcher-kva.example", "ben@Straße.example", "ben@xn--strae-oqa.example"}
