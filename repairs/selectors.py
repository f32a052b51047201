"""Reads shared by views, home cards, reports and other apps."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    "overdue": pgettext_lazy("repair", "Overdue"),
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


@dataclass
class PersonFigures:
    """One person's row in the accountability table (责任追究制)."""

    user: object
    handled: int = 0
    on_time: int = 0
    overdue: int = 0
    reopened: int = 0
    rated: int = 0
    rating_sum: int = 0

    @property
    def pk(self) -> int:
        return self.user.pk

    @property
    def on_time_pct(self) -> float | None:
        return self.on_time * 100.0 / self.handled if self.handled else None

    @property
    def avg_rating(self) -> float | None:
        return self.rating_sum / (3.0 * self.rated) if self.rated else None

    def __str__(self) -> str:
        return str(self.user)


@dataclass
class OwnerFigures:
    """首问负责: requests one staff member took in the period, and how many within respond-by."""

    user: object
    taken: int = 0
    responded_on_time: int = 0

    @property
    def pk(self) -> int:
        return self.user.pk

    @property
    def response_pct(self) -> float | None:
        return self.responded_on_time * 100.0 / self.taken if self.taken else None

    def __str__(self) -> str:
        return str(self.user)


def person_figures(school, start, end, now=None) -> list[PersonFigures]:
    """One row per repairer: handled, on-time %, overdue, reopened, average rating.

    Two queries whatever the size of the school: one aggregate over the tickets of the period
    (each metric's condition is an indexed range, OR-ed), grouped by repairer, and one for the
    people — every repairer of the school, with or without work in the period, plus anyone
    else who did repairs in it.
    """
    from django.db.models import Count, Sum

    from logistics.models import PERSON_FIELDS, User
    from logistics.roles import Role

    now = now or timezone.now()
    q = {metric: _metric_q(metric, start, end, now) for metric in METRICS}
    relevant = q["handled"] | q["overdue"] | q["reopened"] | q["rated"]
    rows = (
        Repair.objects.for_school(school)
        .filter(assignee__isnull=False)
        .filter(relevant)
        .order_by()
        .values("assignee_id")
        .annotate(
            handled=Count("pk", filter=q["handled"]),
            on_time=Count("pk", filter=q["on_time"]),
            overdue=Count("pk", filter=q["overdue"]),
            reopened=Count("pk", filter=q["reopened"]),
            rated=Count("pk", filter=q["rated"]),
            rating_sum=Sum(F("rating_timeliness") + F("rating_quality") + F("rating_attitude"), filter=q["rated"]),
        )
    )
    by_person = {row.pop("assignee_id"): row for row in rows}
    people = (
        User.objects.filter(Q(pk__in=list(by_person)) | Q(memberships__school=school, memberships__role=Role.REPAIRER, is_active=True))
        .distinct()
        .only(*PERSON_FIELDS)
        .order_by("full_name", "username")
    )
    result = []
    for user in people:
        row = by_person.get(user.pk, {})
        result.append(PersonFigures(user=user, **{k: v or 0 for k, v in row.items()}))
    return result


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


def owner_figures(school, start, end) -> list[OwnerFigures]:
    """首问负责: per staff member, requests taken in the period and how many within the respond-by
    time. Two queries: one aggregate on the (school, taken_at) index, one for the names."""
    from django.db.models import Count

    from logistics.models import PERSON_FIELDS, User

    rows = (
        Repair.objects.for_school(school)
        .filter(owner__isnull=False, taken_at__gte=start, taken_at__lt=end)
        .order_by()
        .values("owner_id")
        .annotate(taken=Count("pk"), responded_on_time=Count("pk", filter=Q(taken_at__lte=F("response_due"))))
    )
    by_person = {row.pop("owner_id"): row for row in rows}
    if not by_person:
        return []
    people = User.objects.filter(pk__in=list(by_person)).only(*PERSON_FIELDS).order_by("full_name", "username")
    return [OwnerFigures(user=user, **by_person[user.pk]) for user in people]


EXPORT_CHUNK = 2000


def export_table(qs, now=None):
    """(header, rows) of a filtered ticket list for CSV/Excel: rows is a generator of plain lists.

    Reads ``values_list`` rows (no model instances) with the names of rooms and people looked up
    once, so 100,000 tickets export in seconds and in a fixed number of queries.
    """
    import datetime as dt

    from django.db.models import BooleanField, ExpressionWrapper

    from logistics.models import Room, User
    from repairs.choices import Urgency
    from repairs.models import average_of

    now = now or timezone.now()
    header = [str(h) for h in (_("Number"), _("Reported at"), pgettext_lazy("repair", "Room"), _("Description"), _("Urgency"), pgettext_lazy("repair", "Status"), _("Reported by"),
                               _("Owner"), _("Repairer"), _("Fix by"), _("Done at"), pgettext_lazy("repair", "Overdue"), _("Cost (¥)"), _("Average rating"))]
    qs = qs.order_by("-created_at", "-pk")
    people = set()
    for ids in qs.values_list("reporter_id", "owner_id", "assignee_id").distinct().order_by():
        people.update(i for i in ids if i)
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=people)} if people else {}
    rooms = {r.pk: str(r) for r in Room.objects.filter(pk__in=qs.values("room_id").order_by()).select_related("building")}
    urgency, status = {k: str(v) for k, v in Urgency.choices}, {k: str(v) for k, v in RepairStatus.choices}
    yes = str(_("yes"))
    tz = timezone.get_current_timezone()

    def when(value: dt.datetime | None) -> str:
        return value.astimezone(tz).replace(tzinfo=None).isoformat(" ", "minutes") if value else ""

    values = qs.annotate(overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField())).values_list(
        "number", "created_at", "room_id", "description", "urgency", "status", "reporter_id", "owner_id", "assignee_id",
        "completion_due", "done_at", "overdue", "material_cost", "other_cost", "rating_timeliness", "rating_quality", "rating_attitude",
    )

    def rows():
        for (number, created, room, text, urg, st, reporter, owner, assignee, due, done, late, material, other, t, q, a) in values.iterator(chunk_size=EXPORT_CHUNK):
            yield [number, when(created), rooms.get(room, ""), text, urgency.get(urg, urg), status.get(st, st), names.get(reporter, ""),
                   names.get(owner, ""), names.get(assignee, ""), when(due), when(done), yes if late else "", str(material + other),
                   average_of(t, q, a) or ""]

    return header, rows()
