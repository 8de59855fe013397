"""plans.plan_weeks, the roll-over's bulk path: the plans plan_for_week makes one by one, in a fixed number of
reads.

Each person is made twice over, a pair of twins with the same answers, the same weeks behind them and the
same plan made ahead: one twin is planned by plan_for_week, the other with the page, and their weeks compared.
"""

import datetime
import random

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile, User
from planner import plans
from planner.models import Plan, PlannedSession, RemovedSession
from planner.tests.profiles import profile_fields, random_profile
from reminders.tests.people import at
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)
ZONES = [
    "Pacific/Kiritimati",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Europe/London",
    "America/New_York",
    "Etc/GMT+12",
]
SESSION_KINDS = [
    ("aerobic", "moderate"),
    ("aerobic", "vigorous"),
    ("aerobic", "light"),
    ("strength", "moderate"),
]


def answers(rng: random.Random) -> dict:
    """A Profile's answers, from one of the planner's random valid profiles."""
    engine = random_profile(rng, history_weeks=0)
    return profile_fields(engine) | {
        "timezone": rng.choice(ZONES),
        "prefers_gentle": engine["prefers_gentle"] and rng.random() < 0.5,
        "gentle_until_next_checkin": engine["prefers_gentle"] and rng.random() < 0.5,
        "cleared_by_professional_on": datetime.date(2026, 6, 1) if rng.random() < 0.2 else None,
        "onboarded_at": at("2026-06-01 12:00"),
    }


def past_weeks(rng: random.Random) -> list[dict]:
    """Weeks behind the person: some done, some not, a part week now and then, and sometimes more than the
    engine reads (HISTORY_WEEKS)."""
    weeks = []
    for back in range(rng.choice([0, 1, 2, 4, 14]), 0, -1):
        monday = MONDAY - datetime.timedelta(weeks=back)
        part = rng.random() < 0.15
        sessions = []
        for _ in range(rng.randint(0, 6)):
            category, intensity = rng.choice(SESSION_KINDS)
            status = rng.choice(["planned", "done", "done", "skipped"])
            sessions.append(
                {
                    "date": monday + datetime.timedelta(days=rng.randint(3 if part else 0, 6)),
                    "category": category,
                    "intensity": intensity,
                    "minutes": rng.choice([10, 20, 30, 45]),
                    "status": status,
                    "actual_minutes": rng.choice([None, 15, 40]) if status == "done" else None,
                    "unplanned": status == "done" and rng.random() < 0.2,
                }
            )
        weeks.append(
            {
                "week_start": monday,
                "planned_from": monday + datetime.timedelta(days=3) if part else None,
                "sessions": sessions,
            }
        )
    return weeks


def person_spec(seed: int) -> dict:
    rng = random.Random(seed)
    return {
        "answers": answers(rng),
        "weeks": past_weeks(rng),
        # A plan made ahead (the weekly email's), left alone, ticked in, or made before the answers changed.
        "ahead": rng.choice([None, None, "untouched", "ticked", "answers changed"]),
        "more_minutes": rng.choice([10, 20, 40]),
    }


def make_twin(spec: dict):
    user = ProfileFactory(**spec["answers"]).user
    for week in spec["weeks"]:
        plan = PlanFactory(user=user, week_start=week["week_start"], planned_from=week["planned_from"])
        for session in week["sessions"]:
            PlannedSessionFactory(plan=plan, **session)
    return user


def make_ahead(user, spec: dict) -> None:
    """On the Sunday before, as the weekly email does."""
    if spec["ahead"] is None:
        return
    plan = plans.plan_for_week(user, MONDAY)
    assert plan.provisional
    if spec["ahead"] == "ticked" and plan.sessions.exists():
        plan.sessions.first().mark_done(timezone.now())
    if spec["ahead"] == "answers changed":
        Profile.objects.filter(user=user).update(
            max_minutes_per_day=user.profile.max_minutes_per_day + spec["more_minutes"]
        )


def week_of(user) -> dict:
    """Everything about the person's plans and sessions a person or a later week could see."""
    skip = {"id", "user", "plan", "created_at", "updated_at"}
    weeks = {}
    for plan in Plan.objects.filter(user=user).order_by("week_start"):
        fields = {f.name: getattr(plan, f.name) for f in Plan._meta.concrete_fields if f.name not in skip}
        fields["sessions"] = [
            {f.name: getattr(s, f.name) for f in PlannedSession._meta.concrete_fields if f.name not in skip}
            for s in plan.sessions.order_by("date", "id")
        ]
        weeks[plan.week_start] = fields
    weeks["removed sessions"] = RemovedSession.objects.filter(user=user).count()
    return weeks


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-23 12:30",  # every zone in the new week; UTC+14 already on Tuesday (a part week)
        "2026-11-25 09:00",  # a Wednesday: part weeks for everyone without a plan
    ],
)
def test_the_page_makes_the_plans_plan_for_week_makes_one_by_one(moment):
    specs = [person_spec(seed) for seed in range(60)]
    with time_machine.travel(
        at("2026-11-22 09:00"), tick=False
    ) as traveller:  # Sunday: before the week, anywhere
        one_by_one = [make_twin(spec) for spec in specs]
        in_bulk = [make_twin(spec) for spec in specs]
        for spec, first, second in zip(specs, one_by_one, in_bulk, strict=True):
            make_ahead(first, spec)
            make_ahead(second, spec)

        traveller.move_to(at(moment))
        for user in one_by_one:
            plans.plan_for_week(User.objects.get(pk=user.pk), MONDAY)
        with transaction.atomic():
            outcome = plans.plan_weeks(list(Profile.objects.filter(user__in=in_bulk)), MONDAY, timezone.now())

    for spec, first, second in zip(specs, one_by_one, in_bulk, strict=True):
        assert week_of(first) == week_of(second), spec
    # Every path was taken: plans made, whole and part weeks, plans made ahead settled with and without new
    # sessions, and some left as the person had begun them.
    assert outcome.made and outcome.settled and not outcome.failed
    assert len(outcome.made) + len(outcome.settled) == len(specs)
    assert Plan.objects.filter(user__in=in_bulk, week_start=MONDAY, planned_from__isnull=False).exists()
    assert RemovedSession.objects.filter(user__in=in_bulk).exists()
    assert any(spec["ahead"] == "ticked" for spec in specs)


def test_a_page_reads_in_the_same_number_of_queries_for_ten_people_or_forty():
    def reads_for(count, first_seed):
        specs = [person_spec(seed) for seed in range(first_seed, first_seed + count)]
        with time_machine.travel(at("2026-11-22 09:00"), tick=False) as traveller:
            users = [make_twin(spec) for spec in specs]
            for spec, user in zip(specs, users, strict=True):
                make_ahead(user, spec)
            traveller.move_to(at("2026-11-23 12:30"))
            profiles = list(Profile.objects.filter(user__in=users))
            with CaptureQueriesContext(connection) as queries, transaction.atomic():
                plans.plan_weeks(profiles, MONDAY, timezone.now())
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]

    ten, forty = reads_for(10, 1000), reads_for(40, 2000)
    # The plans of the week, the ones made ahead (locked), their sessions, the history, the sessions to
    # delete: whatever the number of people.
    assert len(ten) <= 5 and len(forty) <= 5, forty
