"""The weekly roll-over through the real parts: PostgreSQL, Redis and Celery worker processes, one killed.

The workers run at the real time, so the people here live in time zones whose week has begun now (the week
key's: reminders/rollover.py), and a few in one whose week has not, who must be left waiting. What is counted
is what an operator would count: plans in the database, person by person, and the roll-over's pages.
"""

import datetime
import logging
import random
import signal
import subprocess
import sys
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import redis
from celery import Celery
from django.db import connections, transaction
from django.db.models import Count, Sum

from accounts.models import Profile, User
from planner import plans
from planner.models import Plan, RollOverPage
from reminders import rollover
from reminders.models import EmailKind, Reminder
from tests.factories import PlanFactory
from tests.integration.conftest import BASE_DIR, wait_until

pytestmark = pytest.mark.services

CANDIDATE_ZONES = [
    "Pacific/Kiritimati",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/London",
    "America/New_York",
    "Pacific/Honolulu",
    "Etc/GMT+12",
]


def zones_now():
    """(the week key, zones whose week is that one now, zones where it begins in more than half an hour),
    from CANDIDATE_ZONES: none of them changes week while a test runs."""
    now = datetime.datetime.now(datetime.UTC)
    week = rollover.week_key(now)
    begun = [z for z in CANDIDATE_ZONES if monday_in(z, now) == week]
    later = now + datetime.timedelta(minutes=30)
    not_yet = [z for z in CANDIDATE_ZONES if monday_in(z, later) < week]
    return week, begun, not_yet


def monday_in(zone, now):
    day = now.astimezone(ZoneInfo(zone)).date()
    return day - datetime.timedelta(days=day.weekday())


def make_people(count, zones, prefix):
    """`count` onboarded people with varied answers in these zones, made in bulk, with their reminder rows
    (as the Profile's signal would have made them). Returns their user ids."""
    rng = random.Random(count)
    now = datetime.datetime.now(datetime.UTC)
    users = User.objects.bulk_create(User(email=f"{prefix}{i}@example.com") for i in range(count))
    Profile.objects.bulk_create(
        Profile(
            user=user,
            timezone=zones[i % len(zones)],
            age=rng.randint(18, 90),
            current_minutes_per_week=rng.choice([0, 60, 150, 300]),
            preferences=rng.sample(["walking", "cycling", "swimming", "yoga", "running", "dance"], 2),
            available_days=rng.sample(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], rng.randint(2, 7)),
            max_minutes_per_day=rng.choice([20, 30, 45, 60]),
            onboarded_at=now - datetime.timedelta(days=30),
        )
        for i, user in enumerate(users)
    )
    Reminder.objects.bulk_create(
        Reminder(user=user, kind=kind, next_due_at=now + datetime.timedelta(days=3))
        for user in users
        for kind in EmailKind
    )
    return [user.pk for user in users]


def send_roll_over(services):
    """Publish the roll-over task exactly as beat does (send_task by name, to the default queue)."""
    client = Celery(broker=services.broker_url)
    try:
        client.send_task("reminders.tasks.roll_over_plans", queue=services.queue)
    finally:
        client.close()


def plans_per_person(week, user_ids):
    counted = (
        Plan.objects.filter(week_start=week, user_id__in=user_ids)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    return dict(counted)


def pages_left(week):
    return RollOverPage.objects.filter(week_start=week).exclude(status="done").count()


def test_a_worker_killed_mid_run_leaves_nobody_missed_or_planned_twice(services):
    week, begun, not_yet = zones_now()
    services.extra_env.update({"ROLLOVER_PAGE_SIZE": "100", "ROLLOVER_REQUEUE_AFTER": "4"})
    people = make_people(3000, begun, "roll")
    waiting = make_people(30, not_yet, "later") if not_yet else []
    worker = services.worker(concurrency=2)

    send_roll_over(services)
    wait_until(lambda: Plan.objects.filter(week_start=week).count() >= 600, 90, 0.02, "the first plans")
    worker.kill(signal.SIGKILL)
    planned_before_kill = Plan.objects.filter(week_start=week).count()
    assert planned_before_kill < len(people), "the run finished before the kill; use more people"
    assert RollOverPage.objects.filter(week_start=week, status="claimed").exists()

    services.worker(name="worker-restarted")
    # Beat keeps ticking: pages whose claim ran out with the killed worker are claimed again.
    deadline = time.monotonic() + 120
    while (
        time.monotonic() < deadline
        and RollOverPage.objects.filter(week_start=week, status="claimed").exists()
    ):
        send_roll_over(services)
        time.sleep(1)

    counted = plans_per_person(week, people)
    print(f"plans before the kill {planned_before_kill}, after {sum(counted.values())} of {len(people)}")
    assert counted == {user_id: 1 for user_id in people}  # everyone, once
    assert plans_per_person(week, waiting) == {}  # their Monday has not begun
    # Each person was planned by one page task: the pages' own counts add up to the people.
    assert RollOverPage.objects.filter(week_start=week).aggregate(n=Sum("planned"))["n"] == len(people)
    assert RollOverPage.objects.filter(week_start=week, claim__gte=2).exists()  # taken up again
    logs = "\n".join(process.log_path.read_text(errors="replace") for process in services.processes)
    assert "claimed again" in logs
    assert "Traceback" not in logs, logs[logs.index("Traceback") - 2000 :][:4000]


def test_two_coordinators_at_once_claim_each_page_once(services):
    week, begun, _ = zones_now()
    services.extra_env.update({"ROLLOVER_PAGE_SIZE": "50"})
    people = make_people(2000, begun, "twice")
    env = {**services.env(), "START_AT": str(time.time() + 4)}
    code = (
        "import os, time, django; django.setup(); from reminders.tasks import roll_over_plans; "
        "time.sleep(max(0, float(os.environ['START_AT']) - time.time())); roll_over_plans()"
    )
    coordinators = [subprocess.Popen([sys.executable, "-c", code], cwd=BASE_DIR, env=env) for _ in range(2)]
    for process in coordinators:
        assert process.wait(timeout=60) == 0

    pages = list(RollOverPage.objects.filter(week_start=week).order_by("first_id"))
    assert all(page.claim == 1 for page in pages)
    assert all(a.last_id < b.first_id for a, b in zip(pages, pages[1:], strict=False))
    queued = redis.Redis.from_url(services.broker_url).llen(services.queue)
    assert queued == len(pages)  # one task per page, from the two coordinators together

    services.worker()
    wait_until(lambda: pages_left(week) == 0, 90, 0.2, "every page done")
    assert plans_per_person(week, people) == {user_id: 1 for user_id in people}
    assert RollOverPage.objects.filter(week_start=week).aggregate(n=Sum("planned"))["n"] == len(people)


@pytest.mark.django_db(transaction=True)
def test_a_plan_the_dashboard_makes_meanwhile_is_kept_and_the_others_are_planned(caplog):
    """The unique (user, week_start) is the last guard: a page that read no plan for someone while the
    dashboard was making theirs waits at that person's row until the dashboard commits, then leaves them
    out and plans the rest of its people."""
    week, begun, _ = zones_now()
    first, second = make_people(2, begun, "race")
    dashboard_began, dashboard_may_commit = threading.Event(), threading.Event()

    def dashboard():
        with transaction.atomic():
            PlanFactory(user=User.objects.get(pk=first), week_start=week, target_aerobic_minutes=42)
            dashboard_began.set()
            dashboard_may_commit.wait(10)
        connections.close_all()

    making = threading.Thread(target=dashboard)
    making.start()
    assert dashboard_began.wait(10)
    threading.Timer(2.0, dashboard_may_commit.set).start()  # the page below waits on the first person's row
    caplog.set_level(logging.INFO)
    with transaction.atomic():
        outcome = plans.plan_weeks(list(Profile.objects.filter(user_id__in=[first, second])), week)
    making.join()

    assert outcome.made == [second]
    assert plans_per_person(week, [first, second]) == {first: 1, second: 1}
    assert Plan.objects.get(user_id=first, week_start=week).target_aerobic_minutes == 42
    assert any("meanwhile" in record.getMessage() for record in caplog.records)


def test_an_account_deleted_while_its_page_is_planned_leaves_the_others_planned_at_once(
    transactional_db, caplog, monkeypatch
):
    """The page read its people, then one deleted their account before the page stored the plans: the
    plan for someone who no longer exists cannot be stored, so the page is planned again at once without
    them, not left until its lease runs out."""
    week, begun, _ = zones_now()
    leaving, staying = make_people(2, begun, "leaving")
    now = datetime.datetime.now(datetime.UTC)
    claimed = []
    rollover.roll_over(now, enqueue=lambda page_id, claim: claimed.append((page_id, claim)))
    real_plan_weeks = plans.plan_weeks

    def delete_the_account_first(people, week_start, now):
        if any(profile.user_id == leaving for profile in people):

            def delete():  # another request, committed on its own connection
                User.objects.get(pk=leaving).delete()
                connections.close_all()

            deleting = threading.Thread(target=delete)
            deleting.start()
            deleting.join()
        return real_plan_weeks(people, week_start, now)

    caplog.set_level(logging.WARNING)
    monkeypatch.setattr(plans, "plan_weeks", delete_the_account_first)
    made = [user_id for page in claimed for user_id in rollover.roll_over_page(*page, now).made]

    assert made == [staying]
    assert plans_per_person(week, [leaving, staying]) == {staying: 1}
    assert pages_left(week) == 0
    assert any("an account went while it was planned" in r.getMessage() for r in caplog.records)
