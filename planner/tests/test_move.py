"""Moving a session to another day keeps the plan's own limits: strength and hard days apart, and a day no
longer than the person has."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PlanFactory, PlannedSessionFactory
from tests.week import MONDAY, WEDNESDAY

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


def test_the_same_move_sent_twice_says_moved_not_an_error(owner, plan):
    walk = PlannedSessionFactory(plan=plan, date=SATURDAY, minutes=20)
    move(owner, walk, FRIDAY)
    response = owner.post(reverse("session_move", args=[walk.pk]), {"date": FRIDAY.isoformat()}, follow=True)
    page = response.content.decode()
    assert "Moved to Friday." in page and "Select a valid choice" not in page
    walk.refresh_from_db()
    assert walk.date == FRIDAY


def test_a_session_of_a_week_gone_does_not_move_and_the_page_says_why(owner, profile):
    last_week = PlanFactory(user=profile.user, week_start=MONDAY - datetime.timedelta(days=7))
    missed = PlannedSessionFactory(plan=last_week, date=MONDAY - datetime.timedelta(days=3))
    response = owner.get(reverse("session_move", args=[missed.pk]), follow=True)
    assert "That week is over" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("week_detail", args=[last_week.week_start]))


def test_a_change_on_a_past_weeks_page_returns_to_that_week(owner, profile):
    last_week = PlanFactory(user=profile.user, week_start=MONDAY - datetime.timedelta(days=7))
    sunday = PlannedSessionFactory(plan=last_week, date=MONDAY - datetime.timedelta(days=1))
    response = owner.post(reverse("session_done", args=[sunday.pk]))
    assert (
        response["Location"] == f"{reverse('week_detail', args=[last_week.week_start])}#session-{sunday.pk}"
    )


def test_a_session_ticked_off_in_another_tab_is_not_skipped_from_a_stale_one(owner, plan):
    walk = PlannedSessionFactory(plan=plan, date=WEDNESDAY)
    owner.post(reverse("session_done", args=[walk.pk]))
    response = owner.post(reverse("session_skip", args=[walk.pk]), {"reason": "busy"}, follow=True)
    assert "That session is done, so there is nothing to skip." in response.content.decode()
    walk.refresh_from_db()
    assert walk.status == "done"


def test_a_tick_off_sent_after_the_login_ended_comes_back_to_the_week_after_logging_in(client, plan):
    walk = PlannedSessionFactory(plan=plan, date=WEDNESDAY)
    response = client.post(
        reverse("session_done", args=[walk.pk]), HTTP_REFERER="http://testserver/dashboard/#session-1"
    )
    assert response["Location"] == f"{reverse('account_login')}?next=/dashboard/"
    elsewhere = client.post(reverse("session_done", args=[walk.pk]), HTTP_REFERER="https://evil.example/x")
    assert elsewhere["Location"] == f"{reverse('account_login')}?next=/dashboard/"
    walk.refresh_from_db()
    assert walk.status == "planned"
