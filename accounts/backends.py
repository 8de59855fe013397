"""Logging in with an email address and password, and loading the signed-in person on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    """Django's ModelBackend, but the signed-in person comes with their Profile in the same query: nearly
    every page reads it (accounts/decorators.py), and the week's page after a change is measured against a
    bare view (tests/bench/bench_dashboard.py), so the query saved on each request counts."""

    def get_user(self, user_id):
        """The active user with this id, their profile (if any) loaded; None otherwise."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("profile").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
