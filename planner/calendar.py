"""The person's plan as iCalendar: a private feed their calendar app subscribes to, and a one-off download.

Each session keeps one UID for its whole life (its id and the site's host, never its activity), so a calendar
app updates the event when the plan changes instead of adding a copy; sessions removed by a re-plan simply
drop out of the feed. Each event says when it last changed (LAST-MODIFIED, DTSTAMP) and how often (SEQUENCE),
so that an app holding an older copy takes the new one: see `revision`.

Times are local times in the person's zone (DTSTART;TZID=...), with a VTIMEZONE that lists each change of
offset on a line of its own. icalendar's own VTIMEZONE puts 1970 to 2037 in one comma-separated RDATE, and
parsers that read only its first date (Mozilla's ical.js, as in Thunderbird, and vobject) then put events an
hour off for much of the year.
"""

import datetime
import functools
import secrets
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, Timezone, vDuration

from planner import plans
from planner.models import PlannedSession
from steady.vocabulary import activity_name

# When a session starts on the person's preferred time of day; a second session that day follows the first.
START_TIMES = {
    "morning": datetime.time(8, 0),
    "midday": datetime.time(12, 30),
    "evening": datetime.time(18, 30),
}
GAP_BETWEEN_SESSIONS = datetime.timedelta(minutes=15)
FEED_WEEKS_BACK = 4
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def ensure_token(profile) -> str:
    if not profile.calendar_token:
        profile.calendar_token = new_token()
        profile.save(update_fields=["calendar_token"])
    return profile.calendar_token


def reset_token(profile) -> str:
    profile.calendar_token = new_token()
    profile.save(update_fields=["calendar_token"])
    return profile.calendar_token


def feed_sessions(user, today: datetime.date) -> list[PlannedSession]:
    since = plans.monday_of(today) - datetime.timedelta(weeks=FEED_WEEKS_BACK)
    return list(
        PlannedSession.objects.filter(plan__user=user, plan__week_start__gte=since)
        .select_related("plan")
        .order_by("date", "id")
    )


def session_times(profile, sessions: list[PlannedSession]):
    """(session, start, end) with aware datetimes in the person's time zone."""
    zone = profile.zone
    start_of_day = START_TIMES.get(profile.preferred_time, START_TIMES["morning"])
    next_start = {}
    for session in sessions:
        start = next_start.get(session.date) or datetime.datetime.combine(
            session.date, start_of_day, tzinfo=zone
        )
        minutes = session.actual_minutes or session.minutes
        end = start + datetime.timedelta(minutes=minutes)
        next_start[session.date] = end + GAP_BETWEEN_SESSIONS
        yield session, start, end


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "steady.localhost"


def uid(session: PlannedSession) -> str:
    """The event's UID: the session's id alone, so a swap, a tick-off or a new time updates the same event."""
    return f"session-{session.pk}@{_uid_domain()}"


def revision(session: PlannedSession) -> tuple[datetime.datetime, int]:
    """(when the session last changed, in UTC, to the second; its SEQUENCE): its own change time and counter,
    which every change of state moves on (PlannedSession's methods: done, skipped, undone, details, swapped),
    or the plan's creation for a session never changed."""
    changed = session.changed_at or session.plan.created_at
    return changed.astimezone(datetime.UTC).replace(microsecond=0), session.sequence


@functools.lru_cache(maxsize=64)
def _timezone_ical(key: str, first_year: int, last_year: int) -> bytes:
    zone = zoneinfo.ZoneInfo(key)
    vtimezone = Timezone.from_tzinfo(
        zone,
        tzid=key,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )
    for observance in vtimezone.subcomponents:
        if "RDATE" not in observance:
            continue
        lists = observance.pop("RDATE")
        dates = sorted(
            when.dt for dates in (lists if isinstance(lists, list) else [lists]) for when in dates.dts
        )
        for when in dates:
            observance.add("RDATE", when)
    return vtimezone.to_ical()


def timezone_component(zone: zoneinfo.ZoneInfo, first: datetime.date, last: datetime.date) -> Timezone:
    """The VTIMEZONE for `zone`, from the year before `first` to the year after `last`.

    icalendar's Timezone.from_tzinfo works out the changes of offset from zoneinfo; each observance's dates
    are then given one RDATE line each, which every parser reads (a comma-separated list is read only as its
    first date by some).
    """
    return Timezone.from_ical(_timezone_ical(zone.key, first.year - 1, last.year + 1))


def build_calendar(profile, sessions: list[PlannedSession], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Steady//Weekly exercise plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", profile.zone.key)
    # A hint to look again every hour (RFC 7986, and Outlook's older name); apps may refresh less often.
    cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    dates = []
    for session, start, end in session_times(profile, sessions):
        changed, sequence = revision(session)
        event = Event()
        event.add("uid", uid(session))
        # A published calendar has no METHOD, so DTSTAMP is when the event last changed (RFC 5545 3.8.7.2).
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("sequence", sequence)
        event.add("dtstart", start)
        event.add("dtend", end)
        name = activity_name(session.activity)
        if session.status == PlannedSession.Status.DONE:
            event.add("summary", f"Done: {name}, {session.actual_minutes or session.minutes} min")
            event.add("status", "CONFIRMED")
            event.add("transp", "OPAQUE")
        elif session.status == PlannedSession.Status.SKIPPED:
            # Still in the feed, so the app updates its copy; many show a cancelled event struck through or
            # hide it, and the summary says so for those that show it plainly. It no longer holds the time.
            event.add("summary", f"Skipped: {name}, {session.minutes} min")
            event.add("status", "CANCELLED")
            event.add("transp", "TRANSPARENT")
        else:
            event.add("summary", f"{name}, {session.minutes} min")
            event.add("status", "CONFIRMED")
            event.add("transp", "OPAQUE")
        words = plans.INTENSITY_WORDS.get(session.intensity, session.intensity)
        event.add("description", f"{session.variant.capitalize()}. {words}.\n{session.why}".strip())
        cal.add_component(event)
        dates.append(session.date)
    if dates and profile.zone.key in cal.get_missing_tzids():  # a time in UTC needs none
        cal.subcomponents.insert(0, timezone_component(profile.zone, min(dates), max(dates)))
    return cal.to_ical()
