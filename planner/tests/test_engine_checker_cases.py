"""Plans an independent checker of docs/planner-interface.md found wrong (about 10,000 profiles and 660
twelve-week runs through `manage.py plan --jsonl`), one hand-picked profile for each kind, kept as tests."""

from planner.engine import Slot, fill_sessions
from planner.tests.invariants import plan_ok, weeks_ok

WEEK = "2026-11-23"
SIX_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat"]


def aerobic(plan: dict) -> list[dict]:
    return [s for s in plan["sessions"] if s["category"] == "aerobic"]


def minutes(plan: dict) -> int:
    return plan["totals"]["aerobic_moderate_equivalent_minutes"]


# 1. Rules 11 and 15: vigorous minutes count twice, so an odd target was one minute short (149 of 150).


ACTIVE_66 = {
    "week_start": WEEK,
    "age": 66,
    "current_minutes_per_week": 150,
    "strength_days_now": 2,
    "preferences": ["rowing", "tai_chi", "gardening", "dancing"],
    "available_days": SIX_DAYS,
    "max_minutes_per_day": 45,
}


def test_an_active_66_year_old_gets_the_whole_guideline_and_a_true_note():
    plan = plan_ok(ACTIVE_66)
    assert plan["meets_who_guideline"] and minutes(plan) >= 150
    assert plan["totals"]["balance_days"] >= 3  # rule 11
    assert any(f"this week's {minutes(plan)} minutes keep you in the WHO range" in n for n in plan["notes"])


def test_an_active_66_year_old_who_already_dances_hard_still_gets_150_minutes():
    plan = plan_ok(dict(ACTIVE_66, current_vigorous_minutes=40))
    assert any(s["intensity"] == "vigorous" for s in plan["sessions"])
    assert plan["meets_who_guideline"] and minutes(plan) >= 150


def test_the_odd_minute_a_vigorous_session_cannot_hold_is_made_up():
    moderate = [Slot(day, "rowing", False, 10, 25) for day in range(3)]
    vigorous = Slot(5, "dancing", True, 20, 45)
    shares = fill_sessions(150, [*moderate, vigorous])
    assert sum(slot.weight * share for slot, share in shares) == 150
    # No moderate minute to spare: round up (one minute more), never down.
    full = [Slot(day, "rowing", False, 25, 25) for day in range(3)]
    shares = fill_sessions(150, [*full, vigorous])
    assert sum(slot.weight * share for slot, share in shares) == 151
    # ... but never past the top of the WHO range (rule 9).
    shares = fill_sessions(300, [Slot(0, "running", True, 20, 200)])
    assert sum(slot.weight * share for slot, share in shares) == 300
    shares = fill_sessions(299, [Slot(0, "walking", False, 149, 149), Slot(2, "running", True, 20, 200)])
    assert sum(slot.weight * share for slot, share in shares) == 299


def test_an_active_80_year_old_runner_and_cyclist_reaches_150():
    person = {
        "week_start": WEEK,
        "age": 80,
        "current_minutes_per_week": 165,
        "strength_days_now": 2,
        "preferences": ["running", "cycling"],
        "available_days": SIX_DAYS,
        "max_minutes_per_day": 45,
        "history": [
            {
                "week_start": "2026-11-16",
                "planned_minutes": 151,
                "completed_minutes": 151,
                "planned_sessions": 9,
                "completed_sessions": 9,
                "vigorous_minutes": 40,
            }
        ],
    }
    plan = plan_ok(person)
    assert plan["meets_who_guideline"] and minutes(plan) >= 151


# 2. Rule 15: "You are already active: this week's 40 minutes keep you in the WHO range of 150 to 300."


def test_an_active_person_with_one_day_is_not_told_40_minutes_keep_them_in_range():
    person = {
        "week_start": WEEK,
        "age": 30,
        "current_minutes_per_week": 300,
        "available_days": ["mon"],
        "max_minutes_per_day": 60,
    }
    plan = plan_ok(person)
    notes = " ".join(plan["notes"])
    assert "WHO range" not in notes
    assert plan["notes"][0].startswith(f"This week's plan has {minutes(plan)} minutes, as many as your")
    assert "300" in plan["notes"][0]


# 3. Rule 13: "adds a little: 100 minutes, from 120 planned last week". Shorter strength and balance
# sessions keep last week's target when they can; otherwise the note says why it is lower.


def test_strength_and_balance_make_room_for_last_weeks_target():
    person = {
        "week_start": "2027-02-01",
        "age": 75,
        "current_minutes_per_week": 0,
        "available_days": ["wed", "sat"],
        "max_minutes_per_day": 90,
        "history": [
            {
                "week_start": "2027-01-25",
                "planned_minutes": 120,
                "completed_minutes": 120,
                "planned_sessions": 4,
                "completed_sessions": 4,
            }
        ],
    }
    plan = plan_ok(person)
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] == 120 == minutes(plan)
    routines = [s for s in plan["sessions"] if s["category"] in ("strength", "balance")]
    assert routines and all(10 <= s["minutes"] < 20 for s in routines)  # rule 18, shorter than usual
    assert plan["totals"]["strength_days"] == 2 and plan["totals"]["balance_days"] == 2
    assert plan["notes"][0].startswith("This week keeps to 120 minutes, like last week")
    assert "adds a little" not in " ".join(plan["notes"])


def test_a_lower_target_after_a_full_week_says_why():
    person = {
        "week_start": "2028-12-04",
        "age": 65,
        "current_minutes_per_week": 200,
        "strength_days_now": 3,
        "available_days": ["fri", "tue", "mon", "wed"],
        "max_minutes_per_day": 20,
        "prefers_gentle": True,
        "equipment": ["band"],
        "history": [
            {
                "week_start": "2028-11-27",
                "planned_minutes": 45,
                "completed_minutes": 45,
                "planned_sessions": 5,
                "completed_sessions": 1,
            }
        ],
    }
    plan = plan_ok(person)
    assert minutes(plan) == 40
    assert plan["notes"][0] == (
        "This week has 40 minutes, fewer than the 45 planned last week: that is as many as your available "
        "days hold once the strength and balance sessions have their time."
    )


def test_a_gentle_week_after_a_full_one_with_vigorous_minutes_keeps_the_target():
    person = {
        "week_start": "2025-02-17",
        "age": 30,
        "current_minutes_per_week": 1270,
        "strength_days_now": 1,
        "available_days": SIX_DAYS + ["sun"],
        "max_minutes_per_day": 120,
        "prefers_gentle": True,
        "history": [
            {
                "week_start": "2025-02-10",
                "planned_minutes": 180,
                "completed_minutes": 223,
                "planned_sessions": 7,
                "completed_sessions": 6,
                "vigorous_minutes": 40,
            }
        ],
    }
    plan = plan_ok(person)
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] == 180
    assert all(s["intensity"] != "vigorous" for s in plan["sessions"])


def test_the_top_of_the_range_is_not_called_adding_a_little():
    person = {
        "week_start": WEEK,
        "age": 30,
        "current_minutes_per_week": 300,
        "strength_days_now": 2,
        "available_days": SIX_DAYS,
        "max_minutes_per_day": 90,
        "history": [
            {
                "week_start": "2026-11-16",
                "planned_minutes": 300,
                "completed_minutes": 300,
                "planned_sessions": 8,
                "completed_sessions": 8,
            }
        ],
    }
    plan = plan_ok(person)
    assert plan["notes"][0].startswith("This week keeps to 300 minutes, like last week: the top of the WHO")


# 4. Dizziness: the note said "an exercise bike or in a pool" for a week whose one session was a walk.


def test_the_dizziness_note_describes_the_walk_actually_planned():
    person = {
        "week_start": "2027-07-26",
        "age": 40,
        "current_minutes_per_week": 0,
        "preferences": ["swimming"],
        "available_days": ["wed"],
        "max_minutes_per_day": 15,
        "health_flags": ["dizziness"],
    }
    plan = plan_ok(person)
    assert [s["activity"] for s in aerobic(plan)] == ["walking"]
    notes = " ".join(plan["notes"])
    assert "your aerobic sessions are on an exercise bike" not in notes
    assert "your swims" not in notes
    assert "A walk fills a day too short for a 20-minute swim: walk with someone" in notes


def test_a_dizzy_swimmers_target_does_not_fall_to_what_short_swims_hold():
    # Rule 13 (an independent checker): swims of at most 30 minutes on two days of 90 held 60 of last
    # week's 100; the rest of each day now has a walk, or the exercise bike for someone who chose it.
    person = {
        "week_start": "2026-11-23",
        "age": 30,
        "current_minutes_per_week": 0,
        "preferences": ["swimming"],
        "available_days": ["tue", "wed"],
        "max_minutes_per_day": 90,
        "health_flags": ["dizziness"],
        "history": [
            {
                "week_start": "2026-11-16",
                "planned_minutes": 100,
                "completed_minutes": 100,
                "planned_sessions": 5,
                "completed_sessions": 5,
            }
        ],
    }
    plan = plan_ok(person)
    assert minutes(plan) >= 100
    swims = [s for s in aerobic(plan) if s["activity"] == "swimming"]
    assert swims and all(s["minutes"] <= 30 and "lifeguard" in s["variant"] for s in swims)
    walks = [s for s in aerobic(plan) if s["activity"] == "walking"]
    assert walks and {s["date"] for s in walks} <= {s["date"] for s in swims}
    assert "A walk fills the rest of a day after a swim: walk with someone" in " ".join(plan["notes"])
    bike = plan_ok(dict(person, preferences=["swimming", "cycling"]))
    assert {s["activity"] for s in aerobic(bike)} == {"swimming", "cycling"}
    assert all("exercise bike" in s["variant"] for s in aerobic(bike) if s["activity"] == "cycling")


def test_a_dizzy_swimmer_cleared_reaches_the_guideline_within_twelve_weeks():
    person = {
        "week_start": "2026-11-23",
        "age": 30,
        "current_minutes_per_week": 0,
        "preferences": ["swimming"],
        "available_days": ["mon", "wed", "fri", "sat"],
        "max_minutes_per_day": 90,
        "health_flags": ["dizziness"],
        "cleared_by_professional": True,
    }
    assert weeks_ok(person, 1.0)[-1][1]["meets_who_guideline"]


def test_the_dizziness_note_names_the_pool_when_there_are_swims():
    person = {
        "week_start": "2027-07-26",
        "age": 40,
        "current_minutes_per_week": 60,
        "preferences": ["swimming"],
        "available_days": ["mon", "wed", "fri"],
        "max_minutes_per_day": 40,
        "health_flags": ["dizziness"],
    }
    plan = plan_ok(person)
    assert {s["activity"] for s in aerobic(plan)} == {"swimming"}
    notes = " ".join(plan["notes"])
    assert "your swims are in a pool with a lifeguard on duty" in notes and "rides" not in notes
    assert "walk instead" not in notes


# 5. Intervals counted as wholly vigorous: a brisk ride of 60 s hard / 90 s easy counted at 6.8 METs. Hard and
# easy pedalling (and fast and slow lengths) now count as moderate, at an entry not above their mean.


NEW_TO_VIGOROUS = {
    "week_start": WEEK,
    "age": 35,
    "current_minutes_per_week": 200,
    "strength_days_now": 2,
    "available_days": ["mon", "tue", "wed", "thu", "fri"],
    "max_minutes_per_day": 60,
}


def test_a_new_cyclist_steps_up_with_hard_and_easy_pedalling_counted_as_moderate_not_vigorous():
    plan = plan_ok(dict(NEW_TO_VIGOROUS, preferences=["cycling"]))
    rides = [s for s in aerobic(plan) if "intervals" in s]
    assert rides and len(rides) <= 2
    assert all(s["intensity"] == "moderate" for s in aerobic(plan))
    assert {(s["compendium_code"], s["met"]) for s in rides} == {("02011", 3.5)}
    assert minutes(plan) == sum(s["minutes"] for s in aerobic(plan))  # every minute counted once


def test_a_new_swimmer_steps_up_with_fast_and_slow_lengths_counted_as_slow_lengths():
    plan = plan_ok(dict(NEW_TO_VIGOROUS, preferences=["swimming"]))
    swims = [s for s in aerobic(plan) if "intervals" in s]
    assert swims and all(s["intensity"] == "moderate" for s in aerobic(plan))
    assert {(s["compendium_code"], s["met"]) for s in swims} == {("18240", 5.8)}
    assert all(s["intervals"][0]["effort"] == "hard" for s in swims)


def test_a_new_runner_runs_and_walks_counted_as_brisk_walking():
    plan = plan_ok(dict(NEW_TO_VIGOROUS, preferences=["running"]))
    runs = [s for s in aerobic(plan) if s["activity"] == "running"]
    assert runs and all(s["intensity"] == "moderate" for s in aerobic(plan))
    assert {(s["compendium_code"], s["met"]) for s in runs} == {("17200", 4.3)}
    assert all(s["intervals"][1] == {"activity": "walking", "seconds": 90, "effort": "easy"} for s in runs)
    assert minutes(plan) == sum(s["minutes"] for s in aerobic(plan))  # every minute counted once


# 6. From 65, a first week with no history starts moderate, unless vigorous activity is already a habit.


OLDER_DANCER = {
    "week_start": WEEK,
    "age": 70,
    "current_minutes_per_week": 200,
    "strength_days_now": 2,
    "preferences": ["running", "dancing"],
    "available_days": ["mon", "tue", "wed", "thu", "fri"],
    "max_minutes_per_day": 60,
}


def test_a_first_week_from_65_starts_moderate():
    plan = plan_ok(OLDER_DANCER)
    assert all(s["intensity"] != "vigorous" for s in plan["sessions"])
    assert plan["meets_who_guideline"]  # rule 11 still holds
    assert any("first week from 65 starts moderate" in note for note in plan["notes"])


def test_a_first_week_from_65_may_be_vigorous_for_someone_who_already_is():
    plan = plan_ok(dict(OLDER_DANCER, current_vigorous_minutes=60))
    assert any(s["intensity"] == "vigorous" for s in plan["sessions"])


def test_the_second_week_from_65_may_bring_harder_sessions_in():
    week = {
        "week_start": "2026-11-16",
        "planned_minutes": 200,
        "completed_minutes": 200,
        "planned_sessions": 10,
        "completed_sessions": 10,
    }
    plan = plan_ok(dict(OLDER_DANCER, history=[week]))
    runs = [s for s in plan["sessions"] if s["activity"] == "running"]
    assert runs and all(s["intervals"][0]["effort"] == "hard" for s in runs)


# 7. From 65, five days of 11 to 15 minutes had no balance session though a 10-minute one fits.


def test_an_older_adult_with_short_days_gets_a_balance_session():
    for most in (11, 12, 15):
        person = {
            "week_start": WEEK,
            "age": 70,
            "current_minutes_per_week": 60,
            "available_days": ["mon", "tue", "wed", "thu", "fri"],
            "max_minutes_per_day": most,
        }
        plan = plan_ok(person)
        assert plan["totals"]["balance_days"] >= 1, most
        assert minutes(plan) >= 30  # rule 20
        assert any("balance" in note.lower() for note in plan["notes"])


def test_the_days_room_counts_the_time_kept_for_a_second_strength_day_and_says_so():
    # A tester and a checker: "as many as your available days hold once the strength sessions have their
    # time", with a day half empty: its time was kept for a second strength day not planned yet.
    person = {
        "week_start": "2026-11-23",
        "age": 30,
        "current_minutes_per_week": 0,
        "available_days": ["mon", "wed", "fri"],
        "max_minutes_per_day": 30,
    }
    plan = plan_ok(person)
    assert plan["totals"]["strength_days"] == 1
    notes = " ".join(plan["notes"])
    assert "a second strength day's time included, kept free for when it comes" in notes
    assert "its time is kept free for it" in notes


def test_a_week_after_one_planned_with_nothing_is_not_called_the_first():
    person = {
        "week_start": "2028-02-07",
        "age": 30,
        "current_minutes_per_week": 0,
        "available_days": ["sun"],
        "max_minutes_per_day": 60,
        "history": [
            {
                "week_start": "2028-01-31",
                "planned_minutes": 0,
                "completed_minutes": 0,
                "planned_sessions": 2,
                "completed_sessions": 3,
            }
        ],
    }
    note = plan_ok(person)["notes"][0]
    assert note.startswith("This week starts small") and "first week" not in note
