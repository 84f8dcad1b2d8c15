"""The Redis cache backend (core.cache.RedisCache, what CACHE_URL=redis://… selects) keeps one redis client per
connection pool instead of building one per operation, and is still the shared cache: what one server process
writes, another reads at once, and a deleted or replaced value is gone for both. Needs Redis on 127.0.0.1:6379
(.ci/run starts it); uses database 12 under a key prefix of its own and deletes only its keys."""

from __future__ import annotations

import secrets

import pytest

from motcua.core.cache import RedisCache

URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def backends():
    import redis

    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    prefix = f"test-{secrets.token_hex(4)}"
    made = [RedisCache(URL, {"KEY_PREFIX": prefix}) for _ in range(2)]  # two server processes' caches
    yield made
    made[0].delete_many(["a", "b", "n"])


def test_one_client_serves_every_operation(backends):
    cache = backends[0]
    first = cache._cache.get_client("a")
    cache.set("a", 1)
    cache.get("a")
    assert cache._cache.get_client("b") is first and cache._cache.get_client("a", write=True) is first


def test_a_value_written_by_one_process_is_read_deleted_and_replaced_for_the_other(backends):
    one, other = backends
    one.set("a", {"version": "v1"}, 60)
    assert other.get("a") == {"version": "v1"}
    other.set("a", {"version": "v2"}, 60)
    assert one.get("a") == {"version": "v2"}
    assert one.add("b", "x", 60) is True and other.add("b", "y", 60) is False and one.get("b") == "x"
    other.delete("a")
    assert one.get("a") is None
    one.set("n", 1, 60)
    assert other.incr("n") == 2 and one.get("n") == 2
