"""Django's PostgreSQL backend, with a cheaper health check of persistent connections.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request that reuses a
connection: on a read by code that was half of the database round trips. An idle connection has
nothing to read, so a server that closed it (restart, pg_terminate_backend, idle timeout) shows up as
input waiting on the socket: only then is the real `SELECT 1` check made, and a dead connection is
replaced before the request uses it, as Django would do. (A silently vanished peer is not seen by
either check until TCP gives up.)"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper


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
