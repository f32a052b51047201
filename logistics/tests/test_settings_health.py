import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set only for browser tests
    env = {**env, "DJANGO_SETTINGS_MODULE": "logistics.settings.production",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "houqin.example.edu.cn"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=BASE, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "logistics.settings.production", "ALLOWED_HOSTS": "x"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_readiness_reports_database_and_broker(client):
    response = client.get("/readyz")
    body = response.json()
    assert body["database"]["ok"] is True
    assert response.status_code == (200 if body["broker"]["ok"] else 503)
    assert client.get("/healthz").json() == {"status": "ok"}


def test_production_collects_the_vendored_static_files_and_whitenoise_serves_them(tmp_path):
    """collectstatic with the production storage (hashed, compressed), then a request for the
    hashed Bootstrap CSS answered by whitenoise with a long cache lifetime."""
    (tmp_path / "prodcheck.py").write_text(
        "from logistics.settings.production import *  # noqa\n"
        f"STATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', '--no-input', verbosity=0)\n"
        "from django.templatetags.static import static\n"
        "from django.test import Client\n"
        "url = static('vendor/bootstrap-5.3.9/css/bootstrap.min.css')\n"
        "assert '.min.' in url and url != '/static/vendor/bootstrap-5.3.9/css/bootstrap.min.css', url\n"
        "r = Client().get(url, secure=True, HTTP_HOST='houqin.example.edu.cn', HTTP_ACCEPT_ENCODING='gzip')\n"
        "print('|'.join(map(str, (r.status_code, r['Content-Type'], r.get('Cache-Control'), r.get('Content-Encoding')))))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "prodcheck", "PYTHONPATH": f"{tmp_path}:{BASE}",
                "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "houqin.example.edu.cn"})
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    status, content_type, cache_control, encoding = result.stdout.strip().splitlines()[-1].split("|")
    assert status == "200" and content_type.startswith("text/css")
    assert "max-age=315360000" in cache_control and encoding == "gzip"
    for vendored in ("bootstrap-5.3.9/js/bootstrap.bundle.min.js", "htmx-2.0.11/htmx.min.js", "chart.js-4.6.1/chart.umd.min.js",
                     "bootstrap-icons-1.13.2/font/fonts/bootstrap-icons.woff2"):
        assert (tmp_path / "static" / "vendor" / vendored).exists(), vendored
