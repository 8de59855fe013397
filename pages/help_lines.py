"""Crisis and help contacts shown on the safety page (docs/evidence.md, "Crisis lines"; checked November
2026).

One table of hand-checked helplines, grouped by country; the person's own country is listed first when it is
known (from their profile, else from the browser's preferred language when it names a region). A country
missing from the table gets a card with its emergency numbers from libphonenumber's data
(pages/emergency_numbers.py), and every country's emergency numbers are listed below the cards, by first
letter. Country names are onboarding's (accounts.forms.country_names).
"""

import unicodedata
from dataclasses import dataclass
from functools import cache

from accounts.forms import country_names
from pages.emergency_numbers import emergency_numbers, mobile_everywhere_numbers, regions


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

    @property
    def listing(self) -> list[tuple[str, str]]:
        """The numbers for the list of every country, as (text, number to dial or "" for a block): the
        country's own numbers, its blocks ("150 to 159"), then 112 and 911."""
        last = mobile_everywhere_numbers(self.code)
        return [
            *((number, number) for number in self.emergency if number not in last),
            *((f"{first} to {end}", "") for first, end in self.blocks),
            *((number, number) for number in self.emergency if number in last),
        ]


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
    hand-checked countries' too), in the order of country_names (A to Z, "Åland Islands" under A); a region
    without a name comes last, named by its code."""
    names, in_data = country_names(), set(regions())
    codes = [code for code in names if code in in_data] + sorted(in_data - set(names))
    cards = []
    for code in codes:
        found = emergency_numbers(code)
        cards.append(CountryHelp(code, names.get(code, code), found.numbers, blocks=found.blocks))
    return tuple(cards)


def every_country_by_letter() -> list[tuple[str, list[CountryHelp]]]:
    """every_country grouped by the first letter of the name without its accents: [("A", [...]), ...], only
    the letters some name starts with."""
    groups: dict[str, list[CountryHelp]] = {}
    for card in every_country():
        letter = unicodedata.normalize("NFKD", card.name)[0].upper()
        groups.setdefault(letter, []).append(card)
    return list(groups.items())


def country_from_accept_language(header: str) -> str | None:
    """The region of the browser's preferred language: "en-GB,en;q=0.9" -> "GB", "zh-Hant-TW" -> "TW".

    The preferred language is the one with the highest q-value, the first of equals (RFC 9110, section
    12.5.4); its region is the first two-letter subtag after the language (BCP 47). None when that language
    names no region ("de,en-US;q=0.7": a German reader may live anywhere, so no guess from the languages
    after it nor from the language itself), for an empty or unreadable header, and for "*".
    """
    preferred, preferred_q = "", 0.0
    for part in header.split(","):
        tag, *parameters = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                q = _quality(value)
        if tag and q > preferred_q:
            preferred, preferred_q = tag, q
    for subtag in preferred.replace("_", "-").split("-")[1:]:
        if len(subtag) == 1:  # an extension or private-use part follows ("en-u-...", "x-..."): no region
            break
        if len(subtag) == 2 and subtag.isascii() and subtag.isalpha():
            return subtag.upper()
    return None


def _quality(value: str) -> float:
    """A q-value between 0 and 1; 0 (not wanted) for anything else."""
    try:
        q = float(value.strip())
    except ValueError:
        return 0.0
    return q if 0.0 <= q <= 1.0 else 0.0


def visitor_country(request) -> str | None:
    """The country from the person's profile when they told us, else a guess from the browser's languages."""
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    if profile and profile.country:
        return profile.country
    return country_from_accept_language(request.headers.get("Accept-Language", ""))
