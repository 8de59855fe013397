"""The session page in a real phone-sized browser: the guide with its timer (time travelled with
Playwright's clock), keeping its place over a reload, finishing on to "How did it go?"; the checklist
without JavaScript."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from planner import plans
from planner.models import PlannedSession
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, PlanFactory, PlannedSessionFactory, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def entry(move_id, name, reps=None, seconds=None, sets=1):
    return {"id": move_id, "name": name, "sets": sets, "reps": reps, "seconds": seconds}


# Seven steps: a timed warm-up, two rounds (a repetition move, a timed hold) with a rest between, a stretch.
ROUTINE = {
    "rounds": 2,
    "rest_seconds": 30,
    "effort": "The last few repetitions should feel hard, but doable.",
    "warm_up": [entry("march_on_the_spot", "March on the spot", seconds=60)],
    "moves": [entry("sit_to_stand", "Sit to stand", reps=10), entry("wall_sit", "Wall sit", seconds=20)],
    "cool_down": [entry("calf_stretch", "Calf stretch", seconds=30)],
}


def strength_session(**profile_fields) -> PlannedSession:
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now(), **profile_fields)
    today = profile.local_date()
    plan = PlanFactory(user=profile.user, week_start=plans.monday_of(today))
    return PlannedSessionFactory(
        plan=plan,
        date=today,
        activity="bodyweight",
        variant="home strength exercises",
        category="strength",
        met="3.8",
        minutes=15,
        why="Strength training eases symptoms of depression.",
        routine=ROUTINE,
    )


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_the_guide_times_each_step_keeps_its_place_and_finishes(browser, live_server, artifacts):
    session = strength_session(health_flags=["bone_joint"])
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.clock.install()
    log_in(page, live_server, session.plan.user)

    # From the dashboard card to the session page.
    page.locator(f"#session-{session.pk}").get_by_role(
        "link", name="Home strength exercises (no equipment), 15 minutes"
    ).click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Home strength exercises (no equipment), 15 minutes"
    )
    expect(page.get_by_text("Stop and get help if you feel chest pain")).to_be_visible()
    expect(page.get_by_text("The last few repetitions should feel hard, but doable.")).to_be_visible()
    assert_accessible(page, "phone-session-page", artifacts)

    title = page.locator("#guide-title")
    countdown = page.locator("#guide-countdown")
    status = page.locator("#guide-status")
    next_button = page.get_by_role("button", name="Done, next")

    # Start: the first step, timed, and its countdown runs.
    page.get_by_role("button", name="Start", exact=True).click()
    expect(title).to_have_text("March on the spot")
    expect(title).to_be_focused()
    expect(countdown).to_have_text("1:00")
    expect(status).to_contain_text("Step 1 of 7")
    page.clock.run_for(10_000)
    expect(countdown).to_have_text("0:50")
    assert_accessible(page, "phone-session-guide", artifacts)

    # Past its end: on to a repetition step, which waits for "Done, next".
    page.clock.run_for(51_000)
    expect(title).to_have_text("Sit to stand")
    expect(page.locator("#guide-dose")).to_have_text("10 repetitions")
    expect(countdown).to_be_hidden()
    expect(status).to_contain_text("Step 2 of 7: Sit to stand, 10 repetitions")
    expect(page.locator("#step-1-done")).to_be_checked()

    # A reload keeps the place.
    page.reload()
    expect(title).to_have_text("Sit to stand")
    expect(page.locator("#guide-where")).to_contain_text("Step 2 of 7")
    next_button.click()

    # A timed hold; paused, time stands still; resumed, it runs out and the rest begins.
    expect(title).to_have_text("Wall sit")
    expect(title).to_be_focused()
    expect(countdown).to_have_text("0:20")
    page.clock.run_for(5_000)
    expect(countdown).to_have_text("0:15")
    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(60_000)
    expect(title).to_have_text("Wall sit")
    expect(countdown).to_have_text("0:15")
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(16_000)
    expect(title).to_have_text("Rest")
    expect(page.locator("#guide-dose")).to_have_text("Rest for 30 seconds")

    # Back goes to the step before; Skip goes on without ticking it off.
    page.get_by_role("button", name="Back").click()
    expect(title).to_have_text("Wall sit")
    page.get_by_role("button", name="Skip", exact=True).click()
    expect(title).to_have_text("Rest")
    page.clock.run_for(31_000)

    # Round two.
    expect(title).to_have_text("Sit to stand")
    expect(page.locator("#guide-where")).to_contain_text("Round 2 of 2")
    next_button.click()
    expect(title).to_have_text("Wall sit")
    page.clock.run_for(21_000)
    expect(title).to_have_text("Calf stretch")
    page.clock.run_for(31_000)

    # The end: the finish button, and on to "How did it go?".
    finished = page.locator("#guide-finished")
    expect(finished).to_be_visible()
    expect(page.locator("#guide-finished-heading")).to_be_focused()
    assert_accessible(page, "phone-session-finished", artifacts)
    finished.get_by_role("button", name="I've finished: mark it done").click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/details/$"))
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    session.refresh_from_db()
    assert session.status == "done"
    assert session.completed_at is not None
    # The guide forgot its place once finished.
    assert page.evaluate(f"localStorage.getItem('steady-session-{session.pk}')") is None
    assert not errors, errors
    context.close()


def test_a_timed_step_keeps_running_over_a_reload(browser, live_server):
    """The end of a timed step is a moment, not a count: a reload (or a locked phone) loses no time."""
    session = strength_session()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.clock.install()
    log_in(page, live_server, session.plan.user)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(20_000)
    expect(page.locator("#guide-countdown")).to_have_text("0:40")
    page.reload()
    expect(page.locator("#guide-title")).to_have_text("March on the spot")
    seconds_left = page.locator("#guide-countdown").inner_text()
    assert re.fullmatch(r"0:[34]\d", seconds_left), seconds_left
    context.close()


def test_without_javascript_the_checklist_finishes_the_session(browser, live_server, artifacts):
    session = strength_session()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, session.plan.user)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_hidden()
    expect(page.get_by_text("Stop and get help")).to_have_count(0)
    checklist = page.locator("#session-finish")
    expect(checklist.get_by_role("checkbox")).to_have_count(7)
    for name in ["March on the spot", "Wall sit"]:
        checklist.get_by_role("checkbox", name=re.compile(name)).first.check()
    expect(checklist.get_by_role("img", name=re.compile(".+")).first).to_be_visible()
    # axe runs in the page's JavaScript: the test above checks the same checklist.
    page.screenshot(path=str(artifacts / "phone-session-page-no-js.png"), full_page=True)
    checklist.get_by_role("button", name="I've finished: mark it done").click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/details/$"))
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    session.refresh_from_db()
    assert session.status == "done"
    context.close()
