"""Signals the accounts app sends, for the apps above it (which it must not import) to act on."""

from django.dispatch import Signal

# The answers that shape a person's plan changed (onboarding finished, a settings section, the gentle switch
# of a check-in): the planner plans the rest of their week again. Sent with user= and today= (their local
# date); received by planner.plans.replan_after_inputs_changed.
plan_inputs_changed = Signal()
