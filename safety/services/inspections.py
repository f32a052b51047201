"""Doing an inspection: record each checklist item, then submit once — after that it is immutable."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.audit import refused
from logistics.roles import Role, require
from logistics.services import notify_role
from logistics.workflow import move
from safety.choices import INSPECTION_TRANSITIONS, RECTIFY_DAYS, InspectionStatus, ItemResult, Severity
from safety.models import Hazard, Inspection, InspectionItem
from safety.services.common import check_image


def _refuse_if_submitted(inspection: Inspection, *, by, action: str) -> None:
    if inspection.status != InspectionStatus.DUE:
        raise refused(_("This inspection is submitted and can no longer be changed."), obj=inspection, by=by, action=action)


def record_item(item: InspectionItem, *, by, result: str, note: str = "", photo=None, severity: str = "", now=None) -> InspectionItem:
    """Record one checklist item (OK, or a problem with a note, a severity and maybe a photo).

    Refused — and written to the audit log — once the inspection is submitted.
    """
    inspection = item.inspection
    require(by, "safety.inspect", school=inspection.school)
    _refuse_if_submitted(inspection, by=by, action="safety.record_item")
    if result not in (ItemResult.OK, ItemResult.PROBLEM):
        raise ValidationError(_("Choose OK or problem."))
    note = (note or "").strip()
    if result == ItemResult.PROBLEM and not note:
        raise ValidationError(_("Describe the problem."))
    if severity and severity not in Severity.values:
        raise ValidationError(_("Unknown severity."))
    if photo:
        check_image(photo)
    with transaction.atomic():
        # Lock the inspection so an item cannot change while (or after) it is being submitted.
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        _refuse_if_submitted(locked, by=by, action="safety.record_item")
        if photo:
            item.photo = photo
        item.result = result
        item.note = note
        item.severity = (severity or Severity.MEDIUM) if result == ItemResult.PROBLEM else ""
        item.recorded_at = now or timezone.now()
        item.recorded_by = by
        item.save()
    return item


def submit_inspection(inspection: Inspection, *, by, now=None) -> list[Hazard]:
    """Submit once: every item must be checked; each problem becomes a hazard with a deadline.

    A second submission (or one racing the first) is refused and written to the audit log.
    """
    require(by, "safety.inspect", school=inspection.school)
    _refuse_if_submitted(inspection, by=by, action="safety.submit_inspection")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
        _refuse_if_submitted(locked, by=by, action="safety.submit_inspection")
        items = list(locked.items.order_by("position"))
        if any(i.result == ItemResult.PENDING for i in items):
            raise ValidationError(_("Check every item before submitting."))
        problems = sum(1 for i in items if i.result == ItemResult.PROBLEM)
        try:
            move(inspection, InspectionStatus.SUBMITTED, transitions=INSPECTION_TRANSITIONS,
                 extra={"submitted_at": now, "submitted_by": by, "problem_count": problems})
        except ValidationError as exc:  # someone else submitted it a moment ago
            raise refused(exc.messages[0], obj=inspection, by=by, action="safety.submit_inspection") from None
        found = timezone.localdate(now)
        hazards = [
            Hazard.objects.create(
                school_id=inspection.school_id, item=i, description=f"{locked.plan.name}: {i.text} — {i.note}",
                severity=i.severity or Severity.MEDIUM, responsible_id=inspection.responsible_id, found_on=found,
                deadline=found + dt.timedelta(days=RECTIFY_DAYS[i.severity or Severity.MEDIUM]),
            )
            for i in items
            if i.result == ItemResult.PROBLEM
        ]
    for h in hazards:
        notify_role(
            inspection.school, Role.LOGISTICS_DIRECTOR, url=h.get_absolute_url(),
            text=format_lazy(gettext_lazy("New hazard found: {d}"), d=h.description[:80]), key=f"safety:hazard-new:{h.pk}",
        )
    return hazards
