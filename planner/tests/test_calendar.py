import datetime
import zoneinfo
from urllib.parse import quote

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from planner import plans
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
