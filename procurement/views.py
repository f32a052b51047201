from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.http import FileResponse, Http404
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from procurement import services
from procurement.choices import PurchaseStatus, StepStatus
from procurement.filters import PurchaseFilter
from procurement.forms import AttachmentForm, DecisionForm, GenerateForm, JustificationForm, ItemForm, PurchaseForm, QuoteForm, ReimburseForm
from procurement.models import Disclosure, PurchaseRequest
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
            item_form=ItemForm(), quote_form=QuoteForm(), attachment_form=AttachmentForm(),
            notes_form=JustificationForm(initial={"quote_justification": p.quote_justification,
                                                  "tender_record": p.tender_record}), decision_form=DecisionForm(),
            may_sign=services.can_sign(p, step, user), current_step=step,
            may_order=p.status == PurchaseStatus.APPROVED and can(user, "procurement.receive", school=p.school),
            receipt=getattr(p, "receipt", None) if hasattr(p, "receipt") else None,
            may_receive=p.status == PurchaseStatus.ORDERED and can(user, "procurement.receive", school=p.school),
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


class ReceiptRecordView(_Action):
    """First signature of receiving: one quantity field per item (``qty_<item id>``)."""

    capability = "procurement.receive"

    def perform(self, obj, form):
        quantities = {}
        for item in obj.items.all():
            raw = self.request.POST.get(f"qty_{item.pk}", "").strip() or "0"
            try:
                quantities[item.pk] = Decimal(raw)
            except InvalidOperation as exc:
                raise ValidationError(_("Enter a number for each quantity.")) from exc
        services.record_receipt(obj, by=self.request.user, quantities=quantities,
                                note=self.request.POST.get("note", ""))
        return _("Quantities recorded. A second person must countersign.")


class ReceiptCountersignView(_Action):
    capability = "procurement.receive"

    def perform(self, obj, form):
        services.countersign_receipt(obj, by=self.request.user)
        return _("Receiving countersigned.")


# --- finance disclosure -----------------------------------------------------------------------

def sees_drafts(user, school) -> bool:
    return can(user, "procurement.publish_disclosure", school=school) or can(user, "procurement.view", school=school)


def parent_only(user, school) -> bool:
    """Parents get the parent version (the canteen part); everyone else the full report."""
    from logistics.roles import Role, has_role

    return has_role(user, Role.PARENT, school=school) and not sees_drafts(user, school) and not has_role(
        user, Role.TEACHER, school=school)


class DisclosureListView(SchoolScopedMixin, ListView):
    model = Disclosure
    capability = "procurement.view_disclosure"
    paginate_by = 24

    def get_queryset(self):
        qs = super().get_queryset().select_related("published_by")
        if not sees_drafts(self.request.user, self.request.school):
            qs = qs.filter(published_at__isnull=False)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        ctx["parent_only"] = parent_only(self.request.user, school)
        ctx["may_publish"] = can(self.request.user, "procurement.publish_disclosure", school=school)
        ctx["generate_form"] = GenerateForm()
        return ctx


class DisclosureDownloadView(SchoolScopedMixin, DetailView):
    model = Disclosure
    capability = "procurement.view_disclosure"

    def get(self, request, *args, **kwargs):
        d = self.get_object()
        if d.published_at is None and not sees_drafts(request.user, d.school):
            raise Http404
        f = d.parent_file if parent_only(request.user, d.school) else d.file
        suffix = "-parent" if f is d.parent_file else ""
        return FileResponse(f.open("rb"), content_type="application/pdf",
                            filename=f"disclosure-{d.year}-{d.month:02d}-v{d.version}{suffix}.pdf")


class DisclosureGenerateView(SchoolScopedMixin, FormView):
    capability = "procurement.publish_disclosure"
    form_class = GenerateForm
    http_method_names = ["post"]

    def form_valid(self, form):
        d = services.generate_disclosure(self.request.school, year=form.cleaned_data["year"],
                                         month=form.cleaned_data["month"], by=self.request.user)
        messages.success(self.request, _("Report generated (version %(v)s).") % {"v": d.version})
        return redirect("procurement:disclosure_list")

    def form_invalid(self, form):
        for errors in form.errors.values():
            for e in errors:
                messages.error(self.request, e)
        return redirect("procurement:disclosure_list")


class DisclosurePublishView(ObjectActionView):
    model = Disclosure
    capability = "procurement.publish_disclosure"

    def perform(self, obj, form):
        services.publish_disclosure(obj, by=self.request.user)
        return _("Report published.")


# --- the principal's dashboard ----------------------------------------------------------------

def _url(name, query=""):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name) + query
    except NoReverseMatch:
        return ""


class DashboardView(SchoolScopedMixin, TemplateView):
    """Everything at a glance for the principal: each figure links to the list behind it."""

    capability = "core.dashboard"
    template_name = "procurement/dashboard.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        from procurement.selectors import awaiting_my_signature, month_spending

        ctx = super().get_context_data(**kwargs)
        school, today = self.request.school, timezone.localdate()
        lines = list(budget_lines_with_use(school, today.year))
        budget = sum((b.amount for b in lines), Decimal("0"))
        used = sum((b.used for b in lines), Decimal("0"))
        spent_month = month_spending(school, today.year, today.month)
        ctx.update(
            waiting=awaiting_my_signature(school, self.request.user).count(),
            waiting_all=PurchaseRequest.objects.for_school(school).filter(status=PurchaseStatus.SUBMITTED).count(),
            spent_month=spent_month, budget=budget, used=used, remaining=budget - used,
            chart={
                "type": "bar",
                "data": {
                    "labels": [b.name for b in lines],
                    "datasets": [
                        {"label": str(_("Budget")), "data": [float(b.amount) for b in lines]},
                        {"label": str(_("Committed")), "data": [float(b.used) for b in lines]},
                    ],
                },
                "options": {"responsive": True, "indexAxis": "y"},
            },
            urls={
                "waiting": _url("procurement:purchase_list", "?status=submitted"),
                "budget": _url("procurement:budgetline_list", f"?year={today.year}"),
                "repairs": _url("repairs:repair_list"),
                "repairs_overdue": _url("repairs:repair_list", "?overdue=true"),
                "hazards": _url("safety:hazard_list"),
                "canteen": _url("canteen:account_list"),
            },
        )
        try:
            from repairs.selectors import dashboard_counts as repair_counts

            ctx["repairs"] = repair_counts(school)
        except ImportError:
            ctx["repairs"] = None
        try:
            from safety.selectors import dashboard_counts as safety_counts

            ctx["safety"] = safety_counts(school)
        except ImportError:
            ctx["safety"] = None
        try:
            from canteen.selectors import month_account

            ctx["canteen"] = month_account(school, today.year, today.month)
        except ImportError:
            ctx["canteen"] = None
        return ctx


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
