from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WellbeingConfig(AppConfig):
    name = "wellbeing"

    def ready(self):
        from planner import page_cache
        from wellbeing.models import CheckIn

        # The dashboard shows the check-in prompt: a new check-in is a change to the kept page.
        uid = "this-week-CheckIn"
        post_save.connect(page_cache.saved_or_deleted, sender=CheckIn, dispatch_uid=uid)
        post_delete.connect(page_cache.saved_or_deleted, sender=CheckIn, dispatch_uid=uid)
