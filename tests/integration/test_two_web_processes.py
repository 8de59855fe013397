"""Two web processes sharing PostgreSQL and a Redis cache, as in production: what one does, the other sees.

Login sessions and kept dashboard pages live in the cache (planner/page_cache.py). These tests run gunicorn
servers on DEBUG-off settings and send one browser's requests to them, keeping cookies as a browser does.
"""

import http.client
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.utils import timezone

from planner import plans
from tests.factories import PASSWORD, PlanFactory, PlannedSessionFactory, ProfileFactory
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
            # As in production (DEBUG off), but with static files served without a collectstatic manifest.
            "DJANGO_SETTINGS_MODULE": "tests.bench.bench_settings",
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
            Browser().request(self, "GET", "/healthz/")
            return True
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


class Browser:
    """Sends requests with the cookies earlier responses set, and forgets those they delete."""

    def __init__(self):
        self.cookies = {}

    def request(self, web, method, path, form=None):
        """Returns the status, the Location header and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=20)
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        result = response.status, response.getheader("Location", ""), response.read().decode()
        connection.close()
        return result

    def log_in(self, web, user):
        _, _, page = self.request(web, "GET", "/accounts/login/")
        form = {"csrfmiddlewaretoken": form_token(page), "login": user.email, "password": PASSWORD}
        status, _, _ = self.request(web, "POST", "/accounts/login/", form)
        assert status == 302, "the login form did not log in"
        self.request(web, "GET", "/dashboard/")  # shows, and so clears, the "signed in" message

    def post_form(self, web, page, action):
        return self.request(web, "POST", action, {"csrfmiddlewaretoken": form_token(page, action)})


def form_token(page, action=None):
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0] if action else page
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def someone_with_a_session_today():
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now(), timezone="UTC")
    today = profile.local_date()
    plan = PlanFactory(user=profile.user, week_start=plans.monday_of(today))
    return PlannedSessionFactory(plan=plan, date=today, minutes=25)


@pytest.fixture
def two_web_processes(tmp_path):
    processes = [WebProcess(tmp_path / f"web-{name}.log", cache_url()) for name in ("a", "b")]
    yield processes
    for process in processes:
        process.stop()


def test_a_change_and_a_log_out_in_one_process_reach_the_other(two_web_processes):
    a, b = two_web_processes
    session = someone_with_a_session_today()
    done = f"/sessions/{session.pk}/done/"
    browser = Browser()
    browser.log_in(a, session.plan.user)

    for _ in range(2):  # rendered, then kept
        status, _, page = browser.request(a, "GET", "/dashboard/")
        assert status == 200
        assert "Mark done" in page and "Well done" not in page

    status, location, _ = browser.post_form(b, page, done)
    assert (status, location) == (302, f"/dashboard/#session-{session.pk}")

    status, _, page = browser.request(a, "GET", "/dashboard/")
    assert "Well done" in page

    status, _, _ = browser.post_form(b, page, "/accounts/logout/")
    assert status == 302

    status, location, _ = browser.request(a, "GET", "/dashboard/")
    assert status == 302 and location.startswith("/accounts/login/")


def test_with_redis_down_signed_in_pages_still_work_and_changes_show(own_redis, tmp_path):
    web = WebProcess(tmp_path / "web.log", own_redis.url)
    try:
        session = someone_with_a_session_today()
        done = f"/sessions/{session.pk}/done/"
        browser = Browser()
        browser.log_in(web, session.plan.user)
        for _ in range(2):
            status, _, page = browser.request(web, "GET", "/dashboard/")
            assert status == 200 and "Mark done" in page

        own_redis.stop()
        assert not own_redis.answers()
        status, _, page = browser.request(web, "GET", "/dashboard/")
        assert status == 200 and "Mark done" in page
        status, _, _ = browser.post_form(web, page, done)
        assert status == 302
        status, _, page = browser.request(web, "GET", "/dashboard/")
        assert status == 200 and "Well done" in page

        own_redis.start()
        for _ in range(2):
            status, _, page = browser.request(web, "GET", "/dashboard/")
            assert status == 200 and "Well done" in page
    finally:
        web.stop()
