"""Hazards (限时整改): a repair ticket in one click, the fix with evidence, the director's check."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.audit import refused
from logistics.roles import Role, can, has_role, require
from logistics.services import notify, notify_role
from logistics.workflow import move
from safety.choices import HAZARD_TRANSITIONS, REPAIR_URGENCY, HazardStatus, Severity
from safety.models import Hazard
from safety.services.common import check_image, local_today

# Days past the deadline after which an overdue hazard goes on from the director to the principal.
PRINCIPAL_AFTER_DAYS = 3


def repair_rooms(hazard: Hazard):
    """Rooms a repair ticket for this hazard can be sent to: the plan's room, the rooms of its
    building, or — for a plan of the whole school, or a hazard not from an inspection — any room."""
    from logistics.models import Room

    plan = hazard.item.inspection.plan if hazard.item_id else None
    rooms = Room.objects.filter(school_id=hazard.school_id).select_related("building")
    if plan is not None and plan.room_id:
        return rooms.filter(pk=plan.room_id)
    if plan is not None and plan.building_id:
        return rooms.filter(building_id=plan.building_id)
    return rooms


def create_repair_for_hazard(hazard: Hazard, *, by, room=None, urgency: str | None = None):
    """One click: a repair ticket for the hazard's room (once), urgent for a high-severity hazard.

    A plan for a whole building needs the room the repairer should go to (one of that building's)."""
    from repairs.services import create_repair

    require(by, "safety.inspect", school=hazard.school)
    if hazard.repair_id:
        raise ValidationError(_("A repair ticket is already linked."))
    if hazard.status != HazardStatus.OPEN:
        raise ValidationError(_("Only an open hazard can open a repair ticket."))
    rooms = repair_rooms(hazard)
    if room is None:
        only = list(rooms[:2])
        if len(only) != 1:
            raise ValidationError(_("Choose the room the repairer should go to."))
        room = only[0]
    elif not rooms.filter(pk=room.pk).exists():
        raise ValidationError(_("Choose a room of the inspected area."))
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if locked.repair_id:
            raise ValidationError(_("A repair ticket is already linked."))
        repair = create_repair(
            school=hazard.school, reporter=by, room=room, description=hazard.description,
            urgency=urgency or REPAIR_URGENCY[hazard.severity], source_note=_("Safety hazard #%(pk)s") % {"pk": hazard.pk},
        )
        Hazard.objects.filter(pk=hazard.pk).update(repair=repair)
    hazard.repair = repair
    return repair


def rectify_hazard(hazard: Hazard, *, by, note: str, photo, now=None) -> Hazard:
    """The responsible person (or the director) reports the fix, with a note and photo evidence."""
    if by.pk != hazard.responsible_id:
        require(by, "safety.verify_hazard", school=hazard.school)
    if hazard.status != HazardStatus.OPEN:
        raise ValidationError(_("This hazard is not open."))
    if not (note or "").strip():
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
        hazard.school, Role.LOGISTICS_DIRECTOR, url=hazard.get_absolute_url(),
        text=format_lazy(gettext_lazy("Hazard rectified, please verify: {d}"), d=hazard.description[:80]),
        key=f"safety:hazard-rectified:{hazard.pk}:{now:%Y%m%d%H%M%S}",
    )
    return hazard


def verify_hazard(hazard: Hazard, *, by, accept: bool = True, note: str = "", now=None) -> Hazard:
    """The director closes a rectified hazard, or sends it back open (with the reason, to the responsible person)."""
    require(by, "safety.verify_hazard", school=hazard.school)
    now = now or timezone.now()
    if hazard.status != HazardStatus.RECTIFIED:
        raise ValidationError(_("Only a rectified hazard can be verified or sent back."))
    if accept:
        move(hazard, HazardStatus.VERIFIED, transitions=HAZARD_TRANSITIONS, extra={"verified_at": now, "verified_by": by})
    else:
        move(hazard, HazardStatus.OPEN, transitions=HAZARD_TRANSITIONS, extra={"rectified_at": None})
        reason = (note or "").strip()
        text = (format_lazy(gettext_lazy("Rectification not accepted ({why}): {d}"), why=reason[:120], d=hazard.description[:80])
                if reason else format_lazy(gettext_lazy("Rectification not accepted: {d}"), d=hazard.description[:80]))
        notify(hazard.responsible, school=hazard.school, url=hazard.get_absolute_url(), text=text)
    hazard.refresh_from_db()
    return hazard


def update_hazard(hazard: Hazard, *, by, severity: str | None = None, responsible=None, deadline: dt.date | None = None) -> Hazard:
    """The director changes the severity, the responsible person or the deadline of a hazard not yet closed.

    A verified hazard is immutable (refused and audited). A deadline moved into the future starts
    the escalation again from the director."""
    require(by, "safety.verify_hazard", school=hazard.school)
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.status == HazardStatus.VERIFIED:
            raise refused(_("A verified hazard cannot be changed."), obj=hazard, by=by, action="safety.update_hazard")
        if severity is not None:
            if severity not in Severity.values:
                raise ValidationError({"severity": _("Unknown severity.")})
            hazard.severity = severity
        if responsible is not None and responsible.pk != hazard.responsible_id:
            if not can(responsible, "safety.view", school=hazard.school) or has_role(responsible, Role.DISTRICT_OFFICER, school=hazard.school):
                raise ValidationError({"responsible": _("The responsible person must work at this school.")})
            hazard.responsible = responsible
            notify(responsible, school=hazard.school, url=hazard.get_absolute_url(),
                   text=format_lazy(gettext_lazy("Hazard given to you to rectify by {d}: {h}"), d=deadline or hazard.deadline, h=hazard.description[:80]))
        if deadline is not None and deadline != hazard.deadline:
            if deadline < hazard.found_on:
                raise ValidationError({"deadline": _("The deadline cannot be before the day the hazard was found.")})
            hazard.deadline = deadline
            if deadline >= local_today():
                hazard.escalation_level = 0
        hazard.save()
    return hazard


def people_for_hazards(school):
    """Who a hazard can be given to: the school's staff who see safety (not district officers)."""
    from logistics.models import User
    from logistics.roles import CAPABILITIES

    roles = CAPABILITIES["safety.view"] - {Role.DISTRICT_OFFICER}
    return User.objects.filter(is_active=True, memberships__school=school, memberships__role__in=roles).distinct().order_by("full_name", "username")
