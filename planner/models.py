from django.conf import settings
from django.db import models


class Plan(models.Model):
    """One person's plan for one week (Monday to Sunday), as the engine made it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans")
    week_start = models.DateField()
    target_aerobic_minutes = models.PositiveSmallIntegerField()
    target_strength_days = models.PositiveSmallIntegerField()
    target_balance_days = models.PositiveSmallIntegerField()
    meets_who_guideline = models.BooleanField()
    notes = models.JSONField(default=list)
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
