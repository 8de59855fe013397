"""Check-ins, the caring result page, and the wellbeing page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.data_views import csv_response
from accounts.decorators import profile_required
from accounts.redirects import local_path
from planner import charts, plans
from planner.engine import WHO_AEROBIC_MINUTES
from planner.models import PlannedSession
from steady.vocabulary import activity_name
from wellbeing import checkins, mood, who5
from wellbeing.forms import CheckInForm
from wellbeing.models import CheckIn


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request):
    """The five WHO-5 questions; a valid answer is recorded and leads to its result page."""
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = checkins.record_checkin(request.user, form.cleaned_data)
        return redirect("checkin_result", pk=new.pk)
    return render(request, "wellbeing/checkin.html", {"form": form})


@profile_required
def checkin_result(request, pk):
    """One of the person's own check-ins: the score, what it means, and support when it suggests it."""
    checkin = get_object_or_404(CheckIn, pk=pk, user=request.user)
    profile = request.user.profile
    latest = checkins.last_checkin(request.user)
    context = {
        "checkin": checkin,
        "assessment": who5.assess(checkin.score, checkin.previous_score),
        "is_latest": latest is not None and latest.pk == checkin.pk,
        "profile": profile,
        "gentle_from_checkin": profile.gentle_until_next_checkin,
        "checkin_date": profile.local_date(checkin.created_at),
        "next_checkin": who5.next_checkin_date(profile.local_date(checkin.created_at)),
    }
    return render(request, "wellbeing/result.html", context)


@profile_required
@require_POST
def gentle(request):
    """The person's own switch for the gentle plan a check-in brought ("on" or anything else for off)."""
    on = request.POST.get("gentle") == "on"
    checkins.set_gentle_until_next_checkin(request.user, on)
    if on:
        messages.success(
            request, "Your plan is gentle again: light and moderate only, until your next check-in."
        )
    else:
        messages.success(request, "Done: your usual plan is back. You can make it gentle again at any time.")
    return redirect(local_path(request.POST.get("next", ""), request) or reverse("wellbeing"))


@profile_required
def wellbeing_page(request):
    """Check-ins over time beside weekly active minutes, and the mood before/after summary."""
    profile = request.user.profile
    today = profile.local_date()
    this_week = plans.monday_of(today)
    past = list(CheckIn.objects.filter(user=request.user).order_by("created_at", "id"))
    for each in past:
        each.local_date = profile.local_date(each.created_at)
    weeks = plans.plans_with_totals(request.user).filter(week_start__lte=this_week).order_by("week_start")
    moods = PlannedSession.objects.filter(
        plan__user=request.user, mood_before__isnull=False, mood_after__isnull=False
    ).values_list("activity", "mood_before", "mood_after")
    context = {
        "profile": profile,
        "today": today,
        "checkins": list(reversed(past)),
        "next_checkin": who5.next_checkin_date(past[-1].local_date) if past else None,
        "chart": charts.minutes_and_scores_chart(
            [(week.week_start, week.completed_minutes) for week in weeks],
            [(each.local_date, each.score) for each in past],
            this_week,
            WHO_AEROBIC_MINUTES,
        ),
        "mood": mood.mood_summary(
            (activity_name(activity), before, after) for activity, before, after in moods
        ),
        "mood_sessions_needed": mood.MIN_MOOD_SESSIONS,
    }
    return render(request, "wellbeing/page.html", context)


CHECKIN_COLUMNS = [
    "created_at",
    "cheerful",
    "calm",
    "active",
    "rested",
    "interested",
    "score",
    "previous_score",
    "support_suggested",
]


@login_required
def export_checkins_csv(request):
    """Every check-in of the person's, oldest first (linked from the "Your data" page)."""
    rows = (
        [
            c.created_at.isoformat(),
            c.cheerful,
            c.calm,
            c.active,
            c.rested,
            c.interested,
            c.score,
            c.previous_score,
            c.support_suggested,
        ]
        for c in CheckIn.objects.filter(user=request.user).order_by("created_at", "id")
    )
    return csv_response("check-ins", CHECKIN_COLUMNS, rows)
