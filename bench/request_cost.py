# ruff: noqa: E402 - Django is configured from the arguments before the project is imported
"""CPU time (app + database backend) and, under valgrind, instructions per request, in-process through Django's
WSGI handler (no gunicorn, no network, no load generator): a measure that does not move with the machine's load.

    .venv/bin/python bench/request_cost.py APP_ROOT DB MODE N        # MODE: read, intake, search, searchapi
    WARM=50 CG=1 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p \
        .venv/bin/python bench/request_cost.py APP_ROOT DB MODE N   # then: grep ^summary /tmp/cg.*.1

APP_ROOT is a checkout (e.g. `git archive COMMIT | tar -x -C DIR`), DB a local PostgreSQL database with the
demo (`seed_demo`), the officer `motcua` and, for the search modes, the national catalogue. With CG=1 the
callgrind counters are zeroed after the warm-up and dumped after the N measured requests, so the dump's
`summary` line is the instructions of exactly N requests. Intakes write to DB.
"""

import io
import os
import secrets
import sys
import time

root, db, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.environ.update(
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
    SECRET_KEY=secrets.token_urlsafe(50),
    AUDIT_HMAC_KEY="k" * 40,
    DEBUG="0",
    ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SETTINGS_MODULE="motcua.settings",
    LOG_LEVEL="WARNING",
)
sys.path.insert(0, root)
sys.path.insert(1, os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
import django

django.setup()
from django.core.handlers.wsgi import WSGIHandler
from rest_framework.authtoken.models import Token
from run import intake_bodies, search_paths

from motcua.core.models import User

user = User.objects.get(username="motcua")
tok = Token.objects.get_or_create(user=user)[0].key
app = WSGIHandler()
from django.db import connection

if mode == "intake":
    from motcua.catalog.selectors import procedure_versions_in_force

    qs = procedure_versions_in_force().filter(channel_counter=True, agency_id=user.unit.agency_id)
    bodies = [
        b.encode() for b in intake_bodies(list(qs.order_by("procedure__code").values_list("procedure__code", flat=True)[:60]))
    ]
elif mode in ("search", "searchapi"):
    paths = search_paths("/thu-tuc/", "q") if mode == "search" else search_paths("/api/v1/procedures/", "search")
else:
    with connection.cursor() as c:
        c.execute("SELECT code FROM dossiers_dossier WHERE agency_id = %s ORDER BY random() LIMIT 2000", [user.unit.agency_id])
        codes = [r[0] for r in c.fetchall()]
i = 0


def call():
    global i
    i += 1
    env = {
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Token {tok}",
        "HTTP_ACCEPT": "application/json",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "REMOTE_ADDR": "127.0.0.1",
        "QUERY_STRING": "",
    }
    if mode == "intake":
        body = bodies[i % len(bodies)]
        env.update(
            REQUEST_METHOD="POST",
            PATH_INFO="/api/v1/dossiers/",
            CONTENT_TYPE="application/json",
            CONTENT_LENGTH=str(len(body)),
            HTTP_IDEMPOTENCY_KEY=f"k-{time.time_ns()}-{i}",
            **{"wsgi.input": io.BytesIO(body)},
        )
    elif mode in ("search", "searchapi"):
        p, _, q = paths[i % len(paths)].partition("?")
        env.update(REQUEST_METHOD="GET", PATH_INFO=p, QUERY_STRING=q, **{"wsgi.input": io.BytesIO(b"")})
        env["HTTP_ACCEPT"] = "text/html,application/json" if mode == "search" else "application/json"
        del env["HTTP_AUTHORIZATION"]
    else:
        env.update(
            REQUEST_METHOD="GET", PATH_INFO=f"/api/v1/dossiers/{codes[i % len(codes)]}/", **{"wsgi.input": io.BytesIO(b"")}
        )
    out = {}

    def sr(status, headers, exc_info=None):
        out["s"] = status

    body = b"".join(app(env, sr))
    return out["s"], body


s, b = call()
print(s, b[:100])
for _ in range(int(os.environ.get("WARM", "100"))):
    call()


def backend_cpu():
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


import subprocess

CG = os.environ.get("CG")
d0 = backend_cpu()
if CG:
    subprocess.run(["callgrind_control", "-z", str(os.getpid())], check=True, capture_output=True)
t0 = time.process_time()
w0 = time.perf_counter()
for _ in range(n):
    call()
if CG:
    subprocess.run(["callgrind_control", "-d", "measured", str(os.getpid())], check=True, capture_output=True)
t1 = time.process_time()
w1 = time.perf_counter()
d1 = backend_cpu()
print(
    f"{root} {mode}: app {(t1 - t0) * 1000 / n:.2f} + db {(d1 - d0) * 1000 / n:.2f} ms CPU/req, "
    f"wall {(w1 - w0) * 1000 / n:.2f} ms (n={n})"
)
