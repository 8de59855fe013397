"""The weekly roll-over: this week's plan for everyone whose local week has begun, a page of people at a time.

Every 15 minutes beat runs the coordinator (`roll_over`, in reminders/tasks.py's roll_over_plans). It

1. walks the people of the week being rolled over (the week key, `week_key`) by user id, in pages of
   ROLLOVER_PAGE_SIZE ids (keyset: each page starts at the next id after the last page, so memory stays flat
   however many people there are), recording each page as a planner.models.RollOverPage row;
2. claims every page that needs a worker now, in PostgreSQL, and enqueues one `roll_over_page` task per
   claimed page after the claim commits.

A worker (`roll_over_page`) plans the people of its page whose own Monday has begun, in bulk
(plans.plan_weeks), and marks the page done, or waiting until the next person in it begins the week.

People live in every time zone, so "the week has begun" differs per person: the week key is the Monday of the
newest week that has begun anywhere (UTC+14). From Sunday 10:00 UTC, when it begins there, until Monday
12:00 UTC, when it begins at UTC-12, a page can hold people already in that week and people still in the
one before; the worker plans the first and leaves the page waiting until the Monday of the next of the others
begins. The coordinator's 15 minutes match the time zones: every UTC offset is a multiple of 15 minutes.

Nobody is planned twice, whatever runs twice:
- two coordinators at once make the same pages (their ids are aligned to the page size, so a page's range
  does not depend on who made it; the unique (week_start, first_id) keeps one) and claim each page once:
  the claim is an UPDATE of rows selected FOR UPDATE SKIP LOCKED, so the second skips what the first holds;
- a page's task carries its claim number and works only under it, holding the page's row locked (FOR UPDATE
  SKIP LOCKED) until its plans commit with the page's new status: a task delivered twice, or retried, finds
  the page done, or locked by its twin, and does nothing;
- a worker killed mid-page rolls nothing half back in: its transaction is undone when its connection drops,
  and the page stays claimed until its lease (ROLLOVER_REQUEUE_AFTER) runs out; then the coordinator claims
  it again under a new number, so a task of the old claim that turns up later does nothing;
- the unique (user, week_start) of the Plan table is the last guard (plans.plan_weeks leaves out anyone
  planned meanwhile, by the dashboard say).

Nobody is missed: every id is in one page of the week, a page is done only when everyone in it has been
considered after their Monday began, and a page whose task was lost is claimed again; an account deleted
while its page is being planned undoes the page's plans (one of them has no person left), and the page is
planned again at once without it. People who finish onboarding after their page was done get their plan
then: this week's, and, late on a Sunday where they live, the coming week's made ahead
(plans.replan_after_inputs_changed).
"""

import contextlib
import datetime
import gc
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Profile, User
from planner import plans
from planner.models import RollOverPage

log = logging.getLogger(__name__)
UTC = datetime.UTC

CLAIM_BATCH = 200  # pages claimed per transaction
PAGES_PER_INSERT = 100
KEEP_PAGES = datetime.timedelta(weeks=3)  # page rows are bookkeeping: older weeks' are forgotten
Status = RollOverPage.Status


def week_key(now: datetime.datetime) -> datetime.date:
    """The week being rolled over at `now` (aware): the newest that has begun anywhere
    (plans.newest_week_begun)."""
    return plans.newest_week_begun(now)


def requeue_after() -> datetime.timedelta:
    """How long a claimed page may wait for its worker before it is claimed again (ROLLOVER_REQUEUE_AFTER
    seconds): longer than the queue takes to drain the biggest wave of pages, or pages are enqueued twice
    (harmless: the older task finds the page is not its own)."""
    return datetime.timedelta(seconds=settings.ROLLOVER_REQUEUE_AFTER)


# --- The coordinator (beat, every 15 minutes) -------------------------------------------------------------


def roll_over(now: datetime.datetime, enqueue, time_budget: float = 30.0) -> int:
    """Add the week's pages the walk has not made yet, claim every page that needs a worker now, and enqueue
    each after its claim commits: `enqueue(page_id, claim)` (the task's delay in production). Returns how
    many pages were enqueued. Stops after about `time_budget` seconds; the next run goes on from there.
    """
    deadline = time.monotonic() + time_budget
    week = week_key(now)
    add_pages(week, now, deadline)
    enqueued = 0
    while time.monotonic() < deadline:
        claimed = claim_due_pages(week, now, enqueue)
        if not claimed:
            break
        enqueued += len(claimed)
    return enqueued


def add_pages(week: datetime.date, now: datetime.datetime, deadline: float | None = None) -> int:
    """Make the week's pages, from the end of its last page to the last person, due at `now`; how many.

    Keyset: each page starts at the first profile's user id after the pages so far, rounded down to a
    multiple of the page size (so that two coordinators make the same page), and holds the ids up to the
    next multiple. Empty stretches of ids (deleted accounts) get no page.
    """
    size = settings.ROLLOVER_PAGE_SIZE
    last_id = (
        RollOverPage.objects.filter(week_start=week)
        .order_by("-first_id")
        .values_list("last_id", flat=True)
        .first()
    )
    after = -1 if last_id is None else last_id
    pages, added = [], 0
    while deadline is None or time.monotonic() < deadline:
        next_id = (
            Profile.objects.filter(user_id__gt=after)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        if next_id is None:
            break
        block = next_id // size * size
        pages.append(
            RollOverPage(
                week_start=week, first_id=max(block, after + 1), last_id=block + size - 1, due_at=now
            )
        )
        after = block + size - 1
        if len(pages) == PAGES_PER_INSERT:
            added += len(RollOverPage.objects.bulk_create(pages, ignore_conflicts=True))
            pages = []
    added += len(RollOverPage.objects.bulk_create(pages, ignore_conflicts=True))
    return added


def claim_due_pages(week: datetime.date, now: datetime.datetime, enqueue) -> list[tuple[int, int]]:
    """Claim up to CLAIM_BATCH pages whose due moment has come (new, waiting for a time zone's Monday, or
    claimed and never finished), and enqueue them after the claim commits. Returns [(page id, claim)].

    Pages another coordinator is claiming, or a worker is planning, at this moment are skipped (SKIP LOCKED).
    """
    with transaction.atomic():
        pages = list(
            RollOverPage.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now, week_start__gte=week - datetime.timedelta(weeks=1))
            .order_by("due_at")[:CLAIM_BATCH]
        )
        for page in pages:
            if page.status == Status.CLAIMED:
                log.warning(
                    "roll-over page %s (ids %s to %s) was not finished under claim %s: claimed again",
                    page.pk,
                    page.first_id,
                    page.last_id,
                    page.claim,
                )
            page.status = Status.CLAIMED
            page.claim += 1
            page.claimed_at = now
            page.due_at = now + requeue_after()
        RollOverPage.objects.bulk_update(pages, ["status", "claim", "claimed_at", "due_at"])
        claimed = [(page.pk, page.claim) for page in pages]
        transaction.on_commit(lambda: enqueue_all(claimed, enqueue))
    return claimed


def enqueue_all(claimed: list[tuple[int, int]], enqueue) -> None:
    for done, (page_id, claim) in enumerate(claimed):
        try:
            enqueue(page_id, claim)
        except Exception:
            # The broker is down: the pages stay claimed and are claimed again once their lease runs out.
            log.exception(
                "could not enqueue roll-over pages; %s left until their lease runs out", len(claimed) - done
            )
            return


def forget_old_pages(now: datetime.datetime) -> int:
    """Delete the pages of weeks rolled over more than KEEP_PAGES ago; how many."""
    return RollOverPage.objects.filter(week_start__lt=week_key(now) - KEEP_PAGES).delete()[0]


# --- A page (a worker) -------------------------------------------------------------------------------------


def roll_over_page(page_id: int, claim: int, now: datetime.datetime | None = None) -> plans.WeekPlans | None:
    """Plan the people of a claimed page whose own week (the page's week_start) has begun, and mark the page
    done, or waiting until the Monday of the next person in it begins. Returns what plans.plan_weeks did, or
    None when the page is not this claim's to plan (done, claimed again since, or being planned by a twin of
    this task).

    Active, onboarded people only, as before; the plans are the ones plan_for_week would make one by one.
    All in one transaction, the page's row locked until it commits.
    """
    now = now or timezone.now()
    try:
        return plan_page(page_id, claim, now)
    except IntegrityError:
        # An account deleted after the page read its people, before their plans were stored: that person's
        # plan cannot be stored, and all of the page's were undone. Planned again at once, without them.
        log.warning("roll-over page %s: an account went while it was planned; planning it again", page_id)
        return plan_page(page_id, claim, now)


def plan_page(page_id: int, claim: int, now: datetime.datetime) -> plans.WeekPlans | None:
    """roll_over_page's one try, in one transaction."""
    with transaction.atomic(), collector_paused():
        page = (
            RollOverPage.objects.select_for_update(skip_locked=True)
            .filter(pk=page_id, claim=claim, status=Status.CLAIMED)
            .first()
        )
        if page is None:
            return None
        begun, next_start = people_whose_week_began(page, now)
        # Those planned already (on the page's last run, or by the dashboard) are left as they are by
        # plan_weeks, which finds them with its first query.
        outcome = plans.WeekPlans(made=[], settled=[], failed=[])
        if begun:
            outcome = plans.plan_weeks(begun, page.week_start, now)
        page.planned += len(outcome.made) + len(outcome.settled)
        page.failed += len(outcome.failed)
        if next_start is None:
            page.status, page.due_at, page.done_at = Status.DONE, None, now
        else:
            page.status, page.due_at = Status.WAITING, next_start
        page.save(update_fields=["planned", "failed", "status", "due_at", "done_at"])
    return outcome


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off while a page is planned, on again after (if it was).

    A page makes a few hundred thousand short-lived lists and dicts (the engine's plans, the rows to write):
    every 700 of them set off a collection of the newest objects, and every so often of the whole heap,
    Django's and the engine's modules included; a fifth of a page's time went there (measured on 10,000
    people). Reference counting frees them as it always does, and the few cycles left are collected once
    the page is done: a page holds a few hundred people, so what waits meanwhile stays small.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def people_whose_week_began(
    page: RollOverPage, now: datetime.datetime
) -> tuple[list[Profile], datetime.datetime | None]:
    """([the profiles of the page's active, onboarded people whose week_start has begun where they live at
    `now`], the first moment after `now` when another one's does, or None). One query: the whole profiles,
    which plans.plan_weeks reads, come with the time zones."""
    # The page's range on both tables: PostgreSQL carries an equality across a join, not a range, and
    # without it may read every user to join a few hundred profiles.
    active = User.objects.filter(pk__gte=page.first_id, pk__lte=page.last_id, is_active=True).values("pk")
    people = Profile.objects.filter(
        user_id__gte=page.first_id, user_id__lte=page.last_id, user_id__in=active, onboarded_at__isnull=False
    )
    zones = {}  # time zone name: (its Monday at `now`, when the page's week begins there)
    begun, next_start = [], None
    for profile in people:
        if profile.timezone not in zones:
            place = Profile(timezone=profile.timezone)  # Profile.local_date: the one place dates are made
            zones[profile.timezone] = (
                plans.monday_of(place.local_date(now)),
                week_begins(place, page.week_start, now),
            )
        monday, starts = zones[profile.timezone]
        if monday == page.week_start:
            begun.append(profile)
        elif monday < page.week_start:
            next_start = starts if next_start is None else min(next_start, starts)
    return begun, next_start


def week_begins(place: Profile, monday: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """The moment (UTC) the week starting `monday` begins where the profile lives; never `now` or earlier."""
    moment = datetime.datetime.combine(monday, datetime.time(0), tzinfo=place.zone).astimezone(UTC)
    return max(moment, now + datetime.timedelta(seconds=1))


# --- One person (messages queued before the roll-over went by pages) ---------------------------------------


def roll_over_plan(user_id: int, week_start: datetime.date) -> None:
    """Make (or settle) the week's plan for one active person; nothing for a deleted or inactive account."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        plans.plan_for_week(user, week_start)
