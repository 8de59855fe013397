"""Profiles made without the post_save signal (bulk_create, raw SQL) get their reminders from the 15-minute
job, which reads only the profiles made since its last run (dispatch.schedule_missing_reminders).
"""

import pytest
import time_machine

from accounts.models import Profile
from reminders import dispatch
from reminders.models import EmailKind, ProfileWalk, Reminder
from reminders.tests.people import at, make_person
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def bulk_profiles(count, **fields):
    """`count` people whose profiles are made by bulk_create, as the benchmarks and tests make them: no
    signal, so no reminders."""
    users = UserFactory.create_batch(count)
    return Profile.objects.bulk_create(ProfileFactory.build(user=user, **fields) for user in users)


def reminders_of(profile):
    return dict(Reminder.objects.filter(user_id=profile.user_id).values_list("kind", "next_due_at"))


def test_profiles_made_by_bulk_create_get_each_reminder_at_its_next_local_moment():
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):  # a Monday
        [profile] = bulk_profiles(1, timezone="Australia/Sydney", weekly_plan_day=6)
        assert reminders_of(profile) == {}

        assert dispatch.schedule_missing_reminders(at("2026-11-23 09:00")) == 3

    # Sydney is at UTC+11 in November: 08:00 on the 24th, 18:00 on Sunday the 29th.
    assert reminders_of(profile) == {
        EmailKind.SESSION_DAY: at("2026-11-23 21:00"),
        EmailKind.CHECKIN: at("2026-11-23 21:00"),
        EmailKind.WEEKLY_PLAN: at("2026-11-29 07:00"),
    }


def test_a_profile_missing_one_kind_gets_that_one_and_keeps_the_others():
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        person = make_person()
        before = reminders_of(person.profile)
        Reminder.objects.filter(user=person, kind=EmailKind.CHECKIN).delete()

        assert dispatch.schedule_missing_reminders(at("2026-11-23 12:00")) == 1

    after = reminders_of(person.profile)
    assert after[EmailKind.SESSION_DAY] == before[EmailKind.SESSION_DAY]
    assert after[EmailKind.WEEKLY_PLAN] == before[EmailKind.WEEKLY_PLAN]
    assert after[EmailKind.CHECKIN] == at("2026-11-24 08:00")  # the next 08:00 in London after noon


def test_a_run_reads_a_bounded_number_of_profiles_and_the_next_run_goes_on(monkeypatch):
    monkeypatch.setattr(dispatch, "MISSING_BATCH", 2)
    monkeypatch.setattr(dispatch, "MISSING_BATCHES", 2)
    with time_machine.travel(at("2026-11-23 07:00"), tick=False):
        profiles = bulk_profiles(7)
    with_reminders = lambda: sum(bool(reminders_of(profile)) for profile in profiles)  # noqa: E731

    dispatch.schedule_missing_reminders(at("2026-11-23 09:00"))
    assert with_reminders() == 4
    dispatch.schedule_missing_reminders(at("2026-11-23 09:15"))
    assert with_reminders() == 7
    assert ProfileWalk.objects.get().after_profile_id == profiles[-1].pk


def test_the_walk_passes_only_profiles_made_over_an_hour_ago():
    """A profile whose transaction commits after a later id was walked (ids are handed out at INSERT) is
    still seen: the mark stays behind the last hour's profiles."""
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        [older] = bulk_profiles(1)
    with time_machine.travel(at("2026-11-23 10:30"), tick=False):
        [newer] = bulk_profiles(1, pk=older.pk + 10)
        dispatch.schedule_missing_reminders(at("2026-11-23 10:30"))
        assert ProfileWalk.objects.get().after_profile_id == older.pk
        # One made just before `newer` whose transaction was still open then.
        [late] = bulk_profiles(1, pk=older.pk + 5)

        dispatch.schedule_missing_reminders(at("2026-11-23 10:45"))

    assert len(reminders_of(late)) == len(reminders_of(newer)) == len(reminders_of(older)) == 3
    dispatch.schedule_missing_reminders(at("2026-11-23 12:00"))
    assert ProfileWalk.objects.get().after_profile_id == newer.pk


def test_a_run_with_nothing_new_reads_only_the_last_hours_profiles(django_assert_num_queries):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False):
        bulk_profiles(30)
    dispatch.schedule_missing_reminders(at("2026-11-23 09:00"))
    with time_machine.travel(at("2026-11-23 09:10"), tick=False):
        [new] = bulk_profiles(1)

    # The walk's mark, the one new profile, its reminders (none), their insert.
    with django_assert_num_queries(4) as queries:
        assert dispatch.schedule_missing_reminders(at("2026-11-23 09:15")) == 3
    assert f'"accounts_profile"."id" > {new.pk - 1}' in queries.captured_queries[1]["sql"]
