"""Check-ins and screening answers are seen by their owner only; the admin shows them only to superusers."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User
from reminders.models import Delivery
from tests.crawl import assert_loads_only_from_this_site, crawl
from tests.factories import (
    PASSWORD,
    CheckInFactory,
    PlanFactory,
    PlannedSessionFactory,
    ProfileFactory,
    UserFactory,
    logged_in,
)
from wellbeing.models import CheckIn

pytestmark = pytest.mark.django_db

SAFETY = "/safety/"


@pytest.fixture
def owner_profile():
    return ProfileFactory(health_flags=["chronic_condition"])


@pytest.fixture
def checkin(owner_profile):
    return CheckInFactory(user=owner_profile.user, cheerful=1, calm=2, active=0, rested=1, interested=3)


@pytest.fixture
def owner(owner_profile):
    return logged_in(owner_profile.user)


@pytest.fixture
def stranger():
    return logged_in(ProfileFactory().user)


def test_the_owner_sees_their_check_in(owner, checkin):
    response = owner.get(reverse("checkin_result", args=[checkin.pk]))

    assert response.status_code == 200
    assert "your score: <strong>28</strong>" in response.content.decode()


def test_another_persons_check_in_is_a_404(stranger, checkin):
    response = stranger.get(reverse("checkin_result", args=[checkin.pk]))

    assert response.status_code == 404


def test_another_persons_check_ins_never_show_on_my_wellbeing_page(stranger, checkin):
    page = stranger.get(reverse("wellbeing")).content.decode()

    assert "No check-ins yet." in page
    assert reverse("checkin_result", args=[checkin.pk]) not in page


@pytest.mark.parametrize(
    "name, args",
    [
        ("checkin", []),
        ("checkin_result", ["checkin"]),
        ("wellbeing", []),
        ("your_data", []),
        ("data_export_json", []),
        ("data_export_sessions", []),
        ("data_export_checkins", []),
        ("delete_account", []),
    ],
)
def test_anonymous_visitors_are_asked_to_log_in(client, checkin, name, args):
    url = reverse(name, args=[checkin.pk for _ in args])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_posts_change_nothing(client, owner_profile, checkin):
    owner_profile.gentle_until_next_checkin = True
    owner_profile.save()

    client.post(reverse("wellbeing_gentle"), {"gentle": "off"})
    client.post(reverse("checkin"), {"cheerful": 5, "calm": 5, "active": 5, "rested": 5, "interested": 5})
    client.post(reverse("delete_account"), {"confirm": owner_profile.user.email})

    assert Profile.objects.get(pk=owner_profile.pk).gentle_until_next_checkin
    assert CheckIn.objects.count() == 1
    assert User.objects.filter(pk=owner_profile.user.pk).exists()


def test_the_exports_hold_only_the_persons_own_rows(stranger, checkin):
    body = stranger.get(reverse("data_export_json")).content.decode()
    checkins = stranger.get(reverse("data_export_checkins")).content.decode()

    assert checkin.user.email not in body
    assert "chronic_condition" not in body
    assert checkins.strip().count("\n") == 0  # the header only


def test_the_why_page_is_public(client):
    assert client.get(reverse("why")).status_code == 200


def test_every_wellbeing_and_data_page_links_to_the_safety_page_and_loads_nothing_from_elsewhere(
    owner, checkin
):
    pages = {}
    for start in [reverse("wellbeing"), reverse("checkin"), reverse("your_data"), reverse("why")]:
        pages.update(crawl(owner, start=start, limit=15))

    for url in [
        "/wellbeing/",
        "/wellbeing/check-in/",
        f"/wellbeing/check-in/{checkin.pk}/",
        "/your-data/",
        "/why/",
    ]:
        assert url in pages
    for url, page in pages.items():
        assert SAFETY in page.links, f"{url} has no link to the safety page"
        assert_loads_only_from_this_site(url, page)


# --- The admin ----------------------------------------------------------------------------------------------


@pytest.fixture
def staff_with_every_permission():
    user = User.objects.create_user("staff@example.com", PASSWORD, is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return logged_in(user)


@pytest.fixture
def superuser():
    return logged_in(User.objects.create_superuser("root@example.com", PASSWORD))


@pytest.mark.parametrize("model", ["wellbeing/checkin", "accounts/profile", "planner/plan"])
def test_staff_who_are_not_superusers_cannot_see_check_ins_or_screening_answers(
    staff_with_every_permission, checkin, owner_profile, model
):
    plan = PlanFactory(user=owner_profile.user)
    pk = {"wellbeing/checkin": checkin.pk, "accounts/profile": owner_profile.pk, "planner/plan": plan.pk}[
        model
    ]

    assert staff_with_every_permission.get(f"/admin/{model}/").status_code == 403
    assert staff_with_every_permission.get(f"/admin/{model}/{pk}/change/").status_code == 403
    index = staff_with_every_permission.get("/admin/").content.decode()
    assert f"/admin/{model}/" not in index
    assert "Users" in index  # the rest of the admin is still theirs


def test_superusers_see_check_ins_and_screening_answers(superuser, checkin, owner_profile):
    assert superuser.get("/admin/wellbeing/checkin/").status_code == 200
    assert superuser.get(f"/admin/wellbeing/checkin/{checkin.pk}/change/").status_code == 200
    page = superuser.get(f"/admin/accounts/profile/{owner_profile.pk}/change/").content.decode()
    assert "chronic_condition" in page


def test_superusers_read_a_persons_weeks_without_changing_them(superuser, owner_profile):
    plan = PlanFactory(user=owner_profile.user, week_start=datetime.date(2026, 11, 23))
    PlannedSessionFactory(plan=plan, date=datetime.date(2026, 11, 25), variant="brisk walk by the river")

    page = superuser.get(f"/admin/planner/plan/{plan.pk}/change/").content.decode()

    assert "brisk walk by the river" in page
    assert 'name="_save"' not in page  # read-only
    assert superuser.get("/admin/planner/plan/add/").status_code == 403


def test_operators_see_email_deliveries_in_the_admin_without_changing_them(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    person = UserFactory(email="reader@example.com")
    now = timezone.now()
    delivery = Delivery.objects.create(
        user=person,
        kind="weekly_plan",
        local_date=datetime.date(2026, 11, 22),
        due_at=now,
        enqueue_again_at=now,
        status="sending",
    )
    client.force_login(admin_user)

    listing = client.get("/admin/reminders/delivery/?status__exact=sending")
    assert listing.status_code == 200
    assert "reader@example.com" in listing.content.decode()
    page = client.get(f"/admin/reminders/delivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_signed_in_pages_are_never_kept_by_the_browser_or_a_proxy(owner, client):
    for name in ["dashboard", "wellbeing", "settings", "history", "your_data"]:
        response = owner.get(reverse(name), follow=True)
        assert response["Cache-Control"] == "private, no-store", name
    assert "no-store" not in client.get(reverse("safety")).get("Cache-Control", "")  # public pages may be


def test_downloads_keep_their_own_cache_control(owner):
    response = owner.get(reverse("data_export_json"))
    assert response["Cache-Control"] == "private, no-store"


def test_no_page_promises_that_only_the_person_can_see_their_answers(owner):
    """Superusers can open check-ins and screening answers in the admin: the pages must not say otherwise."""
    pages = crawl(owner, start=reverse("dashboard"))
    pages.update(crawl(owner, start=reverse("checkin")))
    for url in pages:
        text = " ".join(owner.get(url, follow=True).content.decode().lower().split())
        assert "only you can see" not in text and "only you see" not in text, url
