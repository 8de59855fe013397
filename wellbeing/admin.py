from django.contrib import admin

from accounts.admin import SuperuserOnlyAdmin
from wellbeing.models import CheckIn


@admin.register(CheckIn)
class CheckInAdmin(SuperuserOnlyAdmin):
    """Check-ins are health data: superusers only."""

    list_display = ["user", "created_at", "score", "support_suggested"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
