"""WHO-5 check-ins. The rules are in wellbeing/who5.py; the table keeps the name it had when this model lived
in the planner app (planner_checkin). Shown only to their owner (and, in the admin, to superusers); deleted
with the person."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


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
        db_table = "planner_checkin"
        ordering = ["-created_at", "-id"]
        verbose_name = "check-in"

    def __str__(self):
        return f"Check-in of {self.user} on {self.created_at:%Y-%m-%d}"
