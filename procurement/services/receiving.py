"""After approval: ordering, receiving by two people (双人验收) — which puts the goods into the
asset register or the store room through ``assets.services`` — and reimbursement (报销)."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.roles import Role, can, require
from logistics.services import notify_role
from procurement.choices import EventKind, ItemKind, PurchaseStatus
from procurement.models import PurchaseItem, PurchaseRequest, Receipt
from procurement.services.purchases import _event, _step, sniff_content_type

S = PurchaseStatus
# Capability of ``assets.services`` each kind of line needs from the person entering it.
ENTRY_CAPABILITY = {ItemKind.FIXED_ASSET: "assets.manage", ItemKind.CONSUMABLE: "assets.store_manage"}


@transaction.atomic
def order_purchase(purchase, *, by, note="") -> PurchaseRequest:
    require(by, "procurement.receive", school=purchase.school)
    _step(purchase, S.ORDERED, by=by, kind=EventKind.ORDERED, note=note, extra={"ordered_at": timezone.now()})
    return purchase


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _check_goods(purchase, item, qty: Decimal, choice: dict) -> list[str]:
    """What is wrong with how this received line would enter the register or store room."""
    from assets.services import category_by_code

    school, problems = purchase.school, []
    kind = choice.get("kind", item.kind)
    if kind not in ItemKind.values:
        return [_("%(name)s: choose what the item becomes.") % {"name": item.name}]
    if qty <= 0 or kind == ItemKind.SERVICE:
        return []
    if kind == ItemKind.FIXED_ASSET:
        if qty != qty.to_integral_value():
            problems.append(_("%(name)s: assets are counted in whole units.") % {"name": item.name})
        try:
            category_by_code(school, choice.get("asset_category_code", item.asset_category_code))
        except ValidationError as exc:
            problems += [f"{item.name}: {m}" for m in _messages(exc)]
        room = choice.get("room", item.room)
        if room is None:
            problems.append(_("%(name)s: choose the room the assets go to.") % {"name": item.name})
        elif room.school_id != school.pk:
            problems.append(_("%(name)s: the room belongs to another school.") % {"name": item.name})
    else:
        store_item = choice.get("store_item", item.store_item)
        if store_item is not None and store_item.school_id != school.pk:
            problems.append(_("%(name)s: the store-room item belongs to another school.") % {"name": item.name})
    return problems


@transaction.atomic
def record_receipt(purchase, *, by, quantities: dict, goods: dict | None = None, room=None, note="") -> Receipt:
    """First signature of receiving: the quantities counted, per item id, against the order, and
    what each line becomes (``goods[item id] = {kind, asset_category_code, room, store_item}``;
    a line left out keeps what the request said)."""
    require(by, "procurement.receive", school=purchase.school)
    if purchase.status != S.ORDERED:
        raise ValidationError(_("Only an ordered purchase can be received."))
    goods = {int(k): v for k, v in (goods or {}).items()}
    items = {i.pk: i for i in purchase.items.select_related("room", "store_item")}
    clean, problems = {}, []
    for key, qty in quantities.items():
        item = items.get(int(key))
        if item is None:
            raise ValidationError(_("That item is not part of this order."))
        qty = Decimal(str(qty))
        if qty < 0 or qty > item.quantity:
            problems.append(_("Received quantity of %(name)s must be between 0 and %(max)s.")
                            % {"name": item.name, "max": item.quantity})
            continue
        clean[str(item.pk)] = str(qty)
        problems += _check_goods(purchase, item, qty, goods.get(item.pk, {}))
    if problems:
        raise ValidationError(problems)
    if not any(Decimal(v) > 0 for v in clean.values()):
        raise ValidationError(_("Nothing was received."))
    if Receipt.objects.filter(purchase=purchase).exists():
        raise ValidationError(_("The receipt is already recorded; it waits for the second signature."))
    for pk, choice in goods.items():
        item = items.get(pk)
        if item is None:
            continue
        fields = [f for f in ("kind", "asset_category_code", "room", "store_item") if f in choice]
        for f in fields:
            setattr(item, f, choice[f] if f != "asset_category_code" else (choice[f] or "").strip())
        if fields:
            item.save(update_fields=fields)
    receipt = Receipt.objects.create(purchase=purchase, quantities=clean, recorded_by=by, room=room, note=note)
    _event(purchase, EventKind.RECEIPT_RECORDED, by=by, note=note)
    return receipt


@transaction.atomic
def countersign_receipt(purchase, *, by, note="") -> Receipt:
    """Second signature (双人验收) by a different person; the goods then enter the asset register
    or the store room (``enter_goods``), and the request becomes received."""
    from logistics.workflow import claim

    require(by, "procurement.receive", school=purchase.school)
    receipt = Receipt.objects.filter(purchase=purchase).first()
    if receipt is None:
        raise ValidationError(_("Record the received quantities first."))
    if receipt.countersigned_by_id:
        raise ValidationError(_("The receipt is already signed by two people."))
    if by.pk == receipt.recorded_by_id:
        raise ValidationError(_("Receiving must be signed by two different people."))
    now = timezone.now()
    if not claim(Receipt, receipt.pk, where={"countersigned_by__isnull": True},
                 set={"countersigned_by": by, "countersigned_at": now}):
        raise ValidationError(_("Someone else signed this receipt a moment ago. Reload the page."))
    receipt.refresh_from_db()
    for item in purchase.items.all():
        item.received_quantity = Decimal(receipt.quantities.get(str(item.pk), "0"))
        item.save(update_fields=["received_quantity"])
    _step(purchase, S.RECEIVED, by=by, kind=EventKind.RECEIVED, note=note, extra={"received_at": now})
    enter_goods(purchase, signers=[by, receipt.recorded_by])
    notify_role(purchase.school, Role.ACCOUNTANT, text=gettext_lazy("A received purchase waits for reimbursement."),
                url=purchase.get_absolute_url(), key=f"procurement:received:{purchase.pk}")
    return receipt


def _clerk(purchase, signers, kind):
    """The signer who may enter this kind of goods (the countersigner first)."""
    cap = ENTRY_CAPABILITY[kind]
    for user in signers:
        if user is not None and can(user, cap, school=purchase.school):
            return user
    raise ValidationError(
        _("The goods go into the asset register or the store room: one of the two people receiving them must "
          "be from the logistics office.")
    )


@transaction.atomic
def enter_goods(purchase, *, signers) -> list[str]:
    """Put what was received and not yet entered into the register (one numbered asset per unit,
    in its room) or the store room (one ledger line per item). Each line is claimed with a
    conditional UPDATE of ``entered_quantity``, so running this twice — or on two workers —
    enters nothing twice. Returns one summary line per entered item."""
    from assets.choices import StockSource
    from assets.services import receive_stock, register_assets, store_item_for

    with translation.override(settings.LANGUAGE_CODE):  # the register's notes are in the school's language
        ref = _("Purchase request #%(n)s %(title)s") % {"n": purchase.pk, "title": purchase.title}
    school, today, done = purchase.school, timezone.localdate(), []
    for item in purchase.items.select_related("room__custodian", "store_item").order_by("pk"):
        delta = item.received_quantity - item.entered_quantity
        if delta <= 0 or item.kind == ItemKind.SERVICE:
            continue
        clerk = _clerk(purchase, signers, item.kind)
        claimed = PurchaseItem.objects.filter(pk=item.pk, entered_quantity=item.entered_quantity).update(
            entered_quantity=item.received_quantity)
        if claimed != 1:
            continue  # someone else entered it a moment ago
        if item.kind == ItemKind.FIXED_ASSET:
            created = register_assets(
                school=school, by=clerk, quantity=int(delta), name=item.name, category_code=item.asset_category_code,
                unit_price=item.unit_price, room=item.room, acquisition_date=today,
                funding_source=str(purchase.budget_line), spec=item.spec, unit=item.unit,
                custodian=getattr(item.room, "custodian", None), purchase_ref=ref, purchase_id=purchase.pk,
            )
            item.assets.add(*created)
            numbers = created[0].number + (f" … {created[-1].number}" if len(created) > 1 else "")
            done.append(f"{item.name} × {len(created)} → {numbers}")
        else:
            store = item.store_item or store_item_for(school=school, name=item.name, spec=item.spec or "",
                                                      unit=item.unit, by=clerk, unit_price=item.unit_price)
            move = receive_stock(store, quantity=delta, by=clerk, unit_price=item.unit_price,
                                 source=StockSource.PURCHASE, purchase_ref=ref, purchase_id=purchase.pk)
            PurchaseItem.objects.filter(pk=item.pk).update(store_item=store, stock_move=move)
            done.append(f"{item.name} × {delta.normalize():f} {item.unit} → {store.name}")
    if done:
        _event(purchase, EventKind.GOODS_ENTERED, by=signers[0], note="\n".join(done))
    return done


@transaction.atomic
def reimburse_purchase(purchase, *, by, invoice_number, invoice_amount, paid_on, invoice_file, note=""):
    """The accountant records the invoice (number, amount, file) and marks the expense paid on a date (报销)."""
    require(by, "procurement.reimburse", school=purchase.school)
    if by.pk == purchase.requester_id:
        raise ValidationError(_("You cannot reimburse your own request."))
    problems = []
    if not (invoice_number or "").strip():
        problems.append(_("Enter the invoice number."))
    if invoice_amount is None or invoice_amount <= 0:
        problems.append(_("Enter the invoice amount."))
    if paid_on is None:
        problems.append(_("Enter the date it was paid."))
    elif paid_on > timezone.localdate():
        problems.append(_("The payment date cannot be in the future."))
    if invoice_file is None:
        problems.append(_("Attach the invoice (PDF or photo)."))
    else:
        try:
            sniff_content_type(invoice_file)
        except ValidationError as exc:
            problems += _messages(exc)
    if problems:
        raise ValidationError(problems)
    extra = {"invoice_number": invoice_number.strip(), "invoice_amount": invoice_amount, "paid_on": paid_on,
             "reimbursed_by": by}
    _step(purchase, S.REIMBURSED, by=by, kind=EventKind.REIMBURSED, note=note, extra=extra)
    purchase.invoice_file = invoice_file
    purchase.save(update_fields=["invoice_file", "updated_at"])
    return purchase
