import datetime

from django import forms

from accounts.once import OnceForm
from planner import plans, steps
from planner.models import PlannedSession
from steady.vocabulary import ACTIVITY_NAMES

MOOD_CHOICES = [
    ("", "Not saying"),
    ("1", "1 · very low"),
    ("2", "2 · low"),
    ("3", "3 · okay"),
    ("4", "4 · good"),
    ("5", "5 · very good"),
]


class SessionDetailsForm(forms.ModelForm):
    """How a done session went; every field is optional."""

    actual_minutes = forms.IntegerField(
        label="How many minutes did you do?", required=False, min_value=1, max_value=600
    )
    effort = forms.TypedChoiceField(
        label="How hard did it feel?",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not saying")]
        + [
            (str(n), f"{n}{' · nothing at all' if n == 0 else ' · as hard as possible' if n == 10 else ''}")
            for n in range(11)
        ],
        help_text="0 is resting, 5 to 6 is moderate (you can talk, not sing), 7 to 8 is hard.",
    )
    mood_before = forms.TypedChoiceField(
        label="Your mood before", required=False, coerce=int, empty_value=None, choices=MOOD_CHOICES
    )
    mood_after = forms.TypedChoiceField(
        label="Your mood after", required=False, coerce=int, empty_value=None, choices=MOOD_CHOICES
    )

    class Meta:
        model = PlannedSession
        fields = ["actual_minutes", "effort", "mood_before", "mood_after"]


class SkipForm(forms.Form):
    reason = forms.CharField(
        label="What got in the way? (optional)",
        required=False,
        max_length=200,
        help_text="It stays between you and Steady. Missing a session is normal; the plan adapts.",
    )


class MoveForm(forms.Form):
    """Another day for a planned session: from today to the week's Sunday, with the plan's own limits: a
    strength session keeps a day between it and another strength session (planner rule 7: muscles need 48
    hours to recover), a hard session (vigorous, or with hard intervals) keeps a day between it and another
    (rule 19), and a day holds no more minutes than the person said they have (rule 2)."""

    date = forms.TypedChoiceField(
        label="Move it to", widget=forms.RadioSelect, coerce=datetime.date.fromisoformat
    )

    def __init__(self, *args, session, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        sunday = session.plan.week_start + datetime.timedelta(days=6)
        days = [today + datetime.timedelta(days=n) for n in range((sunday - today).days + 1)]
        self.fields["date"].choices = [
            (day.isoformat(), f"{day:%A} {day.day} {day:%B}") for day in days if day != session.date
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        others = [
            other
            for other in self.session.plan.sessions.exclude(pk=self.session.pk)
            if other.status != other.Status.SKIPPED
        ]
        near = [other for other in others if abs((other.date - day).days) <= 1]
        if self.session.category == "strength" and any(o.category == "strength" for o in near):
            raise forms.ValidationError(
                "Another strength session is on that day or the day before or after: muscles need a day "
                "between."
            )
        if is_hard(self.session) and any(is_hard(other) for other in near):
            raise forms.ValidationError(
                "Another hard session is on that day or the day before or after: harder days need an easier "
                "day between."
            )
        most = self.session.plan.user.profile.max_minutes_per_day
        minutes = self.session.minutes + sum(o.minutes for o in others if o.date == day)
        if minutes > most:
            raise forms.ValidationError(
                f"That day would hold {minutes} minutes, more than the {most} you have in a day. Choose "
                "another day, or change your minutes in Settings."
            )
        return day


def is_hard(session) -> bool:
    """A vigorous session, or one with hard intervals (a run/walk, hard and easy pedalling)."""
    return session.intensity == "vigorous" or steps.has_hard_parts(session.intervals)


class SwapForm(forms.Form):
    variant = forms.ChoiceField(label="Do this instead", widget=forms.RadioSelect)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {option["key"]: option for option in options}
        self.fields["variant"].choices = [(option["key"], option["label"]) for option in options]


class LogSessionForm(OnceForm):
    activity = forms.ChoiceField(label="What did you do?")
    date = forms.DateField(label="When?", widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label="For how many minutes?", min_value=1, max_value=600)
    intensity = forms.ChoiceField(
        label="How did it feel?",
        choices=list(plans.INTENSITY_WORDS.items()),
        initial="moderate",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, earliest: datetime.date, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.today = today
        self.fields["activity"].choices = list(ACTIVITY_NAMES.items())
        self.fields["date"].initial = today
        self.fields["date"].widget.attrs.update({"min": earliest.isoformat(), "max": today.isoformat()})

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not self.earliest <= date <= self.today:
            if self.earliest == self.today:
                raise forms.ValidationError("Choose today: it is the only day of a plan so far.")
            raise forms.ValidationError(f"Choose a day from {self.earliest:%A %-d %B} up to today.")
        return date
