"""Forms that create something count once: each carries a one-time key, and a key already used is refused.

    class LogSessionForm(OnceForm, forms.Form): ...
    if form.is_valid() and form.first_use(request.user): create the thing

A double tap, a slow network's retry, or Back and send again all send the same key: only the first creates.
"""

import datetime
import secrets

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SubmitKey

KEEP_KEYS_FOR = datetime.timedelta(days=2)


class OnceForm(forms.Form):
    """A form with a hidden one-time key, made afresh each time the form is shown."""

    submit_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submit_key"].initial = secrets.token_urlsafe(16)

    def first_use(self, user) -> bool:
        """True the first time this form's key is sent by the person (or when it came without one)."""
        key = self.cleaned_data.get("submit_key")
        if not key:
            return True
        try:
            with transaction.atomic():
                SubmitKey.objects.create(user=user, key=key)
        except IntegrityError:
            return False
        return True


def forget_old_keys(now: datetime.datetime | None = None) -> int:
    """Delete keys older than KEEP_KEYS_FOR; how many."""
    return SubmitKey.objects.filter(created_at__lt=(now or timezone.now()) - KEEP_KEYS_FOR).delete()[0]
