"""One-click unsubscribe from reminder emails (RFC 8058), and the devices a person gets push notifications on.

Unsubscribe: the signed token in the link says who and which kind of email. GET only shows a confirming form,
so link scanners that follow every URL in an email unsubscribe nobody. POST unsubscribes: the form from that
page, or a mail client's one-click POST with the body "List-Unsubscribe=One-Click", which carries no CSRF
token; the signed token, not a session, is the authority here, hence csrf_exempt on this view alone.

Push: static/reminders/push.js posts the browser's subscription (JSON) to turn push on for a device and its
endpoint to turn it off; removing a listed device and the test notification are plain forms that work
without JavaScript. Every one is a logged-in, CSRF-checked POST that acts on the person's own devices only.
"""

import json

from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import profile_required
from accounts.models import Profile
from reminders import push
from reminders.dispatch import EMAIL_SWITCH
from reminders.emails import read_unsubscribe_token
from reminders.models import EmailKind


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page that asks to confirm; POST: switch that kind of email off (or all of them)."""
    try:
        user_id, kind = read_unsubscribe_token(token)
        kind = EmailKind(kind)
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    profile = Profile.objects.filter(user_id=user_id).first()
    if profile is None:
        return render(request, "reminders/unsubscribe_invalid.html", status=400)

    if request.method == "GET":
        return render(request, "reminders/unsubscribe.html", {"kind": kind, "token": token})

    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    everything = request.POST.get("scope") == "all" and not one_click
    kinds = list(EmailKind) if everything else [kind]
    Profile.objects.filter(pk=profile.pk).update(**{EMAIL_SWITCH[k]: False for k in kinds})
    if one_click:
        return HttpResponse("Unsubscribed.\n", content_type="text/plain")
    return render(request, "reminders/unsubscribed.html", {"kinds": [k.label for k in kinds]})


# --- Push notifications on the person's devices ------------------------------------------------------------


TEST_EVERY = 10  # seconds between two test notifications of one person: each one posts to every device


def devices_context(user) -> dict:
    """What the list of the person's devices shows (reminders/_push_devices.html): each device's name, when
    it was added and last received a notification (in the person's time zone), and the SHA-256 of its
    endpoint (push.js finds "this device" by it); and whether they chose push without any device."""
    profile = user.profile
    devices = [
        {
            "pk": device.pk,
            "name": push.describe_device(device.user_agent),
            "created_at": device.created_at.astimezone(profile.zone),
            "last_success_at": device.last_success_at and device.last_success_at.astimezone(profile.zone),
            "endpoint_digest": device.endpoint_digest,
        }
        for device in user.push_subscriptions.order_by("created_at", "pk")
    ]
    chosen = any(getattr(profile, field) for field in push.PUSH_SWITCH.values())
    return {"devices": devices, "push_chosen": chosen, "push_chosen_without_device": chosen and not devices}


def devices_response(request, status=200):
    """JSON for push.js after a change: {"devices": how many, "html": the list of devices, to show in place}
    (the page is not reloaded, so reminder choices not yet saved stay as they are)."""
    context = devices_context(request.user)
    html = render_to_string("reminders/_push_devices.html", context, request=request)
    return JsonResponse({"devices": len(context["devices"]), "html": html}, status=status)


def reminder_settings_url():
    """Where the devices are listed: the reminders section of the settings, from its top, where the message
    saying what happened is (a phone scrolled down to the devices would not show it)."""
    return reverse("settings_section", args=["reminders"])


def json_body(request):
    """The request's JSON body, or None when it is not JSON."""
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


@profile_required
@require_POST
def push_subscribe(request):
    """Turn push on for this browser: keep its PushSubscription.toJSON() (the JSON body) for the person.

    201 for a new device, 200 for one already kept (the same endpoint twice is one row), each with the list of
    devices (devices_response); 400 with {"error": why} for something that is not a usable subscription, 404
    when push is off here.
    """
    if not push.enabled():
        return JsonResponse({"error": "Push notifications aren't available on this server."}, status=404)
    try:
        _, created = push.subscribe(request.user, json_body(request), request.headers.get("User-Agent", ""))
    except push.InvalidSubscription as error:
        return JsonResponse({"error": str(error)}, status=400)
    return devices_response(request, status=201 if created else 200)


@profile_required
@require_POST
def push_unsubscribe(request):
    """Turn push off for this browser: forget the person's subscription with the endpoint in the JSON body
    ({"endpoint": "https://..."}). 200 with the list of devices (devices_response), also when it was gone."""
    data = json_body(request)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return JsonResponse({"error": "expected the subscription's endpoint"}, status=400)
    request.user.push_subscriptions.filter(endpoint=endpoint).delete()
    return devices_response(request)


@profile_required
@require_POST
def push_device_remove(request, pk):
    """Forget one of the person's devices (the remove button of the list); another person's is never found."""
    removed, _ = request.user.push_subscriptions.filter(pk=pk).delete()
    if removed:
        messages.success(request, "Removed. That device won't get notifications any more.")
    else:
        messages.info(request, "That device was already removed.")
    return redirect(reminder_settings_url())


@profile_required
@require_POST
def push_test(request):
    """Push a test notification to each of the person's devices now, and say how many received it (or why
    none did)."""
    if not push.enabled():
        messages.warning(request, "Push notifications aren't available on this server.")
    elif not request.user.push_subscriptions.exists():
        messages.warning(request, "No device has notifications on yet: turn them on on this one first.")
    elif cache.add(f"push-test:{request.user.pk}", True, timeout=TEST_EVERY) is False:  # None: cache down
        messages.info(request, "A test notification went out a moment ago. Give it a few seconds.")
    else:
        received, missed = push.send_test(request.user)
        messages.add_message(request, *result_message(received, missed))
    return redirect(reminder_settings_url())


MISSED_BECAUSE = {
    push.GONE: "its browser had turned notifications off, so it is no longer listed",
    push.BUSY: "its push service is busy; try again in a while",
    push.REFUSED: "its push service refused the message",
}


def result_message(received, missed):
    """(level, text) saying to how many devices the test notification was sent (their push services took it;
    a phone that is off shows it when it is back on), and why not to the others."""
    if not missed:
        return messages.SUCCESS, f"Test notification sent to {devices(received)}: it should show in a moment."
    reasons = "; ".join(sorted({MISSED_BECAUSE[answer.outcome] for answer in missed}))
    if not received:
        return messages.WARNING, f"The test notification could not be sent to any device: {reasons}."
    return (
        messages.WARNING,
        f"Test notification sent to {devices(received)}, not to {devices(len(missed))}: {reasons}.",
    )


def devices(count):
    return "1 device" if count == 1 else f"{count} devices"
