"""Moving a session to another day keeps the plan's own limits: strength and hard days apart, and a day no
longer than the person has."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PlannedSessionFactory
from tests.week import WEDNESDAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]

THURSDAY, FRIDAY, SATURDAY = (WEDNESDAY + datetime.timedelta(days=n) for n in (1, 2, 3))
RIDE_STEPS = [
    {"activity": "cycling", "seconds": 60, "effort": "hard"},
    {"activity": "cycling", "seconds": 90, "effort": "easy"},
]


def move(owner, session, day):
    response = owner.post(reverse("session_move", args=[session.pk]), {"date": day.isoformat()})
    session.refresh_from_db()
    return response


def test_a_hard_interval_session_does_not_move_next_to_another_hard_day(owner, plan):
    PlannedSessionFactory(plan=plan, date=THURSDAY, intensity="vigorous", minutes=20)
    ride = PlannedSessionFactory(plan=plan, date=SATURDAY, minutes=20, intervals=RIDE_STEPS)

    response = move(owner, ride, FRIDAY)

    assert "harder days need an easier day between" in response.content.decode()
    assert ride.date == SATURDAY


def test_a_day_holds_no_more_than_the_minutes_the_person_has(owner, profile, plan):
    profile.max_minutes_per_day = 60
    profile.save()
    PlannedSessionFactory(plan=plan, date=THURSDAY, minutes=40)
    walk = PlannedSessionFactory(plan=plan, date=SATURDAY, minutes=30)

    response = move(owner, walk, THURSDAY)

    assert "That day would hold 70 minutes, more than the 60 you have in a day" in response.content.decode()
    assert walk.date == SATURDAY
    move(owner, walk, FRIDAY)
    assert walk.date == FRIDAY


def test_a_skipped_session_leaves_its_day_free(owner, profile, plan):
    profile.max_minutes_per_day = 60
    profile.save()
    skipped = PlannedSessionFactory(plan=plan, date=THURSDAY, minutes=40, intensity="vigorous")
    skipped.mark_skipped("busy")
    run = PlannedSessionFactory(plan=plan, date=SATURDAY, minutes=30, intensity="vigorous")

    move(owner, run, THURSDAY)

    assert run.date == THURSDAY
