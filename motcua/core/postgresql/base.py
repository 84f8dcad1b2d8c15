"""Django's PostgreSQL backend, with a cheaper health check of persistent connections.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request that reuses a
connection: on a read by code that was half of the database round trips. An idle connection has
nothing to read, so a server that closed it (restart, pg_terminate_backend, idle timeout) shows up as
input waiting on the socket: only then is the real `SELECT 1` check made, and a dead connection is
replaced before the request uses it, as Django would do. (A silently vanished peer is not seen by
either check until TCP gives up.)

Also: psycopg parses a statement for its placeholders on every execution when it has more than 50
parameters (it remembers the parsing of smaller ones). The write path's combined statements
(core.sql: the intake's dossier, a transition's last rows with its audit entry) carry 50–150, so the
limit is raised here; the cache stays bounded (psycopg's lru_cache of 128 statements)."""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper
from psycopg import _queries

_queries.MAX_CACHED_STATEMENT_PARAMS = 512


class DatabaseWrapper(PostgresDatabaseWrapper):
    def close_if_health_check_failed(self):
        if (self.connection is None or self.pool or not self.health_check_enabled or self.health_check_done):
            return super().close_if_health_check_failed()
        if self.connection.closed or _has_input(self.connection):
            return super().close_if_health_check_failed()  # the real check: SELECT 1, close if it fails
        self.health_check_done = True


def _has_input(conn) -> bool:
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
