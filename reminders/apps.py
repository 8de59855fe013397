from django.apps import AppConfig
from django.db.models.signals import post_save


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self):
        from accounts.models import Profile
        from reminders import checks, dispatch  # noqa: F401 (checks registers the VAPID settings' check)

        post_save.connect(
            dispatch.keep_reminders_in_step_with_profile,
            sender=Profile,
            dispatch_uid="reminders-follow-profile",
        )
