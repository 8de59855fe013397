"""How fast is the dashboard? Run from the project root: `python tests/bench/bench_dashboard.py [N]`.

On a throwaway SQLite database holding a person with a year of history, starts gunicorn (one sync worker,
DEBUG off) and times, in alternation so that all see the same machine, N requests each of:
- a bare Django view, behind the same middleware: the baseline;
- the dashboard as people mostly see it: kept in the cache (planner/page_cache.py) since their last change;
- the dashboard right after a change: a session ticked off or undone (untimed), so rendered from the database.
Requests carry the session and CSRF cookies as a browser's would. Prints the medians and the ratios.
Goals: kept, at most 2 times the bare view; right after a change (rendered afresh), at most 3 times.
"""

import datetime
import http.client
import os
import re
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
GOAL_KEPT = 2.0
GOAL_CHANGED = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database() -> tuple[str, int]:
    """Migrate, create a person with a year of history and this week's plan.

    Returns a browser's cookies and the id of one of this week's sessions."""
    import django

    django.setup()
    import time_machine
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
    # Made as on the week's Monday morning, so that it is a whole week whatever the day the bench runs.
    with time_machine.travel(datetime.datetime.combine(this_monday, datetime.time(9), tzinfo=datetime.UTC)):
        this_week = plans.plan_for_week(profile.user, this_monday)

    session = SessionStore()
    session[SESSION_KEY] = str(profile.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = profile.user.get_session_auth_hash()
    session.create()
    csrf_secret = get_random_string(32)
    cookies = {settings.SESSION_COOKIE_NAME: session.session_key, settings.CSRF_COOKIE_NAME: csrf_secret}
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return cookie, this_week.sessions.first().pk


def request(port: int, method: str, path: str, headers: dict) -> tuple[float, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    connection.request(method, path, headers={"Host": "127.0.0.1", **headers})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status not in (200, 302):
        raise SystemExit(f"{method} {path} answered {response.status}: {body[:300]!r}")
    return elapsed, body


def get(port: int, path: str, cookie: str) -> float:
    return request(port, "GET", path, {"Cookie": cookie})[0]


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


def measure(cookie: str, session_id: int) -> dict[str, float]:
    """Median milliseconds of the bare view, the kept dashboard and the dashboard after a change."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers=1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        page = request(port, "GET", "/dashboard/", {"Cookie": cookie})[1].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        change_headers = {"Cookie": cookie, "X-CSRFToken": token}
        times = {"bare": [], "kept": [], "changed": []}
        for number in range(WARM_UP + REQUESTS):
            bare = get(port, "/bench/bare/", cookie)
            kept = get(port, "/dashboard/", cookie)
            action = "done" if number % 2 == 0 else "undo"
            request(port, "POST", f"/sessions/{session_id}/{action}/", change_headers)
            changed = get(port, "/dashboard/", cookie)
            if number >= WARM_UP:
                times["bare"].append(bare)
                times["kept"].append(kept)
                times["changed"].append(changed)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def report(what: str, dashboard_ms: float, bare_ms: float, goal: float) -> bool:
    """Prints the figure beside its limit; whether the goal was met."""
    ratio = dashboard_ms / bare_ms
    verdict = "met" if ratio <= goal else "MISSED"
    print(f"dashboard, {what}: {dashboard_ms:.2f} ms, {ratio:.2f}x (goal <= {goal:g}x: {verdict})")
    return ratio <= goal


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.bench_settings"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["EMAIL_URL"] = "consolemail://"
        cookie, session_id = prepare_database()
        medians = measure(cookie, session_id)
    print(f"{REQUESTS} requests each, a year of history, one gunicorn worker:")
    print(f"bare Django view (baseline): median {medians['bare']:.2f} ms")
    met = [
        report("kept since the last change", medians["kept"], medians["bare"], GOAL_KEPT),
        report("first view after a change", medians["changed"], medians["bare"], GOAL_CHANGED),
    ]
    if not all(met):
        sys.exit(1)


if __name__ == "__main__":
    main()
