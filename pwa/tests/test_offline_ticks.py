"""A tick-off made offline is sent later, perhaps more than once (two tabs, an answer lost on the way): with
its Idempotency-Key it counts once. And the pages that open offline carry their banner and whose they are."""

import pytest
from django.urls import reverse

from accounts.models import SubmitKey
from planner.models import PlannedSession
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]

HTMX = {"HX-Request": "true"}


def tick(client, session, key=None, **data):
    headers = {**HTMX, "Idempotency-Key": key} if key else HTMX
    return client.post(reverse("session_done", args=[session.pk]), data, headers=headers)


def test_the_same_key_twice_changes_the_session_once(owner, session, wednesday):
    first = tick(owner, session, key="k-1")
    session.refresh_from_db()
    changed_at, sequence = session.changed_at, session.sequence
    wednesday.shift(60)

    again = tick(owner, session, key="k-1")

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.DONE
    assert (session.changed_at, session.sequence) == (changed_at, sequence) == (WEDNESDAY_NOON, 1)
    assert SubmitKey.objects.filter(user=session.plan.user, key="k-1").count() == 1
    assert first.status_code == again.status_code == 200
    assert "Well done." in again.content.decode()


def test_a_tick_sent_again_after_an_undo_does_not_tick_it_again(owner, session):
    tick(owner, session, key="offline-tick")
    owner.post(reverse("session_undo", args=[session.pk]), headers=HTMX)

    replay = tick(owner, session, key="offline-tick")

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.PLANNED
    assert session.sequence == 2  # the tick and the undo, nothing more
    assert replay.status_code == 200
    assert "Mark done" in replay.content.decode()  # the card as it is: still to do


def test_a_new_key_is_a_new_tick(owner, session):
    tick(owner, session, key="first")
    owner.post(reverse("session_undo", args=[session.pk]), headers=HTMX)

    tick(owner, session, key="second")

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.DONE
    assert session.sequence == 3


def test_the_forms_submit_key_counts_once_too_without_javascript(owner, session):
    first = owner.post(reverse("session_done", args=[session.pk]), {"submit_key": "from-the-form"})
    owner.post(reverse("session_undo", args=[session.pk]))

    again = owner.post(reverse("session_done", args=[session.pk]), {"submit_key": "from-the-form"})

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.PLANNED
    assert first["Location"] == again["Location"] == f"{reverse('dashboard')}#session-{session.pk}"


def test_ticks_without_a_key_work_as_before(owner, session):
    response = owner.post(reverse("session_done", args=[session.pk]))

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.DONE
    assert response["Location"] == f"{reverse('dashboard')}#session-{session.pk}"
    assert not SubmitKey.objects.exists()


def test_a_key_too_long_is_refused_and_changes_nothing(owner, session):
    response = tick(owner, session, key="k" * 65)

    session.refresh_from_db()
    assert response.status_code == 400
    assert session.status == PlannedSession.Status.PLANNED
    assert not SubmitKey.objects.exists()


def test_one_persons_key_does_not_stop_anothers_tick(owner, session, client):
    someone = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    theirs = PlannedSessionFactory(plan=PlanFactory(user=someone.user, week_start=MONDAY), date=WEDNESDAY)
    tick(owner, session, key="same-key")
    client.force_login(someone.user)

    tick(client, theirs, key="same-key")

    theirs.refresh_from_db()
    assert theirs.status == PlannedSession.Status.DONE


def test_a_tick_on_a_day_to_come_leaves_its_key_unused(owner, plan):
    friday = PlannedSessionFactory(plan=plan, date=WEDNESDAY.replace(day=27))

    response = tick(owner, friday, key="too-soon")

    assert response["HX-Redirect"] == f"{reverse('dashboard')}#session-{friday.pk}"
    assert not SubmitKey.objects.filter(key="too-soon").exists()


def banner_owner(html):
    marker = 'data-pwa-owner="'
    assert html.count('id="offline-banner"') == 1
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_the_week_and_session_pages_carry_the_offline_banner_with_their_owners_key(owner, session, client):
    week = owner.get(reverse("dashboard")).content.decode()
    page = owner.get(reverse("session_page", args=[session.pk])).content.decode()
    someone = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    client.force_login(someone.user)
    theirs = client.get(reverse("dashboard")).content.decode()

    assert "You are offline:</strong> this is your week as it was at" in week
    assert "this is this session as it was at" in page
    assert banner_owner(week) == banner_owner(page)
    assert banner_owner(theirs) != banner_owner(week)
    assert str(session.plan.user.pk) != banner_owner(week)
    assert 'data-pwa-made-at="2026-11-25T12:00:00+00:00"' in week


@pytest.mark.parametrize("name", ["history", "settings", "log_session"])
def test_no_other_page_offers_itself_offline(owner, name):
    assert 'id="offline-banner"' not in owner.get(reverse(name)).content.decode()
