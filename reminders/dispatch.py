"""Reminders, exactly once per channel: claim, then send (README.md, "Reminders: exactly once").

Every minute beat runs `dispatch_due`. It selects the reminders whose moment has come, BATCH_SIZE at a time,
and claims them with a conditional UPDATE that moves each next_due_at on to the next local moment: only the
process whose UPDATE changed a row goes on, so two dispatchers running at once still send one reminder. The
claimer records one Delivery per channel the person chose for that kind (email, push or both), whose unique
key (user, kind, channel, due moment) is the last guard, and enqueues the ids (enqueue_all) after
the transaction commits. A worker then claims each delivery (queued -> sending) and sends it by its channel:
an email over SMTP (reminders/smtp.py), or a push to each of the person's devices (reminders/push.py).

Once a day. A person gets at most one reminder of a kind by a channel on each calendar day of the time zone
they are in when it is due. An earlier delivery counts for the day its moment falls on in that zone, whatever
zone the person had then: so someone who had Los Angeles' 08:00 email (16:00 UTC) and then moved to Auckland
gets no second one on the Auckland day that 16:00 UTC fell on, and someone who had Sydney's 08:00 email
(21:00 UTC the day before) and then moved to London gets London's 08:00 one, since 21:00 UTC fell on the day
before in London. A reminder that is not sent for this reason is recorded as skipped, saying why. Deliveries
that went out or may have (sending, sent, unconfirmed) count; skipped and failed ones do not; an earlier one
still queued (retrying through an outage, or waiting in a backlog) is replaced by the later one, whose
deadline is later, so a day whose first moment cannot get through still has its email. The unique key guards
the moment itself (two dispatchers, a reminder put back to a moment already claimed).

Guarantees, as an operator sees them (the admin lists deliveries by status, with counts):

- never twice: both claims are conditional UPDATEs, and the Delivery key is unique; an email is never sent
  again once the SMTP server may have it (see unconfirmed, below);
- unconfirmed, at most one email each, counted: when the SMTP server had the whole message (the end-of-data
  marker was sent) but its answer never came (a timeout after EMAIL_FINAL_REPLY_TIMEOUT, a dropped
  connection, the task's time limit), the delivery is recorded "unconfirmed" at once and logged as a warning:
  it may or may not have arrived, and is not sent again. A worker killed mid-send (the hard time limit, out of
  memory, a deploy) leaves its one delivery "sending"; the dispatcher records it "unconfirmed" on its first
  tick once the send's hard time limit and a margin have passed (report_interrupted_sends), with an error log;
- nothing lost in the queue: a delivery still "queued" after REMINDER_REQUEUE_AFTER seconds (a message lost
  with a broker outage or a killed worker) is enqueued again by the dispatcher, in batches within its time
  budget, so any backlog is caught up with; a duplicate message is harmless;
- retries to the deadline: an SMTP error before the server could have the message, and a push service that
  cannot take it now (5xx, 429, no connection, a timeout), are tried again with backoff (Retries, below) until
  the moment is LATE_LIMIT past, then failed with the last error and logged as an error; a permanent refusal
  (5xx) of the message or its recipient fails at once; a push goes again only to the devices that did not
  take it, and a device shows one notification per reminder whatever arrives twice (its tag and Topic);
- nothing late: a moment that passed more than LATE_LIMIT ago (workers down overnight) is skipped, not sent;
- nothing unwanted: a reminder switched off, or an account made inactive, while its delivery waits in a batch
  is skipped at its turn (the claim reads both as they are then).

Retries. After attempt n fails, the next is REMINDER_RETRY_AFTER * 2**(n-1) seconds later, at most
REMINDER_RETRY_AFTER_MAX: by default 1, 2, 4, 8 and then every 15 minutes, so for a reminder due at 08:00,
attempts at 08:00, 08:01, 08:03, 08:07, 08:15, 08:30, 08:45 ... 09:45 and a last one at 09:59, the last tick
before its deadline (the moment plus LATE_LIMIT); then it is failed with the last error. The dispatcher, which
runs every REMINDER_DISPATCH_EVERY seconds, enqueues a delivery again on its first tick at or after
enqueue_again_at; so a retry's enqueue_again_at is half a tick before the retry time (retry_at), and the
attempt comes on the tick that falls on the retry time, not the one after it (which made 1, 2, 4, 8 minutes
0, 2, 5, 10, 19).

Time limits. One send, by either channel, takes at most worst_send_seconds(): an email EMAIL_TIMEOUT to be
handed over plus EMAIL_FINAL_REPLY_TIMEOUT for the answer (reminders/smtp.py); a push tries no further device
once that time could not hold one more (push.device_worst()). The sending task starts a send only while one
more worst-case send fits in its budget (send_budget_seconds(), twice the worst case: a batch of SEND_BATCH at
any pace up to worst_send_seconds() / SEND_BATCH a send goes out in one task, and a hung server holds a worker
process for that long at most) and hands the rest back to the queue at once. Its soft time limit allows
SEND_MARGIN more for the bookkeeping, its hard limit SEND_MARGIN after that (send_time_limits()). If the soft
limit strikes mid-send all the same (a database that hangs), the delivery is released back to the queue when
the server cannot have it yet, recorded unconfirmed when it may, and the rest of the batch is handed back.

Local times use zoneinfo. A reminder time that does not exist on a spring-forward day (01:30 in London on
2026-03-29) fires at the same UTC offset as the day before, i.e. an hour later on the wall clock; a time
that happens twice on a fall-back day fires once, at its first occurrence.
"""

import datetime
import itertools
import logging
import time
from functools import cache

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from accounts.models import Profile
from reminders import emails, push, smtp
from reminders.models import Channel, Delivery, EmailKind, ProfileWalk, Reminder

log = logging.getLogger(__name__)
UTC = datetime.UTC

LATE_LIMIT = datetime.timedelta(hours=2)
BATCH_SIZE = 500  # reminders claimed, or deliveries enqueued again, per transaction
SEND_BATCH = 50  # deliveries per queue message
SEND_SPREAD = 8  # a small batch goes out in up to this many messages (enqueue_all)
SEND_MARGIN = 15  # seconds: the bookkeeping after a task's last send; and again before its hard limit
# A "sending" row older than the send's hard time limit plus this was left by a worker that stopped.
INTERRUPTED_MARGIN = datetime.timedelta(seconds=30)
# schedule_missing_reminders: profiles a query, queries a run (20,000 profiles a run at most), and how long
# after it was made a profile is surely committed (a request or a task takes seconds, a bulk load minutes).
MISSING_BATCH = 1000
MISSING_BATCHES = 20
SETTLED_AFTER = datetime.timedelta(hours=1)

TOO_LATE = "too late: its moment passed hours ago"
GAVE_UP = "gave up at its deadline (2 hours after its moment)"
# The statuses of deliveries that went out or may have: each counts for its local day (Once a day).
COUNTS_FOR_THE_DAY = [
    Delivery.Status.QUEUED,
    Delivery.Status.SENDING,
    Delivery.Status.SENT,
    Delivery.Status.UNCONFIRMED,
]

# Which profile switch turns each kind of reminder on or off, per channel.
EMAIL_SWITCH = {
    EmailKind.WEEKLY_PLAN: "email_weekly_plan",
    EmailKind.SESSION_DAY: "email_session_reminders",
    EmailKind.CHECKIN: "email_checkins",
}
SWITCHES = {Channel.EMAIL: EMAIL_SWITCH, Channel.PUSH: push.PUSH_SWITCH}


def channels_on():
    """The channels this server can send by: email always, push when its VAPID keys are set."""
    return [Channel.EMAIL, Channel.PUSH] if push.enabled() else [Channel.EMAIL]


def chosen_channels(kind, profile) -> list:
    """The channels the person chose for this kind of reminder, among those this server sends by."""
    return [channel for channel in channels_on() if getattr(profile, SWITCHES[channel][kind])]


# --- Time limits of the sending task ----------------------------------------------------------------------


def worst_send_seconds() -> float:
    """The longest one send takes, by either channel (seconds): see Time limits in the module's docstring."""
    return max(settings.EMAIL_TIMEOUT + settings.EMAIL_FINAL_REPLY_TIMEOUT, push.device_worst())


def send_budget_seconds() -> float:
    """How long a sending task may go on starting sends (seconds): twice the worst case."""
    return 2 * worst_send_seconds()


def send_time_limits() -> tuple[float, float]:
    """The sending task's (soft, hard) time limits in seconds: its budget, SEND_MARGIN, SEND_MARGIN."""
    soft = send_budget_seconds() + SEND_MARGIN
    return soft, soft + SEND_MARGIN


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


def local_day_bounds(profile, moment) -> tuple[datetime.datetime, datetime.datetime]:
    """The UTC moments [start, end) of the calendar day that `moment` falls on in the person's time zone now.

    A midnight that DST skips starts the day at the change (fold=0 gives the offset from before it, which is
    the same instant); a day is 23, 24 or 25 hours long.
    """
    zone = profile.zone
    day = moment.astimezone(zone).date()
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


# --- Keeping the schedule in step with the profile --------------------------------------------------------


def schedule_reminders(profile, now=None):
    """Give the person one reminder row per kind; move a row whose next moment no longer fits their settings.

    A row whose next_due_at is still a valid moment is left alone, so saving a profile for another reason
    never loses or repeats an email; so is one already due and not yet dispatched (a change of time zone or
    time a few seconds after the moment): it was due where and when the person was, and the dispatcher moves
    it on by the new settings when it claims it.
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
        elif reminder.next_due_at > now and not is_scheduled_moment(kind, profile, reminder.next_due_at):
            Reminder.objects.filter(pk=reminder.pk, next_due_at=reminder.next_due_at).update(
                next_due_at=next_due_at(kind, profile, now)
            )
    Reminder.objects.bulk_create(missing, ignore_conflicts=True)


def keep_reminders_in_step_with_profile(sender, instance, raw=False, **kwargs):
    """Receives the Profile's post_save (connected in RemindersConfig.ready()): a new profile gets its
    reminders; a changed time zone or reminder time moves them."""
    if not raw:
        schedule_reminders(instance)


def schedule_missing_reminders(now) -> int:
    """Give the profiles made since the last run each kind of reminder they lack. Returns how many reminder
    rows it made. Run every 15 minutes with the roll-over.

    A profile saved through the ORM has its reminders from the post_save signal (schedule_reminders); this
    catches the ones made without it: by bulk_create, which sends no signal, by raw SQL, or before this
    feature. It walks profiles by id from where the last run stopped (ProfileWalk), MISSING_BATCH at a time
    through the primary key, with one read of their reminders by the (user, kind) index each batch, and at
    most MISSING_BATCHES batches a run: a run's work is bounded whatever the number of people, and a backlog
    (the first run on an old database, a bulk load) is caught up over several runs.

    Ids are handed out at INSERT but rows are seen at COMMIT, so a walk can pass the id of a profile whose
    transaction is still open. The mark therefore moves on only past profiles made more than SETTLED_AFTER
    ago; the newer ones (the last hour's sign-ups) are read again by each run until then.
    """
    walk, _ = ProfileWalk.objects.get_or_create(pk=1)
    after, made = walk.after_profile_id, 0
    for _ in range(MISSING_BATCHES):
        profiles = list(Profile.objects.filter(pk__gt=after).order_by("pk")[:MISSING_BATCH])
        if not profiles:
            break
        made += add_missing_reminders(profiles, now)
        settled = [profile.pk for profile in profiles if profile.created_at <= now - SETTLED_AFTER]
        if settled:
            ProfileWalk.objects.filter(pk=1, after_profile_id__lt=max(settled)).update(
                after_profile_id=max(settled), updated_at=now
            )
        after = profiles[-1].pk
        if len(profiles) < MISSING_BATCH:
            break
    return made


def add_missing_reminders(profiles, now) -> int:
    """Make the reminder rows these profiles lack, one per kind, due at its next moment after `now`; returns
    how many. One query to read what they have, one to insert."""
    have = set(
        Reminder.objects.filter(user_id__in=[profile.user_id for profile in profiles]).values_list(
            "user_id", "kind"
        )
    )
    missing = [
        Reminder(user_id=profile.user_id, kind=kind, next_due_at=next_due_at(kind, profile, now))
        for profile in profiles
        for kind in EmailKind
        if (profile.user_id, kind.value) not in have
    ]
    Reminder.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


# --- The dispatcher (beat, every minute) ------------------------------------------------------------------


def due_reminders(now):
    """Due reminders of active, onboarded people who have that kind of reminder switched on (any channel)."""
    switched_on = Q()
    for channel in channels_on():
        for kind, field in SWITCHES[channel].items():
            switched_on |= Q(kind=kind, **{f"user__profile__{field}": True})
    return (
        Reminder.objects.filter(next_due_at__lte=now, user__is_active=True)
        .filter(user__profile__onboarded_at__isnull=False)
        .filter(switched_on)
        .select_related("user__profile")
        .order_by("id")  # one lock order for every dispatcher
    )


def claim(batch, now) -> list:
    """Move each reminder of the batch on to its next moment, in one conditional UPDATE ... RETURNING: a row
    moves only if it still has the moment this dispatcher read, so only one process's UPDATE changes it.
    Returns the reminders this UPDATE changed, the ones this process goes on with."""
    if not batch:
        return []
    adapt = connection.ops.adapt_datetimefield_value
    cases = " ".join(["WHEN %s THEN %s"] * len(batch))
    listed = ", ".join(["%s"] * len(batch))
    # Only placeholders are formatted into the statement; the values are parameters.
    statement = (
        f"UPDATE planner_reminder SET next_due_at = CASE id {cases} END "  # noqa: S608
        f"WHERE id IN ({listed}) AND next_due_at = CASE id {cases} END RETURNING id"
    )
    params = [
        *(p for r in batch for p in (r.pk, adapt(next_due_at(r.kind, r.user.profile, now)))),
        *(r.pk for r in batch),
        *(p for r in batch for p in (r.pk, adapt(r.next_due_at))),
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        changed = {pk for (pk,) in cursor.fetchall()}
    return [r for r in batch if r.pk in changed]


def deliveries_for(reminder, now):
    """The unsaved Deliveries a claimed reminder stands for, one per channel the person chose; a moment long
    past is recorded as skipped."""
    due_at = reminder.next_due_at
    profile = reminder.user.profile
    late = now - due_at > LATE_LIMIT
    return [
        Delivery(
            user_id=reminder.user_id,
            kind=reminder.kind,
            channel=channel,
            local_date=profile.local_date(due_at),
            due_at=due_at,
            status=Delivery.Status.SKIPPED if late else Delivery.Status.QUEUED,
            note=TOO_LATE if late else "",
            enqueue_again_at=now + requeue_after(),
        )
        for channel in chosen_channels(reminder.kind, profile)
    ]


SECOND_OF_THE_DAY = "one already went out on this local day (before a change of time zone or time)"
REPLACED = "replaced by a later moment on the same local day (the reminder time or time zone changed)"


def skip_second_of_the_day(deliveries, profiles):
    """Mark skipped each of the (unsaved) deliveries whose person already had one of that kind by that channel
    earlier on the same local day, judged in their time zone now (Once a day). `profiles` maps user ids to
    profiles. One query for them all.

    An earlier one that has not gone out yet (still queued: retrying through an outage, or waiting in a
    backlog) is replaced by the new one instead, skipped by a conditional UPDATE, so that the day keeps the
    reminder whose deadline is later; if a worker claimed it meanwhile, the new one is skipped."""
    queued = [d for d in deliveries if d.status == Delivery.Status.QUEUED]
    if not queued:
        return
    bounds = {id(d): local_day_bounds(profiles[d.user_id], d.due_at) for d in queued}
    earlier = {}
    rows = Delivery.objects.filter(
        user_id__in={d.user_id for d in queued},
        status__in=COUNTS_FOR_THE_DAY,
        due_at__gte=min(start for start, _ in bounds.values()),
        due_at__lt=max(d.due_at for d in queued),
    ).values_list("user_id", "kind", "channel", "due_at", "pk", "status")
    for user_id, kind, channel, due_at, pk, status in rows:
        earlier.setdefault((user_id, kind, channel), []).append((due_at, pk, status))
    for delivery in queued:
        start, _ = bounds[id(delivery)]
        same_day = [
            (pk, status)
            for moment, pk, status in earlier.get((delivery.user_id, delivery.kind, delivery.channel), [])
            if start <= moment < delivery.due_at
        ]
        if not same_day:
            continue
        waiting = [pk for pk, status in same_day if status == Delivery.Status.QUEUED]
        if len(waiting) < len(same_day) or not replaced(waiting):
            delivery.status, delivery.note = Delivery.Status.SKIPPED, SECOND_OF_THE_DAY


def replaced(delivery_ids) -> bool:
    """Skip these queued deliveries as replaced by a later one (skip_second_of_the_day): True when all of
    them still were queued, False when a worker had claimed one (the rest are skipped all the same)."""
    skipped = Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED, note=REPLACED, updated_at=timezone.now()
    )
    return skipped == len(delivery_ids)


def saved(delivery):
    """Save one delivery; False when one for that person, kind, channel and moment already exists."""
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        log.info(
            "%s by %s for user %s at %s already recorded",
            delivery.kind,
            delivery.channel,
            delivery.user_id,
            delivery.due_at,
        )
        return False
    return True


def claim_and_record(batch, now, enqueue):
    """Claim the batch's reminders and record their deliveries in one transaction; enqueue after commit.
    Returns the ids of the deliveries to send."""
    with transaction.atomic():
        claimed = claim(batch, now)
        deliveries = [d for r in claimed for d in deliveries_for(r, now)]
        skip_second_of_the_day(deliveries, {r.user_id: r.user.profile for r in claimed})
        try:
            with transaction.atomic():
                Delivery.objects.bulk_create(deliveries)
        except IntegrityError:
            # Rare (a reminder put back to a moment already claimed): record them one by one, skipping those.
            deliveries = [d for d in deliveries if saved(d)]
        ids = [d.pk for d in deliveries if d.status == Delivery.Status.QUEUED]
        transaction.on_commit(lambda: enqueue_all(ids, enqueue))
    return ids


def dispatch_due(now, enqueue, batch_size=BATCH_SIZE, time_budget=40.0):
    """Claim every due reminder and record its deliveries, enqueue again those whose message was lost or whose
    retry time has come, and report sends interrupted by a stopped worker. Returns how many deliveries were
    enqueued.

    `enqueue(delivery_ids)` puts a batch of deliveries on the queue (the Celery task's delay in production).
    Due reminders and deliveries waiting to go again are taken in turns, `batch_size` at a time, each batch
    in a transaction of its own, until none are left or `time_budget` seconds have passed (the rest are taken
    on the next tick): neither a rush nor a backlog holds the other up, and no transaction grows with them.
    """
    started = time.monotonic()
    enqueued = 0
    due_left = again_left = True
    while (due_left or again_left) and time.monotonic() - started < time_budget:
        if due_left:
            batch = list(due_reminders(now)[:batch_size])
            due_left = bool(batch)
            enqueued += len(claim_and_record(batch, now, enqueue)) if batch else 0
        if again_left:
            taken, ids = enqueue_again_batch(now, enqueue, batch_size)
            again_left = taken > 0
            enqueued += len(ids)
    report_interrupted_sends(now)
    return enqueued


def enqueue_again_batch(now, enqueue, batch_size=BATCH_SIZE):
    """Take up to `batch_size` queued deliveries whose enqueue_again_at has come (a lost message, or a retry's
    time), oldest first, in one transaction: enqueue them again after commit with a new lease, or end those
    whose moment is LATE_LIMIT past (skipped if never tried, failed if tried). Returns (how many were taken,
    the ids enqueued).

    Each taken row leaves the waiting set (a new enqueue_again_at, or another status), so the next batch
    takes the next rows; on PostgreSQL, rows another dispatcher has taken are skipped, not waited for.
    """
    with transaction.atomic():
        waiting = list(
            Delivery.objects.filter(status=Delivery.Status.QUEUED, enqueue_again_at__lte=now)
            .order_by("enqueue_again_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", "due_at")[:batch_size]
        )
        ids = [pk for pk, due_at in waiting if now - due_at <= LATE_LIMIT]
        if ids:
            Delivery.objects.filter(pk__in=ids).update(enqueue_again_at=now + requeue_after(), updated_at=now)
        late = [pk for pk, due_at in waiting if now - due_at > LATE_LIMIT]
        if late:
            give_up(Delivery.objects.filter(pk__in=late), now)
        transaction.on_commit(lambda: enqueue_all(ids, enqueue))
    return len(waiting), ids


def give_up(deliveries, now):
    """End queued deliveries whose moment is LATE_LIMIT past: skipped if never tried, failed (keeping the last
    error in the note, logged as an error) if they were."""
    deliveries.filter(attempts=0).update(status=Delivery.Status.SKIPPED, note=TOO_LATE, updated_at=now)
    failed = deliveries.filter(attempts__gt=0).update(
        status=Delivery.Status.FAILED,
        note=Substr(
            Concat(Value("gave up at its deadline (2 hours after its moment); last: "), F("note")), 1, 200
        ),
        updated_at=now,
    )
    if failed:
        log.error(
            "gave up on %s deliveries at their deadline after errors: see Deliveries in the admin", failed
        )


def enqueue_all(ids, enqueue):
    """Enqueue the deliveries in messages of SEND_BATCH at most: one message per batch keeps Celery's cost per
    email low. Fewer than SEND_SPREAD * SEND_BATCH go out in SEND_SPREAD messages (as many as there are ids,
    at most), so that a few dozen emails to a slow server are shared by the worker processes, not sent one
    after another by one of them.

    Each delivery in a batch is still claimed on its own when it is sent, so a worker killed mid-batch loses
    only the one in flight; the rest stay queued and are enqueued again after their lease.
    """
    if not ids:
        return
    messages = max(-(-len(ids) // SEND_BATCH), min(len(ids), SEND_SPREAD))
    bounds = [len(ids) * number // messages for number in range(messages + 1)]  # sizes differ by 1 at most
    for start, end in itertools.pairwise(bounds):
        try:
            enqueue(ids[start:end])
        except Exception:
            # The broker is down: the rest stay queued; the dispatcher enqueues them again after their lease.
            log.exception("could not enqueue deliveries; %s left for the next tries", len(ids) - start)
            return


def requeue_after():
    """How long a queued delivery waits before it is enqueued again (REMINDER_REQUEUE_AFTER seconds)."""
    return datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER)


# --- Sending (a worker) -----------------------------------------------------------------------------------


class CutShort(Exception):
    """The task's soft time limit struck during a send. The delivery was recorded as what is known of it:
    `released` back to the queue (nothing can have gone out), or sent or unconfirmed."""

    def __init__(self, released):
        super().__init__("cut short by the task's time limit")
        self.released = released


def send_batch(delivery_ids, enqueue, now=None, started=None) -> dict:
    """Send a task's batch of deliveries, each claimed on its own just before it is sent. Returns {id: status
    then} for the deliveries this task claimed.

    A send starts only while one more worst-case send fits in the task's budget (send_budget_seconds() from
    `started`, the time.monotonic() the task began at); the deliveries left are handed back to the queue at
    once through `enqueue` (as dispatch_due's), and so is the rest of the batch when the task's soft time
    limit strikes (Time limits). Deliveries another worker claimed first are passed over. Each final status
    is written by the next delivery's claim (claim_delivery), the last one's at the end, so a worker killed
    mid-batch leaves only the one in flight "sending". `now` (aware): the moment to judge by, for tests; by
    default the time of each send.
    """
    started = time.monotonic() if started is None else started
    left = batch_to_send(delivery_ids)
    planned = emails.planned_sessions(left)
    statuses, finished = {}, []
    try:
        while left and time.monotonic() - started + worst_send_seconds() <= send_budget_seconds():
            statuses[left[0].pk] = send_one(left[0], now or timezone.now(), finished, planned)
            left.pop(0)
    except (CutShort, SoftTimeLimitExceeded) as cut:
        # Between two sends, the one just finished may be handed back too: its claim guards it.
        log.warning("a send was cut short by the task's time limit; %s deliveries handed back", len(left))
        if isinstance(cut, CutShort) and not cut.released:
            left.pop(0)
    finally:
        record_finished(finished)
    if left:
        hand_back([delivery.pk for delivery in left], enqueue, now or timezone.now())
    return statuses


def send_delivery(delivery_id, now=None):
    """Claim one queued delivery and send it by its channel. Returns its status then (None: not ours)."""
    return send_batch([delivery_id], enqueue=lambda ids: None, now=now).get(delivery_id)


def batch_to_send(delivery_ids) -> list:
    """The batch's deliveries still queued, with their people and profiles (one query), in the batch's
    order."""
    # By primary key alone, the status checked here: in a rush the table's statistics predate the queued
    # rows, and a planner that took the status index read every queued row for each batch.
    found = Delivery.objects.filter(pk__in=delivery_ids).select_related("user__profile")
    deliveries = {delivery.pk: delivery for delivery in found if delivery.status == Delivery.Status.QUEUED}
    return [deliveries[pk] for pk in dict.fromkeys(delivery_ids) if pk in deliveries]


def send_one(delivery, now, finished, planned=None):
    """Claim the delivery (writing the final status of the one before it, held in `finished`) and send it;
    its final status is put in `finished`, or written at once when it is to be tried again or unconfirmed.
    Returns its status (None: another worker had claimed it). Raises CutShort when the task's soft time limit
    strikes."""
    claimed = False
    try:
        claimed = claim_delivery(delivery, now, finished)
        if not claimed:
            return None
        reason, context = reason_not_to_send(delivery, now), None
        if not reason:
            # What there is to say today, whichever the channel (`planned`: the batch's sessions, read once).
            context = emails.email_context(delivery, planned)
            if context is None:
                reason = "nothing to say today"
        if reason == TOO_LATE and delivery.attempts:
            note = f"{GAVE_UP}; last: {delivery.note}"
            log.error("giving up on delivery %s at its deadline: %s", delivery.pk, delivery.note)
            return finished_as(finished, delivery, Delivery.Status.FAILED, note)
        if reason:
            return finished_as(finished, delivery, Delivery.Status.SKIPPED, reason)
        status, note = SENDERS[delivery.channel](delivery, context, now)
    except smtp.SendFailed as failure:
        return email_failed(delivery, now, failure, finished)
    except push.PushServiceBusy as error:
        return retry_later(delivery, now, f"push: {error}")
    except SoftTimeLimitExceeded:
        # Before the email left, or during a push (the devices that took it are recorded): released. Struck
        # during the claim itself, the row may be ours and "sending": left so, it is reported unconfirmed.
        if claimed:
            release(delivery, now)
        raise CutShort(released=True) from None
    except Exception as error:
        if not claimed:
            raise
        log.exception("delivery %s failed", delivery.pk)
        return finished_as(
            finished, delivery, Delivery.Status.FAILED, f"error: {type(error).__name__}: {error}"
        )
    return finished_as(finished, delivery, status, note)


# claim_delivery's statement: one round trip and no ORM expressions to build, on the hot path of a rush. It
# also reads the person's switch for this kind of reminder and whether the account is active, as they are at
# the claim: someone who switched the reminder off while it waited in a batch does not get it.
CLAIM = """
UPDATE planner_delivery SET
    status = CASE WHEN id = %s THEN %s ELSE %s END,
    attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END,
    note = CASE WHEN id = %s THEN note ELSE %s END,
    sent_at = CASE WHEN id = %s THEN sent_at ELSE %s END,
    updated_at = %s
WHERE (id = %s AND status = %s) OR id = %s
RETURNING id,
    (SELECT {switch} FROM {profiles} WHERE {profiles}.user_id = planner_delivery.user_id),
    (SELECT is_active FROM {users} WHERE {users}.id = planner_delivery.user_id)
"""


@cache
def claim_statement(switch: str) -> str:
    """CLAIM for a delivery whose kind the Profile field `switch` turns on or off."""
    quote = connection.ops.quote_name
    return CLAIM.format(
        switch=quote(Profile._meta.get_field(switch).column),
        profiles=quote(Profile._meta.db_table),
        users=quote(Delivery._meta.get_field("user").related_model._meta.db_table),
    )


def claim_delivery(delivery, now, finished=None) -> bool:
    """queued -> sending, by a conditional UPDATE: True only for the one worker whose UPDATE changed the row.
    The same UPDATE writes the final status of the delivery sent before it, if `finished` (a list) holds one
    (finished_as): one statement an email, and nothing sent is left "sending" while the next one goes. It
    reads the person's switch for the delivery's kind and is_active afresh, onto `delivery.user` and its
    profile (reason_not_to_send judges by them). A push's list of devices that took it is read again once
    claimed (an earlier attempt may have added to it).
    """
    previous = finished.pop() if finished else None
    this = delivery.pk
    adapt = connection.ops.adapt_datetimefield_value
    before = previous or Delivery(pk=None, status=Delivery.Status.SENDING)  # no previous: no second row
    switch = SWITCHES[delivery.channel][delivery.kind]
    with connection.cursor() as cursor:
        cursor.execute(
            claim_statement(switch),
            [
                *(this, Delivery.Status.SENDING, before.status),
                this,
                *(this, before.note),
                *(this, adapt(before.sent_at)),
                adapt(now),
                *(this, Delivery.Status.QUEUED, before.pk),
            ],
        )
        claimed = next((row[1:] for row in cursor.fetchall() if row[0] == this), None)
    if claimed is None:
        return False
    switched_on, is_active = claimed
    setattr(delivery.user.profile, switch, bool(switched_on))
    delivery.user.is_active = bool(is_active)
    if delivery.channel == Channel.PUSH:
        delivery.pushed_to = Delivery.objects.values_list("pushed_to", flat=True).get(pk=delivery.pk)
    return True


def send_email(delivery, context, now):
    """Send the delivery's email over this worker's SMTP connection: (status, note). Raises smtp.SendFailed
    when it did not surely go out."""
    smtp.send(emails.build_message(delivery, context))
    return Delivery.Status.SENT, ""


def send_push(delivery, context, now):
    """Push the delivery to the person's devices, to be shown until its moment is LATE_LIMIT past, trying no
    device once a worst-case send's time is up: (status, note). Raises push.PushServiceBusy when a push
    service cannot take it now."""
    good_for = delivery.due_at + LATE_LIMIT - now
    deadline = time.monotonic() + worst_send_seconds()
    return push.send_delivery(delivery, context, ttl=int(good_for.total_seconds()), deadline=deadline)


SENDERS = {Channel.EMAIL: send_email, Channel.PUSH: send_push}


def email_failed(delivery, now, failure, finished):
    """Record what a failed email send tells (smtp.SendFailed): sent after all, unconfirmed, failed for good,
    released (cut short before the server could have it) or to be tried again. Returns the status; raises
    CutShort when the task's time limit cut it short."""
    cut_short = isinstance(failure.__cause__, SoftTimeLimitExceeded)
    if failure.sent:
        status = finished_as(finished, delivery, Delivery.Status.SENT, "")
    elif failure.maybe_sent:
        status = unconfirmed(delivery, failure.note)
    elif cut_short:
        release(delivery, now)
        raise CutShort(released=True) from None
    elif failure.permanent:
        log.error("delivery %s refused by the mail server: %s", delivery.pk, failure.note)
        status = finished_as(finished, delivery, Delivery.Status.FAILED, failure.note)
    else:
        status = retry_later(delivery, now, failure.note)
    if cut_short:
        raise CutShort(released=False) from None
    return status


def retry_delay(attempts) -> datetime.timedelta:
    """How long after its attempt number `attempts` (1, 2, ...) failed a delivery is tried again:
    REMINDER_RETRY_AFTER doubled each time, at most REMINDER_RETRY_AFTER_MAX (1, 2, 4, 8, 15, 15 ...
    minutes)."""
    seconds = settings.REMINDER_RETRY_AFTER * 2 ** min(attempts - 1, 20)
    return datetime.timedelta(seconds=min(seconds, settings.REMINDER_RETRY_AFTER_MAX))


def last_try(delivery):
    """The last moment worth an attempt: one dispatcher tick (REMINDER_DISPATCH_EVERY) before the delivery's
    deadline, its moment plus LATE_LIMIT."""
    return delivery.due_at + LATE_LIMIT - datetime.timedelta(seconds=settings.REMINDER_DISPATCH_EVERY)


def retry_at(delivery, attempts, now):
    """The enqueue_again_at that brings the next attempt after attempt number `attempts` failed at `now`:
    retry_delay() later, at the latest at last_try(). The dispatcher enqueues a delivery on its first tick at
    or after enqueue_again_at, so this is half a tick before the retry time: the tick that falls on it takes
    it, whatever the seconds between a tick and its sends."""
    half_tick = datetime.timedelta(seconds=settings.REMINDER_DISPATCH_EVERY / 2)
    return min(now + retry_delay(attempts), last_try(delivery)) - half_tick


def retry_later(delivery, now, note):
    """After a temporary error: back to queued, for the dispatcher to enqueue again at its retry time
    (retry_at); failed, with the error, when no tick is left before its deadline (last_try). Returns the
    status."""
    attempts = delivery.attempts + 1  # this attempt's number (the claim counted it)
    if now >= last_try(delivery):
        log.error(
            "giving up on delivery %s at its deadline after %s attempts: %s", delivery.pk, attempts, note
        )
        return finish(delivery, Delivery.Status.FAILED, f"{GAVE_UP}; last: {note}")
    log.warning("delivery %s (attempt %s) will be tried again: %s", delivery.pk, attempts, note)
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, enqueue_again_at=retry_at(delivery, attempts, now), note=note[:200]
    )
    return Delivery.Status.QUEUED


def release(delivery, now):
    """Back to queued with a new lease, when a send was cut short before anything could have gone out; the
    task hands it back to the queue at once."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, enqueue_again_at=now + requeue_after(), updated_at=now
    )


def hand_back(delivery_ids, enqueue, now):
    """Put deliveries this task will not send back on the queue at once, with a new lease (their message may
    be lost like any other)."""
    Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).update(
        enqueue_again_at=now + requeue_after()
    )
    enqueue_all(delivery_ids, enqueue)


def unconfirmed(delivery, note):
    """Record at once that the delivery may have gone out, and say so in a warning: it is never sent again."""
    log.warning("delivery %s is unconfirmed, not sent again: %s", delivery.pk, note)
    return finish(delivery, Delivery.Status.UNCONFIRMED, note)


def finished_as(finished, delivery, status, note):
    """Note the delivery's final status (and when, if sent), to be written with the next claim
    (claim_delivery) or at the end of the batch (record_finished); returns it."""
    delivery.status, delivery.note = status, note[:200]
    delivery.sent_at = timezone.now() if status == Delivery.Status.SENT else None
    finished.append(delivery)
    return status


def record_finished(finished):
    """Write the final status noted by finished_as() and not yet written, if any."""
    for delivery in finished:
        finish(delivery, delivery.status, delivery.note, delivery.sent_at)
    finished.clear()


def finish(delivery, status, note, sent_at=None):
    """Record the delivery's final status (and when, if sent: default now) at once, with a note for
    operators; returns it."""
    if status == Delivery.Status.SENT:
        sent_at = sent_at or timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, note=note[:200], sent_at=sent_at, updated_at=timezone.now()
    )
    return status


def reason_not_to_send(delivery, now):
    """Why this delivery must not go out now ("account inactive", "switched off", "too late: ..."), or ""."""
    user = delivery.user
    if not user.is_active:
        return "account inactive"
    if delivery.channel not in channels_on():
        return "push is off on this server (no VAPID keys)"
    if not getattr(user.profile, SWITCHES[delivery.channel][delivery.kind]):
        return "switched off"
    if now - delivery.due_at > LATE_LIMIT:
        return TOO_LATE
    return ""


# --- Housekeeping -----------------------------------------------------------------------------------------


def interrupted_after() -> datetime.timedelta:
    """How long a delivery can be "sending" while its task still runs: the send's hard time limit, and a
    margin for the clocks of the worker and the dispatcher."""
    return datetime.timedelta(seconds=send_time_limits()[1]) + INTERRUPTED_MARGIN


def report_interrupted_sends(now) -> int:
    """Deliveries still "sending" after interrupted_after(): their worker stopped mid-send (killed, out of
    memory, a deploy), so no one else will ever finish them. Run by the dispatcher on every tick.

    They are never sent again (the message may have gone out), so each is recorded unconfirmed, saying why,
    and logged once as an error for the operator. Returns how many.
    """
    interrupted = Delivery.objects.filter(
        status=Delivery.Status.SENDING, updated_at__lt=now - interrupted_after()
    )
    count = interrupted.update(
        status=Delivery.Status.UNCONFIRMED,
        note="interrupted while sending (the worker stopped): it may have been sent; not sent again",
        updated_at=now,
    )
    if count:
        log.error(
            "%s deliveries were interrupted while sending (a worker stopped mid-send); they are "
            "recorded unconfirmed and not sent again: see Deliveries in the admin",
            count,
        )
    return count


def forget_old_deliveries(now, keep_days=60):
    """Delivery rows are bookkeeping; after two months they guard nothing."""
    return Delivery.objects.filter(created_at__lt=now - datetime.timedelta(days=keep_days)).delete()[0]
