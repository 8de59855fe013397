"""No input reaches a server error: every URL, and every form on it, with values nobody thought of.

For each route of the site (the admin aside), hypothesis fills the path's parameters, the query string and the
fields of the page's own forms with hostile values (NUL bytes, huge numbers, odd dates, markup, very long and
non-Latin text), sent by a visitor and by a signed-in person whose real objects are among the candidates. Any
answer of 500 or more fails. CI runs it on SQLite and again on PostgreSQL, which refuses NUL bytes.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CheckInFactory, PlanFactory, PlannedSessionFactory, ProfileFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "25:61",
    "on",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "anna@bücher.example",
    "ünïcødé ✓ 💪",
    "x" * 3000,
]
hostile = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=40))


def routes() -> list[str]:
    """Every route of the site as its pattern text ("sessions/<int:pk>/done/"), the admin left out."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(route for route in walk(get_resolver().url_patterns) if not route.startswith("admin/"))


PARAMETER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def path_for(route: str, values: list[str]) -> str:
    """The route with each parameter replaced by the next value, %-encoded; regex routes lose ^ and $."""
    path = route.replace("^", "").replace("$", "")
    for value in values:
        path = PARAMETER.sub(quote(value, safe=""), path, count=1)
    return "/" + path


def form_fields(client, path) -> list[str]:
    """The names of the inputs of the forms on the page at `path`, as the person would see them."""
    response = client.get(path)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', response.content.decode())
    return sorted(set(names) - {"csrfmiddlewaretoken"})


@pytest.fixture
def person():
    """Someone through onboarding, with a plan, a session and a check-in: real ids to aim at."""
    profile = ProfileFactory(onboarding_step=6, onboarded_at="2026-11-20T10:00:00Z", calendar_token="t" * 43)
    plan = PlanFactory(user=profile.user)
    session = PlannedSessionFactory(plan=plan, date=plan.week_start)
    checkin = CheckInFactory(user=profile.user)
    return {
        "user": profile.user,
        "ids": [str(session.pk), str(checkin.pk), plan.week_start.isoformat(), "t" * 43],
    }


@pytest.mark.parametrize("route", routes())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_reaches_a_server_error(client, person, route, data):
    signed_in = data.draw(st.booleans(), label="signed in")
    if signed_in:
        client.force_login(person["user"])
    else:
        client.logout()
    count = len(PARAMETER.findall(route.replace("^", "")))
    values = [
        data.draw(st.one_of(st.sampled_from(person["ids"]), hostile), label="path") for _ in range(count)
    ]
    path = path_for(route, values)

    query = data.draw(st.dictionaries(st.sampled_from(["next", "page", "week", "x"]), hostile, max_size=2))
    response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.status_code)

    fields = form_fields(client, path) or ["next", "x"]
    form = data.draw(
        st.dictionaries(st.sampled_from(fields), st.one_of(hostile, st.lists(hostile, max_size=3)))
    )
    response = client.post(path, form)
    assert response.status_code < 500, (path, form, response.status_code)
