"""The imperative shell around the planner engine: read a person's profile and history, ask the engine for a
week, store it as a Plan with its PlannedSessions.

The engine (planner/engine.py) decides; this module only fetches and stores. The dashboard and the weekly
email call `plan_for_week`; the weekly roll-over calls `plan_weeks`, the same for a page of a few hundred
people at once (read in a fixed number of queries, stored in bulk); a change to the answers that shape a plan
(settings, a check-in's gentle switch) sends accounts.signals.plan_inputs_changed, and
`replan_after_inputs_changed` plans the rest of the week again.
"""

import datetime
import json
import logging
import marshal
import zoneinfo
from dataclasses import dataclass

from django.db import IntegrityError, connections, models, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.deletion import Collector
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst

from planner import catalogue, engine, page_cache, steps
from planner.engine import WHO_AEROBIC_MINUTES, WHO_BALANCE_DAYS, WHO_STRENGTH_DAYS
from planner.models import Plan, PlannedSession, RemovedSession
from steady.vocabulary import ACTIVITY_NAMES, EQUIPMENT, WEEKDAYS, activity_name

log = logging.getLogger(__name__)

HISTORY_WEEKS = 12  # the engine looks back this far; older weeks don't change next week's plan

# The talk test (docs/evidence.md, "Intensity"), the plainest way to say how hard a session should feel.
INTENSITY_WORDS = {
    "light": "Easy: you can talk and sing",
    "moderate": "Moderate: you can talk, but not sing",
    "vigorous": "Hard: only a few words before you need a breath",
}


# --- Dates and time zones ----------------------------------------------------------------------------------


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


# Where a week begins first: UTC+14, the Line Islands of Kiribati (POSIX zone names invert the sign).
FIRST_ZONE = zoneinfo.ZoneInfo("Etc/GMT-14")


def newest_week_begun(now: datetime.datetime) -> datetime.date:
    """The Monday of the newest week that has begun anywhere at `now` (aware). Everyone's own week is this
    one, or, for the 26 hours between its beginning at UTC+14 and at UTC-12, the week before."""
    return monday_of(now.astimezone(FIRST_ZONE).date())


# --- History, as the engine wants it -----------------------------------------------------------------------

# Moderate-equivalent aerobic minutes: moderate counts once, vigorous twice, light and non-aerobic not at all.
_AEROBIC_WEIGHT = Case(
    When(sessions__category="aerobic", sessions__intensity="vigorous", then=Value(2)),
    When(sessions__category="aerobic", sessions__intensity="moderate", then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)
_DONE = Q(sessions__status=PlannedSession.Status.DONE)


def plans_with_totals(user):
    """The person's plans, each annotated with what was planned and what was done, in one query."""
    return with_totals(Plan.objects.filter(user=user))


def with_totals(plans):
    """A queryset of plans, each annotated with what was planned and what was done (one query)."""
    done_minutes = Coalesce("sessions__actual_minutes", "sessions__minutes")
    return plans.annotate(
        planned_minutes=Coalesce(
            Sum(F("sessions__minutes") * _AEROBIC_WEIGHT, filter=Q(sessions__unplanned=False)), 0
        ),
        completed_minutes=Coalesce(Sum(done_minutes * _AEROBIC_WEIGHT, filter=_DONE), 0),
        planned_sessions=Count("sessions", filter=Q(sessions__unplanned=False)),
        completed_sessions=Count("sessions", filter=_DONE),
        # For the history page: the plan's own sessions done, and sessions done beside it (logged).
        planned_sessions_done=Count("sessions", filter=_DONE & Q(sessions__unplanned=False)),
        logged_sessions_done=Count("sessions", filter=_DONE & Q(sessions__unplanned=True)),
        strength_days_done=Count(
            "sessions__date", filter=_DONE & Q(sessions__category="strength"), distinct=True
        ),
        # Clock minutes of vigorous aerobic sessions done: the engine steps intensity up from these (rule 19).
        vigorous_minutes=Coalesce(
            Sum(done_minutes, filter=_DONE & Q(sessions__category="aerobic", sessions__intensity="vigorous")),
            0,
        ),
    )


HISTORY_FIELDS = (
    "planned_minutes",
    "completed_minutes",
    "planned_sessions",
    "completed_sessions",
    "vigorous_minutes",
    "strength_days_done",
)


def _history_rows(plans, week_start: datetime.date):
    """The plans' weeks that the engine reads as history for week_start, as dicts (user_id, week_start and
    HISTORY_FIELDS). Part weeks (planned from their middle, see Plan.planned_from) are left out: their few
    minutes would read as a small week and hold the next one back, though the person did what was asked."""
    since = week_start - datetime.timedelta(weeks=HISTORY_WEEKS)
    return (
        with_totals(plans)
        .filter(week_start__lt=week_start, week_start__gte=since, planned_from__isnull=True)
        .values("user_id", "week_start", *HISTORY_FIELDS)
    )


def _history_week(row: dict) -> dict:
    return {"week_start": row["week_start"].isoformat(), **{field: row[field] for field in HISTORY_FIELDS}}


def engine_history(user, week_start: datetime.date) -> list[dict]:
    """The last few weeks before week_start, oldest first, in the shape of the engine's `history`."""
    rows = _history_rows(Plan.objects.filter(user=user), week_start).order_by("week_start")
    return [_history_week(row) for row in rows]


def engine_histories(user_ids, week_start: datetime.date) -> dict[int, list[dict]]:
    """engine_history for many people in one query: {user_id: weeks, oldest first}; no key for people
    without any."""
    histories = {}
    rows = _history_rows(Plan.objects.filter(user_id__in=user_ids), week_start).order_by(
        "user_id", "week_start"
    )
    for row in rows:
        histories.setdefault(row["user_id"], []).append(_history_week(row))
    return histories


def is_gentle(profile) -> bool:
    """Gentle weeks: the person's own choice, or a check-in that suggested support (wellbeing/checkins.py)."""
    return profile.prefers_gentle or profile.gentle_until_next_checkin


def engine_profile(profile, week_start: datetime.date, history: list[dict]) -> dict:
    return {
        "week_start": week_start.isoformat(),
        "age": profile.age,
        # Asked as clock minutes, some of them hard: vigorous minutes count twice (WHO 2020).
        "current_minutes_per_week": min(
            profile.current_minutes_per_week + profile.current_vigorous_minutes, 2000
        ),
        "current_vigorous_minutes": min(profile.current_vigorous_minutes, 2000),
        "strength_days_now": min(profile.strength_days_now, 7),
        "preferences": [activity for activity in profile.preferences if activity in ACTIVITY_NAMES],
        "available_days": [day for day in WEEKDAYS if day in profile.available_days] or list(WEEKDAYS),
        "max_minutes_per_day": max(10, min(profile.max_minutes_per_day, 240)),
        "health_flags": list(profile.health_flags),
        "prefers_gentle": is_gentle(profile),
        "gentle_reason": "asked" if profile.prefers_gentle else "checkin",
        "equipment": [item for item in EQUIPMENT if item in profile.equipment],
        "cleared_by_professional": profile.cleared_by_professional_on is not None,
        "history": history,
    }


def engine_plan(user, week_start: datetime.date, first_day: datetime.date | None = None) -> dict:
    """What the engine plans for the person's week, from their profile and the weeks before it."""
    profile = engine_profile(user.profile, week_start, engine_history(user, week_start))
    return engine.make_plan(profile, first_day)


# --- Storing plans -----------------------------------------------------------------------------------------


PLAN_FIELDS = (
    "target_aerobic_minutes",
    "target_strength_days",
    "target_balance_days",
    "meets_who_guideline",
    "notes",
)


def _plan_fields(result: dict) -> dict:
    target = result["target"]
    return {
        "target_aerobic_minutes": target["aerobic_moderate_equivalent_minutes"],
        "target_strength_days": target["strength_days"],
        "target_balance_days": target["balance_days"],
        "meets_who_guideline": result["meets_who_guideline"],
        "notes": list(result.get("notes", [])),
    }


def _sessions(plan: Plan, engine_sessions: list[dict]) -> list[PlannedSession]:
    return [PlannedSession(plan=plan, **_session_fields(session)) for session in engine_sessions]


def _session_fields(session: dict) -> dict:
    """A PlannedSession's fields for one of the engine's sessions."""
    return {
        "date": datetime.date.fromisoformat(session["date"]),
        "activity": session["activity"],
        "variant": session["variant"],
        "compendium_code": session["compendium_code"],
        "category": session["category"],
        "intensity": session["intensity"],
        "met": session["met"],
        "minutes": session["minutes"],
        "why": session.get("why", ""),
        "routine": session.get("routine"),
        "intervals": session.get("intervals"),
    }


def plan_for_week(user, week_start: datetime.date) -> Plan:
    """The person's plan for the week starting on week_start (a Monday), made by the engine if there is none
    (and settled, if it was made ahead of a week that has now begun).

    Safe to call from several processes at once: the unique (user, week_start) constraint lets one of them
    store the plan and the others read it.
    """
    try:
        plan = Plan.objects.get(user=user, week_start=week_start)
    except Plan.DoesNotExist:
        plan = None
    today = user.profile.local_date()
    if plan is not None:
        return settle(user, plan) if plan.provisional and week_start <= today else plan
    # A week already under way (a first visit after Monday) is planned from today: see engine.rest_of_week.
    first_day = today if week_start < today else None
    result = engine_plan(user, week_start, first_day)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                user=user,
                week_start=week_start,
                planned_from=first_day,
                provisional=week_start > today,
                **_plan_fields(result),
            )
            PlannedSession.objects.bulk_create(_sessions(plan, result["sessions"]))
    except IntegrityError:
        plan = Plan.objects.get(user=user, week_start=week_start)
    return plan


def plan_and_sessions_for_week(user, week_start: datetime.date) -> tuple[Plan, list[PlannedSession]]:
    """(plan_for_week(user, week_start), its sessions by date) for the week's page: the sessions hold the
    fields the page shows, the others are read only if asked for (PLAN_SESSIONS_SQL).

    Two queries for a plan that needs nothing done (the page after each change); a missing or provisional
    plan is left to plan_for_week. The statements are written out: the page is rendered afresh after every
    change, and Django takes longer to build these two than the database takes to run them (and sorting a
    week's sessions here costs less than an ORDER BY).
    """
    plan = next(iter(Plan.objects.raw(WEEK_PLAN_SQL, [user.pk, week_start])), None)
    if plan is None or (plan.provisional and week_start <= user.profile.local_date()):
        plan = plan_for_week(user, week_start)
    sessions = list(PlannedSession.objects.raw(PLAN_SESSIONS_SQL, [plan.pk]))
    for session in sessions:
        session.plan = plan  # each session's plan, as select_related would give it
    return plan, sorted(sessions, key=lambda s: (s.date, s.pk))


WEEK_PLAN_SQL = "SELECT * FROM planner_plan WHERE user_id = %s AND week_start = %s"
# What the week's cards and progress read; the rest (a routine's 2 KB of JSON above all) is left unread, and
# read on demand if used (a query per session: the page's fixed query count, in its tests, would show it).
PLAN_SESSIONS_SQL = (
    "SELECT id, plan_id, date, activity, variant, category, intensity, minutes, why, unplanned, status,"
    " actual_minutes, skip_reason FROM planner_plannedsession WHERE plan_id = %s"
)


def settle(user, plan: Plan) -> Plan:
    """A plan made ahead of its week, now begun: made again from the whole of the week before.

    The weekly email is sent before the week it shows (Sunday evening by default, any day the person chooses),
    so its plan was made while the week before still had days to go: what was done after that, or a change
    of preferences, would otherwise never reach it. Sessions are replaced only if the engine now plans
    differently and nothing in the week has been done, skipped or logged yet.
    """
    result = engine_plan(user, plan.week_start)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if not plan.provisional:
            return plan  # settled by another process meanwhile
        untouched = not plan.sessions.exclude(status=PlannedSession.Status.PLANNED, unplanned=False).exists()
        if untouched:
            new_sessions = _sessions(plan, result["sessions"])
            if _session_keys(new_sessions) != _session_keys(plan.sessions.all()):
                remove(user, plan.sessions.all())
                PlannedSession.objects.bulk_create(new_sessions)
            for field, value in _plan_fields(result).items():
                setattr(plan, field, value)
        plan.provisional = False
        plan.save()
    return plan


def _session_keys(sessions) -> list[tuple]:
    return sorted(
        (
            s.date,
            s.activity,
            s.variant,
            s.category,
            s.intensity,
            s.minutes,
            # PostgreSQL's jsonb keeps keys in an order of its own: compare one canonical form.
            json.dumps(s.routine, sort_keys=True),
            json.dumps(s.intervals, sort_keys=True),
        )
        for s in sessions
    )


# --- Many people at once (the weekly roll-over) -------------------------------------------------------------


@dataclass
class WeekPlans:
    """What plan_weeks did, as lists of user ids."""

    made: list[int]
    settled: list[int]
    failed: list[int]  # the engine refused their profile (ProfileError, logged); plan_for_week would raise


def plan_weeks(profiles, week_start: datetime.date, now: datetime.datetime | None = None) -> WeekPlans:
    """plan_for_week for a page of people at once, with the same plans: made by the engine in memory and
    stored in bulk. For each person, as plan_for_week: a plan is made if there is none (from `now`'s local
    date on, if the week is under way), a plan made ahead of a week that has begun is settled, any other plan
    is left as it is.

    `profiles` are accounts Profiles (a few hundred: the roll-over's page); `now` (aware, default now) decides
    each person's local date. Queries: a fixed number whatever the count (plans of the week, the provisional
    ones locked until the caller's transaction ends, their sessions, the history, then the writes), so it
    must run inside a transaction (transaction.atomic). Two of these, or one and the dashboard, may plan the
    same person at the same moment: the unique (user, week_start) lets one store the plan, as in
    plan_for_week. Raises what the database raises; a profile the engine refuses (ProfileError) is logged and
    listed in `failed`, the others are planned.
    """
    now = now or timezone.now()
    by_user = {profile.user_id: profile for profile in profiles}
    dates = {}  # one local date per time zone name
    today = {
        user_id: dates.get(profile.timezone) or dates.setdefault(profile.timezone, profile.local_date(now))
        for user_id, profile in by_user.items()
    }
    existing = dict(
        Plan.objects.filter(user_id__in=by_user, week_start=week_start).values_list("user_id", "provisional")
    )
    to_make = [user_id for user_id in by_user if user_id not in existing]
    to_settle = [
        user_id for user_id, provisional in existing.items() if provisional and week_start <= today[user_id]
    ]
    ahead = []
    if to_settle:  # FOR NO KEY UPDATE, as settle's lock: logging a session into the plan is not held up
        ahead = list(
            Plan.objects.select_for_update(no_key=True)
            .filter(user_id__in=to_settle, week_start=week_start, provisional=True)
            .order_by("pk")
        )
    histories = engine_histories([*to_make, *(plan.user_id for plan in ahead)], week_start)
    outcome = WeekPlans(made=[], settled=[], failed=[])

    def engine_result(user_id, first_day=None):
        profile = engine_profile(by_user[user_id], week_start, histories.get(user_id, []))
        try:
            return engine.make_plan(profile, first_day)
        except engine.ProfileError as error:
            log.error("no plan for user %s for the week of %s: %s", user_id, week_start, error)
            outcome.failed.append(user_id)
            return None

    new_plans = []
    for user_id in to_make:
        first_day = today[user_id] if week_start < today[user_id] else None
        result = engine_result(user_id, first_day)
        if result is not None:
            new_plans.append((user_id, first_day, result))
    made = _insert_plans(
        [
            (
                {
                    "user_id": user_id,
                    "week_start": week_start,
                    "planned_from": first_day,
                    "provisional": week_start > today[user_id],
                    **_plan_fields(result),
                },
                result["sessions"],
            )
            for user_id, first_day, result in new_plans
        ],
        week_start,
    )
    new_sessions = [
        {"plan_id": plan["id"], **_session_fields(session)} for plan, sessions in made for session in sessions
    ]
    outcome.made = [plan["user_id"] for plan, _ in made]

    sessions_of = {}
    for session in PlannedSession.objects.filter(plan__in=ahead) if ahead else ():
        sessions_of.setdefault(session.plan_id, []).append(session)
    removed, settled = [], []
    for plan in ahead:
        result = engine_result(plan.user_id)
        if result is None:
            continue
        sessions = sessions_of.get(plan.pk, [])
        # What settle() does for one plan: sessions replaced only if nothing in the week is done yet.
        if all(s.status == PlannedSession.Status.PLANNED and not s.unplanned for s in sessions):
            fresh = [_session_fields(session) for session in result["sessions"]]
            if _session_keys(PlannedSession(**fields) for fields in fresh) != _session_keys(sessions):
                for session in sessions:
                    session.plan = plan  # the delete's signals read it: no query per session
                removed.extend(sessions)
                new_sessions.extend({"plan_id": plan.pk, **fields} for fields in fresh)
            for field, value in _plan_fields(result).items():
                setattr(plan, field, value)
        plan.provisional = False
        plan.updated_at = timezone.now()
        settled.append(plan)
    if removed:  # as remove() does, for the sessions loaded above
        RemovedSession.objects.bulk_create(
            RemovedSession(user_id=session.plan.user_id, session_id=session.pk) for session in removed
        )
        collector = Collector(using=PlannedSession.objects.db)
        collector.collect(removed)
        collector.delete()
    insert_rows(PlannedSession, new_sessions)
    Plan.objects.bulk_update(settled, [*PLAN_FIELDS, "provisional", "updated_at"], batch_size=500)
    outcome.settled = [plan.user_id for plan in settled]
    page_cache.changed_many([*outcome.made, *outcome.settled])
    return outcome


def _insert_plans(plans: list[tuple[dict, list[dict]]], week_start) -> list[tuple[dict, list[dict]]]:
    """Insert the plans (their fields, and the engine's sessions that go with each); those whose person got
    a plan for the week meanwhile (the dashboard, at the same moment) are left out. Returns the inserted
    plans, their fields with their new "id", and their sessions."""
    while plans:
        try:
            with transaction.atomic():
                insert_rows(Plan, [fields for fields, _ in plans], with_ids=True)
            return plans
        except IntegrityError:
            user_ids = [fields["user_id"] for fields, _ in plans]
            taken = set(
                Plan.objects.filter(user_id__in=user_ids, week_start=week_start).values_list(
                    "user_id", flat=True
                )
            )
            if not taken:
                raise
            log.info(
                "%s people got their plan for the week of %s meanwhile: left out", len(taken), week_start
            )
            plans = [(fields, sessions) for fields, sessions in plans if fields["user_id"] not in taken]
    return []


# Field types whose Python values psycopg writes as Django would: the others go through get_db_prep_save.
_PLAIN_FIELDS = (
    models.BooleanField,
    models.CharField,
    models.DateField,  # and DateTimeField
    models.ForeignKey,
    models.IntegerField,  # and the other integer fields
    models.TextField,
)


def insert_rows(model, rows: list[dict], with_ids: bool = False) -> None:
    """Insert new rows of `model`, each a dict of field attnames ("plan_id") and values; the fields left out
    take their defaults (auto_now ones: now). With `with_ids`, each row's "id" is set to its new id.

    What bulk_create writes, but on PostgreSQL with COPY, which takes a roll-over page's thousands of
    sessions several times faster (bulk_create writes every value into its statement's text, and builds a
    model instance for each row); values go through get_db_prep_save where psycopg's own conversion is not
    Django's (JSON, decimals), and ids are taken from the table's sequence first. Raises IntegrityError as
    bulk_create does. On other databases, bulk_create.
    """
    if not rows:
        return
    database = connections[model.objects.db]
    pk = model._meta.pk
    if database.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
        for row, instance in zip(rows, created, strict=True):
            row[pk.attname] = instance.pk
        return
    table = model._meta.db_table
    if with_ids:
        with database.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            for row, (new_id,) in zip(rows, cursor.fetchall(), strict=True):
                row[pk.attname] = new_id
    fields = [field for field in model._meta.concrete_fields if with_ids or field is not pk]
    now = timezone.now()
    columns = []  # (attname, conversion, the converted default)
    for field in fields:
        convert = _to_database(field, database)
        auto_now = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        columns.append((field.attname, convert, convert(now if auto_now else field.get_default())))
    names = ", ".join(database.ops.quote_name(field.column) for field in fields)
    copy_sql = f"COPY {database.ops.quote_name(table)} ({names}) FROM STDIN"
    with database.wrap_database_errors, database.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(
                [convert(row[name]) if name in row else default for name, convert, default in columns]
            )


def _to_database(field, database):
    """What insert_rows writes for a field's value: the value itself where psycopg converts it as Django
    would, JSON as its text (which PostgreSQL reads as the jsonb Django would have written: a page's
    routines are thousands of values, and Django's adapter wraps each for psycopg to encode), else the
    field's get_db_prep_save (decimals), worked out once per value. The values must be hashable, as
    insert_rows' callers give them."""
    if isinstance(field, _PLAIN_FIELDS):
        return lambda value: value
    if isinstance(field, models.JSONField):
        return json_text(field.encoder)
    prepared = {}  # (type, value): the same few values (a session's MET, a decimal) come again and again

    def convert(value):
        key = (type(value), value)
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(value, database)
        return prepared[key]

    return convert


def json_text(encoder=None):
    """A function giving a value's JSON text (None for None), as json.dumps(value, cls=encoder), that writes
    each distinct value once: a page's strength routines are a few dozen kinds of some 2 KB each, repeated
    hundreds of times. Values are told apart by their marshal bytes, several times quicker to make than the
    JSON, and equal only for equal values (marshal.loads gives the value back); a value marshal cannot
    write is encoded as it comes."""
    texts = {}

    def convert(value):
        if value is None:
            return None
        try:
            key = marshal.dumps(value)
        except ValueError:
            return json.dumps(value, cls=encoder)
        text = texts.get(key)
        if text is None:
            text = texts[key] = json.dumps(value, cls=encoder)
        return text

    return convert


def plan_for_this_week(user, now: datetime.datetime | None = None) -> Plan:
    return plan_for_week(user, monday_of(user.profile.local_date(now)))


def replan_after_inputs_changed(sender, user, today: datetime.date, **kwargs) -> None:
    """Receives accounts.signals.plan_inputs_changed (connected in PlannerConfig.ready()): this week planned
    again from `today`; and, late on a Sunday where the person lives while the coming week has begun further
    east, that week's plan made ahead (plan_for_week: provisional, settled once it begins), since its weekly
    roll-over page may have been done before they finished onboarding (reminders/rollover.py)."""
    replan_rest_of_week(user, today)
    coming = newest_week_begun(timezone.now())
    if coming > monday_of(today):
        plan_for_week(user, coming)


# What a re-plan may change in a session it keeps; the activity only when the person did not choose it.
PLANNED_FIELDS = ("category", "intensity", "minutes", "routine", "intervals")
ACTIVITY_FIELDS = ("activity", "variant", "compendium_code", "met", "why")


def replan_rest_of_week(user, today: datetime.date) -> Plan:
    """Plan again from `today` to Sunday after the person changed what shapes the plan (settings, a check-in).

    Nothing the person did or chose is lost, and sessions keep their ids (tabs and calendars opened before
    still find them) wherever the new plan still holds them:
    - done, skipped and logged sessions stay as they are, and a day that has one gets nothing new;
    - a planned session from today on that the new plan has again (the same kind on the same day, or for a
      session the person moved, the same kind on any day of the week) is updated in place and keeps its
      day, and an activity the person swapped to when it still has the new plan's intensity;
    - planned sessions the new plan no longer has go, and new ones are added.
    The plan's targets never claim more than the week now holds (rule 15).
    """
    week_start = monday_of(today)
    if not Plan.objects.filter(user=user, week_start=week_start).exists():
        return plan_for_week(user, week_start)
    result = engine_plan(user, week_start)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(user=user, week_start=week_start)
        later = list(plan.sessions.filter(date__gte=today))
        open_sessions = [s for s in later if s.status == PlannedSession.Status.PLANNED and not s.unplanned]
        kept_days = {s.date for s in later if s not in open_sessions}
        if is_gentle(user.profile):
            result["sessions"] = engine.within_clock_minutes(
                result["sessions"], today, gentle_minutes_left(plan, open_sessions, result)
            )
        updated, created, unmatched, used = [], [], [], []

        def keep(session, fresh):  # the kept session takes the new plan's dose; its day stays its own
            open_sessions.remove(session)
            used.append(fresh)
            keep_choice = session.swapped and session.intensity == fresh.intensity
            for field in PLANNED_FIELDS + (() if keep_choice else ACTIVITY_FIELDS):
                setattr(session, field, getattr(fresh, field))
            session.swapped = keep_choice
            updated.append(session)

        fresh_sessions = [f for f in _sessions(plan, result["sessions"]) if f.date >= today]
        for moved in [s for s in open_sessions if s.moved]:  # the person's choice first: it keeps its day
            fresh = min(
                (f for f in fresh_sessions if f.category == moved.category and f not in used),
                key=lambda f: moved_match_order(f, moved, open_sessions),
                default=None,
            )
            if fresh:
                keep(moved, fresh)
        for fresh in [f for f in fresh_sessions if f not in used]:  # the same day and kind of session
            same = next(
                (s for s in open_sessions if (s.date, s.category) == (fresh.date, fresh.category)), None
            )
            if same:
                keep(same, fresh)
            else:
                unmatched.append(fresh)
        for fresh in unmatched:
            if fresh not in used and fresh.date not in kept_days:
                created.append(fresh)
        remove(user, PlannedSession.objects.filter(pk__in=[s.pk for s in open_sessions]))
        PlannedSession.objects.bulk_update(updated, [*PLANNED_FIELDS, *ACTIVITY_FIELDS, "swapped"])
        PlannedSession.objects.bulk_create(created)
        for field, value in _plan_fields(result).items():
            setattr(plan, field, value)
        hold_to_what_the_week_holds(plan, user.profile.age)
        plan.save()  # also tells the kept dashboard page (bulk writes send no signals)
    return plan


def gentle_minutes_left(plan: Plan, open_sessions: list[PlannedSession], result: dict) -> int:
    """A week re-planned gentle after it began takes no more time than it had left (G): the aerobic clock
    minutes of its open sessions from today, and no more than the new target less what is done already
    (a vigorous minute done counts twice, rule 4)."""
    left = sum(s.minutes for s in open_sessions if s.category == "aerobic" and s.intensity != "light")
    done = counts(s for s in plan.sessions.all() if s.status == PlannedSession.Status.DONE)[0]
    return min(left, max(0, result["target"]["aerobic_moderate_equivalent_minutes"] - done))


def moved_match_order(fresh, moved, open_sessions) -> tuple:
    """Which of the new plan's sessions a moved session takes the place of, best first: the one on its own
    day; then one on a day with no session of its kind to keep; then the one on the day whose session is the
    newest (an earlier re-plan's addition, not a choice of the person's), which then goes."""
    on_that_day = [s.pk for s in open_sessions if (s.date, s.category) == (fresh.date, fresh.category)]
    return (fresh.date != moved.date, bool(on_that_day), -max(on_that_day, default=0))


def remove(user, sessions) -> None:
    """Delete sessions a re-plan no longer has, noting their ids (RemovedSession) for stale clicks."""
    ids = list(sessions.values_list("pk", flat=True))
    RemovedSession.objects.bulk_create(RemovedSession(user=user, session_id=pk) for pk in ids)
    PlannedSession.objects.filter(pk__in=ids).delete()


def forget_removed_sessions(now: datetime.datetime, keep=datetime.timedelta(weeks=2)) -> int:
    """Forget ids of sessions re-planned away more than `keep` ago (their weeks are over); how many."""
    return RemovedSession.objects.filter(removed_at__lt=now - keep).delete()[0]


def counts(sessions) -> tuple[int, int, int]:
    """(moderate-equivalent aerobic minutes, strength days, balance days) of the sessions, counted as rule 4
    counts them; a done session counts the minutes actually done."""
    sessions = list(sessions)
    minutes = sum(
        engine.moderate_equivalent(s.category, s.intensity, s.actual_minutes or s.minutes) for s in sessions
    )
    strength_days = len({s.date for s in sessions if s.category == "strength"})
    balance_days = len({s.date for s in sessions if s.category == "balance"})
    return minutes, strength_days, balance_days


def hold_to_what_the_week_holds(plan: Plan, age: int | None) -> None:
    """Cap the plan's targets at what its sessions, skipped ones aside, now hold (rule 15), and say whether
    that meets the WHO guideline (rule 8)."""
    minutes, strength, balance = counts(
        s for s in plan.sessions.all() if s.status != PlannedSession.Status.SKIPPED
    )
    plan.target_aerobic_minutes = min(plan.target_aerobic_minutes, minutes)
    plan.target_strength_days = min(plan.target_strength_days, strength)
    plan.target_balance_days = min(plan.target_balance_days, balance)
    plan.meets_who_guideline = age is not None and engine.meets_who_guideline(minutes, strength, balance, age)


# --- Progress ----------------------------------------------------------------------------------------------


@dataclass
class Measure:
    label: str
    done: int
    target: int
    unit: str  # "minutes" or "days"

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 0  # nothing asked: no bar to fill (a full green bar would claim something was reached)
        return min(100, round(100 * self.done / self.target))

    @property
    def reached(self) -> bool:
        return self.target > 0 and self.done >= self.target

    @property
    def summary(self) -> str:
        """ "20 of 150 minutes", "1 of 1 day ✓": the words next to the bar."""
        unit = "day" if self.unit == "days" and self.target == 1 else self.unit
        return f"{self.done} of {self.target} {unit}" + (" ✓" if self.reached else "")


def week_progress(plan: Plan, sessions: list[PlannedSession], age: int | None) -> dict:
    """What is done this week, against the week's own target and against the WHO guideline."""
    done = [session for session in sessions if session.status == PlannedSession.Status.DONE]
    minutes, strength_days, balance_days = counts(done)
    week = [Measure("Active minutes", minutes, plan.target_aerobic_minutes, "minutes")]
    if plan.target_strength_days:
        week.append(Measure("Strength days", strength_days, plan.target_strength_days, "days"))
    if plan.target_balance_days:
        week.append(Measure("Balance days", balance_days, plan.target_balance_days, "days"))
    who = [
        Measure("Active minutes", minutes, WHO_AEROBIC_MINUTES, "minutes"),
        Measure("Strength days", strength_days, WHO_STRENGTH_DAYS, "days"),
    ]
    who_balance = age is not None and engine.is_older_adult(age)
    if who_balance:
        who.append(Measure("Balance days", balance_days, WHO_BALANCE_DAYS, "days"))
    return {"week": week, "who": who, "who_balance": who_balance, "done_sessions": len(done)}


# --- Swaps and logged sessions -----------------------------------------------------------------------------


def catalogue_variants() -> list[dict]:
    """Every form of every activity the catalogue knows, as dicts shaped like the engine's sessions."""
    return [
        {
            "key": row.id,
            "activity": row.family,
            "variant": row.variant,
            "compendium_code": row.compendium_code,
            "category": row.category,
            "met": row.met,
            "intensity": row.intensity,
            "why": row.mood,
        }
        for row in catalogue.ACTIVITIES
    ]


# Strength and balance sessions carry a routine chosen for the person (rules 16 and 17): no activity swap.
ROUTINE_CATEGORIES = ("strength", "balance")


def engine_rows_for(person: engine.Profile) -> set[str]:
    """The catalogue rows the engine itself could plan as an aerobic session for this person: the families
    it allows them (rule 3, walking for running while vigorous is not allowed, rule 17's floor work left
    out), at the levels it uses for them (gentle people and health answers stay at easy and steady), the
    exercise bike with dizziness, vigorous rows only for people it allows vigorous activity (rule 6)."""
    vigorous_ok = engine.may_do_vigorous(person)
    hard_easy = engine.hard_easy_families(person, vigorous_ok)
    families = set(engine.aerobic_families(person, vigorous_ok)) | {"walking"}
    gentle = person.prefers_gentle or bool(person.health_flags)
    levels = ("easy", "steady") if gentle else ("easy", "steady", "brisk")
    rows = set()
    for family in families:
        family_levels = catalogue.AEROBIC_LEVELS[family]
        for level in levels:
            if level in family_levels:
                dizzy_bike = engine.is_dizzy(person) and family == "cycling"
                rows.add(catalogue.DIZZY_CYCLING[level] if dizzy_bike else family_levels[level])
        # While hard sessions are new (a step-up stage), and in pregnancy, the engine plans their form with
        # hard and easy parts in turn (catalogue.STEP_UP_INTERVALS) instead.
        if family in hard_easy:
            rows.add(catalogue.STEP_UP_INTERVALS[family][0])
        elif vigorous_ok and "vigorous" in family_levels:
            rows.add(family_levels["vigorous"])
    if engine.is_careful(person):
        rows = {row for row in rows if not catalogue.BY_ID[row].floor_work}
    return rows


def swap_options(session: PlannedSession, profile=None) -> list[dict]:
    """What the engine itself could plan for this person in this slot: an aerobic session of the same
    intensity, from the families and levels it allows them (engine_rows_for), their preferences first.

    Strength and balance sessions carry a routine chosen for the person, so they have no activity swap (each
    move has an easier version instead), and other sessions (a gentle yoga session) only what the engine
    could plan. `profile` is the person's Profile (accounts); without it, the session owner's."""
    if session.category != "aerobic":
        return []
    if profile is None or not hasattr(profile, "preferences") or not hasattr(profile, "user"):
        profile = session.plan.user.profile
    week_start = session.plan.week_start
    person = engine.validate_profile(
        engine_profile(profile, week_start, engine_history(profile.user, week_start))
    )
    allowed = engine_rows_for(person)
    suffix = ", in a pool with a lifeguard on duty" if engine.is_dizzy(person) else ""
    # Slow lengths come with rests at the wall as the engine plans them (aerobic_session) for anyone not yet
    # at the brisk level (people at the guideline swim them continuously).
    gentle = person.prefers_gentle or bool(person.health_flags)
    rests = engine.aerobic_level(session.plan.target_aerobic_minutes, gentle) != "brisk"
    options = []
    for variant in catalogue_variants():
        if variant["key"] not in allowed:
            continue
        if variant["activity"] == "swimming":
            variant["variant"] += suffix
        if variant["intensity"] == session.intensity and variant["variant"] != session.variant:
            if variant["key"] in catalogue.HARD_AND_EASY_ROWS:
                # Hard parts only in place of hard parts: the week keeps its spacing of harder days.
                if not steps.has_hard_parts(session.intervals):
                    continue
                stage = engine.hard_easy_stage(person)
                variant["intervals"] = engine.intervals(variant["activity"], stage, 0)
            elif rests and variant["key"] == catalogue.AEROBIC_LEVELS["swimming"]["steady"]:
                variant["intervals"] = engine.intervals("swimming", None, engine.swim_stage(person))
            options.append(variant)
    preferences = person.preferences
    options.sort(key=lambda v: (v["activity"] not in preferences, v["activity"], v["met"]))
    for option in options:
        option["label"] = capfirst(option["variant"])  # "Salsa or cultural dancing": it names the family
    return options


def log_unplanned_session(
    plan: Plan, activity: str, date: datetime.date, minutes: int, intensity: str
) -> PlannedSession:
    """A session the person did without it being planned ("I went for a walk"); it counts toward the week.

    It is named as the family's own row for that effort (catalogue.AEROBIC_LEVELS: moderate is its steady,
    then brisk row; vigorous its vigorous row; light its easy row), when that row has the effort: a logged
    hard run is a jog, not jog and walk intervals, and a moderate swim lengths, not water aerobics. Otherwise
    the family's first row of that effort, or its first row. Never a row of intervals (run/walk, hard and
    easy pedalling, fast and slow lengths): a logged session has no intervals to show."""
    levels = {"light": ("easy",), "moderate": ("steady", "brisk"), "vigorous": ("vigorous",)}[intensity]
    matching = [
        v
        for v in catalogue_variants()
        if v["activity"] == activity and v["key"] not in catalogue.HARD_AND_EASY_ROWS
    ]
    same_intensity = [v for v in matching if v["intensity"] == intensity]
    own = [catalogue.AEROBIC_LEVELS.get(activity, {}).get(level) for level in levels]
    same_intensity.sort(key=lambda v: own.index(v["key"]) if v["key"] in own else len(own))
    variant = (same_intensity or matching or [None])[0]
    if variant is None:
        met = {"light": 2.5, "moderate": 4.0, "vigorous": 7.0}[intensity]
        variant = {
            "variant": activity_name(activity).lower(),
            "why": "",
            "compendium_code": "",
            "category": "strength" if activity == "strength" else "aerobic",
            "met": met,
        }
    return PlannedSession.objects.create(
        plan=plan,
        date=date,
        activity=activity,
        variant=variant["variant"],
        compendium_code=variant["compendium_code"],
        category=variant["category"],
        intensity=intensity,
        met=variant["met"],
        minutes=minutes,
        unplanned=True,
        status=PlannedSession.Status.DONE,
        completed_at=timezone.now(),
        actual_minutes=minutes,
        why=variant["why"],
    )
