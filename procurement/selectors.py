"""Reads shared by views, reports and the dashboard."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from procurement.choices import COMMITTED_STATUSES
from procurement.models import BudgetLine, PurchaseRequest

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))


def budget_lines_with_use(school, year=None):
    """Budget lines with ``used`` (submitted or later) and ``remaining`` annotated: one query."""
    qs = BudgetLine.objects.for_school(school)
    if year:
        qs = qs.filter(year=year)
    qs = qs.annotate(
        used=Coalesce(Sum("purchases__total", filter=Q(purchases__status__in=COMMITTED_STATUSES)), ZERO),
    )
    return qs.annotate(remaining=F("amount") - F("used")).order_by("-year", "code")


def budget_remaining(line) -> Decimal:
    used = (
        PurchaseRequest.objects.filter(budget_line=line, status__in=COMMITTED_STATUSES)
        .aggregate(s=Coalesce(Sum("total"), ZERO))["s"]
    )
    return line.amount - used
