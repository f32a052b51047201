"""Food-safety records: receiving (two signers, licence, certificate, retention), meal samples
(≥ 125 g, kept ≥ 48 h), tableware disinfection against the national minimums, close-up checks,
health certificates and accompanied meals."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canteen.choices import RECEIVING_TRANSITIONS, CompanionKind, ReceivingStatus
from canteen.models import AccompaniedMeal, CloseUpCheck, DisinfectionLog, MealSample, Receiving
from canteen.services.accounts import refuse_if_month_closed
from logistics.audit import refused
from canteen.services.menus import settings_for
from logistics.models import Membership
from logistics.roles import Role, can, has_role, require
from logistics.workflow import move

MIN_SAMPLE_GRAMS = Decimal("125")
RETENTION_AFTER_SHELF_LIFE_MONTHS = 6
RETENTION_MINIMUM_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (the month's last day when it is shorter)."""
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- uploads -------------------------------------------------------------------------------

def check_certificate(upload) -> None:
    """A certificate must be a PDF or an image, by its content, and not too large."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too large (at most %(mb)s MB).") % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("The certificate must be a PDF or a photo (JPEG, PNG).")) from None
    finally:
        upload.seek(0)


def is_parent_committee(user, school) -> bool:
    return Membership.objects.filter(user=user, school=school, role=Role.PARENT, is_parent_committee=True).exists()


# --- receiving -----------------------------------------------------------------------------

@transaction.atomic
def update_supplier(supplier, *, by, **values):
    """A supplier's details, e.g. a renewed licence. Deliveries already recorded keep theirs:
    the licence check happens when a delivery is recorded or corrected."""
    require(by, "canteen.manage", school=supplier.school)
    for name in ("name", "licence_number", "licence_expiry", "contact"):
        if name in values:
            setattr(supplier, name, values[name])
    supplier.full_clean()
    supplier.save()
    return supplier


RECEIVING_FIELDS = ("supplier", "received_on", "item", "ingredient", "quantity", "unit", "unit_price", "batch", "production_date", "shelf_life_days")


def _check_delivery(school, *, supplier, received_on: dt.date, quantity, unit_price, production_date=None, **_ignored) -> None:
    if supplier.school_id != school.pk:
        raise ValidationError(_("Unknown supplier."))
    if supplier.licence_expiry < received_on:
        raise ValidationError(_("The supplier's licence expired on %(date)s; the delivery cannot be accepted.") % {"date": supplier.licence_expiry})
    if Decimal(quantity) <= 0 or Decimal(unit_price) < 0:
        raise ValidationError(_("Quantity must be more than 0 and the price not negative."))
    if production_date and production_date > received_on:
        raise ValidationError(_("The production date cannot be after the delivery."))


def _amount(quantity, unit_price) -> Decimal:
    return (Decimal(quantity) * Decimal(unit_price)).quantize(Decimal("0.01"))


@transaction.atomic
def record_receiving(*, school, by, supplier, received_on: dt.date, item: str, quantity, unit_price, unit: str = "kg",
                     batch: str = "", production_date=None, shelf_life_days: int = 7, certificate=None, ingredient=None) -> Receiving:
    """The first checker records a delivery; it waits for a second, different signer."""
    require(by, "canteen.sign_receiving", school=school)
    _check_delivery(school, supplier=supplier, received_on=received_on, quantity=quantity, unit_price=unit_price, production_date=production_date)
    refuse_if_month_closed(school, received_on, by=by, action="canteen.receiving_create")
    if certificate:
        check_certificate(certificate)
    return Receiving.objects.create(
        school=school, supplier=supplier, received_on=received_on, item=item, ingredient=ingredient, quantity=quantity, unit=unit,
        unit_price=unit_price, amount=_amount(quantity, unit_price), batch=batch, production_date=production_date, shelf_life_days=shelf_life_days,
        certificate=certificate or "", checked_by=by,
    )


def check_receiving_open(receiving: Receiving, *, by, action: str) -> None:
    """A signed (accepted) or rejected delivery is final: every change is refused and logged."""
    status = Receiving.objects.filter(pk=receiving.pk).values_list("status", flat=True).first()
    if status != ReceivingStatus.PENDING:
        raise refused(_("This delivery is signed or rejected; its record can no longer be changed."), obj=receiving, by=by, action=action)


@transaction.atomic
def update_receiving(receiving: Receiving, *, by, certificate=None, **values) -> Receiving:
    """Correct a delivery that still waits for its second signature, e.g. attach the certificate.
    The row is locked, so a signature at the same moment comes either before (and the change is
    refused) or after the change."""
    require(by, "canteen.sign_receiving", school=receiving.school)
    unknown = set(values) - set(RECEIVING_FIELDS)
    if unknown:
        raise ValidationError(_("“%(field)s” cannot be changed here.") % {"field": ", ".join(sorted(unknown))})
    locked = Receiving.objects.select_for_update().get(pk=receiving.pk)
    check_receiving_open(locked, by=by, action="canteen.receiving_edit")
    refuse_if_month_closed(locked.school, locked.received_on, by=by, obj=locked, action="canteen.receiving_edit")
    data = {name: getattr(locked, name) for name in RECEIVING_FIELDS} | values
    _check_delivery(locked.school, **data)
    refuse_if_month_closed(locked.school, data["received_on"], by=by, obj=locked, action="canteen.receiving_edit")
    for name, value in data.items():
        setattr(locked, name, value)
    locked.amount = _amount(data["quantity"], data["unit_price"])
    fields = [*RECEIVING_FIELDS, "amount", "updated_at"]
    if certificate:
        check_certificate(certificate)
        locked.certificate = certificate
        fields.append("certificate")
    locked.save(update_fields=fields)  # never the status: a signature is not undone by a late edit
    return locked


def _lock_pending(receiving: Receiving, *, by, action: str, seen=None) -> Receiving:
    """Lock the row for the decision; refuse a final record, and one changed since the signer
    opened it (``seen`` = the ``updated_at`` they saw), so nobody signs what they did not see."""
    locked = Receiving.objects.select_for_update().get(pk=receiving.pk)
    check_receiving_open(locked, by=by, action=action)
    if seen is not None and locked.updated_at != seen:
        raise ValidationError(_("The delivery was changed after you opened it; check it again before deciding."))
    return locked


@transaction.atomic
def sign_receiving(receiving: Receiving, *, by, seen=None) -> Receiving:
    """The second signature accepts the delivery: it must come from another person."""
    require(by, "canteen.sign_receiving", school=receiving.school)
    receiving = _lock_pending(receiving, by=by, action="canteen.receiving_sign", seen=seen)
    if by.pk == receiving.checked_by_id:
        raise ValidationError(_("The second signature must come from a different person."))
    if not receiving.certificate:
        raise ValidationError(_("Attach the certificate or inspection report before accepting the delivery."))
    refuse_if_month_closed(receiving.school, receiving.received_on, by=by, obj=receiving, action="canteen.receiving_sign")
    move(receiving, ReceivingStatus.ACCEPTED, transitions=RECEIVING_TRANSITIONS, extra={"signed_by": by, "signed_at": timezone.now()})
    return receiving


@transaction.atomic
def reject_receiving(receiving: Receiving, *, by, reason: str, seen=None) -> Receiving:
    require(by, "canteen.sign_receiving", school=receiving.school)
    receiving = _lock_pending(receiving, by=by, action="canteen.receiving_reject", seen=seen)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."))
    move(receiving, ReceivingStatus.REJECTED, transitions=RECEIVING_TRANSITIONS, extra={"signed_by": by, "signed_at": timezone.now(), "reject_reason": reason.strip()})
    return receiving


@transaction.atomic
def record_committee_check(receiving: Receiving, *, by, remarks: str) -> Receiving:
    """A parents' committee member records that they took part in checking this delivery."""
    if not is_parent_committee(by, receiving.school):
        raise PermissionDenied("canteen.parent_committee")
    if not remarks.strip():
        raise ValidationError(_("Write what you checked."))
    changed = Receiving.objects.filter(pk=receiving.pk, committee_member__isnull=True).update(committee_member=by, committee_note=remarks.strip()[:300])
    if not changed:
        raise ValidationError(_("A committee member has already recorded this check."))
    receiving.refresh_from_db()
    return receiving


def retention_end(receiving: Receiving) -> dt.date:
    """Kept ≥ 6 months past the product's shelf life and never less than 2 years."""
    made = receiving.production_date or receiving.received_on
    best_before = made + dt.timedelta(days=receiving.shelf_life_days)
    return max(add_months(best_before, RETENTION_AFTER_SHELF_LIFE_MONTHS), add_months(receiving.received_on, RETENTION_MINIMUM_MONTHS))


@transaction.atomic
def delete_receiving(receiving: Receiving, *, by, today: dt.date | None = None) -> None:
    require(by, "canteen.manage", school=receiving.school)
    today = today or timezone.localdate()
    end = retention_end(receiving)
    if today < end:
        raise refused(_("This record must be kept until %(date)s.") % {"date": end}, obj=receiving, by=by, action="canteen.receiving_delete")
    receiving.certificate.delete(save=False) if receiving.certificate else None
    receiving.delete()


# --- meal samples --------------------------------------------------------------------------

@transaction.atomic
def record_sample(*, school, by, day: dt.date, meal: str, dish, weight_g, fridge_temp_c, taken_at=None) -> MealSample:
    require(by, "canteen.manage", school=school)
    if Decimal(weight_g) < MIN_SAMPLE_GRAMS:
        raise ValidationError(_("A sample must weigh at least 125 g."))
    if dish.school_id != school.pk:
        raise ValidationError(_("Unknown dish."))
    if not 0 <= Decimal(fridge_temp_c) <= 8:
        raise ValidationError(_("Samples are kept refrigerated (0–8 °C); check the fridge."))
    try:
        with transaction.atomic():
            return MealSample.objects.create(
                school=school, day=day, meal=meal, dish=dish, weight_g=weight_g, fridge_temp_c=fridge_temp_c, taken_at=taken_at or timezone.now(), taken_by=by
            )
    except IntegrityError:
        raise ValidationError(_("This dish already has a sample for that meal.")) from None


@transaction.atomic
def discard_sample(sample: MealSample, *, by, at=None) -> MealSample:
    require(by, "canteen.manage", school=sample.school)
    at = at or timezone.now()
    earliest = sample.keep_until
    if at < earliest:
        raise ValidationError(_("A sample is kept at least 48 hours: not before %(time)s.") % {"time": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M")})
    if not MealSample.objects.filter(pk=sample.pk, discarded_at__isnull=True).update(discarded_at=at, discarded_by=by):
        raise ValidationError(_("This sample was already discarded."))
    sample.refresh_from_db()
    return sample


# --- disinfection, close-up, accompanied meals ---------------------------------------------

def below_minimum(method, *, temp_c, seconds, concentration_mg_l) -> bool:
    if seconds is None or seconds < method.min_seconds:
        return True
    if method.min_temp_c is not None and (temp_c is None or Decimal(temp_c) < method.min_temp_c):
        return True
    if method.min_concentration_mg_l is not None and (concentration_mg_l is None or Decimal(concentration_mg_l) < method.min_concentration_mg_l):
        return True
    return False


@transaction.atomic
def record_disinfection(*, school, by, method, batch: str, seconds: int, temp_c=None, concentration_mg_l=None, done_at=None, redo_of=None) -> DisinfectionLog:
    """A batch below the method's minimum is recorded and flagged: it must be disinfected again."""
    require(by, "canteen.manage", school=school)
    if redo_of is not None and (redo_of.school_id != school.pk or not redo_of.below_minimum):
        raise ValidationError(_("Only a flagged batch of this canteen is disinfected again."))
    if redo_of is not None and DisinfectionLog.objects.filter(redo_of=redo_of).exists():
        raise ValidationError(_("This batch was already disinfected again."))
    flag = below_minimum(method, temp_c=temp_c, seconds=seconds, concentration_mg_l=concentration_mg_l)
    return DisinfectionLog.objects.create(
        school=school, method=method, batch=batch, seconds=seconds, temp_c=temp_c, concentration_mg_l=concentration_mg_l,
        done_at=done_at or timezone.now(), by=by, below_minimum=flag, redo_of=redo_of,
    )


@transaction.atomic
def record_closeup(*, school, by, day: dt.date, gas_off: bool, power_off: bool, water_off: bool, doors_locked: bool, note: str = "") -> CloseUpCheck:
    require(by, "canteen.manage", school=school)
    if not all((gas_off, power_off, water_off, doors_locked)) and not note.strip():
        raise ValidationError(_("Something is not off or locked: say what and what was done."))
    if CloseUpCheck.objects.filter(school=school, day=day).exists():
        raise ValidationError(_("Today's close-up check is already recorded."))
    return CloseUpCheck.objects.create(school=school, day=day, gas_off=gas_off, power_off=power_off, water_off=water_off, doors_locked=doors_locked, note=note, by=by)


@transaction.atomic
def record_accompanied_meal(*, school, by, day: dt.date, meal: str, observations: str, issues: str = "") -> AccompaniedMeal:
    """School leaders and parents' committee members record the meals they ate with the pupils."""
    if is_parent_committee(by, school):
        kind = CompanionKind.PARENT_COMMITTEE
    elif any(has_role(by, r, school=school) for r in (Role.PRINCIPAL, Role.LOGISTICS_DIRECTOR)):
        kind = CompanionKind.LEADER
    else:
        raise PermissionDenied("canteen.accompany")
    if day > timezone.localdate():
        raise ValidationError(_("An accompanied meal is recorded after it took place."))
    return AccompaniedMeal.objects.create(school=school, day=day, meal=meal, companion=by, kind=kind, observations=observations, issues=issues)


@transaction.atomic
def follow_up_accompanied_meal(record: AccompaniedMeal, *, by, follow_up: str) -> AccompaniedMeal:
    require(by, "canteen.manage", school=record.school)
    if not follow_up.strip():
        raise ValidationError(_("Describe the follow-up."))
    record.follow_up = follow_up.strip()
    record.save(update_fields=["follow_up"])
    return record


def may_accompany(user, school) -> bool:
    return is_parent_committee(user, school) or can(user, "canteen.approve_menu", school=school)


def settings_meals(school):
    return settings_for(school).meals()
