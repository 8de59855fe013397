"""The public pages: the landing page, the safety page with crisis lines, "Why this helps", and the
container healthcheck."""

from functools import cache

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from pages import emergency_numbers, help_lines


def home(request):
    """The landing page; a signed-in person goes straight to their week."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "pages/home.html")


# Search engines may read every page anyone can open. A signed-in person's pages need no rule: a crawler
# asking for one gets the log-in page, and a rule for them would only make audits report the page as hidden.
# Left out: addresses that carry a secret (links in emails, calendar feeds, account links) and the admin.
ROBOTS_TXT = """\
User-agent: *
Disallow: /accounts/confirm-email/
Disallow: /accounts/password/reset/key/
Disallow: /admin/
Disallow: /calendar/feed/
Disallow: /email/
"""


def robots_txt(request):
    """/robots.txt (the Robots Exclusion Protocol, RFC 9309), as text/plain."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


def healthz(request):
    """For the container healthcheck: the web process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def safety(request):
    """Crisis lines and where to find help, the visitor's country first, then every country's emergency
    numbers. Public, one click from every page."""
    country = help_lines.visitor_country(request)
    context = {
        "country": country,
        "countries": help_lines.countries_for(country),
        "in_eu": country in help_lines.EU_COUNTRY_CODES,
        "eu_emergency": help_lines.EU_EMERGENCY,
        "international": help_lines.INTERNATIONAL,
        "emergency_source": emergency_numbers.source(),
        "every_country_html": every_country_html(),
    }
    return render(request, "pages/safety.html", context)


def every_country_html() -> str:
    """The safety page's list of every country's emergency numbers, as HTML. It is the same for everyone
    until the code or phonenumbers changes, and would take ten times as long as the rest of the page, so it
    is rendered once per process; afresh on every request while DEBUG is on, so that edits show."""
    if settings.DEBUG:
        return render_every_country()
    return rendered_every_country()


def render_every_country() -> str:
    context = {
        "every_country": help_lines.every_country(),
        "by_letter": help_lines.every_country_by_letter(),
    }
    return render_to_string("pages/_every_country.html", context)


rendered_every_country = cache(render_every_country)


def why(request):
    """ "Why this helps": what the studies found, in plain words, with their sources."""
    return render(request, "pages/why.html")
