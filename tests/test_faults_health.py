"""Health endpoints, ``manage.py health`` and structured logs with request IDs (issue 11)."""
from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string

from logistics.logging import RequestIdFilter
from logistics.models import EmailState, Notification, TaskHeartbeat
from logistics.roles import Role
from logistics.tests.factories import SchoolFactory, member
from tests.processes import BASE_DIR, free_port, point_app_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker():
    """Point this process's Celery app at a port where nothing listens (a broker that is down)."""
    from logistics.celery import app

    old = point_app_at(app, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    yield
    point_app_at(app, **old)


def run_health() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("health", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_health_prints_queue_beat_outbox_and_last_disclosure_per_school(school):
    other = SchoolFactory(name="第二小学", code="DE")
    user = member(Role.TEACHER, school, email="t@example.org")
    TaskHeartbeat.objects.create(name="celery-beat", last_run_at=timezone.now() - timedelta(seconds=30))
    Notification.objects.create(recipient=user, school=school, text="待发", email_state=EmailState.PENDING)
    stuck = Notification.objects.create(recipient=user, school=school, text="卡住", email_state=EmailState.SENDING)
    Notification.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=1))
    code, out = run_health()
    assert code == 0, out
    assert "database:  ok" in out and "broker:    ok" in out
    assert "queue:" in out
    assert "e-mail:    1 pending" in out and "1 stuck sending" in out
    assert "celery-beat" in out and ("(30s ago)" in out or "(31s ago)" in out)
    assert "last finance disclosure per school:" in out
    assert school.name in out and other.name in out


def test_health_exits_1_when_the_broker_is_down(dead_broker):
    code, out = run_health()
    assert code == 1
    assert "broker:    DOWN" in out and "database:  ok" in out


def test_readyz_is_503_when_the_broker_is_down_and_healthz_still_200(client, dead_broker):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is True and response.json()["broker"]["ok"] is False
    assert client.get("/healthz").status_code == 200


def json_handler(stream):
    cfg = dict(settings.LOGGING["formatters"]["json"])
    factory = import_string(cfg.pop("()"))
    cfg["fmt"] = cfg.pop("format")  # as dictConfig builds it
    formatter = factory(**cfg)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    return handler


def test_json_log_lines_carry_the_request_id_and_the_audit_fields(client, school):
    stream = io.StringIO()
    handler = json_handler(stream)
    audit = logging.getLogger("logistics.audit")
    audit.addHandler(handler)
    try:
        client.force_login(member(Role.PARENT, school, username="qian"))
        response = client.get("/repairs/", HTTP_X_REQUEST_ID="lb-req-42")
    finally:
        audit.removeHandler(handler)
    assert response.status_code == 403 and response["X-Request-ID"] == "lb-req-42"
    [line] = [json.loads(raw) for raw in stream.getvalue().splitlines()]
    assert line["request_id"] == "lb-req-42" and line["logger"] == "logistics.audit" and line["level"] == "WARNING"
    assert line["user"] == "qian" and line["school_id"] == school.pk and line["action"].startswith("repairs.")
    assert "time" in line and line["reason"] == "role"


def test_a_request_without_an_id_gets_one_and_a_bad_one_is_replaced(client):
    made = client.get("/accounts/login/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"] != "bad id\nwith newline"


def test_probes_by_address_over_http_reach_the_health_views(client, settings):
    """A load balancer probes http://<instance address>/readyz: neither a 400 (host) nor a redirect (HTTPS)."""
    settings.ALLOWED_HOSTS = ["houqin.example.edu.cn"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.3.7:8001")
        assert response.status_code == 200 and response.json()["status"] == "ok"
    assert client.get("/accounts/login/", HTTP_HOST="10.0.3.7:8001").status_code == 400
    assert client.get("/accounts/login/", HTTP_HOST="houqin.example.edu.cn").status_code == 301


def test_log_format_json_makes_every_line_json():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "logistics.settings.test"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "request_id", "message"} <= set(line) for line in lines)
