"""The store room: items, receipts and issues (the ledger; stock never negative), requisitions (领用)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from logistics.roles import Role, can, require
from logistics.services import notify, notify_role
from logistics.workflow import move

from ..choices import REQUISITION_TRANSITIONS, MoveKind, RequisitionStatus, StockSource
from ..models import Requisition, StockMove, StoreItem
from .common import money, quantity as clean_quantity


@transaction.atomic
def create_store_item(*, school, name, unit, by, spec="", unit_price=None, low_stock_threshold=0) -> StoreItem:
    require(by, "assets.store_manage", school=school)
    name, spec, unit = (name or "").strip(), (spec or "").strip(), (unit or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the item's name.")})
    if not unit:
        raise ValidationError({"unit": _("Enter the unit (e.g. 包, 支, 个).")})
    if StoreItem.objects.filter(school=school, name=name, spec=spec).exists():
        raise ValidationError({"name": _("This item is already in the store room.")})
    item = StoreItem(
        school=school, name=name, spec=spec, unit=unit, unit_price=money(unit_price or 0, field="unit_price"),
        low_stock_threshold=clean_quantity(low_stock_threshold) if low_stock_threshold else Decimal("0"),
    )
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def store_item_for(*, school, name, unit, by, spec="", unit_price=None) -> StoreItem:
    """The active item of that name and spec, or a new one (what a received purchase line names)."""
    require(by, "assets.store_manage", school=school)
    found = StoreItem.objects.filter(school=school, name=(name or "").strip(), spec=(spec or "").strip()).first()
    if found is not None:
        if not found.is_active:
            StoreItem.objects.filter(pk=found.pk).update(is_active=True)
            found.is_active = True
        return found
    return create_store_item(school=school, name=name, unit=unit, by=by, spec=spec, unit_price=unit_price)


@transaction.atomic
def receive_stock(item, *, quantity, by, unit_price=None, note="", source=StockSource.MANUAL, purchase_ref="",
                  purchase_id=None) -> StockMove:
    """Stock in: the item's stock grows by ``quantity`` and a ledger line records it.

    From a purchase: ``source="purchase"``, ``purchase_id`` (the request's id) and ``purchase_ref``
    (a readable reference, put in front of the note)."""
    require(by, "assets.store_manage", school=item.school)
    q = clean_quantity(quantity)
    if source not in StockSource.values:
        raise ValidationError(_("Unknown source."))
    price = None if unit_price in (None, "") else money(unit_price, field="unit_price")
    values = {"stock": F("stock") + q}
    if price is not None:
        values["unit_price"] = price
    StoreItem.objects.filter(pk=item.pk).update(**values)
    item.refresh_from_db(fields=["stock", "unit_price"])
    text = " ".join(p for p in ((purchase_ref or "").strip(), (note or "").strip()) if p)[:300]
    return StockMove.objects.create(
        item=item, kind=MoveKind.RECEIPT, quantity=q, balance_after=item.stock, unit_price=price, source=source,
        purchase_id=purchase_id, by=by, note=text,
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
    q = clean_quantity(quantity)
    changed = StoreItem.objects.filter(pk=item.pk, stock__gte=q).update(stock=F("stock") - q)
    if changed != 1:
        item.refresh_from_db(fields=["stock"])
        raise ValidationError(
            {"quantity": format_lazy(_("Not enough in stock: {stock} {unit} left."), stock=item.stock, unit=item.unit)}
        )
    item.refresh_from_db(fields=["stock", "unit_price", "low_stock_threshold"])
    line = StockMove.objects.create(
        item=item, kind=MoveKind.ISSUE, quantity=q, balance_after=item.stock, unit_price=item.unit_price,
        department=department, repair_id=getattr(repair, "pk", None), by=by, note=(note or "").strip()[:300],
    )
    if item.is_low:
        _warn_low_stock(item)
    return line


def _warn_low_stock(item: StoreItem) -> None:
    """Tell the logistics office, once per item per day."""
    day = timezone.localdate().isoformat()
    text = format_lazy(_("Low stock: {item} has {stock} {unit} left."), item=item, stock=item.stock, unit=item.unit)
    url = reverse("assets:storeitem_detail", args=[item.pk])
    for role in (Role.LOGISTICS_STAFF, Role.LOGISTICS_DIRECTOR):
        notify_role(item.school, role, text=text, url=url, key=f"assets:low-stock:{item.pk}:{day}")


def can_issue(user, item) -> bool:
    return can(user, "assets.store_manage", school=item.school)


@transaction.atomic
def request_requisition(item: StoreItem, *, quantity, reason, by, department=None) -> Requisition:
    """A member asks for items; the logistics office is told."""
    require(by, "assets.requisition", school=item.school)
    if not item.is_active:
        raise ValidationError(_("This item is no longer kept."))
    if department is not None and department.school_id != item.school_id:
        raise ValidationError({"department": _("It belongs to another school.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the items are for.")})
    req = Requisition(item=item, quantity=clean_quantity(quantity), reason=reason, department=department, requested_by=by)
    req._history_user = by
    req.save()
    text = format_lazy(_("Requisition: {person} asks for {item} × {qty}."), person=by, item=item, qty=req.quantity)
    notify_role(item.school, Role.LOGISTICS_STAFF, text=text, url=reverse("assets:requisition_list"), key=f"assets:req:{req.pk}")
    return req


@transaction.atomic
def issue_requisition(req: Requisition, *, by, note="") -> Requisition:
    """Logistics issues what was asked: one ledger line; refused as a whole if stock is short."""
    require(by, "assets.store_manage", school=req.item.school)
    move(req, RequisitionStatus.ISSUED, transitions=REQUISITION_TRANSITIONS, extra={"handled_by": by, "handled_note": note or ""})
    stock_move = issue_stock(req.item, quantity=req.quantity, by=by, department=req.department, note=f"{req.requested_by} {req.reason}"[:300])
    req.stock_move = stock_move
    req._history_user, req._change_reason = by, "issued"
    req.save(update_fields=["stock_move", "updated_at"])
    notify(req.requested_by, text=format_lazy(_("Your requisition of {item} × {qty} is ready."), item=req.item, qty=req.quantity),
           school=req.item.school, url=reverse("assets:requisition_list"), key=f"assets:req-done:{req.pk}")
    return req


@transaction.atomic
def refuse_requisition(req: Requisition, *, by, reason) -> Requisition:
    require(by, "assets.store_manage", school=req.item.school)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is refused.")})
    move(req, RequisitionStatus.REFUSED, transitions=REQUISITION_TRANSITIONS, extra={"handled_by": by, "handled_note": reason})
    req._history_user, req._change_reason = by, "refused"
    req.save(update_fields=["updated_at"])
    notify(req.requested_by, text=format_lazy(_("Your requisition of {item} was refused: {reason}"), item=req.item, reason=reason),
           school=req.item.school, url=reverse("assets:requisition_list"), key=f"assets:req-done:{req.pk}")
    return req
