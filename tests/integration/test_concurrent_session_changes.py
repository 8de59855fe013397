"""Undo and swap of one session from two browsers at the same moment, on PostgreSQL: no swap is lost.

Each round ticks the session off, then sends an undo and a swap at once from two threads (each request in its
own database connection, as two web workers would). An undo that saved every field would write back the
activity it had read, and the swap would be lost.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from planner import plans
from planner.models import PlannedSession
from tests.factories import PlanFactory, PlannedSessionFactory, ProfileFactory
from tests.week import MONDAY, WEDNESDAY, WEDNESDAY_NOON

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROUNDS = 120
VARIANTS = {option["key"]: option["variant"] for option in plans.catalogue_variants()}


def at_once(*requests):
    """Run each request in a thread of its own, all released together; their responses, in order."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(index, request):
        start.wait()
        try:
            responses[index] = request()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_concurrent_undo_and_swap_lose_no_swap():
    # Swaps offer only what the engine could plan for the person: their preferences, and walking.
    profile = ProfileFactory(
        onboarding_step=6, onboarded_at=WEDNESDAY_NOON, preferences=["walking", "yoga", "dancing", "cycling"]
    )
    plan = PlanFactory(user=profile.user, week_start=MONDAY)
    session = PlannedSessionFactory(plan=plan, date=WEDNESDAY, activity="walking", variant="walking, brisk")
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(profile.user)
    swap_page = browsers[1].get(reverse("session_swap", args=[session.pk])).content.decode()
    choices = [key for key in ("dancing_salsa", "cycling_leisure", "yoga_sun_salutation") if key in swap_page]
    assert len(choices) >= 2, "the swap page offers fewer options than the test needs"

    lost = 0
    for round_number in range(ROUNDS):
        browsers[0].post(reverse("session_done", args=[session.pk]))
        choice = next(
            key for key in choices[round_number % 2 :] + choices if VARIANTS[key] != session.variant
        )
        undo, swap = at_once(
            lambda: browsers[0].post(reverse("session_undo", args=[session.pk])),
            lambda choice=choice: browsers[1].post(
                reverse("session_swap", args=[session.pk]), {"variant": choice}
            ),
        )
        assert undo.status_code == 302 and swap.status_code == 302
        session.refresh_from_db()
        assert session.status == PlannedSession.Status.PLANNED
        lost += session.variant != VARIANTS[choice]

    assert lost == 0, f"{lost} swaps of {ROUNDS} were lost"
