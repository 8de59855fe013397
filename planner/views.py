from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render

from planner import help_lines


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def healthz(request):
    """For the container healthcheck: the web process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def safety(request):
    country = help_lines.country_from_accept_language(request.headers.get("Accept-Language", ""))
    context = {
        "country": country,
        "countries": help_lines.countries_for(country),
        "in_eu": country in help_lines.EU_COUNTRY_CODES,
        "eu_emergency": help_lines.EU_EMERGENCY,
        "international": help_lines.INTERNATIONAL,
    }
    return render(request, "safety.html", context)


@login_required
def dashboard(request):
    return render(request, "planner/dashboard.html")
