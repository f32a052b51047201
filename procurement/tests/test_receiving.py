"""Receiving by two people puts the goods into the asset register (numbered, in their room) and
the store room (through the ledger) — once; reimbursement records the invoice."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.choices import MoveKind, StockSource
from assets.models import Asset, StockMove, StoreItem
from assets.tests.factories import StoreItemFactory, category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from procurement import services
from procurement.choices import EventKind, ItemKind, PurchaseStatus
from procurement.models import PurchaseEvent
from procurement.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%invoice\n"


@pytest.fixture(autouse=True)
def categories(db):
    category()  # the national table (a transactional test elsewhere may have flushed it)


def ordered(school, staff, director, items):
    p = services.create_purchase(school=school, by=staff, title="教室设备", reason="新班", items=items,
                                 budget_line=BudgetLineFactory(school=school))
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director)
    services.order_purchase(p, by=staff)
    return p


def people(make_member):
    return [make_member(r) for r in (Role.LOGISTICS_STAFF, Role.LOGISTICS_STAFF, Role.LOGISTICS_DIRECTOR)]


def test_receiving_creates_numbered_assets_in_the_room_and_stock_through_the_ledger_once(school, make_member):
    staff, staff2, director = people(make_member)
    room = RoomFactory(school=school, name="多媒体教室")
    chalk = StoreItemFactory(school=school, name="无尘粉笔", unit="盒")
    p = ordered(school, staff, director, [
        {"name": "台式计算机", "quantity": Decimal("3"), "unit": "台", "unit_price": Decimal("250"),
         "kind": ItemKind.FIXED_ASSET, "asset_category_code": "A02010105", "room": room},
        {"name": "无尘粉笔", "quantity": Decimal("40"), "unit": "盒", "unit_price": Decimal("2.5"),
         "kind": ItemKind.CONSUMABLE, "store_item": chalk},
        {"name": "安装调试", "quantity": Decimal("1"), "unit": "次", "unit_price": Decimal("50"),
         "kind": ItemKind.SERVICE},
    ])
    pc, chalk_line, service = p.items.order_by("pk")
    services.record_receipt(p, by=staff, quantities={pc.pk: 3, chalk_line.pk: 30, service.pk: 1})
    assert Asset.objects.count() == 0  # nothing enters before the second signature
    services.countersign_receipt(p, by=staff2)

    assets = list(Asset.objects.filter(school=school).order_by("number"))
    year = dt.date.today().year
    assert [a.number for a in assets] == [f"SY{year}{n:05d}" for n in (1, 2, 3)]
    assert {a.room_id for a in assets} == {room.pk} and {a.name for a in assets} == {"台式计算机"}
    assert all(a.purchase_id == p.pk and a.unit_price == Decimal("250.00") for a in assets)
    pc.refresh_from_db()
    assert set(pc.assets.values_list("pk", flat=True)) == {a.pk for a in assets}
    chalk.refresh_from_db()
    assert chalk.stock == Decimal("30")
    move = StockMove.objects.get(item=chalk)
    assert (move.kind, move.quantity, move.source, move.purchase_id) == (MoveKind.RECEIPT, Decimal("30"),
                                                                        StockSource.PURCHASE, p.pk)
    assert sum(m.signed_quantity for m in StockMove.objects.filter(item=chalk)) == chalk.stock
    assert PurchaseEvent.objects.filter(purchase=p, kind=EventKind.GOODS_ENTERED).count() == 1

    # Entering again (a retry, a second worker) and countersigning again change nothing.
    assert services.enter_goods(p, signers=[staff2, staff]) == []
    with pytest.raises(ValidationError):
        services.countersign_receipt(p, by=director)
    chalk.refresh_from_db()
    assert Asset.objects.count() == 3 and chalk.stock == Decimal("30") and StockMove.objects.count() == 1


def test_a_consumable_without_a_store_item_gets_one_named_after_the_line(school, make_member):
    staff, staff2, director = people(make_member)
    p = ordered(school, staff, director, [{"name": "拖把", "spec": "棉线", "quantity": Decimal("12"), "unit": "把",
                                           "unit_price": Decimal("18")}])
    line = p.items.get()
    services.record_receipt(p, by=staff, quantities={line.pk: 12})
    services.countersign_receipt(p, by=staff2)
    item = StoreItem.objects.get(school=school, name="拖把", spec="棉线")
    assert item.stock == Decimal("12") and item.unit == "把"
    line.refresh_from_db()
    assert line.store_item_id == item.pk and line.stock_move.item_id == item.pk


def test_what_a_line_becomes_can_be_chosen_at_receiving_and_is_checked(school, other_school, make_member):
    staff, staff2, director = people(make_member)
    p = ordered(school, staff, director, [{"name": "文件柜", "quantity": Decimal("2"), "unit": "个",
                                           "unit_price": Decimal("400")}])
    line = p.items.get()
    asset = {"kind": ItemKind.FIXED_ASSET, "asset_category_code": "A05010502"}
    with pytest.raises(ValidationError, match="room"):
        services.record_receipt(p, by=staff, quantities={line.pk: 2}, goods={line.pk: asset})
    with pytest.raises(ValidationError, match="another school"):
        services.record_receipt(p, by=staff, quantities={line.pk: 2},
                                goods={line.pk: {**asset, "room": RoomFactory(school=other_school)}})
    with pytest.raises(ValidationError, match="NOPE"):
        services.record_receipt(p, by=staff, quantities={line.pk: 2},
                                goods={line.pk: {**asset, "asset_category_code": "NOPE", "room": RoomFactory(school=school)}})
    with pytest.raises(ValidationError, match="whole units"):
        services.record_receipt(p, by=staff, quantities={line.pk: Decimal("1.5")},
                                goods={line.pk: {**asset, "room": RoomFactory(school=school)}})
    room = RoomFactory(school=school)
    services.record_receipt(p, by=staff, quantities={line.pk: 1}, goods={line.pk: {**asset, "room": room}})
    services.countersign_receipt(p, by=staff2)
    assert list(Asset.objects.values_list("room_id", "category__code")) == [(room.pk, "A05010502")]
    line.refresh_from_db()
    assert (line.kind, line.received_quantity, line.entered_quantity) == (ItemKind.FIXED_ASSET, 1, 1)


def test_goods_need_a_logistics_office_signer(school, make_member):
    """The accountant and the canteen manager may receive, but the register and the store room
    are the office's: one of the two signers must hold that capability."""
    staff, _staff2, director = people(make_member)
    acc, canteen = make_member(Role.ACCOUNTANT), make_member(Role.CANTEEN_MANAGER)
    p = ordered(school, staff, director, [{"name": "餐盘", "quantity": Decimal("10"), "unit": "个",
                                           "unit_price": Decimal("9")}])
    line = p.items.get()
    services.record_receipt(p, by=canteen, quantities={line.pk: 10})
    with pytest.raises(ValidationError, match="logistics office"):
        services.countersign_receipt(p, by=acc)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.ORDERED and not StoreItem.objects.exists()
    services.countersign_receipt(p, by=staff)  # staff can: the goods are entered in staff's name
    assert StockMove.objects.get().by == staff


def test_receiving_form_through_the_view_keeps_input_on_error(school, login_as, make_member):
    staff = login_as(Role.LOGISTICS_STAFF)
    director = make_member(Role.LOGISTICS_DIRECTOR)
    room = RoomFactory(school=school, name="物理实验室")
    p = ordered(school, staff.user, director, [{"name": "示波器", "quantity": Decimal("2"), "unit": "台",
                                                "unit_price": Decimal("450")}])
    line = p.items.get()
    url = reverse("procurement:purchase_receive", args=[p.pk])
    data = {f"qty_{line.pk}": "2", f"kind_{line.pk}": ItemKind.FIXED_ASSET, f"cat_{line.pk}": "A0201XXXX",
            f"room_{line.pk}": str(room.pk), f"store_{line.pk}": "", "note": "外包装完好"}
    page = staff.post(url, data, follow=True)
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    html = page.content.decode()
    assert 'value="A0201XXXX"' in html and 'value="外包装完好"' in html
    assert f'<option value="{room.pk}" selected>' in html
    staff.post(url, {**data, f"cat_{line.pk}": "A02010105"})
    other = login_as(Role.LOGISTICS_DIRECTOR)
    other.post(reverse("procurement:purchase_countersign", args=[p.pk]))
    assert Asset.objects.filter(room=room, category__code="A02010105").count() == 2
    page = other.get(p.get_absolute_url()).content.decode()
    for a in Asset.objects.all():
        assert reverse("assets:asset_detail", args=[a.pk]) in page


def test_reimbursement_records_the_invoice_file_and_checks_it(school, make_member):
    staff, staff2, director = people(make_member)
    acc = make_member(Role.ACCOUNTANT)
    p = ordered(school, staff, director, [{"name": "扫帚", "quantity": Decimal("5"), "unit": "把",
                                           "unit_price": Decimal("15"), "kind": ItemKind.SERVICE}])
    services.record_receipt(p, by=staff, quantities={p.items.get().pk: 5})
    services.countersign_receipt(p, by=staff2)
    args = {"invoice_number": "No.1", "invoice_amount": Decimal("75"), "paid_on": dt.date.today()}
    with pytest.raises(ValidationError, match="Attach the invoice"):
        services.reimburse_purchase(p, by=acc, invoice_file=None, **args)
    with pytest.raises(ValidationError, match="content decides"):
        services.reimburse_purchase(p, by=acc, invoice_file=SimpleUploadedFile("x.pdf", b"hello"), **args)
    with pytest.raises(ValidationError, match="future"):
        services.reimburse_purchase(p, by=acc, invoice_file=SimpleUploadedFile("x.pdf", PDF),
                                    **{**args, "paid_on": dt.date.today() + dt.timedelta(days=3)})
    services.reimburse_purchase(p, by=acc, invoice_file=SimpleUploadedFile("x.pdf", PDF), **args)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.REIMBURSED and p.invoice_file.name.startswith(f"school_{school.pk}/")
    assert p.invoice_file.read() == PDF


def test_the_purchase_page_shows_a_recorded_receipt_waiting_for_its_second_signature(school, make_member):
    """Recorded while still "ordered": the page names who recorded it and offers the countersignature
    to another person; after it, the page shows both signers."""
    from django.test import Client

    staff, staff2, director = people(make_member)
    p = ordered(school, staff, director, [{"name": "扫帚", "quantity": Decimal("2"), "unit": "把", "unit_price": Decimal("15"),
                                           "kind": ItemKind.SERVICE}])
    services.record_receipt(p, by=staff, quantities={p.items.get().pk: 2})
    p.refresh_from_db()
    assert p.status == PurchaseStatus.ORDERED
    other = Client()
    other.force_login(staff2)
    page = other.get(p.get_absolute_url()).content.decode()
    assert f'action="{reverse("procurement:purchase_countersign", args=[p.pk])}"' in page and str(staff) in page
    assert other.post(reverse("procurement:purchase_countersign", args=[p.pk]), {"note": ""}).status_code == 302
    p.refresh_from_db()
    assert p.status == PurchaseStatus.RECEIVED
    page = other.get(p.get_absolute_url()).content.decode()
    assert str(staff) in page and str(staff2) in page and "purchase_countersign" not in page and "/countersign/" not in page


def test_the_receiving_form_hides_the_fields_a_line_does_not_need_before_any_script_runs(school, login_as, make_member):
    """The server writes each line's box hidden or shown by what the line becomes, so a phone sees the
    right fields at once (the script only follows later changes of the choice)."""
    import re

    staff = login_as(Role.LOGISTICS_STAFF)
    director = make_member(Role.LOGISTICS_DIRECTOR)
    p = ordered(school, staff.user, director, [
        {"name": "示波器", "quantity": Decimal("2"), "unit": "台", "unit_price": Decimal("400"), "kind": ItemKind.FIXED_ASSET},
        {"name": "粉笔", "quantity": Decimal("20"), "unit": "盒", "unit_price": Decimal("4"), "kind": ItemKind.CONSUMABLE},
        {"name": "搬运", "quantity": Decimal("1"), "unit": "次", "unit_price": Decimal("50"), "kind": ItemKind.SERVICE}])
    scope, chalk, carry = p.items.order_by("pk")
    html = staff.get(p.get_absolute_url()).content.decode()
    boxes = dict(((int(pk), kind), bool(hidden)) for pk, kind, hidden in
                 re.findall(r'<div data-goods-for="(\d+)" data-kind="(\w+)"( hidden)?>', html))
    assert boxes == {(scope.pk, "fixed_asset"): False, (scope.pk, "consumable"): True,
                     (chalk.pk, "fixed_asset"): True, (chalk.pk, "consumable"): False,
                     (carry.pk, "fixed_asset"): True, (carry.pk, "consumable"): True}
