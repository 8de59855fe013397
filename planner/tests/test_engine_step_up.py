"""Stepping up one thing at a time (issue 11): new runners, cyclists and swimmers get hard and easy parts in
turn, the way Couch to 5K starts runners, counted as their easy part, before continuous vigorous sessions."""

import pytest

from planner import catalogue, engine
from planner.steps import interval_layout
from planner.tests.invariants import plan_ok, weeks_ok

FIVE_DAYS = ["mon", "tue", "wed", "thu", "fri"]
ACTIVE = {
    "week_start": "2026-01-05",
    "age": 35,
    "current_minutes_per_week": 200,
    "strength_days_now": 2,
    "available_days": FIVE_DAYS,
    "max_minutes_per_day": 60,
}
# What each family's step-up looks like: the session's (code, MET) while it has hard parts (its easy part's:
# every minute of it, warm-up and cool-down included, is at least that), the words of its variant, and the
# (code, MET) of the continuous vigorous sessions that follow.
STEP_UP = {
    "running": (("17200", 4.3), "jog and walk", ("12020", 7.0)),
    "cycling": (("02011", 3.5), "pedalling", ("01020", 6.8)),
    "swimming": (("18240", 5.8), "lengths", ("18230", 9.8)),
}


def with_hard_parts(plan: dict) -> list[dict]:
    return [s for s in plan["sessions"] if any(step["effort"] == "hard" for step in s.get("intervals", []))]


def vigorous(plan: dict) -> list[dict]:
    return [s for s in plan["sessions"] if s["intensity"] == "vigorous"]


def target(plan: dict) -> int:
    return plan["target"]["aerobic_moderate_equivalent_minutes"]


def part_mean(family: str, steps: list[dict], minutes: int) -> float:
    """The session's mean MET from the catalogue's rows for its hard and easy parts, over the parts the
    session page shows (planner/steps.py): the warm-up, whole repeats, the cool-down."""
    _, hard_row, easy_row = catalogue.STEP_UP_INTERVALS[family]
    mets = {"hard": catalogue.BY_ID[hard_row].met, "easy": catalogue.BY_ID[easy_row].met}
    layout = interval_layout(steps, minutes)
    easy_seconds = layout.warm_up + layout.cool_down + layout.repeats * steps[1]["seconds"]
    hard_seconds = layout.repeats * steps[0]["seconds"]
    assert easy_seconds + hard_seconds == 60 * minutes
    return (mets["easy"] * easy_seconds + mets["hard"] * hard_seconds) / (60 * minutes)


@pytest.mark.parametrize("family", STEP_UP)
def test_a_new_runner_cyclist_or_swimmer_gets_hard_and_easy_parts_first_then_continuous_vigorous_sessions(
    family,
):
    counted, words, continuous = STEP_UP[family]
    weeks = [plan for _, plan in weeks_ok(dict(ACTIVE, preferences=[family]), 1.0, 10)]
    stages = weeks[: len(engine.STEP_UP_STAGES)]
    hard_seconds = []
    for plan in stages:
        sessions = with_hard_parts(plan)
        assert 1 <= len(sessions) <= 2 and not vigorous(plan)
        for session in sessions:
            assert (session["compendium_code"], session["met"], session["intensity"]) == (
                *counted,
                "moderate",
            )
            assert words in session["variant"] and session["minutes"] >= 20
            hard, easy = session["intervals"]
            assert hard["activity"] == family
            assert easy["activity"] == catalogue.STEP_UP_RECOVERY.get(family, family)
            assert (hard["effort"], easy["effort"]) == ("hard", "easy")
            assert session["met"] <= part_mean(family, session["intervals"], session["minutes"])
        hard_seconds.append(sessions[0]["intervals"][0]["seconds"])
        # Counted once: the week's minutes are its clock minutes, hard parts and all.
        assert target(plan) == sum(s["minutes"] for s in plan["sessions"] if s["category"] == "aerobic")
    assert hard_seconds[0] == 60 and hard_seconds == sorted(set(hard_seconds))  # Couch to 5K's shape
    assert all(target(plan) == target(stages[0]) for plan in stages)  # intensity rises, volume holds

    first_hard = weeks[len(engine.STEP_UP_STAGES)]
    assert not with_hard_parts(first_hard)
    assert 1 <= len(vigorous(first_hard)) <= 2
    assert {(s["compendium_code"], s["met"]) for s in vigorous(first_hard)} == {continuous}
    assert target(first_hard) == target(stages[-1])  # the week sessions become vigorous holds the minutes
    assert "one change at a time" in first_hard["notes"][0]
    assert target(weeks[-1]) > target(first_hard)  # and then it builds again


@pytest.mark.parametrize("family", STEP_UP)
def test_the_note_says_the_hard_parts_count_as_moderate_minutes(family):
    plan = plan_ok(dict(ACTIVE, preferences=[family]))
    notes = " ".join(plan["notes"])
    assert "the way Couch to 5K does: 60 seconds hard, then 90 seconds easy, repeated" in notes
    what = engine.HARD_PART_SESSIONS[family]
    assert f"your {what} count as moderate minutes, once" in notes
    assert "rest at the wall" not in notes  # these swims are fast and slow lengths, not lengths with rests
    later = dict(ACTIVE, preferences=[family], history=[full_week(200)])
    assert "because some sessions have harder parts: one change at a time" in plan_ok(later)["notes"][0]


def full_week(minutes: int, vigorous_minutes: int = 0, week_start: str = "2025-12-29") -> dict:
    return {
        "week_start": week_start,
        "planned_minutes": minutes,
        "completed_minutes": minutes,
        "planned_sessions": 7,
        "completed_sessions": 7,
        "vigorous_minutes": vigorous_minutes,
    }


@pytest.mark.parametrize("family", catalogue.STEP_UP_INTERVALS)
@pytest.mark.parametrize("stage", range(len(engine.STEP_UP_STAGES)))
def test_every_stage_and_length_holds_at_least_the_met_it_counts(family, stage):
    row = catalogue.BY_ID[catalogue.STEP_UP_INTERVALS[family][0]]
    steps = engine.intervals(family, stage, 0)
    assert row.intensity == "moderate"
    for minutes in range(engine.SHORTEST_VIGOROUS, 241):
        assert row.met <= part_mean(family, steps, minutes), minutes


@pytest.mark.parametrize("family", STEP_UP)
@pytest.mark.parametrize("completion", [1.0, 0.5, 0.0])
def test_twelve_weeks_keep_every_rule_whatever_is_done(family, completion):
    weeks = weeks_ok(dict(ACTIVE, preferences=[family, "walking"]), completion)
    if completion < 1:  # weeks not mostly done never move on: the first stage again, never vigorous
        assert not any(vigorous(plan) for _, plan in weeks)
        stages = {s["intervals"][0]["seconds"] for _, plan in weeks for s in with_hard_parts(plan)}
        assert stages <= {60}


@pytest.mark.parametrize("family", STEP_UP)
def test_someone_building_up_from_nothing_meets_the_first_stage_once_active(family):
    person = dict(ACTIVE, current_minutes_per_week=0, strength_days_now=0, preferences=[family])
    weeks = [plan for _, plan in weeks_ok(person, 1.0, 16)]
    first = next(week for week, plan in enumerate(weeks) if with_hard_parts(plan))
    assert weeks[first - 1]["totals"]["aerobic_moderate_equivalent_minutes"] >= 150  # ready: active last week
    assert {s["intervals"][0]["seconds"] for s in with_hard_parts(weeks[first])} == {60}
    assert target(weeks[first]) == target(weeks[first - 1])  # the hard parts come in, the minutes hold


@pytest.mark.parametrize("family", STEP_UP)
@pytest.mark.parametrize(
    "change",
    [
        {"prefers_gentle": True},
        {"prefers_gentle": True, "gentle_reason": "checkin"},
        {"health_flags": ["medication"]},
        {"health_flags": ["dizziness"], "cleared_by_professional": True},
        {"health_flags": ["bone_joint"]},
        {"health_flags": ["pregnant"]},
    ],
    ids=lambda change: "-".join(str(value) for value in change.values()),
)
def test_a_health_answer_or_gentle_activity_means_no_hard_parts(family, change):
    person = dict(ACTIVE, preferences=[family], history=[full_week(200)], **change)
    for _, plan in weeks_ok(person, 1.0, 8):
        assert not with_hard_parts(plan) and not vigorous(plan)


@pytest.mark.parametrize("family", STEP_UP)
def test_a_first_week_from_65_has_no_hard_parts_and_the_second_may(family):
    person = dict(ACTIVE, age=70, preferences=[family])
    first, second = (plan for _, plan in weeks_ok(person, 1.0, 2))
    assert not with_hard_parts(first)
    assert not vigorous(second)
    assert {s["intervals"][0]["seconds"] for s in with_hard_parts(second)} == {60}  # the first stage


@pytest.mark.parametrize("family", STEP_UP)
def test_someone_who_already_goes_hard_rides_and_swims_continuously_from_the_start(family):
    plan = plan_ok(dict(ACTIVE, preferences=[family], current_vigorous_minutes=60))
    assert vigorous(plan) and not with_hard_parts(plan)
    assert {(s["compendium_code"], s["met"]) for s in vigorous(plan)} == {STEP_UP[family][2]}


def test_hard_parts_share_rule_19s_days_whatever_the_family():
    # A new runner and cyclist on four days two apart: two harder days in all (a run/walk and a ride of hard
    # and easy parts), the other two moderate without hard parts.
    person = dict(ACTIVE, available_days=["mon", "wed", "fri", "sun"], preferences=["running", "cycling"])
    plan = plan_ok(person)
    assert not vigorous(plan)
    assert [(s["weekday"], s["activity"]) for s in with_hard_parts(plan)] == [
        ("mon", "running"),
        ("wed", "cycling"),
    ]
    assert len({s["date"] for s in plan["sessions"] if s["category"] == "aerobic"}) == 4


def test_runs_and_rides_step_up_together_and_the_note_says_so_once():
    # Two weeks ready and done (the second with some vigorous minutes logged): the third stage for both.
    history = [full_week(200, week_start="2025-12-22"), full_week(200, vigorous_minutes=40)]
    person = dict(
        ACTIVE,
        available_days=["mon", "wed", "fri"],
        preferences=["running", "walking", "cycling"],
        history=history,
    )
    plan = plan_ok(person)
    harder = with_hard_parts(plan)
    assert {s["activity"] for s in harder} == {"running", "cycling"}
    assert {s["intervals"][0]["seconds"] for s in harder} == {engine.STEP_UP_STAGES[2][0]} == {180}
    notes = " ".join(plan["notes"])
    assert "the way Couch to 5K does: 3 minutes hard, then 90 seconds easy, repeated" in notes
    assert "your runs and rides count as moderate minutes, once" in notes


# --- How long a session with hard parts lasts ---------------------------------------------------------------

WEEKEND = dict(ACTIVE, available_days=["sat", "sun"], max_minutes_per_day=90)
# The rest of a short session's day: a continuous moderate session of the family, or walking for running.
REST_OF_THE_DAY = {"running": "walking", "cycling": "cycling", "swimming": "swimming"}


@pytest.mark.parametrize("family", ["running", "cycling", "swimming"])
def test_a_first_session_with_hard_parts_lasts_half_an_hour_and_the_rest_of_the_day_is_an_easier_one(family):
    # A new user with only the weekend, 90 minutes a day: no 70-minute ride of 28 hard efforts in week one.
    plan = plan_ok(dict(WEEKEND, preferences=[family]))
    (harder,) = with_hard_parts(plan)
    assert harder["minutes"] == engine.INTERVAL_LONGEST[0] == 30
    assert interval_layout(harder["intervals"], harder["minutes"]).repeats == 8  # Couch to 5K's week 1
    same_day = [s for s in plan["sessions"] if s["date"] == harder["date"] and s["category"] == "aerobic"]
    assert same_day[0] is harder and len(same_day) == 2
    rest = same_day[1]
    assert rest["activity"] == REST_OF_THE_DAY[family] and rest["intensity"] == "moderate"
    assert not any(step["effort"] == "hard" for step in rest.get("intervals", ()))
    assert (
        rest["minutes"] >= 10
        and sum(s["minutes"] for s in plan["sessions"] if s["date"] == harder["date"]) <= 90
    )
    notes = " ".join(plan["notes"])
    assert "a day with more time has an easier session of its own as well" in notes
    assert "between a 5-minute warm-up and an easy cool-down" in notes


def test_the_week_keeps_its_minutes_when_its_sessions_with_hard_parts_are_kept_short():
    # Counted the same (moderate, once): the cap moves minutes to the rest of the day, it takes none away.
    for family in STEP_UP:
        later = dict(WEEKEND, preferences=[family], history=[full_week(150)])
        plan = plan_ok(later)
        assert with_hard_parts(plan) and target(plan) == 150
        assert "one change at a time" in plan["notes"][0]


@pytest.mark.parametrize("family", ["running", "cycling", "swimming"])
def test_sessions_with_hard_parts_grow_with_their_stage_and_always_hold_a_whole_repeat(family):
    person = dict(
        ACTIVE, available_days=["mon", "wed", "fri", "sat"], max_minutes_per_day=120, preferences=[family]
    )
    stages = [plan for _, plan in weeks_ok(person, 1.0, len(engine.STEP_UP_STAGES))]
    for stage, plan in enumerate(stages):
        harder = with_hard_parts(plan)
        assert harder, stage
        for session in harder:
            assert session["intervals"][0]["seconds"] == engine.STEP_UP_STAGES[stage][0]
            assert session["minutes"] <= engine.INTERVAL_LONGEST[stage], (stage, session["minutes"])
            layout = interval_layout(session["intervals"], session["minutes"])
            assert layout.repeats >= 1 and layout.warm_up == 300 and layout.cool_down >= 300
    assert list(engine.INTERVAL_LONGEST) == sorted(engine.INTERVAL_LONGEST)


def test_the_last_stage_is_never_too_short_for_a_whole_repeat():
    # 600 s hard and 90 s easy, between two 5-minute ends: 21.5 minutes, so 22 at the least.
    limits = engine.interval_limits(
        engine.validate_profile(
            dict(
                ACTIVE,
                preferences=["running"],
                history=[full_week(200, 30, f"2025-{month:02d}-{day:02d}") for month, day in WEEKS[1:]],
            )
        )
    )
    assert limits["running"] == (22, engine.INTERVAL_LONGEST[5])


WEEKS = [(11, 24), (12, 1), (12, 8), (12, 15), (12, 22), (12, 29)]
