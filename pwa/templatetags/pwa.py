"""{% offline_banner "week" %} / {% offline_banner "session" %}: the notice a saved copy of the page shows
when it is opened offline, and the script that runs the offline ticks (static/pwa/offline.js).

A template tag rather than an import, so that the planner's pages can carry it without the planner importing
the app above it. The banner is hidden until offline.js shows it.
"""

from django import template
from django.utils import timezone

from pwa.owner import owner_key

register = template.Library()

WHAT = {"week": "your week", "session": "this session"}


@register.inclusion_tag("pwa/_offline_banner.html", takes_context=True)
def offline_banner(context, page):
    """`page` is "week" or "session" (the words "this is your week / this session as it was at 08:40")."""
    request = context["request"]
    return {
        "what": WHAT[page],
        "owner": owner_key(request.user),
        # The moment the page was made, for "as it was at 08:40" (written in the browser's own time).
        "made_at": timezone.now().isoformat(timespec="seconds"),
    }
