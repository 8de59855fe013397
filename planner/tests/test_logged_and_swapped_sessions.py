"""What a logged or swapped-in session is called and how its page guides it: the family's own form for the
effort logged (plans.log_unplanned_session), and slow lengths swapped in with the rests the engine gives them
(plans.swap_options)."""

import html

import pytest
from django.urls import reverse

from planner import catalogue, engine, plans
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


@pytest.mark.parametrize(
    ("activity", "intensity", "variant", "title", "dose"),
    [
        # "Running, 30 min, Hard": a jog, not jog and walk intervals with one "Jog and walk" step.
        ("running", "vigorous", "steady jog, breathing hard", "Jog", "Jog for 30 minutes"),
        # A moderate ride is a leisure ride, not the easy exercise bike; a moderate swim is lengths.
        (
            "cycling",
            "moderate",
            "leisurely bike ride, under 16 km/h",
            "Leisure ride",
            "Leisure ride for 30 minutes",
        ),
        (
            "swimming",
            "moderate",
            "swim lengths at a slow pace",
            "Slow lengths",
            "Slow lengths for 30 minutes",
        ),
        (
            "walking",
            "moderate",
            "walk at a steady pace, about 5 km/h",
            "Steady walk",
            "Steady walk for 30 minutes",
        ),
        ("cycling", "vigorous", "brisk bike ride, 16-19 km/h", "Brisk ride", "Brisk ride for 30 minutes"),
        (
            "swimming",
            "vigorous",
            "swim lengths at a fast pace",
            "Fast lengths",
            "Fast lengths for 30 minutes",
        ),
        # Light: the family's easy row is moderate for walking, so its light row (a stroll).
        ("walking", "light", "stroll, slower than 3 km/h", "Stroll", "Stroll for 30 minutes"),
    ],
)
def test_a_logged_session_is_the_familys_own_form_for_the_effort(
    owner, plan, activity, intensity, variant, title, dose
):
    logged = plans.log_unplanned_session(plan, activity, WEDNESDAY, 30, intensity)
    row = next(row for row in catalogue.ACTIVITIES if row.family == activity and row.variant == variant)
    assert (logged.variant, logged.compendium_code, float(logged.met), logged.intensity) == (
        variant,
        row.compendium_code,
        row.met,
        intensity,
    )
    assert logged.intervals is None
    page = owner.get(reverse("session_page", args=[logged.pk])).content.decode()
    assert f'data-title="{html.escape(title)}"' in page and f'data-dose="{html.escape(dose)}"' in page
    assert "intervals" not in page.lower() and "Jog and walk" not in page


def test_no_logged_session_is_a_row_of_intervals():
    interval_rows = {
        *(rows[0] for rows in catalogue.STEP_UP_INTERVALS.values()),
    }
    plan = PlanFactory(user=ProfileFactory().user, week_start=MONDAY)
    for activity in {row.family for row in catalogue.ACTIVITIES}:
        for intensity in ("light", "moderate", "vigorous"):
            logged = plans.log_unplanned_session(plan, activity, WEDNESDAY, 20, intensity)
            row = next(
                r for r in catalogue.ACTIVITIES if r.family == activity and r.variant == logged.variant
            )
            assert row.id not in interval_rows, (activity, intensity)


def swimmer_session(target_minutes: int):
    profile = ProfileFactory(
        onboarding_step=6, onboarded_at=WEDNESDAY_NOON, current_minutes_per_week=90, preferences=["swimming"]
    )
    plan = PlanFactory(user=profile.user, week_start=MONDAY, target_aerobic_minutes=target_minutes)
    session = PlannedSessionFactory(
        plan=plan,
        date=WEDNESDAY,
        activity="swimming",
        variant="water aerobics",
        compendium_code="18355",
        met=5.5,
        intensity="moderate",
        minutes=30,
    )
    return profile, session


def test_slow_lengths_swapped_in_get_the_rests_at_the_wall_the_engine_gives_them(client):
    profile, session = swimmer_session(100)
    options = plans.swap_options(session, profile)
    lengths = next(o for o in options if o["key"] == "swimming_laps_slow")
    assert lengths["intervals"] == engine.intervals("swimming", None, 0)
    assert lengths["intervals"][1] == {"activity": "rest", "seconds": 30, "effort": "rest"}
    session.swap_for(lengths)
    client.force_login(profile.user)
    page = client.get(reverse("session_page", args=[session.pk])).content.decode()
    assert 'data-title="Lengths with rests"' in page
    assert "rest at the wall for 30 seconds" in page


def test_people_at_the_guideline_swim_slow_lengths_continuously_as_the_engine_plans_them():
    profile, session = swimmer_session(160)
    lengths = next(o for o in plans.swap_options(session, profile) if o["key"] == "swimming_laps_slow")
    assert "intervals" not in lengths
