import datetime
import json
import os
import re
import shutil
import subprocess
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Profile
from planner import calendar, plans
from steady.vocabulary import activity_name
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def profile():
    return ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON, preferred_time="evening")


@pytest.fixture
def plan(profile):
    return PlanFactory(user=profile.user, week_start=MONDAY)


def feed_url(owner):
    page = owner.get(reverse("calendar")).content.decode()
    return page.split('id="feed-url" type="text" readonly value="', 1)[1].split('"', 1)[0]


def events(response):
    cal = icalendar.Calendar.from_ical(response.content)
    return [component for component in cal.walk("VEVENT")]


def test_the_calendar_page_shows_a_private_feed_url(owner, profile):
    url = feed_url(owner)
    profile.refresh_from_db()
    assert len(profile.calendar_token) >= 40
    assert url == f"http://testserver/calendar/feed/{profile.calendar_token}.ics"


def test_the_feed_has_each_session_at_the_preferred_time_in_the_persons_zone(client, owner, plan):
    first = PlannedSessionFactory(plan=plan, date=MONDAY, minutes=20)
    second = PlannedSessionFactory(plan=plan, date=MONDAY, minutes=15, activity="yoga", variant="yoga flow")
    url = feed_url(owner)
    response = Client().get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = {str(event["UID"]): event for event in events(response)}
    assert set(found) == {f"session-{first.pk}@localhost", f"session-{second.pk}@localhost"}

    walk = found[f"session-{first.pk}@localhost"]
    assert walk.decoded("DTSTART") == datetime.datetime(2026, 11, 23, 18, 30, tzinfo=LONDON)
    assert walk.decoded("DTEND") == datetime.datetime(2026, 11, 23, 18, 50, tzinfo=LONDON)
    assert walk["DTSTART"].params["TZID"] == "Europe/London"
    assert str(walk["SUMMARY"]) == "Walking, 20 min"
    yoga = found[f"session-{second.pk}@localhost"]
    assert yoga.decoded("DTSTART") == datetime.datetime(2026, 11, 23, 19, 5, tzinfo=LONDON)
    assert b"BEGIN:VTIMEZONE" in response.content


def test_summer_time_is_respected(client, owner, profile, wednesday):
    wednesday.move_to(datetime.datetime(2026, 7, 8, 12, 0, tzinfo=datetime.UTC))
    plan = PlanFactory(user=profile.user, week_start=datetime.date(2026, 7, 6))
    session = PlannedSessionFactory(plan=plan, date=datetime.date(2026, 7, 6))
    response = Client().get(feed_url(owner).removeprefix("http://testserver"))
    (event,) = [e for e in events(response) if str(e["UID"]) == f"session-{session.pk}@localhost"]
    # 18:30 in London in July is 17:30 UTC.
    assert event.decoded("DTSTART").astimezone(datetime.UTC).time() == datetime.time(17, 30)


def test_the_feed_follows_changes_to_the_plan_with_the_same_uid(owner, plan):
    session = PlannedSessionFactory(plan=plan, date=MONDAY)
    path = feed_url(owner).removeprefix("http://testserver")
    session.swap_for(next(o for o in plans.catalogue_variants() if o["key"] == "dancing_salsa"))
    owner.post(reverse("session_done", args=[session.pk]))
    (event,) = events(Client().get(path))
    assert str(event["UID"]) == f"session-{session.pk}@localhost"
    assert str(event["SUMMARY"]) == "Done: Dancing, 20 min"


def test_a_wrong_token_is_a_404(client, profile):
    profile.calendar_token = "right-token"
    profile.save()
    assert client.get(reverse("calendar_feed", args=["wrong-token"])).status_code == 404


def test_resetting_the_token_stops_the_old_link(owner, profile):
    old_path = feed_url(owner).removeprefix("http://testserver")
    response = owner.post(reverse("calendar_reset"))
    assert response["Location"] == reverse("calendar")
    assert Client().get(old_path).status_code == 404
    new_path = feed_url(owner).removeprefix("http://testserver")
    assert new_path != old_path
    assert Client().get(new_path).status_code == 200


def test_resetting_needs_post_and_a_csrf_token(profile):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(profile.user)
    profile.calendar_token = "kept"
    profile.save()
    assert strict.get(reverse("calendar_reset")).status_code == 405
    assert strict.post(reverse("calendar_reset")).status_code == 403
    profile.refresh_from_db()
    assert profile.calendar_token == "kept"


def test_the_one_off_download_has_this_week(owner, plan):
    session = PlannedSessionFactory(plan=plan, date=WEDNESDAY_NOON.date())
    response = owner.get(reverse("calendar_download"))
    assert response["Content-Disposition"] == 'attachment; filename="steady-week-2026-11-23.ics"'
    (event,) = events(response)
    assert str(event["UID"]) == f"session-{session.pk}@localhost"


@pytest.mark.parametrize("name", ["calendar", "calendar_download"])
def test_calendar_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response["Location"].startswith(reverse("account_login"))


def test_reset_needs_login(client):
    response = client.post(reverse("calendar_reset"))
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("token", ["a\x00b", "%00", "../x", "a b", "x" * 101])
def test_a_feed_address_with_a_malformed_token_is_not_found(client, token):
    response = client.get(f"/calendar/feed/{quote(token, safe='')}.ics")

    assert response.status_code == 404


# --- Every event at the right moment, in every parser -------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "tests" / "calendar_clients"  # ical.js, pinned by its package-lock.json


def must_run(reason: str):
    """Skip for want of a tool, except in CI (CI=true), where a green run must mean the parser really ran."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"The calendar parser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def ical_js():
    """Parsing with Mozilla's ical.js (Thunderbird's parser): a function from iCalendar bytes to JSON."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        must_run("node and npm are needed to run ical.js (tests/calendar_clients)")
    if not (CLIENTS / "node_modules" / "ical.js" / "package.json").exists():
        install = subprocess.run(
            [npm, "ci", "--prefix", str(CLIENTS), "--no-audit", "--no-fund"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if install.returncode:
            must_run(f"`npm ci --prefix tests/calendar_clients` failed: {install.stderr.strip()[-500:]}")

    def parse(body: bytes) -> dict:
        run = subprocess.run(
            [node, str(CLIENTS / "parse_feed.mjs")], input=body, capture_output=True, timeout=60, check=False
        )
        assert run.returncode == 0, run.stderr.decode()
        return json.loads(run.stdout)

    return parse


@pytest.fixture(scope="session")
def vobject():
    try:
        import vobject
    except ImportError:
        must_run("vobject is not installed (a dev dependency: make install)")
    return vobject


def utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def from_ical_js(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


# Each zone's changes of offset in 2026, the session times Steady promises, and a preferred time each, so that
# all three times of day are covered.
CHANGES = {
    "Europe/London": [datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)],
    "Europe/Berlin": [datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)],
    "America/New_York": [datetime.date(2026, 3, 8), datetime.date(2026, 11, 1)],
    "Australia/Sydney": [datetime.date(2026, 4, 5), datetime.date(2026, 10, 4)],
}
PROMISED = {"morning": datetime.time(8, 0), "midday": datetime.time(12, 30), "evening": datetime.time(18, 30)}
AROUND_A_CHANGE = [-3, -1, 0, 1, 3]  # days from the change (0: the Sunday it happens on)


@pytest.mark.parametrize(
    ("zone_name", "preferred_time"),
    [
        ("Europe/London", "evening"),
        ("Europe/Berlin", "morning"),
        ("America/New_York", "midday"),
        ("Australia/Sydney", "evening"),
        ("Australia/Sydney", "morning"),
    ],
)
def test_every_parser_puts_each_session_at_the_same_moment_as_zoneinfo_across_summer_time(
    client, wednesday, ical_js, vobject, zone_name, preferred_time
):
    zone = zoneinfo.ZoneInfo(zone_name)
    now = datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC)  # the feed reaches into the autumn
    wednesday.move_to(now)
    profile = ProfileFactory(
        onboarding_step=6, onboarded_at=now, timezone=zone_name, preferred_time=preferred_time
    )
    week_plans = {}

    def plan_of(date):
        monday = plans.monday_of(date)
        if monday not in week_plans:
            week_plans[monday] = PlanFactory(user=profile.user, week_start=monday)
        return week_plans[monday]

    plan_of(profile.local_date())  # this week's plan, so the feed adds none of the engine's
    expected = {}
    for change in CHANGES[zone_name]:
        days = [change + datetime.timedelta(days=offset) for offset in AROUND_A_CHANGE]
        before = datetime.datetime.combine(days[0], PROMISED[preferred_time], tzinfo=zone)
        after = datetime.datetime.combine(days[-1], PROMISED[preferred_time], tzinfo=zone)
        assert before.utcoffset() != after.utcoffset(), "the sessions must straddle a change of offset"
        for day in days:
            start = datetime.datetime.combine(day, PROMISED[preferred_time], tzinfo=zone)
            session = PlannedSessionFactory(plan=plan_of(day), date=day, minutes=25)
            expected[f"session-{session.pk}@localhost"] = (
                utc(start),
                utc(start + datetime.timedelta(minutes=25)),
            )
        # A second session on the change day starts 15 minutes after the first ends.
        start = datetime.datetime.combine(change, PROMISED[preferred_time], tzinfo=zone)
        start += datetime.timedelta(minutes=25 + 15)
        second = PlannedSessionFactory(plan=plan_of(change), date=change, minutes=10, activity="yoga")
        expected[f"session-{second.pk}@localhost"] = (utc(start), utc(start + datetime.timedelta(minutes=10)))

    body = client.get(reverse("calendar_feed", args=[calendar.ensure_token(profile)])).content

    by_icalendar = {
        str(e["UID"]): (utc(e.decoded("DTSTART")), utc(e.decoded("DTEND")))
        for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }
    parsed = ical_js(body)
    assert parsed["timezones"] == [zone_name]
    for event in parsed["events"]:
        # ical.js knows no zone of its own: a start in this zone means it used the feed's VTIMEZONE.
        assert event["start_zone"] == {"tzid": zone_name, "zone": zone_name}
    by_ical_js = {e["uid"]: (from_ical_js(e["start"]), from_ical_js(e["end"])) for e in parsed["events"]}
    by_vobject = {
        e.uid.value: (utc(e.dtstart.value), utc(e.dtend.value))
        for e in vobject.readOne(body.decode()).vevent_list
    }
    assert by_icalendar == expected
    assert by_ical_js == expected
    assert by_vobject == expected


def test_each_change_of_offset_is_an_rdate_of_its_own_from_before_the_first_session_to_after_the_last(
    client, owner, profile, plan
):
    PlannedSessionFactory(plan=plan, date=MONDAY)
    later = PlanFactory(user=profile.user, week_start=datetime.date(2027, 6, 7))
    PlannedSessionFactory(plan=later, date=datetime.date(2027, 6, 9))
    body = Client().get(feed_url(owner).removeprefix("http://testserver")).content
    (vtimezone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/London"
    onsets = []
    for observance in vtimezone.subcomponents:
        onsets.append(observance.decoded("DTSTART"))
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            assert len(rdate.dts) == 1, "one date per RDATE line: some parsers read only the first of a list"
            onsets.append(rdate.dts[0].dt)
    for line in body.decode().splitlines():
        assert not (line.startswith("RDATE") and "," in line)
    # The offset in force at the first session and every change until after the last one are listed.
    assert min(onsets) <= datetime.datetime(2026, 1, 1)
    assert max(onsets) >= datetime.datetime(2027, 10, 31, 2, 0)
    assert sum(1 for onset in onsets if onset.year in (2026, 2027)) == 4  # March and October, twice


# --- Events follow the session's changes --------------------------------------------------------------------


def the_event(owner, session):
    found = {str(e["UID"]): e for e in events(owner.get(reverse("calendar_download")))}
    return found[f"session-{session.pk}@localhost"]


def test_ticking_off_moves_last_modified_and_dtstamp_and_raises_the_sequence(owner, plan, wednesday):
    session = PlannedSessionFactory(plan=plan, date=MONDAY)
    before = the_event(owner, session)
    assert before.decoded("LAST-MODIFIED") == WEDNESDAY_NOON
    assert before.decoded("DTSTAMP") == WEDNESDAY_NOON
    assert before.decoded("SEQUENCE") == 0

    wednesday.move_to(WEDNESDAY_NOON + datetime.timedelta(hours=3))
    owner.post(reverse("session_done", args=[session.pk]))
    done = the_event(owner, session)
    assert done.decoded("LAST-MODIFIED") == WEDNESDAY_NOON + datetime.timedelta(hours=3)
    assert done.decoded("DTSTAMP") == done.decoded("LAST-MODIFIED")
    assert done.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    assert str(done["SUMMARY"]) == "Done: Walking, 20 min"
    assert str(done["STATUS"]) == "CONFIRMED"

    wednesday.move_to(WEDNESDAY_NOON + datetime.timedelta(hours=4))
    owner.post(
        reverse("session_details", args=[session.pk]),
        {"actual_minutes": 35, "effort": 5, "mood_before": 2, "mood_after": 4},
    )
    logged = the_event(owner, session)
    assert str(logged["SUMMARY"]) == "Done: Walking, 35 min"
    assert logged.decoded("DTEND") - logged.decoded("DTSTART") == datetime.timedelta(minutes=35)


def test_the_stamps_are_the_same_in_ical_js(owner, plan, wednesday, ical_js):
    session = PlannedSessionFactory(plan=plan, date=MONDAY)
    wednesday.move_to(WEDNESDAY_NOON + datetime.timedelta(hours=3))
    owner.post(reverse("session_done", args=[session.pk]))
    (event,) = ical_js(owner.get(reverse("calendar_download")).content)["events"]
    assert event["uid"] == f"session-{session.pk}@localhost"
    assert from_ical_js(event["last_modified"]) == WEDNESDAY_NOON + datetime.timedelta(hours=3)
    assert event["dtstamp"] == event["last_modified"]
    assert event["sequence"] == 1  # one change: ticked off
    assert event["summary"] == "Done: Walking, 20 min"


def test_a_skipped_session_stays_in_the_feed_cancelled_and_says_so(owner, plan):
    session = PlannedSessionFactory(plan=plan, date=MONDAY)
    owner.post(reverse("session_skip", args=[session.pk]), {"reason": "too tired"})
    event = the_event(owner, session)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Skipped: Walking, 20 min"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "tired" not in event.to_ical().decode()  # the reason is the person's own, not their calendar's


def test_a_skip_and_an_undo_each_move_the_event_forward(owner, plan, wednesday):
    session = PlannedSessionFactory(plan=plan, date=MONDAY)
    wednesday.move_to(WEDNESDAY_NOON + datetime.timedelta(hours=1))
    owner.post(reverse("session_done", args=[session.pk]))
    done = the_event(owner, session)
    wednesday.move_to(WEDNESDAY_NOON + datetime.timedelta(hours=2))
    owner.post(reverse("session_undo", args=[session.pk]))
    undone = the_event(owner, session)
    assert undone.decoded("SEQUENCE") > done.decoded("SEQUENCE")
    wednesday.move_to(WEDNESDAY_NOON + datetime.timedelta(hours=3))
    owner.post(reverse("session_skip", args=[session.pk]), {"reason": ""})
    skipped = the_event(owner, session)
    assert skipped.decoded("SEQUENCE") > undone.decoded("SEQUENCE")
    assert skipped.decoded("LAST-MODIFIED") == WEDNESDAY_NOON + datetime.timedelta(hours=3)


# --- One UID for a session's whole life ---------------------------------------------------------------------


@override_settings(SITE_URL="https://steady.example.org")
def test_uids_are_the_session_id_at_the_sites_host_whatever_the_activity(owner, plan):
    session = PlannedSessionFactory(plan=plan, date=MONDAY)
    (before,) = events(owner.get(reverse("calendar_download")))
    session.swap_for(next(o for o in plans.catalogue_variants() if o["key"] == "dancing_salsa"))
    assert session.activity == "dancing"
    (after,) = events(owner.get(reverse("calendar_download")))
    assert str(before["UID"]) == str(after["UID"]) == f"session-{session.pk}@steady.example.org"
    assert str(after["SUMMARY"]).startswith(activity_name(session.activity))


# --- A hint to refresh --------------------------------------------------------------------------------------


def test_the_feed_asks_to_be_refreshed_every_hour(owner, plan):
    PlannedSessionFactory(plan=plan, date=MONDAY)
    lines = Client().get(feed_url(owner).removeprefix("http://testserver")).content.decode().splitlines()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines


def test_pressing_new_link_twice_makes_one_new_link(owner):
    page = owner.get(reverse("calendar")).content.decode()
    key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)

    owner.post(reverse("calendar_reset"), {"submit_key": key})
    token = Profile.objects.get(user=owner.session["_auth_user_id"]).calendar_token
    owner.post(reverse("calendar_reset"), {"submit_key": key})  # a double tap

    assert Profile.objects.get(user=owner.session["_auth_user_id"]).calendar_token == token
