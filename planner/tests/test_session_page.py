"""The session page (/sessions/<id>/): its steps (planner/steps.py), what it shows, and finishing from it."""

import html
import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from planner.moves import BY_ID
from planner.steps import duration_words, session_steps
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
    "cool_down": [entry("calf_stretch", seconds=30)],
}
RUN_WALK = [{"activity": "running", "seconds": 60}, {"activity": "walking", "seconds": 90}]


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
        ("cool_down", "Calf stretch", "30 seconds"),
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


def test_intervals_repeat_to_fill_the_minutes_and_the_last_one_is_cut_to_fit():
    steps = session_steps(activity="running", minutes=20, intervals=RUN_WALK)
    assert len(steps) == 16  # 20 minutes = 8 times 150 seconds
    assert sum(s["seconds"] for s in steps) == 20 * 60
    assert [(s["kind"], s["title"], s["dose"]) for s in steps[:2]] == [
        ("interval", "Running", "Run for 1 minute"),
        ("interval", "Walking", "Walk for 1 minute 30 seconds"),
    ]
    assert steps[0]["part"] == "Repeat 1 of 8" and steps[-1]["part"] == "Repeat 8 of 8"

    steps = session_steps(activity="running", minutes=21, intervals=RUN_WALK)
    assert sum(s["seconds"] for s in steps) == 21 * 60
    assert steps[-1]["dose"] == "Run for 1 minute"

    steps = session_steps(activity="running", minutes=3, intervals=RUN_WALK)
    assert [s["seconds"] for s in steps] == [60, 90, 30]


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
        }
    ]
    # Bad intervals or an empty routine: still the plain session.
    assert session_steps(activity="yoga", minutes=30, routine={}, intervals=[{"seconds": 0}])[0]["dose"] == (
        "Yoga for 30 minutes"
    )


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
    assert "Home strength exercises (no equipment), 20 minutes" in page
    assert "Wednesday 25 November" in page
    assert "Moderate: you can talk, but not sing" in page
    assert html.escape(ROUTINE["effort"]) in page
    assert "Strength training eases symptoms of depression." in page
    for move_id, dose in [
        ("march_on_the_spot", "1 minute"),
        ("sit_to_stand", "10 repetitions"),
        ("wall_push_up", "8 repetitions"),
        ("wall_sit", "20 seconds"),
        ("calf_stretch", "30 seconds"),
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


def test_a_run_walk_session_shows_its_intervals(owner, plan):
    session = PlannedSessionFactory(
        plan=plan, date=WEDNESDAY, activity="running", variant="run/walk", minutes=20, intervals=RUN_WALK
    )
    page = page_of(owner, session)
    assert "Run for 1 minute, then walk for 1 minute 30 seconds: 8 times in all, 20 minutes." in page
    assert page.count("Run for 1 minute<") == 8
    assert "Repeat 8 of 8" in page
    assert "<img" not in page.split('id="session-finish"', 1)[1]


def test_a_plain_session_is_its_minutes(owner, session):
    page = page_of(owner, session)
    assert "Walk for 20 minutes" in page
    assert 'data-seconds="1200"' in page


def test_the_stop_signs_are_only_for_someone_with_a_health_flag(owner, profile, session):
    stop = "Stop and get help if you feel chest pain or pressure"
    assert stop not in page_of(owner, session)
    profile.health_flags = ["heart_condition"]
    profile.save()
    page = page_of(owner, session)
    assert stop in page
    assert f'href="{reverse("safety")}"' in page.split(stop, 1)[1].split("</div>", 1)[0]


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
