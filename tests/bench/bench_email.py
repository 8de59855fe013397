"""The reminder rush: how fast do reminder emails go out? Run from the project root:
`python tests/bench/bench_email.py [N]` (default 100,000; develop at 5,000 to 10,000).

N people are due in the same minute. The dispatcher's tick is published through Redis, then every 60 s by
Celery beat, as in production; a Celery worker with 2 processes claims the reminders, renders and sends each
email over SMTP to an SMTP sink (aiosmtpd, in this process). Measured from the first tick to the last email.

Beside it, in the same run, the limit: a bare loop, in a process of its own like a worker process, that sends
the same kind of messages, rendered beforehand (the first BARE_SAMPLE people's), over one reused SMTP
connection to a sink of its own, with nothing else: no database, no queue, no rendering.

Figures, each beside its goal (MISSED when missed, and the exit status is 1):
- emails per second per worker process (the pipeline's rate / 2): at least half the bare loop's rate;
- duplicates: 0; lost (due, never received): 0.

Needs PostgreSQL and Redis: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/steady_bench_email,
created and dropped here) and BENCH_REDIS_URL (default CELERY_BROKER_URL when it is Redis, else
redis://127.0.0.1:6379/0; the bench uses a queue of its own and removes it).
"""

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

WORKER_PROCESSES = 2
BARE_SAMPLE = 5_000
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/steady_bench_email")
_broker = os.environ.get("CELERY_BROKER_URL", "")
REDIS_URL = os.environ.get(
    "BENCH_REDIS_URL", _broker if _broker.startswith("redis://") else "redis://127.0.0.1:6379/0"
)


def bare_loop(messages_file, port):
    """The limit: send the pre-rendered messages over one SMTP connection, as fast as it goes. Prints
    {"sent": n, "seconds": s} as JSON."""
    import smtplib

    messages = pickle.loads(Path(messages_file).read_bytes())
    connection = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for sender, recipient, raw in messages:
        connection.sendmail(sender, [recipient], raw)
    seconds = time.perf_counter() - started
    connection.quit()
    print(json.dumps({"sent": len(messages), "seconds": seconds}))


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


def rendered_messages(emails, now):
    """(sender, recipient, bytes) of each person's session-day email as a worker would send it."""
    from django.conf import settings

    from accounts.models import User
    from reminders import emails as reminder_emails
    from reminders.models import Delivery, EmailKind

    messages = []
    for number, user in enumerate(User.objects.filter(email__in=emails).select_related("profile"), start=1):
        delivery = Delivery(
            pk=number,
            user=user,
            kind=EmailKind.SESSION_DAY,
            local_date=user.profile.local_date(now),
            due_at=now,
            enqueue_again_at=now,
        )
        message = reminder_emails.build_message(delivery, reminder_emails.email_context(delivery))
        raw = message.message().as_bytes(linesep="\r\n")
        messages.append((settings.DEFAULT_FROM_EMAIL, user.email, raw))
    return messages


def measure_bare_loop(messages):
    """Run the bare loop in a process of its own against a sink of its own: emails per second."""
    from tests.smtp_server import Inbox

    sink = Inbox().start()
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as file:
        file.write(pickle.dumps(messages))
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--bare-loop", file.name, str(sink.port)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output)
        assert sink.count() == len(messages), f"the sink received {sink.count()} of {len(messages)}"
    finally:
        sink.stop()
        os.unlink(file.name)
    return result["sent"] / result["seconds"]


def main(people):
    # On SIGTERM (a timeout, Ctrl-C in make) still stop the workers and drop the database in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["CELERY_BROKER_URL"] = REDIS_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        server_url, name = recreate_database()
    except Exception as error:
        sys.exit(f"bench_email needs PostgreSQL at {DATABASE_URL}: {error}")

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from reminders.models import Delivery
    from tests.integration.conftest import Services, make_people_due_now
    from tests.smtp_server import Inbox

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        drop_database(server_url, name)
        sys.exit(f"bench_email needs Redis at {REDIS_URL}: {error}")

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        due = make_people_due_now(people, prefix="bench")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have done on a database that grew over time
        print(f"{people:,} people due now, created in {time.perf_counter() - started:.1f} s")

        bare_rate = measure_bare_loop(rendered_messages(due[:BARE_SAMPLE], timezone.now()))
        print(f"bare loop: {min(people, BARE_SAMPLE):,} pre-rendered emails over one SMTP connection")

        inbox = Inbox().start()
        services = Services(
            Path(tempfile.mkdtemp(prefix="bench-email-")), inbox, REDIS_URL, loglevel="WARNING"
        )
        services.extra_env["CONN_MAX_AGE"] = "60"  # as in production: a worker process keeps its connection
        try:
            services.worker(concurrency=WORKER_PROCESSES)
            started = time.perf_counter()
            services.beat_tick()
            services.beat(every=60.0)  # its first tick comes 60 s after it starts
            try:
                inbox.wait_for(people, timeout=max(600, people / 50))
            except AssertionError as error:
                print(error)
            elapsed = time.perf_counter() - started
            inbox.wait_quiet(seconds=3)
            received = inbox.recipients()
            statuses = dict(Delivery.objects.values_list("status").order_by().annotate(n=Count("id")))
            timeline = Delivery.objects.aggregate(
                first_recorded=Min("created_at"),
                last_recorded=Max("created_at"),
                first_sent=Min("sent_at"),
                last_sent=Max("sent_at"),
            )
        finally:
            services.close()
            inbox.stop()
    finally:
        drop_database(server_url, name)

    rate = len(received) / elapsed
    per_process = rate / WORKER_PROCESSES
    duplicates = len(received) - len(set(received))
    lost = len(set(due) - set(received))
    goals = [
        (
            "emails per second per worker process",
            f"{per_process:,.0f} ({rate:,.0f}/s through {WORKER_PROCESSES} processes, {len(received):,} in "
            f"{elapsed:.1f} s)",
            f"at least half the bare loop's {bare_rate:,.0f}/s: {bare_rate / 2:,.0f}",
            per_process >= bare_rate / 2,
        ),
        ("duplicates", f"{duplicates:,}", "0", duplicates == 0),
        ("lost (due, never received)", f"{lost:,}", "0", lost == 0),
    ]
    for what, figure, goal, met in goals:
        print(f"{what}: {figure}; goal {goal}{'' if met else '  MISSED'}")
    print(f"deliveries: {statuses}")
    start = timeline["first_recorded"]
    if start and timeline["last_sent"]:
        print(
            "timeline (s from the first delivery recorded): all recorded by "
            f"{(timeline['last_recorded'] - start).total_seconds():.1f}, first sent at "
            f"{(timeline['first_sent'] - start).total_seconds():.1f}, last at "
            f"{(timeline['last_sent'] - start).total_seconds():.1f}"
        )
    return 0 if all(met for *_, met in goals) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare-loop"]:
        bare_loop(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
