import datetime

from django.conf import settings
from django.db import DatabaseError, models, transaction
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
    variant = models.CharField(max_length=200)
    compendium_code = models.CharField(max_length=8)
    category = models.CharField(max_length=16)
    intensity = models.CharField(max_length=10)
    met = models.DecimalField(max_digits=4, decimal_places=1)
    minutes = models.PositiveSmallIntegerField()
    why = models.TextField(blank=True)
    # What to do, as the engine planned it (docs/planner-interface.md): a strength or balance session's
    # routine (rounds, rest, moves with their doses), an aerobic session's intervals (run/walk, say).
    routine = models.JSONField(null=True, blank=True)
    intervals = models.JSONField(null=True, blank=True)
    # Moved on by every change through the methods below: calendar apps see an event change (SEQUENCE).
    changed_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    # The person chose this activity instead of the planner's (swap_for): a re-plan keeps it where it fits.
    swapped = models.BooleanField(default=False)
    # The person moved it to this day (move_to): a re-plan keeps it on that day.
    moved = models.BooleanField(default=False)
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

    # Every change of state goes through these methods. Each saves only the fields it changes, so two
    # requests at the same moment (an undo in one browser, a swap in another) cannot overwrite each other.
    # A session deleted meanwhile (the week planned again) raises PlannedSession.DoesNotExist.

    def _save_fields(self, fields) -> None:
        self.changed_at = timezone.now()
        self.sequence = models.F("sequence") + 1
        try:
            with transaction.atomic():  # a savepoint: the error below leaves an outer transaction usable
                self.save(update_fields=[*fields, "changed_at", "sequence"])
        except DatabaseError as error:  # Django's "Save with update_fields did not affect any rows."
            if PlannedSession.objects.filter(pk=self.pk).exists():
                raise
            raise PlannedSession.DoesNotExist(f"Session {self.pk} is no longer in the plan.") from error
        self.refresh_from_db(fields=["sequence"])

    def mark_done(self, now: datetime.datetime) -> None:
        """Done at `now` (an aware moment); a skip reason no longer applies. Done stays done: no-op."""
        if self.status == self.Status.DONE:
            return
        self.status = self.Status.DONE
        self.completed_at = now
        self.skip_reason = ""
        self._save_fields(["status", "completed_at", "skip_reason"])

    def mark_skipped(self, reason: str) -> None:
        """Skipped, with the person's reason (up to 200 characters, may be empty)."""
        self.status = self.Status.SKIPPED
        self.skip_reason = reason
        self.completed_at = None
        self._save_fields(["status", "skip_reason", "completed_at"])

    def back_to_planned(self) -> None:
        """Undo a tick-off or a skip: planned again, with what was recorded about it cleared."""
        self.status = self.Status.PLANNED
        self.completed_at = None
        self.skip_reason = ""
        self.actual_minutes = self.effort = self.mood_before = self.mood_after = None
        self._save_fields(["status", "completed_at", "skip_reason", *self.DETAIL_FIELDS])

    DETAIL_FIELDS = ("actual_minutes", "effort", "mood_before", "mood_after")

    def record_details(self, details: dict, now: datetime.datetime) -> None:
        """How it went: `details` maps DETAIL_FIELDS to values (minutes, RPE 0-10, moods 1-5, or None).

        Saying how a session went says it was done, so the session is saved as done (at `now` unless it was
        done already), even if another browser undid it meanwhile.
        """
        for field in self.DETAIL_FIELDS:
            setattr(self, field, details[field])
        if self.status != self.Status.DONE:
            self.status = self.Status.DONE
            self.completed_at = now
        self.completed_at = self.completed_at or now
        self._save_fields([*self.DETAIL_FIELDS, "status", "completed_at"])

    def move_to(self, day: datetime.date) -> None:
        """Another day of the same week (the person's choice, checked by the move form)."""
        self.date = day
        self.moved = True
        self._save_fields(["date", "moved"])

    def swap_for(self, option: dict) -> None:
        """Another activity of the same category and intensity: `option` is one of plans.swap_options(). The
        old activity's intervals go with it (a ride does not keep a run/walk's steps); the option brings its
        own, if any."""
        self.activity = option["activity"]
        self.variant = option["variant"]
        self.compendium_code = option["compendium_code"]
        self.met = option["met"]
        self.why = option["why"]
        self.intervals = option.get("intervals")
        self.swapped = True
        self._save_fields(["activity", "variant", "compendium_code", "met", "why", "intervals", "swapped"])


class RemovedSession(models.Model):
    """A session a re-plan took out of the week. A click on it from a tab opened before is told what happened
    and shown the week as it is now, not a bare 404. Kept two weeks (plans.forget_removed_sessions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_id = models.BigIntegerField()
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "session_id"]),
            # forget_removed_sessions deletes by age every 15 minutes: without it, a scan of the whole table.
            models.Index(fields=["removed_at"], name="planner_removed_at_idx"),
        ]

    def __str__(self):
        return f"Session {self.session_id} of {self.user}, re-planned away"


class RollOverPage(models.Model):
    """One page of the weekly roll-over (reminders/rollover.py): the people whose user ids lie in
    first_id..last_id, for the week that begins on week_start (the week key).

    A page is claimed before a worker plans it, so that however often the coordinator runs, or a task is
    delivered twice, each page is planned by one task at a time:

    - waiting: due_at is when it next needs a worker: at once for a new page, else the moment the next
      person in it begins the week where they live;
    - claimed: the claim number moved on and a task carrying it enqueued; due_at is when the claim's lease
      runs out. A task whose worker died, or whose message was lost, leaves the page claimed, and the
      coordinator claims it again (a new number: the old task, if it ever runs, finds the page not its own);
    - done: everyone in it has been planned for the week (due_at is empty).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        CLAIMED = "claimed", "Claimed"
        DONE = "done", "Done"

    week_start = models.DateField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.WAITING)
    due_at = models.DateTimeField(null=True, blank=True)
    claim = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # What its tasks did, for operators: plans made or settled, people whose profile the engine refused.
    planned = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Two coordinators walking the same week make the same pages: the second one's are left out.
            models.UniqueConstraint(
                fields=["week_start", "first_id"], name="one_rollover_page_per_week_and_id"
            )
        ]
        indexes = [
            # The coordinator's "which pages need a worker now"; done pages (most of them) stay out of it.
            models.Index(
                fields=["due_at"], condition=models.Q(due_at__isnull=False), name="rollover_page_due_idx"
            )
        ]

    def __str__(self):
        return f"Roll-over of {self.week_start}, ids {self.first_id} to {self.last_id}: {self.status}"
