from django.urls import path

from wellbeing import views

urlpatterns = [
    path("wellbeing/", views.wellbeing_page, name="wellbeing"),
    path("wellbeing/check-in/", views.checkin, name="checkin"),
    path("wellbeing/check-in/<int:pk>/", views.checkin_result, name="checkin_result"),
    path("wellbeing/gentle/", views.gentle, name="wellbeing_gentle"),
    path("your-data/check-ins.csv", views.export_checkins_csv, name="data_export_checkins"),
]
