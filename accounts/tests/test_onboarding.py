import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Profile
from planner.models import Plan, PlannedSession
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026, midday in London: the week of Monday 23 November.
WEDNESDAY = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)

ANSWERS = {
    "about": {"age": "34", "country": "GB", "timezone": "Europe/London"},
    "activity": {"current_minutes_per_week": "30", "strength_days_now": "0"},
    "enjoy": {"preferences": ["walking", "yoga"]},
    "when": {
        "available_days": ["mon", "wed", "fri", "sat"],
        "max_minutes_per_day": "40",
        "preferred_time": "evening",
    },
    "health": {
        "heart_condition": "no",
        "chest_pain": "no",
        "dizziness": "no",
        "chronic_condition": "yes",
        "medication": "yes",
        "bone_joint": "no",
        "supervised_only": "no",
        "pregnant": "no",
    },
    "reminders": {
        "email_weekly_plan": "on",
        "weekly_plan_day": "6",
        "weekly_plan_time": "18:00",
        "reminder_time": "07:30",
    },
}


def step_url(slug):
    return reverse("onboarding_step", args=[slug])


def answer_all(client, **overrides):
    response = None
    for slug, answers in ANSWERS.items():
        response = client.post(step_url(slug), {**answers, **overrides.get(slug, {})})
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


@pytest.fixture
def traveller():
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def new_user(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("onboarding_step", args=["about"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_new_user_is_sent_from_the_dashboard_to_the_first_step(client, new_user):
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == step_url("about")
    page = response.content.decode()
    assert "Step 1 of 6" in page
    assert "How old are you?" in page


def test_the_time_zone_is_prefilled_from_the_browser_by_a_static_script(client, new_user):
    page = client.get(step_url("about")).content.decode()
    assert 'data-browser-timezone="true"' in page
    assert "js/timezone.js" in page
    assert '<option value="Europe/Paris">Europe/Paris</option>' in page
    # Without JavaScript the select keeps a sensible default.
    assert '<option value="UTC" selected>UTC</option>' in page


def test_each_step_is_saved_so_leaving_half_way_keeps_the_answers(client, new_user):
    client.post(step_url("about"), ANSWERS["about"])
    client.post(step_url("activity"), ANSWERS["activity"])

    profile = Profile.objects.get(user=new_user)
    assert (profile.age, profile.country, profile.timezone) == (34, "GB", "Europe/London")
    assert profile.current_minutes_per_week == 30
    assert profile.onboarding_step == 2

    client.logout()
    client.force_login(new_user)
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == step_url("enjoy")
    assert "Step 3 of 6" in response.content.decode()

    # Going back shows what was answered.
    page = client.get(step_url("about")).content.decode()
    assert 'value="34"' in page


def test_steps_cannot_be_skipped(client, new_user):
    response = client.get(step_url("health"))
    assert response["Location"] == step_url("about")


def test_under_18_is_refused_with_a_clear_message(client, new_user):
    response = client.post(step_url("about"), {**ANSWERS["about"], "age": "16"})
    assert response.status_code == 200
    assert "greater than or equal to 18" in response.content.decode()
    assert Profile.objects.get(user=new_user).onboarding_step == 0


def test_activity_cards_list_the_catalogue(client, new_user):
    client.post(step_url("about"), ANSWERS["about"])
    client.post(step_url("activity"), ANSWERS["activity"])
    page = client.get(step_url("enjoy")).content.decode()
    for name in ["Walking", "Yoga", "Dancing", "Cycling", "Swimming", "Running", "Tai chi"]:
        assert name in page


def test_at_least_one_day_is_needed(client, new_user):
    for slug in ["about", "activity", "enjoy"]:
        client.post(step_url(slug), ANSWERS[slug])
    response = client.post(step_url("when"), {**ANSWERS["when"], "available_days": []})
    assert "Choose at least one day." in response.content.decode()


def test_finishing_onboarding_makes_the_first_plan_and_shows_it(client, new_user, traveller):
    response = answer_all(client)
    assert response["Location"] == reverse("dashboard")

    profile = Profile.objects.get(user=new_user)
    assert profile.is_onboarded
    assert profile.health_flags == ["chronic_condition", "medication"]
    assert profile.available_days == ["mon", "wed", "fri", "sat"]
    plan = Plan.objects.get(user=new_user)
    assert plan.week_start == datetime.date(2026, 11, 23)
    sessions = list(plan.sessions.all())
    assert sessions
    assert {s.date.strftime("%a").lower() for s in sessions} <= {"mon", "wed", "fri", "sat"}
    # A yes to a health question: a gentler plan, never vigorous, and advice to talk to a doctor.
    assert all(s.intensity != "vigorous" for s in sessions)

    page = client.get(reverse("dashboard")).content.decode()
    assert "talk to a doctor" in page
    assert "This week" in page
    assert "Time for a check-in?" in page and reverse("checkin") in page  # the WHO-5, offered at once


def test_supervised_only_gets_a_kind_explanation_and_no_plan_of_its_own(client, new_user, traveller):
    answer_all(client, health={"supervised_only": "yes"})
    assert not PlannedSession.objects.filter(plan__user=new_user).exists()
    page = client.get(reverse("dashboard")).content.decode()
    assert "We won't plan this on your own" in page
    assert "supervised programme" in page
    assert "0 of 0" not in page and "step by step" not in page  # no empty bar claiming a target reached


def test_finished_onboarding_goes_to_settings_instead(client, traveller):
    profile = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY)
    client.force_login(profile.user)
    response = client.get(step_url("when"))
    assert response["Location"] == reverse("settings_section", args=["when"])


def test_after_email_verification_the_person_lands_in_onboarding(client, traveller):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
            "is_adult": "on",
        },
    )
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1]
    response = client.post(path, follow=True)
    assert response.redirect_chain[-1][0] == step_url("about")
    assert "Step 1 of 6" in response.content.decode()


# --- Settings ----------------------------------------------------------------------------------------------


@pytest.fixture
def onboarded(client, traveller):
    profile = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY, health_flags=["medication"])
    client.force_login(profile.user)
    return profile


def test_settings_list_every_onboarding_step(client, onboarded):
    page = client.get(reverse("settings")).content.decode()
    for title in [
        "About you",
        "How active you are now",
        "What you enjoy",
        "When you can",
        "A quick health check",
    ]:
        assert title in page
    assert "Reminders" in page


def test_settings_show_the_saved_health_answers(client, onboarded):
    page = client.get(reverse("settings_section", args=["health"])).content.decode()
    medication_yes = re.search(r'<input[^>]*name="medication" value="yes"[^>]*>', page).group(0)
    heart_no = re.search(r'<input[^>]*name="heart_condition" value="no"[^>]*>', page).group(0)
    assert "checked" in medication_yes
    assert "checked" in heart_no


def test_changing_reminders_saves_them(client, onboarded):
    response = client.post(
        reverse("settings_section", args=["reminders"]),
        {
            "email_session_reminders": "on",
            "reminder_time": "19:15",
            "weekly_plan_day": "4",
            "weekly_plan_time": "09:30",
        },
    )
    assert response["Location"] == reverse("settings")
    onboarded.refresh_from_db()
    assert onboarded.reminder_time == datetime.time(19, 15)
    assert (onboarded.weekly_plan_day, onboarded.weekly_plan_time) == (4, datetime.time(9, 30))
    assert onboarded.email_weekly_plan is False
    assert onboarded.email_session_reminders is True


def test_changing_days_replans_the_rest_of_the_week_and_keeps_what_is_done(client, onboarded):
    plan = PlanFactory(user=onboarded.user, week_start=datetime.date(2026, 11, 23))
    done_monday = PlannedSessionFactory(plan=plan, date=datetime.date(2026, 11, 23), status="done")
    planned_thursday = PlannedSessionFactory(plan=plan, date=datetime.date(2026, 11, 26))

    response = client.post(
        reverse("settings_section", args=["when"]),
        {"available_days": ["sat", "sun"], "max_minutes_per_day": "30", "preferred_time": "morning"},
    )
    assert response.status_code == 302

    assert PlannedSession.objects.filter(pk=done_monday.pk, status="done").exists()
    assert not PlannedSession.objects.filter(pk=planned_thursday.pk).exists()
    rest = PlannedSession.objects.filter(plan=plan, date__gte=datetime.date(2026, 11, 25))
    assert rest.exists()
    assert {s.date.weekday() for s in rest} <= {5, 6}
    page = client.get(reverse("settings")).content.decode()
    assert "The rest of this week" in page


def test_settings_post_needs_a_csrf_token(onboarded):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(onboarded.user)
    response = strict.post(reverse("settings_section", args=["reminders"]), {"reminder_time": "09:00"})
    assert response.status_code == 403


# --- How hard, what equipment, and a professional's clearance ----------------------------------------------


def test_the_activity_step_asks_how_hard_and_what_equipment(client, new_user, traveller):
    for slug in ["about"]:
        client.post(step_url(slug), ANSWERS[slug])
    page = client.get(step_url("activity")).content.decode()
    assert "How many of those minutes are hard?" in page
    for label in ("A sturdy chair", "Resistance bands", "Weights"):
        assert label in page

    client.post(
        step_url("activity"),
        {**ANSWERS["activity"], "current_vigorous_minutes": "20", "equipment": ["weights", "chair"]},
    )

    profile = Profile.objects.get(user=new_user)
    assert (profile.current_minutes_per_week, profile.current_vigorous_minutes) == (30, 20)
    assert profile.equipment == ["chair", "weights"]  # in the vocabulary's order, whatever the form's


def test_more_hard_minutes_than_minutes_in_all_is_refused(client, new_user, traveller):
    client.post(step_url("about"), ANSWERS["about"])
    response = client.post(step_url("activity"), {**ANSWERS["activity"], "current_vigorous_minutes": "45"})

    assert response.status_code == 200
    assert "That is more than all your active minutes together." in response.content.decode()
    assert Profile.objects.get(user=new_user).current_vigorous_minutes == 0


def test_a_professionals_clearance_is_dated_and_can_be_taken_back(client, onboarded):
    answers = {**ANSWERS["health"], "chest_pain": "yes", "cleared": "yes"}
    client.post(reverse("settings_section", args=["health"]), answers)
    onboarded.refresh_from_db()
    assert onboarded.cleared_by_professional_on == WEDNESDAY.date()

    page = client.get(reverse("settings_section", args=["health"])).content.decode()
    assert "checked" in re.search(r'<input[^>]*name="cleared" value="yes"[^>]*>', page).group(0)

    client.post(reverse("settings_section", args=["health"]), {**answers, "cleared": "no"})
    onboarded.refresh_from_db()
    assert onboarded.cleared_by_professional_on is None


def test_the_session_reminder_suggests_an_hour_before_the_time_of_day_chosen(client, new_user, traveller):
    for slug in ["about", "activity", "enjoy", "when", "health"]:
        client.post(step_url(slug), ANSWERS[slug])  # "when" chose the evening

    page = client.get(step_url("reminders")).content.decode()

    assert re.search(r'name="reminder_time" value="17:30"', page)


def test_the_health_check_asks_about_every_health_flag_the_planner_knows():
    from accounts.forms import HEALTH_QUESTIONS
    from steady.vocabulary import HEALTH_FLAGS

    assert [flag for flag, _ in HEALTH_QUESTIONS] == list(HEALTH_FLAGS)
