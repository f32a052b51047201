"""The gate: the visitor register on the guard's phone; emergency drills."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView

from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from safety import services
from safety.filters import VisitorFilter
from safety.forms import DrillForm, VisitorForm
from safety.models import Drill, Visitor
from safety.views import rows


def form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top of it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class VisitorListView(SchoolScopedMixin, ListView):
    """Today's register (or a chosen day's, or everyone still inside); the still-inside count on top."""

    model = Visitor
    capability = "safety.visitors"
    paginate_by = 30

    def get_queryset(self):
        base = super().get_queryset().select_related("registered_by")
        data = self.request.GET.copy()
        if not data.get("day") and not data.get("inside") and not data.get("q"):
            data["day"] = timezone.localdate().isoformat()
        self.day = data.get("day", "")
        self.filterset = VisitorFilter(data, queryset=base)
        qs = self.filterset.qs if self.filterset.is_valid() else base.none()
        return qs.order_by("time_in" if data.get("inside") else "-time_in", "pk")

    def get_context_data(self, **kwargs):
        inside = services.inside_at(self.request.school).count()
        ctx = super().get_context_data(inside_count=inside, filter=self.filterset, day=self.day, **kwargs)
        ctx["rows"] = rows.visitor_rows(ctx["object_list"])
        return ctx


class VisitorCreateView(OneSubmissionMixin, SchoolScopedMixin, CreateView):
    model = Visitor
    form_class = VisitorForm
    capability = "safety.visitors"

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.register_visitor(school=self.request.school, by=self.request.user, **{k: d[k] for k in VisitorForm.Meta.fields})
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Visitor registered."))
        return redirect("safety:visitor_list")


class VisitorOutView(ObjectActionView):
    model = Visitor
    capability = "safety.visitors"

    def get_success_url(self):
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return reverse("safety:visitor_list")

    def perform(self, visitor, form):
        services.visitor_out(visitor, by=self.request.user)
        return _("%(name)s has left.") % {"name": visitor.name}


class DrillListView(SchoolScopedMixin, ListView):
    model = Drill
    capability = "safety.view"
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("recorded_by").order_by("-held_on", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = rows.drill_rows(ctx["object_list"])
        return ctx


class DrillCreateView(OneSubmissionMixin, SchoolScopedMixin, CreateView):
    model = Drill
    form_class = DrillForm
    capability = "safety.manage_plans"

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.record_drill(school=self.request.school, by=self.request.user, held_on=d["held_on"], kind=d["kind"],
                                  participants=d["participants"], note=d["note"])
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Drill recorded."))
        return redirect("safety:drill_list")
