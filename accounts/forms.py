from django import forms
from django.urls import reverse
from django.utils.html import format_html


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (email and passwords come from allauth)."""

    is_adult = forms.BooleanField(
        label="I am 18 or older",
        required=False,
        help_text="Steady's plans follow the guidelines for adults.",
    )

    def clean_is_adult(self):
        if not self.cleaned_data["is_adult"]:
            raise forms.ValidationError(
                format_html(
                    "Steady is made for adults, so we can't make you an account. If you are under 18 and "
                    'things feel hard, you deserve support: <a href="{}">people you can talk to now</a>.',
                    reverse("safety"),
                )
            )
        return True

    def signup(self, request, user):
        """allauth calls this after creating the user; nothing else to store yet."""
