"""Bad input of every kind: a ProfileError naming the field, never a plan."""

import pytest

from planner.engine import ProfileError, make_plan, validate_profile

GOOD = {
    "week_start": "2026-11-23",
    "age": 40,
    "current_minutes_per_week": 30,
    "strength_days_now": 1,
    "preferences": ["walking", "yoga"],
    "available_days": ["mon", "wed", "fri"],
    "max_minutes_per_day": 45,
    "health_flags": ["medication"],
    "prefers_gentle": False,
    "history": [
        {
            "week_start": "2026-11-09",
            "planned_minutes": 60,
            "completed_minutes": 40,
            "planned_sessions": 3,
            "completed_sessions": 2,
        },
        {
            "week_start": "2026-11-16",
            "planned_minutes": 60,
            "completed_minutes": 60,
            "planned_sessions": 3,
            "completed_sessions": 3,
        },
    ],
}


def without(field):
    return {key: value for key, value in GOOD.items() if key != field}


def changed(**fields):
    return GOOD | fields


def history_with(**fields):
    entry = GOOD["history"][1] | fields
    return changed(history=[GOOD["history"][0], entry])


def history_without(field):
    entry = {key: value for key, value in GOOD["history"][1].items() if key != field}
    return changed(history=[GOOD["history"][0], entry])


def test_the_good_profile_is_good():
    assert make_plan(GOOD)["week_start"] == "2026-11-23"


def test_optional_fields_can_be_left_out():
    minimal = {key: GOOD[key] for key in ("week_start", "age", "current_minutes_per_week")}
    minimal |= {"available_days": ["tue"], "max_minutes_per_day": 10}
    assert make_plan(minimal)["sessions"]


BAD = {
    # not a profile at all
    "a list": ([GOOD], "profile"),
    "a string": ("{}", "profile"),
    "null": (None, "profile"),
    "a number": (3, "profile"),
    # missing fields
    "no week_start": (without("week_start"), "week_start"),
    "no age": (without("age"), "age"),
    "no current minutes": (without("current_minutes_per_week"), "current_minutes_per_week"),
    "no available days": (without("available_days"), "available_days"),
    "no max minutes": (without("max_minutes_per_day"), "max_minutes_per_day"),
    # week_start
    "not a Monday": (changed(week_start="2026-11-24"), "week_start"),
    "a Sunday": (changed(week_start="2026-11-29"), "week_start"),
    "not a real date": (changed(week_start="2026-02-30"), "week_start"),
    "month 13": (changed(week_start="2026-13-02"), "week_start"),
    "another date format": (changed(week_start="23/11/2026"), "week_start"),
    "a compact date": (changed(week_start="20261123"), "week_start"),
    "an ISO week date": (changed(week_start="2026-W48-1"), "week_start"),
    "a date and time": (changed(week_start="2026-11-23T00:00:00"), "week_start"),
    "a number for a date": (changed(week_start=20261123), "week_start"),
    "an empty date": (changed(week_start=""), "week_start"),
    # age
    "under 18": (changed(age=17), "age"),
    "age 0": (changed(age=0), "age"),
    "negative age": (changed(age=-5), "age"),
    "over 120": (changed(age=121), "age"),
    "age as a string": (changed(age="40"), "age"),
    "age as a decimal": (changed(age=40.0), "age"),
    "age as true": (changed(age=True), "age"),
    "age null": (changed(age=None), "age"),
    # minutes
    "negative minutes": (changed(current_minutes_per_week=-1), "current_minutes_per_week"),
    "too many minutes": (changed(current_minutes_per_week=2001), "current_minutes_per_week"),
    "minutes as false": (changed(current_minutes_per_week=False), "current_minutes_per_week"),
    "minutes as a decimal": (changed(current_minutes_per_week=12.5), "current_minutes_per_week"),
    "strength days 8": (changed(strength_days_now=8), "strength_days_now"),
    "strength days -1": (changed(strength_days_now=-1), "strength_days_now"),
    "strength days true": (changed(strength_days_now=True), "strength_days_now"),
    "strength days null": (changed(strength_days_now=None), "strength_days_now"),
    "max minutes 9": (changed(max_minutes_per_day=9), "max_minutes_per_day"),
    "max minutes 241": (changed(max_minutes_per_day=241), "max_minutes_per_day"),
    "max minutes as a string": (changed(max_minutes_per_day="45"), "max_minutes_per_day"),
    "max minutes true": (changed(max_minutes_per_day=True), "max_minutes_per_day"),
    # preferences
    "unknown activity": (changed(preferences=["walking", "skydiving"]), "preferences"),
    "activity in capitals": (changed(preferences=["Walking"]), "preferences"),
    "preferences not a list": (changed(preferences="walking"), "preferences"),
    "preference not a string": (changed(preferences=[1]), "preferences"),
    "preferences null": (changed(preferences=None), "preferences"),
    # available days
    "no days": (changed(available_days=[]), "available_days"),
    "a repeated day": (changed(available_days=["mon", "wed", "mon"]), "available_days"),
    "an unknown day": (changed(available_days=["monday"]), "available_days"),
    "a day in capitals": (changed(available_days=["Mon"]), "available_days"),
    "a day as a number": (changed(available_days=[0]), "available_days"),
    "days as a string": (changed(available_days="mon"), "available_days"),
    # health flags
    "unknown flag": (changed(health_flags=["asthma"]), "health_flags"),
    "flags not a list": (changed(health_flags="pregnant"), "health_flags"),
    "flag not a string": (changed(health_flags=[True]), "health_flags"),
    # prefers_gentle
    "gentle as a string": (changed(prefers_gentle="yes"), "prefers_gentle"),
    "gentle as 1": (changed(prefers_gentle=1), "prefers_gentle"),
    "gentle null": (changed(prefers_gentle=None), "prefers_gentle"),
    # history
    "history not a list": (changed(history={}), "history"),
    "history entry not an object": (changed(history=[3]), "history"),
    "history entry missing week_start": (history_without("week_start"), "history"),
    "history entry missing planned minutes": (history_without("planned_minutes"), "history"),
    "history entry missing completed minutes": (history_without("completed_minutes"), "history"),
    "history entry missing planned sessions": (history_without("planned_sessions"), "history"),
    "history entry missing completed sessions": (history_without("completed_sessions"), "history"),
    "history week not a Monday": (history_with(week_start="2026-11-17"), "history"),
    "history week not a date": (history_with(week_start="last week"), "history"),
    "history week after the plan": (history_with(week_start="2026-11-30"), "history"),
    "history week the same as the plan": (history_with(week_start="2026-11-23"), "history"),
    "history weeks out of order": (history_with(week_start="2026-11-02"), "history"),
    "history week repeated": (history_with(week_start="2026-11-09"), "history"),
    "history negative minutes": (history_with(completed_minutes=-10), "history"),
    "history minutes as a string": (history_with(planned_minutes="60"), "history"),
    "history minutes as a decimal": (history_with(planned_minutes=60.0), "history"),
    "history sessions as true": (history_with(completed_sessions=True), "history"),
    "history sessions null": (history_with(planned_sessions=None), "history"),
    # version 2: equipment, history vigorous_minutes, and Steady's own optional fields
    "unknown equipment": (changed(equipment=["kettlebell"]), "equipment"),
    "equipment repeated": (changed(equipment=["band", "band"]), "equipment"),
    "equipment not a list": (changed(equipment="band"), "equipment"),
    "equipment not a string": (changed(equipment=[1]), "equipment"),
    "equipment in capitals": (changed(equipment=["Chair"]), "equipment"),
    "equipment null": (changed(equipment=None), "equipment"),
    "history negative vigorous minutes": (history_with(vigorous_minutes=-1), "history"),
    "history vigorous minutes as a string": (history_with(vigorous_minutes="20"), "history"),
    "history vigorous minutes as a decimal": (history_with(vigorous_minutes=2.5), "history"),
    "history vigorous minutes true": (history_with(vigorous_minutes=True), "history"),
    "history strength days done 8": (history_with(strength_days_done=8), "history"),
    "history strength days done null": (history_with(strength_days_done=None), "history"),
    "negative current vigorous minutes": (changed(current_vigorous_minutes=-1), "current_vigorous_minutes"),
    "too many current vigorous minutes": (changed(current_vigorous_minutes=2001), "current_vigorous_minutes"),
    "current vigorous minutes as a string": (
        changed(current_vigorous_minutes="30"),
        "current_vigorous_minutes",
    ),
    "cleared as a string": (changed(cleared_by_professional="yes"), "cleared_by_professional"),
    "cleared as 1": (changed(cleared_by_professional=1), "cleared_by_professional"),
    "gentle reason unknown": (changed(gentle_reason="tired"), "gentle_reason"),
    "gentle reason not a string": (changed(gentle_reason=True), "gentle_reason"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_refused_naming_the_field(case):
    data, field = BAD[case]
    with pytest.raises(ProfileError) as raised:
        make_plan(data)
    assert raised.value.field.startswith(field)  # history errors name the entry: history[1].planned_minutes
    message = str(raised.value)
    assert raised.value.field in message or field == "profile"
    assert message.endswith(".") and "\n" not in message


def test_history_errors_say_which_entry_and_which_field():
    with pytest.raises(ProfileError, match=r"history\[1\]\.completed_minutes"):
        make_plan(history_with(completed_minutes=-1))


def test_not_a_monday_names_the_day():
    with pytest.raises(ProfileError, match="week_start must be a Monday, and 2026-11-25 is a Wednesday"):
        make_plan(changed(week_start="2026-11-25"))


def test_under_18_says_the_app_is_for_adults():
    with pytest.raises(ProfileError, match="adults"):
        make_plan(changed(age=16))


def test_repeated_preferences_and_flags_are_fine():
    plan = make_plan(changed(preferences=["yoga", "yoga"], health_flags=["medication", "medication"]))
    assert {s["activity"] for s in plan["sessions"] if s["category"] == "aerobic"} <= {"yoga", "walking"}


def test_fields_the_interface_does_not_name_are_ignored():
    assert make_plan(changed(nickname="Sam")) == make_plan(GOOD)


def test_days_are_read_in_week_order_whatever_order_they_come_in():
    assert validate_profile(changed(available_days=["fri", "mon", "wed"])).available_days == (0, 2, 4)
    assert make_plan(changed(available_days=["fri", "mon", "wed"])) == make_plan(GOOD)


def test_completed_more_than_planned_is_fine():
    plan = make_plan(history_with(completed_minutes=200))
    assert plan["target"]["aerobic_moderate_equivalent_minutes"] > 60


def test_version_2_fields_are_read():
    profile = validate_profile(
        changed(
            equipment=["weights", "chair"],
            current_vigorous_minutes=45,
            cleared_by_professional=True,
            gentle_reason="checkin",
            history=[
                GOOD["history"][0],
                GOOD["history"][1] | {"vigorous_minutes": 20, "strength_days_done": 1},
            ],
        )
    )
    assert profile.equipment == frozenset({"weights", "chair"})
    assert profile.current_vigorous_minutes == 45 and profile.cleared_by_professional
    assert profile.gentle_reason == "checkin"
    assert profile.history[1].vigorous_minutes == 20 and profile.history[1].strength_days_done == 1
    assert profile.history[0].vigorous_minutes == 0 and profile.history[0].strength_days_done is None


def test_version_2_fields_have_defaults():
    profile = validate_profile(GOOD)
    assert profile.equipment == frozenset() and profile.current_vigorous_minutes == 0
    assert profile.cleared_by_professional is False and profile.gentle_reason == "asked"


def test_equipment_errors_name_the_field_and_the_value():
    with pytest.raises(
        ProfileError, match="equipment has 'kettlebell', which is not one of chair, band, weights"
    ):
        make_plan(changed(equipment=["kettlebell"]))
    with pytest.raises(ProfileError, match=r"history\[1\]\.vigorous_minutes"):
        make_plan(history_with(vigorous_minutes=-5))
