"""Rules 16-20 of docs/planner-interface.md (version 2), one or more tests each on hand-picked profiles, and
the choices behind the routines (ACSM doses, Otago, AHA, ACOG)."""

import datetime
import json

import pytest

from planner import moves
from planner.engine import make_plan
from planner.steps import routine_steps
from planner.tests.invariants import MAJOR_MUSCLE_GROUPS, plan_ok, routine_entries
from planner.tests.people import EVERY_DAY, profile


def of(plan: dict, category: str) -> list[dict]:
    return [s for s in plan["sessions"] if s["category"] == category]


def last_week(planned=100, completed=100, **extra) -> list[dict]:
    week = {
        "week_start": "2026-11-16",
        "planned_minutes": planned,
        "completed_minutes": completed,
        "planned_sessions": 5,
        "completed_sessions": 5,
    }
    return [week | extra]


ACTIVE = profile(current_minutes_per_week=240, strength_days_now=3)


# Rule 16: strength routines work all seven groups, with listed equipment only; balance routines >= 3 moves.


@pytest.mark.parametrize("equipment", [[], ["chair"], ["band"], ["weights"], ["chair", "band", "weights"]])
@pytest.mark.parametrize("who", [{}, {"age": 70}, {"health_flags": ["bone_joint"]}, {"prefers_gentle": True}])
@pytest.mark.parametrize("minutes", [10, 15, 20, 45])
def test_every_strength_routine_works_all_seven_groups_with_what_the_person_has(equipment, who, minutes):
    person = dict(ACTIVE, equipment=equipment, max_minutes_per_day=minutes) | who
    plan = plan_ok(person)
    assert of(plan, "strength")
    for session in of(plan, "strength"):
        worked = {group for move in session["routine"]["moves"] for group in move["muscle_groups"]}
        assert worked >= MAJOR_MUSCLE_GROUPS
        for move in routine_entries(session):
            assert move["equipment"] in {"none", "wall", *equipment}
            assert move["sets"] >= 1 and (move["reps"] or move["seconds"]) >= 1


def test_listed_equipment_is_used_and_unlisted_never():
    bands = plan_ok(dict(ACTIVE, equipment=["band"]))
    used = {m["equipment"] for s in of(bands, "strength") for m in routine_entries(s)}
    assert "band" in used and not used & {"weights", "chair"}
    nothing = plan_ok(ACTIVE)
    assert {m["equipment"] for s in nothing["sessions"] for m in routine_entries(s)} <= {"none", "wall"}


def test_moves_come_from_the_library_with_its_attributes():
    plan = plan_ok(dict(ACTIVE, age=70, equipment=["chair", "band"]))
    for session in plan["sessions"]:
        for part, kinds in (
            ("warm_up", {"warm_up"}),
            ("moves", {"strength", "balance"}),
            ("cool_down", {"cool_down"}),
        ):
            for entry in session.get("routine", {}).get(part, []):
                move = moves.BY_ID[entry["id"]]
                assert move.kind in kinds
                assert (entry["name"], entry["position"], entry["impact"], entry["equipment"]) == (
                    move.name,
                    move.position,
                    move.impact,
                    move.equipment,
                )
                assert entry["muscle_groups"] == list(move.muscle_groups)


@pytest.mark.parametrize(
    "person", [profile(age=70), profile(age=66, max_minutes_per_day=10), profile(preferences=["pilates"])]
)
def test_every_balance_session_has_three_or_more_moves(person):
    plan = plan_ok(person)
    assert of(plan, "balance")
    assert all(len(s["routine"]["moves"]) >= 3 for s in of(plan, "balance"))


# Rule 17: no floor or high-impact move for older, flagged or gentle people.


@pytest.mark.parametrize(
    "who",
    [
        {"age": 65},
        {"age": 90},
        {"health_flags": ["medication"]},
        {"health_flags": ["pregnant"]},
        {"prefers_gentle": True},
    ],
)
def test_careful_people_get_no_floor_and_no_jumps(who):
    plan = plan_ok(dict(ACTIVE, equipment=["chair", "band", "weights"]) | who)
    entries = [m for s in plan["sessions"] for m in routine_entries(s)]
    assert entries
    assert all(m["position"] != "floor" and m["impact"] != "high" for m in entries)


def test_careful_people_get_chair_wall_and_band_versions():
    plan = plan_ok(dict(ACTIVE, age=75, equipment=["chair", "band"]))
    positions = {m["position"] for s in of(plan, "strength") for m in s["routine"]["moves"]}
    equipment = {m["equipment"] for s in of(plan, "strength") for m in s["routine"]["moves"]}
    assert {"chair", "wall"} <= positions and "band" in equipment


def test_a_fit_younger_adult_may_get_floor_moves():
    plan = plan_ok(ACTIVE)
    assert any(m["position"] == "floor" for s in of(plan, "strength") for m in s["routine"]["moves"])


def test_no_breath_holds_with_a_heart_condition_and_nothing_on_the_back_in_pregnancy():
    heart = plan_ok(dict(ACTIVE, health_flags=["heart_condition"], equipment=["chair", "band"]))
    pregnant = plan_ok(dict(ACTIVE, health_flags=["pregnant"], equipment=["chair", "band"]))
    for plan, attribute in ((heart, "holds_breath"), (pregnant, "lies_on_back")):
        for session in plan["sessions"]:
            assert not any(getattr(moves.BY_ID[m["id"]], attribute) for m in routine_entries(session))


# Rule 18: sessions long enough to be worth doing.


@pytest.mark.parametrize("max_minutes", [10, 11, 15, 19, 20, 25, 30])
@pytest.mark.parametrize("age", [30, 70])
def test_no_session_under_ten_minutes_even_on_tight_days(max_minutes, age):
    for current in (0, 60, 200):
        person = profile(age=age, max_minutes_per_day=max_minutes, current_minutes_per_week=current)
        for session in plan_ok(person | {"preferences": ["swimming", "walking"]})["sessions"]:
            assert session["minutes"] >= 10
            if session["activity"] == "swimming":
                assert session["minutes"] >= 20


def test_swimming_never_under_twenty_minutes():
    for max_minutes in (10, 19, 20, 21, 25, 40):
        for person in (
            profile(preferences=["swimming"], max_minutes_per_day=max_minutes),
            dict(ACTIVE, preferences=["swimming"], max_minutes_per_day=max_minutes),
        ):
            swims = [s for s in plan_ok(person)["sessions"] if s["activity"] == "swimming"]
            assert all(s["minutes"] >= 20 for s in swims)


# Rule 19: stepping up gently.


@pytest.mark.parametrize("history", [[], last_week(200, 200), last_week(200, 200, vigorous_minutes=0)])
def test_at_most_two_vigorous_sessions_apart_when_vigorous_is_new(history):
    # Harder sessions: vigorous ones, and while vigorous activity is new those with hard parts, counted as
    # moderate; the engine keeps both to rule 19's days.
    person = dict(ACTIVE, preferences=["running", "cycling", "swimming"], history=history)
    plan = plan_ok(person)
    harder = sorted(
        datetime.date.fromisoformat(s["date"])
        for s in plan["sessions"]
        if s["intensity"] == "vigorous" or any(step["effort"] == "hard" for step in s.get("intervals", ()))
    )
    assert 1 <= len(harder) <= 2
    assert all((b - a).days >= 2 for a, b in zip(harder, harder[1:], strict=False))


def test_a_vigorous_habit_still_spaces_the_vigorous_days():
    person = dict(
        ACTIVE,
        preferences=["running"],
        current_vigorous_minutes=60,
        history=last_week(240, 240, vigorous_minutes=60),
    )
    plan = plan_ok(person)
    days = sorted(
        datetime.date.fromisoformat(s["date"]) for s in plan["sessions"] if s["intensity"] == "vigorous"
    )
    assert 2 <= len(days) <= 3
    assert all((b - a).days >= 2 for a, b in zip(days, days[1:], strict=False))


def test_new_runners_start_with_run_walk_intervals_that_grow():
    person = dict(ACTIVE, preferences=["running"])
    first = [s for s in plan_ok(person)["sessions"] if s["activity"] == "running"]
    assert first and all(
        s["intervals"][0] == {"activity": "running", "seconds": 60, "effort": "hard"} for s in first
    )
    assert all(
        s["intervals"][1]["activity"] == "walking" and s["intervals"][1]["seconds"] == 90 for s in first
    )
    later = dict(person, history=last_week(240, 240, vigorous_minutes=40))
    runs = [s for s in plan_ok(later)["sessions"] if s["activity"] == "running"]
    assert runs[0]["intervals"][0]["seconds"] > 60


def test_the_week_vigorous_comes_in_the_minutes_hold():
    person = dict(ACTIVE, preferences=["running"], history=last_week(200, 200, vigorous_minutes=0))
    plan = plan_ok(person)
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] == 200
    assert "one change at a time" in plan["notes"][0]


# Rule 20: some is better than none.


@pytest.mark.parametrize("planned, completed", [(60, 0), (40, 0), (30, 5), (10, 0), (5, 0), (300, 0)])
def test_a_missed_week_never_drops_below_thirty_minutes(planned, completed):
    person = profile(history=last_week(planned, completed))
    plan = plan_ok(person)
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] >= 30
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] >= 30


@pytest.mark.parametrize("days, max_minutes", [(["sat"], 60), (["mon", "thu"], 30), (EVERY_DAY, 10)])
def test_days_that_hold_an_hour_get_thirty_minutes(days, max_minutes):
    plan = plan_ok(profile(available_days=days, max_minutes_per_day=max_minutes, history=last_week(20, 0)))
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] >= 30


def test_no_note_offers_a_week_of_nothing():
    for person in (
        profile(available_days=["sun"], max_minutes_per_day=10, history=last_week(5, 0)),
        profile(),
    ):
        for note in plan_ok(person)["notes"]:
            assert " 0 minutes" not in note and " 0 active minutes" not in note


# D: doses and lengths.


def test_a_short_session_has_fewer_rounds_and_moves_than_a_long_one():
    short = of(plan_ok(dict(ACTIVE, max_minutes_per_day=10)), "strength")[0]
    long = of(plan_ok(dict(ACTIVE, max_minutes_per_day=240)), "strength")[0]
    assert short["minutes"] == 10 and long["minutes"] >= 20
    size = lambda s: s["routine"]["rounds"] * len(s["routine"]["moves"])  # noqa: E731
    assert size(short) < size(long)
    assert short["routine"]["rounds"] <= long["routine"]["rounds"]


def guide_seconds(routine: dict) -> int:
    """How long the session page's guide takes over a routine: its timed steps, about 45 seconds a set of
    repetitions (twice for a move done one side at a time), the rests between rounds."""
    seconds = 0
    for step in routine_steps(routine):
        sides = 2 if step["move_id"] and moves.BY_ID[step["move_id"]].each_side else 1
        seconds += step["seconds"] or 45 * sides
    return seconds


@pytest.mark.parametrize("who", [{}, {"age": 70}, {"prefers_gentle": True}, {"health_flags": ["bone_joint"]}])
def test_routine_takes_about_the_minutes_it_says(who):
    # A tester: "Balance and leg strength, 20 minutes" took about 9 minutes to follow, a strength session
    # of 20 minutes 12 to 14.
    for max_minutes in (10, 15, 20, 30, 60):
        for session in plan_ok(dict(ACTIVE, max_minutes_per_day=max_minutes) | who)["sessions"]:
            if "routine" not in session:
                continue
            routine = session["routine"]
            assert routine["warm_up"] and routine["cool_down"]
            assert (
                0.75 * 60 * session["minutes"] <= guide_seconds(routine) <= 60 * session["minutes"] * 1.05
            ), (
                session["minutes"],
                guide_seconds(routine),
            )
            assert routine["rounds"] in (1, 2, 3)


def test_acsm_repetitions_lighter_and_more_for_careful_people():
    fit = [m for s in of(plan_ok(ACTIVE), "strength") for m in s["routine"]["moves"] if m["reps"]]
    older = [
        m for s in of(plan_ok(dict(ACTIVE, age=70)), "strength") for m in s["routine"]["moves"] if m["reps"]
    ]
    assert all(8 <= m["reps"] <= 12 for m in fit)
    assert all(10 <= m["reps"] <= 15 for m in older)
    effort = of(plan_ok(ACTIVE), "strength")[0]["routine"]["effort"]
    assert "5 to 6 out of 10" in effort


def test_older_adults_get_multicomponent_balance_sessions_with_support():
    plan = plan_ok(profile(age=72, equipment=["chair"]))
    for session in of(plan, "balance"):
        groups = [set(m["muscle_groups"]) for m in session["routine"]["moves"]]
        assert any("balance" in g for g in groups) and any("legs" in g for g in groups)
        assert "counter" in session["routine"]["effort"] or "counter" in session["variant"]
        assert session["minutes"] >= 10
    assert any("count toward" in note and "balance" in note for note in plan["notes"])


def test_intervals_and_routines_are_byte_for_byte_the_same():
    person = dict(ACTIVE, age=70, preferences=["swimming", "running"], equipment=["band"])
    assert json.dumps(make_plan(person)) == json.dumps(make_plan(json.loads(json.dumps(person))))


def test_plans_do_not_share_routine_lists():
    first, second = make_plan(ACTIVE), make_plan(ACTIVE)
    of(first, "strength")[0]["routine"]["moves"].clear()
    assert of(second, "strength")[0]["routine"]["moves"]
