"""Once a day across changes of time zone (reminders/dispatch.py, "Once a day"): at most one reminder of a
kind by a channel on each calendar day of the zone the person is in when it is due, an earlier one counting
for the day its moment falls on in that zone; and none dropped."""

import datetime
import zoneinfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminders import dispatch
from reminders.models import Delivery, EmailKind, Reminder
from reminders.tests.people import at, make_person, plan_session, sent_to

UTC = datetime.UTC
pytestmark = pytest.mark.django_db


def move_to_zone(person, zone):
    person.profile.timezone = zone
    person.profile.save()


def session_days_emailed(person):
    return [
        (d.local_date.isoformat(), d.due_at)
        for d in Delivery.objects.filter(user=person, status="sent").order_by("due_at")
    ]


def test_los_angeles_then_auckland_gets_no_second_email_on_the_auckland_day(tick):
    with time_machine.travel(at("2026-11-23 12:00"), tick=False) as traveller:
        person = make_person(tz="America/Los_Angeles")
        for day in (23, 24, 25):
            plan_session(person, datetime.date(2026, 11, day))

        traveller.move_to(at("2026-11-23 16:00:30"))  # 08:00 on the 23rd in Los Angeles
        tick()
        traveller.move_to(at("2026-11-23 17:00"))  # 06:00 on the 24th in Auckland
        move_to_zone(person, "Pacific/Auckland")
        for moment in ["2026-11-23 19:00:30", "2026-11-24 19:00:30"]:  # 08:00 on the 24th, the 25th there
            traveller.move_to(at(moment))
            tick()

    # 16:00 UTC on the 23rd fell on the 24th in Auckland: that day had its email.
    assert session_days_emailed(person) == [
        ("2026-11-23", at("2026-11-23 16:00")),
        ("2026-11-25", at("2026-11-24 19:00")),
    ]
    assert len(sent_to(person)) == 2
    skipped = Delivery.objects.get(user=person, status="skipped")
    assert skipped.local_date == datetime.date(2026, 11, 24)
    assert skipped.note == "one already went out on this local day (before a change of time zone or time)"


def test_a_reminder_time_changed_while_the_days_email_is_retrying_keeps_one_email_that_day(tick, smtp_server):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(tz="Europe/London")  # 08:00 London is 08:00 UTC in November
        plan_session(person, datetime.date(2026, 11, 23))
        smtp_server.refuse = "451 4.3.0 Mail server temporarily unavailable"
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()  # refused: the 08:00 email waits for its retry
        traveller.move_to(at("2026-11-23 08:30"))
        person.profile.reminder_time = datetime.time(9, 0)
        person.profile.save()
        traveller.move_to(at("2026-11-23 09:00:30"))
        tick()  # still refused
        smtp_server.refuse = None
        traveller.move_to(at("2026-11-23 10:30:30"))  # the 08:00 email's deadline has passed, 09:00's has not
        tick()

    assert smtp_server.recipients() == [person.email]
    assert session_days_emailed(person) == [("2026-11-23", at("2026-11-23 09:00"))]
    replaced = Delivery.objects.get(user=person, due_at=at("2026-11-23 08:00"))
    assert (replaced.status, replaced.note) == ("skipped", dispatch.REPLACED)


def test_sydney_then_london_still_gets_the_london_days_email(tick):
    with time_machine.travel(at("2026-11-22 12:00"), tick=False) as traveller:
        person = make_person(tz="Australia/Sydney")
        plan_session(person, datetime.date(2026, 11, 23))

        traveller.move_to(at("2026-11-22 21:00:30"))  # 08:00 on the 23rd in Sydney
        tick()
        traveller.move_to(at("2026-11-22 22:00"))  # 22:00 on the 22nd in London
        move_to_zone(person, "Europe/London")
        traveller.move_to(at("2026-11-23 08:00:30"))  # 08:00 on the 23rd in London
        tick()

    # 21:00 UTC on the 22nd fell on the 22nd in London: the 23rd there had none yet.
    assert session_days_emailed(person) == [
        ("2026-11-23", at("2026-11-22 21:00")),
        ("2026-11-23", at("2026-11-23 08:00")),
    ]
    assert not Delivery.objects.filter(user=person).exclude(status="sent").exists()


def test_a_reminder_due_when_the_zone_changes_still_goes_out(tick):
    with time_machine.travel(at("2026-11-22 12:00"), tick=False) as traveller:
        person = make_person(tz="Europe/London")
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:10"))  # due at 08:00, the dispatcher's tick still to come
        move_to_zone(person, "Europe/Berlin")  # 08:00 in Berlin was an hour ago
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
        assert Reminder.objects.get(user=person, kind="session_day").next_due_at == at("2026-11-24 07:00")
    assert session_days_emailed(person) == [("2026-11-23", at("2026-11-23 08:00"))]


# --- The property, over any changes of zone ----------------------------------------------------------------

ZONES = [
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Auckland",
    "Australia/Sydney",
    "Asia/Kolkata",  # +05:30
    "Europe/London",
    "America/St_Johns",  # -03:30
    "America/Los_Angeles",
    "Pacific/Pago_Pago",  # UTC-11
]
START = at("2026-10-20 00:00:17")  # Sydney, Auckland, London and Los Angeles change DST in the weeks after


def moments_in(zone_name, reminder_time, start, end):
    """The moments in [start, end) at which the reminder time comes in the zone (fold=0 across DST)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    day = start.astimezone(zone).date() - datetime.timedelta(days=1)
    found = []
    while day <= end.astimezone(zone).date() + datetime.timedelta(days=1):
        moment = datetime.datetime.combine(day, reminder_time, tzinfo=zone).astimezone(UTC)
        if start <= moment < end:
            found.append((moment, zone))
        day += datetime.timedelta(days=1)
    return found


def expected_reminders(first_zone, moves, reminder_time, end):
    """The moments that should have a reminder, by the rule: each moment of the schedule in the zone the
    person was in then, unless one already fell on that moment's day in that zone."""
    changes = [(START, first_zone), *moves, (end, None)]
    moments = [
        pair
        for (start, zone), (stop, _) in zip(changes, changes[1:], strict=False)
        for pair in moments_in(zone, reminder_time, start, stop)
    ]
    expected = []
    for moment, zone in sorted(moments, key=lambda pair: pair[0]):
        day_start = datetime.datetime.combine(moment.astimezone(zone).date(), datetime.time(), tzinfo=zone)
        if not any(day_start <= earlier < moment for earlier in expected):
            expected.append(moment)
    return expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first_zone=st.sampled_from(ZONES),
    moves=st.lists(
        st.tuples(st.integers(min_value=1, max_value=45 * 60), st.sampled_from(ZONES)), min_size=1, max_size=4
    ),
    reminder_time=st.sampled_from([datetime.time(0, 30), datetime.time(8), datetime.time(23, 30)]),
)
def test_whatever_the_changes_of_zone_one_reminder_per_local_day_none_doubled_none_dropped(
    first_zone, moves, reminder_time
):
    """The dispatcher runs at each moment a reminder is due, and what it enqueues is sent at once; the person
    moves at the given minutes apart."""
    changes, moment = [], START
    for minutes, zone in moves:
        moment += datetime.timedelta(minutes=minutes)
        changes.append((moment, zone))
    end = moment + datetime.timedelta(days=2)

    with time_machine.travel(START, tick=False) as traveller:
        person = make_person(
            tz=first_zone, reminder_time=reminder_time, email_weekly_plan=False, email_checkins=False
        )
        for change_at, zone in [*changes, (end, None)]:
            while (
                due := Reminder.objects.get(user=person, kind=EmailKind.SESSION_DAY).next_due_at
            ) < change_at:
                traveller.move_to(due)
                dispatch.dispatch_due(due, enqueue=lambda ids: None)
                Delivery.objects.filter(user=person, status="queued").update(status="sent")
            traveller.move_to(change_at)
            if zone:
                move_to_zone(person, zone)

    made = list(Delivery.objects.filter(user=person, status="sent").order_by("due_at").values_list("due_at"))
    person.delete()
    assert [due_at for (due_at,) in made] == expected_reminders(first_zone, changes, reminder_time, end)
