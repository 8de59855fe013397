"""Two web processes sharing PostgreSQL and a Redis cache, as in production: what one does, the other sees.

Login sessions and kept dashboard pages live in the cache (planner/page_cache.py). This runs two gunicorn
servers and sends one browser's requests to both in turn.
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
            self.request("GET", "/healthz/", cookies="")
            return True
        except OSError:
            return False

    def request(self, method, path, cookies, form=None):
        """(status, Location, {cookie name: value} set by the response, body)"""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": cookies, "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        set_cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            morsels = SimpleCookie(header)
            set_cookies.update({name: morsel.value for name, morsel in morsels.items()})
        result = response.status, response.getheader("Location", ""), set_cookies, response.read().decode()
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


def log_in(web, user):
    """Log in through the login form, as a browser would; returns the cookies it then holds."""
    _, _, cookies, page = web.request("GET", "/accounts/login/", cookies="")
    form = {"csrfmiddlewaretoken": form_token(page, ""), "login": user.email, "password": PASSWORD}
    status, _, new_cookies, _ = web.request("POST", "/accounts/login/", as_header(cookies), form=form)
    assert status == 302, "the login form did not log in"
    return as_header({**cookies, **new_cookies})


def as_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def form_token(page, action):
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0] if action else page
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def someone_with_a_session_today():
    profile = ProfileFactory(onboarding_step=6, onboarded_at=timezone.now(), timezone="UTC")
    today = profile.local_date()
    plan = PlanFactory(user=profile.user, week_start=plans.monday_of(today))
    return PlannedSessionFactory(plan=plan, date=today, minutes=25)


def test_a_change_and_a_log_out_in_one_process_reach_the_other(two_web_processes):
    a, b = two_web_processes
    session = someone_with_a_session_today()
    cookies = log_in(a, session.plan.user)
    done = f"/sessions/{session.pk}/done/"

    for _ in range(2):  # the second view is the kept page
        status, _, _, page = a.request("GET", "/dashboard/", cookies)
        assert status == 200
        assert "Mark done" in page and "Well done" not in page

    status, location, _, _ = b.request(
        "POST", done, cookies, form={"csrfmiddlewaretoken": form_token(page, done)}
    )
    assert (status, location) == (302, f"/dashboard/#session-{session.pk}")

    status, _, _, page = a.request("GET", "/dashboard/", cookies)
    assert "Well done" in page

    status, _, _, page = b.request("GET", "/dashboard/", cookies)
    logout = "/accounts/logout/"
    status, _, _, _ = b.request(
        "POST", logout, cookies, form={"csrfmiddlewaretoken": form_token(page, logout)}
    )
    assert status == 302

    status, location, _, _ = a.request("GET", "/dashboard/", cookies)
    assert status == 302 and location.startswith("/accounts/login/")


def test_with_redis_down_signed_in_pages_still_work_and_changes_show(own_redis, tmp_path):
    web = WebProcess(tmp_path / "web.log", own_redis.url)
    try:
        session = someone_with_a_session_today()
        cookies = log_in(web, session.plan.user)
        done = f"/sessions/{session.pk}/done/"
        for _ in range(2):
            status, _, _, page = web.request("GET", "/dashboard/", cookies)
            assert status == 200 and "Mark done" in page

        own_redis.stop()
        assert not own_redis.answers()
        status, _, _, page = web.request("GET", "/dashboard/", cookies)
        assert status == 200 and "Mark done" in page
        status, _, _, _ = web.request(
            "POST", done, cookies, form={"csrfmiddlewaretoken": form_token(page, done)}
        )
        assert status == 302
        status, _, _, page = web.request("GET", "/dashboard/", cookies)
        assert status == 200 and "Well done" in page

        own_redis.start()
        for _ in range(2):
            status, _, _, page = web.request("GET", "/dashboard/", cookies)
            assert status == 200 and "Well done" in page
    finally:
        web.stop()
