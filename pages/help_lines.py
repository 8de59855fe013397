"""Crisis and help contacts shown on the safety page (docs/evidence.md, "Crisis lines"; checked November
2026).

One table, grouped by country; the person's own country is listed first when it is known.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    """One helpline: its name, how to reach it (call, text, chat) and its web address if it has one."""

    name: str
    how: str
    url: str = ""
    call: str = ""  # the number to dial, for a tap-to-call link on phones


@dataclass(frozen=True)
class CountryHelp:
    """A country's emergency number and helplines, by ISO code."""

    code: str
    name: str
    emergency: str
    contacts: tuple[Contact, ...]

    @property
    def emergency_numbers(self) -> list[str]:
        """The numbers in `emergency` ("999 (or 112)" -> ["999", "112"]), each a tap-to-call link."""
        return re.findall(r"\d+", self.emergency)


COUNTRIES = (
    CountryHelp(
        "US",
        "United States",
        "911",
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
        "911",
        (
            Contact("9-8-8 Suicide Crisis Helpline", "Call or text 988", call="988"),
            Contact("Crisis Text Line", "Text HOME to 686868"),
        ),
    ),
    CountryHelp(
        "GB",
        "United Kingdom",
        "999 (or 112)",
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
        "112",
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
        "000",
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


def countries_for(country_code: str | None) -> list[CountryHelp]:
    """All countries, the given one first."""
    first = [c for c in COUNTRIES if c.code == country_code]
    return first + [c for c in COUNTRIES if c.code != country_code]


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
