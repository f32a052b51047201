"""The functions other apps call: register_asset, receive_stock, issue_stock, record_damage, store_items."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assets import selectors, services
from assets.categories import load_national_categories
from assets.choices import AssetClass, DamageCause, MoveKind
from assets.models import Asset, Category, StockMove, StoreItem
from assets.tests.factories import AssetFactory, StoreItemFactory, category
from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import DepartmentFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    """The national table (a transactional test elsewhere may have flushed the migration's rows)."""
    category()


def test_categories_loaded_with_key_category():
    rows = load_national_categories(Category)  # a second load changes nothing
    assert rows >= 40
    assert Category.objects.filter(school=None).count() == rows + 1  # + KEY
    assert Category.objects.get(school=None, code="KEY").name == "钥匙"
    assert Category.objects.get(school=None, code="A02100702").special_equipment


def test_register_asset_numbers_per_school_and_year(school, other_school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    other_staff = make_member(Role.LOGISTICS_STAFF, other_school)
    year = datetime.date.today().year
    a = services.register_asset(school=school, name="台式计算机", category_code="A02010105", unit_price="4500", by=staff)
    b = services.register_asset(school=school, name="打印机", category_code="A02021004", unit_price="1800", by=staff)
    c = services.register_asset(school=other_school, name="打印机", category_code="A02021004", unit_price="1800", by=other_staff)
    assert a.number == f"SY{year}00001"
    assert b.number == f"SY{year}00002"
    assert c.number == f"HX{year}00001"
    assert a.original_value == a.current_value == Decimal("4500.00")


def test_fixed_or_low_value_follows_school_thresholds(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    reg = lambda price, code="A02010105": services.register_asset(  # noqa: E731
        school=school, name="x", category_code=code, unit_price=price, by=staff
    )
    assert reg("1000").asset_class == AssetClass.FIXED
    assert reg("999.99").asset_class == AssetClass.LOW_VALUE
    # special equipment (a thermometer standard) needs ¥1,500
    assert reg("1200", "A02120201").asset_class == AssetClass.LOW_VALUE
    assert reg("1500", "A02120201").asset_class == AssetClass.FIXED
    services.update_settings(school, by=staff, fixed_threshold="2000", special_threshold="3000")
    assert reg("1500").asset_class == AssetClass.LOW_VALUE


def test_register_asset_refuses_bad_input_and_wrong_role(school, other_school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    teacher = make_member(Role.TEACHER)
    with pytest.raises(PermissionDenied):
        services.register_asset(school=school, name="x", category_code="A02010105", unit_price="1", by=teacher)
    with pytest.raises(ValidationError):
        services.register_asset(school=school, name="x", category_code="NOPE", unit_price="1", by=staff)
    with pytest.raises(ValidationError):
        services.register_asset(school=school, name="x", category_code="A02010105", unit_price="-1", by=staff)
    with pytest.raises(ValidationError):
        services.register_asset(
            school=school, name="x", category_code="A02010105", unit_price="1", by=staff, room=RoomFactory(school=other_school)
        )
    services.register_asset(school=school, name="x", category_code="A02010105", unit_price="1", by=staff, number="OLD-1")
    with pytest.raises(ValidationError):
        services.register_asset(school=school, name="y", category_code="A02010105", unit_price="1", by=staff, number="OLD-1")
    assert Asset.objects.count() == 1


def test_school_category_extends_national_table(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    Category.objects.create(school=school, code="X01", name="校本分类")
    asset = services.register_asset(school=school, name="x", category_code="X01", unit_price="10", by=staff)
    assert asset.category.school == school


def test_receive_then_issue_keeps_ledger_and_stock_equal(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school)
    dept = DepartmentFactory(school=school)
    services.receive_stock(item, quantity=10, by=staff, unit_price="13.00", source="purchase")
    move = services.issue_stock(item, quantity=4, by=staff, department=dept, note="教务处")
    item.refresh_from_db()
    assert item.stock == Decimal("6") and item.unit_price == Decimal("13.00")
    assert move.kind == MoveKind.ISSUE and move.balance_after == Decimal("6") and move.department == dept
    ledger = sum(m.signed_quantity for m in StockMove.objects.filter(item=item))
    assert ledger == item.stock


def test_stock_never_goes_negative(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school)
    services.receive_stock(item, quantity=3, by=staff)
    with pytest.raises(ValidationError):
        services.issue_stock(item, quantity=4, by=staff)
    with pytest.raises(ValidationError):
        services.issue_stock(item, quantity=0, by=staff)
    item.refresh_from_db()
    assert item.stock == 3
    assert StockMove.objects.filter(item=item, kind=MoveKind.ISSUE).count() == 0


def test_issue_needs_store_role_unless_for_a_repair(school, make_member):
    staff, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER)
    item = StoreItemFactory(school=school)
    services.receive_stock(item, quantity=3, by=staff)
    with pytest.raises(PermissionDenied):
        services.issue_stock(item, quantity=1, by=teacher)
    with pytest.raises(PermissionDenied):
        services.receive_stock(item, quantity=1, by=teacher)

    class FakeRepair:  # what repairs passes: an object with pk and school_id
        pk = 77
        school_id = school.pk

    move = services.issue_stock(item, quantity=1, by=make_member(Role.REPAIRER), repair=FakeRepair())
    assert move.repair_id == 77


def test_low_stock_notifies_once_per_item_per_day(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    item = StoreItemFactory(school=school, low_stock_threshold=5)
    services.receive_stock(item, quantity=10, by=staff)
    services.issue_stock(item, quantity=4, by=staff)
    assert Notification.objects.filter(recipient=staff).count() == 0
    services.issue_stock(item, quantity=1, by=staff)
    services.issue_stock(item, quantity=1, by=staff)
    assert Notification.objects.filter(recipient=staff).count() == 1


def test_store_items_selector_is_school_scoped(school, other_school):
    mine = StoreItemFactory(school=school)
    StoreItemFactory(school=other_school)
    StoreItemFactory(school=school, is_active=False)
    assert list(selectors.store_items(school)) == [mine]


@pytest.mark.parametrize(
    ("cause", "amount", "discipline"),
    [(DamageCause.NATURAL, "0.00", False), (DamageCause.ACCIDENTAL, "3000.00", False), (DamageCause.DELIBERATE, "6000.00", True)],
)
def test_record_damage_amount_by_the_rule(school, make_member, cause, amount, discipline):
    staff, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER)
    asset = AssetFactory(school=school, unit_price=Decimal("4500"), current_value=Decimal("3000"))
    record = services.record_damage(asset, cause=cause, liable_person=teacher, by=staff)
    assert record.value_basis == Decimal("3000.00")
    assert record.amount == record.proposed_amount == Decimal(amount)
    assert record.discipline_referral is discipline


def test_damage_needs_a_liable_person_and_amount_changes_need_a_reason(school, make_member):
    staff, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.TEACHER)
    asset = AssetFactory(school=school)
    with pytest.raises(ValidationError):
        services.record_damage(asset, cause=DamageCause.ACCIDENTAL, liable_person=None, by=staff)
    with pytest.raises(PermissionDenied):
        services.record_damage(asset, cause=DamageCause.ACCIDENTAL, liable_person=teacher, by=teacher)
    record = services.record_damage(asset, cause=DamageCause.ACCIDENTAL, liable_person=teacher, by=staff)
    with pytest.raises(ValidationError):
        services.change_damage_amount(record, amount="100", reason="  ", by=staff)
    record.refresh_from_db()
    assert record.amount == Decimal("4500.00")
    services.change_damage_amount(record, amount="100", reason="家庭困难，经校务会减免", by=staff)
    record.refresh_from_db()
    assert record.amount == Decimal("100.00") and record.proposed_amount == Decimal("4500.00")
    latest = record.history.first()
    assert latest.history_change_reason == "家庭困难，经校务会减免" and latest.history_user_id in (None, staff.pk)


def test_received_purchase_line_enters_the_register_one_card_per_unit(school, make_member):
    """What procurement's receiving passes: name, spec, quantity, unit, unit price, room, category,
    funding source and a reference to the purchase."""
    staff = make_member(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, custodian=staff)
    line = dict(name="台式计算机", spec="联想M720", unit="台", unit_price=Decimal("4580.00"), room=room, category_code="A02010105",
                funding_source="2026年教育装备专项", custodian=room.custodian, acquisition_date=datetime.date.today(),
                purchase_ref="请购单 #12 计算机教室更新", purchase_id=12)
    assets = services.register_assets(school=school, by=staff, quantity=3, **line)
    assert len(assets) == 3 and len({a.number for a in assets}) == 3
    year = datetime.date.today().year
    assert sorted(a.number for a in assets) == [f"SY{year}{n:05d}" for n in (1, 2, 3)]
    for a in Asset.objects.filter(purchase_id=12):
        assert (a.name, a.spec, a.unit, a.room, a.custodian, a.funding_source) == ("台式计算机", "联想M720", "台", room, staff, "2026年教育装备专项")
        assert a.unit_price == a.original_value == Decimal("4580.00") and a.asset_class == AssetClass.FIXED
        assert a.purchase_ref == "请购单 #12 计算机教室更新" and a.history.get().history_user == staff
    one = services.register_asset(school=school, by=staff, **line)
    assert one.number == f"SY{year}00004"
    with pytest.raises(ValidationError):
        services.register_assets(school=school, by=staff, quantity=Decimal("1.5"), **line)
    with pytest.raises(ValidationError):
        services.register_assets(school=school, by=staff, quantity=0, **line)
    with pytest.raises(PermissionDenied):
        services.register_assets(school=school, by=make_member(Role.ACCOUNTANT), quantity=2, **line)
    assert Asset.objects.count() == 4


def test_received_consumables_enter_the_store_room_with_the_purchase(school, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    item = services.store_item_for(school=school, name="A4复印纸", spec="70g 500张", unit="包", unit_price="24.50", by=staff)
    assert services.store_item_for(school=school, name="A4复印纸", spec="70g 500张", unit="包", by=staff) == item  # found again
    move = services.receive_stock(item, quantity=Decimal("40"), unit_price="23.80", by=staff, source="purchase",
                                  purchase_ref="请购单 #7", purchase_id=7, note="验收：李干事、刘主任")
    item.refresh_from_db()
    assert item.stock == Decimal("40.00") and item.unit_price == Decimal("23.80")
    assert (move.source, move.purchase_id, move.note) == ("purchase", 7, "请购单 #7 验收：李干事、刘主任")
    with pytest.raises(ValidationError):
        services.receive_stock(item, quantity="-1", by=staff)
    with pytest.raises(ValidationError):
        services.receive_stock(item, quantity="NaN", by=staff)
