"""Budget lines (list, new, change) and the school's approval policy."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from logistics.roles import can
from logistics.scoping import SchoolScopedMixin
from procurement import services
from procurement.forms import BudgetLineForm, PolicyForm
from procurement.models import ApprovalPolicy, BudgetLine
from procurement.selectors import budget_lines_with_use


def add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: per field where it names one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class BudgetLineListView(SchoolScopedMixin, ListView):
    capability = "procurement.view"
    paginate_by = 25
    template_name = "procurement/budgetline_list.html"

    def get_queryset(self):
        year = self.request.GET.get("year", "")
        return budget_lines_with_use(self.request.school, int(year) if year.isdigit() else None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school, user = self.request.school, self.request.user
        ctx.update(may_budget=can(user, "procurement.budget", school=school),
                   may_policy=can(user, "procurement.policy", school=school),
                   policy=ApprovalPolicy.current(school), year=self.request.GET.get("year", ""))
        return ctx


class _BudgetLineFormMixin(SchoolScopedMixin):
    model = BudgetLine
    form_class = BudgetLineForm
    capability = "procurement.budget"
    template_name = "procurement/budgetline_form.html"

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            line = services.save_budget_line(
                self.request.school if self.object is None else self.object.school, by=self.request.user,
                line=self.object, year=d["year"], code=d["code"], name=d["name"], category=d["category"],
                amount=d["amount"])
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Budget line %(line)s saved.") % {"line": line})
        return redirect("procurement:budgetline_list")


class BudgetLineCreateView(_BudgetLineFormMixin, CreateView):
    def get_initial(self):
        from django.utils import timezone

        return {"year": timezone.localdate().year}

    def form_valid(self, form):
        self.object = None
        return super().form_valid(form)


class BudgetLineUpdateView(_BudgetLineFormMixin, UpdateView):
    pass


class PolicyUpdateView(SchoolScopedMixin, UpdateView):
    """The principal sets the thresholds; requests already submitted keep their path."""

    model = ApprovalPolicy
    form_class = PolicyForm
    capability = "procurement.policy"
    template_name = "procurement/policy_form.html"

    def get_object(self, queryset=None):
        return ApprovalPolicy.current(self.request.school)  # GET writes nothing; saving goes through the service

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.update_policy(self.request.school, by=self.request.user, **d)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Approval thresholds saved. Requests already submitted keep their path."))
        return redirect("procurement:budgetline_list")
