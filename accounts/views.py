from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import forms
from accounts.decorators import profile_required
from accounts.models import Profile
from accounts.signals import plan_inputs_changed


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    explanation: str
    form_class: type
    # Changing these in settings changes the plan, so the rest of the week is planned again.
    replans: bool = True


STEPS = [
    Step(
        "about",
        "About you",
        "Your age decides which guideline applies; your time zone puts reminders at your local time.",
        forms.AboutYouForm,
    ),
    Step(
        "activity",
        "How active you are now",
        "Your plan starts from where you are, however little that is, and builds up gently.",
        forms.ActivityNowForm,
    ),
    Step(
        "enjoy",
        "What you enjoy",
        "People keep doing what they like. Your plan is built from these.",
        forms.EnjoyForm,
    ),
    Step(
        "when",
        "When you can",
        "Your plan only uses the days and the time you have.",
        forms.WhenForm,
    ),
    Step(
        "health",
        "A quick health check",
        "A few questions that help keep your plan safe. A yes never stops you: it keeps your plan moderate "
        "and we suggest a chat with your doctor.",
        forms.HealthForm,
    ),
    Step(
        "reminders",
        "Reminders",
        "A short reminder, by email or as a notification on your phone, can help you keep going. You can "
        "change this at any time.",
        forms.RemindersForm,
        replans=False,
    ),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def step_or_404(slug: str) -> Step:
    if slug not in STEP_BY_SLUG:
        raise Http404("No such step")
    return STEP_BY_SLUG[slug]


def next_step_url(profile: Profile) -> str:
    step = STEPS[min(profile.onboarding_step, len(STEPS) - 1)]
    return reverse("onboarding_step", args=[step.slug])


@profile_required
def onboarding(request):
    profile = request.user.profile
    if profile.is_onboarded:
        return redirect("dashboard")
    return redirect(next_step_url(profile))


@profile_required
@require_http_methods(["GET", "POST"])
def onboarding_step(request, slug):
    step = step_or_404(slug)
    profile = request.user.profile
    if profile.is_onboarded:
        return redirect("settings_section", slug=slug)
    index = STEPS.index(step)
    if index > profile.onboarding_step:
        # Steps are answered in order; jumping ahead would leave earlier answers at their defaults.
        return redirect(next_step_url(profile))

    form = step.form_class(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        # Saved at every step, so someone who leaves half-way comes back to where they were.
        profile.onboarding_step = max(profile.onboarding_step, index + 1)
        if index == len(STEPS) - 1:
            profile.onboarded_at = timezone.now()
        profile.save()
        if profile.is_onboarded:
            plan_inputs_changed.send(Profile, user=request.user, today=profile.local_date())
            return redirect("dashboard")
        return redirect("onboarding_step", slug=STEPS[index + 1].slug)

    context = {
        "form": form,
        "step": step,
        "number": index + 1,
        "count": len(STEPS),
        "percent": round(100 * index / len(STEPS)),
        "previous": STEPS[index - 1] if index else None,
        "activity_cards": step.slug == "enjoy",
        "health_questions": step.slug == "health",
    }
    return render(request, "accounts/onboarding_step.html", context)


@profile_required
def settings_index(request):
    profile = request.user.profile
    if not profile.is_onboarded:
        return redirect(next_step_url(profile))
    return render(request, "accounts/settings.html", {"steps": STEPS, "profile": profile})


@profile_required
@require_http_methods(["GET", "POST"])
def settings_section(request, slug):
    step = step_or_404(slug)
    profile = request.user.profile
    if not profile.is_onboarded:
        return redirect(next_step_url(profile))

    form = step.form_class(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        if step.replans and form.has_changed():
            plan_inputs_changed.send(Profile, user=request.user, today=profile.local_date())
            message = "Saved. The rest of this week's plan now follows your new answers."
        else:
            message = "Saved."
        messages.success(request, message)
        return redirect("settings")

    context = {
        "form": form,
        "step": step,
        "activity_cards": step.slug == "enjoy",
        "health_questions": step.slug == "health",
    }
    return render(request, "accounts/settings_section.html", context)
