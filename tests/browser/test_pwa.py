"""Steady as an installed app, in a phone-sized Chromium: installable (no installability errors), the week
and its session pages opening offline with a banner that says so, ticks made offline sent exactly once when
the network is back, nobody's saved pages left after log-out, and push reminders shown and opened."""

import json
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import SubmitKey
from planner import plans
from planner.models import PlannedSession
from tests.browser.axe import assert_accessible
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import PASSWORD, PlanFactory, PlannedSessionFactory, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ROUTINE = {
    "rounds": 1,
    "rest_seconds": 30,
    "effort": "The last few repetitions should feel hard, but doable.",
    "warm_up": [{"id": "march_on_the_spot", "name": "March on the spot", "sets": 1, "seconds": 60}],
    "moves": [{"id": "sit_to_stand", "name": "Sit to stand", "sets": 1, "reps": 10}],
    "cool_down": [{"id": "upper_back_stretch", "name": "Upper-back stretch", "sets": 1, "seconds": 30}],
}

SAVED_PAGES = """async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith("steady-pages-"));
    const paths = [];
    for (const name of names) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths.sort();
}"""
QUEUE = "() => JSON.parse(localStorage.getItem('steady-offline-ticks') || '[]')"


def a_week_of_two_sessions():
    """An onboarded person with two sessions today: a walk and strength exercises with pictures."""
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now())
    today = profile.local_date()
    plan = PlanFactory(user=profile.user, week_start=plans.monday_of(today))
    walk = PlannedSessionFactory(plan=plan, date=today)
    strength = PlannedSessionFactory(
        plan=plan,
        date=today,
        activity="bodyweight",
        variant="home strength exercises",
        category="strength",
        met="3.8",
        minutes=15,
        routine=ROUTINE,
    )
    return profile.user, walk, strength


def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def wait_for_saved(page, paths, timeout=15):
    """Until the service worker has saved exactly these pages, and controls the page: a page that loaded while
    the worker was still starting is controlled from its next load on."""
    deadline = time.monotonic() + timeout
    while True:
        saved = page.evaluate(SAVED_PAGES)
        controlled = page.evaluate("() => !!navigator.serviceWorker.controller")
        if saved == sorted(paths) and not controlled:
            page.reload()
            controlled = page.evaluate("() => !!navigator.serviceWorker.controller")
        if saved == sorted(paths) and controlled:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"saved pages {saved} (controlled: {controlled}), expected {sorted(paths)}")
        time.sleep(0.2)


def wait_until(page, predicate, arg=None, timeout=15):
    """Until the (async) JavaScript predicate is true in the page."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {predicate}")
        page.wait_for_timeout(100)


def week_of(walk, strength):
    return ["/dashboard/", f"/sessions/{walk.pk}/", f"/sessions/{strength.pk}/"]


def test_steady_is_installable(browser, live_server, tmp_path):
    # A browser profile of its own: Chromium offers no install in an incognito context (new_context's kind).
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(live_server.url + "/")
    page.evaluate("() => navigator.serviceWorker.ready")
    cdp = context.new_cdp_session(page)

    manifest = cdp.send("Page.getAppManifest")
    errors = cdp.send("Page.getInstallabilityErrors")

    assert manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert manifest["errors"] == []
    assert errors["installabilityErrors"] == []
    assert page.errors == []
    context.close()


def test_the_week_and_its_sessions_open_offline_with_a_banner(browser, live_server, artifacts):
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    log_in(page, live_server, user)
    banner = page.locator("#offline-banner")
    expect(banner).to_be_hidden()
    wait_for_saved(page, week_of(walk, strength))

    context.set_offline(True)
    page.reload()

    expect(banner).to_be_visible()
    expect(banner).to_contain_text("You are offline: this is your week as it was at ")
    expect(banner).to_contain_text("Ticks you make are kept and sent when you are back online.")
    assert re.search(r"as it was at \d\d:\d\d\.", banner.inner_text())
    assert banner.get_attribute("data-pwa-copy") == "saved"  # the worker's copy, not the network's
    # Styled offline too: Bootstrap's warning colours came from the saved CSS.
    assert banner.evaluate("el => getComputedStyle(el).backgroundColor") not in ("", "rgba(0, 0, 0, 0)")
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    assert_accessible(page, "phone-offline-week", artifacts)

    page.locator(f"#session-{strength.pk}").get_by_role("link", name="Strength exercises, 15 minutes").click()
    page.wait_for_url(re.compile(rf"/sessions/{strength.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Strength exercises, 15 minutes")
    expect(banner).to_contain_text("You are offline: this is this session as it was at ")
    picture = page.locator("img[src*='/static/planner/moves/']").first
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    # The guide (planner/session.js, saved too) runs offline.
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#guide-title")).to_have_text("March on the spot")
    assert_accessible(page, "phone-offline-session", artifacts)

    # A page that is not the week's is never saved: offline, Steady's own short page says so, and help is a
    # tap away: the safety page, kept by the worker for everyone.
    response = page.goto(live_server.url + "/history/")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.get_by_role("link", name="Need help now? Crisis lines and professional help").click()
    page.wait_for_url(re.compile(r"/safety/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Need help now?")

    context.set_offline(False)
    page.goto(live_server.url + "/dashboard/")
    expect(banner).to_be_hidden()
    assert page.errors == []
    context.close()


def test_offline_an_undo_says_it_needs_a_connection_and_old_messages_are_not_shown(browser, live_server):
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))
    # Skipped without JavaScript's help: the week comes back, under the worker, with a one-time message.
    page.goto(live_server.url + f"/sessions/{walk.pk}/skip/")
    page.get_by_role("button", name="Skip this session").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    expect(page.locator("[data-flash]")).to_contain_text("Skipped.")
    wait_until(page, "async () => (await (await caches.match('/dashboard/')).text()).includes('Skipped.')")

    context.set_offline(True)
    page.reload()

    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("[data-flash]")).to_have_count(0)  # "Skipped." was news once, not in the saved copy
    card = page.locator(f"#session-{walk.pk}")
    card.get_by_role("button", name=re.compile("Undo skip")).click()
    expect(card.locator("[data-pwa-needs-network]")).to_have_text(
        "You are offline: this needs a connection. Nothing was changed; try again when you are back online."
    )
    walk.refresh_from_db()
    assert walk.status == "skipped"
    assert page.errors == []
    context.close()


def test_escape_closes_the_phone_menu(browser, live_server):
    context, page = phone(browser, live_server)
    page.goto(live_server.url + "/")
    toggle = page.get_by_role("button", name="Show navigation")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_be_visible()

    page.keyboard.press("Escape")

    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#main-nav")).to_be_hidden()
    expect(toggle).to_be_focused()
    context.close()


def test_a_tick_made_offline_reaches_the_server_exactly_once(browser, live_server, artifacts):
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    done_posts = []
    context.on(
        "request",
        lambda r: r.method == "POST" and r.url.endswith("/done/") and done_posts.append(r.headers),
    )
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))
    card = page.locator(f"#session-{walk.pk}")

    context.set_offline(True)
    card.get_by_role("button", name="Mark done").click()

    expect(card).to_contain_text("Marked done: waiting to send. It is sent when you are back online.")
    expect(card.get_by_role("button", name="Mark done")).to_be_hidden()
    expect(page.locator("#offline-banner")).to_be_visible()
    assert_accessible(page, "phone-offline-tick-waiting", artifacts)
    walk.refresh_from_db()
    assert walk.status == PlannedSession.Status.PLANNED
    assert done_posts == []
    [queued] = page.evaluate(QUEUE)
    assert queued["url"] == f"/sessions/{walk.pk}/done/"

    # Reopened offline, in this tab and in a second one: still waiting, in both.
    page.reload()
    expect(card).to_contain_text("waiting to send")
    second = context.new_page()
    second.goto(live_server.url + "/dashboard/")
    expect(second.locator(f"#session-{walk.pk}")).to_contain_text("waiting to send")

    # Back online: both tabs go to send what waits, one of them does, once.
    progress_before = page.locator("#progress").inner_text()
    context.set_offline(False)

    for tab in (page, second):
        expect(tab.locator(f"#session-{walk.pk}")).to_contain_text("Well done.")
        expect(tab.locator(f"#session-{walk.pk}")).not_to_contain_text("waiting to send")
    walk.refresh_from_db()
    assert walk.status == PlannedSession.Status.DONE
    assert walk.sequence == 1
    assert SubmitKey.objects.filter(user=user).count() == 1
    assert [headers["idempotency-key"] for headers in done_posts] == [queued["key"]]
    assert page.evaluate(QUEUE) == []
    # The tab that sent it shows the server's card and the week's progress with it.
    sender = page if page.locator(f"#session-{walk.pk}").get_by_text("Done. Well done.").count() else second
    expect(
        sender.locator(f"#session-{walk.pk}").get_by_role("button", name=re.compile("^Undo"))
    ).to_be_visible()
    assert sender.locator("#progress").inner_text() != progress_before

    # Undone online: nothing sends the old tick again, however often the pages open.
    page.reload()
    card.get_by_role("button", name=re.compile("^Undo")).click()
    expect(card.get_by_role("button", name="Mark done")).to_be_visible()
    page.reload()
    second.reload()
    page.wait_for_timeout(1000)
    walk.refresh_from_db()
    assert walk.status == PlannedSession.Status.PLANNED
    assert walk.sequence == 2
    assert SubmitKey.objects.filter(user=user).count() == 1
    assert page.errors == []
    context.close()


def test_a_tick_whose_answer_was_lost_is_sent_again_and_counts_once(browser, live_server):
    """Online, but the answer never comes back (a weak signal): the tick reached the server, and the page
    cannot know it. It waits, and is sent again with the same key: the server counts it once."""
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    keys = []
    context.on(
        "request",
        lambda r: (
            r.method == "POST" and r.url.endswith("/done/") and keys.append(r.headers["idempotency-key"])
        ),
    )
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))
    card = page.locator(f"#session-{walk.pk}")

    def reaches_the_server_but_the_answer_is_lost(route):
        route.fetch()
        route.abort("connectionreset")

    page.route("**/done/", reaches_the_server_but_the_answer_is_lost)
    card.get_by_role("button", name="Mark done").click()

    expect(card).to_contain_text("waiting to send")
    walk.refresh_from_db()
    assert walk.status == PlannedSession.Status.DONE  # it did arrive
    page.unroute("**/done/")
    page.reload()  # sends what waits

    page.wait_for_function("() => localStorage.getItem('steady-offline-ticks') === null")
    expect(card).to_contain_text("Done. Well done.")
    expect(card).not_to_contain_text("waiting to send")
    assert len(keys) == 2 and keys[0] == keys[1]  # the same tick, sent twice with its key
    walk.refresh_from_db()
    assert walk.sequence == 1
    assert SubmitKey.objects.filter(user=user).count() == 1
    context.close()


def test_finishing_a_session_offline_is_sent_when_back_online(browser, live_server, artifacts):
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))

    context.set_offline(True)
    page.goto(live_server.url + f"/sessions/{strength.pk}/")
    page.get_by_role("button", name="I've finished: mark it done").last.click()

    checklist = page.locator("#session-finish")
    expect(checklist.get_by_text("Marked done: waiting to send.")).to_be_visible()
    expect(checklist.get_by_role("button", name="I've finished: mark it done")).to_be_hidden()
    strength.refresh_from_db()
    assert strength.status == PlannedSession.Status.PLANNED

    context.set_offline(False)

    expect(checklist.get_by_text("Done, and sent. Well done.")).to_be_visible()
    expect(checklist.get_by_role("link", name="How did it go?")).to_have_attribute(
        "href", f"/sessions/{strength.pk}/details/"
    )
    strength.refresh_from_db()
    assert strength.status == PlannedSession.Status.DONE
    assert strength.sequence == 1
    # The saved copies are brought up to date: offline again, the week shows it done.
    wait_until(
        page,
        """async (pk) => {
            const names = (await caches.keys()).filter((name) => name.startsWith("steady-pages-"));
            const copy = names.length && (await (await caches.open(names[0])).match("/dashboard/"));
            const done = `id="session-${pk}" class="border rounded p-2 mb-2 session-done"`;
            return copy && (await copy.text()).includes(done);
        }""",
        arg=strength.pk,
    )
    context.set_offline(True)
    page.goto(live_server.url + "/dashboard/")
    expect(page.locator(f"#session-{strength.pk}")).to_contain_text("Done")
    assert page.errors == []
    context.close()


def test_nobody_elses_pages_are_kept_after_log_out(browser, live_server):
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))

    page.get_by_role("button", name="Show navigation").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")

    assert page.evaluate(SAVED_PAGES) == []
    assert page.evaluate("() => localStorage.length") == 0

    # A login session that ends without a log-out (expired, cookies cleared): the first page shown to nobody
    # signed in drops the saved pages.
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))
    context.clear_cookies()
    page.goto(live_server.url + "/")
    wait_until(
        page, """async () => !(await caches.keys()).some((name) => name.startsWith("steady-pages-"))"""
    )
    context.set_offline(True)
    response = page.goto(live_server.url + "/dashboard/")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    assert user.email not in page.content()
    context.close()


def service_worker_registration_id(page, cdp, origin):
    """The registration's id, from the DevTools protocol's ServiceWorker domain (its events arrive while
    Playwright waits, hence the page's waits rather than sleeps)."""
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for registration in registrations:
            if registration["scopeURL"] == origin + "/" and not registration["isDeleted"]:
                return registration["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError(f"no service worker registration for {origin}: {registrations}")


NOTIFICATIONS = """async () => (await self.registration.getNotifications()).map(
    (n) => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data}))"""


def test_a_push_reminder_shows_and_its_click_opens_the_session(browser, live_server):
    user, walk, strength = a_week_of_two_sessions()
    context, page = phone(browser, live_server)
    context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, live_server, user)
    wait_for_saved(page, week_of(walk, strength))
    # Playwright learns of the worker from the browser a moment after it starts.
    worker = (
        context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    )
    cdp = context.new_cdp_session(page)
    registration = service_worker_registration_id(page, cdp, live_server.url)

    def push(message):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration, "data": json.dumps(message)},
        )

    push(
        {
            "title": "Time for your walk",
            "body": "20 minutes, brisk.",
            "url": f"/sessions/{walk.pk}/",
            "tag": "t1",
        }
    )
    # Anything but a path of this site opens the week instead.
    push({"title": "Elsewhere", "body": "", "url": "https://example.com/sessions/1/", "tag": "t2"})
    push({"title": "Protocol-relative", "body": "", "url": "//example.com/", "tag": "t3"})

    deadline = time.monotonic() + 10
    while len(shown := worker.evaluate(NOTIFICATIONS)) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    by_tag = {notification["tag"]: notification for notification in shown}
    assert by_tag["t1"]["title"] == "Time for your walk"
    assert by_tag["t1"]["body"] == "20 minutes, brisk."
    assert by_tag["t1"]["icon"] == live_server.url + "/static/pwa/icons/icon-192.png"
    assert by_tag["t1"]["data"] == {"url": f"/sessions/{walk.pk}/"}
    assert by_tag["t2"]["data"] == {"url": "/dashboard/"}
    assert by_tag["t3"]["data"] == {"url": "/dashboard/"}

    # Headless Chromium shows no notification to click: the click is dispatched to the worker as the
    # browser would, with the notification it showed. The open Steady window goes to the session.
    page.goto(live_server.url + "/moves/")
    worker.evaluate(
        """async () => {
            const [shown] = await self.registration.getNotifications({tag: "t1"});
            self.dispatchEvent(new NotificationEvent("notificationclick", {notification: shown}));
        }"""
    )

    page.wait_for_url(live_server.url + f"/sessions/{walk.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Walking, 20 minutes")
    remaining = [n["tag"] for n in worker.evaluate(NOTIFICATIONS)]
    assert "t1" not in remaining  # closed by its click
    assert page.errors == []

    # No Steady window open: the worker opens a new one at the notification's page. Chromium allows that only
    # within a real click on the notification ("Not allowed to open a window" otherwise), which headless
    # Chromium cannot make; so this checks that the worker asks for the right page, and that no window opened.
    page.close()
    asked = worker.evaluate(
        """async () => {
            const asked = [];
            const openWindow = self.clients.openWindow.bind(self.clients);
            self.clients.openWindow = (url) => { asked.push(url); return openWindow(url); };
            const [shown] = await self.registration.getNotifications({tag: "t2"});
            self.dispatchEvent(new NotificationEvent("notificationclick", {notification: shown}));
            await new Promise((resolve) => setTimeout(resolve, 500));
            return asked;
        }"""
    )
    assert asked == ["/dashboard/"]
    context.close()
