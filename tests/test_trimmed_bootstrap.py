"""Steady serves Bootstrap trimmed to the rules its pages use
(static/vendor/bootstrap/bootstrap.steady.min.css, made by `make css` from Bootstrap's npm package in
tests/web_tools, for the content listed in tests/web_tools/trim_bootstrap.json). A Bootstrap class that a
template, a form or a script starts using has no rules in that file until `make css` runs again, and the page
silently loses its styling: these tests say which class, and where.

The full Bootstrap comes from tests/web_tools (npm ci); without npm the tests skip, and in CI (CI=true) fail.
"""

import json
import re
import sysconfig
from pathlib import Path

import pytest

from tests.web_tools import FOLDER, installed

ROOT = Path(__file__).resolve().parent.parent
TRIMMED = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.steady.min.css"
BOOTSTRAP = FOLDER / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.min.css"
CONFIG = json.loads((FOLDER / "trim_bootstrap.json").read_text())
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])

# Classes made from a value at run time: the prefix as a template writes it, and every class it can become.
MADE_FROM_A_VALUE = {
    # templates/base.html: alert-{{ message.level_tag }}, Django's message levels, an error shown as danger.
    "alert-": ["alert-info", "alert-success", "alert-warning", "alert-danger"],
}

# Where each kind of file names classes: the first group of the pattern holds them.
CLASS_NAMES = {
    ".html": re.compile(r'\bclass="([^"]*)"'),
    ".py": re.compile(r'"class":\s*"([^"]*)"'),
    ".js": re.compile(r'classList\.(?:add|remove|toggle)\("([^"]*)"'),
}
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)


def content() -> list[Path]:
    """The files trim_bootstrap.json lists: what make css trims Bootstrap for."""
    ours = [path for pattern in CONFIG["content"] for path in ROOT.glob(pattern)]
    theirs = [path for pattern in CONFIG["site_packages_content"] for path in SITE_PACKAGES.glob(pattern)]
    return ours + theirs


def used_classes() -> dict[str, str]:
    """Every class name the content spells out: {class: the first file that uses it}. Template tags inside a
    class attribute split it (alert-{{ level }} gives "alert-", a prefix)."""
    used = {}
    for path in content():
        for value in CLASS_NAMES[path.suffix].findall(path.read_text(encoding="utf-8")):
            for name in TEMPLATE_TAG.sub(" ", value).split():
                used.setdefault(name, path.name)
    return used


def selectors(css: str) -> set[str]:
    """Every selector of every rule (those inside @media included), one by one: ".a,.b{}" gives .a and .b."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = set()
    for prelude in re.findall(r"([^{};]+){", css):
        if not prelude.strip().startswith("@"):
            found.update(part.strip() for part in re.split(r",(?![^()]*\))", prelude))
    return found


def needed(selector: str) -> set[str]:
    """The classes an element needs for the selector to match it (those under :not() it need not have)."""
    while ":not(" in selector:
        selector = re.sub(r":not\([^()]*\)", "", selector)
    return set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", selector))


@pytest.fixture(scope="module")
def bootstrap():
    """Bootstrap's selectors, whole."""
    return selectors(installed(BOOTSTRAP).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def trimmed():
    return selectors(TRIMMED.read_text(encoding="utf-8"))


def test_every_bootstrap_rule_the_pages_can_use_is_in_the_trimmed_file(bootstrap, trimmed):
    used = used_classes()
    assert {"navbar-toggler", "btn-primary", "form-control", "is-invalid"} <= used.keys()
    in_use = used.keys() | set(CONFIG["safelist"])

    kept = {name for selector in trimmed for name in needed(selector)}

    missing = {}
    for selector in bootstrap - trimmed:
        classes = needed(selector)
        if classes and classes <= in_use:
            for name in classes - kept:
                missing.setdefault(f"{name} (in {used.get(name, 'the safelist')})", selector)

    assert not missing, "Run `make css`: rules for classes in use were trimmed away: " + "; ".join(
        f"{name}: {selector}" for name, selector in sorted(missing.items())
    )


def test_every_class_made_from_a_value_is_in_the_trimmed_file(bootstrap, trimmed):
    prefixes = {name for name in used_classes() if name.endswith("-")}

    unknown = prefixes - MADE_FROM_A_VALUE.keys()
    assert not unknown, (
        f"classes made from a value: list them in MADE_FROM_A_VALUE and the safelist: {unknown}"
    )
    for prefix in prefixes:
        for name in MADE_FROM_A_VALUE[prefix]:
            assert name in CONFIG["safelist"], name
            assert any(name in needed(selector) for selector in trimmed), name


def test_rules_for_classes_no_page_uses_are_gone(bootstrap, trimmed):
    """So that the checks above can fail: Bootstrap's components that Steady does not use are trimmed away."""
    for name in ("carousel", "offcanvas", "toast", "modal", "spinner-border"):
        assert any(name in needed(selector) for selector in bootstrap), name
        assert not any(name in needed(selector) for selector in trimmed), name
    assert len(trimmed) < len(bootstrap) / 3
