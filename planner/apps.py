from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PlannerConfig(AppConfig):
    name = "planner"

    def ready(self):
        from accounts.models import Profile
        from planner import checks, page_cache  # noqa: F401 (checks registers itself)
        from planner.models import CheckIn, Plan, PlannedSession

        for model in (Profile, Plan, PlannedSession, CheckIn):
            uid = f"this-week-{model.__name__}"
            post_save.connect(page_cache.saved_or_deleted, sender=model, dispatch_uid=uid)
            post_delete.connect(page_cache.saved_or_deleted, sender=model, dispatch_uid=uid)
