"""{% load wellbeing %}{% checkin_prompt %}: the check-in prompt and the gentle-plan note (the dashboard)."""

from django import template

from accounts.models import Profile
from planner import plans, wellbeing

register = template.Library()


@register.inclusion_tag("planner/_checkin_prompt.html", takes_context=True)
def checkin_prompt(context):
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"checkin_due": False, "gentle_from_checkin": False, "request": request}
    profile = context.get("profile")  # the dashboard has it already
    if not isinstance(profile, Profile) or profile.user_id != user.pk:
        profile = Profile.objects.filter(user=user).first()
    today = plans.local_today(profile) if profile else None
    return {
        "checkin_due": today is not None and wellbeing.checkin_due(user, today, profile),
        "gentle_from_checkin": bool(profile and profile.gentle_until_next_checkin),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
