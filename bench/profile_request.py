#!/usr/bin/env python3
"""Where does one request spend its time? A companion of bench/run.py for the analysis of a missed goal.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \\
        .venv/bin/python bench/profile_request.py /thu-tuc/?q=dau+tu [--token-user motcua] [--post JSON] [-n 50]

Runs the request in-process through Django's test client (DEBUG off, same middleware) against the
benchmark database: prints the SQL of one request with each query's time, the mean wall time of n
requests, and the functions with the highest cumulative time under cProfile. POSTs write to the database.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path")
    p.add_argument("-n", type=int, default=50, help="requests to time and profile (default 50, at most 1000)")
    p.add_argument("--token-user", help="send `Authorization: Token …` of this user (created if missing)")
    p.add_argument("--post", metavar="JSON", help="POST this JSON body instead of GET")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each SELECT (PostgreSQL)")
    args = p.parse_args()
    n = max(1, min(args.n, 1000))

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("AUDIT_HMAC_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    headers = {}
    if args.token_user:
        from rest_framework.authtoken.models import Token

        from motcua.core.models import User

        token, _ = Token.objects.get_or_create(user=User.objects.get(username=args.token_user))
        headers["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    client = Client(**headers)
    counter = iter(range(10**9))

    def call():
        if args.post:
            return client.post(
                args.path,
                data=args.post,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"profile-{time.time_ns()}-{next(counter)}",
            )
        return client.get(args.path)

    first = call()
    print(f"status {first.status_code}, {len(first.content)} bytes")
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"{len(queries.captured_queries)} queries:")
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:160]}")
        if args.explain and q["sql"].lstrip().upper().startswith("SELECT") and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                for (line,) in cursor.fetchall():
                    print(f"      {line}")
    t0 = time.perf_counter()
    for _ in range(n):
        call()
    print(f"mean wall time over {n} requests: {(time.perf_counter() - t0) * 1000 / n:.2f} ms")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
