from django.contrib import admin

from accounts.admin import SuperuserOnlyAdmin
from planner.models import CheckIn, Delivery

# --- Check-ins: superusers only (issue 6) ----------------------------------------------------------------


@admin.register(CheckIn)
class CheckInAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "created_at", "score", "support_suggested"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


# --- Email deliveries: what went out, for operators ---------------------------------------------------------


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only. A delivery left "sending" was interrupted mid-send: it may or may not have gone out."""

    list_display = ["user", "kind", "local_date", "status", "attempts", "sent_at", "note"]
    list_filter = ["status", "kind"]
    search_fields = ["user__email"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
