"""The whole journey in a real browser: sign up, verify the email, onboarding, first plan, tick off, undo."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
PASSWORD = "a-long-enough-password-42"


def progress_minutes(page) -> str:
    """This week's progress as the page says it: active minutes, strength and balance days."""
    return page.locator("#progress").inner_text()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_whole_journey(browser, live_server, artifacts, size, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    context = browser.new_context(viewport=VIEWPORTS[size], timezone_id="Europe/Berlin", locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    email = f"journey-{size}@example.com"

    # Sign up.
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page, f"{size}-01-signup", artifacts)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_label("I am 18 or older").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    # Open the verification email's link and confirm.
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(link)
    assert_accessible(page, f"{size}-02-confirm-email", artifacts)
    page.get_by_role("button", name="Confirm").click()

    # Onboarding, step by step.
    page.wait_for_url(re.compile(r"/onboarding/about/"))
    assert page.get_by_text("Step 1 of 6").is_visible()
    # The time zone comes from the browser (static/js/timezone.js).
    assert page.get_by_label("Your time zone").input_value() == "Europe/Berlin"
    assert_accessible(page, f"{size}-03-about-you", artifacts)
    page.get_by_label("How old are you?").fill("34")
    page.get_by_label("Where do you live?").select_option("DE")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/onboarding/activity/"))
    assert_accessible(page, f"{size}-04-activity", artifacts)
    page.get_by_label("About how many minutes a week are you active now?").fill("20")
    page.get_by_label("On how many days a week do you do strength exercises?").fill("0")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/onboarding/enjoy/"))
    assert_accessible(page, f"{size}-05-enjoy", artifacts)
    page.get_by_label("Walking").check()
    page.get_by_label("Yoga").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/onboarding/when/"))
    assert_accessible(page, f"{size}-06-when", artifacts)
    for day in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]:
        page.get_by_label(day).check()
    page.get_by_label("How many minutes could you spend on one of those days?").fill("30")
    page.get_by_label("Evening").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/onboarding/health/"))
    assert_accessible(page, f"{size}-07-health", artifacts)
    for group in page.locator("fieldset").all():
        group.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/onboarding/reminders/"))
    assert_accessible(page, f"{size}-08-reminders", artifacts)
    page.get_by_role("button", name="Make my plan").click()

    # The first plan, at once.
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert page.get_by_role("heading", name="This week", exact=True).is_visible()
    assert page.locator('[aria-current="date"]').count() == 1
    assert_accessible(page, f"{size}-09-dashboard", artifacts)
    before = progress_minutes(page)
    assert "0 of " in before

    # Tick off today's first session with one click (htmx), and the progress moves.
    first_card = page.locator(".day-today article[id^=session-]").first
    card_id = first_card.get_attribute("id")
    first_card.get_by_role("button", name=re.compile("Mark done")).click()
    card = page.locator(f"#{card_id}")
    card.get_by_role("button", name=re.compile("Undo")).wait_for()
    assert card.get_by_text("Done").first.is_visible()
    expect(page.locator("#progress")).not_to_have_text(before)
    assert_accessible(page, f"{size}-10-done", artifacts)

    # Undo in one click.
    card.get_by_role("button", name=re.compile("Undo")).click()
    card.get_by_role("button", name=re.compile("Mark done")).wait_for()
    expect(page.locator("#progress")).to_have_text(before)

    # It stays that way after a reload (the server has it, not just the page).
    page.reload()
    assert progress_minutes(page) == before
    assert not errors, errors
    # The service worker keeps pages for offline use after a load: let those requests end before the test
    # database is emptied, or the server may write for a user who is gone.
    page.wait_for_load_state("networkidle")
    context.close()


def test_tick_off_works_without_javascript(browser, live_server, artifacts, django_user_model):
    """Progressive enhancement: the same buttons are plain forms when JavaScript is off."""
    from django.utils import timezone

    from planner import plans
    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.factories import ProfileFactory

    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now())
    plan = plans.plan_for_this_week(profile.user)
    assert plan.sessions.exists()

    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(profile.user.email)
    page.locator("input[name=password]").fill(FACTORY_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    before = progress_minutes(page)
    page.locator(".day-today article[id^=session-]").first.get_by_role(
        "button", name=re.compile("Mark done")
    ).click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert progress_minutes(page) != before
    page.screenshot(path=str(artifacts / "phone-no-js-done.png"), full_page=True)
    context.close()
