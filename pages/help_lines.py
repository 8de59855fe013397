"""Crisis and help contacts shown on the safety page (docs/evidence.md, "Crisis lines"; checked November
2026).

One table of hand-checked helplines, grouped by country; the person's own country is listed first when it is
known. A country missing from the table gets a card with its emergency numbers from libphonenumber's data
(pages/emergency_numbers.py), and every country's emergency numbers are listed below the cards.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache

from accounts.forms import country_choices
from pages.emergency_numbers import emergency_numbers, regions


@dataclass(frozen=True)
class Contact:
    """One helpline: its name, how to reach it (call, text, chat) and its web address if it has one."""

    name: str
    how: str
    url: str = ""
    call: str = ""  # the number to dial, for a tap-to-call link on phones


@dataclass(frozen=True)
class CountryHelp:
    """A country's emergency numbers and helplines, by ISO code.

    `emergency` holds the numbers to dial ("999", "112"), each a tap-to-call link; `blocks` the runs of
    numbers libphonenumber marks as emergency numbers as a whole, as (first, last), shown as text; `contacts`
    the helplines, empty for a country whose helplines we have not checked.
    """

    code: str
    name: str
    emergency: tuple[str, ...]
    contacts: tuple[Contact, ...] = ()
    blocks: tuple[tuple[str, str], ...] = ()


COUNTRIES = (
    CountryHelp(
        "US",
        "United States",
        ("911",),
        (
            Contact(
                "988 Suicide & Crisis Lifeline",
                "Call or text 988, or chat online",
                "https://988lifeline.org",
                call="988",
            ),
            Contact("Crisis Text Line", "Text HOME to 741741"),
        ),
    ),
    CountryHelp(
        "CA",
        "Canada",
        ("911",),
        (
            Contact("9-8-8 Suicide Crisis Helpline", "Call or text 988", call="988"),
            Contact("Crisis Text Line", "Text HOME to 686868"),
        ),
    ),
    CountryHelp(
        "GB",
        "United Kingdom",
        ("999", "112"),
        (
            Contact(
                "Samaritans", "Call 116 123, free, 24 hours a day, or email jo@samaritans.org", call="116123"
            ),
            Contact("Shout", "Text SHOUT to 85258"),
        ),
    ),
    CountryHelp(
        "IE",
        "Ireland",
        ("112",),
        (
            Contact(
                "Samaritans", "Call 116 123, free, 24 hours a day, or email jo@samaritans.org", call="116123"
            ),
            Contact("Text support", "Text 50808"),
        ),
    ),
    CountryHelp(
        "AU",
        "Australia",
        ("000",),
        (Contact("Lifeline", "Call 13 11 14, or text 0477 13 11 14", call="131114"),),
    ),
)

EU_EMERGENCY = "112"
EU_COUNTRY_CODES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)

INTERNATIONAL = (
    Contact("Find a Helpline", "Helplines by country, free and confidential", "https://findahelpline.com"),
    Contact("Befrienders Worldwide", "Emotional support centres around the world", "https://befrienders.org"),
)

COUNTRY_CHOICES = [(country.code, country.name) for country in COUNTRIES]


# Regions in libphonenumber's data that the time zone database's country table leaves out.
EXTRA_NAMES = {"AC": "Ascension Island", "XK": "Kosovo"}


@cache
def country_names() -> dict[str, str]:
    """{ISO code: name} for every country in the time zone database (the list onboarding offers), and
    libphonenumber's extra regions; the hand-checked countries keep the names their cards use."""
    names = {code: name for code, name in country_choices() if code}
    return names | EXTRA_NAMES | {country.code: country.name for country in COUNTRIES}


def emergency_card(country_code: str | None) -> CountryHelp | None:
    """A card with only the country's emergency numbers from libphonenumber; None for an unknown code. The
    numbers are empty for a country the data has none for (GN, AQ)."""
    name = country_names().get(country_code or "")
    if name is None:
        return None
    found = emergency_numbers(country_code)
    return CountryHelp(country_code, name, found.numbers, blocks=found.blocks)


def countries_for(country_code: str | None) -> list[CountryHelp]:
    """The given country first, then every country with hand-checked helplines. A country without them
    gets a card from emergency_card; an unknown code (or None) none."""
    first = [c for c in COUNTRIES if c.code == country_code] or [emergency_card(country_code)]
    return [c for c in first if c] + [c for c in COUNTRIES if c.code != country_code]


@cache
def every_country() -> tuple[CountryHelp, ...]:
    """The emergency numbers of each of libphonenumber's 241 regions, all from libphonenumber (the
    hand-checked countries' too), by name with "Åland Islands" under A; a region without a name shows its
    code."""
    names = country_names()
    cards = []
    for code in regions():
        found = emergency_numbers(code)
        cards.append(CountryHelp(code, names.get(code, code), found.numbers, blocks=found.blocks))
    return tuple(sorted(cards, key=lambda card: _without_accents(card.name).casefold()))


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def country_from_accept_language(header: str) -> str | None:
    """The first region in an Accept-Language header ("en-GB,en;q=0.9" -> "GB"), if any."""
    for part in header.split(","):
        tag = part.split(";")[0].strip()
        subtags = tag.replace("_", "-").split("-")
        if len(subtags) >= 2 and len(subtags[-1]) == 2 and subtags[-1].isalpha():
            return subtags[-1].upper()
    return None


def visitor_country(request) -> str | None:
    """The country from the person's profile when they told us, else a guess from the browser's languages."""
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    if profile and profile.country:
        return profile.country
    return country_from_accept_language(request.headers.get("Accept-Language", ""))
