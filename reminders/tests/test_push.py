"""Reminders as push notifications, beside email: each channel the person chose, claimed and sent exactly
once, to every device, through a real push service on 127.0.0.1 (tests/push_peer.py) that checks the VAPID
signature and decrypts what it receives."""

import datetime
import json
import re
import time

import pytest
import time_machine

from accounts.models import User
from planner.models import PlannedSession
from reminders import dispatch
from reminders.models import Delivery, EmailKind, PushSubscription
from reminders.tests.people import at, kind_of, make_person, plan_session, sent_to, subscribe

pytestmark = pytest.mark.django_db

BOTH = {"email_session_reminders": True, "push_session_reminders": True}


def delivery(person, channel, kind="session_day"):
    return Delivery.objects.get(user=person, kind=kind, channel=channel)


# --- What arrives, where ------------------------------------------------------------------------------------


def test_a_reminder_by_both_channels_is_one_email_and_one_push_per_device(tick, push_service):
    with time_machine.travel(at("2026-11-22 12:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        session = plan_session(person, datetime.date(2026, 11, 23), variant="brisk walk", minutes=20)
        plan_session(person, datetime.date(2026, 11, 23), variant="gentle yoga", minutes=15)
        phone, laptop = push_service.device(), push_service.device()
        subscribe(person, phone)
        subscribe(person, laptop)

        traveller.move_to(at("2026-11-23 08:00:20"))
        tick()
        traveller.move_to(at("2026-11-23 08:01:20"))
        tick()

    [email] = sent_to(person)
    expected = {
        "title": "Today: 2 sessions in your plan",
        "body": "When you've done it, tick it off. A shorter, gentler version still counts.",
        "url": f"/sessions/{session.pk}/",  # the first session planned that day
        "tag": "session_day-2026-11-23",
    }
    assert email.subject == expected["title"]
    assert phone.received() == [expected]
    assert laptop.received() == [expected]
    assert {(d.channel, d.status) for d in Delivery.objects.filter(user=person, kind="session_day")} == {
        ("email", "sent"),
        ("push", "sent"),
    }


def test_a_push_lives_as_long_as_the_reminder_is_worth_having(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        subscribe(person, push_service.device())
        traveller.move_to(at("2026-11-23 08:30"))  # half an hour late: workers were busy
        tick()

    [message] = push_service.received()
    assert message.ttl == 90 * 60  # the rest of the two hours after 08:00 (dispatch.LATE_LIMIT)
    assert message.claims["sub"] == "mailto:operator@steady.test"
    assert message.claims["aud"] == push_service.url
    assert (message.headers["urgency"], message.headers["topic"]) == ("normal", "session_day-2026-11-23")


def test_the_weekly_plan_opens_the_week_and_the_check_in_opens_the_check_in_page(tick, push_service):
    with time_machine.travel(at("2026-11-10 12:00"), tick=False) as traveller:
        person = make_person(
            onboarded_at=at("2026-11-01 12:00"),
            email_checkins=True,
            push_checkins=True,
            push_weekly_plan=True,
            email_session_reminders=False,
        )
        plan_session(person, datetime.date(2026, 11, 12), status=PlannedSession.Status.DONE)
        device = push_service.device()
        subscribe(person, device)
        moments = [f"2026-11-{day} 08:00:30" for day in range(11, 21)] + ["2026-11-15 18:00:30"]
        for moment in sorted(moments):  # next week's plan on Sunday evening; a gentle note on the 20th
            traveller.move_to(at(moment))
            tick()

    weekly, checkin = device.received()
    assert weekly == {
        "title": "Your plan for the week of 16 November",
        "body": "Your week is planned. Any movement counts.",
        "url": "/dashboard/",
        "tag": "weekly_plan-2026-11-15",
    }
    assert checkin == {
        "title": "Just checking in",
        "body": "Something small is plenty. Your plan is here whenever you're ready.",
        "url": "/wellbeing/check-in/",
        "tag": "checkin-2026-11-20",
    }
    # The email of the same check-in still goes: the push sent the same day does not count as "lately".
    assert [kind_of(m) for m in sent_to(person)] == ["weekly_plan", "checkin"]


def test_a_notification_shows_no_more_than_the_email_subject(tick, push_service):
    with time_machine.travel(at("2026-11-20 12:00"), tick=False) as traveller:
        person = make_person(
            push_weekly_plan=True, health_flags=["heart_condition", "chronic_condition"], prefers_gentle=True
        )
        plan_session(person, datetime.date(2026, 11, 23), variant="brisk walk", minutes=25)
        device = push_service.device()
        subscribe(person, device)
        traveller.move_to(at("2026-11-22 18:00:30"))
        tick()

    [email] = sent_to(person, "weekly_plan")
    [payload] = device.received()
    assert set(payload) == {"title", "body", "url", "tag"}
    assert payload["title"] == email.subject
    assert "brisk walk" not in payload["body"] and "heart" not in str(payload)


def test_push_only_sends_no_email(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(email_session_reminders=False, push_session_reminders=True)
        plan_session(person, datetime.date(2026, 11, 23))
        device = push_service.device()
        subscribe(person, device)
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    assert sent_to(person) == []
    assert len(device.received()) == 1
    assert list(Delivery.objects.filter(user=person).values_list("channel", flat=True)) == ["push"]


def test_push_chosen_without_a_device_is_recorded_as_skipped_and_the_email_still_goes(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    assert len(sent_to(person)) == 1
    pushed = delivery(person, "push")
    assert (pushed.status, pushed.note) == (Delivery.Status.SKIPPED, "no device subscribed")
    assert push_service.received() == []


def test_without_vapid_keys_push_choices_are_ignored_and_email_goes_as_before(tick, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        emailed = make_person(**BOTH)
        push_only = make_person(email_session_reminders=False, push_session_reminders=True)
        for person in (emailed, push_only):
            plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    assert len(sent_to(emailed)) == 1
    assert list(Delivery.objects.values_list("user", "channel")) == [(emailed.pk, "email")]


# --- Devices that are gone, and push services that are busy -------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted(tick, push_service, status):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        old_phone, laptop = push_service.device(), push_service.device()
        subscribe(person, old_phone)
        subscribe(person, laptop)
        push_service.answer(old_phone, status)
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    assert list(PushSubscription.objects.filter(user=person).values_list("endpoint", flat=True)) == [
        laptop.endpoint
    ]
    assert old_phone.received() == [] and len(laptop.received()) == 1
    assert delivery(person, "push").status == Delivery.Status.SENT


def test_when_every_device_is_gone_the_push_is_skipped(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        device = push_service.device()
        subscribe(person, device)
        push_service.answer(device, 410)
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    assert not PushSubscription.objects.filter(user=person).exists()
    assert delivery(person, "push").status == Delivery.Status.SKIPPED


@pytest.mark.parametrize("failures", [[503], [500, 429], [502, 503, 504]])
def test_a_busy_push_service_is_tried_again_with_backoff_and_the_push_arrives_once(
    tick, push_service, failures
):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        steady_phone, flaky_tablet = push_service.device(), push_service.device()
        subscribe(person, steady_phone)
        subscribe(person, flaky_tablet)
        push_service.answer(flaky_tablet, *failures)

        traveller.move_to(at("2026-11-23 08:00:10"))
        tick()
        pushed = delivery(person, "push")
        assert (pushed.status, pushed.attempts) == (Delivery.Status.QUEUED, 1)
        # As after an SMTP error: tried again a minute on, by the tick that falls then (half a tick early).
        assert pushed.enqueue_again_at == at("2026-11-23 08:00:40")
        assert pushed.note.startswith("push: 1 devices took it, 1 push services busy: 5")

        traveller.move_to(at("2026-11-23 08:00:30"))  # before the backoff: nothing
        assert tick() == []
        for minutes in range(1, 20):
            traveller.move_to(at("2026-11-23 08:00:10") + datetime.timedelta(minutes=minutes))
            tick()

    assert len(steady_phone.received()) == 1  # not again with each retry
    assert len(flaky_tablet.received()) == 1
    pushed = delivery(person, "push")
    assert (pushed.status, pushed.attempts) == (Delivery.Status.SENT, len(failures) + 1)
    assert len(sent_to(person)) == 1
    assert PushSubscription.objects.filter(user=person).count() == 2


def test_a_push_service_busy_until_the_deadline_is_given_up_then_with_its_last_answer(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        device = push_service.device()
        subscribe(person, device)
        push_service.answer(device, *[503] * 20)
        attempts = []
        for minutes in range(0, 130):
            traveller.move_to(at("2026-11-23 08:00:10") + datetime.timedelta(minutes=minutes))
            tick()
            if delivery(person, "push").attempts > len(attempts):
                attempts.append(minutes)

    # As an email's: 1, 2, 4, 8 minutes apart, then every 15, the last in the last minute before 10:00.
    assert attempts == [0, 1, 3, 7, 15, 30, 45, 60, 75, 90, 105, 119]
    pushed = delivery(person, "push")
    assert pushed.status == Delivery.Status.FAILED
    assert pushed.note.startswith("gave up at its deadline (2 hours after its moment); last: push: 0 devices")
    assert device.received() == []
    assert PushSubscription.objects.filter(user=person).exists()  # busy is not gone


def test_hung_push_services_hold_a_send_no_longer_than_a_worst_case_send_and_the_rest_go_next_time(
    tick, push_service, settings
):
    # One send takes 6 s at most (an email 3 + 3 s); a device's push 3 s (3 x PUSH_TIMEOUT), so a send tries
    # another device only while 3 s are left of its 6.
    settings.EMAIL_TIMEOUT = settings.EMAIL_FINAL_REPLY_TIMEOUT = 3
    settings.PUSH_TIMEOUT = 1
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        devices = [push_service.device() for _ in range(8)]
        for device in devices:
            subscribe(person, device)
        push_service.delay = 2  # hung: longer than PUSH_TIMEOUT

        traveller.move_to(at("2026-11-23 08:00:10"))
        started = time.monotonic()
        tick()
        assert time.monotonic() - started < 6  # some devices tried, a second or more each; the rest left
        pushed = delivery(person, "push")
        assert (pushed.status, pushed.pushed_to) == (Delivery.Status.QUEUED, [])
        assert pushed.note.startswith("push: 0 devices took it, 8 push services busy: ReadTimeout")

        push_service.delay = 0
        traveller.move_to(at("2026-11-23 08:01:10"))
        tick()
    pushed = delivery(person, "push")
    assert (pushed.status, pushed.attempts, len(pushed.pushed_to)) == (Delivery.Status.SENT, 2, 8)
    time.sleep(2)  # the hung push service finishes what it was holding
    # Those tried first took their push after its caller gave up, and got it again: one tag, shown once.
    received = [len(device.received()) for device in devices]
    assert received == sorted(received, reverse=True) and set(received) == {2, 1}
    assert {payload["tag"] for device in devices for payload in device.received()} == {
        "session_day-2026-11-23"
    }


def test_a_push_service_that_refuses_the_servers_key_fails_the_push_and_keeps_the_device(
    tick, push_service, vapid
):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        # Subscribed while the server had other keys: the push service answers 403 to these.
        subscribe(person, push_service.device(server_key="B" + vapid[1:][::-1]))
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    pushed = delivery(person, "push")
    assert (pushed.status, pushed.attempts) == (Delivery.Status.FAILED, 1)
    assert pushed.note.startswith("push service refused it: 403")
    assert PushSubscription.objects.filter(user=person).exists()


# --- Exactly once, and never after the person said no -------------------------------------------------------


def test_each_channel_is_claimed_and_sent_once(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        device = push_service.device()
        subscribe(person, device)
        traveller.move_to(at("2026-11-23 08:00:30"))
        ids = tick()
        assert len(ids) == 2
        for delivery_id in ids:  # a redelivered message
            assert dispatch.send_delivery(delivery_id) is None
        # The reminder put back to this morning's moment (an admin, a bug): the key has the channel.
        dispatch.Reminder.objects.filter(user=person, kind=EmailKind.SESSION_DAY).update(
            next_due_at=at("2026-11-23 08:00")
        )
        tick()

    assert len(device.received()) == 1 and len(sent_to(person)) == 1
    assert Delivery.objects.filter(user=person).count() == 2


def test_nothing_is_pushed_after_the_account_is_deleted(django_capture_on_commit_callbacks, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        subscribe(person, push_service.device())
        traveller.move_to(at("2026-11-23 08:00:30"))
        enqueued = []
        with django_capture_on_commit_callbacks(execute=True):
            dispatch.dispatch_due(datetime.datetime.now(datetime.UTC), enqueue=enqueued.extend)
        assert len(enqueued) == 2

        User.objects.get(pk=person.pk).delete()  # between the claim and the worker
        assert [dispatch.send_delivery(delivery_id) for delivery_id in enqueued] == [None, None]

    assert push_service.received() == []
    assert not PushSubscription.objects.exists()


def test_nothing_is_pushed_to_an_inactive_account(tick, push_service):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        subscribe(person, push_service.device())
        User.objects.filter(pk=person.pk).update(is_active=False)
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()

    assert push_service.received() == []


@pytest.mark.parametrize("when", ["before its moment", "after the claim"])
def test_nothing_is_pushed_when_push_is_switched_off(django_capture_on_commit_callbacks, push_service, when):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person(**BOTH)
        plan_session(person, datetime.date(2026, 11, 23))
        subscribe(person, push_service.device())
        profile = person.profile
        if when == "before its moment":
            profile.push_session_reminders = False
            profile.save()
        traveller.move_to(at("2026-11-23 08:00:30"))
        enqueued = []
        with django_capture_on_commit_callbacks(execute=True):
            dispatch.dispatch_due(datetime.datetime.now(datetime.UTC), enqueue=enqueued.extend)
        if when == "after the claim":
            profile.push_session_reminders = False
            profile.save()
        for delivery_id in enqueued:
            dispatch.send_delivery(delivery_id)

    assert push_service.received() == []
    assert len(sent_to(person)) == 1
    if when == "after the claim":
        pushed = delivery(person, "push")
        assert (pushed.status, pushed.note) == (Delivery.Status.SKIPPED, "switched off")
    else:
        assert not Delivery.objects.filter(user=person, channel="push").exists()


# --- The push service these tests use checks what a real one checks -----------------------------------------


@pytest.mark.parametrize(
    "claims, why",
    [
        ({"aud": "https://push.elsewhere.example"}, "aud"),
        ({"exp": 48 * 3600}, "exp"),  # seconds from now: more than 24 hours
        ({"exp": -60}, "exp"),  # expired
        ({"signed_by_another_key": True}, "bad JWT"),
    ],
)
def test_the_push_service_refuses_a_push_whose_vapid_signature_is_wrong(push_service, settings, claims, why):
    import time

    import requests
    from py_vapid import Vapid
    from pywebpush import WebPusher

    from reminders.management.commands.make_vapid_keys import new_key_pair

    device = push_service.device()
    vapid_claims = {"sub": settings.VAPID_SUBJECT, "aud": push_service.url, "exp": int(time.time()) + 3600}
    if "exp" in claims:
        vapid_claims["exp"] = int(time.time()) + claims["exp"]
    vapid_claims["aud"] = claims.get("aud", vapid_claims["aud"])
    headers = Vapid.from_string(settings.VAPID_PRIVATE_KEY).sign(vapid_claims)
    if claims.get("signed_by_another_key"):  # the JWT signed with another key than the k it comes with
        token = re.search(
            r"t=([^,]+)", Vapid.from_string(new_key_pair()[1]).sign(vapid_claims)["Authorization"]
        )[1]
        headers["Authorization"] = re.sub(r"t=[^,]+", f"t={token}", headers["Authorization"])

    response = WebPusher(device.subscription_json(), requests_session=requests.Session()).send(
        json.dumps({"tag": "x"}), headers, ttl=60, content_encoding="aes128gcm"
    )

    assert response.status_code == 401
    [(endpoint, status, reason)] = push_service.refused
    assert (endpoint, status) == (device.endpoint, 401) and why in reason
    assert push_service.received() == []
