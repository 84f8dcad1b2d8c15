"""Django's PostgreSQL backend, with a health check of persistent connections that costs no round trip.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request that reuses a
connection. An idle connection has nothing to read, so a server that closed it (restart,
pg_terminate_backend, idle timeout) shows up as input waiting on the socket: only then is the real
`SELECT 1` check made, and a dead connection is replaced before the request uses it, as Django would do.
(A silently vanished peer is not seen by either check until TCP gives up.)

Why this backend is kept (measured 02/12/2026, in-process through the WSGI handler, token read by code,
blocks alternated in one process): Django's own check made two statements per read instead of one and
cost 0.35 ms more CPU per read on the application side (4.23 against 3.88 ms on a loaded 2-core machine),
besides the database's work for each `SELECT 1`. Django's connection pool (`OPTIONS["pool"]`, psycopg_pool)
hands a connection out and takes it back on every request, and checks it only with a round trip of its
own; it was not adopted (one process serves one request at a time under gunicorn's workers, so a
persistent connection per process is what a pool would give).

psycopg re-parses a statement's placeholders on each execution when it has more than 50 parameters (it
remembers smaller ones). Until issue 16 this module raised that private limit at import time; now the
statements stay under it instead: the audit statement, which carried a transition's last rows (65
parameters on the intake), sends each group of rows as one JSON parameter (core.sql.insert_ctes).
Instructions per intake: bench/results/2026-12-07-instructions.md.
"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper


class DatabaseWrapper(PostgresDatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is None or self.pool or not self.health_check_enabled or self.health_check_done:
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
