"""Django's Redis cache backend without its per-operation client: `RedisCacheClient.get_client` builds a new
`redis.Redis` for every get and set, and that constructor (about 170 response callbacks copied into a
case-insensitive dict) cost twice the round trip of the GET itself, so a public page answered from the cache
paid it twice. A `redis.Redis` is thread-safe and holds no connection of its own (it borrows one from the pool
per command): one per connection pool is kept and reused. Everything else is Django's backend
(settings.CACHES, CACHE_URL=redis://…)."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClient
