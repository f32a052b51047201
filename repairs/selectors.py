"""Reads shared by views, home cards, reports and other apps."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from repairs.choices import OPEN_STATUSES, RepairStatus
from repairs.models import Repair


def overdue_q(now=None) -> Q:
    """Requests past the deadline that matters now: not taken by respond-by, or not fixed by fix-by."""
    now = now or timezone.now()
    return Q(status=RepairStatus.SUBMITTED, response_due__lt=now) | Q(status__in=OPEN_STATUSES, completion_due__lt=now)


def overdue_repairs(school, now=None):
    return Repair.objects.for_school(school).filter(overdue_q(now))


def repair_costs(school, start, end) -> dict:
    """Costs of repairs completed (done) in [start, end): total, count and the rows behind them."""
    rows = (
        Repair.objects.for_school(school)
        .filter(done_at__gte=start, done_at__lt=end, status__in=[RepairStatus.DONE, RepairStatus.CLOSED])
        .annotate(cost=F("material_cost") + F("other_cost"))
        .select_related("room", "assignee")
        .order_by("done_at", "pk")
    )
    agg = rows.aggregate(material=Sum("material_cost"), other=Sum("other_cost"))
    total = (agg["material"] or Decimal("0")) + (agg["other"] or Decimal("0"))
    return {"total": total.quantize(Decimal("0.01")), "count": rows.count(), "rows": rows}


def dashboard_counts(school) -> dict:
    """Open (unfinished) requests and how many of them are overdue."""
    qs = Repair.objects.for_school(school)
    open_q = Q(status__in=OPEN_STATUSES)
    from django.db.models import Count

    agg = qs.aggregate(open=Count("pk", filter=open_q), overdue=Count("pk", filter=overdue_q()))
    return {"open": agg["open"], "overdue": agg["overdue"]}


# Accountability figures (责任追究制) ---------------------------------------------------------

METRICS = {
    "handled": _("Handled"),
    "on_time": _("Done on time"),
    "overdue": _("Overdue"),
    "reopened": _("Reopened"),
    "rated": _("Rated"),
}


def parse_period(params) -> tuple:
    """[start, end) from ?start=YYYY-MM-DD&end=YYYY-MM-DD (end inclusive in the form); default this month."""
    import datetime as dt

    today = timezone.localdate()

    def day(name, default):
        try:
            return dt.date.fromisoformat(params.get(name, ""))
        except ValueError:
            return default

    start = day("start", today.replace(day=1))
    end = day("end", today)
    if end < start:
        start, end = end, start
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _metric_q(metric, start, end, now=None) -> Q:
    now = now or timezone.now()
    done = Q(done_at__gte=start, done_at__lt=end)
    return {
        "handled": done,
        "on_time": done & Q(done_at__lte=F("completion_due")),
        "overdue": (done & Q(done_at__gt=F("completion_due")))
        | Q(status__in=OPEN_STATUSES, completion_due__gte=start, completion_due__lt=min(end, now)),
        "reopened": Q(reopen_count__gt=0, created_at__gte=start, created_at__lt=end),
        "rated": Q(closed_at__gte=start, closed_at__lt=end, rating_quality__isnull=False),
    }[metric]


def person_figures(school, start, end):
    """One row per repairer: handled, on-time %, overdue, reopened, average rating. One query."""
    from django.db.models import Avg, Count, ExpressionWrapper, FloatField, Value
    from django.db.models.functions import Coalesce

    from logistics.models import User

    prefix = "repairs_assigned__"

    def rq(metric):
        q = _metric_q(metric, start, end)
        return Q(**{f"{prefix}school": school}) & _prefix_q(q, prefix)

    rated = rq("rated")
    qs = (
        User.objects.filter(repairs_assigned__school=school)
        .annotate(
            handled=Count("repairs_assigned", filter=rq("handled"), distinct=True),
            on_time=Count("repairs_assigned", filter=rq("on_time"), distinct=True),
            overdue=Count("repairs_assigned", filter=rq("overdue"), distinct=True),
            reopened=Count("repairs_assigned", filter=rq("reopened"), distinct=True),
            avg_rating=Avg(
                ExpressionWrapper(
                    (F(f"{prefix}rating_timeliness") + F(f"{prefix}rating_quality") + F(f"{prefix}rating_attitude")) / Value(3.0),
                    output_field=FloatField(),
                ),
                filter=rated,
            ),
        )
        .annotate(on_time_pct=Coalesce(ExpressionWrapper(F("on_time") * 100.0 / F("handled"), output_field=FloatField()), Value(None, output_field=FloatField())))
        .order_by("full_name", "username")
        .distinct()
    )
    return qs


def _prefix_q(q: Q, prefix: str) -> Q:
    """The same condition, seen from a related model (``status`` → ``repairs_assigned__status``)."""
    from django.db.models.expressions import F as FExpr

    new = Q()
    new.connector, new.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            new.children.append(_prefix_q(child, prefix))
        else:
            key, value = child
            if isinstance(value, FExpr):
                value = FExpr(prefix + value.name)
            new.children.append((prefix + key, value))
    return new


def person_tickets(school, person_id, start, end, metric):
    """The tickets behind one number of ``person_figures``."""
    return Repair.objects.for_school(school).filter(assignee_id=person_id).filter(_metric_q(metric, start, end)).order_by("-done_at", "-created_at")


REPEAT_REPAIR_FLAG = 3  # repairs of one asset within a year that flag it


def asset_repair_counts(school, since):
    """Assets repaired REPEAT_REPAIR_FLAG or more times since ``since`` (flagged for replacement)."""
    from django.db.models import Count

    return (
        Repair.objects.for_school(school)
        .filter(created_at__gte=since, asset__isnull=False)
        .exclude(status=RepairStatus.CANCELLED)
        .values("asset")
        .annotate(n=Count("pk"))
        .filter(n__gte=REPEAT_REPAIR_FLAG)
        .order_by("-n")
    )


def asset_repairs_since(asset, since) -> int:
    return Repair.objects.filter(asset=asset, created_at__gte=since).exclude(status=RepairStatus.CANCELLED).count()


def owner_figures(school, start, end):
    """首问负责: per staff member, requests taken in the period and how many within the respond-by time."""
    from django.db.models import Count, ExpressionWrapper, FloatField

    from logistics.models import User

    period = Q(repairs_owned__school=school, repairs_owned__taken_at__gte=start, repairs_owned__taken_at__lt=end)
    return (
        User.objects.filter(repairs_owned__school=school)
        .annotate(
            taken=Count("repairs_owned", filter=period, distinct=True),
            responded_on_time=Count("repairs_owned", filter=period & Q(repairs_owned__taken_at__lte=F("repairs_owned__response_due")), distinct=True),
        )
        .filter(taken__gt=0)
        .annotate(response_pct=ExpressionWrapper(F("responded_on_time") * 100.0 / F("taken"), output_field=FloatField()))
        .order_by("full_name", "username")
        .distinct()
    )
