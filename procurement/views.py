from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView
from django_filters.views import FilterView

from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from procurement import services
from procurement.choices import PurchaseStatus, StepStatus
from procurement.filters import PurchaseFilter
from procurement.forms import DecisionForm, ItemForm, PurchaseForm, QuoteForm, ReimburseForm
from procurement.models import PurchaseRequest
from procurement.selectors import budget_lines_with_use, budget_remaining


class PurchaseListView(SchoolScopedMixin, FilterView):
    model = PurchaseRequest
    capability = "procurement.view"
    filterset_class = PurchaseFilter
    template_name = "procurement/purchaserequest_list.html"
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("requester", "budget_line")


class PurchaseDetailView(SchoolScopedMixin, DetailView):
    model = PurchaseRequest
    capability = "procurement.view"

    def get_queryset(self):
        return super().get_queryset().select_related("requester", "budget_line")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.object, self.request.user
        mine = p.requester_id == user.pk
        step = services.current_step(p) if p.status == PurchaseStatus.SUBMITTED else None
        ctx.update(
            items=p.items.all(), quotes=p.quotes.all(), attachments=p.attachments.all(),
            steps=p.steps.select_related("approval__by"),
            events=p.events.select_related("by"),
            remaining=budget_remaining(p.budget_line),
            is_draft_owner=mine and p.status == PurchaseStatus.DRAFT,
            item_form=ItemForm(), quote_form=QuoteForm(), decision_form=DecisionForm(),
            may_sign=services.can_sign(p, step, user), current_step=step,
            may_order=p.status == PurchaseStatus.APPROVED and can(user, "procurement.receive", school=p.school),
            may_reimburse=p.status == PurchaseStatus.RECEIVED and can(user, "procurement.reimburse", school=p.school),
            reimburse_form=ReimburseForm(),
            problems=services.submission_problems(p) if mine and p.status == PurchaseStatus.DRAFT else [],
            StepStatus=StepStatus,
        )
        return ctx


class PurchaseCreateView(SchoolScopedMixin, CreateView):
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
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if d.get("tender_record") or d.get("quote_justification"):
            self.object.tender_record = d.get("tender_record", "")
            self.object.quote_justification = d.get("quote_justification", "")
            self.object.save(update_fields=["tender_record", "quote_justification", "updated_at"])
        messages.success(self.request, _("Draft saved. Add the items, then submit."))
        return redirect(self.object)


class _Action(ObjectActionView):
    model = PurchaseRequest


class ItemAddView(_Action):
    capability = "procurement.request"
    form_class = ItemForm

    def perform(self, obj, form):
        services.add_item(obj, by=self.request.user, **form.cleaned_data)
        return _("Item added.")


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


class OrderView(_Action):
    capability = "procurement.receive"

    def perform(self, obj, form):
        services.order_purchase(obj, by=self.request.user)
        return _("Marked as ordered.")


class ReimburseView(_Action):
    capability = "procurement.reimburse"
    form_class = ReimburseForm

    def perform(self, obj, form):
        services.reimburse_purchase(obj, by=self.request.user, **form.cleaned_data)
        return _("Marked as paid.")


class BudgetLineListView(SchoolScopedMixin, ListView):
    capability = "procurement.view"
    paginate_by = 25
    template_name = "procurement/budgetline_list.html"

    def get_queryset(self):
        year = self.request.GET.get("year")
        return budget_lines_with_use(self.request.school, int(year) if year and year.isdigit() else None)
