"""Reminders as Web Push notifications: the standard protocol (RFC 8030), each message signed with this
server's VAPID key (RFC 8292) and encrypted for the one device it goes to (RFC 8291, aes128gcm), by pywebpush.

What arrives is JSON for the service worker (static/pwa/sw.js), which shows it and opens `url` on a tap:
{"title": str, "body": str, "url": "/sessions/<id>/" or another path of this site, "tag": str}. A lock screen
is seen by others, so a notification says no more than the email's subject does (its title is that subject):
nothing about mood, check-in answers or health.

Push is on when the VAPID key pair is set (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY); without it reminders go by
email only and the settings page says push is not available on this server.
"""

import base64
import functools
import json
import logging
import threading
import time
from dataclasses import dataclass

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from reminders import emails
from reminders.models import Delivery, EmailKind, PushSubscription

log = logging.getLogger(__name__)

TEST_TIMEOUT = (
    4  # seconds: PUSH_TIMEOUT for the test notification, which a person waits for, device after device
)
MAX_DEVICES = 10  # subscriptions kept per person: a new one beyond that replaces the one unused longest

# Which profile switch turns each kind of push on or off (the email ones: dispatch.EMAIL_SWITCH).
PUSH_SWITCH = {
    EmailKind.WEEKLY_PLAN: "push_weekly_plan",
    EmailKind.SESSION_DAY: "push_session_reminders",
    EmailKind.CHECKIN: "push_checkins",
}

# What a notification says under its title (the email's subject), in the emails' words. Nothing personal.
BODIES = {
    EmailKind.WEEKLY_PLAN: "Your week is planned. Any movement counts.",
    EmailKind.SESSION_DAY: "When you've done it, tick it off. A shorter, gentler version still counts.",
    EmailKind.CHECKIN: "Something small is plenty. Your plan is here whenever you're ready.",
}

TEST_NOTIFICATION = {
    "title": "Steady test notification",
    "body": "Notifications work on this device. Reminders will look like this.",
    "tag": "test",
}


def enabled() -> bool:
    """Whether this server can push: both VAPID keys are set."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


# --- What a notification says ------------------------------------------------------------------------------


def notification_for(delivery, context) -> dict:
    """The payload of one reminder's notification; `context` is what emails.email_context() found to say.

    The url is the page the reminder is about: the first session still planned that day (its step-by-step
    page), the week (dashboard) for the weekly plan, the check-in page for the gentle check-in. The tag
    ("session_day-2026-11-23") lets a device show one notification per reminder whatever arrives twice.
    """
    if delivery.kind == EmailKind.SESSION_DAY:
        url = reverse("session_page", args=[context["sessions"][0].pk])
    elif delivery.kind == EmailKind.CHECKIN:
        url = reverse("checkin")
    else:
        url = reverse("dashboard")
    return {
        "title": emails.subject_for(delivery.kind, context),
        "body": BODIES[delivery.kind],
        "url": url,
        "tag": f"{delivery.kind}-{delivery.local_date.isoformat()}",
    }


def trial_notification() -> dict:
    """The payload of the settings page's "Send a test notification"."""
    return {**TEST_NOTIFICATION, "url": reverse("dashboard")}


# --- Pushing to devices ------------------------------------------------------------------------------------


class PushServiceBusy(Exception):
    """A push service could not take the message now (5xx, 429, a timeout, no connection): worth trying again
    later, as an SMTP error is (dispatch.retry_later)."""


# How one device's push service answered.
ACCEPTED = "accepted"  # 2xx: it has the message and delivers it when the device is online
GONE = "gone"  # 404 or 410: the subscription ended (notifications turned off in the browser, or it was reset)
REFUSED = "refused"  # another 4xx (a bad request, a key the service does not accept): trying again won't help
BUSY = "busy"  # 5xx, 429, a timeout, no connection: try again later


@dataclass(frozen=True)
class Answer:
    outcome: str  # ACCEPTED, GONE, REFUSED or BUSY
    note: str = ""  # for operators, when not accepted: "503 Service Unavailable"


def device_worst() -> float:
    """The longest one device's push takes, in seconds: connecting, the TLS handshake and the answer, each
    waiting PUSH_TIMEOUT seconds at most (a silent push service is an error then, tried again later)."""
    return 3 * settings.PUSH_TIMEOUT


def push(subscription, payload: dict, ttl: int, timeout=None) -> Answer:
    """Push one message to one device and record what its push service said.

    `ttl`: seconds the push service may keep the message for a device that is offline (0: now or never);
    `timeout`: seconds to wait for the push service (default PUSH_TIMEOUT).
    Accepted: the subscription's last_success_at is set. Gone (404, 410): the subscription is deleted. Never
    raises for the push service's answer or a network error; those come back as an Answer.
    """
    signing_key = vapid_key(settings.VAPID_PRIVATE_KEY)  # a bad key is the operator's error: it raises
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=signing_key,
            # A new dict each time: webpush() fills in this push service's origin ("aud") and an expiry.
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            content_encoding="aes128gcm",
            ttl=max(0, int(ttl)),
            timeout=timeout or settings.PUSH_TIMEOUT,
            # Topic: a newer message with the same topic replaces one still waiting for the device.
            headers={"Urgency": "normal", "Topic": payload["tag"][:32]},
            requests_session=http_session(),
        )
    except WebPushException as error:
        answer = answer_to(error)
    except requests.RequestException as error:  # no connection, a timeout
        answer = Answer(BUSY, f"{type(error).__name__}: {error}"[:150])
    except ValueError as error:  # keys no browser makes (checked when subscribing: not seen in practice)
        answer = Answer(REFUSED, f"unusable subscription keys: {error}"[:150])
    else:
        answer = Answer(ACCEPTED)

    if answer.outcome == ACCEPTED:
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
    elif answer.outcome == GONE:
        PushSubscription.objects.filter(pk=subscription.pk).delete()
        log.info("subscription %s of user %s ended: %s", subscription.pk, subscription.user_id, answer.note)
    return answer


def answer_to(error: WebPushException) -> Answer:
    """The outcome of a push service's error answer (RFC 8030 section 8)."""
    response = error.response
    if response is None:
        return Answer(BUSY, str(error)[:150])
    note = f"{response.status_code} {response.reason or ''}".strip()
    if response.status_code in (404, 410):
        return Answer(GONE, note)
    if response.status_code == 429 or response.status_code >= 500:
        return Answer(BUSY, note)
    return Answer(REFUSED, f"{note}: {response.text[:100]}")


def send_delivery(delivery, context, ttl: int, deadline: float | None = None) -> tuple[str, str]:
    """Push one reminder to each of the person's devices that has not taken it yet, starting no device after
    `deadline` (time.monotonic()) could not hold one more worst-case push (device_worst()).

    Returns (status, note) for the delivery: sent (at least one device took it), skipped ("no device
    subscribed": the person chose push but has no device, or every subscription had ended) or failed (every
    push service refused it). Raises PushServiceBusy when a push service could not take it now, or a device
    was left for lack of time; the devices that did take it are recorded first (delivery.pushed_to), so that
    the retry goes only to the others. They are recorded too when the push is cut short (the task's time
    limit), and the error goes on.
    """
    payload = notification_for(delivery, context)
    devices = PushSubscription.objects.filter(user_id=delivery.user_id).exclude(pk__in=delivery.pushed_to)
    answers = {}
    try:
        for tried, device in enumerate(devices):
            # The first device always fits: a worst-case send holds one device's worst case.
            if tried and deadline is not None and time.monotonic() + device_worst() > deadline:
                answers[device.pk] = Answer(BUSY, "not tried: no time left in this send")
            else:
                answers[device.pk] = push(device, payload, ttl)
    finally:
        pushed_to = delivery.pushed_to + [pk for pk, answer in answers.items() if answer.outcome == ACCEPTED]
        if pushed_to != delivery.pushed_to:
            Delivery.objects.filter(pk=delivery.pk).update(pushed_to=pushed_to)
    busy = [answer.note for answer in answers.values() if answer.outcome == BUSY]
    refused = [answer.note for answer in answers.values() if answer.outcome == REFUSED]
    if busy:
        raise PushServiceBusy(f"{len(pushed_to)} devices took it, {len(busy)} push services busy: {busy[0]}")
    if pushed_to:
        note = f"{len(refused)} push services refused it: {refused[0]}" if refused else ""
        return Delivery.Status.SENT, note
    if refused:
        return Delivery.Status.FAILED, f"push service refused it: {refused[0]}"
    return Delivery.Status.SKIPPED, "no device subscribed"


def send_test(user) -> tuple[int, list[Answer]]:
    """Push the test notification to each of the person's devices, now. Returns (how many devices took it,
    the answers of those that did not)."""
    payload = trial_notification()
    answers = [
        push(device, payload, ttl=60, timeout=TEST_TIMEOUT) for device in user.push_subscriptions.all()
    ]
    missed = [answer for answer in answers if answer.outcome != ACCEPTED]
    return len(answers) - len(missed), missed


# --- Subscriptions -----------------------------------------------------------------------------------------


class InvalidSubscription(ValueError):
    """What the browser sent is not a push subscription this server can use; the message says why."""


def subscribe(user, data, user_agent="") -> tuple[PushSubscription, bool]:
    """Keep the browser's push subscription for the person; (subscription, created).

    `data` is PushSubscription.toJSON() from the browser: {"endpoint": "https://...", "keys": {"p256dh":
    base64url of a 65-byte P-256 point, "auth": base64url of 16 bytes}}. The same endpoint twice is one row;
    an endpoint another account held moves to this one (one browser, one subscription: the last person who
    turned push on in it gets the notifications). Beyond MAX_DEVICES, the one unused longest is dropped.
    Raises InvalidSubscription.
    """
    endpoint, p256dh, auth = valid_subscription(data)
    # Held by another account: theirs no longer (with its dates), a new row of this person's.
    PushSubscription.objects.filter(endpoint=endpoint).exclude(user=user).delete()
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
    )
    last_used = Coalesce("last_success_at", "created_at")
    kept = (
        user.push_subscriptions.exclude(pk=subscription.pk)
        .order_by(last_used.desc(), "-pk")
        .values_list("pk", flat=True)[: MAX_DEVICES - 1]
    )
    user.push_subscriptions.exclude(Q(pk=subscription.pk) | Q(pk__in=list(kept))).delete()
    return subscription, created


def valid_subscription(data) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from a browser's PushSubscription.toJSON(); raises InvalidSubscription.

    The endpoint must be https (every browser's push service is): this server posts to it, so nothing else
    may be reached that way.
    """
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise InvalidSubscription("expected a push subscription: an endpoint and its keys")
    endpoint, keys = data.get("endpoint"), data["keys"]
    try:
        if not isinstance(endpoint, str) or len(endpoint) > 2048:
            raise ValidationError("not a URL")
        URLValidator(schemes=["https"])(endpoint)
    except ValidationError as error:
        raise InvalidSubscription("the endpoint must be an https address of a push service") from error
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    public_key, secret = base64url_bytes(p256dh), base64url_bytes(auth)
    if public_key is None or not is_p256_point(public_key):
        raise InvalidSubscription("keys.p256dh must be a P-256 public key (65 bytes, base64url)")
    if secret is None or len(secret) != 16:
        raise InvalidSubscription("keys.auth must be 16 bytes, base64url")
    return endpoint, p256dh, auth


def is_p256_point(data: bytes) -> bool:
    """Whether the bytes are an uncompressed point on the P-256 curve (a browser's push public key)."""
    if len(data) != 65 or data[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    except ValueError:
        return False
    return True


def base64url_bytes(text):
    """The bytes of base64url text, with or without padding; None when it is not base64url."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


# First match wins: Edge's and Opera's headers also say Chrome, Chrome's says Safari, iPhones' "Mac OS X".
BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def describe_device(user_agent: str) -> str:
    """A short name for the browser and system in a User-Agent header ("Firefox on Android"), for the list of
    devices; the header itself (cut) when neither is recognised."""
    browser = next((name for token, name in BROWSERS if token in user_agent), None)
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or (user_agent[:60] or "A browser")


# --- Keys and connections ----------------------------------------------------------------------------------


@functools.cache
def vapid_key(private_key: str) -> Vapid:
    """The VAPID signing key from its base64url raw form (read once per process)."""
    return Vapid.from_string(private_key=private_key)


_local = threading.local()


def http_session() -> requests.Session:
    """This thread's HTTP session: its connections to push services are reused from one push to the next."""
    if getattr(_local, "session", None) is None:
        _local.session = requests.Session()
    return _local.session
