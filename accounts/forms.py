import datetime
import unicodedata
import zoneinfo
from functools import cache
from importlib import resources

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import WEEKDAYS, Profile
from steady.vocabulary import ACTIVITY_NAMES, EQUIPMENT, HEALTH_FLAGS


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (email and passwords come from allauth)."""

    field_order = ["email", "password1", "password2", "is_adult"]

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


# --- Onboarding and settings -------------------------------------------------------------------------------
# One small ModelForm per step; settings reuses the same forms, so everything asked once can be changed later.


# The time zone database's country table shortens names, or words them so that related ones sort together
# ("Samoa (western)", "Turks & Caicos Is"); these are the names people use. " & " reads "and" everywhere.
COUNTRY_NAME_CORRECTIONS = {
    "AS": "American Samoa",
    "BL": "Saint Barthélemy",
    "BQ": "Caribbean Netherlands",
    "CD": "Congo (Democratic Republic)",
    "CF": "Central African Republic",
    "CG": "Congo (Republic)",
    "GB": "United Kingdom",
    "KN": "Saint Kitts and Nevis",
    "KP": "North Korea",
    "KR": "South Korea",
    "LC": "Saint Lucia",
    "MF": "Saint Martin (French part)",
    "PM": "Saint Pierre and Miquelon",
    "SH": "Saint Helena",
    "ST": "São Tomé and Príncipe",
    "SX": "Sint Maarten (Dutch part)",
    "TC": "Turks and Caicos Islands",
    "TF": "French Southern Territories",
    "UM": "United States Minor Outlying Islands",
    "VC": "Saint Vincent and the Grenadines",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "WS": "Samoa",
}
# Regions with their own emergency numbers in libphonenumber's data (the safety page) that the table leaves
# out: AC, which ISO 3166 reserves for Ascension Island, and XK, the code in common use for Kosovo.
COUNTRIES_NOT_IN_ISO3166_TAB = {"AC": "Ascension Island", "XK": "Kosovo"}


@cache
def country_names() -> dict[str, str]:
    """{ISO code: name} for every country, territory and region (251), ordered A to Z by name with accents
    and case set aside ("Åland Islands" after "Afghanistan"): onboarding's list and the safety page's.

    From the time zone database's table (the tzdata package, a dependency), with COUNTRY_NAME_CORRECTIONS,
    and the regions of COUNTRIES_NOT_IN_ISO3166_TAB.
    """
    text = (resources.files("tzdata.zoneinfo") / "iso3166.tab").read_text(encoding="utf-8")
    rows = [line.split("\t")[:2] for line in text.splitlines() if line and not line.startswith("#")]
    names = {code: name.replace(" & ", " and ") for code, name in rows}
    names |= COUNTRY_NAME_CORRECTIONS | COUNTRIES_NOT_IN_ISO3166_TAB
    return dict(sorted(names.items(), key=lambda item: _sort_key(item[1])))


def _sort_key(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


@cache
def country_choices():
    """[(ISO code, name)] of country_names, with "I'd rather not say" first."""
    return [("", "I'd rather not say"), *country_names().items()]


@cache
def timezone_choices():
    names = sorted(
        name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/")
    )
    return [("UTC", "UTC")] + [(name, name.replace("_", " ")) for name in names]


class AboutYouForm(forms.ModelForm):
    age = forms.IntegerField(
        label="How old are you?",
        min_value=18,
        max_value=120,
        help_text="Plans for people aged 65 and over add balance exercises.",
    )
    country = forms.ChoiceField(
        label="Where do you live?",
        required=False,
        help_text="So we can show you help lines for your country.",
    )
    timezone = forms.ChoiceField(
        label="Your time zone",
        help_text="So reminders and calendar entries arrive at your local time.",
    )

    class Meta:
        model = Profile
        fields = ["age", "country", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["timezone"].choices = timezone_choices()
        # The browser's own zone fills this in (static/js/timezone.js) until the person has chosen one.
        if not self.instance.onboarding_step:
            self.fields["timezone"].widget.attrs["data-browser-timezone"] = "true"


class ActivityNowForm(forms.ModelForm):
    current_minutes_per_week = forms.IntegerField(
        label="About how many minutes a week are you active now?",
        min_value=0,
        max_value=2000,
        help_text=(
            "Count anything that gets you a little out of breath: a brisk walk to work, cycling, dancing, "
            "a sport. Two 15-minute brisk walks a day on weekdays is 150 minutes. "
            "If you are not active now, 0 is fine."
        ),
    )
    strength_days_now = forms.IntegerField(
        label="On how many days a week do you do strength exercises?",
        min_value=0,
        max_value=7,
        help_text="Weights, resistance bands, push-ups, squats, heavy gardening. 0 is fine.",
    )

    current_vigorous_minutes = forms.IntegerField(
        label="How many of those minutes are hard?",
        required=False,  # left empty: none
        min_value=0,
        max_value=2000,
        help_text=(
            "Hard means you can only say a few words before you need a breath: running, fast cycling, "
            "a hard game of sport. 0 if none of it is."
        ),
    )
    equipment = forms.MultipleChoiceField(
        label="What do you have at home for strength exercises?",
        required=False,
        choices=list(EQUIPMENT.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="A wall and a bit of floor are enough; tick anything else you have.",
    )

    class Meta:
        model = Profile
        fields = ["current_minutes_per_week", "current_vigorous_minutes", "strength_days_now", "equipment"]

    def clean(self):
        cleaned = super().clean()
        minutes, hard = cleaned.get("current_minutes_per_week"), cleaned.get("current_vigorous_minutes")
        if minutes is not None and hard is not None and hard > minutes:
            self.add_error("current_vigorous_minutes", "That is more than all your active minutes together.")
        return cleaned

    def clean_current_vigorous_minutes(self):
        return self.cleaned_data["current_vigorous_minutes"] or 0

    def clean_equipment(self):
        chosen = set(self.cleaned_data["equipment"])
        return [item for item in EQUIPMENT if item in chosen]


class EnjoyForm(forms.ModelForm):
    preferences = forms.MultipleChoiceField(
        label="What do you enjoy, or would like to try?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick as many as you like. Walking is always an option.",
    )
    prefers_gentle = forms.BooleanField(
        label="Keep it gentle: nothing strenuous, please",
        required=False,
    )

    class Meta:
        model = Profile
        fields = ["preferences", "prefers_gentle"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferences"].choices = list(ACTIVITY_NAMES.items())


class WhenForm(forms.ModelForm):
    available_days = forms.MultipleChoiceField(
        label="Which days could you usually make time?",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    max_minutes_per_day = forms.IntegerField(
        label="How many minutes could you spend on one of those days?",
        min_value=10,
        max_value=240,
        help_text="All of that day's activity together. 10 minutes counts.",
    )
    preferred_time = forms.ChoiceField(
        label="When in the day suits you best?",
        choices=Profile.TimeOfDay.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Profile
        fields = ["available_days", "max_minutes_per_day", "preferred_time"]

    def clean_available_days(self):
        chosen = set(self.cleaned_data["available_days"])
        return [code for code, _ in WEEKDAYS if code in chosen]


# The PAR-Q+ questions in Steady's own words (docs/evidence.md), each mapped to a health flag of
# steady.vocabulary.HEALTH_FLAGS.
HEALTH_QUESTIONS = [
    ("heart_condition", "Has a doctor ever said you have a heart condition or high blood pressure?"),
    ("chest_pain", "Do you feel pain in your chest at rest, in daily life, or when you are active?"),
    (
        "dizziness",
        "In the last 12 months, have you lost your balance because of dizziness, or lost consciousness?",
    ),
    (
        "chronic_condition",
        "Has a doctor diagnosed another long-term medical condition? Depression and anxiety count here.",
    ),
    ("medication", "Do you take prescribed medicine for a long-term condition? Antidepressants count here."),
    (
        "bone_joint",
        "Do you have a bone, joint or soft-tissue problem (back, knee, hip...) that more activity "
        "could make worse?",
    ),
    ("supervised_only", "Has a doctor said you should only be active under medical supervision?"),
    ("pregnant", "Are you pregnant, or have you given birth in the last few months?"),
]

# PAR-Q+ practice: after chest pain, dizziness or fainting, a plan stays light and moderate and does not build
# up until a doctor or exercise professional has said more is fine (docs/evidence.md, "Screening: PAR-Q+").
CLEARANCE_QUESTION = (
    "If you answered yes about chest pain, dizziness or fainting: has a doctor or qualified exercise "
    "professional since told you it is fine to be more active? (If it doesn't apply to you, answer no.)"
)


class HealthForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = set(self.instance.health_flags or [])
        for flag, question in HEALTH_QUESTIONS:
            initial = None
            if (
                self.instance.onboarding_step >= 5 or self.instance.onboarded_at
            ):  # the health step is answered
                initial = "yes" if flag in current else "no"
            self.fields[flag] = forms.ChoiceField(
                label=question,
                choices=[("no", "No"), ("yes", "Yes")],
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={"required": "Please answer yes or no."},
            )

        answered = self.instance.onboarding_step >= 5 or self.instance.onboarded_at
        self.fields["cleared"] = forms.ChoiceField(
            label=CLEARANCE_QUESTION,
            choices=[("no", "No"), ("yes", "Yes")],
            widget=forms.RadioSelect,
            initial=("yes" if self.instance.cleared_by_professional_on else "no") if answered else None,
            required=False,  # unanswered counts as no
        )

    def save(self, commit=True):
        self.instance.health_flags = [flag for flag in HEALTH_FLAGS if self.cleaned_data[flag] == "yes"]
        if self.cleaned_data["cleared"] != "yes":
            self.instance.cleared_by_professional_on = None
        elif self.instance.cleared_by_professional_on is None:
            self.instance.cleared_by_professional_on = self.instance.local_date()
        return super().save(commit=commit)


class RemindersForm(forms.ModelForm):
    """Each kind of reminder by email, as a notification on the person's devices (push), both or neither; and
    when they come. Shown in three groups, one per kind (REMINDER_GROUPS)."""

    email_weekly_plan = forms.BooleanField(label="By email", required=False)
    push_weekly_plan = forms.BooleanField(label="As a notification on my devices", required=False)
    email_session_reminders = forms.BooleanField(label="By email", required=False)
    push_session_reminders = forms.BooleanField(label="As a notification on my devices", required=False)
    email_checkins = forms.BooleanField(label="By email", required=False)
    push_checkins = forms.BooleanField(label="As a notification on my devices", required=False)
    reminder_time = forms.TimeField(
        label="What time should session reminders arrive?",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your local time.",
    )
    weekly_plan_day = forms.TypedChoiceField(
        label="Which day should next week's plan arrive?",
        choices=Profile._meta.get_field("weekly_plan_day").choices,
        coerce=int,
    )
    weekly_plan_time = forms.TimeField(
        label="At what time?",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your local time. Most people like Sunday evening.",
    )

    class Meta:
        model = Profile
        fields = [
            "email_weekly_plan",
            "push_weekly_plan",
            "weekly_plan_day",
            "weekly_plan_time",
            "email_session_reminders",
            "push_session_reminders",
            "reminder_time",
            "email_checkins",
            "push_checkins",
        ]

    # Before onboarding has asked, a session-day reminder comes an hour before the time of day the person
    # chose (the calendar puts sessions at 08:00, 12:30 and 18:30), not at 08:00 after choosing evenings.
    SUGGESTED_REMINDER = {
        Profile.TimeOfDay.MORNING: datetime.time(7, 0),
        Profile.TimeOfDay.MIDDAY: datetime.time(11, 30),
        Profile.TimeOfDay.EVENING: datetime.time(17, 30),
    }

    # (legend, what it is, its fields): how the template groups the choices, one group per kind of reminder.
    REMINDER_GROUPS = [
        (
            "Your plan for the week",
            "The coming week's sessions, on the day and at the time you choose.",
            ["email_weekly_plan", "push_weekly_plan", "weekly_plan_day", "weekly_plan_time"],
        ),
        (
            "Session-day reminders",
            "A short reminder on days with a session.",
            ["email_session_reminders", "push_session_reminders", "reminder_time"],
        ),
        (
            "Gentle check-in",
            "If you haven't ticked anything off for a week.",
            ["email_checkins", "push_checkins"],
        ),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.onboarded_at:
            self.initial["reminder_time"] = self.SUGGESTED_REMINDER.get(
                self.instance.preferred_time, self.instance.reminder_time
            )
        if not push_available():
            # Not offered, and left as they are: a server without push keys sends email only.
            for name in ["push_weekly_plan", "push_session_reminders", "push_checkins"]:
                del self.fields[name]

    def groups(self):
        """[(legend, what it is, [bound fields])] for the template, leaving out the fields not offered."""
        return [
            (legend, about, [self[name] for name in names if name in self.fields])
            for legend, about, names in self.REMINDER_GROUPS
        ]


def push_available() -> bool:
    """Whether this server can send push notifications: its VAPID keys are set (config/settings.py)."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)
