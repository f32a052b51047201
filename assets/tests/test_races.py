"""Races proven on PostgreSQL: two threads, each with its own connection."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets import services
from assets.choices import MoveKind
from assets.models import Asset, StockMove, StoreItem
from assets.tests.factories import StoreItemFactory, category
from logistics.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            call()
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def test_two_issues_for_the_last_units_only_one_wins(postgres, school, make_member):
    a, b = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school, low_stock_threshold=0)
    services.receive_stock(item, quantity=5, by=a)
    results = _race(
        lambda: services.issue_stock(StoreItem.objects.get(pk=item.pk), quantity=4, by=a),
        lambda: services.issue_stock(StoreItem.objects.get(pk=item.pk), quantity=4, by=b),
    )
    assert results == ["ok", "refused"]
    item.refresh_from_db()
    assert item.stock == Decimal("1")
    assert StockMove.objects.filter(item=item, kind=MoveKind.ISSUE).count() == 1


def test_concurrent_registrations_get_distinct_numbers(postgres, school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    category("A05040403")
    register = lambda: services.register_asset(  # noqa: E731
        school=school, name="课桌", category_code="A05040403", unit_price="300", by=staff
    )
    results = _race(register, register, register, register)
    assert results == ["ok"] * 4
    numbers = set(Asset.objects.filter(school=school).values_list("number", flat=True))
    assert len(numbers) == 4


def test_two_batches_at_once_get_distinct_consecutive_numbers(postgres, school, make_member):
    """Two receivings (or imports) registering several items at the same moment: each batch reserves its
    own block of numbers with one counter update."""
    a, b = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_STAFF)
    category("A02010105")
    batch = lambda who: services.register_assets(  # noqa: E731
        school=school, by=who, quantity=5, name="台式计算机", category_code="A02010105", unit_price="4580"
    )
    assert _race(lambda: batch(a), lambda: batch(b)) == ["ok", "ok"]
    numbers = sorted(Asset.objects.filter(school=school).values_list("number", flat=True))
    assert len(set(numbers)) == 10 and [int(n[-5:]) for n in numbers] == list(range(1, 11))
