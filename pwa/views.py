"""The installable app: the web app manifest and the service worker, both at fixed addresses.

The service worker must be served from the root (/sw.js) to control every page of the site (its scope is
the folder it is served from), so it is not left at its /static/ address. Its script is static/pwa/sw.js,
sent after one line of settings that only the server knows: the static files' addresses (hashed in
production), and a version that changes whenever the script or one of those files does, so that browsers
install the new worker and drop the old copies.
"""

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse

THEME_COLOR = "#1d5f8a"  # the favicon's disc, and templates/base.html's theme-color
BACKGROUND_COLOR = "#ffffff"  # the page's background while the app starts

ICONS = [
    # (static path, size in pixels, purpose): drawn by `python -m pwa.icons`.
    ("pwa/icons/icon-192.png", 192, "any"),
    ("pwa/icons/icon-512.png", 512, "any"),
    ("pwa/icons/icon-maskable-512.png", 512, "maskable"),
]

# Kept by the service worker when it installs, so the week's pages look right offline from the first visit:
# every static file these templates name ({% static '...' %}: the CSS, the scripts, the icons), read from the
# templates themselves so that the list follows them. What a page links to is kept too when its copy is saved.
PAGES_TEMPLATES = [
    "base.html",
    "_htmx.html",
    "planner/dashboard.html",
    "planner/session.html",
    "pwa/_offline_banner.html",
]
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


def precache_paths() -> list[str]:
    """The static paths the week's pages name, in the order found, each once, those that exist."""
    named = []
    for name in PAGES_TEMPLATES:
        named += STATIC_TAG.findall(Path(get_template(name).origin.name).read_text())
    named += [path for path, _, _ in ICONS]
    return [path for path in dict.fromkeys(named) if finders.find(path)]


def manifest(request):
    """The web app manifest (W3C Web Application Manifest), as application/manifest+json."""
    week = reverse("dashboard")
    body = {
        "id": week,
        "name": "Steady",
        "short_name": "Steady",
        "description": "Your weekly exercise plan for your mental health: small steps, ticked off as you go.",
        "lang": "en",
        "dir": "ltr",
        "start_url": week,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["health", "fitness"],
        "icons": [
            {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"  # the same for everyone; a day old at most
    return response


def service_worker(request):
    """static/pwa/sw.js, after its settings line; never taken from a cache without asking (no-cache), so a
    new version reaches browsers on their next visit."""
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def worker_script() -> str:
    """The service worker's source: `const STEADY = {...};` then static/pwa/sw.js. Worked out once per
    process in production; afresh on every request while DEBUG is on, so that edits show."""
    if settings.DEBUG:
        return build_worker_script()
    return built_worker_script()


@cache
def built_worker_script() -> str:
    return build_worker_script()


def build_worker_script() -> str:
    source = read_static("pwa/sw.js")
    precache = precache_paths()
    fingerprint = hashlib.sha256(source.encode())
    for path in precache:
        fingerprint.update(path.encode() + b"\0" + read_static_bytes(path))
    config = {
        "version": fingerprint.hexdigest()[:12],
        "staticUrl": settings.STATIC_URL,
        "weekUrl": reverse("dashboard"),
        "sessionsUrl": reverse("session_page", args=[1]).removesuffix("1/"),
        "safetyUrl": reverse("safety"),
        "precache": [static(path) for path in precache],
        "icon": static("pwa/icons/icon-192.png"),
    }
    return f"const STEADY = {json.dumps(config)};\n{source}"


def read_static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} not found")
    with open(found, "rb") as file:
        return file.read()


def read_static(path: str) -> str:
    return read_static_bytes(path).decode()
