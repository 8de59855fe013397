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

The workers run as in production: DEBUG off, a database connection kept by each process, beat and the
dispatcher's worker started beforehand. Then, to tell how fair the comparison is, the CPU time each part spent
an email (from /proc, Linux only): the bare loop and its sink; the 2 worker processes, their Celery parent,
the dispatcher's worker and beat, PostgreSQL's backends serving the bench database, Redis (shared with
whatever else uses it) and the sink; and how many of the machine's cores were busy (every process on it
counted). The bare loop and its sink have the machine to themselves; the workers share it with PostgreSQL,
Redis, the sink and the dispatcher.

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
import threading
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
    started, cpu_started = time.perf_counter(), time.process_time()
    for sender, recipient, raw in messages:
        connection.sendmail(sender, [recipient], raw)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    connection.quit()
    print(json.dumps({"sent": len(messages), "seconds": seconds, "cpu": cpu}))


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
    """(sender, recipient, bytes) of each person's session-day email as a worker sends it."""
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
        raw = message.message().as_bytes(linesep="\r\n")  # what Django's SMTP backend sends
        messages.append((settings.DEFAULT_FROM_EMAIL, user.email, raw))
    return messages


def measure_bare_loop(messages):
    """Run the bare loop in a process of its own against a sink of its own (a thread of this process, which
    does nothing else meanwhile): (emails per second, {"bare loop": CPU seconds an email, "its sink": ..})."""
    from tests.smtp_server import Inbox

    sink = Inbox().start()
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as file:
        file.write(pickle.dumps(messages))
    try:
        sink_cpu = time.process_time()
        output = subprocess.run(
            [sys.executable, __file__, "--bare-loop", file.name, str(sink.port)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        sink_cpu = time.process_time() - sink_cpu
        result = json.loads(output)
        assert sink.count() == len(messages), f"the sink received {sink.count()} of {len(messages)}"
    finally:
        sink.stop()
        os.unlink(file.name)
    cpu = {"bare loop": result["cpu"] / result["sent"], "its sink": sink_cpu / result["sent"]}
    return result["sent"] / result["seconds"], cpu


# --- CPU time, from /proc ----------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_stats():
    """{pid: (parent pid, process group, command, CPU seconds)} of every process on the machine."""
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        command = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
        stats[int(stat.parent.name)] = (int(fields[1]), int(fields[2]), command, cpu)
    return stats


def machine_busy_seconds():
    """(busy, total) CPU seconds of the whole machine since boot, all cores (/proc/stat)."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / CLOCK_TICKS, sum(fields) / CLOCK_TICKS


def group_cpu(stats, group):
    """CPU seconds of the processes in a process group (a Celery process and its pool)."""
    return sum(cpu for _, pgrp, _, cpu in stats.values() if pgrp == group)


class DatabaseBackends(threading.Thread):
    """Watches the CPU time of PostgreSQL's backends serving one database (their command line names it) every
    second, so that those a worker closed before the end are counted too (Celery recycles connections)."""

    def __init__(self, database):
        super().__init__(daemon=True)
        self.database, self.last, self.stopped = database, {}, threading.Event()
        self.others = set()  # pids of processes other than PostgreSQL's, not read again
        self.before = self.backends()

    def backends(self):
        """{pid: CPU seconds} of the database's backends now."""
        found = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or entry.name in self.others:
                continue
            try:
                if Path(entry.path, "comm").read_text().strip() != "postgres":
                    self.others.add(entry.name)
                    continue
                title = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ")  # "postgres: ..db.."
                if f" {self.database} ".encode() not in title + b" ":
                    continue
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return found

    def run(self):
        while not self.stopped.wait(1.0):
            self.last.update(self.backends())

    def seconds(self):
        """CPU seconds they spent since this watch began."""
        self.stopped.set()
        self.last.update(self.backends())
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.last.items())


def pipeline_cpu(stats_before, stats, send_worker, others, database_seconds):
    """CPU seconds each part of the pipeline spent between two process_stats(): {part: seconds}."""

    def spent(pids):
        return sum(stats[pid][3] - stats_before.get(pid, (0, 0, "", 0.0))[3] for pid in pids if pid in stats)

    main = send_worker.process.pid
    pool = [pid for pid, (parent, *_) in stats.items() if parent == main]
    redis_pids = [pid for pid, (_, _, command, _) in stats.items() if command == "redis-server"]
    return {
        "the 2 worker processes": spent(pool),
        "their Celery parent": spent([main]),
        "the dispatcher's worker and beat": sum(group_cpu(stats, p.process.pid) for p in others)
        - sum(group_cpu(stats_before, p.process.pid) for p in others),
        "PostgreSQL (the bench database's backends)": database_seconds,
        "Redis": spent(redis_pids),
    }


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

        bare_rate, bare_cpu = measure_bare_loop(rendered_messages(due[:BARE_SAMPLE], timezone.now()))
        print(f"bare loop: {min(people, BARE_SAMPLE):,} pre-rendered emails over one SMTP connection")

        inbox = Inbox().start()
        services = Services(
            Path(tempfile.mkdtemp(prefix="bench-email-")), inbox, REDIS_URL, loglevel="WARNING"
        )
        # As in production: DEBUG off, and a worker process keeps its database connection.
        services.extra_env.update({"DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60, "CONN_MAX_AGE": "60"})
        try:
            send_worker = services.worker(concurrency=WORKER_PROCESSES)
            services.beat(every=60.0)  # and the dispatcher's worker; beat's first tick comes after 60 s
            stats_before, busy_before = process_stats(), machine_busy_seconds()
            database = DatabaseBackends(name)
            database.start()
            sink_cpu = time.process_time()
            started = time.perf_counter()
            services.beat_tick()
            try:
                inbox.wait_for(people, timeout=max(600, people / 50))
            except AssertionError as error:
                print(error)
            elapsed = time.perf_counter() - started
            sink_cpu = time.process_time() - sink_cpu
            busy_after = machine_busy_seconds()
            others = [p for p in services.processes if p is not send_worker]
            cpu = pipeline_cpu(stats_before, process_stats(), send_worker, others, database.seconds())
            cpu["the sink (and this process)"] = sink_cpu
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
    print(
        "CPU time an email, ms: bare loop "
        + ", ".join(f"{part} {seconds * 1000:.3f}" for part, seconds in bare_cpu.items())
    )
    print(
        "CPU time an email, ms: pipeline "
        + ", ".join(f"{part} {seconds / max(len(received), 1) * 1000:.3f}" for part, seconds in cpu.items())
        + f"; in all {sum(cpu.values()) / max(len(received), 1) * 1000:.3f}"
    )
    busy, total = (after - before for after, before in zip(busy_after, busy_before, strict=True))
    cores = os.cpu_count() or 1
    print(
        f"machine during the pipeline: {busy / total * cores:.2f} of {cores} cores busy "
        f"(every process on it); the 2 worker processes alone {cpu['the 2 worker processes'] / elapsed:.2f}"
    )
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
