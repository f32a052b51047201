"""Writes of the assets app: one function per step, each checking its rule on the server."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from logistics.models import School
from logistics.roles import Role, can, require
from logistics.services import notify_role

from .choices import ASSET_TRANSITIONS, REQUISITION_TRANSITIONS, STOCKTAKE_TRANSITIONS, WRITEOFF_TRANSITIONS, LineResult, StocktakeStatus, WriteOffStatus, AssetClass, AssetStatus, DamageCause, MoveKind, RequisitionStatus, StockSource
from .models import Asset, AssetCounter, AssetSettings, Category, DamageRecord, Loan, Requisition, StockMove, Stocktake, StoreItem, WriteOff

CENT = Decimal("0.01")


def _money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except Exception as exc:  # noqa: BLE001 - any bad number is the user's input error
        raise ValidationError({field: _("Enter a valid amount.")}) from exc
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    return amount


# --- numbering and classification -----------------------------------------------------------

def next_asset_number(school: School, *, year: int | None = None) -> str:
    """Prefix (school code) + year + 5-digit sequence; safe when two people register at once.

    The per-school-per-year counter row is bumped with ``UPDATE ... SET last = last + 1``: the
    database serialises the two updates on the row, so each caller reads its own value.
    """
    year = year or timezone.localdate().year
    counter = AssetCounter.objects.filter(school=school, year=year)
    if not counter.exists():
        try:
            with transaction.atomic():
                AssetCounter.objects.create(school=school, year=year)
        except IntegrityError:
            pass  # someone else created it a moment ago
    with transaction.atomic():
        counter.update(last=F("last") + 1)
        last = counter.values_list("last", flat=True).get()
    return f"{school.code}{year}{last:05d}"


def settings_for(school: School) -> AssetSettings:
    obj, _created = AssetSettings.objects.get_or_create(school=school)
    return obj


def classify(*, school: School, category: Category, unit_price: Decimal) -> str:
    """Fixed asset or low-value item, by the school's thresholds (special equipment has its own)."""
    rules = settings_for(school)
    threshold = rules.special_threshold if category.special_equipment else rules.fixed_threshold
    return AssetClass.FIXED if unit_price >= threshold else AssetClass.LOW_VALUE


def category_by_code(school: School, code: str) -> Category:
    code = (code or "").strip()
    found = list(Category.objects.available_to(school).filter(code=code).order_by("school_id"))
    if not found:
        raise ValidationError({"category_code": format_lazy(_("Unknown category code “{}”."), code)})
    own = [c for c in found if c.school_id == school.pk]
    return own[0] if own else found[0]


@transaction.atomic
def update_settings(school: School, *, by, fixed_threshold, special_threshold) -> AssetSettings:
    require(by, "assets.manage", school=school)
    rules = settings_for(school)
    rules.fixed_threshold = _money(fixed_threshold, field="fixed_threshold")
    rules.special_threshold = _money(special_threshold, field="special_threshold")
    rules.save()
    return rules


# --- register -------------------------------------------------------------------------------

@transaction.atomic
def register_asset(
    *, school, name, category_code, unit_price, by, room=None, acquisition_date=None, funding_source="", spec="",
    unit="", department=None, custodian=None, note="", number=None, status=AssetStatus.IN_USE, original_value=None,
) -> Asset:
    """Register one asset: number generated, fixed vs low-value decided by the school's thresholds."""
    require(by, "assets.manage", school=school)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the asset's name.")})
    category = category_by_code(school, category_code)
    price = _money(unit_price, field="unit_price")
    value = price if original_value in (None, "") else _money(original_value, field="original_value")
    for label, obj in (("room", room), ("department", department)):
        if obj is not None and obj.school_id != school.pk:
            raise ValidationError({label: _("It belongs to another school.")})
    if isinstance(acquisition_date, datetime.datetime):
        acquisition_date = acquisition_date.date()
    number = (number or "").strip() or next_asset_number(school)
    if Asset.objects.filter(school=school, number=number).exists():
        raise ValidationError({"number": format_lazy(_("Asset number {} is already used."), number)})
    return Asset.objects.create(
        school=school, number=number, name=name, category=category, spec=spec or "", unit=unit or "",
        unit_price=price, original_value=value, current_value=value,
        asset_class=classify(school=school, category=category, unit_price=price),
        acquisition_date=acquisition_date, funding_source=funding_source or "", status=status, room=room,
        department=department, custodian=custodian, note=note or "",
    )


# --- store room -----------------------------------------------------------------------------

def _quantity(quantity) -> Decimal:
    try:
        q = Decimal(str(quantity)).quantize(CENT)
    except Exception as exc:  # noqa: BLE001
        raise ValidationError({"quantity": _("Enter a valid quantity.")}) from exc
    if q <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than zero.")})
    return q


@transaction.atomic
def receive_stock(item, *, quantity, by, unit_price=None, note="", source=StockSource.MANUAL) -> StockMove:
    """Stock in: the item's stock grows by ``quantity`` and a ledger line records it."""
    require(by, "assets.store_manage", school=item.school)
    q = _quantity(quantity)
    if source not in StockSource.values:
        raise ValidationError(_("Unknown source."))
    price = None if unit_price in (None, "") else _money(unit_price, field="unit_price")
    values = {"stock": F("stock") + q}
    if price is not None:
        values["unit_price"] = price
    StoreItem.objects.filter(pk=item.pk).update(**values)
    item.refresh_from_db(fields=["stock", "unit_price"])
    return StockMove.objects.create(
        item=item, kind=MoveKind.RECEIPT, quantity=q, balance_after=item.stock, unit_price=price, source=source,
        by=by, note=note or "",
    )


@transaction.atomic
def issue_stock(item, *, quantity, by, department=None, repair=None, note="") -> StockMove:
    """Stock out to a department or a repair; refused if it would take the stock below zero.

    The decrease is one conditional UPDATE (``WHERE stock >= quantity``): of two issues racing for
    the last units only one matches, the other gets a ValidationError.
    Issues to a repair are authorised by the repairs app (the ticket's assignee draws material).
    """
    if repair is None:
        require(by, "assets.store_manage", school=item.school)
    elif repair.school_id != item.school_id:
        raise ValidationError(_("The item belongs to another school."))
    if department is not None and department.school_id != item.school_id:
        raise ValidationError({"department": _("It belongs to another school.")})
    q = _quantity(quantity)
    changed = StoreItem.objects.filter(pk=item.pk, stock__gte=q).update(stock=F("stock") - q)
    if changed != 1:
        item.refresh_from_db(fields=["stock"])
        raise ValidationError(
            {"quantity": format_lazy(_("Not enough in stock: {stock} {unit} left."), stock=item.stock, unit=item.unit)}
        )
    item.refresh_from_db(fields=["stock", "unit_price", "low_stock_threshold"])
    move = StockMove.objects.create(
        item=item, kind=MoveKind.ISSUE, quantity=q, balance_after=item.stock, unit_price=item.unit_price,
        department=department, repair_id=getattr(repair, "pk", None), by=by, note=note or "",
    )
    if item.is_low:
        _warn_low_stock(item)
    return move


def _warn_low_stock(item: StoreItem) -> None:
    """Tell the logistics office, once per item per day."""
    from django.urls import reverse

    day = timezone.localdate().isoformat()
    text = format_lazy(_("Low stock: {item} has {stock} {unit} left."), item=item, stock=item.stock, unit=item.unit)
    url = reverse("assets:storeitem_detail", args=[item.pk])
    for role in (Role.LOGISTICS_STAFF, Role.LOGISTICS_DIRECTOR):
        notify_role(item.school, role, text=text, url=url, key=f"assets:low-stock:{item.pk}:{day}")


# --- damage and compensation ----------------------------------------------------------------

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
    basis, amount, discipline = compensation_rule(asset, cause)
    if cause != DamageCause.NATURAL and liable_person is None:
        raise ValidationError({"liable_person": _("Name the person liable.")})
    record = DamageRecord(
        asset=asset, cause=cause, liable_person=liable_person, value_basis=basis, proposed_amount=amount, amount=amount,
        discipline_referral=discipline, repair_id=getattr(repair, "pk", None), note=note or "", by=by,
    )
    record._change_reason = "recorded"
    record.save()
    return record


@transaction.atomic
def change_damage_amount(record: DamageRecord, *, amount, reason, by) -> DamageRecord:
    """Change the amount to pay: only with a reason, kept in the record's audited history."""
    require(by, "assets.damage", school=record.asset.school)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for changing the amount.")})
    record.amount = _money(amount, field="amount")
    record.amount_reason = reason
    record._change_reason = reason
    record.save(update_fields=["amount", "amount_reason"])
    return record


def can_issue(user, item) -> bool:
    return can(user, "assets.store_manage", school=item.school)


EDITABLE_FIELDS = (
    "name", "category", "spec", "unit", "unit_price", "original_value", "acquisition_date", "funding_source", "room",
    "department", "custodian", "note",
)


@transaction.atomic
def update_asset(asset: Asset, *, by, **values) -> Asset:
    """Edit the card (not the number or status); the class follows the new price and category."""
    require(by, "assets.manage", school=asset.school)
    if asset.status == AssetStatus.WRITTEN_OFF:
        raise ValidationError(_("A written-off asset is kept as it was and cannot be edited."))
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError(format_lazy(_("“{}” cannot be changed here."), name))
        setattr(asset, name, value)
    for label in ("room", "department"):
        obj = getattr(asset, label)
        if obj is not None and obj.school_id != asset.school_id:
            raise ValidationError({label: _("It belongs to another school.")})
    if asset.category.school_id not in (None, asset.school_id):
        raise ValidationError({"category": _("It belongs to another school.")})
    asset.unit_price = _money(asset.unit_price, field="unit_price")
    asset.original_value = (
        asset.unit_price if asset.original_value in (None, "") else _money(asset.original_value, field="original_value")
    )
    asset.asset_class = classify(school=asset.school, category=asset.category, unit_price=asset.unit_price)
    asset.save()
    return asset


# --- store-room items and requisitions ------------------------------------------------------

@transaction.atomic
def create_store_item(*, school, name, unit, by, spec="", unit_price=None, low_stock_threshold=0) -> StoreItem:
    require(by, "assets.store_manage", school=school)
    name = (name or "").strip()
    if StoreItem.objects.filter(school=school, name=name, spec=spec or "").exists():
        raise ValidationError({"name": _("This item is already in the store room.")})
    return StoreItem.objects.create(
        school=school, name=name, spec=spec or "", unit=unit, unit_price=_money(unit_price or 0, field="unit_price"),
        low_stock_threshold=_quantity(low_stock_threshold) if low_stock_threshold else Decimal("0"),
    )


@transaction.atomic
def request_requisition(item: StoreItem, *, quantity, reason, by, department=None) -> Requisition:
    """A member asks for items; the logistics office is told."""
    from django.urls import reverse

    require(by, "assets.requisition", school=item.school)
    if not item.is_active:
        raise ValidationError(_("This item is no longer kept."))
    if department is not None and department.school_id != item.school_id:
        raise ValidationError({"department": _("It belongs to another school.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the items are for.")})
    req = Requisition.objects.create(item=item, quantity=_quantity(quantity), reason=reason, department=department, requested_by=by)
    text = format_lazy(_("Requisition: {person} asks for {item} × {qty}."), person=by, item=item, qty=req.quantity)
    notify_role(item.school, Role.LOGISTICS_STAFF, text=text, url=reverse("assets:requisition_list"), key=f"assets:req:{req.pk}")
    return req


@transaction.atomic
def issue_requisition(req: Requisition, *, by, note="") -> Requisition:
    """Logistics issues what was asked: one ledger line; refused as a whole if stock is short."""
    from logistics.services import notify
    from logistics.workflow import move

    require(by, "assets.store_manage", school=req.item.school)
    move(req, RequisitionStatus.ISSUED, transitions=REQUISITION_TRANSITIONS, extra={"handled_by": by, "handled_note": note or ""})
    stock_move = issue_stock(req.item, quantity=req.quantity, by=by, department=req.department, note=f"{req.requested_by} {req.reason}"[:300])
    Requisition.objects.filter(pk=req.pk).update(stock_move=stock_move)
    req.stock_move = stock_move
    notify(req.requested_by, text=format_lazy(_("Your requisition of {item} × {qty} is ready."), item=req.item, qty=req.quantity),
           school=req.item.school, url="", key=f"assets:req-done:{req.pk}")
    return req


@transaction.atomic
def refuse_requisition(req: Requisition, *, by, reason) -> Requisition:
    from logistics.services import notify
    from logistics.workflow import move

    require(by, "assets.store_manage", school=req.item.school)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is refused.")})
    move(req, RequisitionStatus.REFUSED, transitions=REQUISITION_TRANSITIONS, extra={"handled_by": by, "handled_note": reason})
    notify(req.requested_by, text=format_lazy(_("Your requisition of {item} was refused: {reason}"), item=req.item, reason=reason),
           school=req.item.school, key=f"assets:req-done:{req.pk}")
    return req


# --- borrowing and keys ---------------------------------------------------------------------

@transaction.atomic
def lend_asset(asset: Asset, *, borrower, due_date, by, note="") -> Loan:
    """Lend to a person until ``due_date``; the unique open-loan constraint refuses a second loan."""
    require(by, "assets.lend", school=asset.school)
    if asset.status in (AssetStatus.WRITTEN_OFF, AssetStatus.TO_WRITE_OFF, AssetStatus.UNDER_REPAIR):
        raise ValidationError(_("This asset cannot be lent in its present state."))
    if not borrower.memberships.filter(school=asset.school).exists():
        raise ValidationError({"borrower": _("The borrower is not a member of this school.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date is in the past.")})
    try:
        with transaction.atomic():
            return Loan.objects.create(asset=asset, borrower=borrower, due_date=due_date, lent_by=by, note=note or "")
    except IntegrityError as exc:
        raise ValidationError(_("This asset is already lent out.")) from exc


@transaction.atomic
def return_asset(loan: Loan, *, by) -> Loan:
    require(by, "assets.lend", school=loan.asset.school)
    now = timezone.now()
    if not Loan.objects.filter(pk=loan.pk, returned_at__isnull=True).update(returned_at=now, returned_to=by):
        raise ValidationError(_("This loan is already closed."))
    loan.returned_at, loan.returned_to = now, by
    return loan


def remind_overdue_loans(*, today=None) -> int:
    """Remind each overdue borrower once per loan per day (dedupe key); the office sees the list."""
    from logistics.services import notify

    today = today or timezone.localdate()
    sent = 0
    for loan in Loan.objects.filter(returned_at__isnull=True, due_date__lt=today).select_related("asset__school", "borrower"):
        text = format_lazy(_("Please return {asset}: it was due on {due}."), asset=loan.asset, due=loan.due_date.isoformat())
        if notify(loan.borrower, text=text, school=loan.asset.school, url=loan.asset.get_absolute_url(),
                  key=f"assets:loan-overdue:{loan.pk}:{today.isoformat()}"):
            sent += 1
    return sent


# --- write-off ------------------------------------------------------------------------------

@transaction.atomic
def request_writeoff(asset: Asset, *, reason, by) -> WriteOff:
    """Ask to write an asset off: it becomes 'to be written off' and the directors are told."""
    from django.urls import reverse
    from logistics.workflow import move

    require(by, "assets.damage", school=asset.school)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the write-off.")})
    previous = move(asset, AssetStatus.TO_WRITE_OFF, transitions=ASSET_TRANSITIONS)
    w = WriteOff.objects.create(asset=asset, reason=reason, previous_status=previous, requested_by=by)
    notify_role(asset.school, Role.LOGISTICS_DIRECTOR, text=format_lazy(_("Write-off to approve: {asset}."), asset=asset),
                url=reverse("assets:writeoff_list"), key=f"assets:writeoff:{w.pk}")
    return w


@transaction.atomic
def decide_writeoff(w: WriteOff, *, approve: bool, by, note="") -> WriteOff:
    """The director approves (asset written off, kept in history) or rejects (asset back as it was). Once."""
    from logistics.workflow import move

    require(by, "assets.approve_writeoff", school=w.asset.school)
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the write-off is rejected.")})
    to = WriteOffStatus.APPROVED if approve else WriteOffStatus.REJECTED
    move(w, to, transitions=WRITEOFF_TRANSITIONS, extra={"decided_by": by, "decided_at": timezone.now(), "decision_note": note or ""})
    asset = Asset.objects.get(pk=w.asset_id)
    move(asset, AssetStatus.WRITTEN_OFF if approve else w.previous_status, transitions=ASSET_TRANSITIONS)
    return w


# --- stocktake ------------------------------------------------------------------------------

@transaction.atomic
def start_stocktake(school, *, name, by, rooms=None) -> Stocktake:
    """Freeze the expected list: every asset not written off (in the given rooms, else the whole school)."""
    from .models import StocktakeLine

    require(by, "assets.stocktake", school=school)
    rooms = list(rooms or [])
    if any(r.school_id != school.pk for r in rooms):
        raise ValidationError({"rooms": _("It belongs to another school.")})
    st = Stocktake.objects.create(school=school, name=(name or "").strip() or str(timezone.localdate()), started_by=by)
    st.rooms.set(rooms)
    assets = Asset.objects.filter(school=school).exclude(status=AssetStatus.WRITTEN_OFF)
    if rooms:
        assets = assets.filter(room__in=rooms)
    StocktakeLine.objects.bulk_create(
        [StocktakeLine(stocktake=st, asset_id=pk, expected_room_id=room_id) for pk, room_id in assets.values_list("pk", "room_id")],
        batch_size=500,
    )
    return st


def _require_open(st: Stocktake):
    if st.status != StocktakeStatus.OPEN:
        raise ValidationError(_("This stocktake is closed; its results can no longer change."))


@transaction.atomic
def mark_line(line, *, result, by, found_room=None):
    st = Stocktake.objects.get(pk=line.stocktake_id)
    require(by, "assets.stocktake", school=st.school)
    _require_open(st)
    if result not in LineResult.values or result == LineResult.PENDING:
        raise ValidationError({"result": _("Choose a result.")})
    if result == LineResult.WRONG_ROOM:
        if found_room is None or found_room.school_id != st.school_id:
            raise ValidationError({"found_room": _("Say in which room it was found.")})
    else:
        found_room = None
    line.result, line.found_room, line.marked_by, line.marked_at = result, found_room, by, timezone.now()
    line.save(update_fields=["result", "found_room", "marked_by", "marked_at"])
    return line


def mark_found_by_scan(asset: Asset, *, by) -> int:
    """Opening an asset's QR link during open stocktakes: its pending lines become 'found'."""
    from .models import StocktakeLine

    require(by, "assets.stocktake", school=asset.school)
    return StocktakeLine.objects.filter(
        asset=asset, result=LineResult.PENDING, stocktake__status=StocktakeStatus.OPEN
    ).update(result=LineResult.FOUND, marked_by=by, marked_at=timezone.now())


@transaction.atomic
def record_surplus(st: Stocktake, *, name, by, room=None, note=""):
    from .models import StocktakeSurplus

    require(by, "assets.stocktake", school=st.school)
    _require_open(Stocktake.objects.get(pk=st.pk))
    if not (name or "").strip():
        raise ValidationError({"name": _("Say what was found.")})
    if room is not None and room.school_id != st.school_id:
        raise ValidationError({"room": _("It belongs to another school.")})
    return StocktakeSurplus.objects.create(stocktake=st, name=name.strip(), room=room, note=note or "", by=by)


@transaction.atomic
def close_stocktake(st: Stocktake, *, by) -> Stocktake:
    """Counting ends; unchecked lines count as missing in the report. The director is asked to confirm."""
    from django.urls import reverse
    from logistics.workflow import move

    require(by, "assets.stocktake", school=st.school)
    move(st, StocktakeStatus.CLOSED, transitions=STOCKTAKE_TRANSITIONS)
    notify_role(st.school, Role.LOGISTICS_DIRECTOR, text=format_lazy(_("Stocktake “{name}” is closed: please confirm."), name=st.name),
                url=reverse("assets:stocktake_detail", args=[st.pk]), key=f"assets:stocktake-closed:{st.pk}")
    return st


@transaction.atomic
def confirm_stocktake(st: Stocktake, *, by) -> dict:
    """The director confirms: wrong room → the asset moves; damaged → under repair; missing (or unchecked) →
    a write-off request for the director. Applied once."""
    from logistics.workflow import move

    require(by, "assets.confirm_stocktake", school=st.school)
    move(st, StocktakeStatus.CONFIRMED, transitions=STOCKTAKE_TRANSITIONS, extra={"confirmed_by": by, "confirmed_at": timezone.now()})
    applied = {"moved": 0, "damaged": 0, "missing": 0}
    for line in st.lines.select_related("asset").exclude(result=LineResult.FOUND):
        asset = line.asset
        if line.result == LineResult.WRONG_ROOM:
            Asset.objects.filter(pk=asset.pk).update(room=line.found_room, updated_at=timezone.now())
            applied["moved"] += 1
        elif line.result == LineResult.DAMAGED and AssetStatus.UNDER_REPAIR in ASSET_TRANSITIONS.get(asset.status, ()):
            move(asset, AssetStatus.UNDER_REPAIR, transitions=ASSET_TRANSITIONS)
            applied["damaged"] += 1
        elif line.result in (LineResult.MISSING, LineResult.PENDING) and AssetStatus.TO_WRITE_OFF in ASSET_TRANSITIONS.get(asset.status, ()):
            previous = move(asset, AssetStatus.TO_WRITE_OFF, transitions=ASSET_TRANSITIONS)
            WriteOff.objects.create(asset=asset, previous_status=previous, requested_by=by,
                                    reason=str(format_lazy(_("Missing at stocktake “{name}”."), name=st.name)))
            applied["missing"] += 1
    return applied
