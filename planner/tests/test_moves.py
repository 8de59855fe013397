import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.urls import reverse

from planner import move_drawings
from planner.catalogue import MAJOR_MUSCLE_GROUPS
from planner.moves import BY_ID, KINDS, MOVES, PROPS, needs_chair

SVG = "{http://www.w3.org/2000/svg}"
PICTURES = move_drawings.OUT_DIR


def test_the_library_has_enough_moves_for_every_muscle_group_and_kind():
    assert len(MOVES) >= 40
    assert len({move.id for move in MOVES}) == len(MOVES)
    worked = {group for move in MOVES if move.kind == "strength" for group in move.muscle_groups}
    assert set(MAJOR_MUSCLE_GROUPS) <= worked
    assert {move.kind for move in MOVES} == set(KINDS)
    assert any("balance" in move.muscle_groups for move in MOVES)


@pytest.mark.parametrize("move", MOVES, ids=lambda move: move.id)
def test_every_move_says_how_to_do_it(move):
    assert 3 <= len(move.steps) <= 5
    for text in (*move.steps, move.feel, move.avoid, move.easier, move.harder, move.alt):
        assert text.strip() and text == text.strip()
        assert text[0].isupper() and text.endswith("."), text
    assert move.alt.startswith("Start:") or move.alt.startswith("Front view. Start:")
    assert " End: " in move.alt


@pytest.mark.parametrize("move", MOVES, ids=lambda move: move.id)
def test_every_move_has_its_picture(move):
    path = PICTURES / f"{move.id}.svg"
    text = path.read_text(encoding="utf-8")
    assert len(text) < 8000
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("viewBox")
    assert root.find(f"{SVG}title").text == move.alt
    # Nothing from elsewhere: no links, images, scripts, styles or fonts, no URL at all.
    assert not re.search(r"href|url\(|<image|<script|<style|@import|<foreignObject", text)
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_pictures_in_the_repository_are_what_the_generator_draws(tmp_path):
    move_drawings.write_all(tmp_path)
    for move in MOVES:
        expected = (tmp_path / f"{move.id}.svg").read_text(encoding="utf-8")
        assert (PICTURES / f"{move.id}.svg").read_text(encoding="utf-8") == expected, (
            f"{move.id}.svg is stale: run python -m planner.move_drawings"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("move", MOVES, ids=lambda move: move.id)
def test_every_move_has_a_public_page(client, move):
    response = client.get(reverse("move_detail", args=[move.id]))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert f'<h1 class="h3 mb-1">{move.name}</h1>' in page
    picture = re.search(r'<img src="([^"]+)" alt="([^"]*)"', page)
    assert picture.group(1) == f"/static/planner/moves/{move.id}.svg"
    assert picture.group(2) == move.alt
    steps = re.findall(r"<li>(.*?)</li>", re.search(r'id="how".*?<ol>(.*?)</ol>', page, re.S).group(1))
    assert steps == list(move.steps)
    for text in (move.feel, move.avoid, move.easier, move.harder):
        assert text in page
    assert "Stop and get help if you feel chest pain or pressure" in page
    assert reverse("safety") in page


@pytest.mark.django_db
def test_a_move_page_says_who_should_leave_it_out(client):
    plank = unescape(client.get(reverse("move_detail", args=["plank"])).content.decode())
    assert "heart condition or high blood pressure" in plank
    bridge = unescape(client.get(reverse("move_detail", args=["glute_bridge"])).content.decode())
    assert "lying flat on your back" in bridge
    jump = unescape(client.get(reverse("move_detail", args=["jump_squat"])).content.decode())
    assert "includes jumping" in jump
    squat = unescape(client.get(reverse("move_detail", args=["sit_to_stand"])).content.decode())
    assert "Leave it out" not in squat and "leave it out" not in squat


@pytest.mark.django_db
def test_the_index_lists_every_move_by_kind_and_links_to_its_page(client):
    response = client.get(reverse("moves"))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    for move in MOVES:
        assert f'href="{reverse("move_detail", args=[move.id])}">{move.name}</a>' in page
        assert f'src="/static/planner/moves/{move.id}.svg"' in page
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page)
    assert headings == ["Strength", "Balance", "Warm-up", "Cool-down and stretches"]
    groups = re.findall(r"<h3[^>]*>(.*?)</h3>", page)
    assert groups == [group.capitalize() for group in MAJOR_MUSCLE_GROUPS]
    legs = page.index('id="strength-legs"')
    assert legs < page.index("Sit to stand") < page.index('id="strength-hips"')
    assert "Standing · Nothing needed" in page and "On a chair · A steady chair" in page


@pytest.mark.django_db
def test_the_move_pages_need_no_login(client):
    assert client.get(reverse("moves")).status_code == 200
    assert client.get(reverse("move_detail", args=["squat"])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("move_id", ["no_such_move", "Squat", "squat-"])
def test_an_unknown_move_is_a_404(client, move_id):
    assert client.get(f"/moves/{move_id}/").status_code == 404


# --- What a move needs: the chair for seated moves, props named in its steps, each side -------------------

PROP_WORDS = {
    "counter": r"\bcounter\b",
    "table": r"\btable\b",
    "stairs": r"\b(stair|stairs|banister)\b",
    "door": r"\bdoor\b",
    "mat": r"\bmat\b",
    "cushions": r"\bcushions?\b",
}


@pytest.mark.parametrize("move", MOVES, ids=lambda move: move.id)
def test_every_prop_in_a_moves_steps_is_its_equipment_or_marked(move):
    steps = " ".join(move.steps).lower()
    assert set(move.props) <= set(PROPS)
    if re.search(r"\bchair\b", steps) and not needs_chair(move):
        # Only as the alternative to a kitchen counter ("a kitchen counter or the back of a steady chair").
        assert all("counter or the back of a steady chair" in step for step in move.steps if "chair" in step)
    if re.search(r"\bbands?\b", steps):
        assert move.equipment == "band", move.id
    if re.search(r"\b(a|one|the|each) weight\b|\bweights\b", steps):
        assert move.equipment == "weights", move.id
    for prop, pattern in PROP_WORDS.items():
        optional = all(
            "if you like" in step or "or a wall" in step or "or counter" in step
            for step in move.steps
            if re.search(pattern, step.lower())
        )
        if re.search(pattern, steps) and not optional:
            assert prop in move.props or (prop == "counter" and "table" in move.props), (move.id, prop)
        if prop in move.props:
            assert re.search(pattern, steps), (move.id, prop)


def test_seated_moves_need_a_chair_whatever_else_they_use():
    assert needs_chair(BY_ID["seated_chest_press"]) and BY_ID["seated_chest_press"].equipment == "weights"
    assert not needs_chair(BY_ID["squat"])


def test_moves_done_one_side_at_a_time_are_marked():
    sided = {move.id for move in MOVES if move.each_side}
    assert {
        "one_leg_stand",
        "tandem_stance",
        "calf_stretch",
        "split_squat",
        "side_leg_raise",
        "dumbbell_row",
        "standing_quad_stretch",
        "seated_knee_extension",
        "seated_hamstring_stretch",
    } <= sided
    assert not sided & {"squat", "sit_to_stand", "wall_push_up", "march_on_the_spot", "slow_breathing"}
    for move in MOVES:
        if move.each_side:
            assert re.search(
                r"switch|other leg|other side|other foot|other knee|face the other way", " ".join(move.steps)
            ), move.id


def test_versions_of_one_move_share_a_pattern():
    assert BY_ID["push_up"].pattern == BY_ID["knee_push_up"].pattern == BY_ID["wall_push_up"].pattern
    assert BY_ID["sit_to_stand"].pattern == BY_ID["squat"].pattern
    assert BY_ID["split_squat"].pattern != BY_ID["squat"].pattern
