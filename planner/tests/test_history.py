import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


def week(user, weeks_ago, done_minutes, planned=(30, 30), target=60):
    plan = PlanFactory(
        user=user, week_start=MONDAY - datetime.timedelta(weeks=weeks_ago), target_aerobic_minutes=target
    )
    for day, minutes in enumerate(planned):
        PlannedSessionFactory(plan=plan, date=plan.week_start + datetime.timedelta(days=day), minutes=minutes)
    if done_minutes:
        PlannedSessionFactory(
            plan=plan, date=plan.week_start + datetime.timedelta(days=5), minutes=done_minutes, status="done"
        )
    return plan


def test_history_lists_past_weeks_with_completion_and_minutes(owner, profile):
    week(profile.user, 2, done_minutes=45)
    week(profile.user, 1, done_minutes=160, target=150)
    page = owner.get(reverse("history")).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert len(rows) == 2
    assert "16 Nov 2026" in rows[0] and "160" in rows[0] and "1 of 3" in rows[0] and "<td>150</td>" in rows[0]
    assert "9 Nov 2026" in rows[1] and "45" in rows[1]


def test_sessions_logged_beside_the_plan_are_counted_apart_from_the_plans_own(owner, profile):
    plan = week(profile.user, 1, done_minutes=0, planned=(30, 30, 30))
    for day in range(6):
        PlannedSessionFactory(
            plan=plan,
            date=plan.week_start + datetime.timedelta(days=day),
            minutes=10,
            status="done",
            unplanned=True,
        )
    page = owner.get(reverse("history")).content.decode()
    [row] = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert "0 of 3, and 6 more you logged" in row
    assert "<td>60</td>" in row  # their minutes count


def test_vigorous_minutes_count_double_and_light_not_at_all(owner, profile):
    plan = week(profile.user, 1, done_minutes=0, planned=())
    PlannedSessionFactory(plan=plan, minutes=20, intensity="vigorous", status="done")
    PlannedSessionFactory(plan=plan, minutes=30, intensity="light", status="done")
    PlannedSessionFactory(plan=plan, minutes=25, category="strength", status="done")
    page = owner.get(reverse("history")).content.decode()
    row = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)[0]
    assert "<td>40</td>" in row
    assert "1 of 1" in row  # one strength day of the target's one


def test_the_chart_draws_weekly_minutes_against_the_150_line(owner, profile):
    week(profile.user, 2, done_minutes=45)
    week(profile.user, 1, done_minutes=160)
    page = owner.get(reverse("history")).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert page.count("<rect") == 2
    assert "Week of 16 Nov: 160 minutes" in page
    assert "Week of 9 Nov: 45 minutes" in page
    assert ">150</text>" in page


def test_a_past_week_can_be_opened(owner, profile):
    plan = week(profile.user, 1, done_minutes=20)
    page = owner.get(reverse("week_detail", args=[plan.week_start])).content.decode()
    assert "Week of 16 November 2026" in page
    assert "Monday 16 November" in page


def test_another_users_week_is_a_404(client, profile):
    plan = week(profile.user, 1, done_minutes=20)
    stranger = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    client.force_login(stranger.user)
    assert client.get(reverse("week_detail", args=[plan.week_start])).status_code == 404


def test_history_needs_login(client):
    response = client.get(reverse("history"))
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get(reverse("week_detail", args=[MONDAY]))
    assert response["Location"].startswith(reverse("account_login"))


def test_history_makes_a_fixed_number_of_queries_with_a_year_of_history(
    owner, profile, django_assert_max_num_queries
):
    for weeks_ago in range(0, 53):
        week(profile.user, weeks_ago, done_minutes=weeks_ago * 3)
    with django_assert_max_num_queries(10):
        response = owner.get(reverse("history"))
    assert response.content.decode().count("<tr>") == 53 + 1  # the weeks and the header
