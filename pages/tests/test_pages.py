import gzip
import re
from urllib.robotparser import RobotFileParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.crawl import assert_loads_only_from_this_site, crawl
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SAFETY = "/safety/"


def test_safety_page_is_public_and_says_steady_is_no_substitute_for_care(client):
    response = client.get(reverse("safety"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Steady is not a substitute for care" in page
    assert "988" in page and "116 123" in page and "13 11 14" in page and "741741" in page
    assert "findahelpline.com" in page
    assert "family doctor" in page


@pytest.mark.parametrize(
    "accept_language, first_country",
    [("en-AU,en;q=0.8", "Australia"), ("en-GB", "United Kingdom"), ("fr-CA,fr;q=0.9", "Canada")],
)
def test_safety_page_lists_the_visitors_country_first(client, accept_language, first_country):
    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE=accept_language)

    countries = [c.name for c in response.context["countries"]]
    assert countries[0] == first_country
    assert "Your country" in response.content.decode()


def test_safety_page_tells_people_in_the_eu_about_112(client):
    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert 'In the European Union, call <a href="tel:112">112</a>' in response.content.decode()


def test_landing_page_explains_steady_with_its_evidence(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    assert "Noetel et al., BMJ 2024" in page
    assert reverse("account_signup") in page and reverse("account_login") in page


def test_every_public_page_links_to_the_safety_page_and_loads_nothing_from_elsewhere(client):
    pages = crawl(client)

    assert {"/", "/accounts/signup/", "/accounts/login/", SAFETY} <= set(pages)
    for url, page in pages.items():
        assert SAFETY in page.links, f"{url} has no link to the safety page"
        assert_loads_only_from_this_site(url, page)


def test_every_page_of_a_signed_in_person_links_to_the_safety_page_and_loads_nothing_from_elsewhere(client):
    profile = ProfileFactory()
    client.force_login(profile.user)

    pages = crawl(client)

    assert len(pages) >= 3
    for url, page in pages.items():
        assert SAFETY in page.links, f"{url} has no link to the safety page"
        assert_loads_only_from_this_site(url, page)


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_healthz_answers_for_the_container_healthcheck(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_safety_page_puts_the_country_from_the_profile_first(client):
    profile = ProfileFactory(country="AU")
    client.force_login(profile.user)

    response = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-US")

    assert [c.name for c in response.context["countries"]][0] == "Australia"


def test_every_page_offers_not_ok_right_now_in_the_navigation(client):
    for url in ("/", reverse("safety"), reverse("account_login")):
        page = client.get(url).content.decode()
        assert f'<a class="nav-link" href="{SAFETY}">Not OK right now?</a>' in page
        assert "Need help now?" in page


def test_the_evidence_is_told_no_bigger_than_the_studies_found(client):
    home = " ".join(client.get(reverse("home")).content.decode().split())
    why = " ".join(client.get(reverse("why")).content.decode().split())

    # As good as talking therapy: walking or jogging and yoga, not exercise of every kind.
    assert "walking or jogging and yoga did about as well as talking therapy" in home
    assert "exercise helps about as much as talking therapy" not in home
    assert "the other kinds helped less" in why
    # Benefit grew with intensity in the same review: regularity is not all there is.
    assert "not how hard" not in home
    assert "harder exercise helped a little more" in home
    assert "Swimming was not studied on its own." in why


def test_crisis_numbers_are_tap_to_call_links_on_a_phone(client):
    page = client.get(reverse("safety"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()

    for number in ("999", "112", "116123", "988", "131114", "000"):
        assert f'href="tel:{number}"' in page, number


def test_pages_use_only_attributes_html_allows(owner, session):
    """htmx's attributes are written data-hx-*, which HTML allows (the Nu HTML Checker refuses bare hx-*)."""
    for url in crawl(owner, start=reverse("dashboard")):
        html = owner.get(url, follow=True).content.decode()
        assert not re.search(r"\shx-[a-z-]+=", html), url


def robots_rules(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    return robots


@pytest.mark.usefixtures("wednesday")
def test_robots_txt_lets_search_engines_read_every_page_and_no_address_with_a_secret(owner, session):
    robots = robots_rules(Client())
    public = crawl(Client())
    assert {"/", SAFETY, "/why/", "/accounts/login/", "/accounts/signup/"} <= set(public)
    for url in public:
        assert robots.can_fetch("*", url), f"robots.txt keeps {url} from search engines"

    # A person's own pages answer a crawler with the log-in page: robots.txt need not name them.
    own = set(crawl(owner, start=reverse("dashboard"))) - set(public)
    assert {reverse("dashboard"), reverse("session_page", args=[session.pk]), reverse("settings")} <= own
    for url in own:
        if not robots.can_fetch("*", url):
            continue
        response = Client().get(url)
        assert response.status_code in (200, 302, 405), f"{url} answers a crawler {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), url

    feed = owner.get(reverse("calendar")).content.decode()
    feed_path = re.search(r"(/calendar/feed/[A-Za-z0-9_-]+\.ics)", feed).group(1)
    for secret in (feed_path, "/email/unsubscribe/a-token/", "/accounts/password/reset/key/1-set-password/"):
        assert not robots.can_fetch("*", secret), f"robots.txt lets search engines ask for {secret}"


def meta_description(html):
    found = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.usefixtures("wednesday")
def test_every_page_has_a_description_and_each_public_page_its_own(owner, session):
    for url, page in [*crawl(Client()).items(), *crawl(owner, start=reverse("dashboard")).items()]:
        assert len(meta_description(page.html)) > 50, url

    anyone = Client()
    public = [
        "/",
        SAFETY,
        "/why/",
        reverse("moves"),
        reverse("move_detail", args=["squat"]),
        "/accounts/login/",
    ]
    descriptions = {meta_description(anyone.get(url).content.decode()) for url in public}
    assert len(descriptions) == len(public)
    assert "Squat" in meta_description(anyone.get(reverse("move_detail", args=["squat"])).content.decode())


@pytest.mark.usefixtures("wednesday")
def test_no_page_waits_for_a_script_before_it_is_drawn(owner, session):
    """Every script is a file loaded with defer: none holds up the first paint (and the CSP allows no inline
    script)."""
    for url, page in [*crawl(Client()).items(), *crawl(owner, start=reverse("dashboard")).items()]:
        for tag in re.findall(r"<script\b[^>]*>", page.html):
            assert " src=" in tag and re.search(r"\sdefer[\s>]", tag), f"{url}: {tag}"


@pytest.mark.usefixtures("wednesday")
def test_pages_are_sent_gzipped_to_browsers_that_accept_it(owner, session):
    page = owner.get(reverse("session_page", args=[session.pk]))
    gzipped = owner.get(reverse("session_page", args=[session.pk]), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in page and gzipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped["Vary"]
    assert len(gzipped.content) < len(page.content) / 3
    unzipped = gzip.decompress(gzipped.content).decode()
    assert "Back to this week" in unzipped and f"{session.minutes} minutes</h1>" in unzipped


@pytest.mark.usefixtures("wednesday")
def test_htmx_is_loaded_on_the_pages_that_use_it_and_only_there(owner, session):
    pages = {**crawl(Client()), **crawl(owner, start=reverse("dashboard"))}
    uses = {url for url, page in pages.items() if re.search(r"\sdata-hx-(?!headers)[a-z-]+=", page.html)}
    loads = {url for url, page in pages.items() if "/htmx.min" in page.html}

    assert reverse("dashboard") in uses
    assert uses == loads
