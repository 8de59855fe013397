"""How fast do reminder emails go out? Run from the project root: `python tests/bench/bench_email.py [N]`.

N people (default 10,000) are due at the same moment. One beat tick is published through Redis; a Celery
worker with 2 processes claims them, renders and sends each email over SMTP to an aiosmtpd sink in this
process.
Prints emails per second (from the tick to the last email) and the duplicate count.
Goal: at least 200 emails a second, 0 duplicates.

Needs PostgreSQL and Redis: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/steady_bench_email,
created and dropped here) and BENCH_REDIS_URL (default CELERY_BROKER_URL when it is Redis, else
redis://127.0.0.1:6379/0; the bench uses a queue of its own and removes it).
"""

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
GOAL_PER_SECOND = 200
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/steady_bench_email")
_broker = os.environ.get("CELERY_BROKER_URL", "")
REDIS_URL = os.environ.get(
    "BENCH_REDIS_URL", _broker if _broker.startswith("redis://") else "redis://127.0.0.1:6379/0"
)

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["CELERY_BROKER_URL"] = REDIS_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def recreate_database():
    import psycopg

    server_url, name = DATABASE_URL.replace("postgres://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url, name


def drop_database(server_url, name):
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main():
    # On SIGTERM (a timeout, Ctrl-C in make) still stop the workers and drop the database in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    try:
        server_url, name = recreate_database()
    except Exception as error:
        sys.exit(f"bench_email needs PostgreSQL at {DATABASE_URL}: {error}")

    import django

    django.setup()
    import redis
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from reminders.models import Delivery
    from tests.integration.conftest import Inbox, Services, free_port, make_people_due_now

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        drop_database(server_url, name)
        sys.exit(f"bench_email needs Redis at {REDIS_URL}: {error}")

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    make_people_due_now(PEOPLE, prefix="bench")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a database that grew over time
    print(f"{PEOPLE:,} people due now, created in {time.perf_counter() - started:.1f} s")

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    inbox.port = smtp.port
    services = Services(Path(tempfile.mkdtemp(prefix="bench-email-")), inbox, REDIS_URL, loglevel="WARNING")
    services.extra_env["CONN_MAX_AGE"] = "60"  # as in production: a worker process keeps its connection
    try:
        services.worker(concurrency=2)
        started = time.perf_counter()
        services.beat_tick()
        try:
            inbox.wait_for(PEOPLE, timeout=600)
        except AssertionError as error:
            print(error)
        elapsed = time.perf_counter() - started
        inbox.wait_quiet(seconds=3)
        received = inbox.count()
        duplicates = inbox.duplicates()
        statuses = dict(Delivery.objects.values_list("status").order_by().annotate(n=Count("id")))
    finally:
        services.close()
        smtp.stop()
        drop_database(server_url, name)

    rate = received / elapsed
    print(f"emails received: {received:,} of {PEOPLE:,} in {elapsed:.1f} s")
    print(f"emails per second: {rate:.0f} (goal: at least {GOAL_PER_SECOND})")
    print(f"duplicates: {duplicates} (goal: 0)")
    print(f"deliveries: {statuses}")
    ok = rate >= GOAL_PER_SECOND and duplicates == 0 and received == PEOPLE
    print("goal met" if ok else "GOAL NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
