"""Reads of the canteen shared by views, home cards, tasks and other apps."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from canteen.choices import ReceivingStatus
from canteen.models import MonthAccount, Receiving

CENT = Decimal("0.01")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def food_cost(school, year: int, month: int) -> Decimal:
    """Sum of the accepted food receiving records of the month."""
    start, end = month_bounds(year, month)
    total = Receiving.objects.filter(
        school=school, status=ReceivingStatus.ACCEPTED, received_on__gte=start, received_on__lt=end
    ).aggregate(t=Sum("amount"))["t"]
    return (total or Decimal("0")).quantize(CENT)


def account_figures(account: MonthAccount, *, cost: Decimal | None = None) -> dict:
    """Income, costs, profit and food-cost share of a month account."""
    if account.income_entered is not None:
        income = account.income_entered
    else:
        income = Decimal(account.students) * Decimal(account.days) * account.price_per_day
    income = Decimal(income).quantize(CENT)
    if account.food_cost_closed is not None:
        cost = account.food_cost_closed
    elif cost is None:
        cost = food_cost(account.school_id and account.school, account.year, account.month)
    other = account.other_cost.quantize(CENT)
    profit = (income - cost - other).quantize(CENT)
    share = (cost * 100 / income).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if income else Decimal("0.0")
    return {
        "income": income,
        "food_cost": cost.quantize(CENT),
        "other_cost": other,
        "profit": profit,
        "food_cost_share": share,
        "closed": account.is_closed,
        "published": account.is_published,
    }


def month_account(school, year, month) -> dict | None:
    """Contract for other apps: the canteen account of one month, or None if none was opened.

    Keys: income, food_cost, other_cost, profit, food_cost_share (Decimal percent of income),
    closed (bool), published (bool).
    """
    account = MonthAccount.objects.filter(school=school, year=year, month=month).first()
    if account is None:
        return None
    return account_figures(account)


def published_accounts(school, *, limit: int = 12) -> list[tuple[MonthAccount, dict]]:
    """The last published months with their figures (published months are closed, so frozen)."""
    rows = list(MonthAccount.objects.filter(school=school, published_at__isnull=False).order_by("-year", "-month")[:limit])
    return [(a, account_figures(a, cost=a.food_cost_closed or Decimal("0"))) for a in rows]
