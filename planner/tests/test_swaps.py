"""Swaps stay safe: only what the engine itself could plan for the person in that slot (swap_options)."""

import datetime

import pytest
from django.urls import reverse

from planner import catalogue, plans
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]

FLOOR_ROWS = {row.id for row in catalogue.ACTIVITIES if row.floor_work}


def session_for(session_fields=None, **profile_fields):
    profile = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON, **profile_fields)
    plan = PlanFactory(user=profile.user, week_start=MONDAY)
    return profile, PlannedSessionFactory(plan=plan, date=WEDNESDAY, **(session_fields or {}))


def keys(profile, session):
    return {option["key"] for option in plans.swap_options(session, profile)}


EVERY_FAMILY = ["walking", "yoga", "dancing", "hiking", "stairs", "rowing", "running", "cycling", "swimming"]


def test_a_68_year_old_with_a_heart_condition_is_offered_no_power_yoga_or_fast_ballroom():
    profile, session = session_for(
        age=68, health_flags=["heart_condition"], current_minutes_per_week=90, preferences=EVERY_FAMILY
    )
    offered = keys(profile, session)
    assert offered
    assert not offered & ({"yoga_power", "dancing_fast_ballroom", "yoga_sun_salutation"} | FLOOR_ROWS)
    assert all(catalogue.BY_ID[key].intensity == "moderate" for key in offered)


@pytest.mark.parametrize(
    "answers",
    [
        {"age": 82, "health_flags": ["bone_joint"]},
        {"age": 31, "health_flags": ["pregnant"]},
    ],
    ids=["82 with a joint problem", "pregnant"],
)
def test_no_floor_work_and_nothing_they_did_not_choose(answers):
    profile, session = session_for(current_minutes_per_week=60, preferences=["walking", "dancing"], **answers)
    offered = keys(profile, session)
    assert not offered & FLOOR_ROWS
    assert {catalogue.BY_ID[key].family for key in offered} <= {"walking", "dancing"}
    assert not offered & {"hiking_hills", "stairs_slow", "rowing_moderate", "yoga_power"}


def test_only_the_families_the_engine_allows_and_walking():
    profile, session = session_for(preferences=["cycling"])
    families = {catalogue.BY_ID[key].family for key in keys(profile, session)}
    assert families <= {"walking", "cycling"} and "cycling" in families


def test_strength_and_balance_sessions_offer_no_activity_swap(client):
    profile, session = session_for(
        {"activity": "bodyweight", "category": "balance", "variant": "balance and leg strength"},
        age=70,
        preferences=["pilates", "strength"],
    )
    assert plans.swap_options(session, profile) == []
    client.force_login(profile.user)
    page = client.get(reverse("session_swap", args=[session.pk])).content.decode()
    assert "chosen for you" in page and "easier version" in page
    assert "Weights" not in page and "Pilates" not in page


def test_people_without_weights_are_never_offered_weights():
    profile, session = session_for(
        {"activity": "bodyweight", "category": "strength", "variant": "strength exercises"}, equipment=[]
    )
    assert plans.swap_options(session, profile) == []


def test_a_dizzy_person_is_offered_the_exercise_bike_and_a_lifeguarded_pool_only():
    profile, session = session_for(
        health_flags=["dizziness"], current_minutes_per_week=90, preferences=["cycling", "swimming"]
    )
    options = plans.swap_options(session, profile)
    for option in options:
        if option["activity"] == "cycling":
            assert "exercise bike" in option["variant"]
        if option["activity"] == "swimming":
            assert option["variant"].endswith("in a pool with a lifeguard on duty")


def test_the_swap_page_offers_only_the_engines_options(client):
    profile, session = session_for(preferences=["walking", "yoga"])
    client.force_login(profile.user)
    page = client.get(reverse("session_swap", args=[session.pk])).content.decode()
    assert "Yoga, sun salutation flow" in page
    assert "Dancing" not in page and "Hiking" not in page
    assert datetime.date(2026, 11, 25) == WEDNESDAY


def test_a_run_walk_swapped_for_a_ride_loses_its_run_walk_steps(client):
    profile, session = session_for(
        {
            "activity": "running",
            "variant": "jog and walk intervals",
            "compendium_code": "12010",
            "met": 6.0,
            "intensity": "vigorous",
            "minutes": 30,
            "intervals": [
                {"activity": "running", "seconds": 60, "effort": "hard"},
                {"activity": "walking", "seconds": 90, "effort": "easy"},
            ],
        },
        age=30,
        current_minutes_per_week=200,
        current_vigorous_minutes=60,
        preferences=["running", "cycling"],
    )
    client.force_login(profile.user)
    assert "cycling_brisk" in keys(profile, session)
    client.post(reverse("session_swap", args=[session.pk]), {"variant": "cycling_brisk"})
    session.refresh_from_db()
    assert session.activity == "cycling" and session.intervals is None
    page = client.get(reverse("session_page", args=[session.pk])).content.decode()
    assert "brisk bike ride" in page.lower()
    assert "Walk" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_ride_with_hard_parts_swapped_for_a_run_walk_gets_the_same_stage():
    ride = {
        "activity": "cycling",
        "variant": "hard and easy pedalling in turn, on a bike or an exercise bike",
        "compendium_code": "02011",
        "met": 3.5,
        "intensity": "moderate",
        "minutes": 30,
        "intervals": [
            {"activity": "cycling", "seconds": 60, "effort": "hard"},
            {"activity": "cycling", "seconds": 90, "effort": "easy"},
        ],
    }
    profile, session = session_for(
        ride, age=30, current_minutes_per_week=200, preferences=["running", "cycling"]
    )
    run_walk = next(o for o in plans.swap_options(session, profile) if o["key"] == "running_jog_walk")
    session.swap_for(run_walk)
    session.refresh_from_db()
    assert (session.activity, float(session.met), session.intensity) == ("running", 4.3, "moderate")
    assert session.intervals == [
        {"activity": "running", "seconds": 60, "effort": "hard"},
        {"activity": "walking", "seconds": 90, "effort": "easy"},
    ]


def test_hard_parts_are_offered_only_in_place_of_hard_parts():
    # A walk swapped for a run/walk could put hard days back to back: the week keeps its harder days.
    profile, walk = session_for(age=30, current_minutes_per_week=200, preferences=["running", "cycling"])
    assert walk.intensity == "moderate" and not walk.intervals
    assert not keys(profile, walk) & catalogue.HARD_AND_EASY_ROWS


def test_someone_new_to_hard_sessions_is_not_offered_a_continuous_hard_run_or_ride():
    profile, session = session_for(
        {"activity": "running", "variant": "jog and walk intervals", "intensity": "vigorous", "met": 6.0},
        age=30,
        current_minutes_per_week=200,
        current_vigorous_minutes=0,
        preferences=["running", "cycling"],
    )
    offered = keys(profile, session)
    assert not offered & {"running_jog", "cycling_brisk"}
    profile.current_vigorous_minutes = 60  # already does hard sessions: the continuous forms are theirs
    profile.save()
    assert {"running_jog", "cycling_brisk"} <= keys(profile, session)
