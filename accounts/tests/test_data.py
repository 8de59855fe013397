import csv
import datetime
import io
import json
from importlib import import_module

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import data, tasks
from accounts.models import LoginSession, Profile, User
from planner.models import Plan, PlannedSession
from reminders import dispatch
from reminders.models import Delivery, EmailKind, PushSubscription, Reminder
from tests.factories import (
    PASSWORD,
    CheckInFactory,
    PlanFactory,
    PlannedSessionFactory,
    ProfileFactory,
    logged_in,
)
from tests.rows import rows_linked_to
from tests.week import WEDNESDAY_NOON
from wellbeing.models import CheckIn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]

NOW = WEDNESDAY_NOON


def make_person(email):
    """Someone with a row of every kind Steady keeps."""
    profile = ProfileFactory(
        user__email=email,
        onboarding_step=6,
        onboarded_at=NOW - datetime.timedelta(days=10),
        health_flags=["chronic_condition", "medication"],
    )
    user = profile.user
    address = EmailAddress.objects.create(user=user, email=f"second.{email}", verified=False)
    EmailConfirmation.create(address)
    plan = PlanFactory(user=user, week_start=datetime.date(2026, 11, 23))
    PlannedSessionFactory(plan=plan, status="done", mood_before=2, mood_after=4, effort=5)
    PlannedSessionFactory(
        plan=plan, date=datetime.date(2026, 11, 24), status="skipped", skip_reason="=HYPERLINK()"
    )
    CheckInFactory(
        user=user, created_at=NOW - datetime.timedelta(days=14), **dict.fromkeys(["cheerful", "calm"], 1)
    )
    CheckInFactory(user=user, created_at=NOW)
    Delivery.objects.create(
        user=user, kind=EmailKind.WEEKLY_PLAN, local_date=NOW.date(), due_at=NOW, enqueue_again_at=NOW
    )
    return user


@pytest.fixture
def person():
    return make_person("ana@example.com")


@pytest.fixture
def bystander():
    return make_person("ben@example.com")


# --- Walking every model that refers to a person ------------------------------------------------------------


def models_referring_to_the_user():
    return {
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model is User
    }


def test_the_walk_finds_every_kind_of_row_a_person_has(person):
    linked = rows_linked_to(person)

    for label in [
        "accounts.user",
        "accounts.profile",
        "account.emailaddress",
        "account.emailconfirmation",
        "planner.plan",
        "planner.plannedsession",
        "wellbeing.checkin",
        "reminders.reminder",
        "reminders.delivery",
    ]:
        assert linked.get(label), f"no {label} rows for the person"


def login_sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


def test_deleting_the_account_leaves_no_row_of_the_persons_data(person, bystander):
    phone, laptop = logged_in(person), logged_in(person)
    other = logged_in(bystander)
    linked = rows_linked_to(person)
    bystanders_rows = rows_linked_to(bystander)
    assert len(login_sessions_of(person)) == 2

    response = laptop.post(reverse("delete_account"), {"confirm": person.email}, follow=True)

    assert "Your account is deleted" in response.content.decode()
    # Every model that refers to a user, directly or through another row, has nothing of theirs left.
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in linked:
            assert not model._base_manager.filter(pk__in=linked[label]).exists(), f"{label} rows left behind"
    for label in models_referring_to_the_user():
        model = apps.get_model(label)
        fields = [
            f.name
            for f in model._meta.get_fields()
            if f.concrete and (f.many_to_one or f.one_to_one) and f.related_model is User
        ]
        for name in fields:
            assert not model._base_manager.filter(**{name: person.pk}).exists(), (
                f"{label}.{name} still refers"
            )
    assert login_sessions_of(person) == []
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not session_store().exists(phone.cookies[settings.SESSION_COOKIE_NAME].value)  # nor in the cache
    # The other person keeps everything, and stays logged in.
    assert rows_linked_to(bystander) == bystanders_rows
    assert len(login_sessions_of(bystander)) == 1
    assert other.get(reverse("your_data")).status_code == 200
    # Both of the deleted person's devices are logged out.
    assert phone.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    assert laptop.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_deleting_stops_every_reminder_at_once(person, wednesday):
    queued = Delivery.objects.get(user=person)
    assert Reminder.objects.filter(user=person).count() == len(EmailKind)

    logged_in(person).post(reverse("delete_account"), {"confirm": person.email})

    assert not Reminder.objects.filter(user_id=person.pk).exists()
    assert not Delivery.objects.filter(user_id=person.pk).exists()
    # An email already on the queue finds nothing to send; a week later nothing is due for them.
    assert dispatch.send_delivery(queued.pk) is None
    assert not dispatch.due_reminders(NOW + datetime.timedelta(days=8)).filter(user_id=person.pk).exists()


@pytest.mark.parametrize("typed", ["ANA@Example.com", " ana@example.com "])
def test_deleting_accepts_the_email_in_any_case(person, typed):
    client = logged_in(person)

    response = client.post(reverse("delete_account"), {"confirm": typed})

    assert response["Location"] == reverse("account_deleted")
    assert not User.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("typed", ["", "someone@example.com", PASSWORD])  # the password is not asked for
def test_nothing_is_deleted_without_the_right_confirmation(person, typed):
    client = logged_in(person)

    response = client.post(reverse("delete_account"), {"confirm": typed})

    assert response.status_code == 200
    assert User.objects.filter(pk=person.pk).exists()
    assert CheckIn.objects.filter(user=person).count() == 2
    if typed:
        assert "nothing was deleted" in response.content.decode()


def test_the_delete_page_says_what_goes_and_offers_the_download_first(person):
    page = logged_in(person).get(reverse("delete_account")).content.decode()

    assert "It can't be undone" in page
    assert reverse("your_data") in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'type="password"' not in page  # an email address is asked for, and shown as typed


def test_deleting_only_answers_a_post_with_a_csrf_token(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    response = client.post(reverse("delete_account"), {"confirm": person.email})

    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


# --- Export ------------------------------------------------------------------------------------------------


def test_the_json_export_holds_every_row_of_the_person_and_nothing_of_anyone_else(person, bystander):
    response = logged_in(person).get(reverse("data_export_json"))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="steady-data-2026-11-25.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    exported = {label: {row["id"] for row in rows} for label, rows in data["tables"].items()}
    assert exported == rows_linked_to(person)
    assert data["tables"]["accounts.profile"][0]["health_flags"] == ["chronic_condition", "medication"]
    assert [row["score"] for row in data["tables"]["wellbeing.checkin"]] == [44, 60]
    assert "password" not in data["tables"]["accounts.user"][0]
    assert "ben@example.com" not in response.content.decode()


def test_the_sessions_csv_has_one_row_per_session_and_is_safe_to_open_in_a_spreadsheet(person, bystander):
    response = logged_in(person).get(reverse("data_export_sessions"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # so that Excel reads accents as UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == PlannedSession.objects.filter(plan__user=person).count() == 2
    done, skipped = rows
    assert (done["date"], done["status"], done["mood_before"], done["mood_after"]) == (
        "2026-11-23",
        "done",
        "2",
        "4",
    )
    assert skipped["skip_reason"] == "'=HYPERLINK()"


def test_the_check_ins_csv_has_every_answer_and_score(person, bystander):
    response = logged_in(person).get(reverse("data_export_checkins"))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["score"] for row in rows] == ["44", "60"]
    assert rows[0]["cheerful"] == "1" and rows[0]["rested"] == "3"
    assert list(rows[0]) == [
        "created_at",
        "cheerful",
        "calm",
        "active",
        "rested",
        "interested",
        "score",
        "previous_score",
        "support_suggested",
    ]


def test_the_data_page_links_each_download_and_the_deletion(person):
    page = logged_in(person).get(reverse("your_data")).content.decode()

    for name in ["data_export_json", "data_export_sessions", "data_export_checkins", "delete_account"]:
        assert reverse(name) in page


def test_a_person_without_a_profile_can_still_export_and_delete():
    user = User.objects.create_user("solo@example.com", PASSWORD)
    client = logged_in(user)

    assert json.loads(client.get(reverse("data_export_json")).content)["email"] == "solo@example.com"
    client.post(reverse("delete_account"), {"confirm": "solo@example.com"})

    assert not User.objects.filter(pk=user.pk).exists()
    assert not Profile.objects.exists() and not Plan.objects.exists()


def test_deleting_an_account_reads_only_that_persons_sessions(
    person, bystander, django_assert_max_num_queries
):
    logged_in(person)
    for _ in range(300):  # everyone else's sessions on the site
        logged_in(bystander)

    with django_assert_max_num_queries(60) as queries:
        data.delete_everything(person)

    assert not any("django_session" in q["sql"] and "WHERE" not in q["sql"] for q in queries.captured_queries)
    assert len(login_sessions_of(bystander)) == 300


def test_expired_sessions_and_their_records_are_cleared_every_night(person, wednesday):
    stale, fresh = logged_in(person), logged_in(person)
    Session.objects.filter(session_key=stale.session.session_key).update(expire_date=timezone.now())
    wednesday.shift(datetime.timedelta(seconds=1))

    tasks.clear_expired_sessions()

    assert set(LoginSession.objects.values_list("session_key", flat=True)) == {fresh.session.session_key}
    assert "clear-expired-sessions" in settings.CELERY_BEAT_SCHEDULE


def test_the_export_never_contains_a_session_key(person):
    logged_in(person)
    exported = data.export_json(person)

    assert "accounts.loginsession" in exported
    assert LoginSession.objects.get(user=person).session_key not in exported


def test_the_export_never_contains_a_push_subscriptions_address_or_keys(person):
    device = PushSubscription.objects.create(
        user=person,
        endpoint="https://push.example.net/send/a-device-secret-path",
        p256dh="BPublicKeyOfTheBrowser",
        auth="auth-secret-16b",
        user_agent="Firefox on Android",
    )
    exported = data.export_json(person)

    assert "Firefox on Android" in exported  # the person can see which devices get their reminders
    for secret in (device.endpoint, device.p256dh, device.auth):
        assert secret not in exported
