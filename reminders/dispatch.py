"""Reminder emails, exactly once: claim, then send (README.md, "Reminders: exactly once").

Every minute beat runs `dispatch_due`. It selects the reminders whose moment has come and claims each one
with a conditional UPDATE that moves next_due_at on to the next local moment: only the process whose UPDATE
changed the row goes on, so two dispatchers running at once still send one email. The claimer records a
Delivery, whose unique key (user, kind, local date) is the last guard, and enqueues the ids (SEND_BATCH to
a message) after the transaction commits. A worker then claims each delivery (queued -> sending) and sends it.

Guarantees, as an operator sees them:

- never twice: both claims are conditional UPDATEs, and the Delivery key is unique;
- at most once for the message in flight: a worker killed while talking to the SMTP server leaves its
  delivery "sending" and nobody sends it again (we cannot know whether it went out); deliveries left
  "sending" for more than an hour are marked failed and reported (report_interrupted_sends);
- nothing lost in the queue: a delivery still "queued" after REMINDER_REQUEUE_AFTER seconds (a message lost
  with a broker outage or a killed worker) is enqueued again by the dispatcher; a duplicate message is
  harmless;
- SMTP errors are retried by the dispatcher with backoff (no ETA/countdown messages);
- nothing late: a moment that passed more than LATE_LIMIT ago (workers down overnight) is skipped, not sent.

Local times use zoneinfo. A reminder time that does not exist on a spring-forward day (01:30 in London on
2026-03-29) fires at the same UTC offset as the day before, i.e. an hour later on the wall clock; a time
that happens twice on a fall-back day fires once, at its first occurrence.
"""

import datetime
import logging
import smtplib
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Profile
from reminders import emails, smtp
from reminders.models import Delivery, EmailKind, Reminder

log = logging.getLogger(__name__)
UTC = datetime.UTC

LATE_LIMIT = datetime.timedelta(hours=2)
MAX_ATTEMPTS = 5
BATCH_SIZE = 500  # reminders claimed per transaction
SEND_BATCH = 20  # deliveries per queue message

# Which profile switch turns each kind of email on or off.
PROFILE_SWITCH = {
    EmailKind.WEEKLY_PLAN: "email_weekly_plan",
    EmailKind.SESSION_DAY: "email_session_reminders",
    EmailKind.CHECKIN: "email_checkins",
}


# --- Local time -------------------------------------------------------------------------------------------


def local_time_of(kind, profile) -> datetime.time:
    """The local time this kind of email is due at: the weekly plan's own time, else the reminder time."""
    return profile.weekly_plan_time if kind == EmailKind.WEEKLY_PLAN else profile.reminder_time


def next_due_at(kind, profile, after):
    """The first moment strictly after `after` (aware) when this kind of email is due, in UTC."""
    zone = profile.zone
    at = local_time_of(kind, profile)
    weekday = profile.weekly_plan_day if kind == EmailKind.WEEKLY_PLAN else None
    after = after.astimezone(UTC)
    day = after.astimezone(zone).date()
    for _ in range(9):
        if weekday is None or day.weekday() == weekday:
            # fold=0: a time skipped by DST uses the offset from before the change; a repeated time its first
            # occurrence.
            moment = datetime.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
            if moment > after:
                return moment
        day += datetime.timedelta(days=1)
    raise AssertionError("no moment found within 9 days")  # unreachable


def is_scheduled_moment(kind, profile, moment):
    """Whether `moment` is one of the moments this kind is due under the profile's current settings."""
    return next_due_at(kind, profile, moment - datetime.timedelta(microseconds=1)) == moment


# --- Keeping the schedule in step with the profile --------------------------------------------------------


def schedule_reminders(profile, now=None):
    """Give the person one reminder row per kind; move a row whose moment no longer fits their settings.

    A row whose next_due_at is still a valid moment (even one just due and not yet dispatched) is left alone,
    so saving a profile for another reason never loses or repeats an email.
    """
    now = now or timezone.now()
    existing = {r.kind: r for r in Reminder.objects.filter(user_id=profile.user_id)}
    missing = []
    for kind in EmailKind:
        reminder = existing.get(kind)
        if reminder is None:
            missing.append(
                Reminder(user_id=profile.user_id, kind=kind, next_due_at=next_due_at(kind, profile, now))
            )
        elif not is_scheduled_moment(kind, profile, reminder.next_due_at):
            Reminder.objects.filter(pk=reminder.pk, next_due_at=reminder.next_due_at).update(
                next_due_at=next_due_at(kind, profile, now)
            )
    Reminder.objects.bulk_create(missing, ignore_conflicts=True)


def keep_reminders_in_step_with_profile(sender, instance, raw=False, **kwargs):
    """Receives the Profile's post_save (connected in RemindersConfig.ready()): a new profile gets its
    reminders; a changed time zone or reminder time moves them."""
    if not raw:
        schedule_reminders(instance)


def schedule_missing_reminders(now):
    """Give reminders to profiles that have none (made before this feature, or by bulk_create, which sends no
    post_save signal). Run every 15 minutes with the rollover."""
    profiles = Profile.objects.filter(user__reminders__isnull=True)
    for profile in profiles.iterator():
        schedule_reminders(profile, now)


# --- The dispatcher (beat, every minute) ------------------------------------------------------------------


def due_reminders(now):
    """Due reminders of active, onboarded people who have that kind of email switched on."""
    switched_on = Q()
    for kind, field in PROFILE_SWITCH.items():
        switched_on |= Q(kind=kind, **{f"user__profile__{field}": True})
    return (
        Reminder.objects.filter(next_due_at__lte=now, user__is_active=True)
        .filter(user__profile__onboarded_at__isnull=False)
        .filter(switched_on)
        .select_related("user__profile")
        .order_by("id")  # one lock order for every dispatcher
    )


def claim(reminder, now):
    """Move the reminder on to its next moment; True only for the one process whose UPDATE changed the row."""
    following = next_due_at(reminder.kind, reminder.user.profile, now)
    return bool(
        Reminder.objects.filter(pk=reminder.pk, next_due_at=reminder.next_due_at).update(
            next_due_at=following
        )
    )


def delivery_for(reminder, now):
    """The unsaved Delivery a claimed reminder stands for; a moment long past is recorded as skipped."""
    due_at = reminder.next_due_at
    late = now - due_at > LATE_LIMIT
    return Delivery(
        user_id=reminder.user_id,
        kind=reminder.kind,
        local_date=reminder.user.profile.local_date(due_at),
        due_at=due_at,
        status=Delivery.Status.SKIPPED if late else Delivery.Status.QUEUED,
        note="too late: its moment passed hours ago" if late else "",
        enqueue_again_at=now + requeue_after(),
    )


def saved(delivery):
    """Save one delivery; False when one for that person, kind and local day already exists."""
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        log.info(
            "%s for user %s on %s already recorded", delivery.kind, delivery.user_id, delivery.local_date
        )
        return False
    return True


def claim_and_record(batch, now, enqueue):
    """Claim each reminder of the batch and record its delivery in one transaction; enqueue after commit."""
    with transaction.atomic():
        deliveries = [delivery_for(r, now) for r in batch if claim(r, now)]
        try:
            with transaction.atomic():
                Delivery.objects.bulk_create(deliveries)
        except IntegrityError:
            # Rare (a reminder moved back to a moment already sent): record them one by one, skipping those.
            deliveries = [d for d in deliveries if saved(d)]
        ids = [d.pk for d in deliveries if d.status == Delivery.Status.QUEUED]
        transaction.on_commit(lambda: enqueue_all(ids, enqueue))
    return ids


def dispatch_due(now, enqueue, batch_size=BATCH_SIZE, time_budget=40.0):
    """Claim every due reminder, record its delivery, enqueue it after commit. Returns how many were enqueued.

    `enqueue(delivery_ids)` puts a batch of deliveries on the queue (the Celery task's delay in production).
    """
    enqueued = 0
    started = time.monotonic()
    while time.monotonic() - started < time_budget:
        batch = list(due_reminders(now)[:batch_size])
        if not batch:
            break
        enqueued += len(claim_and_record(batch, now, enqueue))
    return enqueued + enqueue_again(now, enqueue)


def enqueue_again(now, enqueue):
    """Enqueue again deliveries still queued after their lease (lost message) or retry time (SMTP error)."""
    waiting = Delivery.objects.filter(status=Delivery.Status.QUEUED, enqueue_again_at__lte=now).order_by("id")
    ids = []
    with transaction.atomic():
        for delivery in waiting[:BATCH_SIZE]:
            if now - delivery.due_at > LATE_LIMIT:
                Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.QUEUED).update(
                    status=Delivery.Status.SKIPPED, note="too late: its moment passed hours ago"
                )
                continue
            renewed = Delivery.objects.filter(
                pk=delivery.pk, status=Delivery.Status.QUEUED, enqueue_again_at=delivery.enqueue_again_at
            ).update(enqueue_again_at=now + requeue_after())
            if renewed:
                ids.append(delivery.pk)
        transaction.on_commit(lambda: enqueue_all(ids, enqueue))
    return len(ids)


def enqueue_all(ids, enqueue):
    """Enqueue the deliveries SEND_BATCH at a time: one message per batch keeps Celery's cost per email low.

    Each delivery in a batch is still claimed on its own when it is sent, so a worker killed mid-batch loses
    only the one in flight; the rest stay queued and are enqueued again after their lease.
    """
    for start in range(0, len(ids), SEND_BATCH):
        try:
            enqueue(ids[start : start + SEND_BATCH])
        except Exception:
            # The broker is down: the rest stay queued; the dispatcher enqueues them again after their lease.
            log.exception("could not enqueue deliveries; %s left for the next tries", len(ids) - start)
            return


def requeue_after():
    """How long a queued delivery waits before it is enqueued again (REMINDER_REQUEUE_AFTER seconds)."""
    return datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER)


# --- Sending one delivery (a worker) ----------------------------------------------------------------------


def retry_delay(attempts):
    """1, 2, 4, 8 minutes: the dispatcher, which runs every minute, enqueues the delivery again after that."""
    return datetime.timedelta(minutes=2 ** (attempts - 1))


def send_delivery(delivery_id, now=None):
    """Claim one queued delivery and send its email. Returns its status afterwards (None: not ours)."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("user__profile").get(pk=delivery_id)

    reason, context = reason_not_to_send(delivery, now), None
    if not reason:
        context = emails.email_context(delivery)
        if context is None:
            reason = "nothing to say today"
    if reason:
        return finish(delivery, Delivery.Status.SKIPPED, reason)

    message = emails.build_message(delivery, context)
    try:
        smtp.send(message)
    except (smtplib.SMTPException, OSError) as error:
        if delivery.attempts >= MAX_ATTEMPTS:
            log.error("giving up on delivery %s after %s attempts: %s", delivery.pk, delivery.attempts, error)
            return finish(delivery, Delivery.Status.FAILED, f"SMTP: {error}"[:200])
        log.warning(
            "SMTP error for delivery %s (attempt %s), will retry: %s", delivery.pk, delivery.attempts, error
        )
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.QUEUED,
            enqueue_again_at=now + retry_delay(delivery.attempts),
            note=f"SMTP: {error}"[:200],
        )
        return Delivery.Status.QUEUED
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), note=""
    )
    return Delivery.Status.SENT


def finish(delivery, status, note):
    """Record the delivery's final status with a note for operators; returns the status."""
    Delivery.objects.filter(pk=delivery.pk).update(status=status, note=note)
    return status


def reason_not_to_send(delivery, now):
    """Why this delivery must not go out now ("account inactive", "switched off", "too late: ..."), or ""."""
    user = delivery.user
    if not user.is_active:
        return "account inactive"
    if not getattr(user.profile, PROFILE_SWITCH[delivery.kind]):
        return "switched off"
    if now - delivery.due_at > LATE_LIMIT:
        return "too late: its moment passed hours ago"
    return ""


# --- Housekeeping (the roll-over job, every 15 minutes) -----------------------------------------------


INTERRUPTED_AFTER = datetime.timedelta(hours=1)  # a send takes seconds: a task is killed after 60


def report_interrupted_sends(now) -> int:
    """Deliveries still "sending" an hour on: their worker stopped mid-send, so no one else ever will finish.

    They are never sent again (the message may have gone out), so each is marked failed, saying why, and
    logged once as an error for the operator. Returns how many.
    """
    interrupted = Delivery.objects.filter(
        status=Delivery.Status.SENDING, updated_at__lt=now - INTERRUPTED_AFTER
    )
    count = interrupted.update(
        status=Delivery.Status.FAILED,
        note="interrupted while sending (the worker stopped): it may have been sent; not sent again",
        updated_at=now,
    )
    if count:
        log.error(
            "%s email deliveries were interrupted while sending (a worker stopped mid-send); they are "
            "marked failed and not sent again: see Deliveries in the admin",
            count,
        )
    return count


def forget_old_deliveries(now, keep_days=60):
    """Delivery rows are bookkeeping; after two months they guard nothing."""
    return Delivery.objects.filter(created_at__lt=now - datetime.timedelta(days=keep_days)).delete()[0]
