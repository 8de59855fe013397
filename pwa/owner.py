"""Whose copy a saved page is: an opaque key per person, the same on every page of theirs.

The service worker keeps one person's pages at a time, in a cache named after this key; a page with another
key (someone else signed in) replaces them all. The offline ticks are queued under it too, so a tick is only
ever sent by the person who made it. An HMAC of the user's id with SECRET_KEY: it names nobody and cannot be
worked out from the id.
"""

from django.utils.crypto import salted_hmac


def owner_key(user) -> str:
    """20 hex characters for a signed-in user; "" for anyone else."""
    if not user.is_authenticated:
        return ""
    return salted_hmac("pwa.owner", str(user.pk)).hexdigest()[:20]
