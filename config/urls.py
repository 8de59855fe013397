from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("", include("planner.urls")),
    path("", include("wellbeing.urls")),
    path("", include("reminders.urls")),
    path("", include("pwa.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
