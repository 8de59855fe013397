"""In a real browser: a low check-in, the caring message and the safety page, a gentle plan (undone and back),
the data download, and account deletion; the database is inspected afterwards."""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Profile, User
from planner import plans
from planner.models import PlannedSession
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, ProfileFactory
from tests.rows import rows_linked_to
from wellbeing.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def planned_intensities_from_today(user):
    profile = Profile.objects.get(user=user)
    today = profile.local_date()
    return set(
        PlannedSession.objects.filter(
            plan__user=user, plan__week_start=plans.monday_of(today), date__gte=today, status="planned"
        ).values_list("intensity", flat=True)
    )


def test_low_check_in_safety_gentle_plan_download_and_deletion(browser, live_server, artifacts, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    # Already active and running, so the usual plan has vigorous sessions.
    profile = ProfileFactory(
        user__email="mira@example.com",
        onboarding_step=6,
        onboarded_at=timezone.now() - datetime.timedelta(days=7),
        current_minutes_per_week=200,
        current_vigorous_minutes=60,
        strength_days_now=2,
        preferences=["running", "cycling", "walking"],
        timezone="Europe/London",
    )
    user = profile.user
    plans.plan_for_this_week(user)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/London", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors, outside = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    # Log in.
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    # A check-in with low answers.
    page.goto(live_server.url + "/wellbeing/check-in/")
    expect(page.get_by_role("heading", name="How have the last two weeks been?")).to_be_visible()
    assert_accessible(page, "wellbeing-01-check-in", artifacts)
    for group in page.locator("fieldset").all():
        group.get_by_label("Some of the time").check()
    page.get_by_role("button", name="Save my check-in").click()

    # The caring message, the safety page, help to find a professional, and the plan is gentle.
    page.wait_for_url(re.compile(r"/wellbeing/check-in/\d+/"))
    expect(page.get_by_role("heading", name="It sounds like things have been hard lately")).to_be_visible()
    expect(page.get_by_role("heading", name="Finding someone to talk to")).to_be_visible()
    expect(page.locator("#gentle-status")).to_contain_text("Your plan is gentle until your next check-in")
    assert_accessible(page, "wellbeing-02-result", artifacts)
    checkin = CheckIn.objects.get(user=user)
    assert (checkin.score, checkin.support_suggested) == (20, True)
    assert Profile.objects.get(user=user).gentle_until_next_checkin
    assert planned_intensities_from_today(user) <= {"light", "moderate"}
    result_url = page.url

    page.get_by_role("link", name="crisis lines and help now").click()
    page.wait_for_url(re.compile(r"/safety/"))
    expect(page.get_by_role("heading", name="Need help now?", exact=True)).to_be_visible()
    expect(page.locator(".badge", has_text="Your country").first).to_be_visible()

    # Undo in one click, and back to gentle: the person decides.
    page.goto(result_url)
    page.get_by_role("button", name="Undo: keep my usual plan").click()
    expect(page.get_by_text("your usual plan is back")).to_be_visible()
    assert not Profile.objects.get(user=user).gentle_until_next_checkin
    assert "vigorous" in planned_intensities_from_today(user)
    page.get_by_role("button", name="Make my plan gentle until my next check-in").click()
    expect(page.get_by_text("Your plan is gentle again")).to_be_visible()
    assert Profile.objects.get(user=user).gentle_until_next_checkin
    assert planned_intensities_from_today(user) <= {"light", "moderate"}

    # Nothing is blocked: the week and the wellbeing page still open.
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", name="This week", exact=True)).to_be_visible()
    page.goto(live_server.url + "/wellbeing/")
    expect(page.locator("svg circle.score-point")).to_have_count(1)
    # Every label of the chart is inside its drawing (the minutes scale on the right was cut to "150 m").
    outside_labels = page.evaluate(
        """() => [...document.querySelectorAll("figure svg")].flatMap(svg => {
            const width = svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll("text")]
                .filter(text => {
                    const box = text.getBBox();
                    return box.x < 0 || box.x + box.width > width;
                })
                .map(text => text.textContent);
        })"""
    )
    assert outside_labels == []
    assert_accessible(page, "wellbeing-03-wellbeing", artifacts)

    # Download everything.
    page.goto(live_server.url + "/your-data/")
    assert_accessible(page, "wellbeing-04-your-data", artifacts)
    with page.expect_download() as download:
        page.get_by_role("link", name="Everything, as JSON").click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["email"] == "mira@example.com"
    assert [row["score"] for row in exported["tables"]["wellbeing.checkin"]] == [20]
    assert exported["tables"]["accounts.profile"][0]["gentle_until_next_checkin"] is True
    with page.expect_download() as download:
        page.get_by_role("link", name="Check-ins, as CSV").click()
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()  # as a spreadsheet reads it
    assert lines[0].startswith("created_at,cheerful") and lines[1].endswith(",20,,True")

    # Delete the account: a wrong confirmation deletes nothing; the email deletes everything.
    linked = rows_linked_to(user)
    page.get_by_role("link", name="Delete my account…").click()
    page.wait_for_url(re.compile(r"/your-data/delete/"))
    assert_accessible(page, "wellbeing-05-delete", artifacts)
    page.get_by_label("To confirm, type your email address").fill("not-me@example.com")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("nothing was deleted")).to_be_visible()
    assert User.objects.filter(pk=user.pk).exists()
    page.get_by_label("To confirm, type your email address").fill("mira@example.com")
    page.get_by_role("button", name="Delete my account and all my data").click()
    page.wait_for_url(re.compile(r"/goodbye/"))
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # The database afterwards: no row of theirs anywhere, no login session, no reminder.
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in linked:
            assert not model._base_manager.filter(pk__in=linked[label]).exists(), f"{label} rows left behind"
    assert not User.objects.filter(email__iexact="mira@example.com").exists()
    assert not any(s.get_decoded().get("_auth_user_id") == str(user.pk) for s in Session.objects.all())
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_url(re.compile(r"/accounts/login/"))

    assert not errors, errors
    assert not outside, f"requests to other hosts: {outside}"
    context.close()
