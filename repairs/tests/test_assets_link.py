"""The links to the assets app: the asset on a ticket, materials from the store room, damage records,
and assets repaired three or more times in a year."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assets import services as asset_services
from assets.models import DamageRecord, StockMove, StoreItem
from assets.tests.factories import category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from repairs import services
from repairs.models import Repair
from repairs.selectors import asset_repair_counts
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db
CATEGORY = "A02010100"


@pytest.fixture(autouse=True)
def categories(db):
    category(CATEGORY)  # the national table, reloaded if a transactional test flushed it


@pytest.fixture
def staff(make_member):
    return make_member(Role.LOGISTICS_STAFF)


@pytest.fixture
def asset(school, staff):
    return asset_services.register_asset(school=school, name="投影仪", category_code=CATEGORY, unit_price="3000", by=staff, room=RoomFactory(school=school))


def test_report_with_an_asset_of_the_school_only(school, other_school, make_member, asset, staff):
    teacher = make_member(Role.TEACHER)
    repair = services.create_repair(school=school, reporter=teacher, room=asset.room, description="不亮", asset=asset)
    assert repair.asset == asset
    foreign = asset_services.register_asset(school=other_school, name="电脑", category_code=CATEGORY, unit_price="100", by=make_member(Role.LOGISTICS_STAFF, other_school))
    with pytest.raises(ValidationError):
        services.create_repair(school=school, reporter=teacher, room=asset.room, description="x", asset=foreign)


def test_material_from_the_store_room_decreases_stock_and_adds_cost(school, make_member, staff):
    repairer = make_member(Role.REPAIRER)
    item = StoreItem.objects.create(school=school, name="灯管", unit="根", unit_price=Decimal("12.50"))
    asset_services.receive_stock(item, quantity=10, by=staff)
    repair = RepairFactory(school=school, status="dispatched", assignee=repairer, owner=staff)
    services.use_material(repair, item=item, quantity=3, by=repairer)
    item.refresh_from_db()
    repair.refresh_from_db()
    assert item.stock == Decimal("7")
    assert repair.material_cost == Decimal("37.50")
    move = StockMove.objects.get(repair_id=repair.pk)
    assert repair.materials.get().stock_move_id == move.pk
    with pytest.raises(ValidationError):
        services.use_material(repair, item=item, quantity=8, by=repairer)
    with pytest.raises(ValidationError):  # not the assigned repairer
        services.use_material(repair, item=item, quantity=1, by=staff)
    item.refresh_from_db()
    assert item.stock == Decimal("7")


def test_deliberate_damage_on_a_ticket_opens_the_compensation_record(school, make_member, asset, staff):
    pupil_parent = make_member(Role.TEACHER)
    repair = RepairFactory(school=school, asset=asset, room=asset.room)
    services.record_cause(repair, cause="deliberate", by=staff, liable_person=pupil_parent, note="踢坏")
    record = DamageRecord.objects.get()
    assert (record.asset, record.cause, record.liable_person, record.repair_id) == (asset, "deliberate", pupil_parent, repair.pk)
    assert record.discipline_referral
    # the ticket links to the record (on the asset's card) for those who may see assets
    from django.test import Client

    office = Client()
    office.force_login(staff)
    assert asset.get_absolute_url() in office.get(repair.get_absolute_url()).content.decode()


def test_natural_cause_makes_no_compensation_record(school, asset, staff):
    repair = RepairFactory(school=school, asset=asset, room=asset.room)
    services.record_cause(repair, cause="natural", by=staff)
    assert not DamageRecord.objects.exists()


def test_asset_repaired_three_times_in_a_year_is_flagged(school, login_as, asset):
    now = timezone.now()
    for days in (10, 100, 200):
        RepairFactory(school=school, asset=asset, room=asset.room, created_at=now - dt.timedelta(days=days))
    flagged = {row["asset"]: row["n"] for row in asset_repair_counts(school, now - dt.timedelta(days=365))}
    assert flagged == {asset.pk: 3}
    RepairFactory(school=school, asset=asset, room=asset.room, created_at=now - dt.timedelta(days=400))
    staff = login_as(Role.LOGISTICS_STAFF)
    page = staff.get(reverse("repairs:asset_history", args=[asset.pk]))
    assert page.status_code == 200 and page.context["flagged"] and page.context["repairs_last_year"] == 3
    ticket = Repair.objects.filter(asset=asset).first()
    assert staff.get(ticket.get_absolute_url()).context["asset_repairs_last_year"] == 3


def test_material_and_cause_through_the_ticket_page(school, login_as, make_member, asset, staff):
    repairer = login_as(Role.REPAIRER)
    office = login_as(Role.LOGISTICS_STAFF)
    item = StoreItem.objects.create(school=school, name="螺丝", unit="个", unit_price=Decimal("0.50"))
    asset_services.receive_stock(item, quantity=100, by=staff)
    repair = RepairFactory(school=school, status="dispatched", assignee=repairer.user, owner=office.user, asset=asset, room=asset.room)
    page = repairer.get(repair.get_absolute_url())
    assert "material" in page.context["forms"]
    repairer.post(reverse("repairs:repair_material", args=[repair.pk]), {"item": item.pk, "quantity": "4"})
    response = repairer.post(reverse("repairs:repair_material", args=[repair.pk]), {"item": item.pk, "quantity": "500"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    item.refresh_from_db()
    assert item.stock == Decimal("96")
    page = repairer.get(repair.get_absolute_url()).content.decode()
    assert "螺丝 × 4" in page  # the materials drawn, on the ticket
    liable = make_member(Role.TEACHER)
    assert repairer.post(reverse("repairs:repair_cause", args=[repair.pk]), {"cause": "deliberate", "liable_person": liable.pk}).status_code == 403
    office.post(reverse("repairs:repair_cause", args=[repair.pk]), {"cause": "deliberate", "liable_person": liable.pk, "note": ""})
    assert DamageRecord.objects.get().liable_person == liable
