"""Turning push on and off for a device in a real browser (Chromium), through static/reminders/push.js.

Chromium's own push service cannot be reached from here, so each test replaces the one thing that asks it,
PushManager's subscribe() and getSubscription(), with a subscription at this test's push service
(tests/push_peer.py): everything of Steady's (the script, the views, the pushes) runs for real.
"""

import json
import re

import pytest
from django.utils import timezone

from reminders.management.commands.make_vapid_keys import new_key_pair
from reminders.models import PushSubscription
from reminders.tests.people import subscribe
from tests.browser.axe import assert_accessible
from tests.browser.test_session_page import log_in
from tests.factories import ProfileFactory
from tests.push_peer import PushPeer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The browser's side of a push subscription, as Chromium's would be once its push service answered: the
# endpoint and keys come from a tests.push_peer.FakeDevice. It lasts across page loads (in localStorage, where
# the browser keeps its own), until unsubscribe().
FAKE_PUSH_SERVICE = """
(() => {
  const device = %s;
  const subscription = {
    endpoint: device.endpoint,
    options: { applicationServerKey: null, userVisibleOnly: true },
    toJSON: () => device,
    unsubscribe: () => { localStorage.removeItem("fake-push"); return Promise.resolve(true); },
  };
  const current = () => (localStorage.getItem("fake-push") ? subscription : null);
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current()); };
  PushManager.prototype.subscribe = function (options) {
    if (!options.userVisibleOnly || !(options.applicationServerKey instanceof Uint8Array)) {
      return Promise.reject(new Error("bad options"));
    }
    localStorage.setItem("fake-push", "1");
    return Promise.resolve(subscription);
  };
})();
"""


@pytest.fixture
def push_service(settings, monkeypatch):
    """Push switched on (a VAPID key pair of this test's own), and a push service on 127.0.0.1 whose
    certificate the server's pushes trust."""
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_key_pair()
    peer = PushPeer(server_key=settings.VAPID_PUBLIC_KEY).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", peer.ca_file)
    yield peer
    peer.stop()


@pytest.fixture
def person(live_server, push_service):
    return ProfileFactory(onboarding_step=6, onboarded_at=timezone.now()).user


def open_reminder_settings(browser, live_server, person, device=None, **options):
    context = browser.new_context(viewport=PHONE, **options)
    if device is not None:
        context.grant_permissions(["notifications"], origin=live_server.url)
        context.add_init_script(FAKE_PUSH_SERVICE % json.dumps(device.subscription_json()))
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, person)
    page.goto(live_server.url + "/settings/reminders/")
    return context, page, errors


def test_turning_push_on_and_off_for_this_device(browser, live_server, person, push_service, artifacts):
    device = push_service.device()
    context, page, errors = open_reminder_settings(browser, live_server, person, device)
    status = page.locator("[data-push-status]")

    page.get_by_text("Notifications are off for this device.").wait_for()
    page.get_by_role("checkbox", name="As a notification on my devices").first.check()  # not saved yet
    page.get_by_role("button", name="Turn on push on this device").click()

    page.get_by_text("Notifications are on for this device.", exact=False).wait_for()
    assert PushSubscription.objects.get().user == person
    item = page.locator("[data-endpoint-digest]")
    assert re.search(r"Chrome on Linux\s+this device", item.inner_text())
    assert page.get_by_role("checkbox", name="As a notification on my devices").first.is_checked()  # kept
    assert page.get_by_role("button", name="Turn off on this device").is_visible()
    assert_accessible(page, "push-settings-on", artifacts)

    page.get_by_role("button", name="Send a test notification").click()
    page.get_by_text("Test notification sent to 1 device: it should show in a moment.").wait_for()
    assert [message["tag"] for message in device.received()] == ["test"]
    page.get_by_text("Notifications are on for this device.").wait_for()  # found again after the reload

    page.get_by_role("button", name="Turn off on this device").click()
    page.get_by_text("Notifications are off for this device.").wait_for()
    assert not PushSubscription.objects.exists()
    assert "None yet." in page.locator("[data-push-devices]").inner_text()
    assert status.get_attribute("aria-live") == "polite"
    assert errors == []
    context.close()


def test_without_javascript_the_page_says_so_and_a_device_can_still_be_removed(
    browser, live_server, person, push_service, artifacts
):
    subscribe(person, push_service.device())
    context, page, _ = open_reminder_settings(browser, live_server, person, java_script_enabled=False)

    # (Playwright's text search skips <noscript>: the paragraph is found by its place instead.)
    said = page.locator("#push noscript p")
    assert said.is_visible() and "needs JavaScript, which is off in this browser" in said.inner_text()
    assert not page.get_by_role("button", name="Turn on push on this device").is_visible()
    page.screenshot(path=str(artifacts / "push-settings-without-javascript.png"), full_page=True)
    page.get_by_role("button", name=re.compile("^Remove Chrome on Android")).click()
    page.get_by_text("Removed. That device won't get notifications any more.").wait_for()
    assert not PushSubscription.objects.exists()
    context.close()
