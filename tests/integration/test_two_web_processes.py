"""Two web processes sharing PostgreSQL and a Redis cache, as in production: what one does, the other sees.

Login sessions and kept dashboard pages live in the cache (planner/page_cache.py). This runs two gunicorn
servers and sends one browser's requests to both in turn.
"""

import http.client
import re
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django.utils.crypto import get_random_string

from planner import plans
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.integration.conftest import BASE_DIR, database_url_for_workers, free_port, redis_url, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def cache_url():
    """Redis database 15 of the Redis the suite uses: kept apart from the queues on database 0."""
    parts = urlsplit(redis_url())
    return urlunsplit(parts._replace(path="/15"))


class WebProcess:
    def __init__(self, log_path, cache_url):
        self.port = free_port()
        env = {
            "PATH": "/usr/bin:/bin",
            "DEBUG": "true",
            "DATABASE_URL": database_url_for_workers(),
            "CACHE_URL": cache_url,
            "CELERY_BROKER_URL": redis_url(),
            "EMAIL_URL": "consolemail://",
        }
        self.log = open(log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{self.port}", "--workers=1"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, timeout=30, what="gunicorn to answer")

    def answers(self):
        assert self.process.poll() is None, "gunicorn stopped"
        try:
            self.request("GET", "/healthz/", cookies="")
            return True
        except OSError:
            return False

    def request(self, method, path, cookies, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": cookies, "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = "&".join(f"{key}={value}" for key, value in form.items())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        result = response.status, response.getheader("Location", ""), response.read().decode()
        connection.close()
        return result

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


@pytest.fixture
def two_web_processes(tmp_path):
    processes = [
        WebProcess(tmp_path / "web-a.log", cache_url()),
        WebProcess(tmp_path / "web-b.log", cache_url()),
    ]
    yield processes
    for process in processes:
        process.stop()


def browser_cookies_for(user):
    login = SessionStore()  # written to the database: the web processes find it there and cache it
    login[SESSION_KEY] = str(user.pk)
    login[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    login[HASH_SESSION_KEY] = user.get_session_auth_hash()
    login.create()
    # A CSRF secret of this run only, so no page kept by an earlier run can match.
    return f"sessionid={login.session_key}; csrftoken={get_random_string(32)}"


def form_token(page, action):
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def someone_with_a_session_today():
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now(), timezone="UTC")
    today = profile.local_date()
    plan = PlanFactory(user=profile.user, week_start=plans.monday_of(today))
    return PlannedSessionFactory(plan=plan, date=today, minutes=25)


def test_a_change_and_a_log_out_in_one_process_reach_the_other(two_web_processes):
    a, b = two_web_processes
    session = someone_with_a_session_today()
    cookies = browser_cookies_for(session.plan.user)
    done = f"/sessions/{session.pk}/done/"

    for _ in range(2):  # the second view is the kept page
        status, _, page = a.request("GET", "/dashboard/", cookies)
        assert status == 200
        assert "Mark done" in page and "Well done" not in page

    status, location, _ = b.request(
        "POST", done, cookies, form={"csrfmiddlewaretoken": form_token(page, done)}
    )
    assert (status, location) == (302, f"/dashboard/#session-{session.pk}")

    status, _, page = a.request("GET", "/dashboard/", cookies)
    assert "Well done" in page

    status, _, page = b.request("GET", "/dashboard/", cookies)
    logout = "/accounts/logout/"
    status, _, _ = b.request("POST", logout, cookies, form={"csrfmiddlewaretoken": form_token(page, logout)})
    assert status == 302

    status, location, _ = a.request("GET", "/dashboard/", cookies)
    assert status == 302 and location.startswith("/accounts/login/")


def test_with_redis_down_signed_in_pages_still_work_and_changes_show(own_redis, tmp_path):
    web = WebProcess(tmp_path / "web.log", own_redis.url)
    try:
        session = someone_with_a_session_today()
        cookies = browser_cookies_for(session.plan.user)
        done = f"/sessions/{session.pk}/done/"
        for _ in range(2):
            status, _, page = web.request("GET", "/dashboard/", cookies)
            assert status == 200 and "Mark done" in page

        own_redis.stop()
        assert not own_redis.answers()
        status, _, page = web.request("GET", "/dashboard/", cookies)
        assert status == 200 and "Mark done" in page
        status, _, _ = web.request(
            "POST", done, cookies, form={"csrfmiddlewaretoken": form_token(page, done)}
        )
        assert status == 302
        status, _, page = web.request("GET", "/dashboard/", cookies)
        assert status == 200 and "Well done" in page

        own_redis.start()
        for _ in range(2):
            status, _, page = web.request("GET", "/dashboard/", cookies)
            assert status == 200 and "Well done" in page
    finally:
        web.stop()
