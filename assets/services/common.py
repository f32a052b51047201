"""Helpers the assets services share: amounts, quantities, the audit log of refused edits, history rows."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from logistics.audit import refused

CENT = Decimal("0.01")


def money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except Exception as exc:  # noqa: BLE001 - any bad number is the user's input error
        raise ValidationError({field: _("Enter a valid amount.")}) from exc
    if not amount.is_finite():
        raise ValidationError({field: _("Enter a valid amount.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount >= Decimal("10000000000"):
        raise ValidationError({field: _("The amount is too large.")})
    return amount


def quantity(value) -> Decimal:
    try:
        q = Decimal(str(value)).quantize(CENT)
    except Exception as exc:  # noqa: BLE001
        raise ValidationError({"quantity": _("Enter a valid quantity.")}) from exc
    if not q.is_finite():
        raise ValidationError({"quantity": _("Enter a valid quantity.")})
    if q <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than zero.")})
    if q >= Decimal("10000000000"):
        raise ValidationError({"quantity": _("The quantity is too large.")})
    return q


def refuse(obj, *, by, action: str, message) -> None:
    """Refuse a change to a record that is final (written off, confirmed, decided): log it, then raise.

    Every refused attempt leaves one line in the shared ``logistics.audit`` log (who, which record,
    what was tried, why), whichever view, form, task or command tried it.
    """
    school = getattr(obj, "school", None) or getattr(getattr(obj, "asset", None), "school", None)
    raise refused(message, obj=obj, by=by, action=action, school=school)


def record_history(obj, *, by, reason: str, fields) -> None:
    """Save ``fields`` through the model so django-simple-history keeps who/when/why of a status change
    made by a conditional UPDATE (``logistics.workflow.move``), which bypasses ``save()``."""
    obj._history_user = by
    obj._change_reason = reason
    obj.save(update_fields=list(fields))
