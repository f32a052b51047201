"""The monthly finance disclosure (财务公开): context from selectors, rendered by render_pdf."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch

from logistics.pdf import render_pdf
from procurement.choices import Decision
from procurement.models import PurchaseApproval, PurchaseRequest


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def _repairs(school, start, end):
    try:
        from repairs.selectors import repair_costs
    except ImportError:
        return None
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return repair_costs(school, dt.datetime.combine(start, dt.time(), tz), dt.datetime.combine(end, dt.time(), tz))


def _canteen(school, year, month):
    try:
        from canteen.selectors import month_account
    except ImportError:
        return None
    return month_account(school, year, month)


def disclosure_context(school, year: int, month: int) -> dict:
    """Spending of purchases paid in the month, by category and budget line, each with its
    approvers; repair costs; the canteen account; totals."""
    start, end = month_range(year, month)
    purchases = list(
        PurchaseRequest.objects.for_school(school)
        .filter(paid_on__gte=start, paid_on__lt=end)
        .select_related("budget_line", "requester")
        .prefetch_related(Prefetch("approvals", queryset=PurchaseApproval.objects.filter(
            decision=Decision.APPROVED).select_related("by", "step")))
        .order_by("paid_on", "pk")
    )
    by_category: dict[str, Decimal] = {}
    by_line: dict[str, Decimal] = {}
    for p in purchases:
        amount = p.invoice_amount or p.total
        p.amount = amount
        p.approver_names = "、".join(str(a.by) for a in p.approvals.all())
        by_category[p.budget_line.category] = by_category.get(p.budget_line.category, Decimal("0")) + amount
        key = f"{p.budget_line.code} {p.budget_line.name}"
        by_line[key] = by_line.get(key, Decimal("0")) + amount
    purchase_total = sum((p.amount for p in purchases), Decimal("0"))
    repairs = _repairs(school, start, end)
    canteen = _canteen(school, year, month)
    repair_total = repairs["total"] if repairs else Decimal("0")
    return {
        "school": school, "year": year, "month": month,
        "purchases": purchases, "purchase_total": purchase_total,
        "by_category": sorted(by_category.items()), "by_line": sorted(by_line.items()),
        "repairs": repairs, "repair_total": repair_total,
        "canteen": canteen,
        "grand_total": purchase_total + repair_total,
    }


def render_disclosure(ctx: dict, *, parent: bool = False) -> bytes:
    """The disclosure is a public notice in the school's language (Chinese), whoever triggers it."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("procurement/pdf/disclosure.html", {**ctx, "parent": parent})


def build_disclosure(school, year: int, month: int) -> tuple[dict, bytes, bytes]:
    """The month's context and both PDFs (full report, parent version), without storing anything.

    This is what the monthly job does for each school and what the benchmark times
    (the ``disclosure`` job of ``benchmarks/jobs.py`` times ``generate_disclosure``, which calls it)."""
    ctx = disclosure_context(school, year, month)
    return ctx, render_disclosure(ctx), render_disclosure(ctx, parent=True)

