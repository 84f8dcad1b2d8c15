"""motcua settings: one module, every production difference comes from the environment (twelve-factor).

Every variable is listed in README.md with its default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (DEBUG=1 for a laptop).")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - only reachable with DEBUG on
# Key of the audit log's HMAC-SHA256 chain and of its signed checkpoints. Kept out of the database (the
# hashes are computed in Python), it must never change for a given log: see docs/operations.md.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
if not AUDIT_HMAC_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set when DEBUG is off (DEBUG=1 for a laptop).")
    AUDIT_HMAC_KEY = "insecure-development-audit-key-only-for-debug"  # noqa: S105 - only reachable with DEBUG on
# Signed checkpoints of the audit log (count + head hash) are also appended to this file, outside the database.
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit" / "checkpoints.jsonl"))
AUDIT_CHECKPOINT_MINUTES = float(os.environ.get("AUDIT_CHECKPOINT_MINUTES", "15"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",  # staff login lock-out
    "django_otp",  # staff two-factor sign-in
    "django_otp.plugins.otp_totp",
    "motcua.core",
    "motcua.workcalendar",
    "motcua.integrations",
    "motcua.notifications",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.desk",
    "motcua.feedback",
    "motcua.documents",
    "motcua.reform",
    "motcua.reports",
    "motcua.payments",
    "motcua.results",
    "motcua.papers",
    "motcua.digitisation",
    "motcua.review",
    "motcua.portal",
    "motcua.citizens",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.RequestIdMiddleware",
    "motcua.core.replica.ReadYourWritesMiddleware",  # reads right after a client's own write come from the primary
    "motcua.core.request_guard.RequestGuardMiddleware",  # TRACE → 405, NUL in path/query → 400
    "motcua.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.core.twofactor.TwoFactorMiddleware",  # second factor before any staff page (core/twofactor.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with the login page and 429
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.motcua",
                "motcua.portal.identity.context",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL=postgres://user@host:5432/name in production.
# Persistent connections on PostgreSQL: measured ~200 req/s without, 1,500+ with (docs/benchmarks.md).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend with a health check that costs no round trip (motcua/core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "motcua.core.postgresql"
    # Server-side parameters and prepared statements: psycopg prepares a statement run 5 times on a
    # connection, so the server stops parsing and planning the hot queries again (docs/benchmarks.md).
    # DB_PREPARED_STATEMENTS=0 behind a pooler in transaction mode (PgBouncer < 1.21).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
# A streaming read replica (docs/operations.md "Read replica"): reads that tolerate lag (public search, statistics,
# reports, the index, exports) go there while it streams and lags less than MOTCUA_REPLICA_MAX_LAG_SECONDS; a client
# that has just written reads from the primary for MOTCUA_REPLICA_PIN_SECONDS (motcua/core/replica.py).
MOTCUA_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("MOTCUA_REPLICA_MAX_LAG_SECONDS", "5"))
MOTCUA_REPLICA_PIN_SECONDS = int(os.environ.get("MOTCUA_REPLICA_PIN_SECONDS", "10"))
MOTCUA_REPLICA_CHECK_SECONDS = float(os.environ.get("MOTCUA_REPLICA_CHECK_SECONDS", "2"))
if os.environ.get("DATABASE_REPLICA_URL") and DATABASES["default"]["ENGINE"] == "motcua.core.postgresql":
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"].update(ENGINE="motcua.core.postgresql", TEST={"MIRROR": "default"})
    DATABASES["replica"].setdefault("OPTIONS", {}).update({**DATABASES["default"].get("OPTIONS", {}), "connect_timeout": 2})
    DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Staff login lock-out (django-axes, counted in the database, so every server process sees the same count):
# after MOTCUA_LOGIN_MAX_FAILURES wrong passwords for one account, or from one client address, the login is
# refused (even with the right password) for MOTCUA_LOGIN_COOLOFF_MINUTES; an administrator unlocks earlier in the
# admin (Access attempts: delete) or with `manage.py axes_reset_username USER` / `axes_reset_ip IP`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MOTCUA_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account and per address
AXES_CLIENT_IP_CALLABLE = "motcua.core.client.axes_client_ip"  # the one client-address function (BEHIND_PROXY)
AXES_LOCKOUT_CALLABLE = "motcua.core.twofactor_views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor sign-in (TOTP, django-otp): required for leaders (who sign) and administrators when on; anyone who
# enrolled a device always enters its code. OTP_TOTP_ISSUER names the account in the authenticator app.
MOTCUA_REQUIRE_2FA = env_bool("MOTCUA_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "motcua")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Vietnamese conventions: dd/mm/yyyy, thousands separated by dots.
FORMAT_MODULE_PATH = ["motcua.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Assets are served by the application itself (WhiteNoise): no CDN, works on closed government networks.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Upload limit for one dossier/document file (bytes).
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# The upload policy (motcua.core.uploads) parses what it accepts, within these limits: pages of a PDF,
# pixels of an image, bytes an Office/ODF zip may inflate to and its inflation ratio.
MOTCUA_UPLOAD_MAX_PDF_PAGES = int(os.environ.get("MOTCUA_UPLOAD_MAX_PDF_PAGES", "2000"))
MOTCUA_UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("MOTCUA_UPLOAD_MAX_IMAGE_PIXELS", "60000000"))
MOTCUA_UPLOAD_MAX_UNZIPPED_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_UNZIPPED_BYTES", str(200 * 1024 * 1024)))
MOTCUA_UPLOAD_MAX_ZIP_RATIO = int(os.environ.get("MOTCUA_UPLOAD_MAX_ZIP_RATIO", "100"))
MOTCUA_UPLOAD_MAX_ZIP_ENTRIES = int(os.environ.get("MOTCUA_UPLOAD_MAX_ZIP_ENTRIES", "5000"))  # files in one Office/ODF zip

# Security by default; the cookie flags follow HTTPS, which production must use.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# BEHIND_PROXY=N: N reverse proxies we run stand in front (1 = one nginx appending the address it saw to
# X-Forwarded-For). The client is the N-th X-Forwarded-For entry from the right (motcua/core/client.py); entries
# further left were written by the client and are ignored. TRUSTED_PROXY_HOPS, when set, wins.
_behind_proxy = os.environ.get("BEHIND_PROXY", "0").strip().lower()
TRUSTED_PROXY_HOPS = int(
    os.environ.get("TRUSTED_PROXY_HOPS")
    or (_behind_proxy if _behind_proxy.isdigit() else ("1" if _behind_proxy in {"true", "yes", "on"} else "0"))
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_HOPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
)

# Mail: console in development, real SMTP in production (EMAIL_HOST etc.).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua <noreply@localhost>")
# A message the worker left "sending" for longer than this (it died during the conversation) is "in doubt":
# not re-sent on its own, shown to administrators (motcua/notifications). Keep it well above EMAIL_TIMEOUT.
MOTCUA_SENDING_LEASE_SECONDS = int(os.environ.get("MOTCUA_SENDING_LEASE_SECONDS", "300"))
# SMS through an adapter; the default only logs (motcua.notifications.sms).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "motcua.notifications.sms.LoggingSmsBackend")

# The national public service portal (DVCQG), through motcua.integrations (docs/integrations.md). Unset URL: no
# dossier is queued for it. The token URL defaults to NATIONAL_PORTAL_URL + "/oauth2/token".
NATIONAL_PORTAL_URL = os.environ.get("NATIONAL_PORTAL_URL", "")
NATIONAL_PORTAL_TOKEN_URL = os.environ.get("NATIONAL_PORTAL_TOKEN_URL", "")
NATIONAL_PORTAL_CLIENT_ID = os.environ.get("NATIONAL_PORTAL_CLIENT_ID", "")
NATIONAL_PORTAL_CLIENT_SECRET = os.environ.get("NATIONAL_PORTAL_CLIENT_SECRET", "")
NATIONAL_PORTAL_TIMEOUT = float(os.environ.get("NATIONAL_PORTAL_TIMEOUT", "10"))
# The integration outbox: attempts before a message is dead, the first back-off (doubled per attempt, at most
# an hour), and how long a message may stay "sending" before it is sent again (keep it above the timeouts).
INTEGRATION_MAX_ATTEMPTS = int(os.environ.get("INTEGRATION_MAX_ATTEMPTS", "12"))
INTEGRATION_BACKOFF_SECONDS = float(os.environ.get("INTEGRATION_BACKOFF_SECONDS", "15"))
INTEGRATION_SENDING_LEASE_SECONDS = float(os.environ.get("INTEGRATION_SENDING_LEASE_SECONDS", "120"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: DRF answers 401 with its WWW-Authenticate header; pages' scripts use the session.
        "motcua.core.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "motcua.core.api.exception_handler",
    # JSON with a size and nesting limit (100,000 brackets answer 400, not a server error).
    "DEFAULT_PARSER_CLASSES": [
        "motcua.core.parsers.JSONParser",
        "motcua.core.parsers.FormParser",
        "motcua.core.parsers.MultiPartParser",
    ],
    "DATETIME_FORMAT": "iso-8601",
}
# API tokens are remembered this many seconds per server process (0 = ask the database every request):
# a revoked token or changed roles reach the other processes within this time (core/authentication.py).
MOTCUA_TOKEN_CACHE_SECONDS = int(os.environ.get("MOTCUA_TOKEN_CACHE_SECONDS", "10"))
# Anonymous public catalog search (page and API list) is cached this many seconds per URL and language;
# catalog writes invalidate it at once (motcua/catalog/public_cache.py). 0 = no cache.
MOTCUA_PUBLIC_CACHE_SECONDS = int(os.environ.get("MOTCUA_PUBLIC_CACHE_SECONDS", "60"))
# Reference data read on every intake (calendar days off, message templates) is kept this long per process.
MOTCUA_REFERENCE_CACHE_SECONDS = int(os.environ.get("MOTCUA_REFERENCE_CACHE_SECONDS", "60"))
# Issue 20 item 5 (summaries): a summary month is marked computed this many seconds before its computation began, so a
# dossier whose writing transaction had not committed then is counted at the next read (dossiers/summaries.py).
MOTCUA_SUMMARY_MARGIN_SECONDS = int(os.environ.get("MOTCUA_SUMMARY_MARGIN_SECONDS", "10"))
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "Một cửa điện tử và cải cách hành chính — electronic one-stop shop API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DeliveryEnum": "motcua.dossiers.models.Delivery"},
    # Every operation documents its error answers (400, 401, 403, 404, 405, 409, 422, 429, 503) with one body.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "motcua.core.openapi.add_error_responses"],
}

# Working-day calendar: office hours and the default reception cut-off (per agency/procedure overrides).
MOTCUA_WORK_MORNING = os.environ.get("MOTCUA_WORK_MORNING", "07:30-11:30")
MOTCUA_WORK_AFTERNOON = os.environ.get("MOTCUA_WORK_AFTERNOON", "13:30-17:00")
MOTCUA_RECEPTION_CUTOFF = os.environ.get("MOTCUA_RECEPTION_CUTOFF", "")  # e.g. "15:00"; empty = none

# Digital signatures (documents app): PAdES B-T when a timestamp server is set; trusted CA files for
# verification, separated by ":" or ",". Signer keys are PKCS#12 files whose passphrases come from
# environment variables named per signing identity (never stored in the database).
MOTCUA_TSA_URL = os.environ.get("MOTCUA_TSA_URL", "")
MOTCUA_TRUST_CA_FILES = os.environ.get("MOTCUA_TRUST_CA_FILES", "")
# The demo's throwaway keys (seed_demo) are encrypted with this passphrase. With DEBUG on (make run) the demo signs
# out of the box; with DEBUG off nothing is defaulted and an identity without its passphrase refuses to sign.
MOTCUA_DEMO_SIGNING_PASSPHRASE = "motcua-demo-ky-so"
if DEBUG:
    os.environ.setdefault("MOTCUA_DEMO_SIGNING_PASSPHRASE", MOTCUA_DEMO_SIGNING_PASSPHRASE)

# Public portal limits.
PORTAL_MAX_UPLOAD_BYTES = int(os.environ.get("PORTAL_MAX_UPLOAD_BYTES", str(MOTCUA_MAX_UPLOAD_BYTES)))
PORTAL_MAX_FILES_PER_COMPONENT = int(os.environ.get("PORTAL_MAX_FILES_PER_COMPONENT", "5"))
PORTAL_MAX_FILES_PER_DOSSIER = int(os.environ.get("PORTAL_MAX_FILES_PER_DOSSIER", "30"))
PORTAL_LOOKUP_MAX_FAILURES = int(os.environ.get("PORTAL_LOOKUP_MAX_FAILURES", "10"))  # per window, per address
PORTAL_LOOKUP_WINDOW_SECONDS = int(os.environ.get("PORTAL_LOOKUP_WINDOW_SECONDS", "600"))
PORTAL_DRAFTS_PER_HOUR = int(os.environ.get("PORTAL_DRAFTS_PER_HOUR", "20"))  # per IP
PORTAL_DRAFT_DAYS = int(os.environ.get("PORTAL_DRAFT_DAYS", "30"))  # an unsent online draft is kept this long

# Online payment through VNPay (motcua/payments, docs/payments.md): the merchant's terminal code and hash secret
# VNPay issues, and its payment page. Without a secret online payment is off (no link is offered). With DEBUG
# on, a demo merchant talks to the local fake gateway (manage.py fake_payment_gateway --port 8093).
VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "MOTCUADEMO" if DEBUG else "")
VNPAY_HASH_SECRET = os.environ.get("VNPAY_HASH_SECRET", "")
if not VNPAY_HASH_SECRET and DEBUG:
    VNPAY_HASH_SECRET = "insecure-demo-vnpay-secret-only-for-debug"  # noqa: S105 - only reachable with DEBUG on
VNPAY_PAYMENT_URL = os.environ.get("VNPAY_PAYMENT_URL", "http://127.0.0.1:8093/paymentv2/vpcpay.html")
VNPAY_EXPIRE_MINUTES = int(os.environ.get("VNPAY_EXPIRE_MINUTES", "15"))  # vnp_ExpireDate: the link's lifetime
VNPAY_TIMEOUT_SECONDS = float(os.environ.get("VNPAY_TIMEOUT_SECONDS", "20"))
# Citizen login (OpenID Connect, docs/citizen-login.md): everything else comes from the issuer's discovery document.
CITIZEN_OIDC_ISSUER = os.environ.get("CITIZEN_OIDC_ISSUER", "").rstrip("/")
CITIZEN_OIDC_CLIENT_ID = os.environ.get("CITIZEN_OIDC_CLIENT_ID", "")
CITIZEN_OIDC_CLIENT_SECRET = os.environ.get("CITIZEN_OIDC_CLIENT_SECRET", "")
CITIZEN_OIDC_ID_CLAIM = os.environ.get("CITIZEN_OIDC_ID_CLAIM", "personal_id")  # the claim with the 12-digit number
CITIZEN_OIDC_SCOPES = os.environ.get("CITIZEN_OIDC_SCOPES", "openid profile email phone address")
CITIZEN_OIDC_REDIRECT_URI = os.environ.get("CITIZEN_OIDC_REDIRECT_URI", "")  # empty: built from the request
CITIZEN_OIDC_TIMEOUT_SECONDS = float(os.environ.get("CITIZEN_OIDC_TIMEOUT_SECONDS", "10"))
CITIZEN_SESSION_IDLE_MINUTES = float(os.environ.get("CITIZEN_SESSION_IDLE_MINUTES", "30"))  # signed out when idle
CITIZEN_SESSION_MAX_HOURS = float(os.environ.get("CITIZEN_SESSION_MAX_HOURS", "8"))  # and this long after signing in
CITIZEN_OIDC_CLAIMS = {  # form field -> claim name (an empty name: not taken from the provider)
    "full_name": os.environ.get("CITIZEN_OIDC_CLAIM_NAME", "name"),
    "birth_date": os.environ.get("CITIZEN_OIDC_CLAIM_BIRTH_DATE", "birthdate"),
    "address": os.environ.get("CITIZEN_OIDC_CLAIM_ADDRESS", "address"),
    "phone": os.environ.get("CITIZEN_OIDC_CLAIM_PHONE", "phone_number"),
    "email": os.environ.get("CITIZEN_OIDC_CLAIM_EMAIL", "email"),
}
# Staff sign-in with an OpenID Connect provider (optional, docs/citizen-login.md "Staff"): the claim names an
# EXISTING active staff account (its username); nobody is created, no role is given; two-factor rules still apply.
STAFF_OIDC_ISSUER = os.environ.get("STAFF_OIDC_ISSUER", "").rstrip("/")
STAFF_OIDC_CLIENT_ID = os.environ.get("STAFF_OIDC_CLIENT_ID", "")
STAFF_OIDC_CLIENT_SECRET = os.environ.get("STAFF_OIDC_CLIENT_SECRET", "")
STAFF_OIDC_USERNAME_CLAIM = os.environ.get("STAFF_OIDC_USERNAME_CLAIM", "preferred_username")
STAFF_OIDC_SCOPES = os.environ.get("STAFF_OIDC_SCOPES", "openid profile")
STAFF_OIDC_REDIRECT_URI = os.environ.get("STAFF_OIDC_REDIRECT_URI", "")  # empty: built from the request
# PAKN stage deadlines in working days (Decision 766: refuse 2, ask for more 5, resolve 15, publish 2), e.g.
# MOTCUA_PAKN_DEADLINE_DAYS="resolve=10,publish=1" when a province shortens them.
MOTCUA_PAKN_DEADLINE_DAYS = {
    k.strip(): int(v) for k, v in (item.split("=", 1) for item in env_list("MOTCUA_PAKN_DEADLINE_DAYS", ""))
}

# Open311 GeoReport v2: accepted api_key values for POST (empty: no key needed).
MOTCUA_OPEN311_API_KEYS = env_list("MOTCUA_OPEN311_API_KEYS", "")

# The cache holds the public catalog answers and the catalog version they are keyed by (catalog/public_cache.py):
# with several app servers a shared cache (Redis) makes a catalog change visible to all at once. Rate limits
# count in the database (core/ratelimit.py), not here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("CACHE_URL", "").startswith("redis://"):
    # issue 21 (province load): Django's Redis backend, one redis client kept per pool (motcua/core/cache.py)
    CACHES = {"default": {"BACKEND": "motcua.core.cache.RedisCache", "LOCATION": os.environ["CACHE_URL"]}}

# -- settings of object storage (issue 21) --
# Files (uploads, slips, signed documents, results, reports) go to an S3-compatible object store when a bucket is
# named, through django-storages with its own setting names; otherwise to MEDIA_ROOT on local disk (make run).
# motcua/core/storage.py: faults answer 503, downloads stream or redirect to signed URLs; docs/operations.md.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # unset: Amazon S3 itself
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None  # unset: boto3's own chain (instance role, ~/.aws)
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_LOCATION = os.environ.get("AWS_LOCATION", "")  # a prefix inside the bucket (one bucket, several installations)
AWS_S3_FILE_OVERWRITE = False  # a new file never replaces another one's object (as on disk)
AWS_DEFAULT_ACL = None  # objects stay private (the bucket's policy): only the application and signed URLs read them
MOTCUA_STORAGE_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_STORAGE_TIMEOUT_SECONDS", "10"))
# A file read from the store is held in memory up to this size, beyond it in a temporary file (FILE_UPLOAD_TEMP_DIR).
AWS_S3_MAX_MEMORY_SIZE = int(os.environ.get("AWS_S3_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
# Attachments of at least this many bytes are served by a redirect to a signed URL of the store, valid this long
# (after the rights check); 0 = always streamed through the application (a store browsers cannot reach).
MOTCUA_SIGNED_URL_MIN_BYTES = int(os.environ.get("MOTCUA_SIGNED_URL_MIN_BYTES", str(10 * 1024 * 1024)))
MOTCUA_SIGNED_URL_SECONDS = int(os.environ.get("MOTCUA_SIGNED_URL_SECONDS", "60"))
# manage.py sweep_storage deletes stored objects no row references once they are this old (a rolled-back upload).
MOTCUA_STORAGE_SWEEP_MINUTES = int(os.environ.get("MOTCUA_STORAGE_SWEEP_MINUTES", "60"))
if AWS_STORAGE_BUCKET_NAME:
    STORAGES = {**STORAGES, "default": {"BACKEND": "motcua.core.storage.ObjectStorage"}}

# -- settings of the postal service (issue 17) --
# The postal operator (VNPost public postal service, BCCI) for pickup of papers and delivery of results
# (docs/integrations.md, "Postal service"). Empty POSTAL_URL: not connected, no order is queued and a dossier
# "by post" needs the tracking number typed in. Orders go through the integration outbox with OAuth2 client
# credentials (token URL defaults to POSTAL_URL + "/oauth2/token"); the operator's tracking callbacks are
# signed with HMAC-SHA256 under POSTAL_CALLBACK_SECRET and refused older than POSTAL_CALLBACK_MAX_AGE_SECONDS.
POSTAL_URL = os.environ.get("POSTAL_URL", "")
POSTAL_TOKEN_URL = os.environ.get("POSTAL_TOKEN_URL", "")
POSTAL_CLIENT_ID = os.environ.get("POSTAL_CLIENT_ID", "")
POSTAL_CLIENT_SECRET = os.environ.get("POSTAL_CLIENT_SECRET", "")
POSTAL_TIMEOUT = float(os.environ.get("POSTAL_TIMEOUT", "10"))
POSTAL_SERVICE = os.environ.get("POSTAL_SERVICE", "BCCI")  # the operator's service code for public-service mail
POSTAL_CALLBACK_SECRET = os.environ.get("POSTAL_CALLBACK_SECRET", "")
if not POSTAL_CALLBACK_SECRET and DEBUG:
    POSTAL_CALLBACK_SECRET = "insecure-demo-postal-secret-only-for-debug"  # noqa: S105 - only reachable with DEBUG on
POSTAL_CALLBACK_MAX_AGE_SECONDS = int(os.environ.get("POSTAL_CALLBACK_MAX_AGE_SECONDS", "300"))

# -- settings of the national catalogue and PAKN exchange (issue 17) --

# -- settings of the national payment platform (issue 18) --
# Which gateway the applicant's payment link goes to: "vnpay" or "paygov" (docs/payments.md).
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "vnpay")
# VNPay's merchant API (transaction query, vnp_Command=querydr) read by `manage.py reconcile_payments`; the fake's
# by default, sandbox https://sandbox.vnpayment.vn/merchant_webapi/api/transaction. The IP sent as vnp_IpAddr: the
# server's own address as VNPay knows it.
VNPAY_API_URL = os.environ.get("VNPAY_API_URL", "http://127.0.0.1:8093/merchant_webapi/api/transaction")
VNPAY_QUERY_IP_ADDR = os.environ.get("VNPAY_QUERY_IP_ADDR", "127.0.0.1")
# The national portal's payment platform ("PayGov", modelled on the public OpenCPS client; docs/payments.md): the
# client id and the two keys it issues (key 1 signs our requests, key 2 its callbacks and answers). Without them it
# is off. With DEBUG on, a demo client talks to the local fake (manage.py fake_paygov --port 8094).
PAYGOV_CLIENT_ID = os.environ.get("PAYGOV_CLIENT_ID", "MOTCUADEMO" if DEBUG else "")
PAYGOV_HASH_KEY_1 = os.environ.get("PAYGOV_HASH_KEY_1", "")
PAYGOV_HASH_KEY_2 = os.environ.get("PAYGOV_HASH_KEY_2", "")
if DEBUG and not PAYGOV_HASH_KEY_1 and not PAYGOV_HASH_KEY_2:
    PAYGOV_HASH_KEY_1 = "insecure-demo-paygov-key-1-only-for-debug"  # noqa: S105 - only reachable with DEBUG on
    PAYGOV_HASH_KEY_2 = "insecure-demo-paygov-key-2-only-for-debug"  # noqa: S105
PAYGOV_CREATE_URL = os.environ.get("PAYGOV_CREATE_URL", "http://127.0.0.1:8094/api/transaction/create")
PAYGOV_DETAIL_URL = os.environ.get("PAYGOV_DETAIL_URL", "http://127.0.0.1:8094/api/transaction/detail")
PAYGOV_VERSION = os.environ.get("PAYGOV_VERSION", "3.0")
PAYGOV_SERVICE_CODE = os.environ.get("PAYGOV_SERVICE_CODE", "2")  # bill_info.MaDichVu: 2 = phí, lệ phí
PAYGOV_BENEFICIARY_ACCOUNT = os.environ.get("PAYGOV_BENEFICIARY_ACCOUNT", "")  # TKThuHuong
PAYGOV_BENEFICIARY_BANK = os.environ.get("PAYGOV_BENEFICIARY_BANK", "")  # MaNHThuHuong
PAYGOV_BENEFICIARY_NAME = os.environ.get("PAYGOV_BENEFICIARY_NAME", "")  # TenTKThuHuong
PAYGOV_TIMEOUT_SECONDS = float(os.environ.get("PAYGOV_TIMEOUT_SECONDS", "20"))

# -- settings of digitisation / OCR (issue 19) --
# Scanned papers at reception (docs/digitisation.md): OCRmyPDF's languages and mode (skip: pages with text kept;
# redo: replace a scanner's own OCR; force: rasterise every page), the pages OCR'd at once (0: every CPU), a
# page flagged unreadable below this mean Tesseract word confidence (0-100) and blank below this share of dark
# pixels; the background job (manage.py run_ocr_worker) tries a file this many times, waiting BACKOFF * 2^n
# seconds, and takes again a job left running longer than the lease (its worker died).
DIGITISATION_OCR_LANGUAGES = os.environ.get("DIGITISATION_OCR_LANGUAGES", "vie+eng")
DIGITISATION_OCR_MODE = os.environ.get("DIGITISATION_OCR_MODE", "skip")
DIGITISATION_OCR_JOBS = int(os.environ.get("DIGITISATION_OCR_JOBS", "0"))
DIGITISATION_MIN_CONFIDENCE = float(os.environ.get("DIGITISATION_MIN_CONFIDENCE", "60"))
DIGITISATION_BLANK_INK = float(os.environ.get("DIGITISATION_BLANK_INK", "0.002"))
DIGITISATION_MAX_ATTEMPTS = int(os.environ.get("DIGITISATION_MAX_ATTEMPTS", "5"))
DIGITISATION_BACKOFF_SECONDS = int(os.environ.get("DIGITISATION_BACKOFF_SECONDS", "60"))
DIGITISATION_LEASE_SECONDS = int(os.environ.get("DIGITISATION_LEASE_SECONDS", "3600"))

# -- settings of the applicant's store of papers (issue 19) --

# -- settings of procedure review (issue 22) --
# Reminders of review deadlines (manage.py review_reminders): how many calendar days before a review item's
# deadline its person responsible is reminded through the notifications outbox (docs/review.md).
REVIEW_REMIND_DAYS = int(os.environ.get("REVIEW_REMIND_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
