"""Races that SQLite cannot prove: two people countersigning the same receipt, two workers running
the monthly sweep at the same moment."""
import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets.models import Asset, StockMove, StoreItem
from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from procurement import services
from procurement.choices import ItemKind
from procurement.models import Disclosure, PurchaseEvent
from procurement.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(fn, args_list):
    barrier = threading.Barrier(len(args_list))
    results = []

    def run(*args):
        try:
            barrier.wait(timeout=10)
            results.append(fn(*args))
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_countersignatures_at_once_enter_the_goods_once(postgres, school, make_member):
    staff, a, b = (make_member(Role.LOGISTICS_STAFF) for _ in range(3))
    director = make_member(Role.LOGISTICS_DIRECTOR)
    room = RoomFactory(school=school)
    p = services.create_purchase(school=school, by=staff, title="电脑", reason="r", budget_line=BudgetLineFactory(school=school),
                                 items=[{"name": "台式计算机", "quantity": Decimal("2"), "unit": "台", "unit_price": Decimal("300"),
                                         "kind": ItemKind.FIXED_ASSET, "asset_category_code": "A02010105", "room": room},
                                        {"name": "粉笔", "quantity": Decimal("10"), "unit": "盒", "unit_price": Decimal("5")}])
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director)
    services.order_purchase(p, by=staff)
    services.record_receipt(p, by=staff, quantities={i.pk: i.quantity for i in p.items.all()})

    def sign(user):
        from procurement.models import PurchaseRequest

        services.countersign_receipt(PurchaseRequest.objects.get(pk=p.pk), by=user)
        return "ok"

    assert sorted(at_once(sign, [(a,), (b,)])) == ["ok", "refused"]
    assert Asset.objects.filter(purchase_id=p.pk).count() == 2
    assert StoreItem.objects.get(name="粉笔").stock == Decimal("10") and StockMove.objects.count() == 1
    assert PurchaseEvent.objects.filter(purchase=p, kind="goods_entered").count() == 1


def test_two_workers_running_the_monthly_sweep_make_one_report_per_school(postgres, school, other_school):
    today = dt.date(2026, 11, 1)
    made = at_once(lambda: services.generate_missing_disclosures(today=today), [(), ()])
    assert sum(made) == 2
    assert sorted(Disclosure.objects.filter(year=2026, month=10).values_list("school_id", "version")) == [
        (school.pk, 1), (other_school.pk, 1)]
