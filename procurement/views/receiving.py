"""After approval: mark ordered, receive (two signatures), reimburse."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from procurement import services
from procurement.choices import ItemKind
from procurement.forms import ReimburseForm, school_rooms, school_store_items
from procurement.views.purchases import _Action


class OrderView(_Action):
    capability = "procurement.receive"

    def perform(self, obj, form):
        services.order_purchase(obj, by=self.request.user)
        return _("Marked as ordered.")


def _pick(queryset, raw: str, *, name: str):
    """The object of ``queryset`` whose pk the user chose, None for an empty choice."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return queryset.get(pk=int(raw))
    except (ValueError, queryset.model.DoesNotExist) as exc:
        raise ValidationError(_("%(name)s: choose one of the listed options.") % {"name": name}) from exc


class ReceiptRecordView(_Action):
    """First signature of receiving. Per item ``qty_<id>`` (received quantity), ``kind_<id>``
    (what it becomes), and for assets ``cat_<id>`` / ``room_<id>``, for the store room ``store_<id>``."""

    capability = "procurement.receive"

    def perform(self, obj, form):
        post = self.request.POST
        rooms, store = school_rooms(obj.school), school_store_items(obj.school)
        quantities, goods, problems = {}, {}, []
        for item in obj.items.all():
            raw = post.get(f"qty_{item.pk}", "").strip() or "0"
            try:
                quantities[item.pk] = Decimal(raw)
            except InvalidOperation:
                problems.append(_("%(name)s: enter a number for the quantity.") % {"name": item.name})
                continue
            if not quantities[item.pk].is_finite():
                problems.append(_("%(name)s: enter a number for the quantity.") % {"name": item.name})
                continue
            choice = {}
            kind = post.get(f"kind_{item.pk}")
            if kind is not None:
                choice["kind"] = kind if kind in ItemKind.values else ""
            if f"cat_{item.pk}" in post:
                choice["asset_category_code"] = post.get(f"cat_{item.pk}", "")
            try:
                if f"room_{item.pk}" in post:
                    choice["room"] = _pick(rooms, post.get(f"room_{item.pk}"), name=item.name)
                if f"store_{item.pk}" in post:
                    choice["store_item"] = _pick(store, post.get(f"store_{item.pk}"), name=item.name)
            except ValidationError as exc:
                problems += exc.messages
            goods[item.pk] = choice
        if problems:
            raise ValidationError(problems)
        services.record_receipt(obj, by=self.request.user, quantities=quantities, goods=goods,
                                note=post.get("note", ""))
        return _("Quantities recorded. A second person must countersign.")


class ReceiptCountersignView(_Action):
    capability = "procurement.receive"

    def perform(self, obj, form):
        services.countersign_receipt(obj, by=self.request.user)
        return _("Receiving countersigned. The goods are in the asset register and the store room.")


class ReimburseView(_Action):
    capability = "procurement.reimburse"
    form_class = ReimburseForm

    def perform(self, obj, form):
        services.reimburse_purchase(obj, by=self.request.user, **form.cleaned_data)
        return _("Marked as paid.")
