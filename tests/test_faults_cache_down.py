"""Cache and broker unreachable, in-process (issue 10, faults): every path that touches Redis.

``tests/test_faults_redis.py`` stops a real Redis under a running site; this one points the
cache (Django's Redis backend, as in production) and the Celery broker at a port where nothing
listens, and drives the pages and steps that use them directly: the principal's dashboard (its
figures are cached), a purchase's page (its record is a cached fragment), a purchase submission and a decision (they drop the cached figures after
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
from tests.processes import free_port, point_app_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    from logistics.celery import app

    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "logistics.cache.ResilientRedisCache", "LOCATION": dead,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    old = point_app_at(app, broker_url=dead, task_always_eager=False)
    from logistics import services

    services._broker_down_until = 0.0
    yield dead
    point_app_at(app, **old)
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
    assert client.get(reverse("procurement:purchase_detail", args=[purchase.pk])).status_code == 200  # cached fragment
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


def test_the_cache_backend_turns_an_outage_into_misses(redis_down):
    from django.core.cache import cache

    assert cache.get("k", "fallback") == "fallback" and cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1, None) is None and cache.add("k", 1) is False and cache.delete("k") is False
    assert cache.has_key("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")  # as for a missing key: callers fall back to set()


@pytest.mark.services
def test_the_cache_backend_is_a_normal_cache_when_redis_answers(redis_url, settings):
    settings.CACHES = {"default": {"BACKEND": "logistics.cache.ResilientRedisCache", "LOCATION": redis_url, "KEY_PREFIX": "faults-test"}}
    from django.core.cache import cache

    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    cache.set("forever", 1, None)
    assert cache.get("forever") == 1
    assert cache.incr("forever") == 2
    cache.delete_many(["k", "forever"])
    assert cache.get("k") is None
