"""A session's state changes in one place (PlannedSession's methods), each saving only what it changes.

Two browsers at the same moment, one undoing a tick-off and one swapping the activity, each start from the
session as it was; neither change may overwrite the other.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from planner import plans, views
from planner.models import PlannedSession
from tests.factories import PlannedSessionFactory
from tests.week import WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


def dancing(session):
    # Swaps offer only what the engine could plan for the person: dancing must be one of their preferences.
    profile = session.plan.user.profile
    profile.preferences = [*profile.preferences, "dancing"]
    profile.save()
    return next(option for option in plans.swap_options(session, profile) if option["activity"] == "dancing")


def two_views_of(session):
    """The session as two requests loaded it, before either changed it."""
    return PlannedSession.objects.get(pk=session.pk), PlannedSession.objects.get(pk=session.pk)


def test_an_undo_started_before_a_swap_keeps_the_swap(session):
    session.mark_done(WEDNESDAY_NOON)
    swapping, undoing = two_views_of(session)

    swapping.swap_for(dancing(swapping))
    undoing.back_to_planned()

    session.refresh_from_db()
    assert session.activity == "dancing"
    assert session.status == PlannedSession.Status.PLANNED
    assert session.completed_at is None


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.mark_done(timezone.now()),
        lambda s: s.mark_skipped("Rain"),
        lambda s: s.record_details(
            {"actual_minutes": 25, "effort": 5, "mood_before": 2, "mood_after": 4}, timezone.now()
        ),
    ],
    ids=["done", "skipped", "details"],
)
def test_no_change_of_state_overwrites_a_swap_made_meanwhile(session, change):
    swapping, changing = two_views_of(session)

    swapping.swap_for(dancing(swapping))
    change(changing)

    session.refresh_from_db()
    assert (session.activity, session.variant) == ("dancing", swapping.variant)


def test_a_swap_started_before_details_were_saved_keeps_the_details(session):
    swapping, telling = two_views_of(session)

    telling.record_details(
        {"actual_minutes": 25, "effort": 5, "mood_before": 2, "mood_after": 4}, WEDNESDAY_NOON
    )
    swapping.swap_for(dancing(swapping))

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.DONE
    assert (session.actual_minutes, session.effort, session.mood_before, session.mood_after) == (25, 5, 2, 4)
    assert session.activity == "dancing"


def test_saying_how_it_went_marks_a_planned_session_done(session):
    session.record_details(
        {"actual_minutes": None, "effort": 6, "mood_before": None, "mood_after": None}, WEDNESDAY_NOON
    )

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.DONE
    assert session.completed_at == WEDNESDAY_NOON
    assert session.effort == 6


def test_undo_clears_what_was_recorded(session):
    session.record_details(
        {"actual_minutes": 25, "effort": 5, "mood_before": 2, "mood_after": 4}, WEDNESDAY_NOON
    )
    session.back_to_planned()

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.PLANNED
    assert (session.actual_minutes, session.effort, session.mood_before, session.mood_after) == (None,) * 4


def test_a_session_planned_away_meanwhile_is_said_so_not_an_error(session):
    stale = PlannedSession.objects.get(pk=session.pk)
    session.delete()  # the week was planned again in another tab

    with pytest.raises(PlannedSession.DoesNotExist):
        stale.mark_done(WEDNESDAY_NOON)
    assert not PlannedSession.objects.filter(pk=session.pk).exists()  # not brought back


def test_details_from_a_stale_done_page_after_an_undo_mark_it_done_again(session):
    session.mark_done(WEDNESDAY_NOON)
    telling, undoing = two_views_of(session)

    undoing.back_to_planned()
    telling.record_details(
        {"actual_minutes": 25, "effort": 5, "mood_before": 2, "mood_after": 4}, WEDNESDAY_NOON
    )

    session.refresh_from_db()
    assert session.status == PlannedSession.Status.DONE
    assert session.completed_at == WEDNESDAY_NOON
    assert session.effort == 5


def test_a_tick_off_racing_a_replan_shows_the_week_as_it_is_now(owner, session, monkeypatch):
    fetch = views.owned_session

    def fetched_then_planned_away(request, pk):
        found = fetch(request, pk)
        PlannedSession.objects.filter(pk=pk).delete()  # the week planned again by another request
        return found

    monkeypatch.setattr(views, "owned_session", fetched_then_planned_away)

    page = owner.post(reverse("session_done", args=[session.pk]), follow=True)
    htmx = owner.post(
        reverse("session_undo", args=[PlannedSessionFactory(plan=session.plan).pk]), HTTP_HX_REQUEST="true"
    )

    assert page.status_code == 200
    assert "That session is no longer in your week" in page.content.decode()
    assert htmx["HX-Redirect"] == reverse("dashboard")
