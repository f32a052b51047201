"""Store room: items, receipts and issues through the pages, requisitions (member asks, office issues)."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services
from assets.choices import MoveKind, RequisitionStatus
from assets.models import Requisition, StockMove, StoreItem
from assets.tests.factories import StoreItemFactory
from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_office_creates_receives_and_issues_through_pages(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    client.post(reverse("assets:storeitem_create"), {"name": "A4纸", "unit": "包", "unit_price": "25", "low_stock_threshold": "10"})
    item = StoreItem.objects.get(name="A4纸")
    dept = DepartmentFactory(school=school)
    client.post(reverse("assets:storeitem_receive", args=[item.pk]), {"quantity": "50", "source": "purchase"})
    client.post(reverse("assets:storeitem_issue", args=[item.pk]), {"quantity": "20", "department": dept.pk})
    response = client.post(reverse("assets:storeitem_issue", args=[item.pk]), {"quantity": "31"}, follow=True)
    assert "库存不足" in response.content.decode()
    item.refresh_from_db()
    assert item.stock == Decimal("30")
    assert list(StockMove.objects.filter(item=item).values_list("kind", flat=True)) == [MoveKind.ISSUE, MoveKind.RECEIPT]


def test_store_pages_permissions(login_as, school, other_school):
    item = StoreItemFactory(school=school)
    teacher = login_as(Role.TEACHER)
    assert teacher.post(reverse("assets:storeitem_receive", args=[item.pk]), {"quantity": "5", "source": "manual"}).status_code == 403
    assert teacher.get(reverse("assets:storeitem_create")).status_code == 403
    staff = login_as(Role.LOGISTICS_STAFF)
    other = StoreItemFactory(school=other_school)
    assert staff.post(reverse("assets:storeitem_issue", args=[other.pk]), {"quantity": "1"}).status_code == 404
    assert staff.get(reverse("assets:storeitem_issue", args=[item.pk])).status_code == 405  # POST only


def test_requisition_flow_member_asks_office_issues(school, make_member):
    staff, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER)
    item = StoreItemFactory(school=school, low_stock_threshold=0)
    services.receive_stock(item, quantity=10, by=staff)
    req = services.request_requisition(item, quantity=3, reason="期末考试", by=teacher)
    assert Notification.objects.filter(recipient=staff).count() == 1
    with pytest.raises(PermissionDenied):
        services.issue_requisition(req, by=teacher)
    services.issue_requisition(req, by=staff)
    req.refresh_from_db()
    item.refresh_from_db()
    assert req.status == RequisitionStatus.ISSUED and req.stock_move.quantity == 3 and item.stock == 7
    assert Notification.objects.filter(recipient=teacher).count() == 1
    with pytest.raises(ValidationError):  # issued once only
        services.issue_requisition(Requisition.objects.get(pk=req.pk), by=staff)
    item.refresh_from_db()
    assert item.stock == 7


def test_requisition_beyond_stock_is_refused_and_stays_waiting(school, make_member):
    staff, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER)
    item = StoreItemFactory(school=school)
    req = services.request_requisition(item, quantity=3, reason="实验课", by=teacher)
    with pytest.raises(ValidationError):
        services.issue_requisition(req, by=staff)
    req.refresh_from_db()
    assert req.status == RequisitionStatus.PENDING
    with pytest.raises(ValidationError):
        services.refuse_requisition(req, by=staff, reason=" ")
    services.refuse_requisition(req, by=staff, reason="库存不足，下周采购")
    req.refresh_from_db()
    assert req.status == RequisitionStatus.REFUSED


def test_requisition_pages_members_see_their_own_fixed_queries(login_as, school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school)
    teacher = login_as(Role.TEACHER)
    response = teacher.post(reverse("assets:requisition_create"), {"item": item.pk, "quantity": "2", "reason": "美术课"})
    assert response.status_code == 302
    services.request_requisition(item, quantity=1, reason="别人的", by=make_member(Role.TEACHER))
    response = teacher.get(reverse("assets:requisition_list"))
    assert [r.reason for r in response.context["object_list"]] == ["美术课"]
    office = login_as(Role.LOGISTICS_STAFF)
    url = reverse("assets:requisition_list")
    office.get(url)
    with CaptureQueriesContext(connection) as small:
        office.get(url)
    for i in range(20):
        services.request_requisition(item, quantity=1, reason=f"第{i}次", by=make_member(Role.TEACHER))
    with CaptureQueriesContext(connection) as big:
        assert office.get(url).context["paginator"].count == 22
    assert len(big.captured_queries) == len(small.captured_queries)
    response = office.post(reverse("assets:requisition_refuse", args=[Requisition.objects.first().pk]), {"reason": "不批"})
    assert response.status_code == 302
    _ = staff


def test_stock_is_reconciled_with_the_ledger(login_as, school):
    from assets import selectors

    client = login_as(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school)
    services.receive_stock(item, quantity=12, by=client.user)
    services.issue_stock(item, quantity=5, by=client.user)
    assert selectors.ledger_balance(item) == Decimal("7") and selectors.ledger_mismatches(school) == []
    page = client.get(reverse("assets:storeitem_detail", args=[item.pk])).content.decode()
    assert "库存与台账一致" in page
    StoreItem.objects.filter(pk=item.pk).update(stock=Decimal("9"))  # changed behind the ledger's back
    assert selectors.ledger_mismatches(school) == [(StoreItem.objects.get(pk=item.pk), Decimal("7"))]
    assert "台账（入库−出库）为 7" in client.get(reverse("assets:storeitem_detail", args=[item.pk])).content.decode()


def test_the_ledger_rows_show_each_line_and_page_newest_first(login_as, school, settings):
    """The item's page: one grouped query gives the balance and the number of lines; each row shows
    when, the kind with its department / repair / purchase, the signed quantity, the balance, who and the note."""
    import re

    from assets import selectors
    from assets.paging import PAGE

    client = login_as(Role.LOGISTICS_STAFF)
    client.user.full_name = "李库管"
    client.user.save()
    dept = DepartmentFactory(school=school, name="教务处")
    item = StoreItemFactory(school=school)
    services.receive_stock(item, quantity=Decimal("12.5"), by=client.user, note="开学 <补货>", purchase_id=77)
    services.issue_stock(item, quantity=5, by=client.user, department=dept)
    assert selectors.ledger_summary(item) == (Decimal("7.5"), 2)
    page = client.get(reverse("assets:storeitem_detail", args=[item.pk])).content.decode()
    rows = re.findall(r"<tr><td data-label=\"时间\">.*?</tr>", page)
    assert len(rows) == 2
    assert "出库 → 教务处" in rows[0] and ">-5<" in rows[0] and ">7.50<" in rows[0] and "李库管" in rows[0]
    assert "入库 · 请购单 #77" in rows[1] and ">12.50<" in rows[1] and "开学 &lt;补货&gt;" in rows[1]
    for _ in range(PAGE):
        services.receive_stock(item, quantity=1, by=client.user)
    assert selectors.ledger_summary(item) == (Decimal(7.5 + PAGE), PAGE + 2)
    second = client.get(reverse("assets:storeitem_detail", args=[item.pk]), {"page": 2})
    assert second.context["paginator"].num_pages == 2 and len(second.context["moves"]) == 2
    assert "开学 &lt;补货&gt;" in second.content.decode()  # the oldest line is on the last page
    assert client.get(reverse("assets:storeitem_detail", args=[item.pk]), {"page": 3}).status_code == 404
