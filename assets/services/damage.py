"""Damage and compensation (赔偿制度) and write-off (报废) with the director's decision."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from logistics.roles import Role, require
from logistics.services import notify_role
from logistics.workflow import move

from ..choices import ASSET_TRANSITIONS, WRITEOFF_TRANSITIONS, AssetStatus, DamageCause, WriteOffStatus
from ..models import Asset, DamageRecord, WriteOff
from .common import CENT, money, record_history, refuse
from .register import refuse_if_written_off


def compensation_rule(asset: Asset, cause: str) -> tuple[Decimal, Decimal, bool]:
    """(value basis, amount by the rule, discipline referral) for a cause."""
    basis = asset.current_value
    if cause == DamageCause.NATURAL:
        return basis, Decimal("0.00"), False
    if cause == DamageCause.ACCIDENTAL:
        return basis, basis, False
    if cause == DamageCause.DELIBERATE:
        return basis, (basis * 2).quantize(CENT), True
    raise ValidationError({"cause": _("Unknown cause.")})


@transaction.atomic
def record_damage(asset, *, cause, liable_person, by, repair=None, note="") -> DamageRecord:
    """Record damage: natural → nothing to pay; accidental → current value; deliberate → twice that + discipline."""
    require(by, "assets.damage", school=asset.school)
    refuse_if_written_off(asset, by=by, action="assets.record_damage")
    basis, amount, discipline = compensation_rule(asset, cause)
    if cause != DamageCause.NATURAL and liable_person is None:
        raise ValidationError({"liable_person": _("Name the person liable.")})
    if liable_person is not None and not liable_person.memberships.filter(school=asset.school).exists():
        raise ValidationError({"liable_person": _("The person is not a member of this school.")})
    record = DamageRecord(
        asset=asset, cause=cause, liable_person=liable_person, value_basis=basis, proposed_amount=amount, amount=amount,
        discipline_referral=discipline, repair_id=getattr(repair, "pk", None), note=(note or "").strip(), by=by,
    )
    record._change_reason, record._history_user = "recorded", by
    record.save()
    return record


@transaction.atomic
def change_damage_amount(record: DamageRecord, *, amount, reason, by) -> DamageRecord:
    """Change the amount to pay: only with a reason, kept in the record's audited history."""
    require(by, "assets.damage", school=record.asset.school)
    refuse_if_written_off(record.asset, by=by, action="assets.change_damage_amount")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for changing the amount.")})
    record.amount = money(amount, field="amount")
    record.amount_reason = reason
    record._change_reason, record._history_user = reason[:100], by  # the full reason is in amount_reason
    record.save(update_fields=["amount", "amount_reason"])
    return record


@transaction.atomic
def request_writeoff(asset: Asset, *, reason, by) -> WriteOff:
    """Ask to write an asset off: it becomes 'to be written off' and the directors are told."""
    require(by, "assets.damage", school=asset.school)
    refuse_if_written_off(asset, by=by, action="assets.request_writeoff")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the write-off.")})
    previous = move(asset, AssetStatus.TO_WRITE_OFF, transitions=ASSET_TRANSITIONS)
    record_history(asset, by=by, reason=f"write-off requested: {reason}"[:100], fields=["status", "updated_at"])
    w = WriteOff(asset=asset, reason=reason, previous_status=previous, requested_by=by)
    w._history_user = by
    w.save()
    notify_role(asset.school, Role.LOGISTICS_DIRECTOR, text=format_lazy(_("Write-off to approve: {asset}."), asset=asset),
                url=reverse("assets:writeoff_list"), key=f"assets:writeoff:{w.pk}")
    return w


DECIDED_IS_FINAL = _("This write-off was already decided; the decision is final.")


@transaction.atomic
def decide_writeoff(w: WriteOff, *, approve: bool, by, note="") -> WriteOff:
    """The director approves (asset written off, kept in history) or rejects (asset back as it was). Once."""
    require(by, "assets.approve_writeoff", school=w.asset.school)
    current = WriteOff.objects.filter(pk=w.pk).values_list("status", flat=True).first()
    if current != WriteOffStatus.PENDING:
        refuse(w, by=by, action="assets.decide_writeoff", message=DECIDED_IS_FINAL)
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the write-off is rejected.")})
    to = WriteOffStatus.APPROVED if approve else WriteOffStatus.REJECTED
    move(w, to, transitions=WRITEOFF_TRANSITIONS, extra={"decided_by": by, "decided_at": timezone.now(), "decision_note": (note or "").strip()})
    w._history_user, w._change_reason = by, str(to)
    w.save(update_fields=["updated_at"])
    asset = Asset.objects.get(pk=w.asset_id)
    move(asset, AssetStatus.WRITTEN_OFF if approve else w.previous_status, transitions=ASSET_TRANSITIONS)
    record_history(asset, by=by, reason="write-off approved" if approve else f"write-off rejected: {note}"[:100],
                   fields=["status", "updated_at"])
    return w
