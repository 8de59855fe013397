"""The safety page for a visitor from any country: their own country's card first, then every country's
emergency numbers (libphonenumber's data, pages/emergency_numbers.py)."""

import re
import unicodedata
from html import unescape

import phonenumbers
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.forms import country_names
from pages.emergency_numbers import emergency_numbers, regions
from pages.help_lines import COUNTRIES, country_from_accept_language
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<section class="card[^"]*" aria-labelledby="help-(\w+)">(.*?)</section>', re.DOTALL)


def cards(page: str) -> list[tuple[str, str]]:
    """[(ISO code, the card's HTML)] in page order."""
    return CARD.findall(page)


def tel_links(html: str) -> list[str]:
    return re.findall(r'<a href="tel:(\d+)">', html)


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def the_list(page: str) -> str:
    """The HTML of the list of every country's emergency numbers (inside its <details>)."""
    listing = page[page.index('id="every-country"') :]
    return listing[listing.index("<details>") : listing.index("</details>")]


def every_country_list(page: str) -> dict[str, str]:
    """{country name: its line} from the list of every country's emergency numbers."""
    countries = the_list(page).split("</nav>", 1)[1]
    lines = [text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", countries)]
    return dict(line.split(": ", 1) for line in lines)


HAND_CHECKED = [country.code for country in COUNTRIES]


def test_a_visitor_from_germany_gets_a_germany_card_first_with_110_and_112_to_tap(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()

    code, card = cards(page)[0]
    assert code == "DE"
    assert "Germany" in card and "Your country" in card
    assert tel_links(card) == ["110", "112"]
    assert "Find a Helpline" in card and "https://findahelpline.com" in card
    # The hand-checked helplines of other countries still follow.
    assert [code for code, _ in cards(page)[1:]] == ["US", "CA", "GB", "IE", "AU"]


@pytest.mark.parametrize(
    "accept_language",
    [
        "de,en-US;q=0.7,en;q=0.3",  # Firefox in German
        "ja,en-US;q=0.9,en;q=0.8",  # Chrome in Japanese
        "de",
        "en-GB;q=0.5,fr",  # French preferred, whatever the order
    ],
)
def test_a_browser_whose_preferred_language_names_no_country_gets_no_guess(client, accept_language):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert "Your country" not in page
    assert [code for code, _ in cards(page)] == HAND_CHECKED
    assert "All 241 countries and territories" in page


@pytest.mark.parametrize(
    "accept_language, country",
    [
        ("en-GB;q=0.8,de-DE", "DE"),  # the preferred language, not the first written
        ("pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7", "BR"),
        ("fr-CA;q=0.9,en-US;q=0.9", "CA"),  # of equals, the first
    ],
)
def test_the_country_comes_from_the_preferred_language(client, accept_language, country):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    code, card = cards(page)[0]
    assert code == country and "Your country" in card
    assert page.count("Your country") == 1


@pytest.mark.parametrize(
    "header, country",
    [
        ("en-GB,en;q=0.9", "GB"),
        ("zh-Hant-TW,zh;q=0.9", "TW"),
        ("en_au", "AU"),
        ("es-419,es;q=0.9", None),  # Latin America: a region, not a country
        ("en-GB;q=0", None),  # q=0: not wanted
        ("*", None),
        ("", None),
        ("en-x-gb", None),  # private use, not a region
        ("de;q=abc,fr-FR;q=0.5", "FR"),
    ],
)
def test_country_from_accept_language(header, country):
    assert country_from_accept_language(header) == country


@given(st.text())
def test_any_accept_language_header_gives_a_two_letter_code_or_none(header):
    country = country_from_accept_language(header)
    assert country is None or (len(country) == 2 and country.isascii() and country.isupper())


def test_a_signed_in_person_from_nepal_gets_nepals_numbers_whatever_their_browser_says(client):
    profile = ProfileFactory(country="NP")
    client.force_login(profile.user)

    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-US")

    code, card = cards(response.content.decode())[0]
    assert code == "NP" and "Nepal" in card
    assert tel_links(card) == ["100", "101", "102", "103", "112"]
    assert "100, 101, 102, 103 or 112" in text(card)
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
        assert [n for n in line.split(", ") if n in found.numbers] == list(found.numbers), region
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


def test_each_countrys_own_numbers_come_before_112_and_911(client):
    listed = every_country_list(client.get(reverse("safety")).content.decode())

    assert listed["United States"] == "911, 112"  # 911 is the North American Numbering Plan's own number
    assert listed["United Kingdom"] == "999, 112"
    assert listed["Australia"] == "000, 106, 112"
    assert listed["Brazil"] == "128, 190, 192, 193, 112, 911"
    assert listed["Germany"] == "110, 112"
    assert listed["Czech Republic"] == "150 to 159, 112"
    assert listed["Finland"] == "112"  # 112 alone is Finland's own


def test_the_list_says_once_what_112_and_911_do_from_a_mobile_phone(client):
    page = " ".join(text(client.get(reverse("safety")).content.decode()).split())

    assert page.count("3GPP TS 22.101") == 1
    note = "A mobile phone treats 112 and 911 as emergency calls in any country (the mobile phone standard"
    assert note in page
    assert "whether the network there connects the call depends on the country" in page
    assert page.index(note) < page.index("All 241 countries and territories")


@pytest.mark.parametrize("country, name", [("GN", "Guinea"), ("AQ", "Antarctica")])
def test_a_country_the_data_has_no_number_for_gets_112_and_911_to_try(client, country, name):
    client.force_login(ProfileFactory(country=country).user)
    page = client.get(reverse("safety")).content.decode()

    code, card = cards(page)[0]
    assert code == country
    card_text = " ".join(text(card).split())
    assert f"We have no emergency number for {name}. From a mobile phone, try 112 or 911" in card_text
    assert "whether the network there connects the call depends on the country" in card_text
    assert "Find a Helpline" in card
    assert tel_links(card) == ["112", "911"]


def test_guinea_in_the_list_gets_112_and_911_to_try(client):
    listed = every_country_list(client.get(reverse("safety")).content.decode())

    assert listed["Guinea"] == "none in the data; from a mobile phone, try 112 or 911"


def test_a_block_of_numbers_is_told_in_the_card_without_links(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="cs-CZ").content.decode()

    code, card = cards(page)[0]
    assert code == "CZ"
    assert tel_links(card) == ["112"]
    assert "phones there also treat 150 to 159 as emergency numbers" in card


def test_an_unknown_region_gets_no_card_of_its_own(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-ZZ").content.decode()

    assert [code for code, _ in cards(page)] == HAND_CHECKED
    assert "Your country" not in page


def test_a_keyboard_user_can_skip_the_list_or_jump_to_a_letter(client):
    page = client.get(reverse("safety")).content.decode()
    listing = the_list(page)

    # Right after the summary, the first link leads past the 700 numbers.
    first_link = re.search(r"<a [^>]*>(.*?)</a>", listing)
    assert 'href="#professional"' in first_link.group(0) and "Skip past the list" in first_link.group(1)
    assert '<h2 id="professional">Finding a doctor or therapist</h2>' in page
    # An index of the letters that some name starts with, each a link to its heading.
    index = re.search(r'<nav aria-label="Countries by first letter">(.*?)</nav>', listing, re.DOTALL).group(1)
    letters = re.findall(r'<a [^>]*href="#countries-([A-Z])">\1</a>', index)
    headings = re.findall(r'<h3 [^>]*id="countries-([A-Z])">\1</h3>', listing)
    starting = sorted({unicodedata.normalize("NFKD", name)[0] for name in every_country_list(page)})
    assert letters == headings == starting
    assert "A" in letters and "Z" in letters and "X" not in letters
    # Åland Islands under A, between Afghanistan and Albania.
    a_group = listing[listing.index('id="countries-A"') : listing.index('id="countries-B"')]
    assert a_group.index("Afghanistan") < a_group.index("Åland Islands") < a_group.index("Albania")


def test_the_safety_page_needs_no_query_signed_out_and_one_signed_in(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="de-DE")
    client.force_login(ProfileFactory(country="NP").user)
    with django_assert_num_queries(1):  # the person with their profile, for the country
        client.get(reverse("safety"))
