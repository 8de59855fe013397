"""allauth's sign-up form, made safe against two sign-ups for one address at the same moment.

allauth checks that the address is free, then creates the user; a second request in between would hit the
unique constraint and answer 500. Here that case is answered as allauth answers any taken address: the usual
"check your email" page, and an email to the address saying it already has an account (no enumeration).
A module of its own: allauth.account.forms imports accounts.forms.SignupForm as its base.
"""

from allauth.account.forms import SignupForm
from django.db import IntegrityError, transaction


class SteadySignupForm(SignupForm):
    def try_save(self, request):
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            self.account_already_exists = True  # taken meanwhile: answered as allauth answers a taken address
            return super().try_save(request)
