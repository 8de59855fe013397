"""Check-ins in the database: the last one, whether one is due, recording one, and the gentle plan it may
switch on. For the check-in pages, the dashboard's prompt and the weekly email.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from accounts.signals import plan_inputs_changed
from wellbeing import who5
from wellbeing.models import CheckIn


def last_checkin(user) -> CheckIn | None:
    """The person's latest check-in, or None."""
    return CheckIn.objects.filter(user=user).order_by("-created_at", "-id").first()


def checkin_due(user, today: datetime.date, profile=None) -> bool:
    """True when the person has never checked in, or their last check-in was 14 or more days before today.

    today is the person's local date. For the dashboard prompt and the weekly email; the profile, when not
    given, is user.profile.
    """
    last = last_checkin(user)
    if last is None:
        return True
    profile = profile or user.profile
    return who5.is_checkin_due(profile.local_date(last.created_at), today)


def _replan_if_onboarded(user, profile, now) -> None:
    # The rest of this week follows the new setting at once; done and skipped sessions stay as they are.
    if profile is None or profile.onboarded_at is None:
        return
    user.profile = profile  # the planner reads user.profile: the one just saved, not one loaded before
    plan_inputs_changed.send(Profile, user=user, today=profile.local_date(now))


# A check-in sent again within this time corrects the last one (a double tap, a slow network, a second
# thought) rather than counting as a new one that would be compared with it.
CORRECTION_WINDOW = datetime.timedelta(hours=1)


def record_checkin(user, answers: dict, now: datetime.datetime | None = None):
    """Store a check-in, and make the plan gentle until the next one when it suggests support (or not, when it
    doesn't: each check-in decides afresh). Returns the CheckIn.

    answers: {item key: 0-5} for each of who5.ITEM_KEYS; raises ValueError for an answer outside 0-5.
    Within CORRECTION_WINDOW of the last check-in, that one is corrected in place and still compared with
    the one before it; two requests at once are taken one after the other (the profile row is locked).
    """
    now = now or timezone.now()
    score = who5.score(answers)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first()
        latest = last_checkin(user)
        correcting = latest is not None and now - latest.created_at < CORRECTION_WINDOW
        compared_with = latest.previous_score if correcting else (latest.score if latest else None)
        assessment = who5.assess(score, compared_with)
        fields = {
            "score": assessment.score,
            "previous_score": assessment.previous_score,
            "support_suggested": assessment.needs_support,
            **{key: answers[key] for key in who5.ITEM_KEYS},
        }
        if correcting:
            checkin = latest
            for field, value in fields.items():
                setattr(checkin, field, value)
            checkin.save(update_fields=list(fields))
        else:
            checkin = CheckIn.objects.create(user=user, created_at=now, **fields)
        changed = profile is not None and profile.gentle_until_next_checkin != assessment.needs_support
        if changed:
            profile.gentle_until_next_checkin = assessment.needs_support
            profile.save(update_fields=["gentle_until_next_checkin", "updated_at"])
    if changed:
        _replan_if_onboarded(user, profile, now)
    return checkin


def set_gentle_until_next_checkin(user, on: bool, now: datetime.datetime | None = None) -> None:
    """The person's own switch: undo the gentle plan a check-in turned on, or turn it back on."""
    now = now or timezone.now()
    profile = user.profile
    if profile.gentle_until_next_checkin == on:
        return
    profile.gentle_until_next_checkin = on
    profile.save(update_fields=["gentle_until_next_checkin", "updated_at"])
    _replan_if_onboarded(user, profile, now)
