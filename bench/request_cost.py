# ruff: noqa: E402 - Django is configured from the arguments before the project is imported
"""CPU time (app + database backend) and, under valgrind, instructions per request, in-process through Django's
WSGI handler (no gunicorn, no network, no load generator): a measure that does not move with the machine's load.

    .venv/bin/python bench/request_cost.py APP_ROOT DB MODE N        # MODE: one of MODES below
    WARM=50 CG=1 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg/cg-LABEL-MODE.%p \
        .venv/bin/python bench/request_cost.py APP_ROOT DB MODE N   # then: grep ^summary /tmp/cg/cg-*.1
    .venv/bin/python bench/request_cost.py table /tmp/cg [LABEL ...] # per-kind and mix-weighted instructions
    PROFILE=40 .venv/bin/python bench/request_cost.py APP_ROOT DB MODE N  # cProfile: the 40 costliest functions
    SQL=1 .venv/bin/python bench/request_cost.py APP_ROOT DB MODE 1        # the statements of one request

APP_ROOT is a checkout (e.g. `git archive COMMIT | tar -x -C DIR`), DB a local PostgreSQL database with the
demo (`seed_demo`), the officer `motcua`, the national catalogue and generated dossiers (`generate_dossiers`).
With CG=1 the callgrind counters are zeroed after the warm-up and dumped after the N measured requests, so the
dump's `summary` line is the instructions of exactly N requests (the dump's description names N). The cache is
the one CACHE_URL names (redis://… as in production and in bench/province_load.py), else per-process memory.

The modes are the requests of the province load (bench/locust_province.py), one per kind, each as locust sends it:
the anonymous portal pages and forms (CSRF token and cookies carried as a browser does, one visitor's cookie
jar for the whole run; the lookup's and the petition's POST followed by the page they redirect to, which locust
counts as one request) and the officer's API calls with a token. `read`, `intake`, `search`, `searchapi` are
the earlier modes. Intakes, forwards (of dossiers received for that purpose before the warm-up), lookups'
sessions and petitions write to DB. `table` weights the kinds by the locust mix (the @task weights of
bench/locust_province.py, read from the file) into the instructions of the mix's average request.
"""

import ast
import io
import os
import re
import secrets
import sys
import time
from pathlib import Path

# locust task → the modes of its requests (a task of two requests counts both, as locust does)
TASKS = {
    "search_page": ["search"],
    "search_api": ["searchapi"],
    "procedure_page": ["detail"],
    "lookup": ["lookup_form", "lookup"],
    "pakn_published": ["pakn_published"],
    "pakn_submit": ["pakn_form", "pakn_submit"],
    "read_dossier": ["read"],
    "worklist": ["worklist"],
    "receive_and_hand_over": ["intake", "forward"],
    "statistics": ["statistics"],
    "tracking_book": ["book"],
}
MODES = [m for modes in TASKS.values() for m in modes]


LOCUSTFILE = Path(__file__).resolve().parent / "locust_province.py"


def mix_weights() -> dict[str, float]:
    """Requests of each mode per visit: a class's share of the users × its task's share of the class's tasks."""
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    weights: dict[str, float] = {}
    classes = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name == "Hello":
            continue
        weight = next(
            (s.value.value for s in node.body if isinstance(s, ast.Assign) and s.targets[0].id == "weight"),  # type: ignore[attr-defined]
            1,
        )
        tasks = {
            f.name: d.args[0].value if isinstance(d, ast.Call) else 1
            for f in node.body
            if isinstance(f, ast.FunctionDef)
            for d in f.decorator_list
            if (d.func.id if isinstance(d, ast.Call) else getattr(d, "id", "")) == "task"
        }
        classes.append((weight, tasks))
    users = sum(w for w, _ in classes)
    for weight, tasks in classes:
        total = sum(tasks.values())
        for name, t in tasks.items():
            for mode in TASKS[name]:
                weights[mode] = weights.get(mode, 0) + weight / users * t / total
    return weights


def table(directory: str, labels: list[str]) -> None:
    """Instructions per request of each mode from the callgrind dumps DIR/cg-LABEL-MODE.PID.1, weighted by the mix."""
    weights = mix_weights()
    found: dict[tuple[str, str], float] = {}
    for path in Path(directory).glob("cg-*.1"):
        label_mode = path.name[3:].rsplit(".", 2)[0]
        mode = next((m for m in sorted(MODES, key=len, reverse=True) if label_mode.endswith("-" + m)), None)
        if mode is None:
            continue
        text = path.read_text(errors="replace")
        summary = re.search(r"^summary: (\d+)", text, re.M)
        n = re.search(r"measured n=(\d+)", text)
        if summary and n:
            found[(label_mode[: -len(mode) - 1], mode)] = int(summary.group(1)) / int(n.group(1))
    labels = labels or sorted({label for label, _ in found})
    total_weight = sum(weights.values())
    print("| request (mode) | share of requests | " + " | ".join(f"{label} k instr." for label in labels) + " |")
    print("|---|---:|" + "---:|" * len(labels))
    for mode in MODES:
        cells = [f"{found[(label, mode)] / 1000:,.0f}" if (label, mode) in found else "—" for label in labels]
        print(f"| {mode} | {weights[mode] / total_weight:.1%} | " + " | ".join(cells) + " |")
    averages = []
    for label in labels:
        if all((label, m) in found for m in MODES):
            averages.append(f"**{sum(found[(label, m)] * weights[m] for m in MODES) / total_weight / 1000:,.0f}**")
        else:
            averages.append("(incomplete)")
    print("| **mix average** | 100 % | " + " | ".join(averages) + " |")


if len(sys.argv) >= 3 and sys.argv[1] == "table":
    table(sys.argv[2], sys.argv[3:])
    sys.exit(0)

root, db, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if mode not in MODES:
    sys.exit(f"MODE must be one of {', '.join(MODES)}")
os.environ.update(
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
    SECRET_KEY=secrets.token_urlsafe(50),
    AUDIT_HMAC_KEY="k" * 40,
    DEBUG="0",
    ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SETTINGS_MODULE="motcua.settings",
    LOG_LEVEL="WARNING",
    SECURE_COOKIES="0",
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
from urllib.parse import quote, urlencode, urlsplit

from django.db import connection

cookies: dict[str, str] = {}  # one visitor's cookie jar (the portal modes)
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def wsgi(method: str, path: str, *, body: bytes = b"", token: bool = False, accept: str = "", **headers) -> tuple:
    """One request through Django's WSGI handler: (status, headers, body); cookies kept in the jar."""
    p, _, q = path.partition("?")
    env = {
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": accept or ("application/json" if token else "text/html,application/xhtml+xml"),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.input": io.BytesIO(body),
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": method,
        "PATH_INFO": p,
        "QUERY_STRING": q,
        "CONTENT_LENGTH": str(len(body)),
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    if "HTTP_CONTENT_TYPE" in env:
        env["CONTENT_TYPE"] = env.pop("HTTP_CONTENT_TYPE")
    if token:
        env["HTTP_AUTHORIZATION"] = f"Token {tok}"
    elif cookies:
        env["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    out = {}

    def start_response(status, response_headers, exc_info=None):
        out["status"], out["headers"] = status, response_headers

    content = b"".join(app(env, start_response))
    if not token:
        for name, value in out["headers"]:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
    return out["status"], dict(out["headers"]), content


def form_post(path: str, data: dict) -> tuple[str, dict, bytes]:
    """A browser's form POST (CSRF token from the jar's last form), then the GET of the page it redirects to."""
    body = urlencode({"csrfmiddlewaretoken": csrf[0], **data}).encode()
    status, headers, content = wsgi(
        "POST", path, body=body, content_type="application/x-www-form-urlencoded", referer=f"http://127.0.0.1{path}"
    )
    if status.startswith("302"):
        return wsgi("GET", urlsplit(headers["Location"]).path)
    return status, headers, content


csrf = [""]


def take_csrf(content: bytes) -> None:
    found = CSRF.search(content)
    if found:
        csrf[0] = found.group(1).decode()


agency_id = user.unit.agency_id
if mode in ("intake", "forward"):
    from motcua.catalog.selectors import procedure_versions_in_force

    qs = procedure_versions_in_force().filter(channel_counter=True, agency_id=agency_id)
    bodies = [
        b.encode() for b in intake_bodies(list(qs.order_by("procedure__code").values_list("procedure__code", flat=True)[:60]))
    ]
elif mode in ("search", "searchapi"):
    paths = search_paths("/thu-tuc/", "q") if mode == "search" else search_paths("/api/v1/procedures/", "search")
elif mode == "detail":
    from motcua.catalog.selectors import procedure_versions_in_force

    paths = [
        f"/thu-tuc/{quote(c)}/"
        for c in procedure_versions_in_force().order_by("?").values_list("procedure__code", flat=True)[:2000]
    ]
elif mode == "lookup":
    with connection.cursor() as c:
        c.execute(
            "SELECT code, COALESCE(NULLIF(applicant_id_number, ''), applicant_tax_code) FROM dossiers_dossier "
            "WHERE applicant_id_number <> '' OR applicant_tax_code <> '' ORDER BY random() LIMIT 2000"
        )
        pairs = c.fetchall()
elif mode == "read":
    with connection.cursor() as c:
        c.execute("SELECT code FROM dossiers_dossier WHERE agency_id = %s ORDER BY random() LIMIT 2000", [agency_id])
        codes = [r[0] for r in c.fetchall()]
i = 0


def intake_once() -> tuple[str, dict, bytes]:
    body = bodies[i % len(bodies)]
    return wsgi(
        "POST",
        "/api/v1/dossiers/",
        body=body,
        token=True,
        content_type="application/json",
        idempotency_key=f"k-{time.time_ns()}-{i}",
    )


PAKN = {
    "kind": "kien_nghi",
    "category": "procedure",
    "title": "Đề nghị rút ngắn thời gian giải quyết",
    "content": "Đề nghị cơ quan xem xét rút ngắn thời gian cấp giấy chứng nhận đăng ký đầu tư.",
    "submitter_name": "Nguyễn Văn An",
    "submitter_phone": "0912345678",
    "consent": "on",
}


def call() -> tuple[str, bytes]:
    global i
    i += 1
    if mode == "intake":
        status, _, body = intake_once()
    elif mode == "forward":
        status, _, body = wsgi(
            "POST",
            f"/api/v1/dossiers/{received.pop()}/actions/forward/",
            body='{"note": "Chuyển phòng chuyên môn thẩm định"}'.encode(),
            token=True,
            content_type="application/json",
        )
    elif mode == "search":
        status, _, body = wsgi("GET", paths[i % len(paths)], accept="text/html,application/json")
    elif mode == "searchapi":
        status, _, body = wsgi("GET", paths[i % len(paths)], accept="application/json")
    elif mode == "detail":
        status, _, body = wsgi("GET", paths[i % len(paths)])
    elif mode == "lookup_form":
        status, _, body = wsgi("GET", "/tra-cuu/")
    elif mode == "lookup":
        code, proof = pairs[i % len(pairs)]
        status, _, body = form_post("/tra-cuu/", {"ma": code, "xac_minh": proof})
        if code.encode() not in body:
            sys.exit(f"lookup of {code} did not open the dossier: {status} {body[:300]!r}")
    elif mode == "pakn_published":
        status, _, body = wsgi("GET", "/phan-anh-kien-nghi/da-tra-loi/")
    elif mode == "pakn_form":
        status, _, body = wsgi("GET", "/phan-anh-kien-nghi/")
    elif mode == "pakn_submit":
        status, _, body = form_post("/phan-anh-kien-nghi/", PAKN)
        if b"PAKN-" not in body:
            sys.exit(f"PAKN not received: {status} {body[:300]!r}")
    elif mode == "read":
        status, _, body = wsgi("GET", f"/api/v1/dossiers/{codes[i % len(codes)]}/", token=True)
    else:  # worklist, statistics, book
        status, _, body = wsgi("GET", f"/api/v1/desk/{mode}/", token=True)
    if not status.startswith("20"):
        sys.exit(f"{mode}: {status} {body[:500]!r}")
    return status, body


WARM = int(os.environ.get("WARM", "100"))
if mode in ("lookup", "pakn_submit"):
    take_csrf(wsgi("GET", "/tra-cuu/" if mode == "lookup" else "/phan-anh-kien-nghi/")[2])
if mode == "forward":  # dossiers received by this officer, each handed over once by a measured request
    received = []
    for _ in range(WARM + n + 1):
        i += 1
        s, _, b = intake_once()
        received.append(__import__("json").loads(b)["code"])
if os.environ.get("SQL"):  # SQL=1: the statements of the first request, printed before the measure
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        s, b = call()
    for query in queries.captured_queries:
        print(f"  {query['sql'][:240]}")
    print(f"{len(queries.captured_queries)} statements")
else:
    s, b = call()
print(s, b[:100])
for _ in range(WARM):
    call()


def backend_cpu():
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


import subprocess

CG = os.environ.get("CG")
PROFILE = os.environ.get("PROFILE")  # PROFILE=40: the 40 costliest functions instead of a clean measure
d0 = backend_cpu()
if CG:
    subprocess.run(["callgrind_control", "-z", str(os.getpid())], check=True, capture_output=True)
t0 = time.process_time()
w0 = time.perf_counter()
if PROFILE:  # where the time goes (cProfile's own overhead included): the functions by cumulative time
    import cProfile
    import pstats

    with cProfile.Profile() as profile:
        for _ in range(n):
            call()
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(int(PROFILE))
else:
    for _ in range(n):
        call()
if CG:
    subprocess.run(["callgrind_control", "-d", f"measured n={n}", str(os.getpid())], check=True, capture_output=True)
t1 = time.process_time()
w1 = time.perf_counter()
d1 = backend_cpu()
print(
    f"{root} {mode}: app {(t1 - t0) * 1000 / n:.2f} + db {(d1 - d0) * 1000 / n:.2f} ms CPU/req, "
    f"wall {(w1 - w0) * 1000 / n:.2f} ms (n={n})"
)
