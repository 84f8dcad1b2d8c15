import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/staff/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


def test_login_page_is_vietnamese(client):
    body = client.get("/staff/login/").content.decode()
    assert "Đăng nhập cán bộ" in body
    assert "Mật khẩu" in body


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='motcua.settings'; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[3]),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_shared_redis_cache_is_used_when_configured():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='motcua.settings'; django.setup(); "
        "from django.core.cache import caches; c = caches['default']; c.set('motcua-probe', 'ok', 5); "
        "print(c.get('motcua-probe'), type(c).__name__)"
    )
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "CACHE_URL": "redis://127.0.0.1:6379/3"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[3]),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "RedisCache"]
