"""How fast is the dashboard? Run from the project root: `python tests/bench/bench_dashboard.py [N]`.

On a throwaway SQLite database holding a person with a year of history, starts gunicorn (one sync worker,
DEBUG off) and times N requests to the dashboard and N to a bare Django view served by the same server, in
alternation so both see the same machine; the requests carry the session and CSRF cookies as a browser's
would. Prints the medians and their ratio, twice:
- as people mostly see it: the page kept in the cache (planner/page_cache.py) since their last change;
- the first view after a change, rendered from the database (a server whose cache keeps nothing).
Goal: the dashboard costs at most 2 times the bare view.
"""

import datetime
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
WARM_UP = 30
GOAL_RATIO = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database() -> str:
    """Migrate, create a person with a year of history and this week's plan; returns a browser's cookies."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from planner import plans
    from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory

    call_command("migrate", verbosity=0)
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now(), timezone="UTC")
    this_monday = plans.monday_of(profile.local_date())
    for week in range(1, 53):
        plan = PlanFactory(user=profile.user, week_start=this_monday - datetime.timedelta(weeks=week))
        for day in range(0, 7, 2):
            date = plan.week_start + datetime.timedelta(days=day)
            PlannedSessionFactory(plan=plan, date=date, status="done")
    plans.plan_for_week(profile.user, this_monday)

    session = SessionStore()
    session[SESSION_KEY] = str(profile.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = profile.user.get_session_auth_hash()
    session.create()
    csrf_secret = get_random_string(32)
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf_secret}"


def get(port: int, path: str, cookie: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: {body[:300]!r}")
    return elapsed


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("gunicorn did not start")


def measure(cookie: str, cache_url: str) -> tuple[float, float]:
    """Median milliseconds of the dashboard and of the bare view, on a server using cache_url."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers=1"],
        cwd=ROOT,
        env={**os.environ, "CACHE_URL": cache_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        for _ in range(WARM_UP):
            get(port, "/dashboard/", cookie)
            get(port, "/bench/bare/", cookie)
        dashboard, bare = [], []
        for _ in range(REQUESTS):
            dashboard.append(get(port, "/dashboard/", cookie))
            bare.append(get(port, "/bench/bare/", cookie))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return statistics.median(dashboard) * 1000, statistics.median(bare) * 1000


def report(what: str, dashboard_ms: float, bare_ms: float) -> None:
    ratio = dashboard_ms / bare_ms
    verdict = "goal met" if ratio <= GOAL_RATIO else "goal NOT met"
    print(
        f"dashboard, {what}: median {dashboard_ms:.2f} ms; bare Django view, same server: {bare_ms:.2f} ms; "
        f"{ratio:.2f}x (goal <= {GOAL_RATIO:.0f}x): {verdict}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.bench_settings"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["EMAIL_URL"] = "consolemail://"
        cookie = prepare_database()
        kept = measure(cookie, "locmemcache://")
        rendered = measure(cookie, "dummycache://")
    print(f"{REQUESTS} requests each, a year of history:")
    report("kept since the last change", *kept)
    report("first view after a change", *rendered)


if __name__ == "__main__":
    main()
