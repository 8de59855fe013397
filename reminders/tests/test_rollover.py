"""The weekly roll-over, page by page (reminders/rollover.py): who is planned when, and never twice.

Beat's coordinator and the workers' page tasks are run here in this process, on the test database; the same
run with real worker processes on PostgreSQL and Redis, one of them killed, is in
tests/integration/test_rollover.py.
"""

import datetime
import logging
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from accounts.tests.test_onboarding import answer_all
from planner.models import Plan, RollOverPage
from reminders import rollover, tasks
from reminders.tests.people import at, make_person
from tests.factories import PlanFactory, PlannedSessionFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MONDAY = datetime.date(2026, 11, 23)
LAST_MONDAY = MONDAY - datetime.timedelta(weeks=1)
# Every kind of offset: whole hours either side of UTC, half and three-quarter hours, DST in the south.
ZONES = [
    "Pacific/Kiritimati",  # UTC+14: the first place the week begins
    "Pacific/Chatham",  # +13:45 in November
    "Pacific/Auckland",  # +13 in November
    "Australia/Sydney",  # +11 in November
    "Asia/Kathmandu",  # +5:45
    "Asia/Kolkata",  # +5:30
    "Europe/London",
    "America/St_Johns",  # -3:30
    "America/New_York",
    "Pacific/Honolulu",
    "Etc/GMT+12",  # UTC-12: the last
]


@pytest.fixture(autouse=True)
def one_page(settings):
    """Everyone in one page, whatever ids the database hands out (PostgreSQL's go on across tests)."""
    settings.ROLLOVER_PAGE_SIZE = 10**9


@pytest.fixture
def small_pages(settings):
    settings.ROLLOVER_PAGE_SIZE = 4


def week_begins(user, monday=MONDAY):
    """The moment (UTC) the person's week starting `monday` begins where they live."""
    return datetime.datetime.combine(
        monday, datetime.time(0), tzinfo=ZoneInfo(user.profile.timezone)
    ).astimezone(UTC)


def run_coordinator(capture, now=None):
    """Beat's roll-over tick: the coordinator's claims, as the (page id, claim) pairs it enqueued."""
    enqueued = []
    with capture(execute=True):
        rollover.roll_over(
            now or timezone.now(), enqueue=lambda page_id, claim: enqueued.append((page_id, claim))
        )
    return enqueued


def run_pages(enqueued):
    """A worker running each enqueued page task; what each returned."""
    return [rollover.roll_over_page(page_id, claim, timezone.now()) for page_id, claim in enqueued]


def plans_of_the_week(monday=MONDAY):
    return {plan.user_id: plan for plan in Plan.objects.filter(week_start=monday)}


# --- The week key -----------------------------------------------------------------------------------------


def test_the_week_key_is_the_newest_week_begun_anywhere():
    # Monday begins at UTC+14 on Sunday 10:00 UTC, and at UTC-12 on Monday 12:00 UTC.
    assert rollover.week_key(at("2026-11-22 09:59")) == LAST_MONDAY
    assert rollover.week_key(at("2026-11-22 10:00")) == MONDAY
    assert rollover.week_key(at("2026-11-23 11:59")) == MONDAY
    assert rollover.week_key(at("2026-11-29 09:59")) == MONDAY


# --- When each person is planned ---------------------------------------------------------------------------


def test_each_person_is_planned_at_the_first_tick_of_their_own_monday(
    small_pages, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-11-22 10:00"), tick=False) as traveller:
        people = [make_person(tz=zone) for zone in ZONES for _ in range(2)]
        moment = at("2026-11-22 10:00")
        while moment <= at("2026-11-23 12:30"):
            traveller.move_to(moment)
            run_pages(run_coordinator(django_capture_on_commit_callbacks))
            planned = plans_of_the_week()
            for person in people:
                # Planned from the moment their Monday begins, and not before.
                assert (person.pk in planned) == (moment >= week_begins(person)), (
                    person.profile.timezone,
                    moment,
                )
            moment += datetime.timedelta(minutes=15)

    planned = plans_of_the_week()
    for person in people:
        assert planned[person.pk].created_at == week_begins(person)
        # Planned on the Monday itself: the whole week, not a part week.
        assert planned[person.pk].planned_from is None
        assert planned[person.pk].sessions.exists()
    assert set(RollOverPage.objects.values_list("status", flat=True)) == {"done"}


def test_a_page_waits_for_the_next_monday_among_its_people(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-22 13:00"), tick=False):  # Monday 00:00 in Sydney
        sydney = make_person(tz="Australia/Sydney")
        london = make_person(tz="Europe/London")
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
    page = RollOverPage.objects.get()
    assert page.status == "waiting" and page.due_at == at("2026-11-23 00:00")  # Monday in London
    assert set(plans_of_the_week()) == {sydney.pk}

    with time_machine.travel(at("2026-11-22 23:45"), tick=False):
        assert run_coordinator(django_capture_on_commit_callbacks) == []  # not yet
    with time_machine.travel(at("2026-11-23 00:00"), tick=False):
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
    assert set(plans_of_the_week()) == {sydney.pk, london.pk}
    assert RollOverPage.objects.get().status == "done"


def test_a_page_planned_seconds_before_a_monday_is_due_at_that_monday_not_a_tick_later(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(at("2026-11-22 23:45"), tick=False) as traveller:
        sydney = make_person(tz="Australia/Sydney")
        london = make_person(tz="Europe/London")
        enqueued = run_coordinator(django_capture_on_commit_callbacks)
        traveller.move_to(at("2026-11-22 23:59:30"))  # the page's task starts late, in a busy queue
        run_pages(enqueued)
        assert RollOverPage.objects.get().due_at == at("2026-11-23 00:00")  # Monday in London

        traveller.move_to(at("2026-11-23 00:00:02"))  # beat's next tick
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
    assert set(plans_of_the_week()) == {sydney.pk, london.pk}


def test_people_not_onboarded_or_inactive_are_left_out(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        onboarded = make_person()
        make_person(onboarded_at=None)  # still answering the questions
        gone = make_person()
        User.objects.filter(pk=gone.pk).update(is_active=False)
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
    assert set(plans_of_the_week()) == {onboarded.pk}
    assert RollOverPage.objects.get().status == "done"


def test_a_plan_made_ahead_is_settled_and_a_settled_one_left_alone(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-22 18:00"), tick=False) as traveller:  # the weekly email's evening
        ahead = make_person()
        settled = make_person()
        from planner import plans

        plans.plan_for_week(ahead, MONDAY)
        kept = PlanFactory(user=settled, week_start=MONDAY, target_aerobic_minutes=42)
        traveller.move_to(at("2026-11-23 00:00"))
        [outcome] = run_pages(run_coordinator(django_capture_on_commit_callbacks))
    assert outcome.settled == [ahead.pk] and outcome.made == []
    assert not Plan.objects.get(user=ahead, week_start=MONDAY).provisional
    assert (
        Plan.objects.get(user=settled, week_start=MONDAY).target_aerobic_minutes
        == kept.target_aerobic_minutes
    )


def test_someone_planned_on_a_later_day_gets_the_rest_of_the_week(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-25 12:00"), tick=False):  # a Wednesday
        person = make_person()
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
    plan = Plan.objects.get(user=person, week_start=MONDAY)
    assert plan.planned_from == datetime.date(2026, 11, 25)
    assert min(plan.sessions.values_list("date", flat=True)) >= datetime.date(2026, 11, 25)


# --- Runs that overlap, tasks run twice, workers that die ---------------------------------------------------


def test_two_coordinators_at_once_enqueue_each_page_once(small_pages, django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        people = [make_person() for _ in range(10)]
        first = run_coordinator(django_capture_on_commit_callbacks)
        second = run_coordinator(django_capture_on_commit_callbacks)  # before any worker took a page
        assert second == []
        assert sorted(page_id for page_id, _ in first) == sorted(
            RollOverPage.objects.values_list("pk", flat=True)
        )
        run_pages(first + second)
    assert set(plans_of_the_week()) == {person.pk for person in people}


def test_pages_are_the_same_whoever_walks_the_ids(small_pages):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        people = [make_person() for _ in range(10)]
        now = timezone.now()
        rollover.add_pages(MONDAY, now)
        pages = list(RollOverPage.objects.order_by("first_id").values_list("first_id", "last_id"))
        ids = [person.pk for person in people]
        # A second walker, behind from the last page holding two people on; one of them is deleted meanwhile.
        first, last = [(a, b) for a, b in pages if len([pk for pk in ids if a <= pk <= b]) >= 2][-1]
        RollOverPage.objects.filter(first_id__gte=first).delete()
        User.objects.filter(pk=next(pk for pk in ids if first <= pk <= last)).delete()
        rollover.add_pages(MONDAY, now)
        assert list(RollOverPage.objects.order_by("first_id").values_list("first_id", "last_id")) == pages
    covering = [[first <= pk <= last for first, last in pages].count(True) for pk in ids]
    assert covering == [1] * len(ids)  # each person in exactly one page


def test_a_page_task_delivered_twice_plans_once(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        person = make_person()
        [(page_id, claim)] = run_coordinator(django_capture_on_commit_callbacks)
        first = rollover.roll_over_page(page_id, claim)
        plan = Plan.objects.get(user=person, week_start=MONDAY)
        again = rollover.roll_over_page(page_id, claim)  # redelivered, or retried by Celery
    assert first.made == [person.pk] and again is None
    assert list(Plan.objects.filter(user=person, week_start=MONDAY)) == [plan]
    assert RollOverPage.objects.get().planned == 1


def test_a_page_whose_worker_died_is_claimed_again_when_its_lease_runs_out(
    settings, django_capture_on_commit_callbacks
):
    settings.ROLLOVER_REQUEUE_AFTER = 1800
    with time_machine.travel(at("2026-11-23 09:00"), tick=False) as traveller:
        person = make_person()
        [(page_id, lost_claim)] = run_coordinator(django_capture_on_commit_callbacks)  # its worker dies
        traveller.move_to(at("2026-11-23 09:15"))
        assert run_coordinator(django_capture_on_commit_callbacks) == []  # the lease still holds
        assert not Plan.objects.filter(user=person, week_start=MONDAY).exists()
        traveller.move_to(at("2026-11-23 09:30"))
        [(same_page, claim)] = run_coordinator(django_capture_on_commit_callbacks)
        assert (same_page, claim) == (page_id, lost_claim + 1)
        assert rollover.roll_over_page(page_id, lost_claim) is None  # the old message, turning up late
        assert rollover.roll_over_page(page_id, claim).made == [person.pk]
    assert Plan.objects.filter(user=person, week_start=MONDAY).count() == 1


def test_a_profile_the_engine_refuses_does_not_hold_up_the_others(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        person = make_person(age=None)  # the engine refuses a profile without an age
        fine = make_person()
        [(page_id, claim)] = run_coordinator(django_capture_on_commit_callbacks)
        outcome = rollover.roll_over_page(page_id, claim)
    assert outcome.made == [fine.pk] and outcome.failed == [person.pk]
    page = RollOverPage.objects.get()
    assert (page.status, page.planned, page.failed) == ("done", 1, 1)
    assert not Plan.objects.filter(user=person).exists()


def test_many_people_in_many_zones_each_planned_once_whatever_runs_twice_or_dies(
    settings, django_capture_on_commit_callbacks, caplog
):
    """Ticks every 15 minutes through the day the week begins around the world. Each tick runs two
    coordinators; the workers then run the enqueued tasks in any order, each twice, and lose some (as a
    killed worker would). Counted person by person: everyone planned, once, not before their Monday."""
    settings.ROLLOVER_PAGE_SIZE = 7
    settings.ROLLOVER_REQUEUE_AFTER = 1800
    rng = random.Random(2026)
    caplog.set_level(logging.INFO)
    with time_machine.travel(at("2026-11-22 10:00"), tick=False) as traveller:
        people = [make_person(tz=rng.choice(ZONES)) for _ in range(120)]
        User.objects.filter(pk__in=[p.pk for p in people[::17]]).delete()  # gaps in the ids
        people = [p for p in people if User.objects.filter(pk=p.pk).exists()]
        moment = at("2026-11-22 10:00")
        lost = 0
        while moment <= at("2026-11-23 14:00"):
            traveller.move_to(moment)
            enqueued = run_coordinator(django_capture_on_commit_callbacks)
            enqueued += run_coordinator(django_capture_on_commit_callbacks)
            deliveries = [task for task in enqueued for _ in range(2)]
            rng.shuffle(deliveries)
            for page_id, claim in deliveries:
                if rng.random() < 0.1:
                    lost += 1
                    continue
                rollover.roll_over_page(page_id, claim)
            moment += datetime.timedelta(minutes=15)

    assert lost > 0
    planned = Plan.objects.filter(week_start=MONDAY).values("user_id").annotate(n=Count("id"))
    assert {row["user_id"]: row["n"] for row in planned} == {person.pk: 1 for person in people}
    plans = plans_of_the_week()
    for person in people:
        begins = week_begins(person)
        # Not before their Monday; within a lease (a lost task) and a tick of it.
        assert begins <= plans[person.pk].created_at <= begins + datetime.timedelta(minutes=45)
    # Each person was counted by one page task only, and none found their plan made meanwhile by a twin.
    assert RollOverPage.objects.aggregate(n=Sum("planned"))["n"] == len(people)
    assert set(RollOverPage.objects.values_list("status", flat=True)) == {"done"}
    assert not [r for r in caplog.records if "meanwhile" in r.getMessage()]


# --- The Celery tasks -----------------------------------------------------------------------------------


def test_the_beat_task_enqueues_pages_and_the_page_task_plans_them(
    monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr(tasks.roll_over_page, "delay", lambda *args: enqueued.append(args))
    with time_machine.travel(at("2026-11-22 13:30"), tick=False):  # Monday 00:30 in Sydney, Sunday in London
        sydney = make_person(tz="Australia/Sydney")
        london = make_person(tz="Europe/London")
        planned = make_person(tz="Australia/Sydney")
        kept = PlanFactory(user=planned, week_start=MONDAY)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.roll_over_plans()
        for args in enqueued:
            tasks.roll_over_page(*args)
    assert set(plans_of_the_week()) == {sydney.pk, planned.pk}
    assert plans_of_the_week()[planned.pk] == kept
    assert not Plan.objects.filter(user=london).exists()


def test_the_tasks_have_time_limits():
    for task in [tasks.roll_over_plans, tasks.roll_over_page]:
        assert task.time_limit and task.soft_time_limit


def test_old_pages_are_forgotten_after_three_weeks(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False) as traveller:
        make_person()
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
        traveller.move_to(at("2026-12-14 09:00"))
        assert rollover.forget_old_pages(timezone.now()) == 0
        traveller.move_to(at("2026-12-21 09:00"))
        assert rollover.forget_old_pages(timezone.now()) == 1


def test_history_of_last_week_shapes_the_rolled_over_plan(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        keen = make_person(current_minutes_per_week=60)
        last = PlanFactory(user=keen, week_start=LAST_MONDAY, target_aerobic_minutes=60)
        for day in range(3):
            PlannedSessionFactory(
                plan=last, date=LAST_MONDAY + datetime.timedelta(days=day), minutes=20, status="done"
            )
        fresh = make_person(current_minutes_per_week=60)
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
    plans = plans_of_the_week()
    # Last week done in full: this week builds on it (rule 9); without history, the first week's target.
    assert plans[keen.pk].target_aerobic_minutes > plans[fresh.pk].target_aerobic_minutes


def test_someone_who_finishes_onboarding_late_on_sunday_after_their_page_was_done_has_their_monday_planned(
    client, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-11-22 16:00"), tick=False) as traveller:  # Monday in Tokyo
        tokyo = make_person(tz="Asia/Tokyo")
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
        assert set(plans_of_the_week()) == {tokyo.pk}
        assert set(RollOverPage.objects.values_list("status", flat=True)) == {"done"}

        traveller.move_to(at("2026-11-22 20:29"))  # 23:59 on Sunday in Tehran
        newcomer = UserFactory()
        client.force_login(newcomer)
        answer_all(client, about={"timezone": "Asia/Tehran", "country": "IR"})
        assert set(Plan.objects.filter(user=newcomer).values_list("week_start", flat=True)) == {
            LAST_MONDAY,  # the rest of the week they are in
            MONDAY,  # made ahead: their page is done
        }

        traveller.move_to(at("2026-11-22 20:30"))  # Monday in Tehran
        run_pages(run_coordinator(django_capture_on_commit_callbacks))
        plan = plans_of_the_week()[newcomer.pk]
        assert plan.sessions.exists()
        assert plan.planned_from is None  # the whole week, from Monday
        assert Plan.objects.filter(user=newcomer, week_start=MONDAY).count() == 1
