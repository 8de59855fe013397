import re

import pytest
from django.urls import reverse

from tests.crawl import assert_loads_only_from_this_site, crawl
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SAFETY = "/safety/"


def test_safety_page_is_public_and_says_steady_is_no_substitute_for_care(client):
    response = client.get(reverse("safety"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Steady is not a substitute for care" in page
    assert "988" in page and "116 123" in page and "13 11 14" in page and "741741" in page
    assert "findahelpline.com" in page
    assert "family doctor" in page


@pytest.mark.parametrize(
    "accept_language, first_country",
    [("en-AU,en;q=0.8", "Australia"), ("en-GB", "United Kingdom"), ("fr-CA,fr;q=0.9", "Canada")],
)
def test_safety_page_lists_the_visitors_country_first(client, accept_language, first_country):
    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE=accept_language)

    countries = [c.name for c in response.context["countries"]]
    assert countries[0] == first_country
    assert "Your country" in response.content.decode()


def test_safety_page_tells_people_in_the_eu_about_112(client):
    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert 'In the European Union, call <a href="tel:112">112</a>' in response.content.decode()


def test_landing_page_explains_steady_with_its_evidence(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    assert "Noetel et al., BMJ 2024" in page
    assert reverse("account_signup") in page and reverse("account_login") in page


def test_every_public_page_links_to_the_safety_page_and_loads_nothing_from_elsewhere(client):
    pages = crawl(client)

    assert {"/", "/accounts/signup/", "/accounts/login/", SAFETY} <= set(pages)
    for url, page in pages.items():
        assert SAFETY in page.links, f"{url} has no link to the safety page"
        assert_loads_only_from_this_site(url, page)


def test_every_page_of_a_signed_in_person_links_to_the_safety_page_and_loads_nothing_from_elsewhere(client):
    profile = ProfileFactory()
    client.force_login(profile.user)

    pages = crawl(client)

    assert len(pages) >= 3
    for url, page in pages.items():
        assert SAFETY in page.links, f"{url} has no link to the safety page"
        assert_loads_only_from_this_site(url, page)


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_healthz_answers_for_the_container_healthcheck(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_safety_page_puts_the_country_from_the_profile_first(client):
    profile = ProfileFactory(country="AU")
    client.force_login(profile.user)

    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-US")

    assert [c.name for c in response.context["countries"]][0] == "Australia"


def test_every_page_offers_not_ok_right_now_in_the_navigation(client):
    for url in ("/", reverse("safety"), reverse("account_login")):
        page = client.get(url).content.decode()
        assert f'<a class="nav-link" href="{SAFETY}">Not OK right now?</a>' in page
        assert "Need help now?" in page


def test_the_evidence_is_told_no_bigger_than_the_studies_found(client):
    home = " ".join(client.get(reverse("home")).content.decode().split())
    why = " ".join(client.get(reverse("why")).content.decode().split())

    # As good as talking therapy: walking or jogging and yoga, not exercise of every kind.
    assert "walking or jogging and yoga did about as well as talking therapy" in home
    assert "exercise helps about as much as talking therapy" not in home
    assert "the other kinds helped less" in why
    # Benefit grew with intensity in the same review: regularity is not all there is.
    assert "not how hard" not in home
    assert "harder exercise helped a little more" in home
    assert "Swimming was not studied on its own." in why


def test_crisis_numbers_are_tap_to_call_links_on_a_phone(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()

    for number in ("999", "112", "116123", "988", "131114", "000"):
        assert f'href="tel:{number}"' in page, number


def test_pages_use_only_attributes_html_allows(owner, session):
    """htmx's attributes are written data-hx-*, which HTML allows (the Nu HTML Checker refuses bare hx-*)."""
    for url in crawl(owner, start=reverse("dashboard")):
        html = owner.get(url, follow=True).content.decode()
        assert not re.search(r"\shx-[a-z-]+=", html), url
