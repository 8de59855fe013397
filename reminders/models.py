"""The bookkeeping behind reminders (reminders/dispatch.py): claim, then send, by email and by push.

The dispatcher claims a due Reminder by moving its next_due_at on with a conditional UPDATE; a Delivery with a
unique key (user, kind, channel, due moment) is the last guard against sending the same reminder twice, and at
most one per local day is the dispatcher's rule (dispatch.py, "Once a day"). The
tables of Reminder and Delivery keep the names they had when these models lived in the planner app
(planner_reminder, planner_delivery). A PushSubscription is one device a person turned push notifications on
for. ProfileWalk is where the 15-minute walk over new profiles has got to.
"""

import hashlib

from django.conf import settings
from django.db import models


class EmailKind(models.TextChoices):
    """The kinds of reminder (by email, push or both); each person has one Reminder row per kind."""

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


class ProfileWalk(models.Model):
    """How far the walk that gives reminders to profiles made without them has gone (one row, pk 1):
    every profile with an id up to after_profile_id has been looked at (dispatch.schedule_missing_reminders).
    """

    after_profile_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"profiles walked up to id {self.after_profile_id}"


class Channel(models.TextChoices):
    """How a reminder reaches the person: one Delivery per channel they chose for its kind."""

    EMAIL = "email", "Email"
    PUSH = "push", "Push notification"


class Delivery(models.Model):
    """One reminder of one kind, by one channel, due at one moment (on one local day of the person): queued,
    then sent, skipped, failed or unconfirmed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"
        # It may have gone out, and is never sent again: the mail server had the whole message but its answer
        # never came, or the worker stopped mid-send (dispatch.py, "Guarantees").
        UNCONFIRMED = "unconfirmed", "Unconfirmed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    kind = models.CharField(max_length=16, choices=EmailKind)
    channel = models.CharField(max_length=8, choices=Channel, default=Channel.EMAIL)
    local_date = models.DateField()  # the person's date at due_at, in the time zone they had then
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # While queued: when the dispatcher enqueues it again (a lost message, or a retry after an SMTP or push
    # service error). While sending: updated_at is when it was claimed.
    enqueue_again_at = models.DateTimeField()
    # A push: the ids of the subscriptions (devices) that took it, so that a retry goes only to the others.
    pushed_to = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "planner_delivery"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel", "due_at"], name="one_delivery_per_kind_channel_moment"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "enqueue_again_at"], name="planner_del_status_84da18_idx"),
            models.Index(fields=["created_at"], name="delivery_created_at_idx"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.kind} by {self.channel} for {self.user} on {self.local_date}: {self.status}"


class PushSubscription(models.Model):
    """One browser or device a person turned push notifications on for: its PushSubscription (the W3C Push
    API), as the browser's toJSON() gives it.

    The endpoint is the push service's address for that browser; with the two keys (RFC 8291) it lets this
    server push encrypted messages to it, so it is a secret and is never shown. Deleted with the person, by
    them (settings), and when the push service answers that it is gone (404 or 410).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2048, unique=True)
    p256dh = models.CharField(max_length=100)  # the browser's P-256 public key, base64url (65 bytes)
    auth = models.CharField(max_length=50)  # the browser's authentication secret, base64url (16 bytes)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Push subscription of {self.user}"

    @property
    def endpoint_digest(self) -> str:
        """SHA-256 of the endpoint, hex: lets the settings page's script find "this device" in the list
        without the page showing the endpoint itself."""
        return hashlib.sha256(self.endpoint.encode()).hexdigest()
