"""The roll-over's and the dispatcher's queries read big tables through indexes, on PostgreSQL (EXPLAIN).

A query planner chooses by cost: on a table of a few pages, reading it whole is cheaper than any index, so it
picks a Seq Scan however good the indexes are, and an EXPLAIN on a test database of a dozen rows proves
nothing. So these tests first give the database production's shape at a twentieth of a million people:
PEOPLE people with their profiles, three reminder rows each, four weeks of plans with two sessions each,
two months of deliveries and two weeks of removed sessions (the rows past their keeping time are the few of
the last quarter of an hour, as between two runs of the job that deletes them), all written in SQL with
generate_series (seconds), then ANALYZE, as autovacuum would have. The roll-over's pages are scaled down with
them (PAGE people instead of 500 among a million), so each query reads the same share of each table as it
will at a million; the planner's costs then compare as they will there. They lean towards a Seq Scan here
if anything: production has twelve weeks of history and five or six sessions a week per person, so its
tables are larger against what a page reads. Nothing is forced (no `SET enable_seqscan = off`): the plans
are the ones PostgreSQL chooses.

The statements are the real ones: each function runs on that data while Django records its SQL, and each
SELECT, UPDATE and DELETE is explained. A check fails on a Seq Scan of a big table, and on an index scan with
no index condition (the whole index read in order, as bad as a Seq Scan at a million rows). The roll-over's
page table (planner_rolloverpage) is not big: 2,000 rows a week at a million people, three weeks kept.
"""

import datetime
import json
import re

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile, User
from planner import plans
from planner.models import Plan, PlannedSession, RemovedSession, RollOverPage
from reminders import dispatch, rollover
from reminders.models import Delivery, ProfileWalk, Reminder
from tests.integration.conftest import REQUIRE_SERVICES, services_problem

pytestmark = [pytest.mark.services, pytest.mark.django_db]

PEOPLE = 50_000
PAGE = 500 * PEOPLE // 1_000_000  # the roll-over's page, scaled down with the tables
BIG_TABLES = {
    model._meta.db_table
    for model in (User, Profile, Plan, PlannedSession, Reminder, Delivery, RemovedSession)
}


def insert_select(model, source: str, values: dict) -> None:
    """INSERT INTO the model's table SELECT ... FROM `source`: `values` maps attnames to SQL expressions (over
    the source's columns); every other column takes the field's default, so that a field added later does not
    break the data."""
    columns, expressions, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.attname in values:
            expressions.append(values[field.attname])
        elif isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            expressions.append("now()")
        else:
            expressions.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(expressions)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, defaults)


@pytest.fixture(scope="module")
def production_shape(django_db_setup, django_db_blocker):
    """PEOPLE people in production's proportions, committed and analysed; removed after the module."""
    problem = services_problem()  # this fixture is set up before the per-test check in conftest.py
    if problem and REQUIRE_SERVICES:
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)
    now = timezone.now()
    week = rollover.week_key(now)
    with django_db_blocker.unblock():
        insert_select(
            User,
            f"generate_series(1, {PEOPLE}) g",
            {"email": "'shape' || g || '@example.com'", "password": "'!'", "is_active": "true"},
        )
        insert_select(
            Profile,
            "accounts_user u",
            {
                "user_id": "u.id",
                "timezone": "'Pacific/Kiritimati'",  # the week key's week has begun there: everyone is due
                "age": "20 + mod(u.id, 60)",
                "current_minutes_per_week": "mod(u.id, 5) * 40",
                "max_minutes_per_day": "30",
                "onboarded_at": "now() - interval '60 days'",
                "created_at": "now() - interval '90 days'",
            },
        )
        insert_select(
            Plan,
            "accounts_user u CROSS JOIN generate_series(1, 4) w",
            {
                "user_id": "u.id",
                "week_start": f"'{week.isoformat()}'::date - 7 * w",
                "target_aerobic_minutes": "60",
                "target_strength_days": "1",
                "target_balance_days": "0",
                "meets_who_guideline": "false",
            },
        )
        insert_select(
            PlannedSession,
            "planner_plan p CROSS JOIN generate_series(0, 1) d",
            {
                "plan_id": "p.id",
                "date": "p.week_start + 3 * d",
                "activity": "'walking'",
                "variant": "'brisk walk'",
                "compendium_code": "'17200'",
                "category": "'aerobic'",
                "intensity": "'moderate'",
                "met": "4.3",
                "minutes": "20",
                "status": "CASE WHEN d = 0 THEN 'done' ELSE 'planned' END",
            },
        )
        insert_select(
            Reminder,
            "accounts_user u CROSS JOIN (VALUES ('weekly_plan'), ('session_day'), ('checkin')) k(kind)",
            # Spread over the coming week, a few due now, as the dispatcher keeps them.
            {
                "user_id": "u.id",
                "kind": "k.kind",
                "next_due_at": "now() + (mod(u.id, 10080) - 3) * interval '1 minute'",
            },
        )
        insert_select(
            Delivery,
            # Two months of them (forget_old_deliveries keeps 60 days): the ones past that are the few of the
            # last quarter of an hour.
            "accounts_user u CROSS JOIN generate_series(1, 4) w",
            {
                "user_id": "u.id",
                "kind": "'session_day'",
                "local_date": "current_date - 14 * w",
                "due_at": "now() - 14 * w * interval '1 day'",
                "status": "CASE WHEN mod(u.id, 500) = 0 AND w = 1 THEN 'queued' ELSE 'sent' END",
                "enqueue_again_at": "now() - 14 * w * interval '1 day' + interval '10 minutes'",
                "created_at": "now() - 14 * w * interval '1 day' - CASE WHEN w = 4 THEN mod(u.id, 5775) * "
                "interval '1 minute' ELSE interval '0 minutes' END",
            },
        )
        insert_select(
            RemovedSession,
            "accounts_user u",
            # Kept two weeks: the ones past that are the few of the last quarter of an hour.
            {
                "user_id": "u.id",
                "session_id": "u.id",
                "removed_at": "now() - mod(u.id, 20175) * interval '1 minute'",
            },
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    yield week
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute('TRUNCATE "accounts_user", "planner_rolloverpage" CASCADE')


def statements_of(work) -> list[str]:
    """The SELECT, UPDATE and DELETE statements `work()` sends to the database (a server-side cursor's
    SELECT too, as QuerySet.iterator() declares one)."""
    with CaptureQueriesContext(connection) as queries:
        work()
    statements, shapes = [], set()
    for query in queries.captured_queries:
        sql = query["sql"].split(" CURSOR FOR ", 1)[-1]
        shape = re.sub(r"\d+", "N", sql)  # the walk's thousand probes differ only in their numbers
        if sql.split()[0] in ("SELECT", "UPDATE", "DELETE") and shape not in shapes:
            shapes.add(shape)
            statements.append(sql)
    return statements


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def full_reads(sql: str) -> list[str]:
    """What PostgreSQL's chosen plan for `sql` reads whole of a big table ([] if nothing)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        [[explained]] = cursor.fetchall()
    explained = explained if isinstance(explained, list) else json.loads(explained)
    found = []
    for node in nodes(explained[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in BIG_TABLES:
            continue
        if node["Node Type"] == "Seq Scan":
            found.append(f"Seq Scan on {table}")
        elif node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
            found.append(f"{node['Node Type']} of all of {node['Index Name']} on {table}")
    return found


def assert_indexed(statements: list[str]) -> None:
    assert statements, "no statements recorded"
    problems = {sql[:300]: reads for sql in statements if (reads := full_reads(sql))}
    assert problems == {}


def test_the_roll_over_coordinator_and_a_page_use_indexes(production_shape, settings):
    settings.ROLLOVER_PAGE_SIZE = PAGE
    now = timezone.now()
    coordinator = statements_of(lambda: rollover.roll_over(now, enqueue=lambda *claim: None))
    claimed = list(RollOverPage.objects.filter(status="claimed").values_list("pk", "claim")[:1])
    page = statements_of(lambda: rollover.roll_over_page(*claimed[0], now))

    done = RollOverPage.objects.get(status="done")
    people = Profile.objects.filter(user_id__gte=done.first_id, user_id__lte=done.last_id).count()
    assert done.planned == people == Plan.objects.filter(week_start=production_shape).count() > 0
    assert_indexed(coordinator)
    assert_indexed(page)


def test_the_roll_over_history_read_uses_indexes(production_shape):
    people = list(Profile.objects.order_by("user_id").values_list("user_id", flat=True)[1000 : 1000 + PAGE])
    statements = statements_of(lambda: plans.engine_histories(people, production_shape))
    assert_indexed(statements)


def test_the_roll_over_jobs_own_housekeeping_uses_indexes(production_shape):
    now = timezone.now()
    statements = statements_of(lambda: plans.forget_removed_sessions(now))
    statements += statements_of(lambda: rollover.forget_old_pages(now))
    assert_indexed(statements)


def test_the_dispatchers_due_query_uses_indexes(production_shape):
    due = dispatch.due_reminders(timezone.now())[: dispatch.BATCH_SIZE]
    assert_indexed(statements_of(lambda: list(due)))


def test_the_dispatchers_whole_tick_uses_indexes(production_shape):
    """Claims and records what is due (with the once-a-day check), enqueues again what waits (the requeue's
    batches, with the deliveries past their deadline ended), reports interrupted sends."""
    now = timezone.now()
    statements = statements_of(lambda: dispatch.dispatch_due(now, enqueue=lambda ids: None))

    assert any("SKIP LOCKED" in sql for sql in statements)  # the requeue's batch was read
    assert Delivery.objects.filter(status="skipped", note=dispatch.TOO_LATE).count() == PEOPLE // 500
    assert Delivery.objects.filter(status="queued", due_at__gte=now - datetime.timedelta(minutes=5)).exists()
    assert_indexed(statements)


def test_a_workers_batch_of_sends_uses_indexes(production_shape, mailoutbox):
    now = timezone.now()
    dispatch.dispatch_due(now, enqueue=lambda ids: None)
    batch = list(
        Delivery.objects.filter(status="queued", due_at__gte=now - datetime.timedelta(minutes=5))
        .order_by("id")
        .values_list("pk", flat=True)[: dispatch.SEND_BATCH]
    )
    statements = statements_of(lambda: dispatch.send_batch(batch, enqueue=lambda ids: None))

    assert not Delivery.objects.filter(pk__in=batch, status__in=["queued", "sending"]).exists()
    assert_indexed(statements)


def test_the_delivery_housekeeping_uses_indexes(production_shape):
    now = datetime.datetime.now(datetime.UTC)
    statements = statements_of(lambda: dispatch.report_interrupted_sends(now))
    statements += statements_of(lambda: dispatch.forget_old_deliveries(now))
    assert_indexed(statements)


def index_conditions(sql: str) -> list[tuple[str, str]]:
    """The (index, condition) of each index read in PostgreSQL's chosen plan for `sql`."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        [[explained]] = cursor.fetchall()
    explained = explained if isinstance(explained, list) else json.loads(explained)
    return [
        (node["Index Name"], node["Index Cond"])
        for node in nodes(explained[0]["Plan"])
        if "Index Name" in node and "Index Cond" in node
    ]


def test_the_roll_over_jobs_missing_reminders_use_indexes(production_shape, monkeypatch):
    """The walk over profiles made without reminders, from the start as on its first run: a run reads
    MISSING_BATCHES pages of profiles through the primary key, each page's reminders through their (user,
    kind) key, and gives the one profile without reminders its three."""
    monkeypatch.setattr(dispatch, "MISSING_BATCH", 1000 * PEOPLE // 1_000_000)  # scaled down with the tables
    walked = dispatch.MISSING_BATCH * dispatch.MISSING_BATCHES
    profiles = list(Profile.objects.order_by("pk").values_list("pk", "user_id"))
    without = profiles[walked // 2][1]
    Reminder.objects.filter(user_id=without).delete()
    now = datetime.datetime.now(datetime.UTC)

    statements = statements_of(lambda: dispatch.schedule_missing_reminders(now))

    assert Reminder.objects.filter(user_id=without).count() == 3
    assert ProfileWalk.objects.get().after_profile_id == profiles[walked - 1][0]  # and no further
    [read] = [sql for sql in statements if 'FROM "accounts_profile"' in sql]
    assert [index for index, _ in index_conditions(read)] == ["accounts_profile_pkey"]
    assert_indexed(statements)
