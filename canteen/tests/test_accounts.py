import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canteen.choices import ReceivingStatus
from canteen.selectors import month_account
from canteen.services import accounts
from canteen.tests.factories import MonthAccountFactory, ReceivingFactory

pytestmark = pytest.mark.django_db


def _accepted(school, day, amount):
    return ReceivingFactory(school=school, received_on=day, amount=Decimal(amount), status=ReceivingStatus.ACCEPTED)


def test_month_account_computes_income_cost_profit_and_share(school):
    MonthAccountFactory(school=school, year=2026, month=10, students=500, days=20, price_per_day=Decimal("12.00"), other_cost=Decimal("8000"))
    _accepted(school, dt.date(2026, 10, 1), "60000.00")
    _accepted(school, dt.date(2026, 10, 31), "30000.00")
    _accepted(school, dt.date(2026, 11, 1), "999.00")  # next month
    ReceivingFactory(school=school, received_on=dt.date(2026, 10, 5), amount=Decimal("500"), status=ReceivingStatus.REJECTED)
    ReceivingFactory(school=school, received_on=dt.date(2026, 10, 5), amount=Decimal("700"))  # unsigned

    acc = month_account(school, 2026, 10)

    # income 500 × 20 × 12 = 120,000; food 90,000; other 8,000 → profit 22,000; share 75.0 %
    assert acc == {
        "income": Decimal("120000.00"),
        "food_cost": Decimal("90000.00"),
        "other_cost": Decimal("8000.00"),
        "profit": Decimal("22000.00"),
        "food_cost_share": Decimal("75.0"),
        "closed": False,
        "published": False,
    }


def test_month_account_entered_income_wins_and_loss_is_negative(school):
    MonthAccountFactory(school=school, year=2026, month=9, income_entered=Decimal("10000"), other_cost=Decimal("1000"))
    _accepted(school, dt.date(2026, 9, 10), "9500")
    acc = month_account(school, 2026, 9)
    assert acc["income"] == Decimal("10000.00")
    assert acc["profit"] == Decimal("-500.00")
    assert acc["food_cost_share"] == Decimal("95.0")


def test_month_account_none_for_unopened_month_and_other_school(school, other_school):
    MonthAccountFactory(school=other_school, year=2026, month=10)
    assert month_account(school, 2026, 10) is None


def test_closed_month_cannot_be_edited_and_keeps_its_food_cost(school, make_member):
    acct = make_member("accountant")
    account = accounts.open_month(school=school, year=2026, month=10, by=acct, students=100, days=20, price_per_day=Decimal("10"))
    _accepted(school, dt.date(2026, 10, 3), "1500")
    accounts.close_month(account, by=acct)

    with pytest.raises(ValidationError):
        accounts.update_month(account, by=acct, other_cost=Decimal("1"))
    with pytest.raises(ValidationError):
        accounts.close_month(account, by=acct)
    # a late receiving record does not change the closed figure
    _accepted(school, dt.date(2026, 10, 4), "700")
    acc = month_account(school, 2026, 10)
    assert acc["food_cost"] == Decimal("1500.00") and acc["closed"] is True
    account.refresh_from_db()
    assert account.other_cost == Decimal("0")


def test_stale_object_of_closed_month_is_refused(school, make_member):
    acct = make_member("accountant")
    account = accounts.open_month(school=school, year=2026, month=8, by=acct)
    stale = type(account).objects.get(pk=account.pk)
    accounts.close_month(account, by=acct)
    with pytest.raises(ValidationError):
        accounts.update_month(stale, by=acct, students=3)


def test_publish_needs_closed_month(school, make_member):
    acct = make_member("accountant")
    account = accounts.open_month(school=school, year=2026, month=7, by=acct)
    with pytest.raises(ValidationError):
        accounts.publish_month(account, by=acct)
    accounts.close_month(account, by=acct)
    accounts.publish_month(account, by=acct)
    assert month_account(school, 2026, 7)["published"] is True


def test_only_accountant_or_director_closes(school, make_member):
    manager = make_member("canteen_manager")
    account = accounts.open_month(school=school, year=2026, month=6, by=manager)
    with pytest.raises(PermissionDenied):
        accounts.close_month(account, by=manager)
    with pytest.raises(PermissionDenied):
        accounts.open_month(school=school, year=2026, month=5, by=make_member("parent"))


def test_refuse_if_month_closed(school, make_member):
    acct = make_member("accountant")
    account = accounts.open_month(school=school, year=2026, month=4, by=acct)
    accounts.refuse_if_month_closed(school, dt.date(2026, 4, 2))
    accounts.close_month(account, by=acct)
    with pytest.raises(ValidationError):
        accounts.refuse_if_month_closed(school, dt.date(2026, 4, 2))
