from django.contrib import admin

from accounts.admin import SuperuserOnlyAdmin
from planner.models import CheckIn

# --- Check-ins: superusers only (issue 6) ----------------------------------------------------------------


@admin.register(CheckIn)
class CheckInAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "created_at", "score", "support_suggested"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
