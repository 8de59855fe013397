from django.urls import path

from accounts import views

urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/<slug:slug>/", views.onboarding_step, name="onboarding_step"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/<slug:slug>/", views.settings_section, name="settings_section"),
]
