import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Profile
from planner import charts, plans
from planner.models import PlannedSession
from tests.factories import CheckInFactory, PlanFactory, PlannedSessionFactory, ProfileFactory
from wellbeing import checkins, mood, who5
from wellbeing.models import CheckIn

MONDAY_MORNING = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=datetime.UTC)


def answers(value, **overrides):
    return {key: overrides.get(key, value) for key in who5.ITEM_KEYS}


# --- The rules ----------------------------------------------------------------------------------------------


def test_the_score_is_the_five_answers_added_up_times_four():
    assert who5.score(answers(5)) == 100
    assert who5.score(answers(0)) == 0
    assert who5.score(answers(3, cheerful=1, rested=0)) == 40


def test_an_answer_outside_zero_to_five_is_refused():
    with pytest.raises(ValueError):
        who5.score(answers(3, calm=6))


@pytest.mark.parametrize(
    "score, previous, needs_support",
    [
        (28, None, True),  # 28 or below
        (32, None, False),
        (0, None, True),
        (50, 60, True),  # a drop of exactly 10
        (51, 60, False),  # a drop of 9
        (60, 40, False),  # a rise is never a reason
        (28, 20, True),  # low, even when better than last time
    ],
)
def test_support_is_suggested_at_28_or_below_or_after_a_drop_of_10(score, previous, needs_support):
    assert who5.assess(score, previous).needs_support is needs_support


def test_a_check_in_is_due_every_14_days():
    today = datetime.date(2026, 11, 23)

    assert who5.is_checkin_due(None, today)
    assert not who5.is_checkin_due(today - datetime.timedelta(days=13), today)
    assert who5.is_checkin_due(today - datetime.timedelta(days=14), today)


def test_no_mood_summary_until_five_sessions_have_both_moods():
    rows = [("Walking", 2, 3)] * 4 + [("Yoga", 3, None)]

    assert mood.mood_summary(rows) is None


def test_the_mood_summary_compares_after_with_before_by_activity_in_plain_words():
    rows = [("Walking", 2, 4), ("Walking", 3, 4), ("Walking", 2, 3), ("Walking", 3, 3), ("Yoga", 3, 4)]

    summary = mood.mood_summary(rows)

    assert summary["sessions"] == 5
    assert summary["sentence"] == (
        "In 4 of the 5 sessions where you noted your mood before and after, it was higher after moving, "
        "and in 1 it was the same. On average it went up by 1 on the 1 to 5 scale."
    )
    walking, yoga = summary["by_activity"]
    assert (walking["activity"], walking["sessions"], walking["words"]) == (
        "Walking",
        4,
        "usually higher after than before",
    )
    assert yoga["words"] == "only 1 session so far, too few to say much"


def test_a_lower_mood_after_is_said_without_blame():
    rows = [("Running", 4, 2)] * 5

    summary = mood.mood_summary(rows)

    assert "went down by 2" in summary["sentence"]
    assert "a lighter or different activity may suit you better" in summary["by_activity"][0]["words"]


def test_the_chart_puts_each_check_in_on_its_week_beside_that_weeks_minutes():
    this_week = datetime.date(2026, 11, 23)
    chart = charts.minutes_and_scores_chart(
        [(datetime.date(2026, 11, 9), 90), (datetime.date(2026, 11, 16), 150)],
        [(datetime.date(2026, 11, 10), 40), (datetime.date(2026, 11, 24), 64)],
        this_week,
        150,
    )

    assert [bar.minutes for bar in chart["bars"]] == [90, 150, 0]
    assert [point["score"] for point in chart["points"]] == [40, 64]
    first_bar, _, last_bar = chart["bars"]
    assert first_bar.x < chart["points"][0]["x"] < first_bar.x + first_bar.width
    assert last_bar.x < chart["points"][1]["x"] < last_bar.x + last_bar.width
    assert chart["points"][0]["y"] > chart["points"][1]["y"]  # a higher score is higher on the chart


def test_nothing_to_chart_without_weeks_or_check_ins():
    assert charts.minutes_and_scores_chart([], [], datetime.date(2026, 11, 23), 150) is None


# --- Check-ins in the app -----------------------------------------------------------------------------------


@pytest.fixture
def traveller():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def profile(traveller):
    # Already active and running: the engine plans vigorous sessions unless asked to be gentle.
    return ProfileFactory(
        onboarding_step=6,
        onboarded_at=MONDAY_MORNING - datetime.timedelta(days=3),
        current_minutes_per_week=200,
        current_vigorous_minutes=60,
        strength_days_now=2,
        preferences=["running", "cycling", "walking"],
    )


def intensities_from_today(user):
    plan = plans.plan_for_this_week(user)
    return {s.intensity for s in plan.sessions.filter(date__gte=MONDAY_MORNING.date(), status="planned")}


@pytest.mark.django_db
def test_the_check_in_page_asks_the_five_questions_with_six_answers(owner):
    response = owner.get(reverse("checkin"))

    page = response.content.decode()
    for _, statement in who5.ITEMS:
        assert statement in page
    for _, label in who5.ANSWERS:
        assert label in page
    assert page.count('type="radio"') == 30
    assert reverse("safety") in page


@pytest.mark.django_db
def test_a_low_score_brings_a_caring_message_the_safety_page_and_a_gentle_plan(owner, profile):
    assert "vigorous" in intensities_from_today(profile.user)

    response = owner.post(reverse("checkin"), answers(1), follow=True)

    checkin = CheckIn.objects.get(user=profile.user)
    assert (checkin.score, checkin.support_suggested) == (20, True)
    assert response.redirect_chain[-1][0] == reverse("checkin_result", args=[checkin.pk])
    page = response.content.decode()
    assert "It sounds like things have been hard lately" in page
    assert 'href="/safety/"' in page
    assert "crisis lines and help now" in page
    assert "Finding someone to talk to" in page
    assert "family doctor" in page
    assert "Your plan is gentle until your next check-in" in page
    assert "Undo: keep my usual plan" in page
    profile.refresh_from_db()
    assert profile.gentle_until_next_checkin
    assert "vigorous" not in intensities_from_today(profile.user)


@pytest.mark.django_db
def test_nothing_is_blocked_after_a_low_score(owner, profile):
    owner.post(reverse("checkin"), answers(0))

    assert owner.get(reverse("dashboard")).status_code == 200
    assert owner.get(reverse("history")).status_code == 200
    assert owner.get(reverse("checkin")).status_code == 200


@pytest.mark.django_db
def test_a_drop_of_ten_or_more_also_brings_support(owner, profile, traveller):
    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING - datetime.timedelta(days=14), **answers(4))

    response = owner.post(reverse("checkin"), answers(4, cheerful=2, calm=2), follow=True)  # 80 -> 64

    page = response.content.decode()
    assert "Your score is 16 points lower than at your last check-in" in page
    assert 'href="/safety/"' in page
    latest = CheckIn.objects.filter(user=profile.user).first()
    assert (latest.score, latest.previous_score, latest.support_suggested) == (64, 80, True)
    assert Profile.objects.get(pk=profile.pk).gentle_until_next_checkin


def clock_minutes_from_today(user) -> int:
    plan = plans.plan_for_this_week(user)
    sessions = plan.sessions.filter(date__gte=MONDAY_MORNING.date(), status="planned", category="aerobic")
    return sum(s.minutes for s in sessions)


@pytest.mark.django_db
@pytest.mark.parametrize("vigorous_now", [0, 60], ids=["new to running", "runs now"])
def test_a_gentle_week_after_a_low_check_in_takes_no_more_time_than_the_usual_plan(
    owner, profile, vigorous_now
):
    # A run/walk used to count twice, so the gentle week's walks took more time than the plan they replaced.
    profile.current_minutes_per_week, profile.current_vigorous_minutes = 180, vigorous_now
    profile.strength_days_now = 1
    profile.save()
    usual = clock_minutes_from_today(profile.user)

    owner.post(reverse("checkin"), answers(1))

    assert Profile.objects.get(pk=profile.pk).gentle_until_next_checkin
    assert intensities_from_today(profile.user) <= {"light", "moderate"}
    assert 0 < clock_minutes_from_today(profile.user) <= usual


@pytest.mark.django_db
def test_a_gentle_week_after_a_hard_run_was_done_takes_no_more_time_than_was_left(owner, profile):
    # A new-user tester: 150 minutes now, 90 of them hard; Monday's run done, then a low check-in. The days
    # left went from 136 minutes of sessions to 150; the week held 200 counted minutes for a target of 150.
    profile.current_minutes_per_week, profile.current_vigorous_minutes = 150, 90
    profile.strength_days_now, profile.max_minutes_per_day = 1, 45
    profile.preferences = ["running"]
    profile.save()
    plans.plan_for_this_week(profile.user)
    run = PlannedSession.objects.get(
        plan__user=profile.user, date=MONDAY_MORNING.date(), activity="running", intensity="vigorous"
    )
    owner.post(reverse("session_done", args=[run.pk]))
    later = dict(category="aerobic", status="planned", date__gte=MONDAY_MORNING.date())
    left = sum(s.minutes for s in PlannedSession.objects.filter(plan__user=profile.user, **later))

    owner.post(reverse("checkin"), answers(0))

    gentle = PlannedSession.objects.filter(plan__user=profile.user, **later)
    assert {s.intensity for s in gentle} == {"moderate"}
    assert 0 < sum(s.minutes for s in gentle) <= left
    plan = plans.plan_for_this_week(profile.user)
    minutes, _, _ = plans.counts(plan.sessions.exclude(status="skipped").filter(category="aerobic"))
    assert minutes <= plan.target_aerobic_minutes + 1  # the run done, counted twice, and the gentle days
    assert all(s.minutes >= 10 for s in gentle)


@pytest.mark.django_db
def test_a_good_score_leaves_the_plan_as_it_is(owner, profile):
    response = owner.post(reverse("checkin"), answers(4), follow=True)

    page = response.content.decode()
    assert "Thank you. Keep going at whatever pace suits you." in page
    assert "It sounds like things have been hard" not in page
    assert not Profile.objects.get(pk=profile.pk).gentle_until_next_checkin
    assert "vigorous" in intensities_from_today(profile.user)


@pytest.mark.django_db
def test_a_score_below_50_suggests_talking_to_someone_without_switching_the_plan(owner, profile):
    response = owner.post(reverse("checkin"), answers(2), follow=True)  # 40

    page = " ".join(response.content.decode().split())
    assert "talking to your family doctor or a counsellor can help" in page
    assert not Profile.objects.get(pk=profile.pk).gentle_until_next_checkin


@pytest.mark.django_db
def test_the_next_check_in_ends_the_gentle_plan_when_things_are_better(owner, profile, traveller):
    owner.post(reverse("checkin"), answers(1))
    traveller.shift(datetime.timedelta(days=14))
    owner.force_login(profile.user)  # two weeks on, the login session has expired

    owner.post(reverse("checkin"), answers(4))
    assert not Profile.objects.get(pk=profile.pk).gentle_until_next_checkin


@pytest.mark.django_db
def test_the_gentle_plan_is_undone_in_one_click_and_can_come_back(owner, profile):
    owner.post(reverse("checkin"), answers(1))
    result = reverse("checkin_result", args=[CheckIn.objects.get().pk])

    response = owner.post(reverse("wellbeing_gentle"), {"gentle": "off", "next": result}, follow=True)

    assert response.redirect_chain[-1][0] == result
    page = response.content.decode()
    assert "your usual plan is back" in page
    assert "Make my plan gentle until my next check-in" in page
    assert not Profile.objects.get(pk=profile.pk).gentle_until_next_checkin
    assert "vigorous" in intensities_from_today(profile.user)

    owner.post(reverse("wellbeing_gentle"), {"gentle": "on", "next": result})

    assert Profile.objects.get(pk=profile.pk).gentle_until_next_checkin
    assert "vigorous" not in intensities_from_today(profile.user)


@pytest.mark.django_db
def test_the_gentle_switch_only_answers_a_post_and_only_goes_back_to_this_site(owner):
    assert owner.get(reverse("wellbeing_gentle")).status_code == 405

    response = owner.post(reverse("wellbeing_gentle"), {"gentle": "off", "next": "https://example.org/"})

    assert response["Location"] == reverse("wellbeing")


@pytest.mark.django_db
def test_an_unanswered_question_is_asked_again_kindly_and_nothing_is_stored(owner):
    incomplete = answers(3)
    del incomplete["rested"]

    response = owner.post(reverse("checkin"), incomplete)

    assert response.status_code == 200
    assert "Choose the answer closest to how it has been." in response.content.decode()
    assert not CheckIn.objects.exists()


# --- When a check-in is due (the dashboard prompt and the weekly email) ------------------------------------


@pytest.mark.django_db
def test_checkin_due_is_true_until_the_first_check_in_and_again_after_14_days(profile):
    today = MONDAY_MORNING.date()
    assert checkins.checkin_due(profile.user, today)

    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING)

    assert not checkins.checkin_due(profile.user, today + datetime.timedelta(days=13))
    assert checkins.checkin_due(profile.user, today + datetime.timedelta(days=14))


@pytest.mark.django_db
def test_checkin_due_counts_days_where_the_person_lives(traveller):
    profile = ProfileFactory(timezone="Pacific/Auckland")
    # 7:00 UTC on Monday is already evening, Monday, in Auckland; 14 days on is Monday 7 December there.
    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING)

    assert not checkins.checkin_due(profile.user, datetime.date(2026, 12, 6))
    assert checkins.checkin_due(profile.user, datetime.date(2026, 12, 7))


@pytest.mark.django_db
def test_the_dashboard_offers_a_check_in_only_when_one_is_due(owner, profile):
    page = owner.get(reverse("dashboard")).content.decode()
    assert "Time for a check-in?" in page
    assert reverse("checkin") in page

    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING)

    assert "Time for a check-in?" not in owner.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_the_dashboard_says_when_the_plan_is_gentle_with_an_undo(owner, profile):
    profile.gentle_until_next_checkin = True
    profile.save()

    page = owner.get(reverse("dashboard")).content.decode()

    assert "Your plan is gentle for now" in page
    assert reverse("wellbeing_gentle") in page and 'value="off"' in page


# --- The wellbeing page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_wellbeing_page_charts_scores_beside_weekly_minutes(owner, profile):
    plan = PlanFactory(user=profile.user, week_start=datetime.date(2026, 11, 16))
    PlannedSessionFactory(plan=plan, date=plan.week_start, minutes=40, status="done")
    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING - datetime.timedelta(days=7), **answers(2))
    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING, **answers(3))

    response = owner.get(reverse("wellbeing"))

    page = response.content.decode()
    assert "<svg" in page
    assert page.count('class="score-point"') == 2
    assert "Week of 16 Nov: 40 active minutes" in page
    assert "score 40" in page and "score 60" in page
    assert "This is your own record" in page


@pytest.mark.django_db
def test_the_wellbeing_page_shows_the_mood_summary_once_five_sessions_have_both_moods(owner, profile):
    plan = PlanFactory(user=profile.user, week_start=datetime.date(2026, 11, 16))
    for day in range(4):
        PlannedSessionFactory(
            plan=plan,
            date=plan.week_start + datetime.timedelta(days=day),
            status="done",
            mood_before=2,
            mood_after=4,
        )

    page = " ".join(owner.get(reverse("wellbeing")).content.decode().split())
    assert "Once 5 sessions have both, a summary shows here" in page
    assert 'id="mood-sentence"' not in page

    PlannedSessionFactory(plan=plan, date=plan.week_start, status="done", mood_before=3, mood_after=3)

    page = owner.get(reverse("wellbeing")).content.decode()
    assert "In 4 of the 5 sessions where you noted your mood before and after" in page
    assert "your own record, not medical advice" in " ".join(page.split())


@pytest.mark.django_db
def test_the_wellbeing_page_only_counts_the_persons_own_sessions(owner, profile):
    stranger = PlanFactory(week_start=datetime.date(2026, 11, 16))
    for _ in range(5):
        PlannedSessionFactory(plan=stranger, status="done", mood_before=1, mood_after=5)

    page = owner.get(reverse("wellbeing")).content.decode()

    assert 'id="mood-sentence"' not in page
    assert PlannedSession.objects.filter(plan__user=profile.user).count() == 0


# --- Why this helps -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_why_this_helps_is_public_cites_its_sources_and_promises_nothing(client):
    response = client.get(reverse("why"))

    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    citations = [
        "BMJ 2024",
        "JAMA Psychiatry 2018",
        "Psychiatric Research 2016",
        "JAMA Psychiatry 2019",
        "Cell 2014",
    ]
    for citation in citations:
        assert citation in page
    assert "possibilities, not promises" in page
    assert "Myokines" in page and "BDNF" in page and "Kynurenine" in page
    assert "That was in mice" in page
    assert 'href="/safety/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_value", ["x", "session_done", "//evil.example/", "https://evil.example/", "/ok\x00", "\\\\evil", ""]
)
def test_the_gentle_switch_only_ever_goes_back_to_a_page_of_this_site(owner, profile, next_value):
    response = owner.post(reverse("wellbeing_gentle"), {"gentle": "on", "next": next_value})

    assert response.status_code == 302
    assert response["Location"] == reverse("wellbeing")
    assert Profile.objects.get(pk=profile.pk).gentle_until_next_checkin


@pytest.mark.django_db
def test_the_gentle_switch_goes_back_to_the_page_it_was_pressed_on(owner, profile):
    response = owner.post(reverse("wellbeing_gentle"), {"gentle": "on", "next": reverse("dashboard")})

    assert response["Location"] == reverse("dashboard")


# --- A check-in sent twice ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_submit_stores_one_check_in_and_keeps_the_support_it_brought(owner, profile, traveller):
    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING - datetime.timedelta(days=14), **answers(4))
    dropped = answers(4, cheerful=1, calm=1, active=2)  # 80 -> 48: a 32-point drop

    owner.post(reverse("checkin"), dropped)
    traveller.shift(datetime.timedelta(seconds=2))  # a double tap, a slow network
    response = owner.post(reverse("checkin"), dropped, follow=True)

    assert CheckIn.objects.filter(user=profile.user).count() == 2  # the old one and this one
    latest = CheckIn.objects.filter(user=profile.user).first()
    assert (latest.score, latest.previous_score, latest.support_suggested) == (48, 80, True)
    assert "32 points lower than at your last check-in" in response.content.decode()
    assert Profile.objects.get(pk=profile.pk).gentle_until_next_checkin


@pytest.mark.django_db
def test_a_second_check_in_minutes_later_corrects_the_first_instead_of_counting_as_a_change(
    owner, profile, traveller
):
    CheckInFactory(user=profile.user, created_at=MONDAY_MORNING - datetime.timedelta(days=14), **answers(4))
    owner.post(reverse("checkin"), answers(4, cheerful=1, calm=1, active=2))  # 48: support
    traveller.shift(datetime.timedelta(minutes=5))

    owner.post(reverse("checkin"), answers(4, cheerful=3))  # a second thought: 76, against the 80 before

    latest = CheckIn.objects.filter(user=profile.user).first()
    assert CheckIn.objects.filter(user=profile.user).count() == 2
    assert (latest.score, latest.previous_score, latest.support_suggested) == (76, 80, False)
    assert not Profile.objects.get(pk=profile.pk).gentle_until_next_checkin


@pytest.mark.django_db
def test_a_check_in_an_hour_on_is_a_new_one(owner, profile, traveller):
    owner.post(reverse("checkin"), answers(3))
    traveller.shift(checkins.CORRECTION_WINDOW)
    owner.post(reverse("checkin"), answers(3))

    assert CheckIn.objects.filter(user=profile.user).count() == 2
