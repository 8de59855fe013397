"""The person's plan as iCalendar: a private feed their calendar app subscribes to, and a one-off download.

Each session keeps one UID for its whole life, so a calendar app updates the event when the plan changes
instead of adding a copy; sessions removed by a re-plan simply drop out of the feed.
"""

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

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


def build_calendar(profile, sessions: list[PlannedSession], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Steady//Weekly exercise plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", profile.zone.key)
    now = timezone.now()
    domain = _uid_domain()
    for session, start, end in session_times(profile, sessions):
        event = Event()
        event.add("uid", f"session-{session.pk}@{domain}")
        event.add("dtstamp", now)
        event.add("last-modified", session.plan.updated_at)
        event.add("dtstart", start)
        event.add("dtend", end)
        name = activity_name(session.activity)
        if session.status == PlannedSession.Status.DONE:
            event.add("summary", f"Done: {name}, {session.actual_minutes or session.minutes} min")
        else:
            event.add("summary", f"{name}, {session.minutes} min")
        if session.status == PlannedSession.Status.SKIPPED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        words = plans.INTENSITY_WORDS.get(session.intensity, session.intensity)
        event.add("description", f"{session.variant.capitalize()}. {words}.\n{session.why}".strip())
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
