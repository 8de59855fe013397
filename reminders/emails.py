"""What each reminder says: whether there is anything worth sending today (for both channels: email and
push), and the email itself (subject, text and HTML bodies, one-click unsubscribe headers). A push
notification's title is the email's subject (reminders/push.py).

The emails are rendered by Jinja2 (templates in reminders/jinja2/reminders/), which compiles a template to
Python once: a rush sends tens of thousands of them, and Django's template engine spent more time on one email
than sending it over SMTP takes. The HTML frame every email shares, templates/emails/_layout.html and
_button.html, is written in the syntax both engines read: allauth's emails render it with Django's templates,
reminders with Jinja2 (a test renders it both ways).
"""

import datetime
import functools

import jinja2
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template import engines
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, translation

from planner import plans
from planner.models import PlannedSession
from reminders.models import Delivery, EmailKind
from wellbeing import checkins

CHECKIN_AFTER_QUIET_DAYS = 7

UNSUBSCRIBE_SALT = "steady.email.unsubscribe"


def unsubscribe_token(user_id, kind):
    """A signed token naming the person and the kind of email, for the one-click unsubscribe link."""
    # No expiry: a link in an old email must still work.
    return signing.dumps({"user": user_id, "kind": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user_id, kind), or raise signing.BadSignature."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return data["user"], data["kind"]


def absolute(path):
    """The public URL of a path on this site (SITE_URL + path), for links in emails."""
    return settings.SITE_URL + path


@functools.cache
def templates() -> jinja2.Environment:
    """The Jinja2 environment reminder emails are rendered with: the project's "jinja2" engine (autoescape on,
    a misspelt name is an error, templates/ on its path for the shared email frame, a template's last newline
    kept as Django's templates keep it: config/settings.py) with Django's `date` filter
    (`day|date("l j F")`) and `effort_to_say` (`session|effort_to_say`)."""
    environment = engines["jinja2"].env.overlay()
    environment.filters = {**environment.filters, "date": date_filter, "effort_to_say": effort_to_say}
    return environment


def effort_to_say(session) -> str:
    """A session's intensity ("light", "moderate", "vigorous") to name beside it in an email, or "" when it
    has none or its variant already says it ("... (light effort)")."""
    intensity = session.intensity or ""
    return "" if intensity in (session.variant or "") else intensity


def date_filter(value, format_string) -> str:
    """Django's `date` filter: the date as `format_string` says ("l j F": "Monday 23 November"), in the
    active language. A day (not a moment) is remembered: everyone in a rush shares a few."""
    if type(value) is not datetime.date:
        return dateformat.format(value, format_string)
    return formatted_date(value, format_string, translation.get_language())


@functools.lru_cache(maxsize=256)
def formatted_date(value, format_string, language):
    """date_filter()'s answer for a day in the active `language` (part of the key only)."""
    return dateformat.format(value, format_string)


def render(template_name, context) -> str:
    """A reminder template (reminders/jinja2/<template_name>) rendered with `context`."""
    return templates().get_template(template_name).render(context)


def site_links() -> dict:
    """The public URLs every reminder links to: {"dashboard_url", "safety_url", "checkin_url"}, found once
    per SITE_URL, URL prefix and URLconf."""
    return _site_links(settings.SITE_URL, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=8)
def _site_links(site_url, script_prefix, urlconf):
    names = ("dashboard", "safety", "checkin")
    return {f"{name}_url": site_url + reverse(name, urlconf=urlconf) for name in names}


def build_message(delivery, context):
    """The email for one delivery; `context` is what email_context() found to say."""
    unsubscribe_url = absolute(
        reverse("email_unsubscribe", args=[unsubscribe_token(delivery.user_id, delivery.kind)])
    )
    links = site_links()
    context = {
        **context,
        "kind": delivery.kind,
        "user": delivery.user,
        "dashboard_url": links["dashboard_url"],
        "safety_url": links["safety_url"],
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    template = f"reminders/{delivery.kind}"
    message = EmailMultiAlternatives(
        subject=subject_for(delivery.kind, context),
        body=render(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # One Message-ID per delivery: if a copy ever went out twice, mail clients would show it once.
            "Message-ID": f"<steady.{delivery.kind}.{delivery.pk}@{message_id_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render(f"{template}.html", context), "text/html")
    return message


def subject_for(kind, context) -> str:
    """The one-line subject of this kind of reminder, from what email_context() found to say: "Today: 20 min
    brisk walk". Also a push notification's title, so a lock screen shows no more than an inbox does."""
    text = render(f"reminders/{kind}_subject.txt", context)
    return short_subject(" ".join(text.split()))


SUBJECT_LIMIT = 78  # what a phone's inbox shows whole, and RFC 5322's line length


def short_subject(subject: str) -> str:
    """The subject cut at a word to at most SUBJECT_LIMIT characters, with "…" when something was cut."""
    if len(subject) <= SUBJECT_LIMIT:
        return subject
    return subject[: SUBJECT_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;: ") + "…"


def message_id_domain():
    """The domain of the sender address, for Message-ID headers."""
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "steady.localhost"


def email_context(delivery, planned=None):
    """What the reminder says (by email or push), or None when there is nothing worth sending. `planned`:
    planned_sessions() of a batch the delivery is in, read beforehand (default: read now)."""
    if delivery.kind == EmailKind.WEEKLY_PLAN:
        return weekly_plan_context(delivery)
    if delivery.kind == EmailKind.SESSION_DAY:
        return session_day_context(delivery, planned)
    return checkin_context(delivery)


def planned_sessions(deliveries) -> dict:
    """The sessions still planned on the local day of each session-day reminder among `deliveries`, read in
    one query for a worker's batch: {(user id, date): [PlannedSession, ...]} (in the order of the day)."""
    session_days = [d for d in deliveries if d.kind == EmailKind.SESSION_DAY]
    if not session_days:
        return {}
    planned = {}
    sessions = PlannedSession.objects.filter(
        plan__user_id__in={d.user_id for d in session_days},
        date__in={d.local_date for d in session_days},
        status=PlannedSession.Status.PLANNED,
    ).annotate(owner_id=F("plan__user_id"))
    for session in sessions:
        planned.setdefault((session.owner_id, session.date), []).append(session)
    return planned


def coming_week(day):
    """The week a weekly email is about: the one starting that day if it is a Monday, else the next one."""
    return day if day.weekday() == 0 else plans.monday_of(day) + datetime.timedelta(days=7)


def weekly_plan_context(delivery):
    """The coming week's planned sessions (made now if need be) and whether a check-in is due, or None."""
    week_start = coming_week(delivery.local_date)
    plan = plans.plan_for_week(delivery.user, week_start)
    sessions = list(plan.sessions.filter(unplanned=False)) if plan else []
    if not sessions:
        return None
    return {
        "plan": plan,
        "sessions": sessions,
        "week_start": week_start,
        "checkin_due": checkins.checkin_due(delivery.user, delivery.local_date, delivery.user.profile),
        "checkin_url": site_links()["checkin_url"],
    }


def session_day_context(delivery, planned=None):
    """The sessions still planned for the delivery's local day (from `planned`, planned_sessions() of its
    batch, if given); None when there are none."""
    if planned is None:
        planned = planned_sessions([delivery])
    sessions = planned.get((delivery.user_id, delivery.local_date), [])
    if not sessions:
        return None
    for session in sessions:  # each session's own page guides through it step by step
        session.url = absolute(reverse("session_page", args=[session.pk]))
    return {"sessions": sessions, "day": delivery.local_date}


def checkin_context(delivery):
    """A gentle word when nothing has been ticked off for a week, at most once a week."""
    profile = delivery.user.profile
    quiet_since = delivery.local_date - datetime.timedelta(days=CHECKIN_AFTER_QUIET_DAYS)
    if profile.onboarded_at is None or profile.local_date(profile.onboarded_at) > quiet_since:
        return None
    # "A week" is the seven whole days before today, and today so far.
    done_lately = PlannedSession.objects.filter(
        plan__user=delivery.user, status=PlannedSession.Status.DONE, date__gte=quiet_since
    ).exists()
    # Today's own check-in by the other channel does not count: email and push go out together.
    checked_in_lately = Delivery.objects.filter(
        user=delivery.user,
        kind=EmailKind.CHECKIN,
        status=Delivery.Status.SENT,
        local_date__gt=quiet_since,
        local_date__lt=delivery.local_date,
    ).exists()
    if done_lately or checked_in_lately:
        return None
    return {"day": delivery.local_date}
