"""Purchase requests: list, detail, new draft, and the drafting and approval steps."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView
from django_filters.views import FilterView

from logistics.models import defer_people, person_columns, row_person
from logistics.roles import can
from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import ObjectActionView, SchoolScopedMixin, log_refusal, pop_kept_input
from procurement import services
from procurement.choices import RECEIPT_STATUSES, ItemKind, PurchaseStatus, StepStatus
from procurement.filters import PurchaseFilter
from procurement.forms import (
    AttachmentForm,
    DecisionForm,
    ItemForm,
    JustificationForm,
    PurchaseForm,
    QuoteForm,
    ReimburseForm,
    school_rooms,
    school_store_items,
)
from procurement.models import PurchaseItem, PurchaseRequest
from procurement.selectors import budget_remaining


class OwnRequestsMixin:
    """Who reads purchase requests: holders of ``procurement.view`` read the school's; someone who
    may only request (the canteen manager) reads the requests they made — others are a 403."""

    capability = None  # decided here, per school and object, with the same can()

    def sees_all(self, school) -> bool:
        return can(self.request.user, "procurement.view", school=school)

    def refuse(self, obj=None):
        log_refusal(self.request, obj=obj, action="procurement.view", reason="role")
        raise PermissionDenied("procurement.view")


class PurchaseListView(OwnRequestsMixin, SchoolScopedMixin, FilterView):
    model = PurchaseRequest
    filterset_class = PurchaseFilter
    template_name = "procurement/purchaserequest_list.html"
    paginate_by = 25

    def get_queryset(self):
        school = self.request.school
        qs = super().get_queryset()
        if school is not None and self.sees_all(school):
            return qs
        if school is not None and can(self.request.user, "procurement.request", school=school):
            return qs.filter(requester=self.request.user)
        self.refuse()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter_fields"] = filter_fields(ctx["filter"].form)
        ctx["rows"] = rows = list_rows(ctx["object_list"])
        if ctx.get("page_obj") is not None:
            ctx["page_obj"].object_list = rows  # the pagination partial's {% if page_obj %} takes len() of it
        return ctx


def filter_fields(form) -> list[dict]:
    """The filter form as plain data for the list template, which writes the inputs itself (Django's
    widget templates cost more than the rest of the form): name, id, label, input type or options,
    the value typed, errors."""
    from django import forms

    data = form.data if form.is_bound else {}
    errors = form.errors if form.is_bound else {}
    out = []
    for name, field in form.fields.items():
        value = str(data.get(name, "") or "")
        widget = field.widget
        options = None
        if isinstance(widget, forms.Select):
            options = [(str(v), str(label)) for v, label in (widget.choices or field.choices)]
        out.append({"name": name, "id": f"id_{name}", "label": field.label, "options": options, "value": value,
                    "type": widget.attrs.get("type", "text"), "errors": errors.get(name, [])})
    return out


LIST_FIELDS = ("pk", "title", "status", "total", "created_at", *person_columns("requester"), "budget_line__name")


def list_rows(purchases) -> list[tuple]:
    """The list's cells, formatted in Python once per page from plain values (no model instances,
    status labels translated once, not per row): pk, url, title, requester, budget line, total,
    badge colour, status label, created."""
    from django.utils import timezone

    from procurement.choices import PURCHASE_STATUS_BADGE

    labels = {value: str(label) for value, label in PurchaseStatus.choices}
    url = reverse("procurement:purchase_detail", args=[0]).replace("/0/", "/{}/")
    rows = []
    for p in purchases.values(*LIST_FIELDS):
        requester = row_person(p, "requester")
        rows.append((p["pk"], url.format(p["pk"]), p["title"], requester, p["budget_line__name"], f"¥{p['total']:,.2f}",
                     PURCHASE_STATUS_BADGE.get(p["status"], "secondary"), labels.get(p["status"], p["status"]),
                     timezone.localtime(p["created_at"]).strftime("%Y-%m-%d")))
    return rows


def _kept(request, name, pk, form_class, **kwargs):
    """An action's form, bound again to what the user typed if that action just failed."""
    data = pop_kept_input(request, reverse(name, args=[pk]))
    return form_class(data, **kwargs) if data is not None else form_class(**kwargs)


class PurchaseDetailView(OwnRequestsMixin, SchoolScopedMixin, DetailView):
    model = PurchaseRequest
    history_panel = True

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        mine = obj.requester_id == self.request.user.pk and can(self.request.user, "procurement.request",
                                                                 school=obj.school)
        if not (mine or self.sees_all(obj.school)):
            self.refuse(obj)
        return obj

    def get_queryset(self):
        # the people are shown by name: their name columns only (a user row is wide); the receipt,
        # which only an ordered request can have, is read for those alone (_receipt_of)
        return defer_people(super().get_queryset().select_related("school", "budget_line"), "requester", "reimbursed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user, request = self.object, self.request.user, self.request
        receipt = _receipt_of(p)
        loaded = {}

        def items():
            if "items" not in loaded:
                loaded["items"] = list(_items(p))
            return loaded["items"]

        def steps():
            if "steps" not in loaded:
                loaded["steps"] = list(_steps().filter(purchase=p))
            return loaded["steps"]

        step = handled = None
        if p.status == PurchaseStatus.SUBMITTED:
            handled = {p.requester_id} | {s.approval.by_id for s in steps() if _has_approval(s)}
            step = next((s for s in steps() if s.status == StepStatus.PENDING), None)
        draft_owner = p.requester_id == user.pk and p.status == PurchaseStatus.DRAFT
        may_receive = p.status == PurchaseStatus.ORDERED and can(user, "procurement.receive", school=p.school)
        ctx.update(
            record=record_html(p, receipt=receipt, items=items, steps=steps),
            remaining=budget_remaining(p.budget_line), receipt=receipt, current_step=step,
            is_draft_owner=draft_owner, may_receive=may_receive,
            may_sign=services.can_sign(p, step, user, handled=handled) if step is not None else False,
            may_order=p.status == PurchaseStatus.APPROVED and can(user, "procurement.receive", school=p.school),
            may_reimburse=p.status == PurchaseStatus.RECEIVED and can(user, "procurement.reimburse", school=p.school),
            problems=services.submission_problems(p) if draft_owner else [],
        )
        if draft_owner:
            ctx.update(
                draft_items=items(),
                item_form=_kept(request, "procurement:purchase_add_item", p.pk, ItemForm, school=p.school),
                quote_form=_kept(request, "procurement:purchase_add_quote", p.pk, QuoteForm),
                attachment_form=AttachmentForm(),
                notes_form=_kept(request, "procurement:purchase_notes", p.pk, JustificationForm,
                                 initial={"quote_justification": p.quote_justification,
                                          "tender_record": p.tender_record}),
            )
        if ctx["may_sign"]:
            kept = (pop_kept_input(request, reverse("procurement:purchase_reject", args=[p.pk]))
                    or pop_kept_input(request, reverse("procurement:purchase_approve", args=[p.pk])))
            ctx["decision_form"] = DecisionForm(initial=kept or {})
        if may_receive and receipt is None:
            kept = pop_kept_input(request, reverse("procurement:purchase_receive", args=[p.pk])) or {}
            ctx.update(rooms=list(school_rooms(p.school)), store_items=list(school_store_items(p.school)),
                       goods=[_goods_row(i, kept) for i in items()], receive_note=kept.get("note", ""),
                       kinds=ItemKind.choices)
        if ctx["may_reimburse"]:
            ctx["reimburse_form"] = _kept(request, "procurement:purchase_reimburse", p.pk, ReimburseForm)
        return ctx


RECORD_TTL = 600  # seconds: bounds how long a renamed room or store-room item shows its old name


def record_html(p, *, receipt, items, steps) -> str:
    """The request's record, rendered once per version of the request (``updated_at``) and
    language and kept in the cache backend: the same for every reader, and most requests are
    read far more often than they change. ``items``/``steps`` load their rows when called."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    key = f"procurement:record:{p.pk}:{p.updated_at.timestamp():.6f}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("procurement/_record.html", {
            "object": p, "items": items(), "steps": steps(), "receipt": receipt, "ItemKind": ItemKind,
            "quotes": list(p.quotes.all()), "attachments": list(p.attachments.all()),
            "events": list(_events().filter(purchase=p)),
        })
        cache.set(key, html, RECORD_TTL)
    return mark_safe(html)  # noqa: S308 - our own template, autoescaped when rendered


def _items(p):
    from assets.models import Asset

    return (PurchaseItem.objects.filter(purchase=p).select_related("room__building", "store_item")
            .prefetch_related(Prefetch("assets", queryset=Asset.objects.order_by("number").only("pk", "number",
                                                                                                 "school_id"))))


def _steps():
    from procurement.models import ApprovalStep

    return defer_people(ApprovalStep.objects.select_related("approval"), "approval__by")


def _events():
    from procurement.models import PurchaseEvent

    return PurchaseEvent.objects.select_related("by")


def _receipt_of(p):
    """The goods receipt of an ordered request (recorded, waiting for the second signature) or of a
    received or reimbursed one, with the signers' names; None before an order: nothing is received."""
    from procurement.models import Receipt

    if p.status not in RECEIPT_STATUSES:
        return None
    return defer_people(Receipt.objects.filter(purchase=p), "recorded_by", "countersigned_by").first()


def _has_approval(step) -> bool:
    from procurement.models import PurchaseApproval

    try:
        return step.approval is not None
    except PurchaseApproval.DoesNotExist:
        return False


def _goods_row(item, kept: dict) -> dict:
    """The receiving form's values for one line: what was typed last time, else the request's."""
    def val(field, default):
        return kept.get(f"{field}_{item.pk}", default)

    return {
        "item": item,
        "qty": val("qty", f"{item.quantity.normalize():f}"),
        "kind": val("kind", item.kind),
        "code": val("cat", item.asset_category_code),
        "room": str(val("room", item.room_id or "")),
        "store": str(val("store", item.store_item_id or "")),
    }


class PurchaseCreateView(OneSubmissionMixin, SchoolScopedMixin, CreateView):
    model = PurchaseRequest
    form_class = PurchaseForm
    capability = "procurement.request"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.request.school}

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            self.object = services.create_purchase(
                school=self.request.school, by=self.request.user, title=d["title"], reason=d["reason"],
                budget_line=d["budget_line"],
            )
            if d.get("tender_record") or d.get("quote_justification"):
                services.update_draft_notes(self.object, by=self.request.user,
                                            quote_justification=d.get("quote_justification", ""),
                                            tender_record=d.get("tender_record", ""))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Add the items, then submit."))
        return redirect(self.object)


class _Action(ObjectActionView):
    model = PurchaseRequest


class ItemAddView(_Action):
    capability = "procurement.request"
    form_class = ItemForm

    def get_form_kwargs(self):
        return {"school": self.object.school}

    def perform(self, obj, form):
        services.add_item(obj, by=self.request.user, **form.cleaned_data)
        return _("Item added.")


class ItemRemoveView(_Action):
    """Take a line off a draft (the line's id in the form, so the request stays the object)."""

    capability = "procurement.request"

    def perform(self, obj, form):
        raw = self.request.POST.get("item", "")
        item = obj.items.filter(pk=int(raw)).first() if raw.isdigit() else None
        if item is None:
            raise ValidationError(_("That item is not part of this request."))
        services.remove_item(item, by=self.request.user)
        return _("Item removed.")


class QuoteAddView(_Action):
    capability = "procurement.request"
    form_class = QuoteForm

    def perform(self, obj, form):
        services.add_quote(obj, by=self.request.user, **form.cleaned_data)
        return _("Quote recorded.")


class SubmitView(_Action):
    capability = "procurement.request"

    def perform(self, obj, form):
        services.submit_purchase(obj, by=self.request.user)
        return _("Submitted for approval.")


class ApproveView(_Action):
    capability = "procurement.view"
    form_class = DecisionForm

    def perform(self, obj, form):
        services.approve_purchase(obj, by=self.request.user, note=form.cleaned_data["note"])
        return _("Approval signed.")


class RejectView(_Action):
    capability = "procurement.view"
    form_class = DecisionForm

    def perform(self, obj, form):
        services.reject_purchase(obj, by=self.request.user, note=form.cleaned_data["note"])
        return _("Request rejected.")


class AttachmentAddView(_Action):
    capability = "procurement.request"
    form_class = AttachmentForm

    def perform(self, obj, form):
        services.add_attachment(obj, by=self.request.user, kind=form.cleaned_data["kind"],
                                file=form.cleaned_data["file"])
        return _("File attached.")


class NotesView(_Action):
    capability = "procurement.request"
    form_class = JustificationForm

    def perform(self, obj, form):
        services.update_draft_notes(obj, by=self.request.user, **form.cleaned_data)
        return _("Saved.")
