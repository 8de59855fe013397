import datetime
from functools import cache, wraps
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_POST

from accounts.data_views import csv_response
from accounts.decorators import onboarded_required, profile_required
from accounts.models import Profile
from accounts.once import OnceForm
from planner import calendar, catalogue, charts, fragments, move_pages, moves, page_cache, plans, steps
from planner.forms import LogSessionForm, MoveForm, SessionDetailsForm, SkipForm, SwapForm
from planner.models import Plan, PlannedSession, RemovedSession
from steady.vocabulary import activity_name

# --- This week ---------------------------------------------------------------------------------------------


def owned_session(request, pk) -> PlannedSession:
    """The person's own session, or 404; a session of theirs removed since (plans.remove) raises DoesNotExist,
    which `replanned_meanwhile` turns into a message and the week as it is now."""
    try:
        session = PlannedSession.objects.select_related("plan").get(pk=pk, plan__user=request.user)
    except PlannedSession.DoesNotExist:
        if RemovedSession.objects.filter(user=request.user, session_id=pk).exists():
            raise
        raise Http404("No such session.") from None
    session.plan.user = request.user  # the same person, with the profile already loaded
    return session


def week_sessions(plan: Plan) -> list[PlannedSession]:
    """The plan's sessions by date, as the week's cards and progress show them.

    Sorted here rather than in SQL: Django's ORDER BY costs more to build than the sort of a week's sessions.
    """
    return sorted(PlannedSession.objects.filter(plan_id=plan.pk).order_by(), key=lambda s: (s.date, s.pk))


def week_context(plan: Plan, sessions: list[PlannedSession], profile: Profile, today: datetime.date) -> dict:
    sessions = [decorate(session) for session in sessions]
    days, days_before_plan = [], 0
    for offset in range(7):
        date = plan.week_start + datetime.timedelta(days=offset)
        on_the_day = [session for session in sessions if session.date == date]
        if plan.planned_from is not None and date < plan.planned_from and not on_the_day:
            days_before_plan += 1  # a day gone before the plan began (a first visit late in the week)
            continue
        days.append(
            SimpleNamespace(  # attributes, not keys: Jinja2 looks names up as attributes first
                # Django's date filter "l j F" gives the same in English, at many times the cost per day.
                heading=f"{date:%A} {date.day} {date:%B}",
                is_today=date == today,
                sessions=on_the_day,
            )
        )
    return {
        "plan": plan,
        "week_of": f"{plan.week_start.day} {plan.week_start:%B %Y}",  # as Django's date filter "j F Y"
        "profile": profile,
        "days": days,
        "days_before_plan": days_before_plan,
        "plan_began": f"{plan.planned_from:%A} {plan.planned_from.day} {plan.planned_from:%B}"
        if days_before_plan
        else "",
        "today": today,
        "progress": plans.week_progress(plan, sessions, profile.age),
        "is_this_week": plan.week_start <= today < plan.week_start + datetime.timedelta(days=7),
        "oob": False,
    }


def decorate(session: PlannedSession) -> PlannedSession:
    """Words, ids and URLs for the session card, worked out here: cheaper than tags and filters per card."""
    # Strength and balance sessions are what their routine holds, whatever the family they came from.
    session.activity_name = ROUTINE_TITLES.get(session.category) or activity_name(session.activity)
    if session.variant in HARD_AND_EASY_VARIANTS:  # one band would contradict one of its parts
        session.intensity_words = HARD_AND_EASY_WORDS
    else:
        session.intensity_words = plans.INTENSITY_WORDS.get(session.intensity, session.intensity)
    session.day_name = session.date.strftime("%A")
    session.variant_text = capfirst(session.variant)
    session.card_id = f"session-{session.pk}"
    # For screen readers, after each button's text: "Mark done Walking on Monday".
    session.label = f"{session.activity_name} on {session.day_name}"
    prefix = sessions_url_prefix()
    session.urls = SimpleNamespace(
        page=f"{prefix}{session.pk}/",
        **{action: f"{prefix}{session.pk}/{action}/" for action in SESSION_ACTIONS},
    )
    return session


SESSION_ACTIONS = ("done", "undo", "details", "skip", "swap", "move")
# Sessions of hard and easy parts in turn (run/walk, hard and easy pedalling, fast and slow lengths): the
# card says so, as their page does (HARD_PARTS_EFFORT), rather than the band their MET gives.
HARD_AND_EASY_VARIANTS = frozenset(catalogue.BY_ID[row].variant for row in catalogue.HARD_AND_EASY_ROWS)
HARD_AND_EASY_WORDS = "Hard and easy parts in turn: only a few words in the hard ones"
ROUTINE_TITLES = {"strength": "Strength exercises", "balance": "Balance and leg strength"}


@cache
def sessions_url_prefix() -> str:
    """ "/sessions/" as planner/urls.py has it; each session's URLs are this, its id and the action.

    reverse() costs about 10 µs a call and a week's cards need up to 20 URLs, so the prefix is worked out
    once rather than reversing each URL.
    """
    return reverse("session_done", args=[1]).removesuffix("1/done/")


@login_required
def dashboard(request):
    kept = page_cache.KeptPage(request)
    return kept.response() or this_week(request, kept)


@onboarded_required
def this_week(request, kept: page_cache.KeptPage):
    """The week's page, rendered afresh (four queries: the person, the week's plan, its sessions, the last
    check-in) by Jinja2 (planner/fragments.py), then kept until something on it changes."""
    profile = request.user.profile
    today = profile.local_date()
    plan, sessions = plans.plan_and_sessions_for_week(request.user, plans.monday_of(today))
    response = fragments.render_page(
        request, "planner/dashboard.html", week_context(plan, sessions, profile, today)
    )
    kept.keep(response, profile.zone, today)
    return response


REMOVED_MEANWHILE = "That session is no longer in your week: it was removed, or your week was planned again."


def replanned_meanwhile(view):
    """A session deleted while the request ran (the week planned again, or a logged session removed, in
    another tab): say so and show the week as it is now, instead of an error. htmx is told to load the whole
    page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PlannedSession.DoesNotExist:
            messages.info(request, REMOVED_MEANWHILE)
            if request.headers.get("HX-Request"):
                return HttpResponse(headers={"HX-Redirect": reverse("dashboard")})
            return redirect("dashboard")

    return wrapper


def not_yet(request, session: PlannedSession) -> bool:
    """A session is done on its day or after, never before: True (with a message saying so) for one whose
    date is still to come where the person lives."""
    if session.date <= request.user.profile.local_date():
        return False
    messages.info(request, f"That session is on {session.date:%A}: you can tick it off on the day, or after.")
    return True


def redirect_to_card(session: PlannedSession):
    """Back to the week the session is in (this week's dashboard, or a past week's page), scrolled to the
    session the person just changed."""
    if session.plan.week_start < plans.monday_of(session.plan.user.profile.local_date()):
        week = reverse("week_detail", args=[session.plan.week_start])
    else:
        week = reverse("dashboard")
    return redirect(f"{week}#session-{session.pk}")


def respond_with_card(request, session: PlannedSession):
    """htmx gets the new session card and the new progress; a plain form POST goes back to the dashboard."""
    if not request.headers.get("HX-Request"):
        return redirect_to_card(session)
    return card_response(request, session.plan, session)


def card_response(request, plan: Plan, session: PlannedSession | None) -> HttpResponse:
    """htmx's answer to a change on one card of `plan`: the card as it now is (nothing when the session was
    removed, so the card goes), and the week's progress swapped in out of band."""
    profile = request.user.profile
    context = {
        "session": decorate(session) if session else None,
        "today": profile.local_date(),
        "progress": plans.week_progress(plan, week_sessions(plan), profile.age),
        "plan": plan,
        "oob": True,
    }
    return HttpResponse(fragments.render("planner/_card_response.html", context, request))


@profile_required
@require_POST
@replanned_meanwhile
def session_done(request, pk):
    """Ticked off. A tick carrying a key (an `Idempotency-Key` header, or a form's `submit_key`: up to 64
    characters, else 400) counts once per person: sent again with the same key it changes nothing, even after
    an undo, and answers the same way (the card as it now is, or the same redirect). So a tick made offline
    and sent later (static/pwa/offline.js), perhaps from two tabs or after a lost answer, counts once. A tick
    without a key is done as it comes (done stays done); keys are kept two days (accounts/once.py)."""
    session = owned_session(request, pk)
    if not_yet(request, session):
        # htmx would swap the card in silently: load the whole week instead, with the message.
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": f"{reverse('dashboard')}#session-{session.pk}"})
        return redirect_to_card(session)
    once = OnceForm({"submit_key": request.headers.get("Idempotency-Key") or request.POST.get("submit_key")})
    if not once.is_valid():
        return HttpResponseBadRequest("An Idempotency-Key has at most 64 characters.")
    with transaction.atomic():  # a tick-off that fails (the session planned away) leaves its key unused
        if once.first_use(request.user):
            session.mark_done(timezone.now())
    if request.POST.get("then") == "details":
        # Finished from the session page: on to "How did it go?".
        return redirect("session_details", session.pk)
    return respond_with_card(request, session)


@profile_required
@require_POST
@replanned_meanwhile
def session_undo(request, pk):
    session = owned_session(request, pk)
    if session.unplanned:
        # A logged session was never planned: undoing it removes it (noted, for a stale second click).
        plans.remove(request.user, PlannedSession.objects.filter(pk=session.pk))
        if request.headers.get("HX-Request"):
            return card_response(request, session.plan, None)
        return redirect("dashboard")
    session.back_to_planned()
    return respond_with_card(request, session)


@profile_required
@require_http_methods(["GET", "POST"])
@replanned_meanwhile
def session_details(request, pk):
    session = owned_session(request, pk)
    if not_yet(request, session):
        return redirect_to_card(session)
    form = SessionDetailsForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        session.record_details(form.cleaned_data, timezone.now())
        messages.success(request, "Saved. Well done.")
        return redirect_to_card(session)
    return render(request, "planner/session_details.html", {"session": decorate(session), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@replanned_meanwhile
def session_skip(request, pk):
    session = owned_session(request, pk)
    if session.status == PlannedSession.Status.DONE or session.unplanned:
        # Ticked off meanwhile (another tab, another device) or logged: a skip would undo what was done.
        messages.info(request, "That session is done, so there is nothing to skip.")
        return redirect_to_card(session)
    form = SkipForm(request.POST or None, initial={"reason": session.skip_reason})
    if request.method == "POST" and form.is_valid():
        session.mark_skipped(form.cleaned_data["reason"])
        messages.info(request, "Skipped. That's fine: rest is part of it too.")
        return redirect_to_card(session)
    return render(request, "planner/session_skip.html", {"session": decorate(session), "form": form})


@profile_required
@require_http_methods(["GET", "POST"])
@replanned_meanwhile
def session_move(request, pk):
    """A planned session (one still to come, or one missed earlier this week) moved to a day from today on."""
    session = owned_session(request, pk)
    today = request.user.profile.local_date()
    if session.status != PlannedSession.Status.PLANNED or session.unplanned:
        messages.info(request, "Only a session still to do can move.")
        return redirect_to_card(session)
    if session.plan.week_start + datetime.timedelta(days=6) < today:
        messages.info(request, "That week is over: a session moves only to a day of its own week.")
        return redirect_to_card(session)
    if request.method == "POST" and session.moved and request.POST.get("date") == session.date.isoformat():
        messages.success(request, f"Moved to {session.date:%A}.")  # the same move sent again
        return redirect_to_card(session)
    form = MoveForm(request.POST or None, session=session, today=today)
    if request.method == "POST" and form.is_valid():
        session.move_to(form.cleaned_data["date"])
        messages.success(request, f"Moved to {session.date:%A}.")
        return redirect_to_card(session)
    return render(request, "planner/session_move.html", {"session": decorate(session), "form": form})


@profile_required
@require_http_methods(["GET", "POST"])
@replanned_meanwhile
def session_swap(request, pk):
    session = owned_session(request, pk)
    options = plans.swap_options(session, request.user.profile)
    chosen = catalogue.BY_ID.get(request.POST.get("variant", ""))
    if request.method == "POST" and chosen is not None and chosen.variant == session.variant:
        # Sent twice (a double tap, Back and send again): the swap is already made.
        messages.success(request, f"Swapped for {session.variant}.")
        return redirect_to_card(session)
    form = SwapForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        session.swap_for(form.options[form.cleaned_data["variant"]])
        messages.success(request, f"Swapped for {session.variant}.")
        return redirect_to_card(session)
    return render(request, "planner/session_swap.html", {"session": decorate(session), "form": form})


# How intervals of hard and easy parts should feel, shown instead of the session's band: one band for the
# whole session (a run/walk counts as brisk walking, "moderate", though its runs are hard; an older plan's
# was "vigorous" though most of it was walking)
# would contradict one of its parts. (part, how it feels), then what to do when it is too much.
HARD_PARTS_EFFORT = (
    ("Hard parts", "you breathe hard and can say only a few words."),
    ("Easy parts, warm-up and cool-down", "easy enough to chat: they give you your breath back."),
)
HARD_PARTS_ADVICE = "Slow down or make the easy parts longer whenever you need to."


@profile_required
@replanned_meanwhile
def session_page(request, pk):
    """The session step by step: the day, how hard, why, and the routine or intervals as a checklist that
    finishes with "mark it done"; planner/static/planner/session.js turns it into a guide with a timer."""
    session = decorate(owned_session(request, pk))
    routine = session.routine if isinstance(session.routine, dict) else {}
    items = steps.session_steps(
        activity=session.activity,
        minutes=session.minutes,
        routine=routine,
        intervals=session.intervals,
        variant=session.variant,
    )
    howto_urls = {}
    seen = set()
    groups = []
    for number, step in enumerate(items, 1):
        step["number"] = number
        move_id = step["move_id"]
        if move_id:
            move = moves.BY_ID.get(move_id)
            step["picture"] = static(f"planner/moves/{move_id}.svg")
            step["alt"] = move.alt if move else ""
            step["easier"] = move.easier if move else ""
            if move and move_id not in howto_urls:
                howto_urls[move_id] = move_page_url(move_id)
            step["howto"] = howto_urls.get(move_id)
            step["first"] = move_id not in seen
            seen.add(move_id)
        if step["kind"] == "rest" and groups:
            groups[-1]["steps"].append(step)
        elif groups and groups[-1]["part"] == step["part"]:
            groups[-1]["steps"].append(step)
        else:
            groups.append({"part": step["part"], "steps": [step]})
    intervals = any(step["kind"] == "interval" for step in items)
    hard_parts = intervals and steps.has_hard_parts(session.intervals)
    effort = HARD_PARTS_ADVICE if hard_parts else routine.get("effort")
    context = {
        "session": session,
        "day_heading": f"{session.date:%A} {session.date.day} {session.date:%B}",
        "effort": effort if isinstance(effort, str) else "",
        "effort_parts": HARD_PARTS_EFFORT if hard_parts else (),
        "steps": items,
        "groups": groups,
        "interval_pattern": steps.interval_summary(session.intervals, session.minutes) if intervals else "",
        "pool_note": steps.POOL_NOTE if intervals and session.activity == "swimming" else "",
        "stop_signs": steps.stop_signs(request.user.profile.health_flags),
        "is_done": session.status == PlannedSession.Status.DONE,
        # A session is ticked off on its day or after (not_yet): before it, the page says so, with no button.
        "not_before": session.date if session.date > request.user.profile.local_date() else None,
    }
    return render(request, "planner/session.html", context)


def move_page_url(move_id: str) -> str | None:
    """The move's page ("How to do it"), or None while no such page exists."""
    try:
        return reverse("move_detail", args=[move_id])
    except NoReverseMatch:
        return None


@onboarded_required
@require_http_methods(["GET", "POST"])
def log_session(request):
    """Something done without a plan: any day of the last seven (Sunday's walk, logged on Monday) that falls
    in a week with a plan; it counts toward that week."""
    profile = request.user.profile
    this_week = plans.plan_for_this_week(request.user)
    today = profile.local_date()
    earliest = today - datetime.timedelta(days=LOG_DAYS_BACK)
    if not Plan.objects.filter(user=request.user, week_start=plans.monday_of(earliest)).exists():
        earliest = max(earliest, this_week.week_start)
    form = LogSessionForm(request.POST or None, earliest=earliest, today=today)
    if request.method == "POST" and form.is_valid():
        details = {key: value for key, value in form.cleaned_data.items() if key != "submit_key"}
        plan = Plan.objects.get(user=request.user, week_start=plans.monday_of(details["date"]))
        if form.first_use(request.user):
            plans.log_unplanned_session(plan, **details)
        week = "this week" if plan == this_week else "last week"
        messages.success(request, f"Added to {week}. Every bit counts.")
        return redirect("dashboard")
    return render(request, "planner/log_session.html", {"form": form})


LOG_DAYS_BACK = 6  # today and the six days before: a week's worth, whatever the day


# --- History -----------------------------------------------------------------------------------------------


@onboarded_required
def history(request):
    profile = request.user.profile
    this_week = plans.monday_of(profile.local_date())
    weeks = list(
        plans.plans_with_totals(request.user).filter(week_start__lte=this_week).order_by("-week_start")
    )
    context = {
        "weeks": weeks,
        "chart": charts.weekly_minutes_chart(list(reversed(weeks)), plans.WHO_AEROBIC_MINUTES),
        "this_week": this_week,
    }
    return render(request, "planner/history.html", context)


@onboarded_required
def week_detail(request, week_start):
    plan = get_object_or_404(Plan, user=request.user, week_start=week_start)
    profile = request.user.profile
    context = week_context(plan, week_sessions(plan), profile, profile.local_date())
    return fragments.render_page(request, "planner/week.html", context)


# --- Calendar ----------------------------------------------------------------------------------------------


@onboarded_required
def calendar_page(request):
    profile = request.user.profile
    token = calendar.ensure_token(profile)
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    context = {
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "reset_form": OnceForm(),
    }
    return render(request, "planner/calendar.html", context)


@onboarded_required
@require_POST
def calendar_reset(request):
    once = OnceForm(request.POST)
    if once.is_valid() and once.first_use(request.user):  # pressed twice: one new link, not two
        calendar.reset_token(request.user.profile)
    messages.success(request, "Your calendar link is new. The old one no longer works.")
    return redirect("calendar")


def ics_response(body: bytes, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@onboarded_required
def calendar_download(request):
    profile = request.user.profile
    plan = plans.plan_for_this_week(request.user)
    sessions = list(plan.sessions.select_related("plan"))
    body = calendar.build_calendar(profile, sessions, f"Steady: week of {plan.week_start:%-d %B}")
    return ics_response(body, f"steady-week-{plan.week_start.isoformat()}.ics")


def calendar_feed(request, token):
    """The private feed: no login (calendar apps can't log in), the secret token is the key."""
    profile = get_object_or_404(Profile.objects.select_related("user"), calendar_token=token)
    if not token or not profile.is_onboarded:
        return HttpResponse(status=404)
    plans.plan_for_this_week(profile.user)
    sessions = calendar.feed_sessions(profile.user, profile.local_date())
    return ics_response(calendar.build_calendar(profile, sessions, "Steady"))


# --- The person's data -------------------------------------------------------------------------------------

SESSION_COLUMNS = [
    "date",
    "week_start",
    "activity",
    "variant",
    "category",
    "intensity",
    "met",
    "planned_minutes",
    "unplanned",
    "status",
    "actual_minutes",
    "effort",
    "mood_before",
    "mood_after",
    "skip_reason",
    "completed_at",
]


@login_required
def export_sessions_csv(request):
    """Every session of the person's, planned or logged, one row each (linked from the "Your data" page)."""
    sessions = (
        PlannedSession.objects.filter(plan__user=request.user).select_related("plan").order_by("date", "id")
    )
    rows = (
        [
            s.date.isoformat(),
            s.plan.week_start.isoformat(),
            s.activity,
            s.variant,
            s.category,
            s.intensity,
            s.met,
            s.minutes,
            s.unplanned,
            s.status,
            s.actual_minutes,
            s.effort,
            s.mood_before,
            s.mood_after,
            s.skip_reason,
            s.completed_at.isoformat() if s.completed_at else None,
        ]
        for s in sessions
    )
    return csv_response("sessions", SESSION_COLUMNS, rows)


# --- The library of moves ----------------------------------------------------------------------------------
# Public pages (general exercise information, no login): every move with its picture, and one page per move.


def moves_index(request):
    return render(request, "planner/moves.html", {"sections": move_pages.sections()})


def move_detail(request, move_id):
    move = moves.BY_ID.get(move_id)
    if move is None:
        raise Http404("No move with that name.")
    return render(request, "planner/move.html", {"move": move, "about": move_pages.detail(move)})
