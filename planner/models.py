from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone


class Plan(models.Model):
    """One person's plan for one week (Monday to Sunday), as the engine made it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans")
    week_start = models.DateField()
    target_aerobic_minutes = models.PositiveSmallIntegerField()
    target_strength_days = models.PositiveSmallIntegerField()
    target_balance_days = models.PositiveSmallIntegerField()
    meets_who_guideline = models.BooleanField()
    notes = models.JSONField(default=list)
    # Set when the plan was made after its week had begun (a first visit on a Thursday, say): the first day it
    # plans. Such a part week is left out of the history that drives the next weeks' progression.
    planned_from = models.DateField(null=True, blank=True)
    # Made before its week began (for the weekly email, sent ahead): made again from the whole week before
    # once this one begins, unless something in it is already done (plans.settle).
    provisional = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="one_plan_per_user_week")]
        ordering = ["-week_start"]

    def __str__(self):
        return f"{self.user} week of {self.week_start}"


class PlannedSession(models.Model):
    """One session of a plan; also an unplanned session the person logged themselves."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    activity = models.CharField(max_length=32)
    variant = models.CharField(max_length=120)
    compendium_code = models.CharField(max_length=8)
    category = models.CharField(max_length=16)
    intensity = models.CharField(max_length=10)
    met = models.DecimalField(max_digits=4, decimal_places=1)
    minutes = models.PositiveSmallIntegerField()
    why = models.TextField(blank=True)
    unplanned = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PLANNED)
    completed_at = models.DateTimeField(null=True, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    mood_before = models.PositiveSmallIntegerField(null=True, blank=True)
    mood_after = models.PositiveSmallIntegerField(null=True, blank=True)
    skip_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["plan", "date"])]

    def __str__(self):
        return f"{self.variant} on {self.date}"


# ----------------------------------------------------------------------------------------------------
# Reminder emails (issue 5): the bookkeeping behind planner/reminders.py. Claim, then send: the dispatcher
# claims a due Reminder by moving its next_due_at on with a conditional UPDATE; a Delivery with a unique key
# (user, kind, local date) is the last guard against sending the same email twice.
# ----------------------------------------------------------------------------------------------------


class EmailKind(models.TextChoices):
    WEEKLY_PLAN = "weekly_plan", "Weekly plan"
    SESSION_DAY = "session_day", "Session-day reminder"
    CHECKIN = "checkin", "Gentle check-in"


class Reminder(models.Model):
    """When one person's next email of one kind is due (UTC). Deleted with the person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=EmailKind)
    next_due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_reminder_per_user_and_kind"),
        ]
        indexes = [models.Index(fields=["next_due_at"])]

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
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="one_email_per_kind_and_local_day"
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueue_again_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.kind} for {self.user} on {self.local_date}: {self.status}"


@receiver(post_save, sender="accounts.Profile")
def keep_reminders_in_step_with_profile(sender, instance, raw=False, **kwargs):
    """A new profile gets its reminders; a changed timezone or reminder time moves them."""
    if raw:
        return
    from planner import reminders

    reminders.schedule_reminders(instance)


# --- Wellbeing check-ins ------------------------------------------------------------------------------------
# The WHO-5 answers and score; planner/wellbeing.py has the rules. Shown only to their owner (and, in the
# admin, to superusers); deleted with the person.


class CheckIn(models.Model):
    """One WHO-5 check-in: five answers about the last two weeks, 0 to 5 each, and the 0-100 score."""

    ANSWER_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    cheerful = models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)
    calm = models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)
    active = models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)
    rested = models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)
    interested = models.PositiveSmallIntegerField(validators=ANSWER_VALIDATORS)
    score = models.PositiveSmallIntegerField()
    previous_score = models.PositiveSmallIntegerField(null=True, blank=True)
    support_suggested = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "check-in"

    def __str__(self):
        return f"Check-in of {self.user} on {self.created_at:%Y-%m-%d}"
