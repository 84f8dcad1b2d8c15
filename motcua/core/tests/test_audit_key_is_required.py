"""Like SECRET_KEY, the audit log's HMAC key is required when DEBUG is off: the app refuses to start."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _settings(**env):
    return subprocess.run(
        [sys.executable, "-c", "import motcua.settings as s; print(len(s.AUDIT_HMAC_KEY))"],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_the_key_and_debug_off_the_settings_refuse_to_load():
    result = _settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY must be set" in result.stderr


def test_the_key_comes_from_the_environment_and_debug_has_a_default():
    assert _settings(DEBUG="0", SECRET_KEY="x" * 50, AUDIT_HMAC_KEY="k" * 40).stdout.strip() == "40"
    assert _settings(DEBUG="1").returncode == 0
