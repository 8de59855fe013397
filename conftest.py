"""Fixtures every test folder shares (the apps' tests/ folders and tests/).

Most pages are tested on one moment (tests/week.py): Wednesday 25 November 2026 at noon UTC, in the week
that began on Monday 23 November, with a person who finished onboarding then. A module makes that moment its
own with `pytestmark = pytest.mark.usefixtures("wednesday")`, and overrides `profile` where it needs another
person.
"""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Factories hash a password for every user; the production hasher takes a good part of a second on
    purpose. Tests whose passwords are checked by another process (tests/integration) override this."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def wednesday():
    """The clock stopped at WEDNESDAY_NOON; the traveller can move it."""
    with time_machine.travel(WEDNESDAY_NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def profile():
    """A person who finished onboarding on WEDNESDAY_NOON, in London."""
    return ProfileFactory(onboarding_step=6, onboarded_at=WEDNESDAY_NOON)


@pytest.fixture
def plan(profile):
    """Their plan for the week of MONDAY: 60 active minutes and one strength day."""
    return PlanFactory(
        user=profile.user, week_start=MONDAY, target_aerobic_minutes=60, target_strength_days=1
    )


@pytest.fixture
def session(plan):
    """A 20-minute session of that plan, on WEDNESDAY."""
    return PlannedSessionFactory(plan=plan, date=WEDNESDAY, minutes=20)


@pytest.fixture
def owner(client, profile):
    """A browser logged in as the person."""
    client.force_login(profile.user)
    return client


@pytest.fixture
def a_year_of_history(profile):
    """52 weeks before MONDAY, each with four done sessions: the person's user."""
    for week in range(1, 53):
        old = PlanFactory(user=profile.user, week_start=MONDAY - datetime.timedelta(weeks=week))
        for day in range(0, 7, 2):
            PlannedSessionFactory(plan=old, date=old.week_start + datetime.timedelta(days=day), status="done")
    return profile.user
