from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PlannerConfig(AppConfig):
    name = "planner"

    def ready(self):
        from accounts.models import Profile
        from accounts.signals import plan_inputs_changed
        from planner import checks, page_cache, plans  # noqa: F401 (checks registers itself)
        from planner.models import Plan, PlannedSession

        # A change to what the dashboard shows: pages kept so far are not served again (page_cache.py).
        for model in (Profile, Plan, PlannedSession):
            uid = f"this-week-{model.__name__}"
            post_save.connect(page_cache.saved_or_deleted, sender=model, dispatch_uid=uid)
            post_delete.connect(page_cache.saved_or_deleted, sender=model, dispatch_uid=uid)
        plan_inputs_changed.connect(
            plans.replan_after_inputs_changed, dispatch_uid="replan-after-inputs-changed"
        )
