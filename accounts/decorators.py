"""The one way a view loads the signed-in person's profile: request.user.profile, set by these decorators."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from accounts.models import Profile


def load_profile(request) -> Profile:
    """The signed-in person's Profile, made empty if they have none yet; cached on request.user (usually
    loaded already, with the user: accounts/backends.py)."""
    try:
        return request.user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=request.user)
        request.user.profile = profile
        return profile


def profile_required(view):
    """Logged in (else to the login page); the view finds request.user.profile loaded."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        load_profile(request)
        return view(request, *args, **kwargs)

    return wrapper


def onboarded_required(view):
    """Logged in and through onboarding (else on to the next onboarding step); request.user.profile loaded."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not load_profile(request).is_onboarded:
            return redirect("onboarding")
        return view(request, *args, **kwargs)

    return wrapper
