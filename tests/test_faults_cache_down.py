"""Cache and broker unreachable, in-process (issue 10, faults): every path that touches Redis.

``tests/test_faults_redis.py`` stops a real Redis under a running site; this one points the
cache (Django's Redis backend, as in production) and the Celery broker at a port where nothing
listens, and drives the pages and steps that use them directly: the principal's dashboard (its
figures are cached), a purchase submission and a decision (they drop the cached figures after
commit), a disclosure the accountant asks for (queued for a worker) and the home page (cached
cards). None may fail, and the disclosure must still be made.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from logistics.roles import Role
from logistics.tests.factories import member
from tests.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    from logistics.celery import app

    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = dead, False
    from logistics import services

    services._broker_down_until = 0.0
    yield dead
    app.conf.broker_url, app.conf.task_always_eager = old
    services._broker_down_until = 0.0


def test_pages_and_procurement_steps_work_with_cache_and_broker_down(client, school, redis_down):
    from procurement.models import Disclosure, PurchaseRequest
    from procurement.tests.factories import PurchaseItemFactory, PurchaseRequestFactory

    staff = member(Role.LOGISTICS_STAFF, school)
    director = member(Role.LOGISTICS_DIRECTOR, school)
    accountant = member(Role.ACCOUNTANT, school)
    principal = member(Role.PRINCIPAL, school)
    purchase = PurchaseRequestFactory(school=school, requester=staff)
    PurchaseItemFactory(purchase=purchase, quantity=Decimal("2"), unit_price=Decimal("30"))

    client.force_login(principal)
    assert client.get(reverse("procurement:dashboard")).status_code == 200
    assert client.get("/").status_code == 200

    client.force_login(staff)
    response = client.post(reverse("procurement:purchase_submit", args=[purchase.pk]))
    assert response.status_code == 302
    assert PurchaseRequest.objects.get(pk=purchase.pk).status == "submitted"

    client.force_login(director)
    response = client.post(reverse("procurement:purchase_approve", args=[purchase.pk]), {"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    assert PurchaseRequest.objects.get(pk=purchase.pk).status == "approved"

    client.force_login(accountant)
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1))
    response = client.post(reverse("procurement:disclosure_generate"), {"year": last_month.year, "month": last_month.month})
    assert response.status_code == 302
    # nothing is lost: with no broker the report is made at once instead of by a worker
    assert Disclosure.objects.filter(school=school, year=last_month.year, month=last_month.month).exists()
