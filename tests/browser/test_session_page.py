"""The session page in a real phone-sized browser: the guide with its timer (time travelled with
Playwright's clock), keeping its place over a reload, waiting at the next step after time away, stopping and
carrying on, finishing on to "How did it go?"; the checklist without JavaScript."""

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
    "cool_down": [entry("upper_back_stretch", "Upper-back stretch", seconds=30)],
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


def open_session(browser, live_server, session, **context_options):
    """A phone-sized page with Playwright's clock, signed in, on the session page; errors collected."""
    context = browser.new_context(viewport=PHONE, **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.clock.install()
    log_in(page, live_server, session.plan.user)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    return context, page


def set_hidden(page, hidden):
    """As if the phone were locked (or the tab in the background), then unlocked: the page says so."""
    page.evaluate(
        """hidden => {
            const state = hidden ? "hidden" : "visible";
            Object.defineProperty(document, "visibilityState", {configurable: true, get: () => state});
            Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        hidden,
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
    page.locator(f"#session-{session.pk}").get_by_role("link", name="Strength exercises, 15 minutes").click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Strength exercises, 15 minutes")
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
    # The clock moved the guide on: announced, but focus stays on the button the person pressed.
    expect(status).to_contain_text("Step 4 of 7: Rest")
    expect(page.get_by_role("button", name="Pause")).to_be_focused()

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
    # A timed step finished early with "Done, next" is ticked (Skip would leave it unticked).
    page.clock.run_for(5_000)
    next_button.click()
    expect(title).to_have_text("Upper-back stretch")
    expect(title).to_be_focused()
    expect(page.locator("#step-6-done")).to_be_checked()
    page.clock.run_for(31_000)

    # The end: the finish button, and on to "How did it go?". The step heading that had focus is gone, so
    # focus goes to the finished heading rather than being lost.
    finished = page.locator("#guide-finished")
    expect(finished).to_be_visible()
    expect(page.locator("#guide-finished-heading")).to_be_focused()
    expect(page.locator("#step-7-done")).to_be_checked()
    assert_accessible(page, "phone-session-finished", artifacts)

    # Back from the end goes to the last step again; "Done, next" comes back to the end.
    finished.get_by_role("button", name="Back").click()
    expect(title).to_have_text("Upper-back stretch")
    expect(title).to_be_focused()
    expect(countdown).to_have_text("0:30")
    expect(page.locator("#step-7-done")).not_to_be_checked()
    next_button.click()
    expect(finished).to_be_visible()
    expect(page.locator("#step-7-done")).to_be_checked()
    expect(finished.get_by_role("button", name="Start again")).to_be_visible()
    finished.get_by_role("button", name="I've finished: mark it done").click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/details/$"))
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    session.refresh_from_db()
    assert session.status == "done"
    assert session.completed_at is not None
    # The guide forgot its place once finished.
    assert page.evaluate(f"localStorage.getItem('steady-session-{session.pk}')") is None

    # The page of a done session says so: no guide to start, a way on to "How did it go?".
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.get_by_test_id("done-banner")).to_contain_text("Done")
    expect(page.get_by_test_id("done-banner").get_by_role("link", name="How did it go?")).to_be_visible()
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)
    assert_accessible(page, "phone-session-done", artifacts)
    assert not errors, errors
    context.close()


def test_after_time_away_the_guide_waits_at_the_next_step(browser, live_server, artifacts):
    """A timed step that runs out while the phone is locked is ticked, and the guide waits, paused, at the
    next step instead of running through more of them unseen."""
    session = strength_session()
    context, page = open_session(browser, live_server, session)
    title = page.locator("#guide-title")
    countdown = page.locator("#guide-countdown")
    status = page.locator("#guide-status")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(61_000)
    page.get_by_role("button", name="Done, next").click()
    expect(title).to_have_text("Wall sit")

    # Locked for ten minutes during the wall sit: the rest after it waits, with its whole time, paused.
    set_hidden(page, True)
    page.clock.run_for(10 * 60_000)
    set_hidden(page, False)
    expect(title).to_have_text("Rest")
    expect(countdown).to_have_text("0:30")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(page.locator("#guide-note")).to_have_text("Welcome back: Rest is next.")
    expect(status).to_contain_text("Welcome back: Rest is next.")
    expect(page.locator("#step-3-done")).to_be_checked()
    expect(page.locator("#step-4-done")).not_to_be_checked()
    # A rest has no picture: none is left over from the step before.
    expect(page.locator("#guide-picture")).to_be_hidden()
    assert_accessible(page, "phone-session-welcome-back", artifacts)
    page.clock.run_for(60_000)
    expect(title).to_have_text("Rest")
    expect(countdown).to_have_text("0:30")

    # Resumed, it runs on as usual.
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#guide-note")).to_be_hidden()
    page.clock.run_for(31_000)
    expect(title).to_have_text("Sit to stand")
    page.get_by_role("button", name="Done, next").click()
    expect(title).to_have_text("Wall sit")

    # Timers stopped without the page saying so (a sleeping computer): a step long past its end is the same.
    page.clock.fast_forward(10 * 60_000)
    expect(title).to_have_text("Upper-back stretch")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(countdown).to_have_text("0:30")
    expect(page.locator("#step-6-done")).to_be_checked()
    page.get_by_role("button", name="Resume").click()

    # The page reloaded (or opened again) long after the step ended: the end, not skipped past unseen.
    page.clock.run_for(5_000)
    page.evaluate(
        f"""() => {{
            const key = "steady-session-{session.pk}";
            const state = JSON.parse(localStorage.getItem(key));
            state.endsAt = Date.now() - 600000;
            localStorage.setItem(key, JSON.stringify(state));
        }}"""
    )
    page.reload()
    expect(page.locator("#guide-finished")).to_be_visible()
    expect(status).to_have_text("Welcome back: that's all of it. Well done.")
    expect(page.locator("#step-7-done")).to_be_checked()
    assert not page.errors, page.errors
    context.close()


def test_a_reload_after_a_step_ran_out_pauses_at_the_next(browser, live_server):
    session = strength_session()
    context, page = open_session(browser, live_server, session)
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(61_000)
    page.get_by_role("button", name="Done, next").click()
    expect(page.locator("#guide-title")).to_have_text("Wall sit")
    page.evaluate(
        f"""() => {{
            const key = "steady-session-{session.pk}";
            const state = JSON.parse(localStorage.getItem(key));
            state.endsAt = Date.now() - 600000;
            localStorage.setItem(key, JSON.stringify(state));
        }}"""
    )
    page.reload()
    expect(page.locator("#guide-title")).to_have_text("Rest")
    expect(page.locator("#guide-countdown")).to_have_text("0:30")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(page.locator("#guide-status")).to_contain_text("Welcome back: Rest is next.")
    # Nothing moved focus: the person has not pressed anything since the reload.
    assert page.evaluate("document.activeElement === document.body")
    page.clock.run_for(120_000)
    expect(page.locator("#guide-title")).to_have_text("Rest")
    assert not page.errors, page.errors
    context.close()


def test_stopping_the_guide_keeps_the_ticks_and_start_carries_on(browser, live_server, artifacts):
    session = strength_session()
    context, page = open_session(browser, live_server, session)
    title = page.locator("#guide-title")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="Done, next").click()
    page.get_by_role("button", name="Done, next").click()
    expect(title).to_have_text("Wall sit")
    page.clock.run_for(5_000)
    page.get_by_role("button", name="Stop the guide").click()

    stopped = page.locator("#guide-stopped")
    expect(stopped).to_have_text("Guide stopped. Your ticks stay; press Start to carry on.")
    expect(page.locator("#guide-status")).to_contain_text("Your ticks stay")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_focused()
    expect(page.locator("#step-1-done")).to_be_checked()
    expect(page.locator("#step-2-done")).to_be_checked()
    expect(page.locator("#step-3-done")).not_to_be_checked()
    assert_accessible(page, "phone-session-guide-stopped", artifacts)
    # Stopped stays stopped: no clock runs it on, and a reload keeps it so.
    page.clock.run_for(60_000)
    page.reload()
    expect(stopped).to_be_visible()
    expect(page.locator("#step-2-done")).to_be_checked()

    # A box ticked by hand counts; Start carries on at the step it stopped at, with the time it had left.
    page.locator("#step-4-done").check()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(title).to_have_text("Wall sit")
    expect(page.locator("#guide-countdown")).to_have_text("0:15")
    expect(page.locator("#step-2-done")).to_be_checked()
    expect(page.locator("#step-4-done")).to_be_checked()

    # Or the ticks cleared, from the first step.
    page.get_by_role("button", name="Stop the guide").click()
    page.get_by_role("button", name="Clear the ticks and start from the first step").click()
    expect(title).to_have_text("March on the spot")
    expect(page.locator("#session-finish").get_by_role("checkbox", checked=True)).to_have_count(0)
    assert not page.errors, page.errors
    context.close()


def test_after_a_reload_the_beep_asks_for_a_tap(browser, live_server):
    """Browsers let a page make sound only after a tap: after a reload the ticked "Beep" says so."""
    session = strength_session()
    context, page = open_session(browser, live_server, session)
    hint = page.get_by_text("Tap anywhere to turn the sound back on")
    page.get_by_label("Beep when a timed step ends").check()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(hint).to_be_hidden()
    page.reload()
    expect(page.get_by_label("Beep when a timed step ends")).to_be_checked()
    expect(page.locator("#guide-title")).to_have_text("March on the spot")
    expect(hint).to_be_visible()
    page.locator("#guide-dose").click()
    expect(hint).to_be_hidden()
    # Without the beep, no hint.
    page.get_by_role("button", name="Stop the guide").click()
    page.get_by_label("Beep when a timed step ends").uncheck()
    page.get_by_role("button", name="Start", exact=True).click()
    page.reload()
    expect(page.locator("#guide-title")).to_have_text("March on the spot")
    expect(hint).to_be_hidden()
    assert not page.errors, page.errors
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
    # Boxes big enough to hit with a finger (WCAG 2.5.8: at least 24 by 24 CSS pixels).
    for box in checklist.get_by_role("checkbox").all():
        size = box.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24, size
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
