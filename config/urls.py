from django.contrib import admin
from django.urls import include, path

from planner import views as planner_views

urlpatterns = [
    path("", planner_views.home, name="home"),
    path("safety/", planner_views.safety, name="safety"),
    path("healthz/", planner_views.healthz, name="healthz"),
    path("", include("planner.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("email/", include("planner.email_urls")),
    path("admin/", admin.site.urls),
]
