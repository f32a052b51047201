"""Liveness and readiness endpoints for a load balancer (no login, no session, JSON)."""
from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # reported, not raised: this is the health check
        return False, type(exc).__name__


def check_broker() -> tuple[bool, str]:
    from logistics.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else conn.transport.driver_type
    except Exception as exc:
        return False, type(exc).__name__


@never_cache
def healthz(request):
    """The process is up."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """The process can serve: its database and its broker answer."""
    db_ok, db = check_database()
    broker_ok, broker = check_broker()
    ok = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "database": {"ok": db_ok, "detail": db}, "broker": {"ok": broker_ok, "detail": broker}},
        status=200 if ok else 503,
    )
