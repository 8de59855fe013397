import pytest

from reminders.tests.people import run_beat_tick


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """Run beat's dispatcher once at the current (travelled) time and send what it enqueued: the ids."""
    return lambda: run_beat_tick(django_capture_on_commit_callbacks)
