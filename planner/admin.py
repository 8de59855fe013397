from django.contrib import admin

from accounts.admin import SuperuserOnlyAdmin
from planner.models import Plan, PlannedSession


class PlannedSessionInline(admin.TabularInline):
    model = PlannedSession
    fields = ["date", "activity", "variant", "category", "intensity", "minutes", "unplanned", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Plan)
class PlanAdmin(SuperuserOnlyAdmin):
    """A person's weeks, to help them when something looks wrong: superusers only (sessions carry moods and
    health-shaped choices), and read-only (a plan changes through the planner, not by hand)."""

    list_display = ["user", "week_start", "target_aerobic_minutes", "meets_who_guideline", "provisional"]
    search_fields = ["user__email"]
    date_hierarchy = "week_start"
    raw_id_fields = ["user"]
    inlines = [PlannedSessionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
