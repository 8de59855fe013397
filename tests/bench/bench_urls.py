from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The yardstick: a Django view that does nothing, behind the same middleware as every page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
