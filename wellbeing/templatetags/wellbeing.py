"""{% checkin_prompt %}: the check-in prompt and the gentle-plan note, on the dashboard and the wellbeing
page.

A template tag rather than an import, so that the planner's dashboard can show what the wellbeing app knows
without the planner importing the app above it. It reads `profile` and `today` (the person's local date) from
the page's context and costs one query.
"""

from django import template

from wellbeing import checkins

register = template.Library()


@register.inclusion_tag("wellbeing/_checkin_prompt.html", takes_context=True)
def checkin_prompt(context):
    """The prompt's context from the page's `profile` and `today`: whether a check-in is due (one query)."""
    profile, today = context["profile"], context["today"]
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "profile": profile,
        "checkin_due": checkins.checkin_due(profile.user, today, profile),
    }
