from django.urls import path

from accounts import data_views, views

urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/<slug:slug>/", views.onboarding_step, name="onboarding_step"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/<slug:slug>/", views.settings_section, name="settings_section"),
    path("your-data/", data_views.your_data, name="your_data"),
    path("your-data/steady.json", data_views.export_json, name="data_export_json"),
    path("your-data/delete/", data_views.delete_account, name="delete_account"),
    path("goodbye/", data_views.account_deleted, name="account_deleted"),
]
