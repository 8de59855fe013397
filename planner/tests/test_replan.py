"""Re-planning the rest of the week (a settings change, a check-in) keeps what the person did and chose."""

import datetime

import pytest
from django.urls import reverse

from planner import views
from planner.models import Plan, PlannedSession
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory, logged_in
from tests.week import MONDAY, WEDNESDAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


@pytest.fixture
def other_user_client(profile):
    stranger = ProfileFactory(onboarding_step=6, onboarded_at=profile.onboarded_at)
    return logged_in(stranger.user)


WHEN = {"available_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "preferred_time": "morning"}


def change_minutes(owner, minutes):
    response = owner.post(
        reverse("settings_section", args=["when"]), {**WHEN, "max_minutes_per_day": minutes}
    )
    assert response.status_code == 302


def test_a_swap_and_the_ids_survive_a_change_of_settings(owner, profile):
    profile.preferences = ["walking", "dancing"]
    profile.save()
    owner.get(reverse("dashboard"))  # this week's plan, from today (Wednesday)
    walk = PlannedSession.objects.filter(
        plan__user=profile.user, category="aerobic", activity="walking"
    ).first()
    options = owner.get(reverse("session_swap", args=[walk.pk])).content.decode()
    dance = next(key for key in ("dancing_slow", "dancing_salsa", "dancing_low_impact") if key in options)
    owner.post(reverse("session_swap", args=[walk.pk]), {"variant": dance})
    ids_before = set(PlannedSession.objects.filter(plan__user=profile.user).values_list("pk", flat=True))

    change_minutes(owner, 40)

    walk.refresh_from_db()  # still there, same id: a tab opened before still finds it
    assert walk.activity == "dancing" and walk.swapped
    ids_after = set(PlannedSession.objects.filter(plan__user=profile.user).values_list("pk", flat=True))
    assert walk.pk in ids_after and len(ids_before & ids_after) >= 1


def test_done_skipped_and_logged_sessions_stay_through_a_re_plan(owner, profile):
    plan = PlanFactory(user=profile.user, week_start=MONDAY)
    done = PlannedSessionFactory(plan=plan, date=WEDNESDAY, status="done")
    skipped = PlannedSessionFactory(plan=plan, date=WEDNESDAY, status="skipped", category="strength")
    logged = PlannedSessionFactory(plan=plan, date=WEDNESDAY, unplanned=True, status="done")

    change_minutes(owner, 50)

    for session in (done, skipped, logged):
        assert PlannedSession.objects.filter(pk=session.pk, status=session.status).exists()
    assert not PlannedSession.objects.filter(plan=plan, date=WEDNESDAY, status="planned").exists()


def test_after_a_re_plan_the_targets_claim_no_more_than_the_week_holds(owner, profile):
    owner.get(reverse("dashboard"))
    change_minutes(owner, 10)  # hardly any time left

    plan = Plan.objects.get(user=profile.user, week_start=MONDAY)
    sessions = [s for s in plan.sessions.all() if s.status != "skipped"]
    strength_days = len({s.date for s in sessions if s.category == "strength"})
    assert plan.target_strength_days <= strength_days
    page = owner.get(reverse("dashboard")).content.decode()
    assert f"of {plan.target_strength_days} day" in page or plan.target_strength_days == 0


def test_a_click_from_a_tab_opened_before_a_re_plan_says_what_happened(owner, profile, other_user_client):
    plan = PlanFactory(user=profile.user, week_start=MONDAY)
    gone = PlannedSessionFactory(plan=plan, date=WEDNESDAY, category="aerobic", activity="rowing")
    owner.get(reverse("session_page", args=[gone.pk]))  # the tab

    days_off_midweek = {**WHEN, "available_days": ["mon", "sat", "sun"], "max_minutes_per_day": 30}
    owner.post(reverse("settings_section", args=["when"]), days_off_midweek)  # Wednesday is no longer free
    assert not PlannedSession.objects.filter(pk=gone.pk).exists()

    for name in ["session_done", "session_skip", "session_page"]:
        method = owner.post if name != "session_page" else owner.get
        response = method(reverse(name, args=[gone.pk]), follow=True)
        assert response.status_code == 200, name
        assert views.REMOVED_MEANWHILE in response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("dashboard")
    # To anyone else the id says nothing.
    assert other_user_client.post(reverse("session_done", args=[gone.pk])).status_code == 404


def test_a_moved_session_keeps_its_day_and_the_weeks_strength_session_stays(owner, profile, wednesday):
    wednesday.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC))  # Monday morning
    owner.get(reverse("dashboard"))  # the whole week's plan
    strength = PlannedSession.objects.get(plan__user=profile.user, category="strength")
    owner.post(reverse("session_move", args=[strength.pk]), {"date": "2026-11-28"})  # to Saturday
    owner.post(  # and a walk logged today, so nothing new is planned for today
        reverse("log_session"),
        {"activity": "walking", "date": "2026-11-23", "minutes": "15", "intensity": "moderate"},
    )

    change_minutes(owner, 40)

    strength.refresh_from_db()  # the same session, on the day the person chose
    assert (strength.date, strength.moved) == (datetime.date(2026, 11, 28), True)
    plan = Plan.objects.get(user=profile.user, week_start=MONDAY)
    assert plan.target_strength_days == 1


def test_moved_sessions_outlast_a_gentle_week_switched_on_and_off(owner, profile, wednesday):
    wednesday.move_to(datetime.datetime(2026, 11, 23, 7, 0, tzinfo=datetime.UTC))  # Monday morning
    profile.age, profile.current_minutes_per_week, profile.current_vigorous_minutes = 30, 120, 60
    profile.preferences, profile.max_minutes_per_day = ["running"], 90
    profile.save()
    owner.get(reverse("dashboard"))  # runs (counted twice) and walks, two days free
    mine = PlannedSession.objects.filter(plan__user=profile.user)
    free = sorted({MONDAY + datetime.timedelta(days=n) for n in range(7)} - {s.date for s in mine})
    walks = list(mine.filter(activity="walking").order_by("-date"))
    assert len(free) >= 2 and len(walks) >= 2, "the week this test needs"
    for walk, day in zip(walks, free[:2], strict=False):
        owner.post(reverse("session_move", args=[walk.pk]), {"date": day.isoformat()})
    moved = {s.pk: s.date for s in mine.filter(moved=True)}
    assert len(moved) == 2

    owner.post(reverse("wellbeing_gentle"), {"gentle": "on"})  # walks fill the days the moves freed
    owner.post(reverse("wellbeing_gentle"), {"gentle": "off"})

    assert {s.pk: s.date for s in mine.filter(moved=True)} == moved
