"""How fast is the weekly roll-over? Run from the project root: `python tests/bench/bench_rollover.py [N]`.

N people (default 100,000) whose week has begun, each with varied answers (the planner's seeded random
profiles) and last week's plan behind them, none with a plan for this week yet: the heaviest case, every plan
made and stored. One roll-over tick is published through Redis, as beat does; a Celery worker claims the
pages and plans them on PostgreSQL, first with 1 process, then with 2 (the database is copied fresh from a
template for each run). In the same run, the engine alone plans the same people in this process: the limit
for one process, since a worker does that and more.

Prints, each beside its goal: people planned per second with 1 and with 2 worker processes, against the
engine alone; the ratio of 2 processes to 1 (goal: at least 1.5, on this 2-core machine); the time for N
people with 2 processes (goal: 100,000 in under 2 minutes, i.e. at least 833 a second); the peak memory
(RSS) of a worker process (goal: under 300 MB, whatever N). Says MISSED for a goal missed and exits 1.

Needs PostgreSQL and Redis: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/steady_bench,
created here as a template, copied to steady_bench_run for each run, all dropped at the end) and
BENCH_REDIS_URL (default CELERY_BROKER_URL when it is Redis, else redis://127.0.0.1:6379/0; the bench uses a
queue of its own and removes it; the workers' cache is that Redis's database 15, a shared Redis cache as in
production).
"""

import datetime
import gc
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
GOAL_SECONDS_PER_100K = 120.0  # with 2 worker processes
GOAL_RATE = 100_000 / GOAL_SECONDS_PER_100K
GOAL_SCALING = 1.5
GOAL_RSS_MB = 300
SEED = 2026
COPY_CHUNK = 10_000
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/steady_bench")
RUN_DATABASE_URL = DATABASE_URL + "_run"
_broker = os.environ.get("CELERY_BROKER_URL", "")
REDIS_URL = os.environ.get(
    "BENCH_REDIS_URL", _broker if _broker.startswith("redis://") else "redis://127.0.0.1:6379/0"
)
CACHE_URL = urlunsplit(urlsplit(REDIS_URL)._replace(path="/15"))

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["CELERY_BROKER_URL"] = REDIS_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Zones the week may have begun in; those where it has, at the start of the bench, are used.
ZONES = [
    "Pacific/Kiritimati",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Berlin",
    "Europe/London",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
]


def server_and_name(url):
    server, name = url.replace("postgres://", "postgresql://").rsplit("/", 1)
    return server, name


def admin(*statements):
    """Run statements on the server's maintenance database (CREATE and DROP DATABASE)."""
    import psycopg

    server, _ = server_and_name(DATABASE_URL)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def drop_databases():
    from django.db import connections

    connections.close_all()
    admin(
        *(f'DROP DATABASE IF EXISTS "{server_and_name(url)[1]}"' for url in (RUN_DATABASE_URL, DATABASE_URL))
    )


# --- The people ---------------------------------------------------------------------------------------------


def profile_answers(rng, user_id, zones, onboarded_at):
    from planner.tests.profiles import profile_fields, random_profile

    return profile_fields(random_profile(rng, history_weeks=0)) | {
        "user_id": user_id,
        "timezone": zones[user_id % len(zones)],
        "onboarded_at": onboarded_at,
    }


def copy_rows(model, rows, with_ids=False):
    """COPY rows (dicts of attnames) into the model's table; columns not given take the field's default, ids
    the table's sequence unless `with_ids`."""
    from django.db import connection, models
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    now = datetime.datetime.now(datetime.UTC)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy,
    ):
        for row in rows:
            values = []
            for field in fields:
                if field.attname in row:
                    value = row[field.attname]
                elif isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                    value = now
                else:
                    value = field.get_default()
                values.append(
                    Jsonb(value) if isinstance(field, models.JSONField) and value is not None else value
                )
            copy.write_row(values)


def make_people(count, zones, week):
    """`count` onboarded people in the given zones, with their reminders and last week's plan (three sessions,
    two done), written with COPY a chunk at a time."""
    from django.db import connection

    from accounts.models import Profile, User
    from planner.models import Plan, PlannedSession
    from reminders.models import EmailKind, Reminder

    rng = random.Random(SEED)
    now = datetime.datetime.now(datetime.UTC)
    last_week = week - datetime.timedelta(weeks=1)
    for start in range(1, count + 1, COPY_CHUNK):
        ids = range(start, min(start + COPY_CHUNK, count + 1))
        users = ({"id": i, "email": f"bench{i}@example.com", "password": "!", "is_active": True} for i in ids)
        copy_rows(User, users, with_ids=True)
        onboarded_at = now - datetime.timedelta(days=30)
        copy_rows(
            Profile, ({"id": i, **profile_answers(rng, i, zones, onboarded_at)} for i in ids), with_ids=True
        )
        copy_rows(
            Reminder,
            (
                {"user_id": i, "kind": kind, "next_due_at": now + datetime.timedelta(days=2)}
                for i in ids
                for kind in EmailKind
            ),
        )
        copy_rows(
            Plan,
            (
                {
                    "id": i,
                    "user_id": i,
                    "week_start": last_week,
                    "target_aerobic_minutes": 90,
                    "target_strength_days": 1,
                    "target_balance_days": 0,
                    "meets_who_guideline": False,
                    "notes": [],
                }
                for i in ids
            ),
            with_ids=True,
        )
        copy_rows(
            PlannedSession,
            (
                {
                    "plan_id": i,
                    "date": last_week + datetime.timedelta(days=2 * d),
                    "activity": "walking",
                    "variant": "brisk walk",
                    "compendium_code": "17200",
                    "category": "aerobic",
                    "intensity": "moderate",
                    "met": 4.3,
                    "minutes": 30,
                    "status": "done" if d < 2 else "planned",
                }
                for i in ids
                for d in range(3)
            ),
        )
    with connection.cursor() as cursor:
        for table in ("accounts_user", "accounts_profile", "planner_plan"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
        cursor.execute("ANALYZE")


# --- The engine alone ---------------------------------------------------------------------------------------


def engine_alone(week, now) -> float:
    """Seconds the engine takes to plan everyone, in this process, from the same inputs a worker builds
    (their answers and history, read a page at a time, untimed); only make_plan is timed."""
    from accounts.models import Profile
    from planner import engine, plans

    seconds = 0.0
    last = 0
    while True:
        profiles = list(Profile.objects.filter(user_id__gt=last).order_by("user_id")[:1000])
        if not profiles:
            return seconds
        last = profiles[-1].user_id
        histories = plans.engine_histories([p.user_id for p in profiles], week)
        inputs = []
        for profile in profiles:
            today = profile.local_date(now)
            first_day = today if week < today else None
            inputs.append(
                (plans.engine_profile(profile, week, histories.get(profile.user_id, [])), first_day)
            )
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        for engine_input, first_day in inputs:
            engine.make_plan(engine_input, first_day)
        seconds += time.perf_counter() - started
        gc.enable()


# --- The workers --------------------------------------------------------------------------------------------


class NoInbox:
    port = 1  # the roll-over sends no email


def worker_processes(pid) -> list[int]:
    """A worker's main process and its pool's processes."""
    return [pid] + [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _stat(entry.name, 1) == pid
    ]


def _stat(pid, field) -> int | None:
    """A field of /proc/PID/stat, counted after the command's name (1: the parent, 11 and 12: CPU ticks)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[field])
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds(pids) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = sum((_stat(pid, 11) or 0) + (_stat(pid, 12) or 0) for pid in pids)
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pids) -> float:
    """The peak resident memory (VmHWM) of the processes, in MB: the largest."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return max(peaks)


@dataclass
class Run:
    seconds: float
    rss_mb: float  # the peak of the largest worker process
    worker_cpu: float  # seconds, all the worker's processes
    postgres_cpu: float  # seconds, the database's server processes for the workers
    load: float  # the machine's load average (1 minute) when the run began


def roll_over_with(processes, week, expected) -> Run:
    """Copy the template, start a worker with `processes` processes on the copy, publish one roll-over tick,
    and wait until every page is done."""
    import psycopg
    from celery import Celery

    from tests.integration.conftest import Services

    _, template = server_and_name(DATABASE_URL)
    server, run = server_and_name(RUN_DATABASE_URL)
    admin(f'DROP DATABASE IF EXISTS "{run}"', f'CREATE DATABASE "{run}" TEMPLATE "{template}"')
    services = Services(
        Path(tempfile.mkdtemp(prefix="bench-rollover-")), NoInbox(), REDIS_URL, loglevel="WARNING"
    )
    services.extra_env.update(
        {
            "DATABASE_URL": RUN_DATABASE_URL,
            "CACHE_URL": CACHE_URL,
            # As in production: a worker keeps its connection, DEBUG is off (on, Django keeps every query).
            "CONN_MAX_AGE": "60",
            "DEBUG": "false",
            "SECRET_KEY": "bench-rollover-" + "x" * 50,
        }
    )
    backends = {}  # PostgreSQL server processes: CPU seconds when last seen (workers reconnect now and then)
    try:
        worker = services.worker(concurrency=processes)
        pids = worker_processes(worker.process.pid)
        with psycopg.connect(f"{server}/{run}", autocommit=True) as database:
            client = Celery(broker=REDIS_URL)
            load = os.getloadavg()[0]
            cpu_before = cpu_seconds(pids)
            started = time.perf_counter()
            client.send_task("reminders.tasks.roll_over_plans", queue=services.queue)
            client.close()
            while True:
                time.sleep(0.25)
                pages, left = database.execute(
                    "SELECT count(*), count(*) FILTER (WHERE status <> 'done') FROM planner_rolloverpage"
                ).fetchone()
                for (pid,) in database.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [run]
                ):
                    backends[pid] = cpu_seconds([pid]) or backends.get(pid, 0.0)
                if pages and not left:
                    break
                if time.perf_counter() - started > 1800:
                    raise SystemExit(
                        f"not done after 30 minutes: {left} of {pages} pages left\n{services.logs()}"
                    )
            seconds = time.perf_counter() - started
            worker_cpu = cpu_seconds(pids) - cpu_before
            planned = database.execute(
                "SELECT count(*) FROM planner_plan WHERE week_start = %s", [week]
            ).fetchone()[0]
        rss = peak_rss_mb(pids)
    finally:
        services.close()
        admin(f'DROP DATABASE IF EXISTS "{run}"')
    if planned != expected:
        raise SystemExit(f"{planned:,} plans made for {expected:,} people\n{services.logs()}")
    return Run(seconds, rss, worker_cpu, sum(backends.values()), load)


# --- The report ---------------------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "OK" if met else "MISSED"


def main() -> int:
    # On SIGTERM (a timeout, Ctrl-C in make) still stop the workers and drop the databases in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    _, template = server_and_name(DATABASE_URL)
    try:
        admin(
            f'DROP DATABASE IF EXISTS "{server_and_name(RUN_DATABASE_URL)[1]}"',
            f'DROP DATABASE IF EXISTS "{template}"',
            f'CREATE DATABASE "{template}"',
        )
    except Exception as error:
        sys.exit(f"bench_rollover needs PostgreSQL at {DATABASE_URL}: {error}")

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connections

    from reminders import rollover

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        drop_databases()
        sys.exit(f"bench_rollover needs Redis at {REDIS_URL}: {error}")

    try:
        call_command("migrate", verbosity=0)
        now = datetime.datetime.now(datetime.UTC)
        week = rollover.week_key(now)
        zones = [z for z in ZONES if _monday_in(z, now) == week]
        started = time.perf_counter()
        make_people(PEOPLE, zones, week)
        print(
            f"{PEOPLE:,} people in {len(zones)} time zones whose week of {week} has begun, with last week's "
            f"plan: made in {time.perf_counter() - started:.1f} s"
        )
        engine_seconds = engine_alone(week, now)
        connections.close_all()  # the template must have no connections to be copied
        one = roll_over_with(1, week, PEOPLE)
        two = roll_over_with(2, week, PEOPLE)
    finally:
        drop_databases()

    engine_rate = PEOPLE / engine_seconds
    scaling = one.seconds / two.seconds
    goal_seconds = PEOPLE / GOAL_RATE
    print(f"engine alone, 1 process:       {engine_rate:>6,.0f} plans/s   (the limit for one worker process)")
    for count, run in ((1, one), (2, two)):
        rate = PEOPLE / run.seconds
        worker_ms, postgres_ms = 1000 * run.worker_cpu / PEOPLE, 1000 * run.postgres_cpu / PEOPLE
        print(
            f"roll-over, {count} worker process{'es' if count > 1 else '':2} {rate:>6,.0f} people/s  "
            f"({PEOPLE:,} in {run.seconds:.1f} s; {rate / engine_rate:.2f} of the engine alone)\n"
            f"    CPU a person: worker {worker_ms:.2f} ms, PostgreSQL {postgres_ms:.2f} ms; "
            f"load average {run.load:.1f} when the run began"
        )
    checks = [
        (
            two.seconds <= goal_seconds,
            f"{PEOPLE:,} people with 2 processes: {two.seconds:.1f} s (goal: under {goal_seconds:.0f} s, "
            f"{GOAL_RATE:.0f} people/s: 100,000 in {GOAL_SECONDS_PER_100K:.0f} s)",
        ),
        (scaling >= GOAL_SCALING, f"2 processes vs 1: {scaling:.3f}x (goal: at least {GOAL_SCALING}x)"),
        (
            max(one.rss_mb, two.rss_mb) < GOAL_RSS_MB,
            f"peak memory of a worker process: {one.rss_mb:.0f} MB with 1 process, {two.rss_mb:.0f} MB "
            f"with 2 (goal: under {GOAL_RSS_MB} MB)",
        ),
    ]
    for met, line in checks:
        print(f"{line}   {verdict(met)}")
    return 0 if all(met for met, _ in checks) else 1


def _monday_in(zone, now):
    from zoneinfo import ZoneInfo

    day = now.astimezone(ZoneInfo(zone)).date()
    return day - datetime.timedelta(days=day.weekday())


if __name__ == "__main__":
    sys.exit(main())
