"""A week that has already begun is planned from the given day on (engine.rest_of_week)."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.engine import make_plan, within_clock_minutes
from planner.tests.invariants import count_totals, who_guideline_met
from planner.tests.profiles import profiles


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.integers(1, 6))
def test_the_days_left_keep_the_whole_weeks_sessions_and_claim_only_what_they_hold(person, days_gone):
    first_day = datetime.date.fromisoformat(person["week_start"]) + datetime.timedelta(days=days_gone)
    whole = make_plan(person)
    part = make_plan(person, first_day)

    supervised = "supervised_only" in person.get("health_flags", [])
    assert part["sessions"] == [s for s in whole["sessions"] if s["date"] >= first_day.isoformat()]
    assert part["totals"] == count_totals(part["sessions"])
    assert part["meets_who_guideline"] == who_guideline_met(part["totals"], person["age"])
    target = part["target"]["aerobic_moderate_equivalent_minutes"]
    assert target <= part["totals"]["aerobic_moderate_equivalent_minutes"]
    assert target <= whole["target"]["aerobic_moderate_equivalent_minutes"]
    notes = " ".join(part["notes"]).lower()
    if person.get("health_flags"):
        assert "doctor" in notes  # the safety notes stay
    if not supervised:
        assert first_day.strftime("%A").lower() in notes or "starts on monday" in notes
        if not part["meets_who_guideline"]:
            assert "guideline" in notes


def test_monday_is_the_whole_week():
    person = {
        "week_start": "2026-11-23",
        "age": 40,
        "current_minutes_per_week": 0,
        "available_days": ["mon", "wed", "fri", "sun"],
        "max_minutes_per_day": 30,
    }
    assert make_plan(person, datetime.date(2026, 11, 23)) == make_plan(person)


def test_no_day_left_means_the_plan_starts_next_monday():
    person = {
        "week_start": "2026-11-23",
        "age": 40,
        "current_minutes_per_week": 0,
        "available_days": ["mon", "tue"],
        "max_minutes_per_day": 30,
    }
    plan = make_plan(person, datetime.date(2026, 11, 26))
    assert plan["sessions"] == []
    assert plan["meets_who_guideline"] is False
    assert "your plan starts on Monday" in plan["notes"][0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.integers(0, 6), st.integers(0, 300))
def test_a_gentle_week_begun_keeps_to_the_time_left_in_sessions_worth_the_trip(person, days_gone, most):
    first_day = datetime.date.fromisoformat(person["week_start"]) + datetime.timedelta(days=days_gone)
    sessions = make_plan(dict(person, prefers_gentle=True))["sessions"]
    start = first_day.isoformat()

    def counted(session):
        return (
            session["date"] >= start and session["category"] == "aerobic" and session["intensity"] != "light"
        )

    kept = within_clock_minutes(sessions, first_day, most)

    assert sum(s["minutes"] for s in kept if counted(s)) <= most
    assert [s for s in kept if not counted(s)] == [
        s for s in sessions if not counted(s)
    ]  # the rest as it was
    for session in filter(counted, kept):
        assert session["minutes"] >= (20 if session["activity"] == "swimming" else 10)  # rule 18
        # The same session as planned, no longer than it was.
        planned = next(s for s in sessions if {**s, "minutes": session["minutes"]} == session)
        assert session["minutes"] <= planned["minutes"]
    if sum(s["minutes"] for s in sessions if counted(s)) <= most:
        assert kept == sessions  # nothing to take away
