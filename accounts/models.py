import datetime
import zoneinfo

import idna
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone

from steady import vocabulary


def normalize_email(address: str) -> str:
    """One spelling per mailbox: the domain lower-case and in its ASCII (IDNA) form, as browsers send it
    ("anna@Bücher.example" -> "anna@xn--bcher-kva.example", "ben@straße.example" keeps its ß as
    xn--strae-oqa, as Chromium does: IDNA 2008 with UTS 46); the local part as typed. An address whose
    domain cannot be encoded is returned as it is, for the form's validation to refuse."""
    local, at, domain = (address or "").strip().rpartition("@")
    if not at:
        return (address or "").strip()
    try:
        domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return address.strip()
    return f"{local}@{domain}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return normalize_email(email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using Steady. The email address is the login; there is no username."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)  # however the row is made: a form, the admin, a factory
        super().save(*args, **kwargs)


WEEKDAYS = list(zip(vocabulary.WEEKDAYS, vocabulary.DAY_NAMES, strict=True))  # ("mon", "Monday"), ...


class Profile(models.Model):
    """What a person told us in onboarding: the planner's input, and their reminder settings.

    Field names follow the planner's profile (docs/planner-interface.md) where they are the same thing.
    """

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", "Morning"
        MIDDAY = "midday", "Around midday"
        EVENING = "evening", "Evening"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    current_minutes_per_week = models.PositiveSmallIntegerField(default=0)
    strength_days_now = models.PositiveSmallIntegerField(default=0)
    preferences = models.JSONField(default=list, blank=True)
    available_days = models.JSONField(default=list, blank=True)
    max_minutes_per_day = models.PositiveSmallIntegerField(default=30)
    preferred_time = models.CharField(max_length=10, choices=TimeOfDay, default=TimeOfDay.MORNING)
    health_flags = models.JSONField(default=list, blank=True)
    # Of current_minutes_per_week, the minutes that are vigorous (running, fast cycling): they count twice.
    current_vigorous_minutes = models.PositiveSmallIntegerField(default=0)
    # What the person has at home for strength exercises: any of steady.vocabulary.EQUIPMENT.
    equipment = models.JSONField(default=list, blank=True)
    # When the person told us a doctor or exercise professional cleared them after a chest-pain or
    # dizziness answer; until then such a plan stays light and moderate and does not build up.
    cleared_by_professional_on = models.DateField(null=True, blank=True)
    prefers_gentle = models.BooleanField(default=False)
    # Set by a check-in that suggested support (wellbeing/checkins.py); cleared by the next one or the person.
    gentle_until_next_checkin = models.BooleanField(default=False)
    # Reminder settings (the delivery bookkeeping lives in the reminders app). Each kind goes by email, as a
    # push notification to the person's devices, both, or not at all.
    email_weekly_plan = models.BooleanField(default=True)
    email_session_reminders = models.BooleanField(default=True)
    email_checkins = models.BooleanField(default=True)
    push_weekly_plan = models.BooleanField(default=False)
    push_session_reminders = models.BooleanField(default=False)
    push_checkins = models.BooleanField(default=False)
    reminder_time = models.TimeField(default=datetime.time(8, 0))
    weekly_plan_day = models.PositiveSmallIntegerField(
        choices=[(index, name) for index, (_, name) in enumerate(WEEKDAYS)], default=6
    )
    weekly_plan_time = models.TimeField(default=datetime.time(18, 0))
    # The secret in the private calendar feed's URL; empty until the person first opens the calendar page.
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)
    onboarding_step = models.PositiveSmallIntegerField(default=0)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The person's time zone (UTC if the stored name is unknown to this machine)."""
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_date(self, moment: datetime.datetime | None = None) -> datetime.date:
        """The date where the person lives at `moment` (default: now); their week starts on their Monday."""
        return (moment or timezone.now()).astimezone(self.zone).date()

    @property
    def is_onboarded(self):
        return self.onboarded_at is not None

    @property
    def supervised_only(self):
        return "supervised_only" in self.health_flags


class LoginSession(models.Model):
    """One of the person's login sessions, recorded when they log in (accounts/sessions.py), so that deleting
    the account ends exactly their sessions without reading everyone else's. The key is a secret: never
    exported."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Login session of {self.user}"


class SubmitKey(models.Model):
    """A form that creates something carries a one-time key (accounts/once.py); the key is kept once used, so
    a double tap, a retry or Back-and-send-again counts once. Kept two days (accounts/tasks.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="submit_keys")
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_use_per_submit_key")]

    def __str__(self):
        return f"Form sent by {self.user}"
