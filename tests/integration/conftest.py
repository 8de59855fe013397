"""Real services for the integration tests: PostgreSQL, Redis, Celery worker and beat processes, an SMTP sink.

Tests marked `services` skip, with the reason, when PostgreSQL or Redis is not reachable, and fail instead
when STEADY_REQUIRE_SERVICES=1 (CI). They use the database pytest-django creates (the worker subprocesses get
its name) and queues of their own on Redis, removed afterwards, so they never meet another worker. As in
production, beat's tasks have a queue and a worker of their own (Services.periodic_worker, started with beat).
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings

from reminders.management.commands.make_vapid_keys import new_key_pair
from tests.push_peer import PushPeer
from tests.smtp_server import Inbox

BASE_DIR = Path(settings.BASE_DIR)
REQUIRE_SERVICES = os.environ.get("STEADY_REQUIRE_SERVICES") == "1"


def redis_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis://") else "redis://127.0.0.1:6379/0"


def services_problem():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL (DATABASE_URL=postgres://...): worker processes share the test database"
    try:
        redis.Redis.from_url(redis_url(), socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"needs Redis at {redis_url()}: {error}"
    return None


@pytest.fixture(autouse=True)
def require_services(request):
    if request.node.get_closest_marker("services") is None:
        return
    problem = services_problem()
    if problem and REQUIRE_SERVICES:
        pytest.fail(f"STEADY_REQUIRE_SERVICES=1 but this test {problem}")
    if problem:
        pytest.skip(problem)


def free_port(start=None):
    if start is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]
    for port in range(start, start + 100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port")


def wait_until(condition, timeout, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


# --- The SMTP sink ------------------------------------------------------------------------------------------


@pytest.fixture
def inbox():
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py), which a test can make slow or faulty."""
    box = Inbox().start()
    yield box
    box.stop()


# --- Celery processes ---------------------------------------------------------------------------------------


def database_url_for_workers():
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}{password}@{host}/{db['NAME']}"


class CeleryProcess:
    """A `celery worker` or `celery beat` subprocess in its own process group, logging to a file."""

    def __init__(self, args, env, log_path, is_ready):
        self.args, self.env, self.log_path, self.is_ready = args, env, log_path, is_ready
        self.process = None

    def start(self, timeout=40):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *self.args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: self.process.poll() is not None or self.is_ready(),
            timeout,
            what=f"celery {self.args[0]} to start",
        )
        assert self.process.poll() is None, self.log_path.read_text(errors="replace")[-3000:]
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        if self.process:
            try:  # pool children left behind by a killed parent
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.log.close()


class Services:
    """Workers and beat on one Redis URL and queues of their own: `queue` (the default one: sends, roll-over
    pages) and `periodic_queue` (beat's tasks, settings.CELERY_TASK_ROUTES). All stopped and cleaned up after.
    """

    def __init__(self, tmp_path, inbox, broker_url, loglevel="INFO"):
        self.tmp_path, self.inbox, self.broker_url, self.loglevel = tmp_path, inbox, broker_url, loglevel
        self.queue = f"steady-test-{uuid.uuid4().hex[:10]}"
        self.periodic_queue = f"{self.queue}-periodic"
        self.processes = []
        self.periodic = None
        self.extra_env = {}

    def env(self):
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_workers(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_PERIODIC_QUEUE": self.periodic_queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.inbox.port}",
            "SITE_URL": "http://steady.test",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
        }
        env.update(self.extra_env)
        return env

    def worker(self, concurrency=2, name="worker", queue=None):
        """A worker on the default queue (or `queue`), as docker-compose's `worker`."""
        nodename = f"{self.queue}-{name}@{socket.gethostname()}"
        args = [
            "worker",
            f"--loglevel={self.loglevel}",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-Q",
            queue or self.queue,
            "-n",
            nodename,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        log_path = self.tmp_path / f"{name}.log"

        def ready():
            if self.loglevel == "INFO":
                return f"{nodename} ready." in log_path.read_text(errors="replace")
            return self.answers(nodename)

        process = CeleryProcess(args, self.env(), log_path, ready)
        self.processes.append(process)
        return process.start()

    def periodic_worker(self):
        """The worker of beat's queue, as docker-compose's `periodic`: started once, by beat() and beat_tick()
        (a test may start it first)."""
        if self.periodic is None:
            self.periodic = self.worker(concurrency=1, name="periodic", queue=self.periodic_queue)
        return self.periodic

    def beat(self, every=1.0):
        self.periodic_worker()
        env = {**self.env(), "REMINDER_DISPATCH_EVERY": str(every)}
        args = ["beat", "--loglevel=INFO", "-s", str(self.tmp_path / "celerybeat-schedule")]
        log_path = self.tmp_path / "beat.log"
        process = CeleryProcess(args, env, log_path, lambda: "beat: Starting" in log_path.read_text())
        self.processes.append(process)
        return process.start()

    def answers(self, nodename):
        """Whether the worker answers a ping (it is connected and consuming)."""
        client = Celery(broker=self.broker_url)
        try:
            return bool(client.control.ping(destination=[nodename], timeout=0.5))
        except Exception:
            return False
        finally:
            client.close()

    def beat_tick(self):
        """Publish the dispatcher's task exactly as beat does (send_task by name, to beat's queue)."""
        self.periodic_worker()
        client = Celery(broker=self.broker_url)
        try:
            client.send_task("reminders.tasks.dispatch_due", queue=self.periodic_queue)
        finally:
            client.close()

    def run_dispatcher_process(self):
        """The dispatcher's task body in a separate OS process, as a worker runs it."""
        code = "import django; django.setup(); from reminders.tasks import dispatch_due; dispatch_due()"
        return subprocess.Popen([sys.executable, "-c", code], cwd=BASE_DIR, env=self.env())

    def logs(self):
        return "\n".join(p.log_path.read_text(errors="replace")[-4000:] for p in self.processes)

    def close(self):
        for process in self.processes:
            process.stop()
        forget_queue(self.broker_url, self.queue)


def forget_queue(broker_url, queue):
    """Remove the test queue's keys, its bindings and its unacknowledged messages from Redis."""
    try:
        client = redis.Redis.from_url(broker_url, socket_connect_timeout=2)
        for key in client.scan_iter(f"*{queue}*"):
            client.delete(key)
        for key in client.scan_iter("_kombu.binding*"):
            if client.type(key) == b"set":
                for member in client.smembers(key):
                    if queue.encode() in member:
                        client.srem(key, member)
            elif client.type(key) == b"zset":
                for member in client.zrange(key, 0, -1):
                    if queue.encode() in member:
                        client.zrem(key, member)
        for tag, payload in client.hscan_iter("unacked"):
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    except redis.RedisError:
        pass


@pytest.fixture
def services(transactional_db, tmp_path, inbox):
    running = Services(tmp_path, inbox, redis_url())
    yield running
    running.close()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a spare port, so that stopping it stops nobody else's."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")

    class OwnRedis:
        port = free_port(6390)
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_until(self.answers, 10, what="redis-server to start")

        def stop(self):
            if self.process and self.process.poll() is None:
                self.process.terminate()
                self.process.wait(timeout=10)

        def answers(self):
            try:
                return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
            except redis.RedisError:
                return False

    server = OwnRedis()
    server.start()
    yield server
    server.stop()


# --- People due now -----------------------------------------------------------------------------------------

TIMEZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]


def make_people_due_now(count, prefix="due", due_at=None):
    """`count` onboarded people, each with a session on their local date of `due_at` (default: now) and the
    session-day reminder due then. A reminder due hours ago is about that day's session, which may be
    yesterday where the person lives."""
    from zoneinfo import ZoneInfo

    from accounts.models import Profile, User
    from planner.models import Plan, PlannedSession
    from reminders.models import EmailKind, Reminder

    now = due_at or datetime.datetime.now(datetime.UTC)
    users = User.objects.bulk_create(User(email=f"{prefix}{i}@example.com") for i in range(count))
    profiles = [
        Profile(user=u, timezone=TIMEZONES[i % len(TIMEZONES)], onboarded_at=now - datetime.timedelta(days=3))
        for i, u in enumerate(users)
    ]
    Profile.objects.bulk_create(profiles)
    plans, sessions, reminders = [], [], []
    for user, profile in zip(users, profiles, strict=True):
        today = now.astimezone(ZoneInfo(profile.timezone)).date()
        plans.append(
            Plan(
                user=user,
                week_start=today - datetime.timedelta(days=today.weekday()),
                target_aerobic_minutes=60,
                target_strength_days=1,
                target_balance_days=0,
                meets_who_guideline=False,
            )
        )
    Plan.objects.bulk_create(plans)
    for plan, profile in zip(plans, profiles, strict=True):
        today = now.astimezone(ZoneInfo(profile.timezone)).date()
        sessions.append(
            PlannedSession(
                plan=plan,
                date=today,
                activity="walking",
                variant="brisk walk",
                compendium_code="17200",
                category="aerobic",
                intensity="moderate",
                met="4.3",
                minutes=20,
            )
        )
        reminders.append(Reminder(user=plan.user, kind=EmailKind.SESSION_DAY, next_due_at=now))
    PlannedSession.objects.bulk_create(sessions)
    Reminder.objects.bulk_create(reminders)
    return [u.email for u in users]


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """The servers these tests start check passwords with the production hashers: keep them here too."""
    yield


@pytest.fixture
def push_service(services, settings):
    """A push service on 127.0.0.1, and the workers' VAPID keys and trust in its certificate."""
    public, private = new_key_pair()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    peer = PushPeer(server_key=public).start()
    services.extra_env.update(
        {
            "VAPID_PUBLIC_KEY": public,
            "VAPID_PRIVATE_KEY": private,
            "VAPID_SUBJECT": "mailto:operator@steady.test",
            "REQUESTS_CA_BUNDLE": peer.ca_file,
        }
    )
    yield peer
    peer.stop()
