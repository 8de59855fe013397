"""The rules of docs/planner-interface.md, written from the interface text alone, for every test to reuse.

`assert_plan_ok(profile, plan)` checks rules 1-12 and 15-20 on one plan; `assert_progression_ok` checks
rules 13 and 14 between a profile with history and its plan. They read the raw profile dict, not the
engine's own parsing, so that a mistake in the engine's validation cannot hide a broken plan.
"""

import datetime
import re

from steady.vocabulary import ACTIVITY_NAMES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SESSION_KEYS = {
    "date",
    "weekday",
    "activity",
    "variant",
    "compendium_code",
    "category",
    "intensity",
    "minutes",
    "met",
    "why",
}
OPTIONAL_SESSION_KEYS = {"routine", "intervals"}  # version 2
TOTAL_KEYS = {"aerobic_moderate_equivalent_minutes", "strength_days", "balance_days"}
ROUTINE_KEYS = {"rounds", "rest_seconds", "effort", "warm_up", "moves", "cool_down"}
MOVE_KEYS = {"id", "name", "muscle_groups", "position", "impact", "equipment", "sets", "reps", "seconds"}
OPTIONAL_MOVE_KEYS = {"each_side"}  # Steady: the dose is for each side
MAJOR_MUSCLE_GROUPS = {"legs", "hips", "back", "abdomen", "chest", "shoulders", "arms"}
POSITIONS = {"standing", "chair", "wall", "floor"}
EQUIPMENT = {"none", "wall", "chair", "band", "weights"}
# The Compendium METs of the parts of running and walking, hard and easy cycling or swimming in turn
# ("Intervals (v2)"): jogging (12020) and brisk walking (17200), exercise bike hard (02012) and easy
# (02011), fast lengths (18230) and slow lengths (18240).
PART_METS = {
    ("running", "hard"): 7.0,
    ("walking", "easy"): 4.3,
    ("cycling", "hard"): 6.8,
    ("cycling", "easy"): 3.5,
    ("swimming", "hard"): 9.8,
    ("swimming", "easy"): 5.8,
}
# A session with hard parts ("Intervals (v2)"): a warm-up and a cool-down of its easy part, 5 minutes each,
# whole repeats between them and the time left over in the cool-down; at most this many minutes for the length
# of its hard part (the stage), running on by less than 10 minutes only on a day with no room for another.
WARM_UP_SECONDS = COOL_DOWN_SECONDS = 300
LONGEST_WITH_HARD_PARTS = {60: 30, 90: 30, 180: 35, 300: 35, 480: 40, 600: 45}
# Rule 20: a note that offers a week of nothing ("0 minutes", "0 active minutes").
ZERO_WEEK = re.compile(r"(?<![0-9])0 (?:[a-z-]+ ){0,3}minutes")


def intensity_of(met: float) -> str:
    if met < 3.0:
        return "light"
    if met < 6.0:
        return "moderate"
    return "vigorous"


def count_totals(sessions: list[dict]) -> dict:
    weight = {"light": 0, "moderate": 1, "vigorous": 2}
    return {
        "aerobic_moderate_equivalent_minutes": sum(
            s["minutes"] * weight[s["intensity"]] for s in sessions if s["category"] == "aerobic"
        ),
        "strength_days": len({s["date"] for s in sessions if s["category"] == "strength"}),
        "balance_days": len({s["date"] for s in sessions if s["category"] == "balance"}),
    }


def who_guideline_met(totals: dict, age: int) -> bool:
    return (
        totals["aerobic_moderate_equivalent_minutes"] >= 150
        and totals["strength_days"] >= 2
        and (age < 65 or totals["balance_days"] >= 3)
    )


def is_already_active(profile: dict) -> bool:
    """The precondition of rules 10 and 11."""
    return (
        profile["current_minutes_per_week"] >= 150
        and profile.get("strength_days_now", 0) >= 2
        and not profile.get("health_flags")
        and len(profile["available_days"]) >= 5
        and profile["max_minutes_per_day"] >= 45
    )


def assert_shape(plan: dict) -> None:
    assert set(plan) >= {"week_start", "sessions", "totals", "target", "meets_who_guideline", "notes"}
    assert set(plan["totals"]) == TOTAL_KEYS and set(plan["target"]) == TOTAL_KEYS
    assert isinstance(plan["meets_who_guideline"], bool)
    assert isinstance(plan["notes"], list) and all(isinstance(note, str) and note for note in plan["notes"])
    for session in plan["sessions"]:
        assert SESSION_KEYS <= set(session) <= SESSION_KEYS | OPTIONAL_SESSION_KEYS, session
        if session["category"] in ("strength", "balance"):
            assert_routine_shape(session["routine"])
        else:
            assert "routine" not in session, session
        if "intervals" in session:
            assert session["category"] == "aerobic", session
            assert isinstance(session["intervals"], list) and session["intervals"], session
            for step in session["intervals"]:
                assert isinstance(step["activity"], str) and step["activity"], step
                assert type(step["seconds"]) is int and step["seconds"] >= 1, step
        assert type(session["minutes"]) is int
        assert isinstance(session["met"], float)
        assert session["category"] in ("aerobic", "strength", "balance", "flexibility")
        assert isinstance(session["why"], str) and session["why"].strip()
        assert isinstance(session["variant"], str) and session["variant"]
        assert session["compendium_code"].isdigit() and len(session["compendium_code"]) == 5


def assert_routine_shape(routine: dict) -> None:
    """The `routine` of a strength or balance session (interface, "Routine (v2)")."""
    assert ROUTINE_KEYS <= set(routine), routine
    assert type(routine["rounds"]) is int and routine["rounds"] >= 1
    assert type(routine["rest_seconds"]) is int and routine["rest_seconds"] >= 0
    assert isinstance(routine["effort"], str) and routine["effort"].strip()
    for part in ("warm_up", "moves", "cool_down"):
        assert isinstance(routine[part], list), routine
        for move in routine[part]:
            assert MOVE_KEYS <= set(move) <= MOVE_KEYS | OPTIONAL_MOVE_KEYS, move
            assert isinstance(move.get("each_side", False), bool), move
            assert (
                isinstance(move["id"], str) and move["id"] and isinstance(move["name"], str) and move["name"]
            )
            assert set(move["muscle_groups"]) <= MAJOR_MUSCLE_GROUPS | {"balance"}, move
            assert move["position"] in POSITIONS and move["impact"] in ("low", "high"), move
            assert move["equipment"] in EQUIPMENT, move
            assert (move["reps"] is None) != (move["seconds"] is None), move


def routine_entries(session: dict) -> list[dict]:
    routine = session.get("routine") or {}
    return [move for part in ("warm_up", "moves", "cool_down") for move in routine.get(part, [])]


def assert_plan_ok(profile: dict, plan: dict, known_activities=None) -> None:
    """Rules 1-12 and 15-20 of the interface, for one profile and its plan."""
    assert_shape(plan)
    sessions = plan["sessions"]
    week_start = datetime.date.fromisoformat(profile["week_start"])
    assert plan["week_start"] == profile["week_start"]
    flags = set(profile.get("health_flags", []))
    age = profile["age"]

    # Rule 1: in the week, on an available day, weekday matching the date.
    for session in sessions:
        day = datetime.date.fromisoformat(session["date"])
        assert 0 <= (day - week_start).days <= 6, session
        assert session["weekday"] == WEEKDAYS[day.weekday()], session
        assert session["weekday"] in profile["available_days"], session

    # Rule 2: a day's minutes within max_minutes_per_day; every session at least 5 minutes.
    per_day: dict[str, int] = {}
    for session in sessions:
        assert session["minutes"] >= 5, session
        per_day[session["date"]] = per_day.get(session["date"], 0) + session["minutes"]
    assert all(minutes <= profile["max_minutes_per_day"] for minutes in per_day.values()), per_day

    # Rule 3: aerobic sessions from the preferences, or walking.
    allowed = set(profile.get("preferences", [])) | {"walking"}
    for session in sessions:
        if session["category"] == "aerobic":
            assert session["activity"] in allowed, session
        if known_activities is not None:
            assert session["activity"] in known_activities, session

    # Rule 4: totals add up from the sessions.
    assert plan["totals"] == count_totals(sessions), (plan["totals"], count_totals(sessions))

    # Rule 5: intensity agrees with the MET value.
    for session in sessions:
        assert session["intensity"] == intensity_of(session["met"]), session

    # Rule 6: safety.
    if flags or profile.get("prefers_gentle", False):
        assert all(session["intensity"] != "vigorous" for session in sessions)
    notes = " ".join(plan["notes"]).lower()
    if flags:
        assert "doctor" in notes and "qualified exercise professional" in notes
    if "supervised_only" in flags:
        assert sessions == []
        assert "supervis" in notes

    # Rule 7: strength never on consecutive days.
    strength_days = sorted(
        {datetime.date.fromisoformat(s["date"]) for s in sessions if s["category"] == "strength"}
    )
    for earlier, later in zip(strength_days, strength_days[1:], strict=False):
        assert (later - earlier).days >= 2, strength_days

    # Rule 8: meets_who_guideline exactly from the totals.
    assert plan["meets_who_guideline"] == who_guideline_met(plan["totals"], age)

    # Rule 9: never above 300 moderate-equivalent minutes.
    assert plan["totals"]["aerobic_moderate_equivalent_minutes"] <= 300
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] <= 300

    # Rules 10 and 11: people already active meet the guideline (balance included from 65).
    if is_already_active(profile):
        assert plan["meets_who_guideline"], plan["totals"]
        if age >= 65:
            assert plan["totals"]["balance_days"] >= 3

    # Rule 12: from nothing, start small.
    if (
        profile["current_minutes_per_week"] == 0
        and not profile.get("history")
        and "supervised_only" not in flags
    ):
        assert 0 < plan["totals"]["aerobic_moderate_equivalent_minutes"] < 150, plan["totals"]

    # Rule 15: a plan that falls short says so, and what is missing.
    if not plan["meets_who_guideline"] and "supervised_only" not in flags:
        totals = plan["totals"]
        assert "guideline" in notes
        if totals["aerobic_moderate_equivalent_minutes"] < 150:
            assert "minutes" in notes
        if totals["strength_days"] < 2:
            assert "strength" in notes
        if age >= 65 and totals["balance_days"] < 3:
            assert "balance" in notes

    assert_notes_agree(profile, plan)

    # Rule 16: strength routines work all seven groups; doses of 1 or more; only listed equipment, a wall, or
    # none; balance routines of 3 or more moves.
    listed = set(profile.get("equipment", [])) | {"none", "wall"}
    for session in sessions:
        if session["category"] == "strength":
            worked = {group for move in session["routine"]["moves"] for group in move["muscle_groups"]}
            assert worked >= MAJOR_MUSCLE_GROUPS, (worked, session["routine"]["moves"])
        if session["category"] == "balance":
            assert len(session["routine"]["moves"]) >= 3, session["routine"]
        for move in routine_entries(session):
            assert move["sets"] >= 1, move
            assert (move["reps"] or move["seconds"]) >= 1, move
            assert move["equipment"] in listed, (move, listed)

    # Rule 17: from 65, with any flag, or gentle: no floor, no high impact, in any routine.
    if age >= 65 or flags or profile.get("prefers_gentle", False):
        for session in sessions:
            for move in routine_entries(session):
                assert move["position"] != "floor" and move["impact"] != "high", move

    # Rule 18: aerobic, strength and balance sessions 10 minutes or more; swimming 20 or more.
    for session in sessions:
        if session["category"] in ("aerobic", "strength", "balance"):
            assert session["minutes"] >= 10, session
        if session["activity"] == "swimming":
            assert session["minutes"] >= 20, session

    # Rule 19: after a week without vigorous minutes, two vigorous sessions at most, never on adjacent days.
    history = profile.get("history", [])
    if history and not history[-1].get("vigorous_minutes"):
        vigorous = sorted(
            datetime.date.fromisoformat(s["date"]) for s in sessions if s["intensity"] == "vigorous"
        )
        assert len(vigorous) <= 2, vigorous
        for earlier, later in zip(vigorous, vigorous[1:], strict=False):
            assert (later - earlier).days >= 2, vigorous

    # Rule 19 ("What the engine does beyond the rules"): from 65, a first week with no history starts
    # moderate unless the person already does vigorous activity (current_vigorous_minutes).
    if age >= 65 and not history and not profile.get("current_vigorous_minutes", 0):
        assert all(s["intensity"] != "vigorous" for s in sessions), "a first week from 65 starts moderate"

    # Rules 4 and 5 with intervals: a session counts at its MET, so one that alternates hard work with easy
    # or rest parts is never vigorous, and its MET is not above the mean of its parts, warm-up and cool-down
    # included, minute by minute (MET-minutes add up): it holds at least what it counts.
    for session in sessions:
        steps = session.get("intervals") or []
        if any(step.get("effort") == "hard" for step in steps):
            assert session["intensity"] != "vigorous", session
            assert session["met"] <= mean_met(steps, session["minutes"]) + 1e-9, session

    # Sessions with hard parts stay short while the hard parts are new: at most the stage's longest, running
    # on past it (by less than 10 minutes) only when no other aerobic session shares the day.
    for session in sessions:
        steps = session.get("intervals") or []
        hard = [step["seconds"] for step in steps if step.get("effort") == "hard"]
        if not hard:
            continue
        longest = LONGEST_WITH_HARD_PARTS[hard[0]]
        assert session["minutes"] < longest + 10, session
        if session["minutes"] > longest:
            same_day = [s for s in sessions if s["date"] == session["date"] and s["category"] == "aerobic"]
            assert same_day == [session], same_day

    # Rules 6 and 19 for harder sessions ("What the engine does beyond the rules"): a session with hard parts
    # is no vigorous session, but it is harder work. Only people who may do vigorous activity get one, and
    # with the vigorous sessions they are never on consecutive days, at most two while vigorous activity is
    # new (no vigorous minutes last week, or with no history none now) and at most three.
    harder = sorted(
        datetime.date.fromisoformat(s["date"])
        for s in sessions
        if s["intensity"] == "vigorous"
        or any(step.get("effort") == "hard" for step in s.get("intervals", []))
    )
    # WHO 2020 and ACOG: a pregnant woman who already did vigorous activity keeps hard parts (counted as
    # moderate), with no other health answer and not asking for gentle activity.
    keeps = flags == {"pregnant"} and bool(
        profile.get("current_vigorous_minutes") or (history and history[-1].get("vigorous_minutes"))
    )
    if (flags or profile.get("prefers_gentle", False)) and not (keeps and not profile.get("prefers_gentle")):
        assert harder == [], "no hard parts with a health flag or for gentle activity"
    if flags:
        assert all(s["intensity"] != "vigorous" for s in sessions), "rule 6"
    for earlier, later in zip(harder, harder[1:], strict=False):
        assert (later - earlier).days >= 2, harder
    new = not history[-1].get("vigorous_minutes") if history else not profile.get("current_vigorous_minutes")
    assert len(harder) <= (2 if new else 3), harder

    # Rule 20: some is better than none.
    room = profile["max_minutes_per_day"] * len(profile["available_days"])
    if "supervised_only" not in flags and room >= 60:
        assert plan["target"]["aerobic_moderate_equivalent_minutes"] >= 30, plan["target"]
    for note in plan["notes"]:
        assert not ZERO_WEEK.search(note), note


def mean_met(steps: list[dict], minutes: int) -> float:
    """The time-weighted mean MET of a session with hard parts ("Intervals (v2)"): a 5-minute warm-up and
    cool-down of its easy part (shorter, in whole minutes, only when the session cannot hold both and one
    repeat), whole repeats of the pattern between them, the time left over in the cool-down."""
    total, pattern = minutes * 60, sum(step["seconds"] for step in steps)
    easy = next(step for step in steps if step["effort"] == "easy")
    spare = max(0, (total - pattern) // 2) // 60 * 60
    warm_up, cool_down = min(WARM_UP_SECONDS, spare), min(COOL_DOWN_SECONDS, spare)
    repeats = (total - warm_up - cool_down) // pattern
    met_seconds = sum(PART_METS[(step["activity"], step["effort"])] * step["seconds"] for step in steps)
    easy_seconds = total - repeats * pattern
    return (repeats * met_seconds + easy_seconds * PART_METS[(easy["activity"], "easy")]) / total


def assert_notes_agree(profile: dict, plan: dict) -> None:
    """Rule 15 ("a plan never claims more than it contains") and "notes are true": every number a note states
    about the week agrees with the plan's own numbers, and notes describe the sessions actually planned."""
    totals, target = plan["totals"], plan["target"]["aerobic_moderate_equivalent_minutes"]
    aerobic = totals["aerobic_moderate_equivalent_minutes"]
    history = profile.get("history", [])
    last = history[-1] if history else None
    for note in plan["notes"]:
        if re.search(r"keeps? you in the WHO range", note):
            assert 150 <= aerobic <= 300 and 150 <= target <= 300, (note, totals)
        if re.search(r"\b(this|the) (plan|week) meets the", note.lower()):
            assert plan["meets_who_guideline"], note
        for pattern, value in (
            (r"has (\d+) of the 150", aerobic),
            (r"strength on (\d+) of the 2", totals["strength_days"]),
            (r"balance on (\d+) of the 3", totals["balance_days"]),
            (r"this week's (\d+) minutes", target),
            (r"starts small, with (\d+) minutes", target),
            (r"eases back to (\d+) minutes", target),
            (r"keeps to (\d+) minutes", target),
        ):
            match = re.search(pattern, note)
            if match:
                assert int(match.group(1)) == value, (note, value)
        match = re.search(r"adds a little: (\d+) minutes, from (\d+) planned", note)
        if match:
            assert int(match.group(1)) > int(match.group(2)), note
        match = re.search(r"(\d+) minutes, like last week", note)
        if match and last is not None:
            clock = last["planned_minutes"] - last.get("vigorous_minutes", 0)
            assert int(match.group(1)) in (last["planned_minutes"], clock), (note, last)
        match = re.search(r"fewer than the (\d+) planned last week", note)
        if match:
            assert last is not None and target < int(match.group(1)), note
    # Dizziness: the note names the bike, the pool and a walk as the week actually has them.
    planned = {s["activity"] for s in plan["sessions"] if s["category"] == "aerobic"}
    text = " ".join(plan["notes"])
    if "aerobic sessions are on an exercise bike or in a pool" in text:
        assert planned <= {"cycling", "swimming"}, planned
    if "your rides are on an exercise bike" in text:
        assert "cycling" in planned, planned
    if "your swims are in a pool" in text:
        assert "swimming" in planned, planned
    if "dizziness" in profile.get("health_flags", []) and "walking" in planned:
        assert "walk" in text.replace("walking", ""), text


def checkin_week(profile: dict) -> bool:
    """A gentle week after a low check-in holds or lowers last week's clock time (Steady's gentle_reason)."""
    return profile.get("prefers_gentle", False) and profile.get("gentle_reason", "asked") == "checkin"


def assert_progression_ok(profile: dict, plan: dict, previous_plan: dict | None = None) -> None:
    """Rules 13 and 14, for a profile with history (and, for rule 13, the plan of the week before)."""
    history = profile.get("history", [])
    if not history:
        return
    last = history[-1]
    target = plan["target"]["aerobic_moderate_equivalent_minutes"]
    if 2 * last["completed_minutes"] < last["planned_minutes"]:
        assert target <= max(last["planned_minutes"], 30), (target, last)  # rule 20's floor is 30
    fully_done = all(week["completed_minutes"] >= week["planned_minutes"] for week in history)
    # Rule 13 on days that cannot hold last week's target (docs/planner-interface.md): a target below it
    # after weeks done in full comes with a note that names both numbers and says why.
    supervised = "supervised_only" in profile.get("health_flags", [])  # rule 6: no sessions at all
    if (
        fully_done
        and target < min(last["planned_minutes"], 300)
        and not (checkin_week(profile) or supervised)
    ):
        assert any(str(target) in note and str(last["planned_minutes"]) in note for note in plan["notes"]), (
            plan["notes"]
        )
    if fully_done and previous_plan is not None:
        for key in TOTAL_KEYS:
            assert plan["target"][key] >= previous_plan["target"][key], (
                key,
                previous_plan["target"],
                plan["target"],
            )


def plan_ok(profile: dict) -> dict:
    """The engine's plan for the profile, after checking every rule on it (assert_plan_ok) and what its
    notes say of the weeks before (assert_progression_ok)."""
    from planner.engine import make_plan  # the rules above are written from the interface alone

    plan = make_plan(profile)
    assert_plan_ok(profile, plan, ACTIVITY_NAMES)
    assert_progression_ok(profile, plan)
    return plan


def weeks_ok(person: dict, completion, weeks: int = 12) -> list[tuple[dict, dict]]:
    """`weeks` weeks in a row from the engine, each plan fed back as history with `completion` done
    (profiles.simulate): [(week's profile, plan)], every rule checked on each, rule 13 against the week
    before."""
    from planner.engine import make_plan
    from planner.tests.profiles import simulate

    weeks_planned = simulate(person, weeks, completion, make_plan)
    previous = None
    for week_profile, plan in weeks_planned:
        assert_plan_ok(week_profile, plan, ACTIVITY_NAMES)
        assert_progression_ok(week_profile, plan, previous)
        previous = plan
    return weeks_planned
