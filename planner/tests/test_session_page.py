"""The session page (/sessions/<id>/): its steps (planner/steps.py), what it shows, and finishing from it."""

import dataclasses
import datetime
import html
import re
import types

import pytest
from django.templatetags.static import static
from django.urls import reverse

from planner import steps as steps_module
from planner.moves import BY_ID
from planner.steps import (
    STOP_SIGNS,
    STOP_SIGNS_FOR_EVERYONE,
    duration_words,
    interval_summary,
    session_steps,
    stop_signs,
)
from tests.factories import PlannedSessionFactory, ProfileFactory
from tests.week import WEDNESDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


def entry(move_id, sets=1, reps=None, seconds=None):
    move = BY_ID[move_id]
    return {
        "id": move.id,
        "name": move.name,
        "muscle_groups": list(move.muscle_groups),
        "position": move.position,
        "impact": move.impact,
        "equipment": move.equipment,
        "sets": sets,
        "reps": reps,
        "seconds": seconds,
    }


ROUTINE = {
    "rounds": 2,
    "rest_seconds": 60,
    "effort": "The last two repetitions of each set should feel hard, but doable with good form.",
    "warm_up": [entry("march_on_the_spot", seconds=60)],
    "moves": [
        entry("sit_to_stand", sets=2, reps=10),
        entry("wall_push_up", reps=8),
        entry("wall_sit", seconds=20),
    ],
    # A stretch done once (the calf stretch is done one side at a time: see SIDED_ROUTINE).
    "cool_down": [entry("upper_back_stretch", seconds=30)],
}
RUN_WALK = [{"activity": "running", "seconds": 60}, {"activity": "walking", "seconds": 90}]  # an older plan's
RIDE = [
    {"activity": "cycling", "seconds": 60, "effort": "hard"},
    {"activity": "cycling", "seconds": 90, "effort": "easy"},
]
SWIM = [
    {"activity": "swimming", "seconds": 60, "effort": "hard"},
    {"activity": "swimming", "seconds": 90, "effort": "easy"},
]
LENGTHS = [
    {"activity": "swimming", "seconds": 120, "effort": "easy"},
    {"activity": "rest", "seconds": 30, "effort": "rest"},
]


# --- session_steps -----------------------------------------------------------------------------------------


def test_a_routine_is_the_warm_up_each_rounds_sets_with_rests_between_rounds_then_the_cool_down():
    steps = session_steps(activity="bodyweight", minutes=20, routine=ROUTINE)
    assert [(s["kind"], s["title"], s["dose"]) for s in steps] == [
        ("warm_up", "March on the spot", "1 minute"),
        ("move", "Sit to stand", "10 repetitions"),
        ("move", "Sit to stand", "10 repetitions"),
        ("move", "Wall push-up", "8 repetitions"),
        ("move", "Wall sit", "20 seconds"),
        ("rest", "Rest", "Rest for 1 minute"),
        ("move", "Sit to stand", "10 repetitions"),
        ("move", "Sit to stand", "10 repetitions"),
        ("move", "Wall push-up", "8 repetitions"),
        ("move", "Wall sit", "20 seconds"),
        ("cool_down", "Upper-back stretch", "30 seconds"),
    ]
    assert [s["part"] for s in steps[1:5]] == ["Round 1 of 2"] * 4
    assert steps[6]["part"] == "Round 2 of 2"
    assert (steps[1]["set"], steps[1]["sets"], steps[2]["set"]) == (1, 2, 2)
    # Timed steps have seconds, repetition steps reps; each move step names its move.
    assert (steps[0]["seconds"], steps[0]["reps"]) == (60, None)
    assert (steps[1]["seconds"], steps[1]["reps"]) == (None, 10)
    assert steps[5]["seconds"] == 60 and steps[5]["move_id"] is None
    assert steps[4]["move_id"] == "wall_sit"


def test_one_round_has_no_rest_and_missing_keys_are_filled_from_the_library():
    steps = session_steps(
        activity="bodyweight", minutes=15, routine={"moves": [{"id": "squat"}, {"id": "plank"}]}
    )
    assert [(s["title"], s["dose"], s["part"]) for s in steps] == [
        ("Squat", "10 repetitions", "The moves"),
        ("Plank", "20 seconds", "The moves"),
    ]


def test_an_unknown_or_odd_entry_still_makes_a_step():
    routine = {
        "rounds": "two",
        "rest_seconds": -5,
        "moves": [
            {"id": "mystery_move", "sets": 0, "reps": None, "seconds": None},
            {"id": "../../etc", "name": "X"},
        ],
        "warm_up": "not a list",
    }
    steps = session_steps(activity="strength", minutes=20, routine=routine)
    assert [(s["title"], s["dose"], s["move_id"]) for s in steps] == [
        ("Mystery move", "At your own pace", "mystery_move"),
        ("X", "At your own pace", None),
    ]


def test_a_run_walk_starts_with_a_brisk_walk_and_ends_walking_inside_its_minutes():
    steps = session_steps(activity="running", minutes=20, intervals=RUN_WALK)
    assert sum(s["seconds"] for s in steps) == 20 * 60
    assert [(s["kind"], s["part"], s["title"], s["dose"]) for s in steps[:3]] == [
        ("warm_up", "Warm-up", "Brisk walk", "Walk briskly for 5 minutes"),
        ("interval", "Repeat 1 of 4", "Running", "Run for 1 minute"),
        ("interval", "Repeat 1 of 4", "Walking", "Walk for 1 minute 30 seconds"),
    ]
    assert (steps[-1]["kind"], steps[-1]["part"], steps[-1]["title"], steps[-1]["dose"]) == (
        "cool_down",
        "Cool-down",
        "Easy walk",
        "Walk at an easy pace for 5 minutes",
    )
    assert steps[-2]["part"] == "Repeat 4 of 4" and len(steps) == 10

    # A minute more: whole repeats only, the minute left over in the cool-down.
    steps = session_steps(activity="running", minutes=21, intervals=RUN_WALK)
    assert sum(s["seconds"] for s in steps) == 21 * 60
    assert steps[-1]["dose"] == "Walk at an easy pace for 6 minutes"
    assert steps[-2]["dose"] == "Walk for 1 minute 30 seconds"


def test_a_38_minute_ride_warms_up_and_cools_down_and_never_ends_on_a_hard_part_cut_short():
    steps = session_steps(activity="cycling", minutes=38, intervals=RIDE)
    assert (steps[0]["title"], steps[0]["dose"], steps[0]["seconds"]) == (
        "Easy pedalling",
        "Pedal easily for 5 minutes",
        300,
    )
    hard = [s for s in steps if s["title"] == "Hard pedalling"]
    assert len(hard) == 11 and {s["seconds"] for s in hard} == {60}
    assert (steps[-1]["kind"], steps[-1]["dose"]) == ("cool_down", "Pedal easily for 5 minutes 30 seconds")
    assert sum(s["seconds"] for s in steps) == 38 * 60


@pytest.mark.parametrize("family", ["running", "cycling"])
@pytest.mark.parametrize("stage", range(6))
def test_every_stage_and_length_has_a_warm_up_whole_repeats_and_a_cool_down(family, stage):
    from planner import engine

    intervals = engine.intervals(family, stage, 0)
    hard_seconds = intervals[0]["seconds"]
    for minutes in range(22, 91):
        steps = session_steps(activity=family, minutes=minutes, intervals=intervals)
        assert sum(s["seconds"] for s in steps) == minutes * 60, minutes
        assert steps[0]["kind"] == "warm_up" and steps[0]["seconds"] == 300
        assert steps[-1]["kind"] == "cool_down" and steps[-1]["seconds"] >= 300
        hard = [s for s in steps if s["kind"] == "interval" and s["dose"] == steps[1]["dose"]]
        assert hard and all(s["seconds"] == hard_seconds for s in hard), minutes  # none cut short
        assert all(s["kind"] == "interval" for s in steps[1:-1])


def test_a_session_too_short_for_both_ends_and_a_repeat_gets_shorter_ends():
    # 20 minutes of Couch to 5K's last stage (10 minutes hard, 90 seconds easy): 4-minute ends, one repeat.
    steps = session_steps(
        activity="running", minutes=20, intervals=[dict(RUN_WALK[0], seconds=600), RUN_WALK[1]]
    )
    assert [(s["kind"], s["seconds"]) for s in steps] == [
        ("warm_up", 240),
        ("interval", 600),
        ("interval", 90),
        ("cool_down", 270),
    ]


def test_hard_and_easy_parts_of_one_activity_say_how_hard_each_is():
    steps = session_steps(activity="cycling", minutes=20, intervals=RIDE)
    assert [(s["title"], s["dose"]) for s in steps[1:3]] == [
        ("Hard pedalling", "Pedal hard for 1 minute"),
        ("Easy pedalling", "Pedal easily for 1 minute 30 seconds"),
    ]
    # An odd effort, or none, is the activity's own word; with no easy part there is nothing to warm up with.
    odd = session_steps(
        activity="cycling", minutes=1, intervals=[{"activity": "cycling", "seconds": 60, "effort": [1]}]
    )
    assert [(s["title"], s["dose"]) for s in odd] == [("Cycling", "Cycle for 1 minute")]


def test_a_swim_is_its_warm_up_one_main_set_by_the_pool_clock_and_its_cool_down():
    steps = session_steps(activity="swimming", minutes=38, intervals=SWIM)
    assert [(s["kind"], s["part"], s["title"], s["dose"], s["seconds"]) for s in steps] == [
        ("warm_up", "Warm-up", "Slow lengths", "Swim slow lengths for 5 minutes", 300),
        (
            "interval",
            "Main set",
            "Fast and slow lengths",
            "11 times: swim fast lengths for 1 minute, then swim slow lengths for 1 minute 30 seconds "
            "(27 minutes 30 seconds by the pool clock)",
            1650,
        ),
        ("cool_down", "Cool-down", "Slow lengths", "Swim slow lengths for 5 minutes 30 seconds", 330),
    ]
    # Lengths with rests: no hard parts, so no warm-up; whole repeats, then the pattern cut to fit, which
    # never ends on a rest.
    steps = session_steps(activity="swimming", minutes=22, intervals=LENGTHS)
    assert [(s["title"], s["dose"], s["seconds"]) for s in steps] == [
        (
            "Lengths with rests",
            "8 times: swim slow lengths for 2 minutes, then rest at the wall for 30 seconds; then swim slow "
            "lengths for 2 minutes (22 minutes by the pool clock)",
            1320,
        )
    ]
    odd = [dict(LENGTHS[0], seconds=50), dict(LENGTHS[1], seconds=50)]  # a rest would end it: it swims on
    assert session_steps(activity="swimming", minutes=3, intervals=odd)[0]["dose"] == (
        "Swim slow lengths for 50 seconds, then rest at the wall for 50 seconds; then swim slow lengths for "
        "1 minute 20 seconds (3 minutes by the pool clock)"
    )


@pytest.mark.parametrize(
    ("intervals", "minutes", "summary"),
    [
        (
            RIDE,
            38,
            "Warm up for 5 minutes (easy pedalling). Then 11 times: pedal hard for 1 minute, then pedal "
            "easily for 1 minute 30 seconds. Cool down for 5 minutes 30 seconds (easy pedalling). 38 minutes "
            "in all.",
        ),
        (
            RUN_WALK,
            30,
            "Warm up for 5 minutes (brisk walk). Then 8 times: run for 1 minute, then walk for 1 minute 30 "
            "seconds. Cool down for 5 minutes (easy walk). 30 minutes in all.",
        ),
        (
            LENGTHS,
            21,
            "8 times: swim slow lengths for 2 minutes, then rest at the wall for 30 seconds; then swim slow "
            "lengths for 1 minute. 21 minutes in all.",
        ),
        (  # one whole repeat: no "1 times"
            [dict(RUN_WALK[0], seconds=600), RUN_WALK[1]],
            22,
            "Warm up for 5 minutes (brisk walk). Then run for 10 minutes, then walk for 1 minute 30 seconds. "
            "Cool down for 5 minutes 30 seconds (easy walk). 22 minutes in all.",
        ),
        (RIDE, 0, ""),
        ([{"seconds": 0}], 20, ""),
    ],
)
def test_the_summary_counts_whole_repeats_and_names_the_warm_up_and_cool_down(intervals, minutes, summary):
    assert interval_summary(intervals, minutes) == summary


def test_a_plain_session_is_one_timed_step():
    assert session_steps(activity="walking", minutes=20) == [
        {
            "kind": "activity",
            "part": "Walking",
            "title": "Walking",
            "dose": "Walk for 20 minutes",
            "seconds": 1200,
            "reps": None,
            "move_id": None,
            "set": 1,
            "sets": 1,
            "side": None,
        }
    ]
    # Bad intervals or an empty routine: still the plain session.
    assert session_steps(activity="yoga", minutes=30, routine={}, intervals=[{"seconds": 0}])[0]["dose"] == (
        "Yoga for 30 minutes"
    )


@pytest.mark.parametrize(
    ("activity", "variant", "title", "dose"),
    [
        # The session's own activity, not its family's word ("Swim for 20 minutes").
        ("swimming", "water aerobics", "Water aerobics", "Water aerobics for 20 minutes"),
        ("walking", "brisk walk, about 5.5 km/h", "Brisk walk", "Brisk walk for 20 minutes"),
        ("yoga", "mild stretching", "Gentle stretching", "Gentle stretching for 20 minutes"),
        (
            "cycling",
            "exercise bike, easy (30-50 watts)",
            "Easy exercise bike",
            "Easy exercise bike for 20 minutes",
        ),
        # Not in the catalogue (an older plan, a logged session): the variant's own words.
        ("swimming", "aqua jogging", "Aqua jogging", "Aqua jogging for 20 minutes"),
        (
            "walking",
            "walk by the river, about 4 km/h",
            "Walk by the river, about 4 km/h",
            "Walk by the river, about 4 km/h, for 20 minutes",
        ),
        ("gardening", "gardening", "Gardening", "Gardening for 20 minutes"),
        # No variant: the family's verb, as before.
        ("swimming", "", "Swimming", "Swim for 20 minutes"),
        ("swimming", None, "Swimming", "Swim for 20 minutes"),
    ],
)
def test_a_plain_step_is_named_for_the_sessions_own_activity(activity, variant, title, dose):
    (step,) = session_steps(activity=activity, minutes=20, variant=variant)
    assert (step["part"], step["title"], step["dose"], step["seconds"]) == (title, title, dose, 1200)


def test_the_variant_does_not_change_a_routine_or_intervals():
    with_variant = session_steps(activity="running", minutes=20, intervals=RUN_WALK, variant="jog and walk")
    assert with_variant == session_steps(activity="running", minutes=20, intervals=RUN_WALK)


# --- Moves done one side at a time -------------------------------------------------------------------------


def one_sided(move_id):
    """The library's move with each_side True, whether or not planner.moves has that attribute yet."""
    move = BY_ID[move_id]
    try:
        return dataclasses.replace(move, each_side=True)
    except TypeError:
        fields = {field.name: getattr(move, field.name) for field in dataclasses.fields(move)}
        return types.SimpleNamespace(**fields, each_side=True)


@pytest.fixture
def sided(monkeypatch):
    """calf_stretch (timed) and split_squat (repetitions) done one side at a time."""
    for move_id in ("calf_stretch", "split_squat"):
        monkeypatch.setitem(BY_ID, move_id, one_sided(move_id))


SIDED_ROUTINE = {
    "warm_up": [entry("march_on_the_spot", seconds=60)],
    "moves": [entry("split_squat", sets=2, reps=8), entry("sit_to_stand", reps=10)],
    "cool_down": [entry("calf_stretch", seconds=30)],
}


@pytest.mark.usefixtures("sided")
def test_a_move_done_one_side_at_a_time_says_each_side_and_times_each_side():
    steps = session_steps(activity="bodyweight", minutes=20, routine=SIDED_ROUTINE)
    assert [(s["title"], s["dose"], s["seconds"], s["reps"], s["side"]) for s in steps] == [
        ("March on the spot", "1 minute", 60, None, None),
        ("Split squat", "8 repetitions each side", None, 8, None),
        ("Split squat", "8 repetitions each side", None, 8, None),
        ("Sit to stand", "10 repetitions", None, 10, None),
        # A timed one: a countdown per side, the switch a step of its own; each names its side, so its dose
        # is that side's ("Calf stretch (left side): 30 seconds", not "30 seconds each side").
        ("Calf stretch (left side)", "30 seconds", 30, None, "left"),
        ("Calf stretch (right side)", "30 seconds", 30, None, "right"),
    ]
    assert [(s["set"], s["sets"]) for s in steps[1:3]] == [(1, 2), (2, 2)]
    assert {s["move_id"] for s in steps[4:]} == {"calf_stretch"}


@pytest.mark.usefixtures("sided")
def test_each_side_comes_from_the_library_when_the_entry_has_no_dose():
    steps = session_steps(activity="bodyweight", minutes=20, routine={"moves": [{"id": "calf_stretch"}]})
    assert [(s["title"], s["dose"]) for s in steps] == [
        ("Calf stretch (left side)", "30 seconds"),
        ("Calf stretch (right side)", "30 seconds"),
    ]


def test_an_entry_may_say_each_side_itself_and_a_move_without_it_is_done_once():
    routine = {"moves": [{"id": "wall_sit", "seconds": 20, "each_side": True}, {"id": "squat"}]}
    steps = session_steps(activity="bodyweight", minutes=20, routine=routine)
    assert [(s["title"], s["dose"]) for s in steps] == [
        ("Wall sit (left side)", "20 seconds"),
        ("Wall sit (right side)", "20 seconds"),
        ("Squat", "10 repetitions"),
    ]
    # An odd value is no answer: the library decides (squat is done on both legs at once).
    odd = session_steps(
        activity="bodyweight", minutes=20, routine={"moves": [{"id": "squat", "each_side": "yes"}]}
    )
    assert [(s["title"], s["dose"]) for s in odd] == [("Squat", "10 repetitions")]


def test_the_library_moves_marked_each_side_get_each_side_doses():
    """Once planner.moves marks its one-sided moves, every one of them says so in its steps."""
    marked = [move for move in BY_ID.values() if getattr(move, "each_side", False)]
    if not marked:
        pytest.skip("planner.moves has no each_side moves yet")
    for move in marked:
        steps = session_steps(activity="bodyweight", minutes=20, routine={"moves": [{"id": move.id}]})
        if move.seconds:  # a step per side, each named for its side
            assert [s["title"] for s in steps] == [f"{move.name} (left side)", f"{move.name} (right side)"]
            assert not any("each side" in s["dose"] for s in steps), move.id
        else:
            assert [s["dose"] for s in steps] == [f"{move.reps} repetitions each side"], move.id


# --- Stop signs --------------------------------------------------------------------------------------------


def test_stop_signs_are_the_heart_warnings_for_any_flag_and_more_for_some():
    assert stop_signs([]) == stop_signs(None) == []
    assert stop_signs(["medication"]) == [STOP_SIGNS_FOR_EVERYONE]
    assert stop_signs(["dizziness", "pregnant", "bone_joint"]) == [
        STOP_SIGNS_FOR_EVERYONE,
        STOP_SIGNS["pregnant"],
        STOP_SIGNS["bone_joint"],
        STOP_SIGNS["dizziness"],
    ]
    # Every flag named in the table is one of the health flags.
    from steady.vocabulary import HEALTH_FLAGS

    assert set(STOP_SIGNS) <= set(HEALTH_FLAGS)
    assert steps_module.STOP_SIGNS is STOP_SIGNS


def test_durations_in_words():
    assert [duration_words(s) for s in (1, 45, 60, 90, 120, 150)] == [
        "1 second",
        "45 seconds",
        "1 minute",
        "1 minute 30 seconds",
        "2 minutes",
        "2 minutes 30 seconds",
    ]


# --- The page ----------------------------------------------------------------------------------------------


@pytest.fixture
def strength(plan):
    return PlannedSessionFactory(
        plan=plan,
        date=WEDNESDAY,
        activity="bodyweight",
        variant="home strength exercises",
        category="strength",
        intensity="moderate",
        met="3.8",
        minutes=20,
        why="Strength training eases symptoms of depression.",
        routine=ROUTINE,
    )


def page_of(client, session):
    response = client.get(reverse("session_page", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_strength_session_shows_each_move_with_its_dose_and_picture(owner, strength):
    page = page_of(owner, strength)
    assert "Strength exercises, 20 minutes" in page
    assert "Wednesday 25 November" in page
    assert "Moderate: you can talk, but not sing" in page
    assert html.escape(ROUTINE["effort"]) in page
    assert "Strength training eases symptoms of depression." in page
    for move_id, dose in [
        ("march_on_the_spot", "1 minute"),
        ("sit_to_stand", "10 repetitions"),
        ("wall_push_up", "8 repetitions"),
        ("wall_sit", "20 seconds"),
        ("upper_back_stretch", "30 seconds"),
    ]:
        move = BY_ID[move_id]
        name = re.escape(html.escape(move.name))
        assert re.search(rf'fw-semibold">{name}</span>.*?\s*<span class="d-block">{dose}', page), move_id
        assert f'<img src="{static(f"planner/moves/{move_id}.svg")}" alt="{html.escape(move.alt)}"' in page
    assert "10 repetitions, set 1 of 2" in page
    assert "Rest for 1 minute" in page
    assert "Round 2 of 2" in page
    # The checklist finishes the session and goes on to "How did it go?".
    assert f'action="{reverse("session_done", args=[strength.pk])}"' in page
    assert 'name="then" value="details"' in page
    assert "I've finished: mark it done" in page
    assert 'src="/static/planner/session.js" defer' in page


def test_an_unknown_move_has_an_empty_alt(owner, plan):
    session = PlannedSessionFactory(
        plan=plan, category="strength", routine={"moves": [{"id": "new_move", "name": "New move", "reps": 5}]}
    )
    page = page_of(owner, session)
    assert f'<img src="{static("planner/moves/new_move.svg")}" alt=""' in page
    assert "5 repetitions" in page


def test_a_move_links_to_how_to_do_it_when_its_page_exists(owner, strength):
    from django.urls import NoReverseMatch

    try:
        url = reverse("move_detail", args=["sit_to_stand"])
    except NoReverseMatch:
        pytest.skip("the move pages are not there yet")
    page = page_of(owner, strength)
    assert f'href="{url}"' in page
    assert "How to do it" in page


def test_a_run_walk_session_shows_its_warm_up_intervals_and_cool_down(owner, plan):
    session = PlannedSessionFactory(
        plan=plan, date=WEDNESDAY, activity="running", variant="run/walk", minutes=20, intervals=RUN_WALK
    )
    page = page_of(owner, session)
    assert (
        "Warm up for 5 minutes (brisk walk). Then 4 times: run for 1 minute, then walk for 1 minute 30 "
        "seconds. Cool down for 5 minutes (easy walk). 20 minutes in all."
    ) in page
    assert page.count("Run for 1 minute<") == 4
    assert '<h3 class="h6 mt-3 mb-2">Warm-up</h3>' in page and "Walk briskly for 5 minutes" in page
    assert "Repeat 4 of 4" in page and "Repeat 5" not in page
    assert page.rindex("Walk at an easy pace for 5 minutes") > page.rindex("Repeat 4 of 4")
    assert "<img" not in page.split('id="session-finish"', 1)[1]


def effort_section(page: str) -> str:
    return page.split("How hard it should feel</h2>", 1)[1].split("<h2", 1)[0]


@pytest.mark.parametrize(
    ("activity", "intervals", "met", "band"),
    [
        ("running", RUN_WALK, "6.0", "Hard: only a few words before you need a breath"),
        ("cycling", RIDE, "3.5", "Moderate: you can talk, but not sing"),
        ("swimming", SWIM, "5.8", "Moderate: you can talk, but not sing"),
    ],
)
def test_intervals_with_hard_parts_say_how_each_part_feels_instead_of_one_band(
    owner, plan, activity, intervals, met, band
):
    session = PlannedSessionFactory(
        plan=plan,
        date=WEDNESDAY,
        activity=activity,
        intensity="vigorous" if met == "6.0" else "moderate",
        met=met,
        minutes=30,
        intervals=intervals,
    )
    section = effort_section(page_of(owner, session))
    assert band not in section  # a run/walk is mostly walking; a ride's hard parts are not moderate
    assert "<strong>Hard parts</strong>: you breathe hard and can say only a few words." in section
    assert "<strong>Easy parts, warm-up and cool-down</strong>: easy enough to chat" in section
    assert "Slow down or make the easy parts longer whenever you need to." in section


def test_lengths_with_rests_have_no_hard_parts_and_keep_their_band(owner, plan):
    session = PlannedSessionFactory(
        plan=plan,
        date=WEDNESDAY,
        activity="swimming",
        variant="swim lengths at a slow pace",
        minutes=20,
        intervals=LENGTHS,
    )
    section = effort_section(page_of(owner, session))
    assert "Hard parts" not in section
    assert "Moderate: you can talk, but not sing" in section


NEW_TO_HARD_WORK = {
    "week_start": "2026-01-05",
    "age": 35,
    "current_minutes_per_week": 200,
    "strength_days_now": 2,
    "available_days": ["mon", "tue", "wed", "thu", "fri"],
    "max_minutes_per_day": 60,
}


def engine_session(plan, family):
    """The engine's own session with hard parts for someone stepping up, saved as the app saves it."""
    from planner.engine import make_plan

    planned = make_plan(dict(NEW_TO_HARD_WORK, preferences=[family]))["sessions"]
    fields = next(s for s in planned if s["activity"] == family and "intervals" in s)
    return PlannedSessionFactory(
        plan=plan,
        date=WEDNESDAY,
        **{key: fields[key] for key in ("activity", "variant", "compendium_code", "category", "intensity")},
        met=str(fields["met"]),
        minutes=fields["minutes"],
        why=fields["why"],
        intervals=fields["intervals"],
    )


def test_a_new_cyclists_ride_shows_its_parts_by_feel_on_any_bike(owner, plan):
    session = engine_session(plan, "cycling")
    page = page_of(owner, session)
    repeats = (session.minutes * 60 - 600) // 150
    assert (
        f"Warm up for 5 minutes (easy pedalling). Then {repeats} times: pedal hard for 1 minute, then pedal "
        f"easily for 1 minute 30 seconds. Cool down for"
    ) in page
    assert page.count('data-title="Hard pedalling"') == repeats and 'data-title="Easy pedalling"' in page
    assert "Hard and easy pedalling in turn, on a bike or an exercise bike" in page
    assert "watts" not in page  # nobody was asked for a power meter
    assert "Cycle for" not in page and 'data-testid="pool-note"' not in page


def test_a_new_swimmers_session_is_timed_by_the_pool_clock_not_a_beeping_phone(owner, plan):
    session = engine_session(plan, "swimming")
    page = page_of(owner, session)
    repeats = (session.minutes * 60 - 600) // 150
    assert page.count('data-kind="interval"') == 1 and page.count('data-title="Fast and slow lengths"') == 1
    assert (
        f"{repeats} times: swim fast lengths for 1 minute, then swim slow lengths for 1 minute 30 seconds "
        f"({duration_words(repeats * 150)} by the pool clock)"
    ) in page
    assert html.escape(steps_module.POOL_NOTE) in page
    assert "Swim slow lengths for 5 minutes" in page and "Swim for" not in page


def test_a_plain_swim_has_no_pool_note(owner, plan):
    session = PlannedSessionFactory(plan=plan, date=WEDNESDAY, activity="swimming", variant="water aerobics")
    assert 'data-testid="pool-note"' not in page_of(owner, session)


def test_a_plain_session_is_its_minutes(owner, session):
    page = page_of(owner, session)
    assert "Brisk walk for 20 minutes" in page
    assert 'data-seconds="1200"' in page


def test_a_plain_session_is_named_for_its_variant(owner, plan):
    session = PlannedSessionFactory(
        plan=plan, date=WEDNESDAY, activity="swimming", variant="water aerobics", minutes=20, met="5.5"
    )
    page = page_of(owner, session)
    assert re.search(r'data-title="Water aerobics"\s+data-dose="Water aerobics for 20 minutes"', page)
    assert '<span class="fw-semibold">Water aerobics</span>' in page
    assert "Swim for" not in page


def test_the_page_shows_each_side_doses_and_a_step_per_side(owner, plan, sided):
    session = PlannedSessionFactory(plan=plan, date=WEDNESDAY, category="strength", routine=SIDED_ROUTINE)
    page = page_of(owner, session)
    assert "8 repetitions each side, set 1 of 2" in page
    for side in ("left", "right"):
        assert re.search(rf'data-title="Calf stretch \({side} side\)"\s+data-dose="30 seconds"', page)
    # The picture once, with the first side.
    assert page.count(f'<img src="{static("planner/moves/calf_stretch.svg")}"') == 1


def test_the_stop_signs_are_only_for_someone_with_a_health_flag(owner, profile, session):
    stop = "Stop and get help if you feel chest pain or pressure"
    assert stop not in page_of(owner, session)
    profile.health_flags = ["heart_condition"]
    profile.save()
    page = page_of(owner, session)
    assert stop in page
    assert f'href="{reverse("safety")}"' in page.split(stop, 1)[1].split("</div>", 1)[0]
    for words in STOP_SIGNS.values():
        assert html.escape(words) not in page


def stop_box(page):
    return page.split('data-testid="stop-signs"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        (
            "pregnant",
            [
                "midwife or doctor",
                "had a baby in the last few months",
                "vaginal bleeding",
                "fluid leaking",
                "regular painful contractions",
                "calf pain or swelling",
                "a headache that does not go away",
                "you feel faint",
            ],
        ),
        ("bone_joint", ["sharp pain", "makes a joint swell", "easier version next time"]),
        ("dizziness", ["dizzy or light-headed, sit down at once", "something steady", "within reach"]),
    ],
)
def test_each_flag_adds_its_own_stop_signs_to_the_heart_warnings(owner, profile, session, flag, words):
    profile.health_flags = [flag]
    profile.save()
    box = stop_box(page_of(owner, session))
    assert html.escape(STOP_SIGNS_FOR_EVERYONE) in box
    assert html.escape(STOP_SIGNS[flag]) in box
    for word in words:
        assert html.escape(word) in box, word
    # Only that flag's signs.
    for other, other_words in STOP_SIGNS.items():
        if other != flag:
            assert html.escape(other_words) not in box


def test_all_the_flags_stop_signs_together_in_one_box(owner, profile, session):
    profile.health_flags = ["dizziness", "pregnant", "bone_joint", "medication"]
    profile.save()
    page = page_of(owner, session)
    assert page.count('data-testid="stop-signs"') == 1
    box = stop_box(page)
    places = [box.index(html.escape(words)) for words in stop_signs(profile.health_flags)]
    assert places == sorted(places) and len(places) == 4


# --- A session already done --------------------------------------------------------------------------------


def test_a_done_session_says_so_with_no_guide_or_finish_button(owner, session):
    page = page_of(owner, session)
    assert 'data-testid="done-banner"' not in page
    assert 'id="guide-start"' in page and 'id="finish-button"' in page

    session.mark_done(WEDNESDAY_NOON)
    page = page_of(owner, session)
    banner = page.split('data-testid="done-banner"', 1)[1].split("</div>", 1)[0]
    assert ">Done</p>" in banner
    assert f'<a href="{reverse("session_details", args=[session.pk])}">How did it go?</a>' in banner
    assert 'id="guide-start"' not in page
    assert "Start</button>" not in page
    assert 'id="finish-button"' not in page
    # The guide's script only forgets the place it kept; the checklist is still there as a record.
    assert f'id="guide" hidden data-session="{session.pk}" data-done="true"' in page
    assert 'id="step-1-done"' in page


def test_the_checklist_boxes_are_at_least_24_pixels(owner, strength):
    page = page_of(owner, strength)
    boxes = re.findall(r'<input class="form-check-input[^>]*id="step-\d+-done"[^>]*>', page)
    assert len(boxes) == 11
    assert all('style="width: 1.5rem; height: 1.5rem"' in box for box in boxes)


def test_the_dashboard_card_links_to_the_session_page(owner, plan, session):
    page = owner.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("session_page", args=[session.pk])}"' in page


def test_someone_elses_session_is_not_found(client, session):
    stranger = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    client.force_login(stranger.user)
    assert client.get(reverse("session_page", args=[session.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, session):
    response = client.get(reverse("session_page", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Finishing ---------------------------------------------------------------------------------------------


def test_finishing_from_the_page_marks_it_done_and_asks_how_it_went(owner, strength):
    response = owner.post(reverse("session_done", args=[strength.pk]), {"then": "details"})
    assert response.status_code == 302
    assert response["Location"] == reverse("session_details", args=[strength.pk])
    strength.refresh_from_db()
    assert strength.status == "done"
    assert strength.completed_at == WEDNESDAY_NOON
    assert "How did it go?" in owner.get(response["Location"]).content.decode()


@pytest.mark.parametrize("then", ["", "Details", "details/", "https://example.com/", "dashboard"])
def test_any_other_then_behaves_as_before(owner, session, then):
    response = owner.post(reverse("session_done", args=[session.pk]), {"then": then})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('dashboard')}#session-{session.pk}"
    session.refresh_from_db()
    assert session.status == "done"


def test_htmx_without_then_still_gets_the_card(owner, session):
    response = owner.post(reverse("session_done", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="session-{session.pk}"' in response.content.decode()


def test_finishing_someone_elses_session_is_not_found(client, session):
    stranger = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    client.force_login(stranger.user)
    response = client.post(reverse("session_done", args=[session.pk]), {"then": "details"})
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == "planned"


def test_a_session_still_to_come_says_when_it_can_be_ticked_off_and_offers_no_button(owner, plan):
    friday = PlannedSessionFactory(plan=plan, date=WEDNESDAY + datetime.timedelta(days=2))
    page = page_of(owner, friday)
    assert "This session is on Friday 27 November: you can tick it off on the day, or after." in page
    assert "I&#x27;ve finished: mark it done" not in page and "I've finished: mark it done" not in page
    today = page_of(owner, PlannedSessionFactory(plan=plan, date=WEDNESDAY))
    assert "mark it done" in today and "you can tick it off on the day" not in today
