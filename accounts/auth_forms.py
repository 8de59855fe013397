"""allauth's forms (settings.ACCOUNT_FORMS), made to look up addresses as they are stored, and safe when two
sign-ups for one address come at the same moment.

A module of its own: allauth.account.forms imports accounts.forms.SignupForm as its base.
"""

from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django.db import IntegrityError, transaction

from accounts.models import normalize_email


class SteadySignupForm(SignupForm):
    """allauth checks that the address is free, then creates the user; a second request in between would hit
    the unique constraint and answer 500. That case is answered as allauth answers any taken address: the
    usual "check your email" page, and an email saying the address already has an account."""

    def try_save(self, request):
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            self.account_already_exists = True  # taken meanwhile: answered as allauth answers a taken address
            return super().try_save(request)


class SteadyLoginForm(LoginForm):
    """The address is looked up as it is stored: `anna@bücher.example` finds `anna@xn--bcher-kva.example`."""

    def clean_login(self):
        return normalize_email(super().clean_login())


class SteadyResetPasswordForm(ResetPasswordForm):
    def clean_email(self):
        self.cleaned_data["email"] = normalize_email(self.cleaned_data["email"])
        return super().clean_email()
