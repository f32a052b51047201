"""Safety business rules: generating inspections, recording and submitting them, hazards
(限时整改) from problems, rectification verified by the director, reminders and escalation."""
from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from logistics.roles import Role, has_role, require
from logistics.services import notify, notify_role
from logistics.workflow import move
from safety.choices import (
    HAZARD_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    RECTIFY_DAYS,
    TERM_STARTS,
    Frequency,
    HazardStatus,
    InspectionStatus,
    ItemResult,
    Severity,
)
from safety.models import Hazard, Inspection, InspectionItem, InspectionPlan, Visitor

# How far back the generator looks for missed periods (after downtime).
CATCH_UP_DAYS = 62
# Days past the deadline after which an overdue hazard goes on from the director to the principal.
PRINCIPAL_AFTER_DAYS = 3


def local_today() -> dt.date:
    return timezone.localdate()


def check_image(upload) -> None:
    """Refuse anything that is not an image by content, or larger than MAX_UPLOAD_BYTES."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file %(name)s is too large (at most %(mb)s MB).") % {"name": upload.name, "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        Image.open(upload).verify()
        upload.seek(0)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The file %(name)s is not an image.") % {"name": upload.name}) from None


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


def generate_inspections(*, today: dt.date | None = None, school=None) -> int:
    """Create the inspections due up to ``today`` (catching up missed periods); return how many.

    Never two per plan and period: the unique constraint decides, so two workers or two runs
    at once create each inspection exactly once.
    """
    today = today or local_today()
    plans = InspectionPlan.objects.filter(active=True, starts_on__lte=today)
    if school is not None:
        plans = plans.filter(school=school)
    created = 0
    for plan in plans:
        first = max(plan.starts_on, today - dt.timedelta(days=CATCH_UP_DAYS))
        periods = {}
        day = first
        while day <= today:
            p = period_of(plan, day)
            if p is not None:
                periods.setdefault(p[0], p[1])
            day += dt.timedelta(days=1)
        existing = set(plan.inspections.filter(period_start__in=periods).values_list("period_start", flat=True))
        for start, due in sorted(periods.items()):
            if start in existing:
                continue
            try:
                with transaction.atomic():
                    inspection = Inspection.objects.create(
                        school_id=plan.school_id, plan=plan, period_start=start, due_date=due, responsible_id=plan.responsible_id
                    )
                    InspectionItem.objects.bulk_create(
                        InspectionItem(inspection=inspection, position=i, text=str(text)[:200]) for i, text in enumerate(plan.checklist, 1)
                    )
            except IntegrityError:
                continue  # another worker created it first
            created += 1
    return created


# --- recording --------------------------------------------------------------------------------

def _require_inspector(user, inspection: Inspection) -> None:
    require(user, "safety.inspect", school=inspection.school)


def record_item(item: InspectionItem, *, by, result: str, note: str = "", photo=None, severity: str = "") -> InspectionItem:
    """Record one checklist item; refused once the inspection is submitted."""
    inspection = item.inspection
    _require_inspector(by, inspection)
    if inspection.status != InspectionStatus.DUE:
        raise ValidationError(_("This inspection is submitted and can no longer be changed."))
    if result not in (ItemResult.OK, ItemResult.PROBLEM):
        raise ValidationError(_("Choose OK or problem."))
    if result == ItemResult.PROBLEM and not note.strip():
        raise ValidationError(_("Describe the problem."))
    if photo:
        check_image(photo)
        item.photo = photo
    item.result = result
    item.note = note.strip()
    item.severity = (severity or Severity.MEDIUM) if result == ItemResult.PROBLEM else ""
    item.save()
    return item


def submit_inspection(inspection: Inspection, *, by, now=None) -> list[Hazard]:
    """Submit once: every item must be checked; each problem becomes a hazard with a deadline."""
    _require_inspector(by, inspection)
    now = now or timezone.now()
    items = list(inspection.items.all())
    if any(i.result == ItemResult.PENDING for i in items):
        raise ValidationError(_("Check every item before submitting."))
    with transaction.atomic():
        move(inspection, InspectionStatus.SUBMITTED, transitions=INSPECTION_TRANSITIONS, extra={"submitted_at": now, "submitted_by": by})
        found = timezone.localdate(now)
        hazards = [
            Hazard.objects.create(
                school_id=inspection.school_id, item=i, description=f"{inspection.plan.name}: {i.text} — {i.note}",
                severity=i.severity or Severity.MEDIUM, responsible_id=inspection.responsible_id, found_on=found,
                deadline=found + dt.timedelta(days=RECTIFY_DAYS[i.severity or Severity.MEDIUM]),
            )
            for i in items
            if i.result == ItemResult.PROBLEM
        ]
    for h in hazards:
        notify_role(
            inspection.school, Role.LOGISTICS_DIRECTOR,
            text=format_lazy(gettext_lazy("New hazard found: {d}"), d=h.description[:80]), key=f"safety:hazard-new:{h.pk}",
        )
    return hazards


# --- hazards ------------------------------------------------------------------------------------

def _director(user, school) -> bool:
    return has_role(user, Role.LOGISTICS_DIRECTOR, school=school)


def create_repair_for_hazard(hazard: Hazard, *, by, urgency: str = "normal"):
    """One click: a repair ticket for the hazard's room (once)."""
    from repairs.services import create_repair

    require(by, "safety.inspect", school=hazard.school)
    if hazard.repair_id:
        raise ValidationError(_("A repair ticket is already linked."))
    room = hazard.item.inspection.plan.room if hazard.item_id else None
    if room is None:
        raise ValidationError(_("This hazard has no room to send a repairer to."))
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if locked.repair_id:
            raise ValidationError(_("A repair ticket is already linked."))
        repair = create_repair(
            school=hazard.school, reporter=by, room=room, description=hazard.description, urgency=urgency,
            source_note=_("Safety hazard #%(pk)s") % {"pk": hazard.pk},
        )
        Hazard.objects.filter(pk=hazard.pk).update(repair=repair)
    hazard.repair = repair
    return repair


def rectify_hazard(hazard: Hazard, *, by, note: str, photo, now=None) -> Hazard:
    """The responsible person (or the director) reports the fix, with a note and photo evidence."""
    if by.pk != hazard.responsible_id and not _director(by, hazard.school):
        require(by, "safety.verify_hazard", school=hazard.school)
    if not note.strip():
        raise ValidationError(_("Describe what was done."))
    if not photo:
        raise ValidationError(_("A photo of the fix is required."))
    check_image(photo)
    now = now or timezone.now()
    with transaction.atomic():
        move(hazard, HazardStatus.RECTIFIED, transitions=HAZARD_TRANSITIONS, extra={"rectified_at": now, "closing_note": note.strip()})
        hazard.refresh_from_db()
        hazard.closing_photo = photo
        hazard.save(update_fields=["closing_photo"])
    notify_role(
        hazard.school, Role.LOGISTICS_DIRECTOR,
        text=format_lazy(gettext_lazy("Hazard rectified, please verify: {d}"), d=hazard.description[:80]),
        key=f"safety:hazard-rectified:{hazard.pk}:{now:%Y%m%d%H%M%S}",
    )
    return hazard


def verify_hazard(hazard: Hazard, *, by, accept: bool = True, now=None) -> Hazard:
    """The director closes a rectified hazard, or sends it back open."""
    require(by, "safety.verify_hazard", school=hazard.school)
    now = now or timezone.now()
    if accept:
        move(hazard, HazardStatus.VERIFIED, transitions=HAZARD_TRANSITIONS, extra={"verified_at": now, "verified_by": by})
    else:
        move(hazard, HazardStatus.OPEN, transitions=HAZARD_TRANSITIONS, extra={"rectified_at": None})
        notify(hazard.responsible, school=hazard.school, text=format_lazy(gettext_lazy("Rectification not accepted: {d}"), d=hazard.description[:80]))
    hazard.refresh_from_db()
    return hazard


def update_hazard(hazard: Hazard, **fields) -> None:
    """Closed (verified) hazards are immutable."""
    if hazard.status == HazardStatus.VERIFIED:
        raise ValidationError(_("A verified hazard cannot be changed."))
    for k, v in fields.items():
        setattr(hazard, k, v)
    hazard.save()


# --- reminders and escalation ---------------------------------------------------------------------

def remind(*, today: dt.date | None = None) -> int:
    """Notify of inspections due today not done and hazards due tomorrow or overdue (once per item per day)."""
    today = today or local_today()
    sent = 0
    for ins in Inspection.objects.filter(due_date=today, status=InspectionStatus.DUE).select_related("plan", "school", "responsible"):
        if notify(
            ins.responsible, school=ins.school, key=f"safety:inspection-due:{ins.pk}:{today:%Y-%m-%d}",
            text=format_lazy(gettext_lazy("Inspection due today: {plan}"), plan=ins.plan.name),
        ):
            sent += 1
    near = today + dt.timedelta(days=1)
    for h in Hazard.objects.filter(status=HazardStatus.OPEN, deadline__lte=near).select_related("school", "responsible"):
        text = (
            format_lazy(gettext_lazy("Hazard overdue since {d}: {h}"), d=h.deadline, h=h.description[:80])
            if h.deadline < today
            else format_lazy(gettext_lazy("Hazard to rectify by {d}: {h}"), d=h.deadline, h=h.description[:80])
        )
        if notify(h.responsible, school=h.school, key=f"safety:hazard-due:{h.pk}:{today:%Y-%m-%d}", text=text):
            sent += 1
    return sent


def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Overdue open hazards go to the director; still open PRINCIPAL_AFTER_DAYS later, to the principal.

    Each level is taken by a conditional UPDATE, so it happens once whoever runs the sweep.
    """
    today = today or local_today()
    done = 0
    steps = (
        (0, 1, today, Role.LOGISTICS_DIRECTOR),
        (1, 2, today - dt.timedelta(days=PRINCIPAL_AFTER_DAYS), Role.PRINCIPAL),
    )
    for level, next_level, before, role in steps:
        for h in Hazard.objects.filter(status=HazardStatus.OPEN, escalation_level=level, deadline__lt=before).select_related("school"):
            if Hazard.objects.filter(pk=h.pk, escalation_level=level).update(escalation_level=F("escalation_level") + 1):
                notify_role(
                    h.school, role, key=f"safety:hazard-escalated:{h.pk}:{next_level}",
                    text=format_lazy(gettext_lazy("Overdue hazard (deadline {d}): {h}"), d=h.deadline, h=h.description[:80]),
                )
                done += 1
    return done


# --- gate -----------------------------------------------------------------------------------------

def register_visitor(*, school, by, name: str, id_last4: str, phone: str, visiting: str, purpose: str, now=None) -> Visitor:
    require(by, "safety.visitors", school=school)
    id_last4 = (id_last4 or "").strip().upper()
    visitor = Visitor(
        school=school, registered_by=by, name=name.strip(), id_last4=id_last4, phone=phone.strip(),
        visiting=visiting.strip(), purpose=purpose.strip(), time_in=now or timezone.now(),
    )
    visitor.full_clean()
    visitor.save()
    return visitor


def visitor_out(visitor: Visitor, *, by, now=None) -> Visitor:
    require(by, "safety.visitors", school=visitor.school)
    now = now or timezone.now()
    if not Visitor.objects.filter(pk=visitor.pk, time_out__isnull=True).update(time_out=now):
        raise ValidationError(_("This visitor has already left."))
    visitor.refresh_from_db()
    return visitor
