"""Error pages in the site's style, each with the way to the safety page; the 500 page needs no database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

pytestmark = pytest.mark.django_db

SAFETY_LINK = f'href="{reverse("safety")}"'


def test_an_unknown_address_gets_a_404_page_with_the_menu_and_the_safety_link(client):
    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "We couldn&#x27;t find that page" in page or "We couldn't find that page" in page
    assert SAFETY_LINK in page and 'aria-label="Main"' in page


def test_a_visit_to_a_button_only_address_gets_a_405_page_not_a_blank_one(owner, session):
    response = owner.get(reverse("session_done", args=[session.pk]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "can&#x27;t be opened like this" in page or "can't be opened like this" in page
    assert SAFETY_LINK in page and reverse("dashboard") in page  # the signed-in menu


def test_a_bad_request_gets_a_400_page(client):
    response = client.get("/", HTTP_HOST="not allowed host")

    assert response.status_code == 400
    assert "understand that request" in response.content.decode()


def test_an_expired_form_gets_a_403_page_that_says_what_to_do():
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@b.example"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "That form had expired" in page and SAFETY_LINK in page


def test_a_forbidden_page_gets_a_403_page(rf):
    response = permission_denied(rf.get("/"), PermissionDenied())

    assert response.status_code == 403
    assert SAFETY_LINK in response.content.decode()


def test_the_500_page_renders_without_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and SAFETY_LINK in page


def test_no_template_comment_shows_on_an_error_page(client, rf):
    for page in (client.get("/no-such-page/").content.decode(), server_error(rf.get("/")).content.decode()):
        assert "{#" not in page and "#}" not in page and "comment" not in page.lower()
