from django.contrib import admin
from django.urls import include, path

from accounts import data_views
from planner import views as planner_views
from planner import wellbeing_views

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

# --- Wellbeing check-ins, "Why this helps", and the person's data (issue 6) ---------------------------------
urlpatterns += [
    path("wellbeing/", wellbeing_views.wellbeing_page, name="wellbeing"),
    path("wellbeing/check-in/", wellbeing_views.checkin, name="checkin"),
    path("wellbeing/check-in/<int:pk>/", wellbeing_views.checkin_result, name="checkin_result"),
    path("wellbeing/gentle/", wellbeing_views.gentle, name="wellbeing_gentle"),
    path("why/", wellbeing_views.why, name="why"),
    path("your-data/", data_views.your_data, name="your_data"),
    path("your-data/steady.json", data_views.export_json, name="data_export_json"),
    path("your-data/sessions.csv", data_views.export_sessions_csv, name="data_export_sessions"),
    path("your-data/check-ins.csv", data_views.export_checkins_csv, name="data_export_checkins"),
    path("your-data/delete/", data_views.delete_account, name="delete_account"),
    path("goodbye/", data_views.account_deleted, name="account_deleted"),
]
