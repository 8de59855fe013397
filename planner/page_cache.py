"""This week's page, kept rendered for each person until something on it changes.

People open "This week" far more often than they change it, and rendering it costs several queries and the
longest template in the app. So the rendered page is kept in the cache and served again while all of these
hold:

- nothing it shows has changed: every save or delete of the person's Profile, Plan, PlannedSession or CheckIn
  gives them a new version (at once, and again when the transaction commits), and a kept page is served only
  under the version that was current before its data was read;
- it is still the same day where the person is (the page marks today and offers check-ins by date);
- the browser sends the same CSRF cookie (the page's forms carry tokens made from it);
- no flash message is waiting (a page that shows one is neither served from nor kept in the cache).

Writes that send no model signals (QuerySet.update(), bulk_create() on its own, raw SQL) are not noticed: code
that changes what the page shows that way must call changed(user_id), or changed_many(user_ids). KEEP_FOR
bounds how long a page could be wrong if one is missed, and how long the cache holds it. The same bound
holds if Redis is unreachable when a change is made (its errors are ignored, see config/settings.py) and
comes back with its data.

The cache must be shared by every process that writes (CACHE_URL=redis://... in production), or a change made
in one process would not reach the pages kept by another; `check --deploy` warns about a per-process cache.
"""

import datetime
import hashlib
import secrets
import zoneinfo

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from accounts.models import User
from planner.models import PlannedSession

KEEP_FOR = 5 * 60  # seconds


def version_key(user_id) -> str:
    return f"this-week:version:{user_id}"


def changed(user_id) -> None:
    """Something on this person's page changed: pages kept so far are not served again.

    A new version at once, and another once the transaction commits: a page rendered in between from data
    read before the commit is kept under the first and so never served.
    """
    new_version(user_id)
    transaction.on_commit(lambda: new_version(user_id))


def new_version(user_id) -> None:
    cache.set(version_key(user_id), secrets.token_hex(8), KEEP_FOR)


def changed_many(user_ids) -> None:
    """changed() for many people at once (the roll-over's page of plans, stored in bulk without signals): one
    cache round trip at once and one on commit, whatever the count.

    Their versions are removed rather than replaced, which is as good: a page is kept and served only under
    the version its view found or started (KeptPage), so a removed one serves no page kept before.
    """
    keys = [version_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def saved_or_deleted(sender, instance, origin=None, **kwargs):
    """Receives post_save and post_delete of the Profile, Plan, PlannedSession and CheckIn models."""
    if isinstance(origin, User):
        return  # the person is being deleted: no page of theirs will be served again
    changed(instance.plan.user_id if sender is PlannedSession else instance.user_id)


class KeptPage:
    """The cache entry for one person's page in one browser. Made before the page reads any data."""

    def __init__(self, request):
        # The page's forms carry tokens made from the browser's CSRF secret. A browser without one yet gets
        # it when the page is rendered, so there is nothing to look up.
        csrf_secret = request.META.get("CSRF_COOKIE")
        self.usable = csrf_secret is not None and not request.GET and not len(get_messages(request))
        browser = hashlib.sha256((csrf_secret or "").encode()).hexdigest()[:16]
        self.key = f"this-week:page:{request.user.pk}:{browser}"
        found = cache.get_many([self.key, version_key(request.user.pk)])
        self.entry = found.get(self.key)
        self.version = found.get(version_key(request.user.pk))
        if self.version is None:
            cache.add(version_key(request.user.pk), secrets.token_hex(8), KEEP_FOR)
            self.version = cache.get(version_key(request.user.pk))

    def response(self) -> HttpResponse | None:
        entry = self.entry
        if not self.usable or entry is None or entry["version"] != self.version:
            return None
        if timezone.now().astimezone(zoneinfo.ZoneInfo(entry["timezone"])).date() != entry["date"]:
            return None
        return HttpResponse(entry["html"])

    def keep(self, response: HttpResponse, zone: zoneinfo.ZoneInfo, date: datetime.date) -> None:
        """Keep the page rendered for `date` in `zone`, under the version read before its data was."""
        if self.usable and response.status_code == 200 and self.version is not None:
            entry = {"version": self.version, "timezone": zone.key, "date": date, "html": response.content}
            cache.set(self.key, entry, KEEP_FOR)
