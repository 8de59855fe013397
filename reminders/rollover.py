"""The weekly roll-over: this week's plan for everyone whose local week has begun without one.

The roll-over task (reminders/tasks.py, every 15 minutes) finds them, zone by zone, and makes each plan in a
task of its own; plans.plan_for_week is safe to run twice for the same week.
"""

from django.db.models import Exists, OuterRef

from accounts.models import Profile, User
from planner import plans
from planner.models import Plan


def people_needing_this_weeks_plan(now):
    """(user_id, week_start) for active, onboarded people whose local week has begun without a plan, or with
    a plan made ahead of it that is still to be settled (plans.settle)."""
    needing = []
    profiles = Profile.objects.filter(user__is_active=True, onboarded_at__isnull=False)
    for zone_name in profiles.values_list("timezone", flat=True).distinct():
        week_start = plans.monday_of(Profile(timezone=zone_name).local_date(now))
        settled_plan = Plan.objects.filter(user=OuterRef("user"), week_start=week_start, provisional=False)
        user_ids = (
            profiles.filter(timezone=zone_name)
            .exclude(Exists(settled_plan))
            .values_list("user_id", flat=True)
        )
        needing.extend((user_id, week_start) for user_id in user_ids)
    return needing


def roll_over_plan(user_id, week_start):
    """Make (or settle) the week's plan for one active person; nothing for a deleted or inactive account."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        plans.plan_for_week(user, week_start)
