"""Check-ins, the caring result page, the wellbeing page, and the public "Why this helps" page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Profile
from planner import plans, wellbeing
from planner.models import CheckIn, PlannedSession


class CheckInForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, statement in wellbeing.ITEMS:
            self.fields[key] = forms.TypedChoiceField(
                label=statement,
                choices=wellbeing.ANSWERS,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose the answer closest to how it has been."},
            )

    def items(self):
        return [self[key] for key in wellbeing.ITEM_KEYS]


def own_profile(user):
    return Profile.objects.filter(user=user).first()


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request):
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = wellbeing.record_checkin(request.user, form.cleaned_data)
        return redirect("checkin_result", pk=new.pk)
    return render(request, "planner/wellbeing_checkin.html", {"form": form})


@login_required
def checkin_result(request, pk):
    checkin = get_object_or_404(CheckIn, pk=pk, user=request.user)
    profile = own_profile(request.user)
    latest = wellbeing.last_checkin(request.user)
    context = {
        "checkin": checkin,
        "assessment": wellbeing.assess(checkin.score, checkin.previous_score),
        "is_latest": latest is not None and latest.pk == checkin.pk,
        "profile": profile,
        "gentle_from_checkin": bool(profile and profile.gentle_until_next_checkin),
        "checkin_date": profile.local_date(checkin.created_at),
        "next_checkin": wellbeing.next_checkin_date(profile.local_date(checkin.created_at)),
    }
    return render(request, "planner/wellbeing_result.html", context)


@login_required
@require_POST
def gentle(request):
    on = request.POST.get("gentle") == "on"
    wellbeing.set_gentle_until_next_checkin(request.user, on)
    if on:
        messages.success(
            request, "Your plan is gentle again: light and moderate only, until your next check-in."
        )
    else:
        messages.success(request, "Done: your usual plan is back. You can make it gentle again at any time.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "wellbeing"
    return redirect(next_url)


@login_required
def wellbeing_page(request):
    profile = own_profile(request.user)
    today = profile.local_date() if profile else timezone.localdate()
    this_week = plans.monday_of(today)
    checkins = list(CheckIn.objects.filter(user=request.user).order_by("created_at", "id"))
    for each in checkins:
        each.local_date = profile.local_date(each.created_at)
    weeks = plans.plans_with_totals(request.user).filter(week_start__lte=this_week).order_by("week_start")
    moods = PlannedSession.objects.filter(
        plan__user=request.user, mood_before__isnull=False, mood_after__isnull=False
    ).values_list("activity", "mood_before", "mood_after")
    context = {
        "profile": profile,
        "checkins": list(reversed(checkins)),
        "checkin_due": wellbeing.is_checkin_due(checkins[-1].local_date if checkins else None, today),
        "next_checkin": wellbeing.next_checkin_date(checkins[-1].local_date) if checkins else None,
        "chart": wellbeing.wellbeing_chart(
            [(week.week_start, week.completed_minutes) for week in weeks],
            [(each.local_date, each.score) for each in checkins],
            this_week,
        ),
        "mood": wellbeing.mood_summary(
            (plans.activity_name(activity), before, after) for activity, before, after in moods
        ),
        "mood_sessions_needed": wellbeing.MIN_MOOD_SESSIONS,
    }
    return render(request, "planner/wellbeing.html", context)


def why(request):
    return render(request, "why.html")
