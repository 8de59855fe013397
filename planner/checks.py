from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def cache_is_shared_by_every_process(app_configs, **kwargs):
    """Login sessions and kept pages (planner/page_cache.py) live in the cache: one for every process."""
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
        return []
    return [
        Warning(
            "The cache lives inside each process.",
            hint=(
                "Set CACHE_URL to a cache every web and worker process shares (redis://host:6379/1). "
                "With one cache per process, a log-out or a ticked-off session in one web process would "
                "not reach the login sessions and kept pages of another."
            ),
            id="steady.W001",
        )
    ]
