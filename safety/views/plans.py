"""Inspection plans: the list for everyone in safety, set-up for the logistics office."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import SchoolScopedMixin
from safety import services
from safety.forms import PlanForm
from safety.models import InspectionPlan
from safety.services.plans import PLAN_FIELDS
from safety.views import rows
from safety.views.gate import form_errors


class PlanListView(SchoolScopedMixin, ListView):
    model = InspectionPlan
    capability = "safety.view"
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("room__building", "building", "responsible").order_by("-active", "name", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = rows.plan_rows(ctx["object_list"])
        return ctx


class PlanFormMixin:
    form_class = PlanForm
    capability = "safety.manage_plans"

    def school(self):
        return self.object.school if getattr(self, "object", None) else self.request.school

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.school(), "people": services.members_who_inspect(self.school())}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k in PLAN_FIELDS}
        try:
            if self.object and self.object.pk:
                plan = services.update_plan(InspectionPlan.objects.get(pk=self.object.pk), by=self.request.user, **data)
                messages.success(self.request, _("Plan saved. Inspections made from now on follow it."))
            else:
                plan = services.create_plan(school=self.request.school, by=self.request.user, **data)
                messages.success(self.request, _("Plan created."))
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        return redirect(f"{redirect('safety:inspection_list').url}?plan={plan.pk}")


class PlanCreateView(OneSubmissionMixin, PlanFormMixin, SchoolScopedMixin, CreateView):
    model = InspectionPlan

    def get_initial(self):
        from django.utils import timezone

        return {"starts_on": timezone.localdate(), "responsible": self.request.user.pk}


class PlanUpdateView(PlanFormMixin, SchoolScopedMixin, UpdateView):
    model = InspectionPlan
