"""pages/emergency_numbers.py against its source, libphonenumber's short-number data (phonenumbers)."""

import re
from itertools import product

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.shortnumberinfo import is_emergency_number

from accounts.forms import country_names
from pages import emergency_numbers as em
from pages.help_lines import COUNTRIES

DIGITS = "0123456789"


def every_string(lengths):
    for length in lengths:
        yield from map("".join, product(DIGITS, repeat=length))


def listed(found: em.EmergencyNumbers) -> set[str]:
    """The exact numbers and every number of each block."""
    in_blocks = {
        str(n).zfill(len(first)) for first, last in found.blocks for n in range(int(first), int(last) + 1)
    }
    return set(found.numbers) | in_blocks


def test_the_data_covers_241_regions_each_with_a_name():
    assert len(em.regions()) == 241
    assert set(em.regions()) <= set(country_names())


def test_every_regions_list_is_exactly_the_numbers_its_pattern_matches():
    """Every string of each of the region's possible lengths (up to six digits: a million strings for ER, FM
    and NE) is tried against libphonenumber's pattern; the numbers listed must be exactly the matching ones,
    and each must be one libphonenumber itself calls an emergency number there."""
    without_data = []
    for region in em.regions():
        metadata = PhoneMetadata.short_metadata_for_region(region).emergency
        found = em.emergency_numbers(region)
        if metadata is None:
            without_data.append(region)
            assert found == em.EmergencyNumbers(region, ())
            continue
        pattern = re.compile(metadata.national_number_pattern)
        matching = {s for s in every_string(metadata.possible_length) if pattern.fullmatch(s)}

        assert listed(found) == matching, region
        assert all(is_emergency_number(number, region) for number in matching), region
        assert len(found.numbers) == len(set(found.numbers)), region
        # What the page can show as it is: at least one number to tap, and not a screenful.
        assert 1 <= len(found.numbers) <= 12, (region, found)

    assert without_data == ["GN"]  # Guinea; its card says we have no number


def test_the_regions_own_numbers_come_first_shorter_then_ascending_and_112_and_911_last():
    assert em.emergency_numbers("NP").numbers == ("100", "101", "102", "103", "112")
    assert em.emergency_numbers("DE").numbers == ("110", "112")
    assert em.emergency_numbers("GB").numbers == ("999", "112")
    assert em.emergency_numbers("AU").numbers == ("000", "106", "112")
    assert em.emergency_numbers("BR").numbers == ("128", "190", "192", "193", "112", "911")
    assert em.emergency_numbers("LT").numbers[:4] == ("01", "02", "03", "011")
    assert em.emergency_numbers("LT").numbers[-1] == "112"
    assert em.emergency_numbers("AC").numbers == ("999", "911")


def test_911_is_the_own_number_in_the_north_american_numbering_plan():
    assert em.emergency_numbers("US").numbers == ("911", "112")
    assert em.emergency_numbers("CA").numbers == ("911", "112")
    assert em.emergency_numbers("PR").numbers == ("911",)


def test_where_112_and_911_are_all_the_data_has_they_are_kept_112_first():
    assert em.emergency_numbers("NL").numbers == ("112", "911")
    assert em.emergency_numbers("FI").numbers == ("112",)


def test_in_every_region_112_and_911_come_after_every_other_number():
    for region in em.regions():
        numbers = em.emergency_numbers(region).numbers
        last = em.mobile_everywhere_numbers(region)
        is_last = [number in last for number in numbers]
        assert is_last == sorted(is_last), (region, numbers)


def test_a_run_of_any_digit_is_a_block_not_a_list_of_numbers_to_tap():
    assert em.emergency_numbers("CZ") == em.EmergencyNumbers("CZ", ("112",), (("150", "159"),))
    assert em.emergency_numbers("GA") == em.EmergencyNumbers("GA", ("18", "1730"), (("1300", "1399"),))


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda country: country.code)
def test_the_hand_checked_emergency_numbers_agree_with_libphonenumber(country):
    assert set(country.emergency) <= set(em.emergency_numbers(country.code).numbers)


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda country: country.code)
def test_the_hand_checked_cards_use_the_names_onboarding_offers(country):
    assert country.name == country_names()[country.code]


def test_an_unknown_region_has_no_numbers():
    assert em.emergency_numbers("ZZ") == em.EmergencyNumbers("ZZ", ())


def test_the_source_names_the_installed_version():
    assert em.source() == (
        f"Google's libphonenumber short-number data, via phonenumbers {phonenumbers.__version__}"
    )
    assert phonenumbers.__version__.startswith("9.")


# Patterns of the kinds libphonenumber writes: digits, classes, groups, alternatives, bounded repeats.
digit_class = st.sets(st.sampled_from(DIGITS), min_size=1, max_size=10).map(
    lambda digits: "[" + "".join(sorted(digits)) + "]"
)
atom = st.sampled_from(list(DIGITS) + [r"\d"]) | digit_class
patterns = st.recursive(
    atom,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: "(?:" + "|".join(parts) + ")")
        | st.tuples(inner, inner).map("".join)
        | inner.map(lambda part: f"(?:{part})?")
    ),
    max_leaves=4,
)


@given(patterns)
def test_the_expansion_of_any_such_pattern_is_exactly_what_it_matches(pattern):
    # A pattern here has at most 4 atoms, so it matches no string longer than 4 digits.
    compiled = re.compile(pattern)
    matching = {s for s in every_string(range(5)) if compiled.fullmatch(s)}

    expanded = set(em._expand(em.sre_parse.parse(pattern)))

    strings = {
        "".join(p) for e in expanded for p in product(*(DIGITS if c == em.ANY_DIGIT else c for c in e))
    }
    assert strings == matching


def test_a_pattern_with_no_end_is_refused():
    with pytest.raises(ValueError):
        em._expand(em.sre_parse.parse(r"1\d+"))
