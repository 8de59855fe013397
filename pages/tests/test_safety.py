"""The safety page for a visitor from any country: their own country's card first, then every country's
emergency numbers (libphonenumber's data, pages/emergency_numbers.py)."""

import re
from html import unescape

import phonenumbers
import pytest
from django.urls import reverse

from pages.emergency_numbers import emergency_numbers, regions
from pages.help_lines import country_names
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<section class="card[^"]*" aria-labelledby="help-(\w+)">(.*?)</section>', re.DOTALL)


def cards(page: str) -> list[tuple[str, str]]:
    """[(ISO code, the card's HTML)] in page order."""
    return CARD.findall(page)


def tel_links(html: str) -> list[str]:
    return re.findall(r'<a href="tel:(\d+)">', html)


def every_country_list(page: str) -> dict[str, str]:
    """{country name: its line} from the list of every country's emergency numbers."""
    listing = page[page.index('id="every-country"') :]
    listing = listing[listing.index("<details>") : listing.index("</details>")]
    lines = [unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li[^>]*>(.*?)</li>", listing)]
    return dict(line.split(": ", 1) for line in lines)


def test_a_visitor_from_germany_gets_a_germany_card_first_with_112_and_110_to_tap(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()

    code, card = cards(page)[0]
    assert code == "DE"
    assert "Germany" in card and "Your country" in card
    assert tel_links(card) == ["112", "110"]
    assert "Find a Helpline" in card and "https://findahelpline.com" in card
    # The hand-checked helplines of other countries still follow.
    assert [code for code, _ in cards(page)[1:]] == ["US", "CA", "GB", "IE", "AU"]


def test_a_signed_in_person_from_nepal_gets_nepals_numbers_whatever_their_browser_says(client):
    profile = ProfileFactory(country="NP")
    client.force_login(profile.user)

    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-US")

    code, card = cards(response.content.decode())[0]
    assert code == "NP" and "Nepal" in card
    assert tel_links(card) == ["112", "100", "101", "102", "103"]
    assert "112, 100, 101, 102 or 103" in re.sub(r"<[^>]+>", "", card)
    assert response.context["countries"][0].name == "Nepal"


def test_a_hand_checked_country_keeps_its_helplines_card(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()

    code, card = cards(page)[0]
    assert code == "GB" and "United Kingdom" in card
    assert tel_links(card) == ["999", "112", "116123"]
    assert "Samaritans" in card


def test_every_region_of_the_data_is_listed_with_its_numbers_to_tap(client):
    page = client.get(reverse("safety")).content.decode()

    listed = every_country_list(page)

    names = country_names()
    assert len(listed) == len(regions()) == 241
    for region in regions():
        found = emergency_numbers(region)
        line = listed[names[region]]
        assert line.split(", ")[: len(found.numbers)] == list(found.numbers), region
    assert listed["Germany"] == "112, 110"
    assert listed["Czech Republic"] == "112, 150 to 159"
    assert listed["Guinea"] == "none in the data"
    assert "All 241 countries and territories" in page
    assert list(listed)[:2] == ["Afghanistan", "Åland Islands"]
    # Every exact number is a link; a block is text.
    links = set(tel_links(page))
    assert {"110", "112", "911", "999", "000", "1730"} <= links
    assert "151" not in links and "1301" not in links


def test_the_source_line_names_libphonenumber_and_the_installed_version(client):
    page = client.get(reverse("safety")).content.decode()

    source = (
        f"Source: Google&#x27;s libphonenumber short-number data, via phonenumbers {phonenumbers.__version__}"
    )
    assert source in page


def test_a_country_the_data_has_no_number_for_gets_a_card_that_says_so(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="fr-GN").content.decode()

    code, card = cards(page)[0]
    assert code == "GN"
    assert "We have no emergency number for Guinea" in card and "Find a Helpline" in card
    assert tel_links(card) == []


def test_a_block_of_numbers_is_told_in_the_card_without_links(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="cs-CZ").content.decode()

    code, card = cards(page)[0]
    assert code == "CZ"
    assert tel_links(card) == ["112"]
    assert "phones there also treat 150 to 159 as emergency numbers" in card


def test_an_unknown_region_gets_no_card_of_its_own(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-ZZ").content.decode()

    assert [code for code, _ in cards(page)] == ["US", "CA", "GB", "IE", "AU"]
    assert "Your country" not in page


def test_the_safety_page_needs_no_query_signed_out_and_one_signed_in(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="de-DE")
    client.force_login(ProfileFactory(country="NP").user)
    with django_assert_num_queries(1):  # the person with their profile, for the country
        client.get(reverse("safety"))
