from email.utils import make_msgid
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.models import normalize_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter: every address signed up or added is stored in one spelling (normalize_email)."""

    def clean_email(self, email):
        """The address in its stored spelling. Raises ValidationError when it is longer than the User's email
        column (254 characters, RFC 5321's longest path): allauth would otherwise cut it to fit, silently,
        and the account could never be verified."""
        email = normalize_email(email)
        longest = get_user_model()._meta.get_field("email").max_length
        if len(email) > longest:
            raise ValidationError(f"An email address can be at most {longest} characters long.")
        return super().clean_email(email)

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails (verification, password reset) marked as sent by a machine, so that mail servers
        send no auto-replies to them, with a Message-ID on Steady's own domain rather than the host's."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.extra_headers["Auto-Submitted"] = "auto-generated"
        message.extra_headers["Message-ID"] = make_msgid(domain=urlsplit(settings.SITE_URL).hostname)
        return message
