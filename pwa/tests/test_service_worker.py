"""The service worker is served from the root, as JavaScript, never kept without asking, and the security
policy lets it and the manifest load from Steady itself and nowhere else."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wednesday")]


def test_the_worker_is_served_at_the_root_as_javascript_never_cached_without_asking(client):
    response = client.get("/sw.js")

    assert reverse("pwa_service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    with open(finders.find("pwa/sw.js")) as source:
        assert body.endswith(source.read())


def precache(client):
    settings_line = client.get("/sw.js").content.decode().splitlines()[0]
    return re.findall(r'"([^"]+)"', re.search(r'"precache": \[([^\]]*)\]', settings_line).group(1))


def test_the_worker_keeps_every_stylesheet_and_script_of_the_week_and_session_pages(owner, session):
    urls = precache(owner)

    for page in [reverse("dashboard"), reverse("session_page", args=[session.pk])]:
        html = owner.get(page).content.decode()
        named = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(
            r'<script src="([^"]+)"', html
        )
        assert named
        for url in named:
            assert url in urls, f"{url} (on {page}) is not kept"
    for url in urls:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} does not exist"
    for path in ["pwa/icons/icon-192.png", "pwa/icons/apple-touch-icon-180.png"]:
        assert static(path) in urls


def test_the_worker_shows_notifications_with_the_apps_icon(client):
    settings_line = client.get("/sw.js").content.decode().splitlines()[0]

    assert f'"icon": "{static("pwa/icons/icon-192.png")}"' in settings_line


def test_a_signed_in_person_gets_the_same_worker(client, profile):
    anonymous = client.get("/sw.js")
    client.force_login(profile.user)

    signed_in = client.get("/sw.js")

    assert signed_in.content == anonymous.content
    assert signed_in["Cache-Control"] == "no-cache"  # not the signed-in pages' "private, no-store"


def test_the_policy_allows_the_worker_and_manifest_from_steady_only(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert "http" not in policy  # no other host anywhere
