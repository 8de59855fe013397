import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.urls import reverse

from planner import move_drawings
from planner.catalogue import MAJOR_MUSCLE_GROUPS
from planner.moves import KINDS, MOVES

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
