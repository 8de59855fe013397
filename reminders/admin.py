from django.contrib import admin

from reminders.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What went out, for operators; read-only. A delivery left "sending" was interrupted mid-send: it may or
    may not have gone out."""

    list_display = ["user", "kind", "local_date", "status", "attempts", "sent_at", "note"]
    list_filter = ["status", "kind"]
    search_fields = ["user__email"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
