from django.shortcuts import render

# Every asset is served from this host, so the policy can be strict: nothing from elsewhere, no inline script.
# Inline style attributes stay allowed (progress bars and SVG charts set widths with them).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",  # the service worker, /sw.js (pwa)
        "manifest-src 'self'",  # the web app manifest (pwa)
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class MethodNotAllowedPageMiddleware:
    """Django answers a GET of a POST-only address with an empty 405; people get a page in the site's style
    instead (templates/405.html), with the Allow header kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class PrivatePagesMiddleware:
    """Pages for a signed-in person carry their health data: no browser or proxy may keep a copy, so Back on a
    shared computer after log-out shows nothing (Cache-Control: private, no-store). A response that set its
    own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
