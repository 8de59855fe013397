"""What a good plan looks like beyond the hard rules, and the catalogue behind it."""

import ast
from pathlib import Path

import pytest

from planner import catalogue
from planner.catalogue import ACTIVITIES, ACTIVITY_NAMES, MAJOR_MUSCLE_GROUPS, intensity_for_met
from planner.engine import make_plan

EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ACTIVE = {
    "week_start": "2026-11-23",
    "age": 40,
    "current_minutes_per_week": 200,
    "strength_days_now": 2,
    "available_days": EVERY_DAY,
    "max_minutes_per_day": 60,
}


def beginner(**fields):
    return ACTIVE | {"current_minutes_per_week": 0, "strength_days_now": 0} | fields


def aerobic(plan):
    return [s for s in plan["sessions"] if s["category"] == "aerobic"]


# The catalogue.


def test_catalogue_covers_the_interface_vocabulary():
    for family in ("walking", "yoga", "dancing", "cycling", "running", "swimming", "strength"):
        assert family in ACTIVITY_NAMES
    assert {activity.family for activity in ACTIVITIES} == set(ACTIVITY_NAMES)


def test_catalogue_rows_are_complete_and_consistent():
    ids = [activity.id for activity in ACTIVITIES]
    assert len(ids) == len(set(ids))
    for activity in ACTIVITIES:
        assert activity.compendium_code.isdigit() and len(activity.compendium_code) == 5
        assert activity.category in ("aerobic", "strength", "balance", "flexibility")
        assert activity.intensity == intensity_for_met(activity.met)
        assert activity.name and activity.variant and activity.mood.endswith(".")


def test_every_level_points_at_a_row_of_its_own_family_and_intensity():
    for family, levels in catalogue.AEROBIC_LEVELS.items():
        for level, row in levels.items():
            activity = catalogue.BY_ID[row]
            assert activity.family == family and activity.category == "aerobic"
            assert activity.intensity == ("vigorous" if level == "vigorous" else "moderate"), row


def test_compendium_values_match_the_domain_table():
    known = {"17200": 4.3, "02150": 2.5, "15670": 3.0, "03031": 7.8, "12020": 7.0, "18230": 9.8, "02054": 3.5}
    rows = {activity.compendium_code: activity.met for activity in ACTIVITIES}
    for code, met in known.items():
        assert rows[code] == met


def test_intensity_bands():
    assert intensity_for_met(2.9) == "light"
    assert intensity_for_met(3.0) == "moderate"
    assert intensity_for_met(5.9) == "moderate"
    assert intensity_for_met(6.0) == "vigorous"


def test_engine_and_catalogue_do_not_import_django():
    for name in ("engine.py", "catalogue.py", "validation.py"):
        tree = ast.parse((Path(catalogue.__file__).parent / name).read_text())
        imported = [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        ] + [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not any(module and module.startswith("django") for module in imported), name


# Spread, length, variety.


def test_aerobic_minutes_spread_over_three_or_more_days():
    for person in (beginner(), ACTIVE, beginner(available_days=["mon", "wed", "fri", "sat"])):
        assert len({s["date"] for s in aerobic(make_plan(person))}) >= 3


def test_sessions_are_at_least_ten_minutes_when_the_day_allows():
    for person in (beginner(), ACTIVE, beginner(age=70), ACTIVE | {"age": 70, "max_minutes_per_day": 45}):
        assert all(s["minutes"] >= 10 for s in make_plan(person)["sessions"])


def test_preferred_activities_rotate_through_the_week():
    plan = make_plan(ACTIVE | {"preferences": ["cycling", "swimming", "dancing"]})
    # Each day's first aerobic session (a second one is the rest of a short session with hard parts' day).
    activities = list({s["date"]: s["activity"] for s in reversed(aerobic(plan))}.values())[::-1]
    assert set(activities) == {"cycling", "swimming", "dancing"}
    assert all(a != b for a, b in zip(activities, activities[1:], strict=False))


def test_gentle_options_come_first_for_beginners():
    plan = make_plan(beginner(preferences=["swimming", "cycling", "yoga"]))
    assert aerobic(plan)[0]["activity"] == "yoga"


# Strength and balance.


def test_strength_works_every_major_muscle_group_and_says_so():
    for person in (ACTIVE, ACTIVE | {"preferences": ["strength"]}, ACTIVE | {"preferences": ["bodyweight"]}):
        strength = [s for s in make_plan(person)["sessions"] if s["category"] == "strength"]
        assert len(strength) == 2
        for session in strength:
            assert all(group in session["why"] for group in MAJOR_MUSCLE_GROUPS)


def test_people_who_chose_weights_and_have_them_get_weights():
    plan = make_plan(ACTIVE | {"preferences": ["strength"], "equipment": ["weights"]})
    strength = [s for s in plan["sessions"] if s["category"] == "strength"]
    assert {s["activity"] for s in strength} == {"strength"}
    assert all(any(m["equipment"] == "weights" for m in s["routine"]["moves"]) for s in strength)


def test_without_weights_listed_strength_uses_none():
    """Rule 16: a routine needs only a wall, nothing, or what the person listed."""
    plan = make_plan(ACTIVE | {"preferences": ["strength"]})
    strength = [s for s in plan["sessions"] if s["category"] == "strength"]
    assert strength and {s["activity"] for s in strength} == {"bodyweight"}
    assert all(m["equipment"] in ("none", "wall") for s in strength for m in s["routine"]["moves"])


def test_older_adults_get_balance_on_three_days():
    plan = make_plan(beginner(age=70))
    balance = {s["date"] for s in plan["sessions"] if s["category"] == "balance"}
    assert len(balance) == 3
    assert plan["target"]["balance_days"] == 3


def test_balance_days_avoid_strength_days_when_there_is_room():
    plan = make_plan(ACTIVE | {"age": 70})
    strength = {s["date"] for s in plan["sessions"] if s["category"] == "strength"}
    balance = {s["date"] for s in plan["sessions"] if s["category"] == "balance"}
    assert not strength & balance


def test_beginners_start_with_one_strength_day_then_two():
    person = beginner()
    first = make_plan(person)
    history = [
        {
            "week_start": "2026-11-16",
            "planned_minutes": 60,
            "completed_minutes": 60,
            "planned_sessions": 4,
            "completed_sessions": 4,
        }
    ]
    second = make_plan(person | {"history": history, "week_start": "2026-11-23"})
    assert first["totals"]["strength_days"] == 1 and second["totals"]["strength_days"] == 2


# Vigorous only for the right people.


@pytest.mark.parametrize(
    "person",
    [
        beginner(preferences=["running", "cycling"]),
        ACTIVE | {"preferences": ["running"], "prefers_gentle": True},
        ACTIVE | {"preferences": ["running"], "health_flags": ["bone_joint"]},
        ACTIVE | {"preferences": ["running"], "health_flags": ["pregnant"]},
        ACTIVE | {"preferences": ["walking", "yoga"]},  # active, but chose nothing vigorous
    ],
)
def test_no_vigorous_sessions_unless_active_unflagged_and_chosen(person):
    assert all(s["intensity"] != "vigorous" for s in make_plan(person)["sessions"])


def test_active_runners_run():
    plan = make_plan(ACTIVE | {"preferences": ["running"], "current_vigorous_minutes": 90})
    runs = [s for s in aerobic(plan) if s["activity"] == "running"]
    assert runs and all(s["intensity"] == "vigorous" and "intervals" not in s for s in runs)
    assert plan["meets_who_guideline"]


def test_an_active_walker_new_to_running_runs_and_walks_counted_as_brisk_walking():
    plan = make_plan(ACTIVE | {"preferences": ["running"]})
    runs = [s for s in aerobic(plan) if s["activity"] == "running"]
    assert runs and all(
        s["intervals"][0] == {"activity": "running", "seconds": 60, "effort": "hard"} for s in runs
    )
    assert all((s["compendium_code"], s["met"], s["intensity"]) == ("17200", 4.3, "moderate") for s in runs)
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] == sum(s["minutes"] for s in aerobic(plan))


def test_vigorous_lets_a_short_week_hold_the_guideline():
    person = ACTIVE | {
        "current_vigorous_minutes": 90,
        "preferences": ["running"],
        "available_days": ["mon", "wed", "fri"],
        "max_minutes_per_day": 45,
    }
    assert make_plan(person)["meets_who_guideline"]
    walker = person | {"preferences": ["walking"]}
    assert not make_plan(walker)["meets_who_guideline"]


# Words.


def test_every_session_has_one_sentence_why():
    for person in (ACTIVE | {"age": 70, "preferences": list(ACTIVITY_NAMES)}, beginner()):
        for session in make_plan(person)["sessions"]:
            assert session["why"].endswith(".") and session["why"].count(". ") == 0


def test_notes_explain_the_target():
    assert "starts small" in make_plan(beginner())["notes"][0]
    assert "already active" in make_plan(ACTIVE)["notes"][0]


def test_the_talk_test_explains_moderate():
    assert any("talk but not sing" in note for note in make_plan(beginner())["notes"])
