"""One-click unsubscribe from reminder emails (RFC 8058).

The signed token in the link says who and which kind of email. GET only shows a confirming form, so link
scanners that follow every URL in an email unsubscribe nobody. POST unsubscribes: the form from that page,
or a mail client's one-click POST with the body "List-Unsubscribe=One-Click", which carries no CSRF token;
the signed token, not a session, is the authority here, hence csrf_exempt on this view alone.
"""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import Profile
from reminders.dispatch import PROFILE_SWITCH
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
    Profile.objects.filter(pk=profile.pk).update(**{PROFILE_SWITCH[k]: False for k in kinds})
    if one_click:
        return HttpResponse("Unsubscribed.\n", content_type="text/plain")
    return render(request, "reminders/unsubscribed.html", {"kinds": [k.label for k in kinds]})
