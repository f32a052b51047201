"""Every assets list and card costs a fixed number of queries: measured at two data sizes."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.choices import AssetStatus
from assets.models import DamageRecord, Loan, StockMove
from assets.tests.factories import AssetFactory, StoreItemFactory, category
from logistics.roles import Role
from logistics.tests.factories import DepartmentFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    category()


def queries(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, the category table)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def grow(school, staff, teacher, n):
    """n more of everything the lists show, spread over new rooms, people and departments."""
    dept = DepartmentFactory(school=school)
    for i in range(n):
        room = RoomFactory(school=school)
        asset = AssetFactory(school=school, room=room, custodian=teacher if i % 2 else staff, department=dept,
                             status=AssetStatus.IDLE if i % 3 == 0 else AssetStatus.IN_USE)
        DamageRecord.objects.create(asset=asset, cause="accidental", liable_person=teacher, value_basis=Decimal("10"),
                                    proposed_amount=Decimal("10"), amount=Decimal("10"), by=staff)
        Loan.objects.create(asset=asset, borrower=teacher, lent_by=staff,
                            due_date=timezone.localdate() - datetime.timedelta(days=i % 3))
        item = StoreItemFactory(school=school, low_stock_threshold=Decimal("50"))
        services.receive_stock(item, quantity=10, by=staff)
        services.issue_stock(item, quantity=1, by=staff, department=dept)
        services.request_requisition(item, quantity=1, reason=f"第{i}次", by=teacher)
        services.request_writeoff(AssetFactory(school=school, room=room), reason="旧", by=staff)
    services.start_stocktake(school, name=f"盘点{n}", by=staff)


def test_register_pages_do_not_grow_with_rows(login_as, school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    staff, teacher = client.user, make_member(Role.TEACHER)
    grow(school, staff, teacher, 2)
    first = AssetFactory(school=school, room=RoomFactory(school=school), custodian=staff)
    DamageRecord.objects.create(asset=first, cause="natural", value_basis=Decimal("1"), proposed_amount=0, amount=0, by=staff)
    Loan.objects.create(asset=first, borrower=teacher, lent_by=staff, due_date=timezone.localdate())
    urls = lambda: [  # noqa: E731
        reverse("assets:asset_list"), reverse("assets:asset_list") + "?status=idle&name=台式",
        reverse("assets:asset_list") + f"?room={first.room_id}&custodian={staff.pk}",
        reverse("assets:asset_detail", args=[first.pk]),
        reverse("assets:asset_holdings"), reverse("assets:asset_holdings") + "?by=person",
        reverse("assets:writeoff_list"),
    ]
    small = {url: queries(client, url) for url in urls()}
    grow(school, staff, teacher, 60)  # more than a page of everything
    AssetFactory.create_batch(3, school=school, room=first.room, custodian=staff)
    for _ in range(5):  # a card with many damage records and a long history
        DamageRecord.objects.create(asset=first, cause="natural", value_basis=Decimal("1"), proposed_amount=0, amount=0, by=staff)
        services.update_asset(first, by=staff, note=f"改{_}")
    big = {url: queries(client, url) for url in urls()}
    assert big == small
    deep = reverse("assets:asset_list") + "?page=2"
    assert queries(client, deep) == small[reverse("assets:asset_list")]
    assert max(small.values()) <= 12


def test_store_loan_stocktake_and_requisition_pages_do_not_grow(login_as, school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    staff, teacher = client.user, make_member(Role.TEACHER)
    grow(school, staff, teacher, 2)
    item = StoreItemFactory(school=school)
    services.receive_stock(item, quantity=100, by=staff)
    stocktake = services.start_stocktake(school, name="期中", by=staff)
    urls = [
        reverse("assets:storeitem_list"), reverse("assets:storeitem_list") + "?low=1", reverse("assets:storeitem_detail", args=[item.pk]),
        reverse("assets:loan_list"), reverse("assets:loan_list") + "?overdue=1", reverse("assets:requisition_list"),
        reverse("assets:stocktake_list"), reverse("assets:stocktake_detail", args=[stocktake.pk]),
        reverse("assets:stocktake_detail", args=[stocktake.pk]) + "?result=problems",
    ]
    small = {url: queries(client, url) for url in urls}
    grow(school, staff, teacher, 60)
    for _ in range(60):
        services.issue_stock(item, quantity=1, by=staff)
    AssetFactory.create_batch(60, school=school)
    stocktake.delete()
    stocktake = services.start_stocktake(school, name="期中", by=staff)
    urls[-2:] = [reverse("assets:stocktake_detail", args=[stocktake.pk]),
                 reverse("assets:stocktake_detail", args=[stocktake.pk]) + "?result=problems"]
    big = dict(zip(small, (queries(client, url) for url in urls), strict=True))
    assert big == small
    assert StockMove.objects.filter(item=item).count() == 61
    teacher_client = login_as(Role.TEACHER)
    mine = [reverse("assets:loan_mine"), reverse("assets:requisition_list")]
    grow(school, staff, teacher_client.user, 1)
    before = [queries(teacher_client, u) for u in mine]
    grow(school, staff, teacher_client.user, 5)
    assert [queries(teacher_client, u) for u in mine] == before
