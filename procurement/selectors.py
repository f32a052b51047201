"""Reads shared by views, reports and the dashboard."""
from __future__ import annotations

import logging
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from procurement.choices import COMMITTED_STATUSES
from procurement.models import BudgetLine, PurchaseRequest

log = logging.getLogger(__name__)

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
    return committed_in_month(school, year, month).aggregate(s=Coalesce(Sum("total"), ZERO))["s"]


def budget_used(line) -> Decimal:
    """Money committed on a budget line (requests submitted or later, not rejected)."""
    return line.amount - budget_remaining(line)


def month_bounds(year: int, month: int):
    """[start, end) of a month as aware datetimes in the school's time zone (Asia/Shanghai)."""
    import datetime as dt

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return (dt.datetime(year, month, 1, tzinfo=tz),
            dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz))


def committed_in_month(school, year: int, month: int):
    """The requests behind "spending this month": submitted in the month, not rejected."""
    start, end = month_bounds(year, month)
    return PurchaseRequest.objects.for_school(school).filter(
        submitted_at__gte=start, submitted_at__lt=end, status__in=COMMITTED_STATUSES)


AUDIENCES = ("staff", "parent")


def published_disclosures(school, *, audience: str = "staff"):
    """Published finance disclosures of a school, newest first.

    ``audience="staff"`` (teachers and staff): every published version. ``audience="parent"``:
    the latest published version of each month only. Link each with
    ``reverse("procurement:disclosure_download", args=[d.pk])``: that view serves a parent the
    parent version (``d.parent_file``: the canteen part) and everyone else the full report.
    """
    from django.db.models import Exists, OuterRef

    from procurement.models import Disclosure

    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    qs = Disclosure.objects.for_school(school).filter(published_at__isnull=False)
    if audience == "parent":
        newer = Disclosure.objects.filter(school=OuterRef("school"), year=OuterRef("year"), month=OuterRef("month"),
                                          published_at__isnull=False, version__gt=OuterRef("version"))
        qs = qs.exclude(Exists(newer))
    return qs.order_by("-year", "-month", "-version")


def last_disclosure(school):
    """The school's most recent disclosure version (published or not), or None."""
    from procurement.models import Disclosure

    return Disclosure.objects.for_school(school).order_by("-year", "-month", "-version").first()


# --- the principal's dashboard ------------------------------------------------------------------

DASHBOARD_TTL = 60  # seconds: the other apps' figures are at most a minute old


def dashboard_cache_key(school_id: int) -> str:
    return f"procurement:dashboard:{school_id}"


def forget_dashboard(school) -> None:
    """Drop the cached figures of a school (after a write that changes its money figures)."""
    from django.core.cache import cache

    try:
        cache.delete(dashboard_cache_key(school.pk if hasattr(school, "pk") else school))
    except Exception:  # Redis down: the write is saved; the cached figures expire by themselves
        log.warning("dashboard cache unreachable; figures of school %s expire in %ss", school, DASHBOARD_TTL, exc_info=True)


def dashboard_figures(school, today=None) -> dict:
    """The school-wide figures of the principal's dashboard, from the cache backend (Redis in
    production, so every gunicorn worker shares them) for ``DASHBOARD_TTL`` seconds; procurement
    writes that change the money figures drop them at once (``forget_dashboard``). The figures
    of the other apps come from their selectors."""
    from django.core.cache import cache
    from django.utils import timezone

    today = today or timezone.localdate()
    key = dashboard_cache_key(school.pk)
    try:
        cached = cache.get(key)
    except Exception:  # Redis down: compute the figures (and do not try to store them)
        log.warning("dashboard cache unreachable", exc_info=True)
        cached, cache = None, None
    if cached is not None and cached.get("day") == today.isoformat():
        return cached
    lines = [{"pk": b.pk, "name": b.name, "amount": b.amount, "used": b.used}
             for b in budget_lines_with_use(school, today.year)]
    figures = {
        "day": today.isoformat(),
        "lines": lines,
        "budget": sum((b["amount"] for b in lines), Decimal("0")),
        "used": sum((b["used"] for b in lines), Decimal("0")),
        "spent_month": month_spending(school, today.year, today.month),
        "waiting_all": PurchaseRequest.objects.for_school(school).filter(status="submitted").count(),
        "repairs": _other("repairs.selectors", "dashboard_counts", school),
        "safety": _other("safety.selectors", "dashboard_counts", school),
        "canteen": _other("canteen.selectors", "month_account", school, today.year, today.month),
    }
    figures["remaining"] = figures["budget"] - figures["used"]
    if cache is not None:
        try:
            cache.set(key, figures, DASHBOARD_TTL)
        except Exception:
            log.warning("dashboard cache unreachable", exc_info=True)
    return figures


def _other(module: str, name: str, *args):
    from importlib import import_module

    try:
        fn = getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return fn(*args)
