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


def awaiting_my_signature(school, user):
    """Submitted requests whose current pending step this user may sign (not ones they handled)."""
    from django.db.models import Exists, Min, OuterRef

    from logistics.roles import can
    from procurement.choices import STEP_CAPABILITY, PurchaseStatus, StepStatus
    from procurement.models import ApprovalStep, PurchaseApproval

    kinds = [k for k, cap in STEP_CAPABILITY.items() if can(user, cap, school=school)]
    if not kinds:
        return PurchaseRequest.objects.none()
    first_pending = (
        ApprovalStep.objects.filter(purchase=OuterRef("pk"), status=StepStatus.PENDING)
        .order_by().values("purchase").annotate(m=Min("order")).values("m")
    )
    qs = (
        PurchaseRequest.objects.for_school(school).filter(status=PurchaseStatus.SUBMITTED)
        .exclude(requester=user)
        .annotate(current_order=first_pending)
        .filter(Exists(ApprovalStep.objects.filter(purchase=OuterRef("pk"), order=OuterRef("current_order"),
                                                   kind__in=kinds)))
        .exclude(Exists(PurchaseApproval.objects.filter(purchase=OuterRef("pk"), by=user)))
    )
    return qs


def month_spending(school, year: int, month: int) -> Decimal:
    """Money committed this month: requests submitted in the month and not rejected."""
    import datetime as dt

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return (
        PurchaseRequest.objects.for_school(school)
        .filter(submitted_at__gte=start, submitted_at__lt=end, status__in=COMMITTED_STATUSES)
        .aggregate(s=Coalesce(Sum("total"), ZERO))["s"]
    )
