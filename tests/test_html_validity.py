"""Every page is valid HTML by the Nu HTML Checker (vnu.jar, the engine of the W3C's validator).

The pages are rendered with the Django test client: found by following links (tests/crawl.py) signed out
and signed in (an onboarded person with this week's plan, a strength routine, a past week and a check-in),
and listed where no link leads (onboarding, forms sent back with errors, error pages, links from emails). vnu
runs once over all of them, one JVM for the lot; a failure names each error and the page it came from. vnu's
warnings are allowed (printed).

vnu.jar comes from tests/web_tools (npm ci); without npm or Java this test skips, and in CI (CI=true) it
fails.
"""

import datetime
import json
import re
import subprocess
from urllib.parse import unquote, urlsplit

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from planner import plans
from planner.models import PlannedSession
from reminders.emails import unsubscribe_token
from reminders.models import EmailKind
from tests.crawl import crawl
from tests.factories import CheckInFactory, PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.web_tools import VNU_JAR, installed, program
from tests.week import MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

ONBOARDING_STEPS = ["about", "activity", "enjoy", "when", "health", "reminders"]
DAY, WEEK = datetime.timedelta(days=1), datetime.timedelta(weeks=1)
MONDAY_MORNING = datetime.datetime.combine(MONDAY, datetime.time(9), tzinfo=datetime.UTC)


class Pages:
    """Pages by name, each the HTML a browser would get."""

    def __init__(self):
        self.html = {}

    def add(self, name, response, status=200):
        assert response.status_code == status, f"{name}: {response.status_code}, not {status}"
        self.html[name] = response.content.decode()

    def crawled(self, who, client):
        for url, page in crawl(client, limit=300).items():
            self.html[f"{who} {url}"] = page.html


def signed_out_pages(pages, person):
    anyone = Client()
    pages.crawled("signed out", anyone)
    pages.add("404", anyone.get("/no-such-page/"), 404)
    pages.add("400", Client().get("/", HTTP_HOST="not allowed host"), 400)
    pages.add("403, an expired form", Client(enforce_csrf_checks=True).post(reverse("account_login")), 403)
    pages.add("log in, a wrong password", anyone.post(reverse("account_login"), {"login": "x@example.com"}))
    pages.add(
        "sign up, passwords that differ",
        anyone.post(
            reverse("account_signup"), {"email": "new@example.com", "password1": "a", "password2": "b"}
        ),
    )
    pages.add("password reset", anyone.get(reverse("account_reset_password")))
    pages.add("password reset sent", anyone.get(reverse("account_reset_password_done")))
    pages.add("password reset, a bad link", anyone.get("/accounts/password/reset/key/0-bad-key/"))
    pages.add("verification sent", anyone.get(reverse("account_email_verification_sent")))
    pages.add("confirm email, a bad link", anyone.get(reverse("account_confirm_email", args=["bad-key"])))
    pages.add("account deleted", anyone.get(reverse("account_deleted")))
    token = unsubscribe_token(person.user.pk, EmailKind.WEEKLY_PLAN.value)
    pages.add("unsubscribe", anyone.get(reverse("email_unsubscribe", args=[token])))
    pages.add("unsubscribe, a bad link", anyone.get(reverse("email_unsubscribe", args=["bad-token"])), 400)


def signed_in_pages(pages, person, session, done, checkin):
    owner = Client()
    owner.force_login(person.user)
    pages.crawled("signed in", owner)
    for name in ("session_page", "session_details", "session_skip", "session_swap", "session_move"):
        pages.add(f"{name}, planned", owner.get(reverse(name, args=[session.pk])))
    pages.add("session page, done", owner.get(reverse("session_page", args=[done.pk])))
    pages.add("session details, done", owner.get(reverse("session_details", args=[done.pk])))
    pages.add("week detail", owner.get(reverse("week_detail", args=[MONDAY - WEEK])))
    pages.add("check-in result", owner.get(reverse("checkin_result", args=[checkin.pk])))
    pages.add("check-in, unanswered", owner.post(reverse("checkin"), {}))
    pages.add("log a session, empty", owner.post(reverse("log_session"), {}))
    pages.add("settings, about you, empty", owner.post(reverse("settings_section", args=["about"]), {}))
    pages.add("delete account, wrong confirmation", owner.post(reverse("delete_account"), {"confirm": "no"}))
    pages.add("change password", owner.get(reverse("account_change_password")))
    pages.add("log out", owner.get(reverse("account_logout")))
    pages.add("405", owner.get(reverse("session_done", args=[session.pk])), 405)


def onboarding_pages(pages):
    newcomer = ProfileFactory(onboarding_step=len(ONBOARDING_STEPS) - 1)
    client = Client()
    client.force_login(newcomer.user)
    for slug in ONBOARDING_STEPS:
        pages.add(f"onboarding, {slug}", client.get(reverse("onboarding_step", args=[slug])))
    pages.add("onboarding, about, empty", client.post(reverse("onboarding_step", args=["about"]), {}))


def error_pages_without_a_request(pages, rf):
    pages.add("403", permission_denied(rf.get("/"), PermissionDenied()), 403)
    pages.add("500", server_error(rf.get("/")), 500)


@pytest.fixture
def monday_morning():
    """A plan made on its Monday is a whole week's (one made later leaves the days gone free), strength day
    included."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


@pytest.fixture
def site(rf):
    """Every page, by name: {name: HTML}."""
    profile = ProfileFactory(onboarding_step=6, onboarded_at=MONDAY_MORNING - 2 * WEEK)
    this_week = plans.plan_for_week(profile.user, MONDAY)
    strength = this_week.sessions.filter(category="strength", status=PlannedSession.Status.PLANNED).first()
    assert strength is not None and strength.routine, "the week's plan has a strength session with a routine"
    done = PlannedSessionFactory(plan=this_week, date=MONDAY, status=PlannedSession.Status.DONE)
    past = PlanFactory(user=profile.user, week_start=MONDAY - WEEK)
    for day in range(0, 7, 2):
        PlannedSessionFactory(plan=past, date=past.week_start + day * DAY, status=PlannedSession.Status.DONE)
    checkin = CheckInFactory(user=profile.user)

    pages = Pages()
    signed_out_pages(pages, profile)
    signed_in_pages(pages, profile, strength, done, checkin)
    onboarding_pages(pages)
    error_pages_without_a_request(pages, rf)
    return pages.html


def validate(pages, folder):
    """vnu's messages on each page: {name: [(type, line, message, extract)]}, run once over every page."""
    java = program("java")
    jar = installed(VNU_JAR)
    files = {}
    for number, (name, html) in enumerate(sorted(pages.items())):
        path = folder / f"{number:03}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    run = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", *sorted(str(folder / f) for f in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout, f"vnu said nothing: {run.stderr[-2000:]}"
    messages = {name: [] for name in pages}
    for message in json.loads(run.stdout)["messages"]:
        name = files[unquote(urlsplit(message["url"]).path).rsplit("/", 1)[-1]]
        kind = message.get("subType", message["type"])
        messages[name].append((kind, message.get("lastLine"), message["message"], message.get("extract", "")))
    return messages


# Sent along with the pages: vnu must find its errors, so a pass means valid pages, not a silent checker.
BROKEN = '<!doctype html><html lang="en"><title>x</title><p><div>a div in a p</div><img src="x.png">'


def test_every_page_is_valid_html(site, tmp_path):
    assert len(site) > 60, f"only {len(site)} pages found to check"
    for name in ("signed out /", "signed in /dashboard/", "onboarding, about", "404", "500"):
        assert name in site, f"{name} was not rendered"

    messages = validate({**site, "broken on purpose": BROKEN}, tmp_path)

    assert any("alt" in text for _, _, text, _ in messages.pop("broken on purpose")), (
        "vnu found nothing wrong"
    )
    listed = {
        kind: [
            f"{name}, line {line}: {text}\n    {extract.strip()}"
            for name, found in sorted(messages.items())
            for found_kind, line, text, extract in found
            if (found_kind in ("warning", "info")) == (kind == "warnings")
        ]
        for kind in ("errors", "warnings")
    }
    print(f"{len(site)} pages checked; vnu's warnings (allowed):", *listed["warnings"], sep="\n")
    assert not listed["errors"], f"{len(listed['errors'])} HTML errors (vnu):\n" + "\n".join(listed["errors"])
