"""{% push_settings %}: the reminders settings' section about push notifications (the person's devices, the
buttons for this device, the test notification). Accounts render it beside the reminder choices without
importing the reminders app, as the dashboard shows the check-in prompt."""

from django import template
from django.conf import settings

from reminders import push
from reminders.views import devices_context

register = template.Library()


@register.inclusion_tag("reminders/_push_settings.html", takes_context=True)
def push_settings(context):
    return {
        **devices_context(context["request"].user),
        "enabled": push.enabled(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "csrf_token": context.get("csrf_token"),
    }
