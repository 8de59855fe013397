r"""Every region's emergency numbers, from Google's libphonenumber short-number metadata (the `phonenumbers`
package, pinned in pyproject.toml): the data phone makers use to recognise an emergency call.

libphonenumber keeps each region's emergency numbers as one regular expression (GB `112|999`, DE `11[02]`,
NP `1(?:0[0-3]|12)`); `emergency_numbers("NP")` turns it back into the finite list a person can dial. A part
that allows any digit (CZ `15\d`, GA `13\d\d`) stands for a run of numbers that libphonenumber marks as
emergency numbers as a whole, without saying which of them are in use. Such a run is kept apart as a block
("150" to "159") for the page to show as text, so the page offers no tap-to-call link to a number that no
one listed.

Order: the region's own numbers first, shorter before longer, then ascending; 112 and 911 last ("100", "101",
"102", "103", "112" for NP; "000", "106", "112" for AU). A mobile phone treats 112 and 911 as emergency calls
in any country (3GPP TS 22.101), which is why the data lists them almost everywhere, but whether the network
connects them depends on the country, so they come after the numbers people there know. In the North
American Numbering Plan (calling code 1: US, CA, most of the Caribbean) 911 is the region's own number
("911", "112" for US). A region whose only numbers are 112 and 911 keeps them, in that order (NL, CR).
"""

import logging
from dataclasses import dataclass
from functools import cache
from itertools import product

# Python's own regular-expression parser (the sre_parse module until Python 3.11, private since); the tests
# over every region would catch a change in it.
from re import _constants as sre
from re import _parser as sre_parse

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.shortnumberinfo import SUPPORTED_SHORT_REGIONS

logger = logging.getLogger(__name__)

# Numbers a mobile phone treats as emergency calls in any country (3GPP TS 22.101).
MOBILE_EVERYWHERE = ("112", "911")
NANP_CALLING_CODE = 1
ANY_DIGIT = "x"  # stands for a digit the pattern leaves open, before blocks are set apart
DIGITS = "0123456789"


@dataclass(frozen=True)
class EmergencyNumbers:
    """A region's emergency numbers by ISO 3166 code (or libphonenumber's AC for Ascension, XK for Kosovo).

    `numbers` are exact numbers to dial, the region's own first and 112 and 911 last (the module's order);
    `blocks` are runs of numbers the data marks as emergency numbers as a whole, each (first, last) of equal
    length ("150", "159"). Both are empty for a region libphonenumber has no emergency data for (GN, Guinea,
    in phonenumbers 9.0.43).
    """

    region: str
    numbers: tuple[str, ...]
    blocks: tuple[tuple[str, str], ...] = ()


def source() -> str:
    """The line naming where the numbers come from, with the installed package's version."""
    return f"Google's libphonenumber short-number data, via phonenumbers {phonenumbers.__version__}"


def regions() -> list[str]:
    """The 241 regions libphonenumber has short-number data for (codes such as "DE", "NP"), sorted."""
    return sorted(SUPPORTED_SHORT_REGIONS)


@cache
def emergency_numbers(region: str) -> EmergencyNumbers:
    """The region's emergency numbers (region: "DE"); empty for a region without data or unknown.

    A pattern this module cannot expand (a future release using a construct it does not know) also gives
    empty numbers, logged as an error, so the safety page still renders; pages/tests checks every region.
    """
    metadata = PhoneMetadata.short_metadata_for_region(region)
    pattern = metadata.emergency.national_number_pattern if metadata and metadata.emergency else None
    if not pattern:
        return EmergencyNumbers(region, ())
    try:
        expanded = dict.fromkeys(_expand(sre_parse.parse(pattern)))
    except ValueError:
        logger.exception("Cannot list the emergency numbers of %s from %r", region, pattern)
        return EmergencyNumbers(region, ())
    numbers, blocks = [], []
    for number in expanded:
        open_digits = len(number) - len(number.rstrip(ANY_DIGIT))
        if ANY_DIGIT in number.rstrip(ANY_DIGIT):  # an open digit before a fixed one: list every number
            numbers += [
                "".join(digits) for digits in product(*(DIGITS if c == ANY_DIGIT else c for c in number))
            ]
        elif open_digits:
            stem = number[:-open_digits]
            blocks.append((stem + "0" * open_digits, stem + "9" * open_digits))
        else:
            numbers.append(number)
    last = mobile_everywhere_numbers(region)

    def order(number: str) -> tuple:
        return (last.index(number) + 1 if number in last else 0, len(number), number)

    return EmergencyNumbers(
        region,
        tuple(sorted(dict.fromkeys(numbers), key=order)),
        tuple(sorted(blocks, key=lambda block: order(block[0]))),
    )


def mobile_everywhere_numbers(region: str) -> tuple[str, ...]:
    """The numbers listed last for the region: 112 and 911, which a mobile phone treats as emergency calls
    in any country (3GPP TS 22.101); 112 alone in the North American Numbering Plan, where 911 is the
    region's own number."""
    if phonenumbers.country_code_for_region(region) == NANP_CALLING_CODE:
        return ("112",)
    return MOBILE_EVERYWHERE


def _expand(items) -> list[str]:
    """Every string a parsed pattern (re._parser's list of (opcode, argument)) matches, with ANY_DIGIT for
    a digit left open. Raises ValueError for anything that is not a finite set of digit strings."""
    strings = [""]
    for opcode, argument in items:
        if opcode is sre.LITERAL:
            choices = [chr(argument)]
        elif opcode is sre.IN:
            choices = _digit_set(argument)
        elif opcode is sre.BRANCH:
            choices = [string for branch in argument[1] for string in _expand(branch)]
        elif opcode is sre.SUBPATTERN:
            choices = _expand(argument[3])
        elif opcode in (sre.MAX_REPEAT, sre.MIN_REPEAT) and argument[1] is not sre.MAXREPEAT:
            low, high, repeated = argument
            inner = _expand(repeated)
            choices = [
                "".join(parts) for count in range(low, high + 1) for parts in product(inner, repeat=count)
            ]
        else:
            raise ValueError(f"not a finite set of numbers: {opcode}")
        strings = [start + choice for start in strings for choice in choices]
    return strings


def _digit_set(members) -> list[str]:
    r"""The digits a character class ([0-3], [2359], \d) allows; [ANY_DIGIT] when it allows all ten."""
    digits = set()
    for opcode, argument in members:
        if opcode is sre.LITERAL:
            digits.add(chr(argument))
        elif opcode is sre.RANGE:
            digits.update(chr(code) for code in range(argument[0], argument[1] + 1))
        elif opcode is sre.CATEGORY and argument is sre.CATEGORY_DIGIT:
            digits.update(DIGITS)
        else:
            raise ValueError(f"not a set of digits: {opcode} {argument}")
    if not digits <= set(DIGITS):
        raise ValueError(f"not a set of digits: {sorted(digits)}")
    return [ANY_DIGIT] if digits == set(DIGITS) else sorted(digits)
