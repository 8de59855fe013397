from django.urls import path

from planner import email_views

urlpatterns = [
    path("unsubscribe/<str:token>/", email_views.unsubscribe, name="email_unsubscribe"),
]
