"""Without JavaScript, on a phone: every page of the menu can be reached (the collapsed menu needs JavaScript
to open, so it is shown open instead)."""

import pytest
from django.utils import timezone

from tests.browser.test_session_page import log_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MENU = ["Not OK right now?", "This week", "Past weeks", "Wellbeing", "Settings", "Account", "Log out"]


def test_the_whole_menu_is_reachable_on_a_phone_without_javascript(browser, live_server, artifacts):
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now())
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, profile.user)

    nav = page.get_by_role("navigation", name="Main")
    for name in MENU:
        link = nav.get_by_role("button" if name == "Log out" else "link", name=name, exact=True)
        assert link.is_visible(), f"{name} cannot be reached"
    page.screenshot(path=str(artifacts / "phone-menu-without-javascript.png"), full_page=True)

    nav.get_by_role("link", name="Wellbeing", exact=True).click()
    assert page.url.endswith("/wellbeing/")
    context.close()


def test_with_javascript_the_phone_menu_stays_collapsed_until_opened(browser, live_server):
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now())
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, profile.user)

    nav = page.get_by_role("navigation", name="Main")
    assert not nav.get_by_role("link", name="Wellbeing", exact=True).is_visible()
    nav.get_by_role("button", name="Show navigation").click()
    nav.get_by_role("link", name="Wellbeing", exact=True).wait_for(state="visible")
    context.close()
