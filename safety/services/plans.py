"""Inspection plans: their schedule, setting them up, and generating the inspections they make due."""
from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.bulk import insert_returning
from logistics.roles import can, require
from safety.choices import TERM_STARTS, Frequency, InspectionStatus, ItemResult
from safety.models import Inspection, InspectionItem, InspectionPlan
from safety.services.common import local_today

# How far back the generator looks for missed periods (after downtime).
CATCH_UP_DAYS = 62
MAX_CHECKLIST = 100
PLAN_FIELDS = ("name", "building", "room", "checklist", "frequency", "weekdays", "day_of_month", "responsible",
               "window_start", "window_end", "gate_check", "active", "starts_on")


# --- schedule -----------------------------------------------------------------------------------

def term_start(day: dt.date) -> dt.date:
    starts = sorted(dt.date(y, m, d) for y in (day.year - 1, day.year) for m, d in TERM_STARTS)
    return [s for s in starts if s <= day][-1]


def period_of(plan: InspectionPlan, day: dt.date) -> tuple[dt.date, dt.date] | None:
    """(period_start, due_date) of the occurrence of ``plan`` falling on ``day``, or None."""
    if plan.frequency == Frequency.DAILY:
        return day, day
    if plan.frequency == Frequency.WEEKLY:
        return (day, day) if day.weekday() in {int(w) for w in plan.weekdays} else None
    if plan.frequency == Frequency.MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return (day, day) if day.day == min(plan.day_of_month or 1, last) else None
    start = term_start(day)
    return start, max(start, plan.starts_on)


def _periods(plan: InspectionPlan, today: dt.date) -> dict[dt.date, dt.date]:
    """period_start → due date of every occurrence from the catch-up horizon up to today."""
    periods: dict[dt.date, dt.date] = {}
    day = max(plan.starts_on, today - dt.timedelta(days=CATCH_UP_DAYS))
    while day <= today:
        p = period_of(plan, day)
        if p is not None:
            periods.setdefault(p[0], p[1])
        day += dt.timedelta(days=1)
    return periods


@transaction.atomic
def generate_inspections(*, today: dt.date | None = None, school=None) -> int:
    """Create the inspections due up to ``today`` (catching up missed periods); return how many.

    Set-wise, in four statements whatever the number of schools and plans: the active plans, the
    inspections they already have in the catch-up window, one INSERT of the missing ones and one
    of their checklist items. Never two per plan and period: the unique constraint decides
    (``ON CONFLICT DO NOTHING``), so two workers or two runs at once create each inspection once,
    and each creates the items of exactly the inspections it inserted.
    """
    today = today or local_today()
    plans_qs = InspectionPlan.objects.filter(active=True, starts_on__lte=today)
    if school is not None:
        plans_qs = plans_qs.filter(school=school)
    plans = {p.pk: p for p in plans_qs.only("pk", "school_id", "frequency", "weekdays", "day_of_month", "starts_on", "responsible_id", "checklist")}
    if not plans:
        return 0
    wanted = {(pk, start): due for pk, plan in plans.items() for start, due in _periods(plan, today).items()}
    if not wanted:
        return 0
    earliest = min(start for _pk, start in wanted)
    existing = set(
        Inspection.objects.filter(plan__in=plans_qs.values("pk"), period_start__gte=earliest).values_list("plan_id", "period_start")
    )
    rows = [
        {"school_id": plans[pk].school_id, "plan_id": pk, "period_start": start, "due_date": due,
         "responsible_id": plans[pk].responsible_id, "status": InspectionStatus.DUE, "problem_count": 0}
        for (pk, start), due in sorted(wanted.items()) if (pk, start) not in existing
    ]
    made = insert_returning(Inspection, rows, returning=("id", "plan_id"), ignore_conflicts=True)
    items = [
        {"inspection_id": ins_id, "position": i, "text": str(text)[:200], "result": ItemResult.PENDING, "severity": "", "note": "", "photo": ""}
        for ins_id, plan_id in made
        for i, text in enumerate(plans[plan_id].checklist, 1)
    ]
    insert_returning(InspectionItem, items, returning=())
    return len(made)


# --- setting plans up ---------------------------------------------------------------------------

def _clean_checklist(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    items = [str(v).strip() for v in (value or []) if str(v).strip()]
    if not items:
        raise ValidationError({"checklist": _("List at least one item to check.")})
    if len(items) > MAX_CHECKLIST:
        raise ValidationError({"checklist": _("At most %(n)s items per plan.") % {"n": MAX_CHECKLIST}})
    if any(len(i) > 200 for i in items):
        raise ValidationError({"checklist": _("Each item may have at most 200 characters.")})
    return items


def _validate(plan: InspectionPlan) -> None:
    """The rules of a plan, wherever it is set up from."""
    errors: dict[str, str] = {}
    if plan.building_id and plan.room_id:
        errors["room"] = _("Choose a building or a room/outdoor zone, not both (neither: the whole school).")
    elif (plan.building_id or plan.room_id) and plan.area.school_id != plan.school_id:
        errors["room"] = _("This area belongs to another school.")
    plan.checklist = _clean_checklist(plan.checklist)
    if plan.frequency == Frequency.WEEKLY:
        days = sorted({int(d) for d in plan.weekdays or []})
        if not days or any(d < 0 or d > 6 for d in days):
            errors["weekdays"] = _("Choose the weekdays of a weekly plan.")
        plan.weekdays = days
    else:
        plan.weekdays = []
    if plan.frequency == Frequency.MONTHLY:
        if not plan.day_of_month or not 1 <= plan.day_of_month <= 31:
            errors["day_of_month"] = _("Give the day of the month (1–31).")
    else:
        plan.day_of_month = None
    if bool(plan.window_start) != bool(plan.window_end):
        errors["window_end"] = _("Give both the start and the end of the time window, or neither.")
    elif plan.window_start and plan.window_start >= plan.window_end:
        errors["window_end"] = _("The window must end after it starts.")
    if plan.gate_check and not plan.window_start:
        errors["window_start"] = _("A close-up check needs its time window (e.g. 17:00–18:30).")
    if plan.responsible_id and not can(plan.responsible, "safety.inspect", school=plan.school):
        errors["responsible"] = _("The responsible person must be a member of the school who does inspections.")
    if InspectionPlan.objects.filter(school_id=plan.school_id, name=plan.name).exclude(pk=plan.pk).exists():
        errors["name"] = _("A plan with this name already exists.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_plan(*, school, by, **data) -> InspectionPlan:
    """A new plan; its first inspection is generated by the next sweep (or at once here)."""
    require(by, "safety.manage_plans", school=school)
    plan = InspectionPlan(school=school, **{k: v for k, v in data.items() if k in PLAN_FIELDS})
    if plan.starts_on is None:
        plan.starts_on = local_today()
    _validate(plan)
    plan.save()
    generate_inspections(school=school)
    return plan


@transaction.atomic
def update_plan(plan: InspectionPlan, *, by, **data) -> InspectionPlan:
    """Change a plan. Inspections already made keep their own copy of the checklist; the change
    applies to the ones made from now on. Open inspections follow a change of responsible person."""
    require(by, "safety.manage_plans", school=plan.school)
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    for key, value in data.items():
        if key in PLAN_FIELDS:
            setattr(plan, key, value)
    _validate(plan)
    plan.save()
    Inspection.objects.filter(plan=plan, status=InspectionStatus.DUE).exclude(responsible_id=plan.responsible_id).update(
        responsible_id=plan.responsible_id
    )
    if plan.active:
        generate_inspections(school=plan.school)
    return plan


def members_who_inspect(school):
    """The people a plan can be given to (roles holding safety.inspect in the school)."""
    from logistics.models import User
    from logistics.roles import CAPABILITIES

    roles = CAPABILITIES["safety.inspect"]
    return User.objects.filter(is_active=True, memberships__school=school, memberships__role__in=roles).distinct().order_by("full_name", "username")

