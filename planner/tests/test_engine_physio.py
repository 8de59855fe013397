"""A physiotherapist's review of the plans: yoga and Pilates under rule 17, names that match the routine,
equipment and props, beginners, a day with two routines, true notes, words that agree with the intensity."""

import re

import pytest

from planner import catalogue, moves
from planner.tests import people
from planner.tests.invariants import plan_ok, routine_entries

CAREFUL = {
    "gentle yogi": people.GENTLE_YOGI,
    "pregnant Pilates": people.PREGNANT_PILATES,
    "70 and yoga": people.OLDER_YOGI,
    "82 with a joint problem": people.JOINTS_82,
    "68 with a heart condition": people.HEART_68,
}


# --- 1. Yoga and Pilates under rule 17 ---------------------------------------------------------------------


@pytest.mark.parametrize("profile", CAREFUL.values(), ids=CAREFUL.keys())
def test_rule_17_people_get_no_floor_plank_or_lying_activity(profile):
    for session in plan_ok(profile)["sessions"]:
        rows = [r for r in catalogue.ACTIVITIES if r.variant == session["variant"]]
        assert not any(row.floor_work for row in rows), session
        assert "sun salutation" not in session["variant"] and "Pilates" not in session["variant"], session


def test_their_yoga_is_gentle_standing_and_chair_yoga_light_and_not_counted():
    plan = plan_ok(people.GENTLE_YOGI)
    yoga = [s for s in plan["sessions"] if s["activity"] == "yoga"]
    assert len(yoga) == 1
    assert yoga[0]["intensity"] == "light" and yoga[0]["met"] < 3.0
    assert "chair" in yoga[0]["variant"] and "no floor" in yoga[0]["variant"]
    aerobic = sum(s["minutes"] for s in plan["sessions"] if s["category"] == "aerobic")
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] == aerobic  # the yoga counts nothing
    assert any("light activity" in note for note in plan["notes"])


def test_a_pregnant_person_who_chose_pilates_gets_a_named_standing_balance_routine():
    plan = plan_ok(people.PREGNANT_PILATES)
    balance = [s for s in plan["sessions"] if s["category"] == "balance"]
    assert balance and all(s["activity"] != "pilates" for s in balance)
    assert all("kitchen counter" in s["variant"] for s in balance)
    assert any("Mat Pilates is done lying and kneeling" in note for note in plan["notes"])


def test_younger_people_who_may_use_the_floor_get_pilates_style_mat_work():
    profile = people.person(age=30, current_minutes_per_week=60, preferences=["pilates"])
    pilates = [s for s in plan_ok(profile)["sessions"] if s["activity"] == "pilates"]
    assert pilates
    ids = {move["id"] for move in pilates[0]["routine"]["moves"]}
    assert ids <= {
        "dead_bug",
        "bird_dog",
        "glute_bridge",
        "side_leg_raise",
        "one_leg_stand",
        "plank",
        "back_extension",
        "tandem_stance",
    }
    assert "mat" in pilates[0]["variant"]


# --- 2. Names from the routine built -----------------------------------------------------------------------


@pytest.mark.parametrize("profile", [*people.EVERYONE.values(), people.BUSY_82, people.WEIGHTS_NO_CHAIR])
def test_strength_and_balance_sessions_are_named_from_their_routine(profile):
    for session in plan_ok(profile)["sessions"]:
        if session["category"] not in ("strength", "balance") or session["activity"] == "pilates":
            continue
        main = [moves.BY_ID[entry["id"]] for entry in session["routine"]["moves"]]
        variant = session["variant"]
        assert ("with a chair" in variant or "a chair for" in variant) == any(map(moves.needs_chair, main))
        if session["category"] == "strength":
            assert ("at a wall" in variant) == any(m.equipment == "wall" for m in main), variant
            assert ("with weights" in variant) == any(m.equipment == "weights" for m in main), variant
            assert "no equipment" not in variant


# --- 3. Equipment and each side ----------------------------------------------------------------------------


def test_a_seated_move_needs_the_chair_even_with_weights():
    plan = plan_ok(people.WEIGHTS_NO_CHAIR)
    for session in plan["sessions"]:
        for entry in routine_entries(session):
            assert not moves.needs_chair(moves.BY_ID[entry["id"]]), entry


def test_routine_entries_say_when_a_dose_is_for_each_side():
    plan = plan_ok(people.BUSY_82)
    entries = [e for s in plan["sessions"] for e in routine_entries(s)]
    assert entries and all(e["each_side"] == moves.BY_ID[e["id"]].each_side for e in entries)
    assert any(e["each_side"] for e in entries)


# --- 4. Beginners -------------------------------------------------------------------------------------------


def test_a_beginner_gets_the_easiest_versions_one_of_each_and_a_first_weeks_effort():
    plan = plan_ok(people.BEGINNER_40)
    strength = [s for s in plan["sessions"] if s["category"] == "strength"]
    assert strength
    for session in strength:
        ids = [m["id"] for m in session["routine"]["moves"]]
        assert not set(ids) & {
            "push_up",
            "knee_push_up",
            "split_squat",
            "bird_dog",
            "back_extension",
            "plank",
        }
        assert "sit_to_stand" in ids and "wall_push_up" in ids
        assert "two or three repetitions before it gets hard" in session["routine"]["effort"]
        assert "feel hard" not in session["routine"]["effort"]


def test_no_routine_holds_two_versions_of_one_move():
    for profile in [*people.EVERYONE.values(), people.BEGINNER_40, people.WEIGHTS_NO_CHAIR]:
        for session in plan_ok(profile)["sessions"]:
            patterns = [moves.BY_ID[e["id"]].pattern for e in session.get("routine", {}).get("moves", [])]
            assert len(patterns) == len(set(patterns)), session["routine"]["moves"]


# --- 6. A day with two routines ----------------------------------------------------------------------------


def test_the_second_routine_of_a_day_has_no_warm_up_and_repeats_no_move():
    plan = plan_ok(people.BUSY_82)
    days = {}
    for session in plan["sessions"]:
        if "routine" in session:
            days.setdefault(session["date"], []).append(session)
    doubles = [sessions for sessions in days.values() if len(sessions) == 2]
    assert doubles
    for first, second in doubles:
        assert first["routine"]["warm_up"] and second["routine"]["warm_up"] == []
        ids = [e["id"] for s in (first, second) for e in routine_entries(s)]
        assert len(ids) == len(set(ids)), ids
    assert plan["totals"]["balance_days"] == 3 and plan["totals"]["strength_days"] == 2


# --- 7. True notes ------------------------------------------------------------------------------------------


def test_the_breathing_note_is_worded_for_chest_pain_alone():
    notes = " ".join(plan_ok(people.CHEST_PAIN_ONLY)["notes"])
    assert "heart condition" not in notes
    assert "Because you answered yes about chest pain, lift lighter" in notes


def test_once_cleared_the_notes_say_so_and_no_longer_say_until_then():
    notes = " ".join(plan_ok(people.CLEARED_CHEST_PAIN)["notes"])
    assert "has cleared you" in notes
    assert "until then" not in notes.lower()
    assert "light and moderate" in notes  # rule 6 while a flag stands


def test_the_no_room_note_names_the_time_left_after_strength_and_balance():
    plan = plan_ok(people.FOUR_BY_FORTY)
    note = next(n for n in plan["notes"] if n.startswith("Your available time"))
    assert "after the strength and balance sessions" in note
    assert "need more time than 4 days of 40 minutes leave" not in note
    left = int(re.search(r"room for (\d+) of the 150", note).group(1))
    assert left < 150


# --- 5. Words that agree with the intensity ----------------------------------------------------------------

SOFT_WORDS = re.compile(r"\b(easy|gentle|light|leisurely|relaxed|slow)\b")
HARD_WORDS = re.compile(r"\b(brisk|hard|fast|vigorous|power)\b")


@pytest.mark.parametrize("row", catalogue.ACTIVITIES, ids=lambda row: row.id)
def test_a_rows_words_agree_with_its_intensity(row):
    if row.intensity == "vigorous":
        assert not SOFT_WORDS.search(row.variant.lower()), row.variant
    if row.intensity == "light":
        assert not HARD_WORDS.search(row.variant.lower()), row.variant
        assert "light" in row.variant or row.met < 3.0
