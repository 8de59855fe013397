"""The one way a view loads the signed-in person's profile: request.user.profile, set by these decorators."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from accounts.models import Profile
from accounts.redirects import referring_page


def load_profile(request) -> Profile:
    """The signed-in person's Profile, made empty if they have none yet; cached on request.user (usually
    loaded already, with the user: accounts/backends.py)."""
    try:
        return request.user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=request.user)
        request.user.profile = profile
        return profile


def signed_in(view):
    """Django's login_required, except for a form sent after the login ended (in another tab): what it sent
    is lost at the login page, so the person comes back to the page the form was on, not to a URL that takes
    only a POST (whose GET would be the 405 page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            return redirect_to_login(referring_page(request) or reverse("dashboard"))
        return redirect_to_login(request.get_full_path())

    return wrapper


def profile_required(view):
    """Logged in (else to the login page); the view finds request.user.profile loaded."""

    @wraps(view)
    @signed_in
    def wrapper(request, *args, **kwargs):
        load_profile(request)
        return view(request, *args, **kwargs)

    return wrapper


def onboarded_required(view):
    """Logged in and through onboarding (else on to the next onboarding step); request.user.profile loaded."""

    @wraps(view)
    @signed_in
    def wrapper(request, *args, **kwargs):
        if not load_profile(request).is_onboarded:
            return redirect("onboarding")
        return view(request, *args, **kwargs)

    return wrapper
