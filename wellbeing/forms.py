from django import forms

from wellbeing import who5


class CheckInForm(forms.Form):
    """The five WHO-5 statements, each answered 0 ("at no time") to 5 ("all of the time")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, statement in who5.ITEMS:
            self.fields[key] = forms.TypedChoiceField(
                label=statement,
                choices=who5.ANSWERS,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose the answer closest to how it has been."},
            )

    def items(self):
        return [self[key] for key in who5.ITEM_KEYS]
