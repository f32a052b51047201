"""The production configuration in deploy/ (issue 11), checked as far as this machine allows.

No Docker engine runs here, so the compose file is parsed (PyYAML) and its wiring checked; the
systemd units go through ``systemd-analyze verify``; the nginx config through ``nginx -t`` when
an nginx binary is installed; every environment variable the settings read is documented.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.processes import BASE_DIR

DEPLOY = BASE_DIR / "deploy"
# Debian puts nginx in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
APP_SERVICES = {"migrate", "web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose():
    import yaml  # in requirements.txt
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_compose_has_every_part_of_the_deployment(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "nginx"}
    assert services["db"]["image"].startswith("postgres:") and services["redis"]["image"].startswith("redis:")
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://redis:")
        assert "media:/app/media" in service["volumes"] and env["MEDIA_ROOT"] == "/app/media"  # one shared volume
    assert services["web"]["command"][:2] == ["gunicorn", "logistics.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "logistics", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "logistics", "beat"]
    assert "readyz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_starts_the_app_only_after_migrate_and_runs_one_beat(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["migrate"]["command"][-2:] == ["migrate", "--no-input"]
    assert "deploy" not in services["beat"] or services["beat"]["deploy"].get("replicas", 1) == 1


def test_compose_nginx_mounts_its_config_certificates_and_the_media_read_only(compose):
    nginx = compose["services"]["nginx"]
    assert {"80:80", "443:443"} <= set(nginx["ports"])
    mounts = {m.split(":")[1]: m for m in nginx["volumes"]}
    assert mounts["/etc/nginx/conf.d/default.conf"].startswith("./nginx/logistics.conf") and mounts["/etc/nginx/conf.d/default.conf"].endswith(":ro")
    assert mounts["/srv/logistics/media"] == "media:/srv/logistics/media:ro"
    assert (DEPLOY / "nginx" / "logistics.conf").exists()
    assert "alias /srv/logistics/media/;" in (DEPLOY / "nginx" / "logistics.conf").read_text()


def settings_env_names() -> set[str]:
    names = set()
    for path in (BASE_DIR / "logistics" / "settings").glob("*.py"):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
    return names - {"BENCHMARK"}  # benchmark harness only


def test_every_environment_variable_is_documented():
    documented = set(re.findall(r"`([A-Z_]+)`", (DEPLOY / "README.md").read_text()))
    missing = settings_env_names() - documented
    assert not missing, f"not in deploy/README.md: {sorted(missing)}"
    example = (DEPLOY / "logistics.env.example").read_text()
    for required in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "SITE_URL"):
        assert re.search(rf"^{required}=", example, re.M), required


@pytest.mark.skipif(not shutil.which("systemd-analyze") and not os.environ.get("CI"), reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    """``systemd-analyze verify`` on the units, with the install paths pointed at this checkout."""
    venv = Path(shutil.which("gunicorn") or BASE_DIR / ".venv" / "bin" / "gunicorn").parent
    (tmp_path / "logistics.env").write_text("DJANGO_SETTINGS_MODULE=logistics.settings.production\n")
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/logistics.env" in text and "User=logistics" in text
        text = (text.replace("/srv/logistics/app/.venv/bin", str(venv)).replace("/srv/logistics/app", str(BASE_DIR))
                .replace("/etc/logistics.env", str(tmp_path / "logistics.env")).replace("=logistics\n", "=root\n"))
        instance = {"logistics-web@.service": "logistics-web@8001.service", "logistics-worker@.service": "logistics-worker@1.service"}
        target = tmp_path / instance.get(unit.name, unit.name)
        target.write_text(text)
        units.append(str(target))
    assert len(units) == 3
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@pytest.mark.skipif(not NGINX and not os.environ.get("CI"), reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_config_is_valid(tmp_path):
    """``nginx -t`` on the shipped server blocks, with a throw-away certificate and local upstreams."""
    conf = (DEPLOY / "nginx" / "logistics.conf").read_text()
    conf = conf.replace("server web:8000;", "server 127.0.0.1:8001;").replace("/etc/nginx/tls/", f"{tmp_path}/")
    conf = conf.replace("listen 80;", "listen 127.0.0.1:18080;").replace("listen 443 ssl", "listen 127.0.0.1:18443 ssl")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")], check=True, capture_output=True)
    (tmp_path / "site.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; fastcgi_temp_path {tmp_path};"
        f" uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )
    assert NGINX, "CI installs nginx-light (scripts/setup.sh test)"
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
