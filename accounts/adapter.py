from allauth.account.adapter import DefaultAccountAdapter

from accounts.models import normalize_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter: every address signed up or added is stored in one spelling (normalize_email)."""

    def clean_email(self, email):
        return super().clean_email(normalize_email(email))
