"""Store-room views: items, receipts, issues, requisitions."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from logistics.idempotency import OneSubmissionMixin
from logistics.models import defer_people
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin, pop_kept_input

from . import services
from .choices import RequisitionStatus
from .forms import IssueForm, ReceiveForm, RefuseForm, RequisitionForm, StoreItemForm
from .models import Requisition, StoreItem
from .paging import PAGE, IdsFirstPaginator
from .views_base import add_errors


class StoreItemListView(SchoolScopedMixin, ListView):
    model = StoreItem
    capability = "assets.store_view"
    paginator_class = IdsFirstPaginator  # one query per page (keys from an index, rows joined, total alongside)
    paginate_by = PAGE
    template_name = "assets/storeitem_list.html"

    def get_queryset(self):
        qs = super().get_queryset().filter(is_active=True).order_by("name", "spec")
        if self.request.GET.get("low"):
            from django.db.models import F

            qs = qs.filter(stock__lte=F("low_stock_threshold"))
        return qs

    def get_context_data(self, **kwargs):
        school = self.request.school
        return super().get_context_data(
            title=_("Store room"), may_manage=can(self.request.user, "assets.store_manage", school=school),
            may_request=can(self.request.user, "assets.requisition", school=school), **kwargs,
        )


class StoreItemDetailView(SchoolScopedMixin, DetailView):
    """An item: stock, receive and issue forms (what was typed comes back after a refusal), the ledger
    paginated newest first."""
    history_panel = True

    model = StoreItem
    capability = "assets.store_view"
    template_name = "assets/storeitem_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("school")

    def get_context_data(self, **kwargs):
        from django.http import Http404
        from django.urls import reverse

        from logistics.paging import rows_paginator

        from .selectors import ledger_summary, stock_move_values

        item = self.object
        may_manage = can(self.request.user, "assets.store_manage", school=item.school)
        # One grouped query gives the ledger's balance (checked against the stock) and its length
        # (the page count); a page is then the 25 lines' plain values, newest first.
        ledger, lines = ledger_summary(item)
        moves = rows_paginator(stock_move_values)(item.moves.order_by("-created_at", "-id"), PAGE)
        moves.count = lines
        try:
            page = moves.page(self.request.GET.get("page") or 1)
        except Exception as exc:  # noqa: BLE001 - out of range or not a number
            raise Http404(str(exc)) from exc
        forms = {}
        if may_manage:
            kept_receive = pop_kept_input(self.request, reverse("assets:storeitem_receive", args=[item.pk]))
            kept_issue = pop_kept_input(self.request, reverse("assets:storeitem_issue", args=[item.pk]))
            forms = {"receive_form": ReceiveForm(data=kept_receive), "issue_form": IssueForm(data=kept_issue, school=item.school)}
        return super().get_context_data(moves=page.object_list, page_obj=page, paginator=moves, may_manage=may_manage,
                                        ledger=ledger, **forms, **kwargs)


class StoreItemCreateView(SchoolScopedMixin, FormView):
    capability = "assets.store_manage"
    form_class = StoreItemForm
    template_name = "assets/simple_form.html"

    def form_valid(self, form):
        try:
            item = services.create_store_item(school=self.request.school, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Added %(item)s to the store room.") % {"item": item})
        return redirect("assets:storeitem_detail", item.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New store-room item"), **kwargs)


class ReceiveView(ObjectActionView):
    model = StoreItem
    capability = "assets.store_manage"
    form_class = ReceiveForm

    def get_success_url(self):
        from django.urls import reverse

        return reverse("assets:storeitem_detail", args=[self.object.pk])

    def perform(self, obj, form):
        d = form.cleaned_data
        move = services.receive_stock(obj, quantity=d["quantity"], by=self.request.user, unit_price=d["unit_price"],
                                      note=d["note"], source=d["source"])
        return _("Received %(qty)s; now %(stock)s in stock.") % {"qty": move.quantity, "stock": move.balance_after}


class IssueView(ReceiveView):
    form_class = IssueForm

    def get_form_kwargs(self):
        return {"school": self.object.school}

    def perform(self, obj, form):
        d = form.cleaned_data
        move = services.issue_stock(obj, quantity=d["quantity"], by=self.request.user, department=d["department"], note=d["note"])
        return _("Issued %(qty)s; %(stock)s left.") % {"qty": move.quantity, "stock": move.balance_after}


class RequisitionListView(SchoolScopedMixin, ListView):
    """The office sees every requisition (waiting first); others see their own."""

    model = Requisition
    capability = "assets.requisition"
    paginator_class = IdsFirstPaginator  # one query per page (keys from an index, rows joined, total alongside)
    paginate_by = PAGE
    template_name = "assets/requisition_list.html"

    def get_queryset(self):
        qs = defer_people(super().get_queryset().select_related("item", "department"), "requested_by")
        self.may_handle = can(self.request.user, "assets.store_manage", school=self.request.school)
        if not self.may_handle:
            qs = qs.filter(requested_by=self.request.user)
        return qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Requisitions"), may_handle=self.may_handle, pending=RequisitionStatus.PENDING,
                                        **kwargs)


class RequisitionCreateView(OneSubmissionMixin, SchoolScopedMixin, FormView):
    capability = "assets.requisition"
    form_class = RequisitionForm
    template_name = "assets/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.request.school}

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.request_requisition(d["item"], quantity=d["quantity"], reason=d["reason"], department=d["department"],
                                         by=self.request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Sent to the logistics office."))
        return redirect("assets:requisition_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Ask for store-room items"), **kwargs)


class RequisitionIssueView(ObjectActionView):
    model = Requisition
    capability = "assets.store_manage"

    def perform(self, obj, form):
        services.issue_requisition(obj, by=self.request.user)
        return _("Issued; the requester is told.")


class RequisitionRefuseView(ObjectActionView):
    model = Requisition
    capability = "assets.store_manage"
    form_class = RefuseForm

    def perform(self, obj, form):
        services.refuse_requisition(obj, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("Refused; the requester is told.")
