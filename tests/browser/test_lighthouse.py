"""Lighthouse on the three pages people open most: the landing page, the week (/dashboard/) and a session
page, served as in production (gunicorn, DEBUG off, the static files collected and served compressed by
whitenoise: tests/browser/production_site.py), the two signed-in pages with a login session's cookie.

Lighthouse runs with its own defaults: mobile (a mid-range phone, its CPU slowed 4x, on a slow 4G network, all
simulated). Goal: performance at least 98; accessibility, best practices and SEO 100. The performance score
moves with the machine's load (other processes share its 2 cores), so a page gets up to 3 runs and its best
performance score counts (a run in which Lighthouse itself failed counts as one of the 3); the other
categories do not depend on load, and every run must score 100 in them.

Lighthouse comes from tests/web_tools (npm ci). Without Node, npm or Chromium this test skips, and in CI
(CI=true) it fails. Each run's report is kept in test-artifacts/lighthouse-<page>-<run>.json.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser import production_site
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web_tools import LIGHTHOUSE, installed, must_run, program

pytestmark = pytest.mark.browser

RUNS = 3
GOAL = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
PRIVATE = {"week", "session"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """{"url": the server's address, "cookie": a signed-in person's, "session": their session's id}."""
    if not Path(CHROMIUM).exists():
        must_run(
            f"Chromium not found at {CHROMIUM} (install Debian's chromium package: `make test` does as root)"
        )
    folder = tmp_path_factory.mktemp("production-site")
    prepared = production_site.prepare(folder)
    server = production_site.Server(folder)
    yield {**prepared, "url": server.url}
    server.stop()


def lighthouse(url: str, report: Path, cookie: str | None) -> dict | str:
    """One Lighthouse run (mobile, its default throttling) on url: its JSON report, or why it failed."""
    command = [
        program("node"),
        str(installed(LIGHTHOUSE)),
        url,
        "--only-categories=" + ",".join(GOAL),
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS]),
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    run = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=180
    )
    if run.returncode or not report.exists():
        return f"Lighthouse failed on {url}: {run.stderr[-2000:]}"
    return json.loads(report.read_text())


def scores(report: dict) -> dict[str, int]:
    return {name: round(100 * (category["score"] or 0)) for name, category in report["categories"].items()}


def failed_audits(report: dict, category: str) -> dict[str, str]:
    """The category's scored audits that did not pass: {id: title and value}."""
    audits = report["audits"]
    return {
        ref["id"]: f"{audits[ref['id']]['title']} {audits[ref['id']].get('displayValue', '')}".strip()
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    }


def summary(report: dict) -> str:
    audits = report["audits"]
    metrics = [
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
    ]
    values = ", ".join(f"{name} {audits[name]['displayValue']}" for name in metrics)
    kib = audits["total-byte-weight"]["numericValue"] / 1024
    return f"{scores(report)}; {values}; {kib:.0f} KiB transferred"


@pytest.mark.parametrize("page", ["landing", "week", "session"])
def test_lighthouse_scores(site, page, artifacts):
    path = {"landing": "/", "week": "/dashboard/", "session": f"/sessions/{site['session']}/"}[page]
    cookie = site["cookie"] if page in PRIVATE else None

    reports, failures = [], []
    for run in range(RUNS):
        report = lighthouse(site["url"] + path, artifacts / f"lighthouse-{page}-{run + 1}.json", cookie)
        if isinstance(report, str):  # Chrome not started or lost on a busy machine: that run is spent
            failures.append(report)
            continue
        reports.append(report)
        print(f"{page}, run {run + 1}: {summary(report)}")
        assert report["finalDisplayedUrl"].endswith(path), f"{path} led to {report['finalDisplayedUrl']}"
        if scores(report)["performance"] >= GOAL["performance"]:
            break
    assert reports, "\n".join(failures)

    best = max(reports, key=lambda report: scores(report)["performance"])
    assert scores(best)["performance"] >= GOAL["performance"], (
        f"{page}: performance {scores(best)['performance']} at best in {len(reports)} runs "
        f"({summary(best)}); not passed: {failed_audits(best, 'performance')}"
    )
    for report in reports:
        for category in ("accessibility", "best-practices", "seo"):
            assert scores(report)[category] == GOAL[category], (
                f"{page}, {category} {scores(report)[category]}: {failed_audits(report, category)}"
            )
