"""The Node tools some tests run, pinned by this folder's package-lock.json: Lighthouse
(tests/browser/test_lighthouse.py), the Nu HTML Checker's vnu.jar (tests/test_html_validity.py) and PurgeCSS
(`make css`, which trims Bootstrap). `make web-tools`, or the first test that needs them, installs them into
node_modules/ with `npm ci`.

Without Node, npm or Java the tests that need them skip with the reason, except in CI (CI=true), where they
fail: a green CI run must mean the checks really ran.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parent
LIGHTHOUSE = FOLDER / "node_modules" / "lighthouse" / "cli" / "index.js"
VNU_JAR = FOLDER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def must_run(reason: str):
    """Skip for want of a tool, except in CI (CI=true), where it fails."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"This check must run in CI: {reason}")
    pytest.skip(reason)


def installed(tool: Path) -> Path:
    """The path of one of this folder's tools (LIGHTHOUSE, VNU_JAR), installed with `npm ci` if missing.

    Skips (fails in CI) when npm is missing or `npm ci` fails. No install scripts run: vnu-jar's would
    download a Java runtime, and the machine's own Java is used instead.
    """
    if tool.exists():
        return tool
    npm = shutil.which("npm")
    if not npm:
        must_run("npm is needed to install tests/web_tools (Lighthouse, vnu.jar)")
    install = subprocess.run(
        [npm, "ci", "--prefix", str(FOLDER), "--ignore-scripts", "--no-audit", "--no-fund"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode or not tool.exists():
        must_run(f"`npm ci --prefix tests/web_tools` failed: {install.stderr.strip()[-500:]}")
    return tool


def program(name: str) -> str:
    """The path of a program on PATH (node, java); skips (fails in CI) when it is missing."""
    path = shutil.which(name)
    if not path:
        must_run(f"{name} is needed for this check and is not installed")
    return path
