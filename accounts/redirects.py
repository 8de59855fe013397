"""Where a redirect may go: only to a path on this site (a `next` field, the page a form was sent from)."""

from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(candidate: str, request) -> str | None:
    """`candidate` if it is a path on this site ("/wellbeing/", not "//evil.example" or "x"), else None."""
    if not candidate.startswith("/") or not candidate.isprintable():
        return None
    if not url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return None
    return candidate


def referring_page(request) -> str | None:
    """The path (and query) of the page this request came from, if it is a page of this site, else None."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return None
    parts = urlsplit(referer)
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""), request)
