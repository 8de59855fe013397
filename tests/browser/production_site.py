"""A production-like Steady for Lighthouse: gunicorn on DEBUG-off settings (production_settings.py), static
files collected and served by whitenoise, a throwaway SQLite database holding one onboarded person with this
week's plan, and a login session of theirs to send as a cookie.

`python -m tests.browser.production_site FOLDER` migrates FOLDER/db.sqlite3, collects the static files into
FOLDER/static and prints {"cookie": "sessionid=...", "session": <a strength session's id>} as JSON.
"""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment(folder: Path) -> dict:
    """The server's environment: this one's, less what the test run or the services run set."""
    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "tests.browser.production_settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "memory://",
        "STEADY_STATIC_ROOT": str(folder / "static"),
    }


def prepare(folder: Path) -> dict:
    """Runs this module in a new process on FOLDER: {"cookie": header value, "session": id}."""
    run = subprocess.run(
        [sys.executable, "-m", "tests.browser.production_site", str(folder)],
        cwd=ROOT,
        env=environment(folder),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode:
        raise RuntimeError(f"preparing the production-like site failed:\n{run.stdout}\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving FOLDER's site, as the Docker image does (its workers, DEBUG off)."""

    def __init__(self, folder: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.log = open(folder / "gunicorn.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", f"--bind=127.0.0.1:{self.port}"]
            + ["--workers=2"],
            cwd=ROOT,
            env=environment(folder),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {folder / 'gunicorn.log'}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 30 s") from None
                time.sleep(0.1)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=15)
        self.log.close()


def main(folder: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from planner import plans
    from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)

    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now() - datetime.timedelta(weeks=9))
    user = profile.user
    monday = plans.monday_of(profile.local_date())
    for week in range(1, 9):  # eight past weeks, so the page shows progress as it does for a regular
        past = PlanFactory(user=user, week_start=monday - datetime.timedelta(weeks=week))
        for day in range(0, 7, 2):
            PlannedSessionFactory(
                plan=past, date=past.week_start + datetime.timedelta(days=day), status="done"
            )
    week = plans.plan_for_week(user, monday)
    strength = week.sessions.filter(category="strength").first() or week.sessions.first()

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(
        json.dumps(
            {"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "session": strength.pk}
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
