"""Screens of the safety app: today's inspections on a phone, hazards, the gate register."""
from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.http import HttpResponse
from django.views.generic import CreateView, DetailView, ListView, TemplateView

from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from logistics.pdf import render_pdf
from safety import selectors, services
from safety.choices import HazardStatus, InspectionStatus
from safety.forms import ItemForm, RectifyForm, VisitorForm
from safety.models import Hazard, Inspection, InspectionItem, Visitor


class MyInspectionsView(SchoolScopedMixin, ListView):
    """Inspections due today or earlier, not yet submitted, that the user is responsible for."""

    model = Inspection
    capability = "safety.inspect"
    paginate_by = 20
    template_name = "safety/inspection_today.html"

    def get_queryset(self):
        return (
            super().get_queryset()
            .filter(responsible=self.request.user, status=InspectionStatus.DUE, due_date__lte=timezone.localdate())
            .select_related("plan__room__building", "plan__building")
            .order_by("due_date", "plan__window_start", "plan__name")
        )


class InspectionDetailView(SchoolScopedMixin, DetailView):
    model = Inspection
    capability = "safety.view"

    def get_queryset(self):
        return super().get_queryset().select_related("plan__room__building", "plan__building", "responsible", "submitted_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ins = self.object
        ctx["items"] = list(ins.items.select_related("hazard").order_by("position"))
        ctx["editable"] = ins.status == InspectionStatus.DUE and can(self.request.user, "safety.inspect", school=ins.school)
        ctx["item_form"] = ItemForm()
        return ctx


class ItemRecordView(ObjectActionView):
    model = InspectionItem
    capability = "safety.inspect"
    form_class = ItemForm

    def get_success_url(self):
        return self.object.inspection.get_absolute_url() + f"#item-{self.object.pk}"

    def perform(self, item, form):
        d = form.cleaned_data
        services.record_item(item, by=self.request.user, result=d["result"], note=d["note"], photo=d.get("photo"), severity=d.get("severity") or "")
        return _("Item recorded.")


class InspectionSubmitView(ObjectActionView):
    model = Inspection
    capability = "safety.inspect"

    def get_success_url(self):
        return reverse("safety:inspection_today")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            hazards = services.submit_inspection(self.object, by=request.user)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(self.object.get_absolute_url())
        if hazards:
            messages.warning(request, _("Inspection submitted; %(n)s hazard(s) recorded.") % {"n": len(hazards)})
        else:
            messages.success(request, _("Inspection submitted."))
        return redirect(self.get_success_url())


class HazardListView(SchoolScopedMixin, ListView):
    model = Hazard
    capability = "safety.view"
    paginate_by = 25

    def get_queryset(self):
        qs = super().get_queryset().select_related("responsible")
        status = self.request.GET.get("status")
        if status in HazardStatus.values:
            qs = qs.filter(status=status)
        if self.request.GET.get("mine"):
            qs = qs.filter(responsible=self.request.user)
        return qs.order_by("status", "deadline", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=HazardStatus.choices, today=timezone.localdate(), **kwargs)


class HazardDetailView(SchoolScopedMixin, DetailView):
    model = Hazard
    capability = "safety.view"

    def get_queryset(self):
        return super().get_queryset().select_related("responsible", "verified_by", "repair", "item__inspection__plan__room")

    def get_context_data(self, **kwargs):
        h = self.object
        user = self.request.user
        return super().get_context_data(
            rectify_form=RectifyForm(),
            can_rectify=h.status == HazardStatus.OPEN and (h.responsible_id == user.pk or can(user, "safety.verify_hazard", school=h.school)),
            can_verify=h.status == HazardStatus.RECTIFIED and can(user, "safety.verify_hazard", school=h.school),
            can_repair=h.status == HazardStatus.OPEN and not h.repair_id and h.item_id is not None
            and h.item.inspection.plan.room_id is not None and can(user, "safety.inspect", school=h.school),
            today=timezone.localdate(), **kwargs,
        )


class HazardRectifyView(ObjectActionView):
    model = Hazard
    capability = "safety.view"
    form_class = RectifyForm

    def perform(self, hazard, form):
        services.rectify_hazard(hazard, by=self.request.user, note=form.cleaned_data["note"], photo=form.cleaned_data["photo"])
        return _("Rectification reported; the director will verify it.")


class HazardVerifyView(ObjectActionView):
    model = Hazard
    capability = "safety.verify_hazard"

    def perform(self, hazard, form):
        accept = self.request.POST.get("accept") == "1"
        services.verify_hazard(hazard, by=self.request.user, accept=accept)
        return _("Hazard verified and closed.") if accept else _("Sent back to be rectified.")


class HazardRepairView(ObjectActionView):
    model = Hazard
    capability = "safety.inspect"

    def perform(self, hazard, form):
        repair = services.create_repair_for_hazard(hazard, by=self.request.user)
        return _("Repair ticket %(number)s created.") % {"number": repair.number}


class VisitorListView(SchoolScopedMixin, ListView):
    """Today's gate register; visitors still inside first."""

    model = Visitor
    capability = "safety.visitors"
    paginate_by = 30

    def get_queryset(self):
        today = timezone.localdate()
        qs = super().get_queryset().select_related("registered_by")
        if self.request.GET.get("inside"):
            return qs.filter(time_out__isnull=True).order_by("time_in")
        return qs.filter(time_in__date=today).order_by("-time_in")

    def get_context_data(self, **kwargs):
        inside = Visitor.objects.for_school(self.request.school).filter(time_out__isnull=True).count()
        return super().get_context_data(inside_count=inside, **kwargs)


class VisitorCreateView(SchoolScopedMixin, CreateView):
    model = Visitor
    form_class = VisitorForm
    capability = "safety.visitors"

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.register_visitor(school=self.request.school, by=self.request.user, **{k: d[k] for k in VisitorForm.Meta.fields})
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Visitor registered."))
        return redirect("safety:visitor_list")


class VisitorOutView(ObjectActionView):
    model = Visitor
    capability = "safety.visitors"

    def get_success_url(self):
        return reverse("safety:visitor_list")

    def perform(self, visitor, form):
        services.visitor_out(visitor, by=self.request.user)
        return _("%(name)s has left.") % {"name": visitor.name}


class MonthlyReportView(SchoolScopedMixin, TemplateView):
    """The month's plan completion per area (heat calendar) and hazards; PDF and Excel downloads."""

    capability = "safety.reports"
    template_name = "safety/report.html"

    def month(self) -> tuple[int, int]:
        today = timezone.localdate()
        try:
            year, month = int(self.request.GET.get("year", today.year)), int(self.request.GET.get("month", today.month))
            dt.date(year, month, 1)
        except (TypeError, ValueError):
            year, month = today.year, today.month
        return year, month

    def get(self, request, *args, **kwargs):
        year, month = self.month()
        report = selectors.monthly_report(request.school, year, month)
        fmt = request.GET.get("format")
        name = f"safety-{year}-{month:02d}"
        if fmt == "pdf":
            pdf = render_pdf("safety/pdf/monthly.html", {"r": report, "school": request.school})
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        if fmt == "xlsx":
            response = HttpResponse(
                report_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        first = report["start"]
        prev = (first - dt.timedelta(days=1)).replace(day=1)
        return self.render_to_response(self.get_context_data(r=report, prev=prev, next=report["end"]))


def report_xlsx(report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")
    t = report["totals"]
    ws.append([_("Monthly safety inspection and hazard report"), f"{report['year']}-{report['month']:02d}"])
    for label, key in ((_("Inspections due"), "due"), (_("Inspections done"), "done"), (_("Hazards found"), "found"),
                       (_("Hazards rectified"), "rectified"), (_("Hazards verified"), "verified"), (_("Hazards overdue"), "overdue")):
        ws.append([label, t[key]])
    ws2 = wb.create_sheet(_("Plans"))
    ws2.append([_("plan"), _("area"), _("Inspections due"), _("Inspections done"), _("Completion %")])
    for row in report["rows"]:
        ws2.append([row["plan"].name, str(row["plan"].area), row["due"], row["done"], row["rate"]])
    ws3 = wb.create_sheet(_("Hazards"))
    ws3.append([_("found on"), _("description"), _("severity"), _("responsible person"), _("deadline"), _("status"), _("overdue")])
    for h in report["hazards"]:
        ws3.append([h.found_on, h.description, h.get_severity_display(), str(h.responsible), h.deadline, h.get_status_display(), _("yes") if h.is_overdue else ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
