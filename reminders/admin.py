from django.contrib import admin

from reminders.models import Delivery, PushSubscription


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What went out, by email and by push, for operators; read-only, with the count of each status beside
    the filters. "Unconfirmed" may or may not have gone out and is never sent again: the SMTP server had the
    whole message but never answered, or the worker stopped mid-send (the note says which)."""

    list_display = ["user", "kind", "channel", "local_date", "status", "attempts", "sent_at", "note"]
    list_filter = ["status", "channel", "kind"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["user__email"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """The devices people turned push on for, read-only. The endpoint and keys are secrets (whoever holds them
    can push to the device): never shown."""

    list_display = ["user", "user_agent", "created_at", "last_success_at"]
    fields = list_display
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
