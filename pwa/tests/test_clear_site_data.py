"""A log-out, and an account deletion, tell the browser to drop everything it kept of Steady: the service
worker's saved pages, its queue of offline ticks, the worker itself."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLEARED = '"cache", "storage"'


def test_logging_out_clears_the_site_data(owner):
    response = owner.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEARED


def test_deleting_the_account_clears_the_site_data(owner, profile):
    response = owner.post(reverse("delete_account"), {"confirm": profile.user.email})

    assert response["Location"] == reverse("account_deleted")
    assert response["Clear-Site-Data"] == CLEARED


def test_a_refused_deletion_clears_nothing(owner):
    response = owner.post(reverse("delete_account"), {"confirm": "someone-else@example.com"})

    assert response.status_code == 200
    assert "Clear-Site-Data" not in response


@pytest.mark.parametrize("name", ["dashboard", "settings", "your_data", "account_email"])
def test_other_pages_clear_nothing(owner, name):
    response = owner.get(reverse(name))

    assert "Clear-Site-Data" not in response


def test_the_log_out_confirmation_page_clears_nothing(owner):
    response = owner.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "Clear-Site-Data" not in response
