"""Template context shared by every page."""

from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject


def csrf_once(request) -> dict:
    """{"csrf_token"}: the page's CSRF token, masked once and reused by each form on the page.

    Django's own processor masks a new token for every {% csrf_token %} (about 0.2 ms each on the week's page,
    with its several forms); one random mask per response protects the token as well (BREACH needs the secret
    to repeat unmasked across responses, not within one). Replaces "django.template.context_processors.csrf",
    which Django always runs first.
    """
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
