"""Read-side queries of the safety app (the dashboard contract lives here)."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils import timezone

from safety.choices import HazardStatus, InspectionStatus
from safety.models import Drill, Hazard, Inspection

def plan_labels(school) -> list[tuple[int, str, str | None]]:
    """(pk, name, area) of every inspection plan of the school, by name: the area is the room's label
    or the building's name, ``None`` for the whole school (said in the reader's language where it is
    shown). Plain values in one light query, kept per school until its data changes
    (``cached_per_school``): the inspection list names every row's plan and offers them all as a filter."""
    from logistics.home import cached_per_school
    from logistics.models import room_label
    from safety.models import InspectionPlan

    def build():
        rows = (InspectionPlan.objects.filter(school=school).order_by("name", "pk")
                .values_list("pk", "name", "room_id", "room__building__name", "room__number", "room__name", "building__name"))
        return [(pk, name, room_label(b, number, room) if room_id else building)
                for pk, name, room_id, b, number, room, building in rows]

    return cached_per_school("inspection-plans", school, build)


def plan_names(school) -> dict[int, tuple[str, str]]:
    """{pk: (name, area)} of the school's plans, by name, the area as ``InspectionPlan.area`` says it
    (the room, the building, or "Whole school" in the reader's language), from ``plan_labels``."""
    from safety.models import WHOLE_SCHOOL

    whole = str(WHOLE_SCHOOL)
    return {pk: (name, area or whole) for pk, name, area in plan_labels(school)}


# Overdue inspections stay on their person's "today" list (and are announced once) this many days.
OVERDUE_SHOWN_DAYS = 7


def my_open_inspections(user, school, today: dt.date | None = None):
    """What ``user`` has to inspect: due today, then the ones not done of the last week."""
    today = today or timezone.localdate()
    return (
        Inspection.objects.for_school(school)
        .filter(responsible=user, status=InspectionStatus.DUE, due_date__lte=today,
                due_date__gte=today - dt.timedelta(days=OVERDUE_SHOWN_DAYS))
        .order_by("-due_date", "plan__window_start", "plan__name", "pk")
    )


def dashboard_counts(school) -> dict:
    """Counts for the principal's dashboard: open and overdue hazards, today's inspections due and done."""
    today = timezone.localdate()
    hazards = Hazard.objects.filter(school=school).aggregate(
        open_hazards=Count("pk", filter=~Q(status=HazardStatus.VERIFIED)),
        overdue_hazards=Count("pk", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
    )
    inspections = Inspection.objects.filter(school=school, due_date=today).aggregate(
        inspections_due_today=Count("pk"),
        inspections_done_today=Count("pk", filter=Q(status=InspectionStatus.SUBMITTED)),
    )
    return {**hazards, **inspections}


class PlanName(NamedTuple):
    """A plan as the monthly report names it."""

    pk: int
    name: str
    area: str


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """[first day, first day of next month)."""
    start = dt.date(year, month, 1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def monthly_report(school, year: int, month: int) -> dict:
    """The monthly hazard report (the form sent upward): per plan inspections due vs done, per-day
    completion (the heat calendar), hazards found, rectified and overdue in the month."""
    start, end = month_bounds(year, month)
    today = timezone.localdate()
    # The month's inspections as plain values, each plan named from the school's cached plan names
    # (a month of a large school's inspections joined with plans, rooms and buildings, as model
    # instances, was most of the page).
    inspections = (Inspection.objects.filter(school=school, due_date__gte=start, due_date__lt=end)
                   .order_by("plan_id", "due_date").values_list("plan_id", "due_date", "status"))
    names = plan_names(school)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    plans: dict[int, dict] = {}
    for plan_id, due_date, status in inspections:
        row = plans.get(plan_id)
        if row is None:
            name, area = names.get(plan_id, ("", ""))
            row = plans[plan_id] = {"plan": PlanName(plan_id, name, area), "due": 0, "done": 0, "cells": {}}
        row["due"] += 1
        done = status == InspectionStatus.SUBMITTED
        row["done"] += done
        row["cells"][due_date] = "done" if done else ("missed" if due_date < today else "due")
    rows = []
    for row in sorted(plans.values(), key=lambda r: (r["plan"].name, r["plan"].pk)):
        row["rate"] = round(100 * row["done"] / row["due"]) if row["due"] else 0
        row["days"] = [row["cells"].get(d, "") for d in days]
        rows.append(row)
    hazards = list(Hazard.objects.filter(school=school, found_on__gte=start, found_on__lt=end).select_related("responsible").order_by("found_on", "pk"))
    cutoff = min(end, today + dt.timedelta(days=1))

    def overdue(h) -> bool:
        if h.status != HazardStatus.OPEN:
            fixed = h.rectified_at or h.verified_at
            return fixed is not None and timezone.localdate(fixed) > h.deadline
        return h.deadline < cutoff and h.deadline < today

    for h in hazards:
        h.was_overdue = overdue(h)
    drills = list(Drill.objects.filter(school=school, held_on__gte=start, held_on__lt=end).order_by("held_on", "pk"))
    due = sum(r["due"] for r in rows)
    done = sum(r["done"] for r in rows)
    return {
        "year": year, "month": month, "start": start, "end": end, "days": days, "rows": rows, "hazards": hazards, "drills": drills,
        "totals": {
            "due": due, "done": done, "rate": round(100 * done / due) if due else 0,
            "found": len(hazards),
            "rectified": sum(1 for h in hazards if h.status != HazardStatus.OPEN),
            "verified": sum(1 for h in hazards if h.status == HazardStatus.VERIFIED),
            "overdue": sum(1 for h in hazards if h.was_overdue),
            "drills": len(drills),
        },
    }
