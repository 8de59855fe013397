import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()
