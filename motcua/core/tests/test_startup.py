"""A new server process loads its views before the first request (core/startup.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_loading_the_wsgi_application_loads_every_view_before_the_first_request():
    probe = (
        "import sys, motcua.wsgi; "
        "print(all(m in sys.modules for m in ('motcua.dossiers.api', 'motcua.catalog.views', 'motcua.portal.views')))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.test_settings"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
