"""Reminder emails: who gets what, when, and never twice (reminders/dispatch.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from planner.models import PlannedSession
from reminders import dispatch
from reminders.models import Delivery, EmailKind, Reminder
from reminders.tests.people import at, kind_of, make_person, plan_session, run_beat_tick, sent_to
from tests.factories import CheckInFactory, ProfileFactory

UTC = datetime.UTC
pytestmark = pytest.mark.django_db


# --- Local time, across DST changes ------------------------------------------------------------------------


class TestNextDueAt:
    def due(self, kind, tz, reminder_time, after):
        profile = ProfileFactory.build(timezone=tz, reminder_time=reminder_time)
        return dispatch.next_due_at(kind, profile, at(after))

    @pytest.mark.parametrize(
        "tz, after, expected",
        [
            # London springs forward on 2026-03-29: 08:00 is 08:00 UTC the day before, 07:00 UTC that day.
            ("Europe/London", "2026-03-28 07:00", "2026-03-28 08:00"),
            ("Europe/London", "2026-03-28 08:00", "2026-03-29 07:00"),
            # London falls back on 2026-10-25.
            ("Europe/London", "2026-10-24 07:00", "2026-10-25 08:00"),
            ("Europe/London", "2026-10-23 07:30", "2026-10-24 07:00"),
            # New York: spring forward 2026-03-08, fall back 2026-11-01.
            ("America/New_York", "2026-03-07 13:00", "2026-03-08 12:00"),
            ("America/New_York", "2026-10-31 12:00", "2026-11-01 13:00"),
            # Sydney: DST ends 2026-04-05, starts 2026-10-04.
            ("Australia/Sydney", "2026-04-03 00:00", "2026-04-03 21:00"),
            ("Australia/Sydney", "2026-04-03 21:00", "2026-04-04 22:00"),
            ("Australia/Sydney", "2026-10-02 22:00", "2026-10-03 21:00"),
        ],
    )
    def test_daily_reminder_stays_at_local_8am(self, tz, after, expected):
        assert self.due(EmailKind.SESSION_DAY, tz, datetime.time(8), after) == at(expected)

    def test_time_skipped_by_spring_forward_fires_once_an_hour_later(self):
        # 01:30 does not exist in London on 2026-03-29; it fires at 01:30 UTC, which is 02:30 BST.
        first = self.due(EmailKind.SESSION_DAY, "Europe/London", datetime.time(1, 30), "2026-03-28 02:00")
        assert first == at("2026-03-29 01:30")
        following = self.due(EmailKind.SESSION_DAY, "Europe/London", datetime.time(1, 30), "2026-03-29 01:30")
        assert following == at("2026-03-30 00:30")

    def test_time_repeated_by_fall_back_fires_once(self):
        # 01:30 happens twice in London on 2026-10-25 (00:30 and 01:30 UTC): only the first counts.
        first = self.due(EmailKind.SESSION_DAY, "Europe/London", datetime.time(1, 30), "2026-10-24 12:00")
        assert first == at("2026-10-25 00:30")
        following = self.due(EmailKind.SESSION_DAY, "Europe/London", datetime.time(1, 30), "2026-10-25 00:30")
        assert following == at("2026-10-26 01:30")

    @pytest.mark.parametrize(
        "tz, after, expected",
        [
            ("Europe/London", "2026-03-23 12:00", "2026-03-29 17:00"),  # the first Sunday on BST
            ("Europe/London", "2026-10-19 12:00", "2026-10-25 18:00"),  # the first Sunday on GMT
            ("America/New_York", "2026-03-02 12:00", "2026-03-08 22:00"),
            ("Australia/Sydney", "2026-03-30 12:00", "2026-04-05 08:00"),  # AEST from 2026-04-05
            ("Australia/Sydney", "2026-09-28 12:00", "2026-10-04 07:00"),  # AEDT from 2026-10-04
        ],
    )
    def test_weekly_plan_is_sunday_6pm_local(self, tz, after, expected):
        assert self.due(EmailKind.WEEKLY_PLAN, tz, datetime.time(8), after) == at(expected)

    def test_weekly_plan_comes_on_the_day_and_time_the_person_chose(self):
        profile = ProfileFactory.build(
            timezone="America/New_York", weekly_plan_day=0, weekly_plan_time=datetime.time(7, 15)
        )

        due = dispatch.next_due_at(EmailKind.WEEKLY_PLAN, profile, at("2026-11-23 13:00"))

        assert due == at("2026-11-30 12:15")  # Monday 07:15 in New York, on EST

    def test_unknown_timezone_falls_back_to_utc(self):
        assert self.due(EmailKind.SESSION_DAY, "Mars/Olympus", datetime.time(8), "2026-05-01 09:00") == at(
            "2026-05-02 08:00"
        )


# --- The session-day reminder, end to end with time travel --------------------------------------------------


def test_session_day_reminder_arrives_at_local_reminder_time_and_only_once(tick):
    with time_machine.travel(at("2026-11-22 12:00"), tick=False) as traveller:
        person = make_person()
        session = plan_session(person, datetime.date(2026, 11, 23), variant="brisk walk", minutes=20)

        traveller.move_to(at("2026-11-23 07:59"))
        tick()
        assert sent_to(person) == []

        traveller.move_to(at("2026-11-23 08:00:20"))
        tick()
        traveller.move_to(at("2026-11-23 08:01:20"))
        tick()
        [email] = sent_to(person)
        assert email.subject == "Today: 20 min brisk walk"
        assert "http://localhost:8000/dashboard/" in email.body
        assert f"Step by step: http://localhost:8000/sessions/{session.pk}/" in email.body
        assert f'href="http://localhost:8000/sessions/{session.pk}/"' in email.alternatives[0][0]

        traveller.move_to(at("2026-11-24 08:00:20"))  # no session planned on Tuesday
        tick()
        assert len(sent_to(person)) == 1


@pytest.mark.parametrize(
    "tz, day, moment",
    [
        ("Europe/London", "2026-03-29", "2026-03-29 07:00:30"),
        ("Europe/London", "2026-10-25", "2026-10-25 08:00:30"),
        ("America/New_York", "2026-03-08", "2026-03-08 12:00:30"),
        ("America/New_York", "2026-11-01", "2026-11-01 13:00:30"),
        ("Australia/Sydney", "2026-04-05", "2026-04-04 22:00:30"),
        ("Australia/Sydney", "2026-10-04", "2026-10-03 21:00:30"),
    ],
)
def test_reminder_on_a_dst_change_day_comes_at_8am_local(tick, tz, day, moment):
    day = datetime.date.fromisoformat(day)
    with time_machine.travel(at(moment) - datetime.timedelta(days=3), tick=False) as traveller:
        person = make_person(tz=tz)
        plan_session(person, day)
        traveller.move_to(at(moment) - datetime.timedelta(minutes=2))
        tick()
        assert sent_to(person) == []
        traveller.move_to(at(moment))
        tick()
        [email] = sent_to(person)
        assert datetime.datetime.now(UTC).astimezone(ZoneInfo(tz)).strftime("%H:%M") == "08:00"
        assert Delivery.objects.get(user=person, kind="session_day", status="sent").local_date == day


def test_repeated_hour_on_fall_back_sends_one_reminder(tick):
    with time_machine.travel(at("2026-10-24 12:00"), tick=False) as traveller:
        person = make_person(reminder_time=datetime.time(1, 30))
        plan_session(person, datetime.date(2026, 10, 25))
        for moment in ["2026-10-25 00:30:30", "2026-10-25 01:30:30", "2026-10-25 02:00:00"]:
            traveller.move_to(at(moment))
            tick()
        assert len(sent_to(person)) == 1


def test_no_reminder_for_a_session_already_done(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23), status=PlannedSession.Status.DONE)
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
        assert sent_to(person) == []
        assert Delivery.objects.get(user=person, kind="session_day").status == Delivery.Status.SKIPPED


def test_reminder_whose_moment_passed_hours_ago_is_skipped_not_sent_late(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        plan_session(person, datetime.date(2026, 11, 24))
        traveller.move_to(at("2026-11-23 11:00"))  # workers were down from 07:30 to 11:00
        tick()
        assert sent_to(person) == []
        assert Reminder.objects.get(user=person, kind=EmailKind.SESSION_DAY).next_due_at == at(
            "2026-11-24 08:00"
        )
        traveller.move_to(at("2026-11-24 08:00:30"))
        tick()
        assert len(sent_to(person)) == 1


# --- Exactly once -----------------------------------------------------------------------------------------


def test_only_the_first_claim_of_a_due_reminder_wins():
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        make_person()
        traveller.move_to(at("2026-11-23 08:00:30"))
        now = datetime.datetime.now(UTC)
        seen_by_first = list(dispatch.due_reminders(now))
        seen_by_second = list(dispatch.due_reminders(now))
        assert [r.kind for r in dispatch.claim(seen_by_first, now)] == [EmailKind.SESSION_DAY]
        assert dispatch.claim(seen_by_second, now) == []
        assert Reminder.objects.get(kind=EmailKind.SESSION_DAY).next_due_at == at("2026-11-24 08:00")


def test_delivery_key_stops_a_second_email_for_the_same_local_day(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
        # Someone (an admin, a bug) puts the reminder back to this morning's moment.
        Reminder.objects.filter(user=person, kind=EmailKind.SESSION_DAY).update(
            next_due_at=at("2026-11-23 08:00")
        )
        tick()
        assert len(sent_to(person)) == 1


def test_a_second_message_for_the_same_delivery_sends_nothing(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        [delivery_id] = tick()
        assert dispatch.send_delivery(delivery_id) is None
        assert len(sent_to(person)) == 1


def test_nothing_is_enqueued_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        enqueued = []
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            dispatch.dispatch_due(datetime.datetime.now(UTC), enqueue=enqueued.append)
        assert enqueued == []
        for callback in callbacks:
            callback()
        assert enqueued == [[Delivery.objects.get(user=person, kind="session_day").pk]]


def test_a_message_lost_by_the_broker_is_enqueued_again_after_its_lease(
    django_capture_on_commit_callbacks, settings
):
    settings.REMINDER_REQUEUE_AFTER = 300

    def broker_down(delivery_ids):
        raise ConnectionError("Redis is down")

    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:10"))
        with django_capture_on_commit_callbacks(execute=True):
            dispatch.dispatch_due(datetime.datetime.now(UTC), enqueue=broker_down)
        assert Delivery.objects.get(user=person, kind="session_day").status == Delivery.Status.QUEUED

        traveller.move_to(at("2026-11-23 08:04:00"))
        assert run_beat_tick(django_capture_on_commit_callbacks) == []
        traveller.move_to(at("2026-11-23 08:05:10"))
        run_beat_tick(django_capture_on_commit_callbacks)
        assert len(sent_to(person)) == 1


def a_delivery_whose_worker_died(traveller, django_capture_on_commit_callbacks):
    """Someone's session-day email at 08:00 on Monday 23 November, claimed at 08:00:10 by a worker that was
    then killed while talking to the SMTP server. Returns the person and the delivery."""
    person = make_person()
    plan_session(person, datetime.date(2026, 11, 23))
    traveller.move_to(at("2026-11-23 08:00:10"))
    enqueued = []
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.dispatch_due(datetime.datetime.now(UTC), enqueue=enqueued.extend)
    [delivery] = Delivery.objects.filter(pk__in=enqueued)
    assert dispatch.claim_delivery(delivery, datetime.datetime.now(UTC))  # ... and the worker was killed
    return person, delivery


def test_a_delivery_in_flight_when_its_worker_died_is_never_sent_again(
    tick, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_REQUEUE_AFTER = 60
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person, _ = a_delivery_whose_worker_died(traveller, django_capture_on_commit_callbacks)
        for minutes in range(1, 10):
            traveller.move_to(at("2026-11-23 08:00:10") + datetime.timedelta(minutes=minutes))
            tick()
        assert sent_to(person) == []


def test_a_send_interrupted_by_a_dead_worker_is_reported_on_the_first_tick_after_the_time_limit(
    tick, caplog, django_capture_on_commit_callbacks
):
    claimed_at = at("2026-11-23 08:00:10")
    soft, hard = dispatch.send_time_limits()
    assert (soft, hard) == (175, 190)  # 2 x (20 s to hand an email over + 60 s for the answer) + 15, + 15
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person, delivery = a_delivery_whose_worker_died(traveller, django_capture_on_commit_callbacks)

        traveller.move_to(claimed_at + datetime.timedelta(seconds=hard + 29))  # it could still be sending
        tick()
        assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENDING
        with caplog.at_level("ERROR", logger="reminders.dispatch"):
            traveller.move_to(claimed_at + datetime.timedelta(seconds=hard + 31))
            tick()
            traveller.move_to(claimed_at + datetime.timedelta(seconds=hard + 91))
            tick()
    [record] = caplog.records
    assert "1 deliveries were interrupted while sending" in record.getMessage()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.UNCONFIRMED
    assert delivery.note.startswith("interrupted while sending (the worker stopped): it may have been sent")
    assert sent_to(person) == []


def test_the_roll_over_job_reports_interrupted_sends_too(monkeypatch, django_capture_on_commit_callbacks):
    from reminders import tasks

    monkeypatch.setattr(tasks.make_week_plan, "delay", lambda *args: None)
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        _, delivery = a_delivery_whose_worker_died(traveller, django_capture_on_commit_callbacks)
        traveller.move_to(at("2026-11-23 08:15"))
        tasks.roll_over_plans()
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.UNCONFIRMED


# --- Who gets what ----------------------------------------------------------------------------------------


def test_a_weekly_email_made_ahead_says_the_rest_of_this_week_still_counts(tick):
    with time_machine.travel(at("2026-11-20 12:00"), tick=False) as traveller:
        person = make_person()
        traveller.move_to(at("2026-11-22 18:00:30"))
        tick()
        [email] = sent_to(person, "weekly_plan")
    plan = person.plans.get(week_start=datetime.date(2026, 11, 23))
    assert plan.provisional and plan.sessions.exists()
    assert "Anything you do before the week begins still counts too" in email.body
    assert "the plan takes it into account on Monday" in email.body


def test_weekly_plan_email_on_sunday_evening_lists_next_weeks_sessions(tick):
    with time_machine.travel(at("2026-11-20 12:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23), variant="brisk walk", minutes=25)
        plan_session(person, datetime.date(2026, 11, 26), variant="gentle yoga", minutes=15)
        traveller.move_to(at("2026-11-22 18:00:30"))
        tick()
        [email] = sent_to(person, "weekly_plan")
        assert email.subject == "Your plan for the week of 23 November"
        assert "Monday 23 November: 25 min brisk walk" in email.body
        assert "Thursday 26 November: 15 min gentle yoga" in email.body
        assert "takes it into account" not in email.body  # a plan already settled (made by hand here)
        html = email.alternatives[0][0]
        assert '<meta name="viewport"' in html and "gentle yoga" in html
        assert 'href="http://localhost:8000/dashboard/"' in html
        assert "wellbeing check-in" in email.body  # never checked in: the WHO-5 is offered
        assert "http://localhost:8000/wellbeing/check-in/" in email.body


def test_weekly_plan_email_offers_no_check_in_when_one_was_done_lately(tick):
    with time_machine.travel(at("2026-11-20 12:00"), tick=False) as traveller:
        person = make_person()
        CheckInFactory(user=person, created_at=at("2026-11-19 09:00"))
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-22 18:00:30"))
        tick()
        [email] = sent_to(person, "weekly_plan")
        assert "wellbeing check-in" not in email.body


def test_weekly_plan_email_chosen_for_monday_morning_is_about_the_week_just_begun(tick):
    with time_machine.travel(at("2026-11-20 12:00"), tick=False) as traveller:
        person = make_person()
        person.profile.weekly_plan_day, person.profile.weekly_plan_time = 0, datetime.time(7, 0)
        person.profile.save()
        plan_session(person, datetime.date(2026, 11, 23), variant="brisk walk", minutes=25)
        traveller.move_to(at("2026-11-23 07:00:30"))
        tick()
        [email] = sent_to(person, "weekly_plan")
        assert email.subject == "Your plan for the week of 23 November"


def test_every_email_has_one_click_unsubscribe_headers(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
        [email] = sent_to(person)
        headers = email.extra_headers
        assert headers["List-Unsubscribe"].startswith("<http://localhost:8000/email/unsubscribe/")
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Unsubscribe"][1:-1] in email.body
        message = email.message()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_gentle_checkin_after_a_quiet_week_links_the_safety_page_once_a_week(tick):
    with time_machine.travel(at("2026-11-10 12:00"), tick=False) as traveller:
        person = make_person(onboarded_at=at("2026-11-01 12:00"), email_checkins=True)
        plan_session(person, datetime.date(2026, 11, 12), status=PlannedSession.Status.DONE)
        plan_session(person, datetime.date(2026, 11, 17))
        for day in range(11, 28):
            traveller.move_to(at(f"2026-11-{day} 08:00:30"))
            tick()
        checkins = sent_to(person, "checkin")
        # Last session done on the 12th: quiet from the 13th, a check-in on the 20th, the next on the 27th.
        assert [m.extra_headers["Message-ID"] for m in checkins] == [
            f"<steady.checkin.{d.pk}@steady.localhost>"
            for d in Delivery.objects.filter(user=person, kind="checkin", status="sent").order_by(
                "local_date"
            )
        ]
        assert list(
            Delivery.objects.filter(user=person, kind="checkin", status="sent").values_list(
                "local_date", flat=True
            )
        ) == [datetime.date(2026, 11, 20), datetime.date(2026, 11, 27)]
        assert "http://localhost:8000/safety/" in checkins[0].body
        assert "completely okay" in checkins[0].body


def test_no_checkin_for_someone_who_joined_less_than_a_week_ago(tick):
    with time_machine.travel(at("2026-11-20 12:00"), tick=False) as traveller:
        person = make_person(onboarded_at=at("2026-11-20 12:00"), email_checkins=True)
        for day in range(21, 27):
            traveller.move_to(at(f"2026-11-{day} 08:00:30"))
            tick()
        assert sent_to(person, "checkin") == []


@pytest.mark.parametrize(
    "switch", ["email_weekly_plan", "email_session_reminders", "email_checkins"], ids=lambda s: s
)
def test_each_kind_of_email_can_be_switched_off(tick, switch):
    with time_machine.travel(at("2026-11-01 12:00"), tick=False) as traveller:
        person = make_person(**{"email_checkins": True, switch: False})
        plan_session(person, datetime.date(2026, 11, 16))
        plan_session(person, datetime.date(2026, 11, 23))
        for moment in [
            "2026-11-15 18:00:30",
            "2026-11-16 08:00:30",
            "2026-11-22 08:00:30",
            "2026-11-22 18:00:30",
        ]:
            traveller.move_to(at(moment))
            tick()
        kinds = {kind_of(m) for m in sent_to(person)}
        switched_off = {v: k for k, v in dispatch.EMAIL_SWITCH.items()}[switch]
        assert switched_off not in kinds
        assert len(kinds) == 2


def test_no_email_for_an_inactive_account(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        User.objects.filter(pk=person.pk).update(is_active=False)
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
        assert mail.outbox == []


def test_deleting_a_person_deletes_their_reminders_and_deliveries(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
        person.delete()
        assert not Reminder.objects.exists() and not Delivery.objects.exists()


# --- The schedule follows the profile --------------------------------------------------------------------


def test_a_new_profile_gets_one_reminder_of_each_kind():
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        person = make_person(tz="America/New_York")
        due = dict(Reminder.objects.filter(user=person).values_list("kind", "next_due_at"))
    assert due == {
        "weekly_plan": at("2026-11-29 23:00"),
        "session_day": at("2026-11-23 13:00"),
        "checkin": at("2026-11-23 13:00"),
    }


def test_changing_reminder_time_or_timezone_moves_the_reminder():
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        person = make_person()
        profile = person.profile
        profile.reminder_time = datetime.time(19, 30)
        profile.save()
        assert Reminder.objects.get(user=person, kind="session_day").next_due_at == at("2026-11-23 19:30")
        profile.timezone = "Australia/Sydney"
        profile.save()
        # 19:30 in Sydney (AEDT, UTC+11) on the 23rd has passed; the next is the 24th's, 08:30 UTC.
        assert Reminder.objects.get(user=person, kind="session_day").next_due_at == at("2026-11-24 08:30")


def test_saving_an_unchanged_profile_keeps_a_reminder_that_is_just_due(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        plan_session(person, datetime.date(2026, 11, 23))
        traveller.move_to(at("2026-11-23 08:00:10"))
        person.profile.save()
        tick()
        assert len(sent_to(person)) == 1


# --- Rolling plans over -----------------------------------------------------------------------------------


def test_profiles_without_reminders_get_them_with_the_rollover():
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        person = make_person()
        Reminder.objects.filter(user=person).delete()
        dispatch.schedule_missing_reminders(datetime.datetime.now(UTC))
        assert Reminder.objects.filter(user=person).count() == 3


@given(st.integers(min_value=0, max_value=2_000))
def test_deliveries_are_enqueued_once_each_in_messages_the_worker_processes_can_share(count):
    ids = list(range(1, count + 1))
    messages = []
    dispatch.enqueue_all(ids, messages.append)

    assert sum(messages, []) == ids
    assert all(0 < len(message) <= dispatch.SEND_BATCH for message in messages)
    # A few dozen to a slow server go out side by side; a rush goes SEND_BATCH to a message.
    assert len(messages) == max(-(-count // dispatch.SEND_BATCH), min(count, dispatch.SEND_SPREAD))


def test_a_session_whose_name_says_its_effort_does_not_say_it_twice(tick):
    with time_machine.travel(at("2026-11-23 07:00"), tick=False) as traveller:
        person = make_person()
        chair_yoga = "gentle yoga standing and on a chair, with no floor or lying poses (light effort)"
        plan_session(person, datetime.date(2026, 11, 23), variant=chair_yoga, intensity="light", minutes=20)
        plan_session(person, datetime.date(2026, 11, 23), variant="brisk walk", intensity="moderate")
        traveller.move_to(at("2026-11-23 08:00:30"))
        tick()
    [email] = sent_to(person)
    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert "(light effort)" in text and "(light)" not in text
        assert "brisk walk" in text and "(moderate)" in text
