"""The dashboard kept rendered between changes (planner/page_cache.py): served only while it is right."""

import datetime
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from planner.models import PlannedSession
from tests.factories import CheckInFactory, PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON
from wellbeing import who5

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


@pytest.fixture
def owner(profile):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(profile.user)
    return browser


def dashboard(browser) -> str:
    response = browser.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def csrf_token_of_form(page: str, action: str) -> str:
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_a_second_view_is_the_same_page_for_a_single_query(owner, session, django_assert_num_queries):
    owner.get(reverse("safety"))  # any page with a form gives the browser its CSRF cookie
    first = dashboard(owner)
    # One query: the user, as on every signed-in page. The login session comes from the cache.
    with django_assert_num_queries(1):
        second = dashboard(owner)
    assert second == first
    assert "Walking, 20 minutes" in second


def test_after_a_change_the_page_is_rendered_afresh_in_four_queries(
    owner, session, django_assert_num_queries
):
    dashboard(owner)
    session.status = "done"
    session.save()
    # The user, the week's plan, its sessions, the last check-in (for the prompt).
    with django_assert_num_queries(4):
        page = dashboard(owner)
    assert "Well done." in page.split("Walking, 20 minutes", 1)[1]


def test_a_form_on_a_kept_page_still_posts(owner, session):
    dashboard(owner)
    page = dashboard(owner)
    done = reverse("session_done", args=[session.pk])
    response = owner.post(done, {"csrfmiddlewaretoken": csrf_token_of_form(page, done)})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "done"


def test_another_browser_gets_its_own_page_with_its_own_tokens(profile, owner, session):
    first_page = dashboard(owner)
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(profile.user)
    phone_page = dashboard(phone)
    done = reverse("session_done", args=[session.pk])
    assert csrf_token_of_form(phone_page, done) != csrf_token_of_form(first_page, done)
    response = phone.post(done, {"csrfmiddlewaretoken": csrf_token_of_form(phone_page, done)})
    assert response.status_code == 302


def test_two_people_never_share_a_page_even_with_the_same_csrf_cookie(session):
    someone_else = ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)
    their_plan = PlanFactory(user=someone_else.user, week_start=MONDAY)
    PlannedSessionFactory(plan=their_plan, date=WEDNESDAY, activity="swimming", variant="swimming, leisurely")
    pages = []
    for user in (session.plan.user, someone_else.user):
        browser = Client()
        browser.cookies["csrftoken"] = "s" * 32
        browser.force_login(user)
        dashboard(browser)
        pages.append(dashboard(browser))
    assert "Walking, 20 minutes" in pages[0] and "Swimming" not in pages[0]
    assert "Swimming" in pages[1] and "Walking, 20 minutes" not in pages[1]


def test_ticking_off_with_htmx_shows_on_the_next_view(owner, session):
    assert "0 of 60 minutes" in dashboard(owner)
    owner.post(
        reverse("session_done", args=[session.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=owner.cookies["csrftoken"].value,
    )
    page = dashboard(owner)
    assert "20 of 60 minutes" in page
    assert "Well done" in page


def test_a_message_is_shown_once_and_never_kept(profile, session):
    browser = Client()
    browser.force_login(profile.user)
    dashboard(browser)
    response = browser.post(
        reverse("session_skip", args=[session.pk]), {"reason": "Too tired today"}, follow=True
    )
    assert "rest is part of it too" in response.content.decode()
    page = dashboard(browser)
    assert "Skipped: Too tired today." in page
    assert "rest is part of it too" not in page
    assert "rest is part of it too" not in dashboard(browser)


def test_changing_the_days_in_settings_shows_the_new_plan(profile, session):
    browser = Client()
    browser.force_login(profile.user)
    assert "Walking, 20 minutes" in dashboard(browser)
    browser.post(
        reverse("settings_section", args=["when"]),
        {"available_days": ["sat", "sun"], "max_minutes_per_day": "30", "preferred_time": "morning"},
    )
    page = dashboard(browser)
    assert "Walking, 20 minutes" not in page
    wednesday_card = page.split("Wednesday 25 November", 1)[1].split("</li>", 1)[0]
    assert "Rest day." in wednesday_card


def test_a_check_in_takes_the_prompt_away(profile, plan):
    browser = Client()
    browser.force_login(profile.user)
    assert "Time for a check-in?" in dashboard(browser)
    browser.post(reverse("checkin"), {key: 4 for key in who5.ITEM_KEYS})
    assert "Time for a check-in?" not in dashboard(browser)


def wednesday_card(page: str) -> str:
    return page.split("Wednesday 25 November", 1)[1].split("</li>", 1)[0]


def gentle_until_next_checkin(session):
    profile = session.plan.user.profile
    profile.gentle_until_next_checkin = True
    profile.save()


@pytest.mark.parametrize(
    ("change", "now_shown"),
    [
        (lambda s: setattr(s, "minutes", 45) or s.save(), "Walking, 45 minutes"),
        (lambda s: PlannedSessionFactory(plan=s.plan, date=WEDNESDAY, activity="dancing"), "Dancing"),
        (lambda s: setattr(s.plan, "notes", ["A note from the planner"]) or s.plan.save(), "A note from the"),
        (gentle_until_next_checkin, "Your plan is gentle for now"),
    ],
    ids=["session edited", "session added", "plan edited", "profile edited"],
)
def test_changes_made_outside_the_page_show_on_the_next_view(owner, session, change, now_shown):
    """As when an operator corrects something in the admin: saves and deletes are noticed anywhere."""
    assert now_shown not in wednesday_card(dashboard(owner))
    change(session)
    assert now_shown in dashboard(owner)


def test_a_session_deleted_outside_the_page_leaves_a_rest_day(owner, session):
    assert "Walking, 20 minutes" in wednesday_card(dashboard(owner))
    PlannedSession.objects.get(pk=session.pk).delete()
    assert "Rest day." in wednesday_card(dashboard(owner))


def test_a_check_in_saved_outside_the_page_takes_the_prompt_away(owner, plan):
    assert "Time for a check-in?" in dashboard(owner)
    CheckInFactory(user=plan.user)
    assert "Time for a check-in?" not in dashboard(owner)


def test_today_moves_at_the_persons_midnight(owner, session, wednesday):
    assert 'aria-current="date"' in dashboard(owner).split("Wednesday 25 November", 1)[0][-400:]
    wednesday.move_to(datetime.datetime(2026, 11, 25, 23, 59, tzinfo=datetime.UTC))  # London: still Wednesday
    assert 'aria-current="date"' in dashboard(owner).split("Wednesday 25 November", 1)[0][-400:]
    wednesday.move_to(datetime.datetime(2026, 11, 26, 0, 1, tzinfo=datetime.UTC))  # London: Thursday
    assert 'aria-current="date"' in dashboard(owner).split("Thursday 26 November", 1)[0][-400:]


def test_a_page_rendered_before_a_commit_is_not_served_after_it(
    owner, session, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks() as commit:
        session.minutes = 30
        session.save()
        # Rendered while the change is not yet committed: in production it could hold the old data.
        dashboard(owner)
    for callback in commit:
        callback()
    with django_assert_max_num_queries(10) as queries:
        assert "Walking, 30 minutes" in dashboard(owner)
    assert len(queries) > 1, "the page was served from the cache although the change committed after it"


FRESH_PROCESS = """
import gc
import django
django.setup()
gc.collect()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.core.cache import cache
from planner import page_cache
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
session = PlannedSessionFactory(plan=PlanFactory(user=ProfileFactory().user))
before = cache.get(page_cache.version_key(session.plan.user_id))
session.minutes += 5
session.save()
print("version changed" if cache.get(page_cache.version_key(session.plan.user_id)) != before else "unchanged")
"""


def test_changes_are_noticed_in_a_fresh_production_process(tmp_path):
    """Signal receivers must outlive app loading in any process, not only under the test runner's."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.bench_settings",  # DEBUG off, as in production
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "version changed", result.stderr[-2000:]
