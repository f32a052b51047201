"""The gate register (来访登记) and emergency drills (应急演练)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.roles import require
from safety.models import Drill, Visitor
from safety.services.common import local_today


def register_visitor(*, school, by, name: str, id_last4: str, phone: str, visiting: str, purpose: str, now=None) -> Visitor:
    """A visitor comes in; only the last 4 characters of the ID are kept (a full number is refused)."""
    require(by, "safety.visitors", school=school)
    visitor = Visitor(
        school=school, registered_by=by, name=(name or "").strip(), id_last4=(id_last4 or "").strip().upper(),
        phone=(phone or "").strip(), visiting=(visiting or "").strip(), purpose=(purpose or "").strip(), time_in=now or timezone.now(),
    )
    visitor.full_clean()
    visitor.save()
    return visitor


def visitor_out(visitor: Visitor, *, by, now=None) -> Visitor:
    """The visitor leaves (once)."""
    require(by, "safety.visitors", school=visitor.school)
    now = now or timezone.now()
    if not Visitor.objects.filter(pk=visitor.pk, time_out__isnull=True).update(time_out=max(now, visitor.time_in)):
        raise ValidationError(_("This visitor has already left."))
    visitor.refresh_from_db()
    return visitor


def inside_at(school, when: dt.datetime | None = None):
    """Visitors who came in (up to ``when``) and have not left: the list at close-up time."""
    qs = Visitor.objects.filter(school=school, time_out__isnull=True)
    if when is not None:
        qs = qs.filter(time_in__lte=when)
    return qs.order_by("time_in")


def record_drill(*, school, by, held_on: dt.date, kind: str, participants: int = 0, note: str = "") -> Drill:
    """An emergency drill held (recorded by the logistics office)."""
    require(by, "safety.manage_plans", school=school)
    kind = (kind or "").strip()
    if not kind:
        raise ValidationError({"kind": _("Say what kind of drill it was.")})
    if held_on > local_today():
        raise ValidationError({"held_on": _("A drill is recorded after it was held, not before.")})
    if participants is None or participants < 0:
        raise ValidationError({"participants": _("Give the number of participants.")})
    drill = Drill(school=school, held_on=held_on, kind=kind, participants=participants, note=(note or "").strip(), recorded_by=by)
    drill.full_clean()
    drill.save()
    return drill
