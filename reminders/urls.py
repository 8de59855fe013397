from django.urls import path

from reminders import views

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="email_unsubscribe"),
]
