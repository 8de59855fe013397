from django.urls import path

from reminders import views

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="email_unsubscribe"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("push/devices/<int:pk>/remove/", views.push_device_remove, name="push_device_remove"),
    path("push/test/", views.push_test, name="push_test"),
]
