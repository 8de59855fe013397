"""Property tests: every interface rule (1-15) over random valid profiles, and over random 12-week runs."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue import ACTIVITY_NAMES
from planner.engine import make_plan
from planner.models import PlannedSession
from planner.tests.invariants import assert_plan_ok, assert_progression_ok, is_already_active
from planner.tests.profiles import profiles, simulate

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(profiles())
def test_every_rule_holds_for_every_valid_profile(person):
    plan = make_plan(person)
    assert_plan_ok(person, plan, ACTIVITY_NAMES)
    assert_progression_ok(person, plan)


@SETTINGS
@given(profiles())
def test_same_profile_same_plan_byte_for_byte(person):
    first = json.dumps(make_plan(person))
    again = json.dumps(make_plan(json.loads(json.dumps(person))))
    assert first == again


@SETTINGS
@given(profiles())
def test_the_profile_is_not_changed(person):
    before = json.dumps(person)
    make_plan(person)
    assert json.dumps(person) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profiles(with_history=False),
    st.lists(st.sampled_from([0.0, 0.3, 0.5, 0.7, 0.8, 1.0, 1.3]), min_size=12, max_size=12),
)
def test_every_rule_holds_week_after_week(person, completions):
    previous = None
    for week_profile, plan in simulate(person, 12, lambda week: completions[week], make_plan):
        assert_plan_ok(week_profile, plan, ACTIVITY_NAMES)
        assert_progression_ok(week_profile, plan, previous)
        previous = plan


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(with_history=False))
def test_twelve_full_weeks_from_nothing_reach_the_guideline_when_the_time_allows(person):
    # A low check-in (gentle_reason "checkin") holds the week on purpose: rule 13 is about people building up.
    person = dict(person, current_minutes_per_week=0, gentle_reason="asked")
    weeks = simulate(person, 12, 1.0, make_plan)
    previous = None
    for week_profile, plan in weeks:
        assert_plan_ok(week_profile, plan, ACTIVITY_NAMES)
        assert_progression_ok(week_profile, plan, previous)
        previous = plan
    # Rule 13, whatever the health answers (chest pain or dizziness not cleared build up in smaller steps).
    assert weeks[-1][1]["meets_who_guideline"] == has_time_for_the_guideline(person), weeks[-1][1]


def has_time_for_the_guideline(person: dict) -> bool:
    """The least a week must hold for the guideline: 150 minutes, two strength days apart, and from 65 three
    balance days, each session at least 10 minutes (rule 18); and no supervised-only flag. (Checked
    exhaustively over every set of days and 10-240 minutes: the engine gets there in 12 weeks exactly when
    this holds.)"""
    if "supervised_only" in person.get("health_flags", []):
        return False
    order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days = sorted(order.index(day) for day in person["available_days"])
    pair = any(b - a >= 2 for i, a in enumerate(days) for b in days[i + 1 :])
    older = person["age"] >= 65
    needed = 150 + 2 * 10 + (3 * 10 if older else 0)
    if not pair or (older and len(days) < 3):
        return False
    return len(days) * person["max_minutes_per_day"] >= needed


@SETTINGS
@given(profiles())
def test_a_gentle_week_after_a_low_check_in_takes_no_more_time_than_before(person):
    # Before: last week's planned minutes in clock time (its vigorous minutes were counted twice), or with no
    # history what the person does now; rule 12's small first week from nothing; rules 10 and 20 may ask more.
    person = dict(person, prefers_gentle=True, gentle_reason="checkin")
    plan = make_plan(person)
    clock = sum(
        s["minutes"] for s in plan["sessions"] if s["category"] == "aerobic" and s["intensity"] != "light"
    )
    history = person.get("history") or []
    if history and history[-1]["planned_minutes"]:
        before = history[-1]["planned_minutes"] - history[-1].get("vigorous_minutes", 0)
    elif person["current_minutes_per_week"]:
        before = person["current_minutes_per_week"] - person.get("current_vigorous_minutes", 0)
    else:
        before = 60
    assert clock <= max(before, 150 if is_already_active(person) else 30), (clock, before)


@SETTINGS
@given(profiles())
def test_every_session_fits_the_columns_it_is_stored_in(person):
    # PostgreSQL refuses a value longer than its column, SQLite does not: a strength session's variant named
    # every place its moves need ("standing, at a wall, with a chair, with a band, with weights and on the
    # floor") and passed the 120 characters its column had.
    for session in make_plan(person)["sessions"]:
        for field in ("activity", "variant", "compendium_code", "category", "intensity"):
            assert len(session[field]) <= PlannedSession._meta.get_field(field).max_length, (field, session)
