from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PlannerConfig(AppConfig):
    name = "planner"

    def ready(self):
        from accounts.models import Profile, User
        from planner import checks, page_cache  # noqa: F401 (checks registers itself)
        from planner.models import CheckIn, Plan, PlannedSession

        def this_week_changed(sender, instance, origin=None, **kwargs):
            if isinstance(origin, User):
                return  # the person is being deleted: no page of theirs will be served again
            user_id = instance.plan.user_id if sender is PlannedSession else instance.user_id
            page_cache.changed(user_id)

        for model in (Profile, Plan, PlannedSession, CheckIn):
            post_save.connect(this_week_changed, sender=model, dispatch_uid=f"this-week-{model.__name__}")
            post_delete.connect(this_week_changed, sender=model, dispatch_uid=f"this-week-{model.__name__}")
