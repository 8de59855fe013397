"""Push notifications in the reminder settings: choosing the channel per kind, the person's devices, turning
push on and off for a device, the test notification; and the VAPID keys an operator sets."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Profile
from reminders import checks, push
from reminders.models import PushSubscription
from reminders.tests.people import ANDROID_CHROME, subscribe
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SETTINGS_PAGE = reverse("settings_section", args=["reminders"])
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture
def person():
    return ProfileFactory(
        onboarding_step=6, onboarded_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    ).user


@pytest.fixture
def browser(client, person):
    client.force_login(person)
    return client


def post_json(client, name, data, **headers):
    return client.post(reverse(name), json.dumps(data), content_type="application/json", **headers)


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- Choosing channels --------------------------------------------------------------------------------------


def test_each_kind_of_reminder_can_go_by_email_push_both_or_neither(browser, person, vapid):
    page = page_text(browser.get(SETTINGS_PAGE))
    for legend in ["Your plan for the week", "Session-day reminders", "Gentle check-in"]:
        assert f"{legend}</legend>" in page
    assert len(re.findall(r"> ?By email ?</label>", page)) == 3
    assert len(re.findall(r"> ?As a notification on my devices ?</label>", page)) == 3

    browser.post(
        SETTINGS_PAGE,
        {
            "push_weekly_plan": "on",  # push only
            "email_session_reminders": "on",  # both
            "push_session_reminders": "on",
            # the gentle check-in: neither
            "reminder_time": "07:30",
            "weekly_plan_day": "6",
            "weekly_plan_time": "18:00",
        },
    )

    profile = Profile.objects.get(user=person)
    assert (profile.email_weekly_plan, profile.push_weekly_plan) == (False, True)
    assert (profile.email_session_reminders, profile.push_session_reminders) == (True, True)
    assert (profile.email_checkins, profile.push_checkins) == (False, False)


def test_without_vapid_keys_the_page_says_push_is_not_available_and_email_choices_still_save(
    browser, person, settings
):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    Profile.objects.filter(user=person).update(push_checkins=True)

    page = page_text(browser.get(SETTINGS_PAGE))
    assert "Push notifications aren't available on this server. Email reminders work as usual." in page
    assert "As a notification" not in page and "push.js" not in page
    # The check-in was chosen as a notification only: the person is told it won't come this way.
    assert "You chose some reminders as notifications. They can't be sent" in page

    browser.post(
        SETTINGS_PAGE,
        {
            "email_checkins": "on",
            "reminder_time": "07:30",
            "weekly_plan_day": "6",
            "weekly_plan_time": "18:00",
        },
    )
    profile = Profile.objects.get(user=person)
    assert (profile.email_weekly_plan, profile.email_checkins) == (False, True)
    assert profile.push_checkins is True  # not offered, so left as it was


def test_the_push_section_tells_people_without_javascript_and_carries_the_key_for_the_script(browser, vapid):
    page = page_text(browser.get(SETTINGS_PAGE))
    assert "<noscript><p>Turning notifications on for a device needs JavaScript" in page
    assert f'data-vapid-public-key="{vapid}"' in page
    assert re.search(r'<script src="/static/reminders/push\.js" defer></script>', page)
    assert "Turn on push on this device</button>" in page and "Turn off on this device</button>" in page


def test_onboarding_offers_push_too(client, vapid):
    newcomer = ProfileFactory(onboarding_step=5).user
    client.force_login(newcomer)
    page = page_text(client.get(reverse("onboarding_step", args=["reminders"])))
    assert "As a notification on my devices" in page and "Notifications on your devices" in page


def test_choosing_push_without_a_device_is_pointed_out(browser, person, vapid):
    Profile.objects.filter(user=person).update(push_session_reminders=True)
    page = page_text(browser.get(SETTINGS_PAGE))
    assert "You chose notifications, but no device has them turned on yet" in page


# --- Devices ------------------------------------------------------------------------------------------------


def test_the_settings_list_the_persons_own_devices_with_a_remove_button_each(browser, person, push_service):
    subscribe(person, push_service.device(), ANDROID_CHROME)
    subscribe(person, push_service.device(), FIREFOX_WINDOWS)
    subscribe(
        ProfileFactory().user, push_service.device(), "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1"
    )

    page = page_text(browser.get(SETTINGS_PAGE))

    assert "Chrome on Android" in page and "Firefox on Windows" in page and "Safari on iPhone" not in page
    assert page.count(">Remove<span") == 2
    assert "No notification yet." in page
    assert "Send a test notification</button>" in page
    assert push_service.url not in page  # the endpoints are secrets


def test_removing_a_device_works_without_javascript_and_only_for_its_owner(browser, person, push_service):
    mine = subscribe(person, push_service.device())
    theirs = subscribe(ProfileFactory().user, push_service.device())

    response = browser.post(reverse("push_device_remove", args=[mine.pk]), follow=True)
    assert "Removed. That device won&#x27;t get notifications any more." in page_text(response)
    assert response.redirect_chain[-1][0] == SETTINGS_PAGE  # its top, where the message shows

    again = browser.post(reverse("push_device_remove", args=[mine.pk]), follow=True)
    assert "That device was already removed." in page_text(again)
    browser.post(reverse("push_device_remove", args=[theirs.pk]))
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_turning_push_on_keeps_the_browsers_subscription_once(browser, person, push_service):
    device = push_service.device()

    first = post_json(browser, "push_subscribe", device.subscription_json(), HTTP_USER_AGENT=FIREFOX_WINDOWS)
    second = post_json(browser, "push_subscribe", device.subscription_json(), HTTP_USER_AGENT=FIREFOX_WINDOWS)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["devices"] == 1
    assert "Firefox on Windows" in second.json()["html"]  # the list, to show in place of the old one
    [kept] = PushSubscription.objects.all()
    assert (kept.user, kept.endpoint, kept.p256dh, kept.auth) == (
        person,
        device.endpoint,
        device.p256dh,
        device.auth,
    )
    assert kept.user_agent == FIREFOX_WINDOWS


def test_an_endpoint_another_account_held_moves_to_the_person_who_turns_push_on(
    browser, person, push_service
):
    device = push_service.device()
    earlier = ProfileFactory().user
    subscribe(earlier, device)
    PushSubscription.objects.update(last_success_at=timezone.now())

    post_json(browser, "push_subscribe", device.subscription_json())

    [moved] = PushSubscription.objects.all()
    assert (moved.user, moved.last_success_at) == (person, None)  # nothing of the other account's use


def test_a_person_keeps_at_most_ten_devices_those_used_or_added_last(browser, person, push_service):
    devices = [push_service.device() for _ in range(push.MAX_DEVICES + 2)]
    post_json(browser, "push_subscribe", devices[0].subscription_json())
    PushSubscription.objects.update(last_success_at=timezone.now() + datetime.timedelta(minutes=1))
    for device in devices[1:]:
        post_json(browser, "push_subscribe", device.subscription_json())

    kept = set(PushSubscription.objects.filter(user=person).values_list("endpoint", flat=True))
    assert kept == {device.endpoint for device in [devices[0], *devices[3:]]}


def off_the_curve(p256dh: str) -> str:
    """The same key with one character of its y coordinate changed: a point no longer on the curve."""
    changed = "A" if p256dh[-2] != "A" else "B"
    return p256dh[:-2] + changed + p256dh[-1]


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda s: {**s, "endpoint": s["endpoint"].replace("https://", "http://")}, "https address"),
        (lambda s: {**s, "endpoint": "https://push.example/" + "x" * 2100}, "https address"),
        (lambda s: {**s, "endpoint": s["endpoint"] + "\r\nX-Injected: 1"}, "https address"),
        (lambda s: {**s, "endpoint": None}, "https address"),
        (lambda s: {**s, "keys": {**s["keys"], "p256dh": s["keys"]["auth"]}}, "P-256 public key"),
        (
            lambda s: {**s, "keys": {**s["keys"], "p256dh": off_the_curve(s["keys"]["p256dh"])}},
            "P-256 public key",
        ),
        (lambda s: {**s, "keys": {**s["keys"], "auth": s["keys"]["p256dh"]}}, "16 bytes"),
        (lambda s: {"endpoint": s["endpoint"]}, "an endpoint and its keys"),
        (lambda s: [s], "an endpoint and its keys"),
    ],
)
def test_what_is_not_a_usable_subscription_is_refused_with_the_reason(browser, push_service, change, why):
    subscription = push_service.device().subscription_json()

    response = post_json(browser, "push_subscribe", change(subscription))

    assert response.status_code == 400 and why in response.json()["error"]
    assert not PushSubscription.objects.exists()


@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=80),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
        ),
        max_leaves=10,
    )
)
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_json_sent_to_subscribe_is_kept_or_refused_never_an_error(browser, vapid, data):
    response = post_json(browser, "push_subscribe", data)
    assert response.status_code in (200, 201, 400)


def test_turning_push_off_forgets_only_this_browsers_subscription_of_this_person(
    browser, person, push_service
):
    here, elsewhere = push_service.device(), push_service.device()
    subscribe(person, here)
    subscribe(person, elsewhere)
    strangers = push_service.device()
    subscribe(ProfileFactory().user, strangers)

    response = post_json(browser, "push_unsubscribe", {"endpoint": here.endpoint})
    again = post_json(browser, "push_unsubscribe", {"endpoint": here.endpoint})
    post_json(browser, "push_unsubscribe", {"endpoint": strangers.endpoint})

    assert (response.status_code, again.status_code) == (200, 200)
    assert again.json()["devices"] == 1
    assert set(PushSubscription.objects.values_list("endpoint", flat=True)) == {
        elsewhere.endpoint,
        strangers.endpoint,
    }


@pytest.mark.parametrize("name", ["push_subscribe", "push_unsubscribe", "push_test"])
def test_push_views_need_a_login_a_post_and_the_csrf_token(client, person, push_service, name):
    body = push_service.device().subscription_json()
    assert post_json(client, name, body)["Location"].startswith(reverse("account_login"))

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(person)
    assert post_json(guarded, name, body).status_code == 403
    assert guarded.get(reverse(name)).status_code == 405
    assert not PushSubscription.objects.exists()


def test_removing_a_device_needs_the_csrf_token(person, push_service):
    mine = subscribe(person, push_service.device())
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(person)

    assert guarded.post(reverse("push_device_remove", args=[mine.pk])).status_code == 403
    assert PushSubscription.objects.filter(pk=mine.pk).exists()


def test_subscribing_is_refused_when_push_is_off_here(browser, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    response = post_json(
        browser, "push_subscribe", {"endpoint": "https://push.example/x", "keys": {"p256dh": "", "auth": ""}}
    )
    assert response.status_code == 404
    assert "aren't available on this server" in response.json()["error"]


# --- The test notification ----------------------------------------------------------------------------------


def test_the_test_notification_goes_to_each_device_and_says_how_many_received_it(
    browser, person, push_service
):
    phone, laptop = push_service.device(), push_service.device()
    subscribe(person, phone)
    subscribe(person, laptop)
    subscribe(ProfileFactory().user, push_service.device())

    response = browser.post(reverse("push_test"), follow=True)

    assert "Test notification sent to 2 devices: it should show in a moment." in page_text(response)
    expected = {
        "title": "Steady test notification",
        "body": "Notifications work on this device. Reminders will look like this.",
        "url": "/dashboard/",
        "tag": "test",
    }
    assert phone.received() == [expected] and laptop.received() == [expected]
    assert len(push_service.received()) == 2
    assert "Last notification" in page_text(response)


def test_the_test_notification_says_why_a_device_did_not_receive_it(browser, person, push_service):
    phone, old_tablet, busy = push_service.device(), push_service.device(), push_service.device()
    for device in (phone, old_tablet, busy):
        subscribe(person, device)
    push_service.answer(old_tablet, 410)
    push_service.answer(busy, 503)

    page = page_text(browser.post(reverse("push_test"), follow=True))

    assert (
        "Test notification sent to 1 device, not to 2 devices: its browser had turned "
        "notifications off, so it is no longer listed; its push service is busy; try again in a while."
        in page
    )
    assert PushSubscription.objects.filter(user=person).count() == 2


def test_the_test_notification_says_why_none_went_out(browser, person, push_service, settings):
    page = page_text(browser.post(reverse("push_test"), follow=True))
    assert "No device has notifications on yet: turn them on on this one first." in page

    device = push_service.device()
    subscribe(person, device)
    push_service.answer(device, 410)
    page = page_text(browser.post(reverse("push_test"), follow=True))
    assert (
        "The test notification could not be sent to any device: its browser had turned notifications off"
        in page
    )

    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    page = page_text(browser.post(reverse("push_test"), follow=True))
    assert "Push notifications aren&#x27;t available on this server." in page


def test_a_second_test_within_seconds_sends_nothing(browser, person, push_service):
    device = push_service.device()
    subscribe(person, device)

    browser.post(reverse("push_test"))
    page = page_text(browser.post(reverse("push_test"), follow=True))

    assert "A test notification went out a moment ago." in page
    assert len(device.received()) == 1


# --- Deleting the account -----------------------------------------------------------------------------------


def test_deleting_the_account_deletes_its_devices(browser, person, push_service):
    subscribe(person, push_service.device())
    browser.post(reverse("delete_account"), {"confirm": person.email})
    assert not PushSubscription.objects.exists()


# --- The operator's keys ------------------------------------------------------------------------------------


def test_make_vapid_keys_prints_a_pair_that_signs_pushes(settings, push_service):
    output = io.StringIO()
    call_command("make_vapid_keys", stdout=output)
    lines = dict(line.split("=", 1) for line in output.getvalue().splitlines())
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = (
        lines["VAPID_PUBLIC_KEY"],
        lines["VAPID_PRIVATE_KEY"],
    )
    assert checks.vapid_settings() == []

    device = push_service.device(server_key=lines["VAPID_PUBLIC_KEY"])
    assert push.push(subscribe(ProfileFactory().user, device), {"tag": "t"}, ttl=60).outcome == push.ACCEPTED
    assert device.received() == [{"tag": "t"}]


def test_the_system_check_names_keys_that_do_not_belong_together_and_a_bad_subject(settings, vapid):
    other = io.StringIO()
    call_command("make_vapid_keys", stdout=other)
    settings.VAPID_PUBLIC_KEY = other.getvalue().splitlines()[0].split("=", 1)[1]
    settings.VAPID_SUBJECT = "operator"
    assert [error.id for error in checks.vapid_settings()] == ["reminders.E002", "reminders.E003"]

    settings.VAPID_PRIVATE_KEY = "not a key"
    assert [error.id for error in checks.vapid_settings()] == ["reminders.E001"]
