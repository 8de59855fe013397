"""Browser tests: Playwright for Python driving Debian's Chromium (never `playwright install`).

Without Chromium these tests skip with the reason, except in CI (CI=true), where a missing browser fails them:
a green CI run must mean the browser journey really ran.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest
import time_machine

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return (
            f"Chromium not found at {CHROMIUM} (install Debian's chromium package: `make test` does as root)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (make install)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def on_a_monday_morning():
    """The journeys tick off a session of the first plan, and a first plan made later in the week leaves the
    days gone free (engine.rest_of_week). So the tests run on a Monday morning: the coming one, close to the
    browser's own clock, which sets cookie lifetimes against it."""
    now = datetime.datetime.now(datetime.UTC)
    monday = now + datetime.timedelta(days=(7 - now.weekday()) % 7)
    with time_machine.travel(monday.replace(hour=9, minute=0, second=0, microsecond=0), tick=True):
        yield


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
