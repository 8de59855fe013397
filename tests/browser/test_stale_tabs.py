"""A tick-off from a tab left open: after the login has ended the whole page goes to the login page (not
into the session card); after the form's token changed the page loads afresh; nothing is ticked off."""

import re

import pytest
from playwright.sync_api import expect

from planner.models import PlannedSession
from tests.browser.test_session_page import PHONE, log_in, strength_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def week_page(browser, live_server, session):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, session.plan.user)
    return context, page


def log_out(page, live_server):
    page.goto(live_server.url + "/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/logout/)"))


def test_a_tick_off_after_logging_out_elsewhere_opens_the_login_page(browser, live_server):
    session = strength_session()
    context, page = week_page(browser, live_server, session)
    other_tab = context.new_page()
    log_out(other_tab, live_server)

    page.locator(f"#session-{session.pk}").get_by_role("button", name=re.compile("Mark done")).click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page).to_have_title(re.compile("Log in"))
    assert page.locator("nav").count() >= 1 and page.locator(f"#session-{session.pk}").count() == 0
    session.refresh_from_db()
    assert session.status == PlannedSession.Status.PLANNED
    context.close()


def test_a_tick_off_with_a_form_token_gone_stale_loads_the_page_afresh(browser, live_server):
    session = strength_session()
    context, page = week_page(browser, live_server, session)
    other_tab = context.new_page()
    log_out(other_tab, live_server)
    log_in(other_tab, live_server, session.plan.user)  # a new login: a new CSRF token

    with page.expect_navigation():
        page.locator(f"#session-{session.pk}").get_by_role("button", name=re.compile("Mark done")).click()

    expect(
        page.locator(f"#session-{session.pk}").get_by_role("button", name=re.compile("Mark done"))
    ).to_be_visible()
    session.refresh_from_db()
    assert session.status == PlannedSession.Status.PLANNED
    context.close()
