"""The countries onboarding and settings offer: the names people use, in A-to-Z order whatever the accents,
and every code a profile may already hold still accepted."""

import re
import unicodedata
from html import unescape
from importlib import resources

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms import AboutYouForm
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def offered(page: str) -> dict[str, str]:
    """{code: name} of the country <select>, in page order."""
    select = re.search(r'<select name="country".*?</select>', page, re.DOTALL).group(0)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return {code: unescape(name) for code, name in options}


def iso3166_tab_codes() -> list[str]:
    """Every code of the time zone database's country table: what onboarding offered until now."""
    text = (resources.files("tzdata.zoneinfo") / "iso3166.tab").read_text(encoding="utf-8")
    return [line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#")]


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@pytest.fixture
def about_page(client):
    client.force_login(UserFactory())
    return client.get(reverse("onboarding_step", args=["about"])).content.decode()


def test_onboarding_names_countries_in_full_as_people_say_them(about_page):
    countries = offered(about_page)

    assert countries["GB"] == "United Kingdom"
    assert countries["WS"] == "Samoa" and countries["AS"] == "American Samoa"
    assert countries["TC"] == "Turks and Caicos Islands"
    assert countries["BA"] == "Bosnia and Herzegovina"
    assert countries["CF"] == "Central African Republic"
    for name in countries.values():
        assert "&" not in name and not re.search(r"\b(Is|Rep|St|Terr|NL|UK)\b", name), name


def test_onboarding_offers_kosovo_and_ascension_island_as_the_safety_page_does(about_page):
    countries = offered(about_page)

    assert countries["XK"] == "Kosovo"
    assert countries["AC"] == "Ascension Island"


def test_onboarding_lists_countries_a_to_z_with_accented_names_among_the_rest(about_page):
    countries = offered(about_page)

    assert list(countries.items())[0] == ("", "I'd rather not say")
    names = list(countries.values())[1:]
    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert names.index("Curaçao") == names.index("Cuba") + 1
    assert names.index("Réunion") == names.index("Qatar") + 1
    assert names == sorted(names, key=lambda name: without_accents(name).casefold())


def test_every_country_onboarding_offered_before_is_still_accepted():
    """Profiles keep the code they were saved with; settings must not refuse it."""
    for code in iso3166_tab_codes():
        data = {"age": "34", "country": code, "timezone": "UTC"}
        form = AboutYouForm(data=data, instance=ProfileFactory.build())
        assert form.is_valid(), (code, form.errors)


def test_a_person_from_kosovo_can_say_so_and_settings_show_it_back(client):
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now(), country="WS")
    client.force_login(profile.user)
    settings_about = reverse("settings_section", args=["about"])

    page = client.get(settings_about).content.decode()
    assert '<option value="WS" selected>Samoa</option>' in page

    client.post(settings_about, {"age": "35", "country": "XK", "timezone": "Europe/Belgrade"})

    profile.refresh_from_db()
    assert profile.country == "XK"
    assert '<option value="XK" selected>Kosovo</option>' in client.get(settings_about).content.decode()
