"""Nothing a person's browser kept of Steady outlives their log-out.

The service worker keeps copies of the week's pages (static/pwa/sw.js); a response that logs someone out,
allauth's log-out and the account deletion (both call django.contrib.auth.logout), carries
`Clear-Site-Data: "cache", "storage"`, and the browser drops every cache, localStorage (the queue of offline
ticks) and the service worker's registration for the site (W3C Clear Site Data, sections 3.1 and 4.1). The
page script static/pwa/sw-register.js clears the page copies too on any page shown to nobody signed in, for
browsers that ignore the header.
"""

CLEAR_SITE_DATA = '"cache", "storage"'


def logged_out(sender, request, user, **kwargs):
    """Receives django.contrib.auth's user_logged_out: marks the request so its response clears the site."""
    if request is not None:
        request.clear_site_data = True


class ClearSiteDataMiddleware:
    """Adds Clear-Site-Data to the response of a request that logged someone out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "clear_site_data", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
