import datetime
import re

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planner import engine, plans
from planner.models import Plan, PlannedSession
from reminders import rollover
from tests.factories import PlannedSessionFactory, ProfileFactory, UserFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


@pytest.fixture
def other_user(client):
    stranger = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    client.force_login(stranger.user)
    return client


# --- The dashboard -----------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_week_day_by_day_with_today_highlighted(owner, plan, session):
    PlannedSessionFactory(
        plan=plan,
        date=datetime.date(2026, 11, 27),
        activity="strength",
        category="strength",
        variant="resistance bands",
        minutes=15,
    )
    page = owner.get(reverse("dashboard")).content.decode()
    for day in ["Monday 23 November", "Wednesday 25 November", "Sunday 29 November"]:
        assert day in page
    assert page.count('aria-current="date"') == 1
    today_card = page.split('aria-current="date"', 1)[1].split("</li>", 1)[0]
    assert "Wednesday 25 November" in today_card
    assert "Walking, 20 minutes" in today_card
    assert "Moderate: you can talk, but not sing" in today_card
    assert "Walking lifts mood." in today_card
    assert "Strength exercises, 15 minutes" in page  # named for its routine, whatever its family
    assert "Rest day." in page


def test_the_week_has_the_layout_of_every_other_page(owner, plan, session):
    # The week is rendered by Jinja2, the history by Django's templates, from the same base.html.
    week = owner.get(reverse("dashboard")).content.decode()
    history = owner.get(reverse("history")).content.decode()

    def layout(page):
        page = re.sub(r'value="[^"]+"|"X-CSRFToken": "[^"]+"', "TOKEN", page)  # masked anew each time
        before_title, rest = page.split("<title>", 1)
        return (
            before_title,
            rest.split("</head>", 1)[1].split('<main id="main"', 1)[0],
            page.split("</main>")[1],
        )

    assert layout(week) == layout(history)
    assert 'href="/safety/">Need help now?</a>' in week
    assert "<title>This week · Steady</title>" in week


def test_the_week_reads_the_shared_layout_as_django_does():
    """config/jinja2.py: the Django tags base.html uses, in Jinja2, give what they give in Django."""
    source = (
        "{% load static %}<link href=\"{% static 'css/steady.css' %}\"><a href=\"{% url 'dashboard' %}\">"
        "<a href=\"{% url 'settings_section' 'health' %}\"><form>{% csrf_token %}</form>"
        "{% if user.is_authenticated %}in{% elif messages %}messages{% else %}out{% endif %}\n"
    )
    context = {"csrf_token": "a" * 64, "user": UserFactory.build(), "messages": []}
    django = engines["django"].from_string(source).render(context)
    assert engines["jinja2"].from_string(source).render(context) == django
    assert 'href="/settings/health/"' in django
    assert 'name="csrfmiddlewaretoken" value="aaaa' in django
    # Without a token (no request), no field, as in Django.
    assert "csrfmiddlewaretoken" not in engines["jinja2"].from_string("{% csrf_token %}").render({})


def test_the_dashboard_shows_progress_toward_the_week_and_the_who_guideline(owner, plan, session):
    page = owner.get(reverse("dashboard")).content.decode()
    assert "This week&#x27;s target" in page or "This week's target" in page
    assert "0 of 60 minutes" in page
    assert "0 of 150 minutes" in page
    assert "0 of 2 days" in page
    assert "Balance days" not in page  # only for people aged 65 and over


def test_people_aged_65_and_over_see_balance_days_in_the_guideline(owner, profile, plan, session):
    profile.age = 70
    profile.save()
    page = owner.get(reverse("dashboard")).content.decode()
    assert "Balance days" in page
    assert "0 of 3 days" in page
    assert "because they help prevent falls" in page  # what balance counts toward


def test_younger_people_without_balance_sessions_get_no_balance_explanation(owner, profile, plan, session):
    assert 'data-testid="balance-explained"' not in owner.get(reverse("dashboard")).content.decode()


def test_the_first_visit_of_a_week_makes_its_plan_from_the_engine(owner, profile):
    page = owner.get(reverse("dashboard")).content.decode()
    plan = Plan.objects.get(user=profile.user)
    assert plan.week_start == MONDAY
    assert plan.sessions.exists()
    first = plan.sessions.first()
    assert first.why in page.replace("&#x27;", "'")


def test_the_dashboard_needs_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Ticking off -------------------------------------------------------------------------------------------


def test_marking_done_without_javascript_redirects_back_and_progress_moves(owner, session):
    response = owner.post(reverse("session_done", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('dashboard')}#session-{session.pk}"
    session.refresh_from_db()
    assert session.status == "done"
    assert session.completed_at is not None
    page = owner.get(reverse("dashboard")).content.decode()
    assert "20 of 60 minutes" in page
    assert "20 of 150 minutes" in page
    assert "Well done" in page


def test_marking_done_with_htmx_returns_the_new_card_and_the_new_progress(owner, session):
    response = owner.post(reverse("session_done", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="session-{session.pk}"' in html
    assert "Undo" in html
    assert 'id="progress"' in html and 'data-hx-swap-oob="true"' in html
    assert "20 of 60 minutes" in html


def test_undo_in_one_click(owner, session):
    owner.post(reverse("session_done", args=[session.pk]))
    response = owner.post(reverse("session_undo", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "Mark done" in response.content.decode()
    assert "0 of 60 minutes" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "planned"
    assert session.completed_at is None


def test_details_are_optional_and_count_the_actual_minutes(owner, session):
    owner.post(reverse("session_done", args=[session.pk]))
    page = owner.get(reverse("session_details", args=[session.pk])).content.decode()
    assert "How hard did it feel?" in page
    response = owner.post(
        reverse("session_details", args=[session.pk]),
        {"actual_minutes": "35", "effort": "6", "mood_before": "2", "mood_after": "4"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.actual_minutes, session.effort, session.mood_before, session.mood_after) == (35, 6, 2, 4)
    assert "35 of 60 minutes" in owner.get(reverse("dashboard")).content.decode()


def test_a_logged_session_is_titled_with_the_minutes_last_told(owner, plan):
    logged = plans.log_unplanned_session(plan, "walking", WEDNESDAY, 30, "moderate")
    owner.post(reverse("session_details", args=[logged.pk]), {"actual_minutes": "50"})
    page = owner.get(reverse("dashboard")).content.decode()
    assert "Walking, 50 minutes" in page and "Walking, 30 minutes" not in page
    assert "50 of 60 minutes" in page


def test_details_refuse_an_effort_above_ten(owner, session):
    response = owner.post(reverse("session_details", args=[session.pk]), {"effort": "11"})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.effort is None


def test_skip_with_a_reason(owner, session):
    response = owner.post(reverse("session_skip", args=[session.pk]), {"reason": "Too tired today"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.skip_reason) == ("skipped", "Too tired today")
    assert "Skipped: Too tired today." in owner.get(reverse("dashboard")).content.decode()


def test_swap_offers_the_same_category_and_intensity(owner, session):
    page = owner.get(reverse("session_swap", args=[session.pk])).content.decode()
    assert "Yoga, sun salutation flow" in page  # a preference, moderate and aerobic
    assert "Yoga: yoga" not in page  # each choice says its name once
    assert "Running" not in page  # vigorous
    assert "Weights" not in page  # strength
    response = owner.post(reverse("session_swap", args=[session.pk]), {"variant": "yoga_sun_salutation"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.activity, session.variant, session.intensity) == (
        "yoga",
        "yoga, sun salutation flow",
        "moderate",
    )
    assert "Yoga, 20 minutes" in owner.get(reverse("dashboard")).content.decode()


def test_swap_refuses_an_option_of_another_intensity(owner, session):
    response = owner.post(reverse("session_swap", args=[session.pk]), {"variant": "running_jog"})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.activity == "walking"


def test_an_unplanned_session_counts_toward_the_week(owner, plan, session):
    response = owner.post(
        reverse("log_session"),
        {"activity": "dancing", "date": "2026-11-24", "minutes": "25", "intensity": "moderate"},
    )
    assert response.status_code == 302
    logged = PlannedSession.objects.get(plan=plan, unplanned=True)
    assert (logged.activity, logged.status, logged.minutes) == ("dancing", "done", 25)
    page = owner.get(reverse("dashboard")).content.decode()
    assert "Dancing, 25 minutes" in page
    assert "25 of 60 minutes" in page


def test_a_logged_session_sent_twice_counts_once(owner, plan, session):
    page = owner.get(reverse("log_session")).content.decode()
    key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)
    walk = {"activity": "walking", "date": "2026-11-24", "minutes": "25", "intensity": "moderate"}

    first = owner.post(reverse("log_session"), {**walk, "submit_key": key})
    again = owner.post(reverse("log_session"), {**walk, "submit_key": key}, follow=True)  # a double tap

    assert first.status_code == 302
    assert PlannedSession.objects.filter(plan=plan, unplanned=True).count() == 1
    assert "25 of 60 minutes" in again.content.decode()
    fresh = re.search(
        r'name="submit_key" value="([^"]+)"', owner.get(reverse("log_session")).content.decode()
    )
    assert fresh.group(1) != key  # the next form may log another walk


def test_an_unplanned_session_must_be_up_to_today_in_a_week_with_a_plan(owner, plan):
    for day in ["2026-11-28", "2026-11-20"]:  # Saturday to come; last Friday, a week without a plan
        response = owner.post(
            reverse("log_session"),
            {"activity": "walking", "date": day, "minutes": "25", "intensity": "moderate"},
        )
        assert "Choose a day from Monday 23 November up to today." in response.content.decode()
    assert not PlannedSession.objects.filter(unplanned=True).exists()


def test_on_monday_sundays_walk_can_still_be_logged_and_counts_for_last_week(owner, profile, plan, wednesday):
    wednesday.move_to(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC))  # the Monday after

    response = owner.post(
        reverse("log_session"),
        {"activity": "walking", "date": "2026-11-29", "minutes": "30", "intensity": "moderate"},
        follow=True,
    )

    logged = PlannedSession.objects.get(unplanned=True)
    assert (logged.plan, logged.date) == (plan, datetime.date(2026, 11, 29))
    assert "Added to last week." in response.content.decode()


def test_undoing_a_logged_session_removes_it(owner, plan):
    logged = plans.log_unplanned_session(plan, "walking", WEDNESDAY, 15, "moderate")
    owner.post(reverse("session_undo", args=[logged.pk]))
    assert not PlannedSession.objects.filter(pk=logged.pk).exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_second_undo_of_a_logged_session_from_a_stale_tab_shows_the_week_as_it_is(owner, plan, htmx):
    logged = plans.log_unplanned_session(plan, "walking", WEDNESDAY, 15, "moderate")
    owner.post(reverse("session_undo", args=[logged.pk]))  # one tab

    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = owner.post(reverse("session_undo", args=[logged.pk]), **headers)  # the other, still showing it

    if htmx:
        assert response.status_code == 200 and response["HX-Redirect"] == reverse("dashboard")
    else:
        assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    week = owner.get(reverse("dashboard")).content.decode()
    assert "That session is no longer in your week" in week
    assert "0 of 60 minutes" in week


def test_undoing_a_logged_session_with_htmx_takes_its_minutes_off_the_progress(owner, plan, session):
    logged = plans.log_unplanned_session(plan, "walking", WEDNESDAY, 15, "moderate")
    assert "15 of 60 minutes" in owner.get(reverse("dashboard")).content.decode()

    response = owner.post(reverse("session_undo", args=[logged.pk]), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert f'id="session-{logged.pk}"' not in html  # htmx swaps nothing in for the card: it goes
    assert 'id="progress"' in html and 'data-hx-swap-oob="true"' in html
    assert "0 of 60 minutes" in html


# --- Ownership, login and CSRF on every session URL ---------------------------------------------------------

SESSION_POSTS = [
    ("session_done", {}),
    ("session_undo", {}),
    ("session_details", {"actual_minutes": "10"}),
    ("session_skip", {"reason": "no"}),
    ("session_swap", {"variant": "yoga_sun_salutation"}),
    ("session_move", {"date": "2026-11-28"}),
]
SESSION_PAGES = ["session_details", "session_skip", "session_swap", "session_move", "session_page"]


@pytest.mark.parametrize(("name", "data"), SESSION_POSTS)
def test_another_users_session_is_a_404(other_user, session, name, data):
    response = other_user.post(reverse(name, args=[session.pk]), data)
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == "planned"
    assert session.activity == "walking"


@pytest.mark.parametrize("name", SESSION_PAGES)
def test_another_users_session_page_is_a_404(other_user, session, name):
    assert other_user.get(reverse(name, args=[session.pk])).status_code == 404


@pytest.mark.parametrize("name", SESSION_PAGES)
def test_the_owner_sees_each_session_page(owner, session, name):
    assert owner.get(reverse(name, args=[session.pk])).status_code == 200


@pytest.mark.parametrize(("name", "data"), SESSION_POSTS)
def test_anonymous_is_sent_to_login(client, session, name, data):
    response = client.post(reverse(name, args=[session.pk]), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "data"), SESSION_POSTS)
def test_every_post_needs_a_csrf_token(profile, session, name, data):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(profile.user)
    assert strict.post(reverse(name, args=[session.pk]), data).status_code == 403
    session.refresh_from_db()
    assert session.status == "planned"


def test_done_and_undo_refuse_get(owner, session):
    assert owner.get(reverse("session_done", args=[session.pk])).status_code == 405
    assert owner.get(reverse("session_undo", args=[session.pk])).status_code == 405


def test_log_session_needs_login(client):
    response = client.get(reverse("log_session"))
    assert response["Location"].startswith(reverse("account_login"))


# --- Weeks roll over ---------------------------------------------------------------------------------------


def test_next_week_comes_from_the_engine_with_the_real_history(owner, profile, wednesday):
    wednesday.move_to(datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC))
    owner.get(reverse("dashboard"))
    first = Plan.objects.get(user=profile.user, week_start=datetime.date(2026, 11, 16))
    first.sessions.update(status="done")

    wednesday.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC))
    owner.get(reverse("dashboard"))
    second = Plan.objects.get(user=profile.user, week_start=MONDAY)
    history = plans.engine_history(profile.user, MONDAY)
    assert history == [
        {
            "week_start": "2026-11-16",
            "planned_minutes": first.target_aerobic_minutes,
            "completed_minutes": first.target_aerobic_minutes,
            "planned_sessions": first.sessions.count(),
            "completed_sessions": first.sessions.count(),
            "vigorous_minutes": 0,
            "strength_days_done": first.sessions.filter(category="strength")
            .values("date")
            .distinct()
            .count(),
        }
    ]
    # Everything done: the engine builds up.
    assert second.target_aerobic_minutes > first.target_aerobic_minutes


def test_a_first_plan_made_mid_week_leaves_the_days_gone_free(owner, profile):
    page = owner.get(reverse("dashboard")).content.decode()  # first visit on a Wednesday

    plan = Plan.objects.get(user=profile.user, week_start=MONDAY)
    assert plan.planned_from == WEDNESDAY
    sessions = list(plan.sessions.all())
    assert sessions and all(session.date >= WEDNESDAY for session in sessions)
    planned = sum(engine.moderate_equivalent(s.category, s.intensity, s.minutes) for s in sessions)
    assert 0 < plan.target_aerobic_minutes <= planned
    assert "your plan starts on Wednesday and the days before are left free" in page
    assert "Monday 23 November" not in page  # no cards for the days gone
    text = " ".join(page.split())
    assert "Your plan began on Wednesday 25 November, so the 2 days before it are not shown." in text
    assert f"0 of {plan.target_aerobic_minutes} minutes" in page


def test_a_part_week_done_in_full_does_not_hold_the_next_week_back(owner, profile, wednesday):
    owner.get(reverse("dashboard"))  # first visit on a Wednesday: a part week
    part = Plan.objects.get(user=profile.user, week_start=MONDAY)
    for session in part.sessions.all():
        session.status = "done"
        session.save()

    next_monday = MONDAY + datetime.timedelta(weeks=1)
    wednesday.move_to(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC))
    owner.get(reverse("dashboard"))
    following = Plan.objects.get(user=profile.user, week_start=next_monday)

    # The part week is left out of the history: next week is the whole first week someone starting on a
    # Monday would have had, not a step from the few minutes of the part week.
    assert plans.engine_history(profile.user, next_monday) == []
    whole_first_week = engine.make_plan(plans.engine_profile(profile, next_monday, []))
    assert (
        following.target_aerobic_minutes == whole_first_week["target"]["aerobic_moderate_equivalent_minutes"]
    )
    assert following.planned_from is None
    assert following.target_aerobic_minutes > part.target_aerobic_minutes


NEXT_MONDAY = MONDAY + datetime.timedelta(weeks=1)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def a_week_of_walks(plan, done_days):
    """20-minute walks on Monday, Wednesday, Friday, Saturday and Sunday; done on the weekdays given (0-6)."""
    for day in (0, 2, 4, 5, 6):
        status = "done" if day in done_days else "planned"
        PlannedSessionFactory(plan=plan, date=plan.week_start + datetime.timedelta(days=day), status=status)


def test_a_plan_made_ahead_is_made_again_from_the_whole_week_before(owner, profile, plan, wednesday):
    a_week_of_walks(plan, done_days={0, 2, 4})
    wednesday.move_to(utc(2026, 11, 27, 18, 0))  # a weekly email on Friday evening makes next week's plan
    ahead = plans.plan_for_week(profile.user, NEXT_MONDAY)
    assert ahead.provisional
    emailed_target = ahead.target_aerobic_minutes

    for session in plan.sessions.filter(status="planned"):  # the weekend's walks, done after the email
        session.status = "done"
        session.save()
    wednesday.move_to(utc(2026, 11, 30, 8, 0))
    page = owner.get(reverse("dashboard")).content.decode()

    settled = Plan.objects.get(pk=ahead.pk)
    assert not settled.provisional
    whole_week = engine.make_plan(
        plans.engine_profile(profile, NEXT_MONDAY, plans.engine_history(profile.user, NEXT_MONDAY))
    )
    assert settled.target_aerobic_minutes == whole_week["target"]["aerobic_moderate_equivalent_minutes"]
    assert settled.target_aerobic_minutes > emailed_target  # 3 of 5 walks by Friday; all 5 by Sunday
    assert f"0 of {settled.target_aerobic_minutes} minutes" in page


def test_a_plan_made_ahead_keeps_its_sessions_when_nothing_changed(profile, plan, wednesday):
    a_week_of_walks(plan, done_days={0, 2, 4, 5, 6})
    wednesday.move_to(utc(2026, 11, 29, 18, 0))
    ahead = plans.plan_for_week(profile.user, NEXT_MONDAY)
    session_ids = sorted(ahead.sessions.values_list("pk", flat=True))

    wednesday.move_to(utc(2026, 11, 30, 8, 0))
    settled = plans.plan_for_week(profile.user, NEXT_MONDAY)
    assert not settled.provisional
    assert sorted(settled.sessions.values_list("pk", flat=True)) == session_ids  # calendar UIDs stay


def test_a_plan_made_ahead_is_kept_once_something_in_it_is_done(profile, plan, wednesday):
    a_week_of_walks(plan, done_days={0})
    wednesday.move_to(utc(2026, 11, 27, 18, 0))
    ahead = plans.plan_for_week(profile.user, NEXT_MONDAY)
    plans.log_unplanned_session(ahead, "walking", NEXT_MONDAY, 15, "moderate")  # early on Monday
    for session in plan.sessions.filter(status="planned"):
        session.status = "done"
        session.save()
    before = sorted(ahead.sessions.values_list("pk", flat=True))

    wednesday.move_to(utc(2026, 11, 30, 8, 0))
    settled = plans.plan_for_week(profile.user, NEXT_MONDAY)
    assert not settled.provisional
    assert sorted(settled.sessions.values_list("pk", flat=True)) == before


def test_the_roll_over_job_settles_plans_made_ahead(
    profile, plan, wednesday, django_capture_on_commit_callbacks
):
    wednesday.move_to(utc(2026, 11, 27, 18, 0))
    plans.plan_for_week(profile.user, NEXT_MONDAY)
    wednesday.move_to(utc(2026, 11, 30, 0, 10))
    claimed = []
    with django_capture_on_commit_callbacks(execute=True):
        rollover.roll_over(timezone.now(), enqueue=lambda *claim: claimed.append(claim))
    assert [rollover.roll_over_page(*claim).settled for claim in claimed] == [[profile.user_id]]
    assert not Plan.objects.get(user=profile.user, week_start=NEXT_MONDAY).provisional


def test_plan_for_week_returns_the_existing_plan(profile, plan):
    assert plans.plan_for_week(profile.user, MONDAY) == plan
    assert Plan.objects.filter(user=profile.user).count() == 1


def test_the_week_starts_on_the_persons_own_monday(profile):
    profile.timezone = "Pacific/Auckland"
    # Sunday 22 November, 13:00 UTC is already Monday 23 November in Auckland.
    now = datetime.datetime(2026, 11, 22, 13, 0, tzinfo=datetime.UTC)
    assert profile.local_date(now) == MONDAY


# --- Query counts ------------------------------------------------------------------------------------------


def test_the_dashboard_makes_a_fixed_number_of_queries_with_a_year_of_history(
    a_year_of_history, owner, profile, plan, session, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = owner.get(reverse("dashboard"))
    assert response.status_code == 200


def test_the_first_visit_of_a_week_with_a_year_of_history_stays_bounded(
    a_year_of_history, owner, profile, django_assert_max_num_queries
):
    # Making the plan: one history query, the plan and its sessions in one insert each, and a savepoint.
    with django_assert_max_num_queries(10):
        owner.get(reverse("dashboard"))
    assert Plan.objects.filter(user=profile.user, week_start=MONDAY).exists()


def test_htmx_tick_off_makes_few_queries(
    a_year_of_history, owner, profile, plan, session, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        owner.post(reverse("session_done", args=[session.pk]), HTTP_HX_REQUEST="true")


def test_a_user_without_a_profile_is_sent_to_onboarding(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response["Location"] == reverse("onboarding")


# --- The week as it happens --------------------------------------------------------------------------------


def test_a_session_cannot_be_ticked_off_before_its_day(owner, plan):
    friday = PlannedSessionFactory(plan=plan, date=WEDNESDAY + datetime.timedelta(days=2))

    page = owner.get(reverse("dashboard")).content.decode()
    card = page.split(f'id="session-{friday.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Mark done" not in card and "Tick it off on the day" in card

    response = owner.post(reverse("session_done", args=[friday.pk]), follow=True)
    friday.refresh_from_db()
    assert friday.status == "planned"
    assert "That session is on Friday: you can tick it off on the day, or after." in response.content.decode()

    # With htmx, from a tab where it still showed under an earlier day: the whole week, with the message.
    htmx = owner.post(reverse("session_done", args=[friday.pk]), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == f"{reverse('dashboard')}#session-{friday.pk}"
    assert "you can tick it off on the day" in owner.get(reverse("dashboard")).content.decode()


def test_saying_how_a_skipped_future_session_went_does_not_make_it_done(owner, plan):
    friday = PlannedSessionFactory(plan=plan, date=WEDNESDAY + datetime.timedelta(days=2))
    owner.post(reverse("session_skip", args=[friday.pk]), {"reason": "away"})

    owner.post(reverse("session_details", args=[friday.pk]), {"actual_minutes": "20", "effort": "5"})

    friday.refresh_from_db()
    assert (friday.status, friday.actual_minutes) == ("skipped", None)


def test_a_session_can_move_to_another_day_of_the_week(owner, plan):
    friday = PlannedSessionFactory(plan=plan, date=WEDNESDAY + datetime.timedelta(days=2))
    page = owner.get(reverse("dashboard")).content.decode()
    assert reverse("session_move", args=[friday.pk]) in page

    form = owner.get(reverse("session_move", args=[friday.pk])).content.decode()
    assert "Wednesday 25 November" in form and "Sunday 29 November" in form
    assert "Tuesday 24 November" not in form  # days gone are not offered

    response = owner.post(reverse("session_move", args=[friday.pk]), {"date": "2026-11-28"}, follow=True)
    friday.refresh_from_db()
    assert friday.date == datetime.date(2026, 11, 28)
    assert "Moved to Saturday." in response.content.decode()
    assert friday.sequence == 1  # calendars see the change


def test_a_missed_session_can_move_to_today_but_not_to_a_day_gone(owner, plan):
    monday = PlannedSessionFactory(plan=plan, date=MONDAY)
    owner.post(reverse("session_move", args=[monday.pk]), {"date": "2026-11-24"})
    monday.refresh_from_db()
    assert monday.date == MONDAY

    owner.post(reverse("session_move", args=[monday.pk]), {"date": WEDNESDAY.isoformat()})
    monday.refresh_from_db()
    assert monday.date == WEDNESDAY


def test_strength_sessions_keep_a_day_between_them_when_moved(owner, plan):
    PlannedSessionFactory(plan=plan, date=WEDNESDAY + datetime.timedelta(days=1), category="strength")
    sunday_strength = PlannedSessionFactory(
        plan=plan, date=MONDAY + datetime.timedelta(days=6), category="strength"
    )

    response = owner.post(reverse("session_move", args=[sunday_strength.pk]), {"date": "2026-11-27"})

    assert "muscles need a day between" in response.content.decode()
    sunday_strength.refresh_from_db()
    assert sunday_strength.date == MONDAY + datetime.timedelta(days=6)


def test_done_and_logged_sessions_do_not_move(owner, plan, session):
    session.mark_done(WEDNESDAY_NOON)
    owner.post(reverse("session_move", args=[session.pk]), {"date": "2026-11-28"})
    session.refresh_from_db()
    assert session.date == WEDNESDAY


def test_signing_up_late_on_sunday_shows_sunday_not_six_empty_days(owner, profile, wednesday):
    wednesday.move_to(datetime.datetime(2026, 11, 29, 20, 0, tzinfo=datetime.UTC))  # Sunday evening

    page = owner.get(reverse("dashboard")).content.decode()

    assert "Sunday 29 November" in page
    assert "Monday 23 November" not in page and "Saturday 28 November" not in page
    assert "the 6 days before it are not shown" in " ".join(page.split())


def test_a_swap_sent_twice_is_made_once_without_an_error(owner, session):
    first = owner.post(reverse("session_swap", args=[session.pk]), {"variant": "yoga_sun_salutation"})
    again = owner.post(
        reverse("session_swap", args=[session.pk]), {"variant": "yoga_sun_salutation"}, follow=True
    )

    assert first.status_code == 302
    assert "Select a valid choice" not in again.content.decode()
    assert "Swapped for yoga, sun salutation flow." in again.content.decode()
    session.refresh_from_db()
    assert (session.activity, session.sequence) == ("yoga", 1)


def test_a_card_of_hard_and_easy_parts_says_so_rather_than_one_band(owner, plan):
    for variant, intensity in [
        ("jog and walk intervals", "vigorous"),
        ("hard and easy pedalling in turn, on a bike or an exercise bike", "moderate"),
    ]:
        PlannedSessionFactory(plan=plan, date=WEDNESDAY, variant=variant, intensity=intensity)
    page = owner.get(reverse("dashboard")).content.decode()
    assert page.count("Hard and easy parts in turn: only a few words in the hard ones.") == 2
    assert "Moderate: you can talk, but not sing" not in page and "Hard: only a few words" not in page
