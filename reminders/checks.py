"""System checks (`manage.py check`, run by migrate and runserver): the VAPID settings that push needs."""

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core import checks
from py_vapid import VapidException, b64urlencode


@checks.register(checks.Tags.security)
def vapid_settings(app_configs=None, **kwargs):
    """With push on, the private key must load, the public key must be its own, and the subject must be a
    mailto: or https: URL (push services refuse anything else)."""
    from reminders import push

    if not push.enabled():
        return []
    try:
        key = push.vapid_key(settings.VAPID_PRIVATE_KEY)
    except (ValueError, TypeError) as error:
        return [checks.Error(f"VAPID_PRIVATE_KEY does not load: {error}", hint=HINT, id="reminders.E001")]
    public = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    errors = []
    if b64urlencode(public) != settings.VAPID_PUBLIC_KEY.rstrip("="):
        message = "VAPID_PUBLIC_KEY is not VAPID_PRIVATE_KEY's public key."
        errors.append(checks.Error(message, hint=HINT, id="reminders.E002"))
    try:
        key.sign({"sub": settings.VAPID_SUBJECT, "aud": "https://push.example.org"})
    except VapidException:
        message = f"VAPID_SUBJECT must be mailto:you@your.domain or an https URL: {settings.VAPID_SUBJECT!r}"
        errors.append(checks.Error(message, id="reminders.E003"))
    return errors


HINT = "Make a new pair with `python manage.py make_vapid_keys`, and set both."
