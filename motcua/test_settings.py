"""Settings for the test suite: the production settings with a throwaway secret and private folders."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("AUDIT_HMAC_KEY", "test-only-audit-key-not-for-production")
os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-test-"))

from motcua.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
# Most tests sign staff in with force_login (no second factor); the two-factor tests turn the requirement on
# (motcua/core/tests/test_two_factor_sign_in.py). Production and `make run` default it on (settings.py).
MOTCUA_REQUIRE_2FA = env_bool("MOTCUA_REQUIRE_2FA", False)  # noqa: F405
