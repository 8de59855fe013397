"""The public pages: the landing page, the safety page with crisis lines, "Why this helps", and the
container healthcheck."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render

from pages import help_lines


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
    """Crisis lines and where to find help, the visitor's country first. Public, one click from every page."""
    country = help_lines.visitor_country(request)
    context = {
        "country": country,
        "countries": help_lines.countries_for(country),
        "in_eu": country in help_lines.EU_COUNTRY_CODES,
        "eu_emergency": help_lines.EU_EMERGENCY,
        "international": help_lines.INTERNATIONAL,
    }
    return render(request, "pages/safety.html", context)


def why(request):
    """ "Why this helps": what the studies found, in plain words, with their sources."""
    return render(request, "pages/why.html")
