"""One or more tests per rule of docs/planner-interface.md, on hand-picked profiles."""

import datetime

import pytest

from planner.tests.invariants import count_totals, intensity_of, plan_ok
from planner.tests.people import EVERY_DAY, profile

ACTIVE = profile(current_minutes_per_week=240, strength_days_now=3, max_minutes_per_day=60)


# Rule 1: sessions fall in the week, on available days, with the right weekday.


def test_sessions_fall_on_available_days_of_the_week():
    person = profile(available_days=["tue", "thu", "sat"], current_minutes_per_week=100)
    plan = plan_ok(person)
    assert plan["sessions"]
    assert {s["weekday"] for s in plan["sessions"]} <= {"tue", "thu", "sat"}
    for session in plan["sessions"]:
        day = datetime.date.fromisoformat(session["date"])
        assert datetime.date(2026, 11, 23) <= day <= datetime.date(2026, 11, 29)
        assert session["weekday"] == EVERY_DAY[day.weekday()]


def test_plan_keeps_the_week_start():
    assert plan_ok(profile(week_start="2027-01-04"))["week_start"] == "2027-01-04"


def test_only_sunday_available():
    plan = plan_ok(profile(available_days=["sun"]))
    assert {s["date"] for s in plan["sessions"]} == {"2026-11-29"}


# Rule 2: a day's minutes within the limit, sessions at least 5 minutes.


@pytest.mark.parametrize("max_minutes", [10, 11, 14, 15, 19, 20, 25, 37, 45, 240])
@pytest.mark.parametrize("age", [30, 70])
def test_day_minutes_stay_within_max_minutes_per_day(max_minutes, age):
    for current in (0, 120, 400):
        person = profile(age=age, max_minutes_per_day=max_minutes, current_minutes_per_week=current)
        plan = plan_ok(person)
        per_day = {}
        for session in plan["sessions"]:
            assert session["minutes"] >= 5
            per_day[session["date"]] = per_day.get(session["date"], 0) + session["minutes"]
        assert max(per_day.values()) <= max_minutes


def test_ten_minutes_on_one_day_still_plans_something():
    plan = plan_ok(profile(available_days=["wed"], max_minutes_per_day=10, age=80))
    assert sum(s["minutes"] for s in plan["sessions"]) <= 10
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] > 0


# Rule 3: aerobic activities from the preferences, or walking.


def test_aerobic_sessions_use_preferences():
    plan = plan_ok(profile(preferences=["cycling", "swimming"], current_minutes_per_week=150))
    aerobic = {s["activity"] for s in plan["sessions"] if s["category"] == "aerobic"}
    assert aerobic == {"cycling", "swimming"}


def test_no_preferences_means_walking():
    plan = plan_ok(profile())
    assert {s["activity"] for s in plan["sessions"] if s["category"] == "aerobic"} == {"walking"}


def test_running_for_a_beginner_becomes_walking():
    plan = plan_ok(profile(preferences=["running"]))
    assert {s["activity"] for s in plan["sessions"] if s["category"] == "aerobic"} == {"walking"}
    assert any("Running" in note for note in plan["notes"])


# Rule 4: totals add up from the sessions.


def test_totals_count_vigorous_twice_and_other_categories_not_at_all():
    # A runner already (current_vigorous_minutes): from 65, a first week is moderate otherwise.
    plan = plan_ok(dict(ACTIVE, preferences=["running", "walking"], age=70, current_vigorous_minutes=60))
    sessions = plan["sessions"]
    assert any(s["intensity"] == "vigorous" for s in sessions)
    assert any(s["category"] == "balance" for s in sessions)
    expected = sum(
        s["minutes"] * {"moderate": 1, "vigorous": 2}.get(s["intensity"], 0)
        for s in sessions
        if s["category"] == "aerobic"
    )
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] == expected
    assert plan["totals"] == count_totals(sessions)


# Rule 5: intensity follows the MET value.


def test_intensity_agrees_with_met():
    for person in (ACTIVE, dict(ACTIVE, preferences=["running", "dancing", "yoga"]), profile(age=90)):
        for session in plan_ok(person)["sessions"]:
            assert session["intensity"] == intensity_of(session["met"])


# Rule 6: safety.


@pytest.mark.parametrize(
    "flag",
    [
        "heart_condition",
        "chest_pain",
        "dizziness",
        "chronic_condition",
        "medication",
        "bone_joint",
        "pregnant",
    ],
)
def test_any_health_flag_means_no_vigorous_and_a_note_to_see_a_professional(flag):
    person = dict(ACTIVE, preferences=["running", "cycling", "swimming"], health_flags=[flag])
    plan = plan_ok(person)
    assert plan["sessions"]
    assert all(s["intensity"] != "vigorous" for s in plan["sessions"])
    assert any("doctor or a qualified exercise professional" in note for note in plan["notes"])


def test_prefers_gentle_means_no_vigorous():
    person = dict(ACTIVE, preferences=["running", "dancing", "cycling"], prefers_gentle=True)
    plan = plan_ok(person)
    assert all(s["intensity"] != "vigorous" for s in plan["sessions"])
    assert plan["meets_who_guideline"]  # gentle is not less: moderate activity still meets the guideline


def test_supervised_only_means_no_sessions_and_says_why():
    plan = plan_ok(dict(ACTIVE, health_flags=["supervised_only", "medication"]))
    assert plan["sessions"] == []
    assert plan["meets_who_guideline"] is False
    assert any("supervis" in note for note in plan["notes"])
    assert any("doctor" in note for note in plan["notes"])


def test_depression_or_antidepressants_do_not_stop_anyone():
    plan = plan_ok(profile(health_flags=["chronic_condition", "medication"]))
    assert plan["sessions"]
    assert any("does not stop you" in note for note in plan["notes"])


# Rule 7: strength never on consecutive days.


@pytest.mark.parametrize(
    "days",
    [EVERY_DAY, ["mon", "tue"], ["mon", "sun"], ["sat", "sun"], ["mon", "tue", "wed"], ["fri", "sat", "sun"]],
)
def test_strength_days_are_never_consecutive(days):
    plan = plan_ok(dict(ACTIVE, available_days=days))
    dates = sorted({s["date"] for s in plan["sessions"] if s["category"] == "strength"})
    for earlier, later in zip(dates, dates[1:], strict=False):
        gap = datetime.date.fromisoformat(later) - datetime.date.fromisoformat(earlier)
        assert gap.days >= 2


def test_two_neighbouring_days_hold_one_strength_day_only():
    plan = plan_ok(dict(ACTIVE, available_days=["mon", "tue"], max_minutes_per_day=120))
    assert plan["totals"]["strength_days"] == 1
    assert plan["meets_who_guideline"] is False


def test_monday_and_sunday_are_avoided_as_a_strength_pair_when_possible():
    plan = plan_ok(dict(ACTIVE, available_days=["mon", "thu", "sun"]))
    weekdays = {s["weekday"] for s in plan["sessions"] if s["category"] == "strength"}
    assert len(weekdays) == 2 and weekdays != {"mon", "sun"}


# Rule 8: meets_who_guideline exactly from the totals.


def test_meets_guideline_true_when_all_parts_are_there():
    plan = plan_ok(ACTIVE)
    totals = plan["totals"]
    assert totals["aerobic_moderate_equivalent_minutes"] >= 150 and totals["strength_days"] >= 2
    assert plan["meets_who_guideline"] is True


def test_meets_guideline_needs_balance_from_65():
    plan = plan_ok(dict(ACTIVE, age=65))
    assert plan["totals"]["balance_days"] >= 3 and plan["meets_who_guideline"] is True
    short = plan_ok(dict(ACTIVE, age=65, available_days=["mon", "wed"], max_minutes_per_day=240))
    assert short["totals"]["balance_days"] < 3
    assert short["meets_who_guideline"] is False


def test_first_week_of_a_beginner_does_not_claim_the_guideline():
    plan = plan_ok(profile())
    assert plan["meets_who_guideline"] is False


# Rule 9: never above 300 moderate-equivalent minutes.


@pytest.mark.parametrize("current", [300, 301, 500, 2000])
def test_never_more_than_300_minutes(current):
    person = dict(ACTIVE, current_minutes_per_week=current, max_minutes_per_day=240, preferences=["running"])
    plan = plan_ok(person)
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] <= 300
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] <= 300


def test_history_of_huge_weeks_still_caps_at_300():
    history = [
        {
            "week_start": "2026-11-16",
            "planned_minutes": 5000,
            "completed_minutes": 5000,
            "planned_sessions": 7,
            "completed_sessions": 7,
        }
    ]
    plan = plan_ok(dict(ACTIVE, max_minutes_per_day=240, history=history))
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] == 300


# Rules 10 and 11: people already active meet the guideline now.


@pytest.mark.parametrize("days", [EVERY_DAY[:5], EVERY_DAY[2:], ["mon", "tue", "thu", "fri", "sun"]])
@pytest.mark.parametrize("age", [18, 40, 64])
def test_already_active_adults_meet_the_guideline_with_the_least_time(days, age):
    person = profile(
        age=age,
        current_minutes_per_week=150,
        strength_days_now=2,
        available_days=days,
        max_minutes_per_day=45,
    )
    assert plan_ok(person)["meets_who_guideline"] is True


@pytest.mark.parametrize("days", [EVERY_DAY[:5], EVERY_DAY[2:], ["mon", "wed", "thu", "sat", "sun"]])
@pytest.mark.parametrize("age", [65, 80, 120])
def test_already_active_older_adults_also_get_three_balance_days(days, age):
    person = profile(
        age=age,
        current_minutes_per_week=150,
        strength_days_now=2,
        available_days=days,
        max_minutes_per_day=45,
    )
    plan = plan_ok(person)
    assert plan["meets_who_guideline"] is True
    assert plan["totals"]["balance_days"] >= 3


def test_already_active_and_gentle_still_meets_the_guideline():
    plan = plan_ok(dict(ACTIVE, prefers_gentle=True, max_minutes_per_day=45, available_days=EVERY_DAY[:5]))
    assert plan["meets_who_guideline"] is True


def test_already_active_after_a_barely_done_week_keeps_the_guideline_and_rule_14():
    history = [
        {
            "week_start": "2026-11-16",
            "planned_minutes": 120,
            "completed_minutes": 10,
            "planned_sessions": 5,
            "completed_sessions": 1,
        }
    ]
    plan = plan_ok(dict(ACTIVE, history=history))
    assert plan["meets_who_guideline"] is True
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] <= 120


# Rule 12: from nothing, start small.


@pytest.mark.parametrize("age", [18, 45, 70, 120])
@pytest.mark.parametrize("max_minutes", [10, 30, 240])
def test_first_week_from_nothing_is_small_but_not_empty(age, max_minutes):
    plan = plan_ok(profile(age=age, max_minutes_per_day=max_minutes))
    assert 0 < plan["totals"]["aerobic_moderate_equivalent_minutes"] < 150


def test_beginner_starts_with_about_an_hour_of_easy_walking():
    plan = plan_ok(profile())
    aerobic = [s for s in plan["sessions"] if s["category"] == "aerobic"]
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] == 60
    assert all(
        s["activity"] == "walking" and s["intensity"] == "moderate" and s["met"] <= 3.5 for s in aerobic
    )


# Rule 15: a plan that falls short says so.


def test_too_little_time_says_what_is_missing():
    plan = plan_ok(dict(ACTIVE, available_days=["mon", "wed", "fri"], max_minutes_per_day=30))
    assert plan["meets_who_guideline"] is False
    text = " ".join(plan["notes"])
    assert "guideline" in text and "150" in text
    assert "Your available time cannot hold the whole guideline" in text


def test_older_adult_with_two_days_is_told_balance_needs_three():
    plan = plan_ok(profile(age=75, available_days=["tue", "fri"], max_minutes_per_day=120))
    text = " ".join(plan["notes"])
    assert "balance on 2 of the 3 days" in text
    assert "balance needs 3 days" in text


def test_a_beginner_is_told_the_plan_builds_up():
    plan = plan_ok(profile())
    assert any("builds towards the guideline" in note for note in plan["notes"])
