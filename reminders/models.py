"""The bookkeeping behind reminder emails (reminders/dispatch.py): claim, then send.

The dispatcher claims a due Reminder by moving its next_due_at on with a conditional UPDATE; a Delivery with a
unique key (user, kind, local date) is the last guard against sending the same email twice. The tables keep
the names they had when these models lived in the planner app (planner_reminder, planner_delivery).
"""

from django.conf import settings
from django.db import models


class EmailKind(models.TextChoices):
    """The kinds of reminder email; each person has one Reminder row per kind."""

    WEEKLY_PLAN = "weekly_plan", "Weekly plan"
    SESSION_DAY = "session_day", "Session-day reminder"
    CHECKIN = "checkin", "Gentle check-in"


class Reminder(models.Model):
    """When one person's next email of one kind is due (UTC). Deleted with the person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=EmailKind)
    next_due_at = models.DateTimeField()

    class Meta:
        db_table = "planner_reminder"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_reminder_per_user_and_kind"),
        ]
        indexes = [models.Index(fields=["next_due_at"], name="planner_rem_next_du_720150_idx")]

    def __str__(self):
        return f"{self.kind} for {self.user} at {self.next_due_at:%Y-%m-%d %H:%M} UTC"


class Delivery(models.Model):
    """One email of one kind for one person's local day: queued, then sent, skipped or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    kind = models.CharField(max_length=16, choices=EmailKind)
    local_date = models.DateField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # While queued: when the dispatcher enqueues it again (a lost message, or a retry after an SMTP error).
    enqueue_again_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "planner_delivery"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="one_email_per_kind_and_local_day"
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueue_again_at"], name="planner_del_status_84da18_idx")]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.kind} for {self.user} on {self.local_date}: {self.status}"
