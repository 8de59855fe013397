import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.models import Profile, User
from planner.models import Plan, PlannedSession
from wellbeing.models import CheckIn

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose email address is verified, so they can log in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    age = 35
    country = "GB"
    timezone = "Europe/London"
    current_minutes_per_week = 0
    preferences = factory.LazyFunction(lambda: ["walking", "yoga"])
    available_days = factory.LazyFunction(lambda: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    max_minutes_per_day = 45


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    user = factory.SubFactory(UserFactory)
    week_start = datetime.date(2026, 11, 23)
    target_aerobic_minutes = 60
    target_strength_days = 1
    target_balance_days = 0
    meets_who_guideline = False


class PlannedSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedSession

    plan = factory.SubFactory(PlanFactory)
    date = factory.LazyAttribute(lambda s: s.plan.week_start)
    activity = "walking"
    variant = "brisk walk, about 5.5 km/h"
    compendium_code = "17200"
    category = "aerobic"
    intensity = "moderate"
    met = "4.3"
    minutes = 20
    why = "Walking lifts mood."


class CheckInFactory(factory.django.DjangoModelFactory):
    """A WHO-5 check-in; every answer 3 unless told otherwise (score 60)."""

    class Meta:
        model = CheckIn

    user = factory.SubFactory(UserFactory)
    cheerful = 3
    calm = 3
    active = 3
    rested = 3
    interested = 3
    score = factory.LazyAttribute(lambda c: 4 * (c.cheerful + c.calm + c.active + c.rested + c.interested))


def logged_in(user):
    """A browser of the person's own: a new test Client logged in as them."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
