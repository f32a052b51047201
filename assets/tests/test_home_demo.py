"""Home cards per role (fixed queries) and idempotent demo data."""
import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from assets import demo, home, services
from assets.models import Asset, Loan, StockMove, Stocktake, StoreItem
from assets.tests.factories import AssetFactory, StoreItemFactory, category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def titles(user, school):
    request = RequestFactory().get("/")
    request.user, request.school = user, school
    with translation.override("en"):
        return {str(c.title): c for c in home.cards(request)}


def test_cards_per_role(school, make_member, django_assert_max_num_queries):
    staff, director, teacher = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR), make_member(Role.TEACHER)
    StoreItemFactory(school=school, stock=1, low_stock_threshold=5)
    Loan.objects.create(asset=AssetFactory(school=school, category=category("KEY")), borrower=teacher, lent_by=staff,
                        due_date=timezone.localdate() - dt.timedelta(days=1))
    services.request_writeoff(AssetFactory(school=school), reason="坏了", by=staff)
    cards = titles(staff, school)
    assert cards["Low stock"].count == 1 and cards["Overdue loans"].count == 1 and "Open stocktakes" in cards
    assert "Write-offs waiting for you" not in cards
    assert titles(director, school)["Write-offs waiting for you"].count == 1
    mine = titles(teacher, school)
    assert set(mine) == {"My loans"} and mine["My loans"].items[0].badge_class == "danger"
    with django_assert_max_num_queries(12):
        titles(staff, school)


def test_demo_data_is_idempotent(school, make_member):
    users = {name: make_member(role) for name, role in {
        "teacher": Role.TEACHER, "teacher2": Role.TEACHER, "staff": Role.LOGISTICS_STAFF, "staff2": Role.LOGISTICS_STAFF,
        "director": Role.LOGISTICS_DIRECTOR,
    }.items()}
    RoomFactory.create_batch(3, school=school)
    demo.seed(school=school, users=users)
    counts = (Asset.objects.count(), StoreItem.objects.count(), StockMove.objects.count(), Loan.objects.count(), Stocktake.objects.count())
    assert counts[0] == 3 * demo.PER_ROOM + 3 and counts[3] == 1 and counts[4] == 1
    demo.seed(school=school, users=users)
    assert counts == (Asset.objects.count(), StoreItem.objects.count(), StockMove.objects.count(), Loan.objects.count(), Stocktake.objects.count())
    for item in StoreItem.objects.all():  # the ledger explains the stock
        assert sum(m.signed_quantity for m in item.moves.all()) == item.stock
    # new registrations continue after the demo numbers
    staff = users["staff"]
    assert services.next_asset_number(school, year=2025) == f"{school.code}2025{3 * demo.PER_ROOM + 1:05d}"
    _ = staff
