"""One-click unsubscribe (RFC 8058), the Celery wiring and the beat schedule."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from reminders import emails, tasks
from reminders.models import Delivery
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def unsubscribe_url(user, kind):
    return reverse("email_unsubscribe", args=[emails.unsubscribe_token(user.pk, kind)])


@pytest.fixture
def profile():
    return ProfileFactory()


def switches(profile):
    profile = Profile.objects.get(pk=profile.pk)
    return (profile.email_weekly_plan, profile.email_session_reminders, profile.email_checkins)


def test_opening_the_link_asks_for_confirmation_and_unsubscribes_nobody(client, profile):
    response = client.get(unsubscribe_url(profile.user, "session_day"))
    assert response.status_code == 200
    assert b"Stop these emails?" in response.content
    assert b'method="post"' in response.content
    assert switches(profile) == (True, True, True)


def test_one_click_post_from_a_mail_client_unsubscribes_without_csrf_token(profile):
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe_url(profile.user, "session_day"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert switches(profile) == (True, False, True)


def test_confirming_on_the_page_stops_that_kind_only(client, profile):
    response = client.post(unsubscribe_url(profile.user, "weekly_plan"), {"scope": "kind"})
    assert response.status_code == 200
    assert b"weekly plan" in response.content
    assert switches(profile) == (False, True, True)


def test_stop_all_reminder_emails(client, profile):
    client.post(unsubscribe_url(profile.user, "checkin"), {"scope": "all"})
    assert switches(profile) == (False, False, False)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_changes_nothing(client, profile, method):
    other = ProfileFactory()
    # Someone with their own valid link swaps in another person's payload, keeping their own signature.
    mine = emails.unsubscribe_token(profile.user.pk, "session_day")
    theirs = emails.unsubscribe_token(other.user.pk, "session_day")
    forged = theirs.split(":", 1)[0] + ":" + mine.split(":", 1)[1]
    assert forged != theirs
    for bad in [forged, "nonsense", signing.dumps({"user": other.user.pk, "kind": "checkin"}, salt="other")]:
        response = getattr(client, method)(reverse("email_unsubscribe", args=[bad]), {"scope": "all"})
        assert response.status_code == 400
    assert switches(other) == (True, True, True)


def test_the_token_names_one_person_and_one_kind(profile):
    token = emails.unsubscribe_token(profile.user.pk, "checkin")
    assert emails.read_unsubscribe_token(token) == (profile.user.pk, "checkin")


def test_unsubscribed_person_gets_no_more_emails_of_that_kind(client, django_capture_on_commit_callbacks):
    from reminders.tests.people import at, make_person, run_beat_tick

    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan = PlanFactory(user=person, week_start=datetime.date(2026, 11, 23))
        PlannedSessionFactory(plan=plan, date=datetime.date(2026, 11, 23))
        PlannedSessionFactory(plan=plan, date=datetime.date(2026, 11, 24))
        traveller.move_to(at("2026-11-23 08:00:30"))
        run_beat_tick(django_capture_on_commit_callbacks)
        [email] = mail.outbox
        link = email.extra_headers["List-Unsubscribe"][1:-1].removeprefix(django_settings.SITE_URL)
        Client(enforce_csrf_checks=True).post(
            link, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        traveller.move_to(at("2026-11-24 08:00:30"))
        run_beat_tick(django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 1


# --- Celery wiring ------------------------------------------------------------------------------------------


def test_beat_has_one_static_schedule_every_minute_plus_the_rollover():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert schedule["dispatch-due-reminders"]["task"] == "reminders.tasks.dispatch_due"
    assert schedule["dispatch-due-reminders"]["schedule"] == 60
    assert schedule["roll-over-plans"]["task"] == "reminders.tasks.roll_over_plans"


def test_tasks_have_time_limits():
    for task in [tasks.dispatch_due, tasks.send_deliveries, tasks.roll_over_plans, tasks.make_week_plan]:
        assert task.time_limit and task.soft_time_limit


def test_dispatch_task_enqueues_the_deliveries_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    from reminders.tests.people import at, make_person

    enqueued = []
    monkeypatch.setattr(tasks.send_deliveries, "delay", enqueued.append)
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan = PlanFactory(user=person, week_start=datetime.date(2026, 11, 23))
        PlannedSessionFactory(plan=plan, date=datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        with django_capture_on_commit_callbacks(execute=True):
            tasks.dispatch_due()
    assert enqueued == [[Delivery.objects.get(user=person, kind="session_day").pk]]


def test_rolling_over_makes_the_weeks_plan_once():
    from reminders.tests.people import make_person

    person = make_person()
    tasks.make_week_plan(person.pk, "2026-11-23")
    tasks.make_week_plan(person.pk, "2026-11-23")
    assert person.plans.filter(week_start=datetime.date(2026, 11, 23)).count() == 1


def test_a_long_subject_is_cut_at_a_word():
    subject = emails.short_subject("Today: " + ", ".join(["30 min brisk walk by the river"] * 5))

    assert len(subject) <= emails.SUBJECT_LIMIT and subject.endswith("…")
    assert emails.short_subject("Today: 20 min brisk walk") == "Today: 20 min brisk walk"
