"""Inspections: my list for today (phone), the history, one inspection item by item (htmx), submit."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import DetailView, ListView

from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from safety import selectors, services
from safety.choices import INSPECTION_STATES, ITEM_RESULT_BADGE, InspectionStatus, ItemResult, Severity
from safety.filters import InspectionFilter
from safety.models import Inspection, InspectionItem

KEPT = "action_form_data"


class MyInspectionsView(SchoolScopedMixin, ListView):
    """Inspections I am responsible for: due today first, then the ones not done of the last week."""

    model = Inspection
    capability = "safety.inspect"
    paginate_by = 20
    template_name = "safety/inspection_today.html"

    def get_queryset(self):
        return selectors.my_open_inspections(self.request.user, self.request.school).select_related(
            "plan__room__building", "plan__building"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class InspectionListView(SchoolScopedMixin, ListView):
    """The history of inspections (done, late, missed, to do), filterable, for the office and leaders."""

    model = Inspection
    capability = "safety.view"
    paginate_by = 25

    def get_queryset(self):
        base = super().get_queryset()
        self.filterset = InspectionFilter(self.request.GET or None, queryset=base, school=self.request.school, user=self.request.user)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base
        qs = qs.select_related("plan__room__building", "plan__building", "responsible").order_by("-due_date", "plan__name", "pk")
        return selectors.with_problem_counts(qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(filter=self.filterset, **kwargs)
        today = timezone.localdate()
        for ins in ctx["object_list"]:
            ins.state_label, ins.state_colour = INSPECTION_STATES[ins.state(today)]
        return ctx


def _item_context(item: InspectionItem, **extra) -> dict:
    item.result_colour = ITEM_RESULT_BADGE[item.result]
    return {"item": item, **extra}


class InspectionDetailView(SchoolScopedMixin, DetailView):
    """One inspection, item by item: OK in one tap, or a problem with note, severity and photo."""

    model = Inspection
    capability = "safety.view"

    def get_queryset(self):
        return super().get_queryset().select_related("plan__room__building", "plan__building", "responsible", "submitted_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ins, request = self.object, self.request
        items = list(ins.items.select_related("hazard", "recorded_by").order_by("position"))
        editable = ins.status == InspectionStatus.DUE and can(request.user, "safety.inspect", school=ins.school)
        kept = request.session.get(KEPT) or {}
        for item in items:
            item.result_colour = ITEM_RESULT_BADGE[item.result]
            if editable and kept.get("path") == reverse("safety:item_record", args=[item.pk]):
                item.kept = kept["data"]
                del request.session[KEPT]
        today = timezone.localdate()
        ctx.update(
            items=items, editable=editable, severities=Severity.choices, today=today,
            checked=sum(1 for i in items if i.result != ItemResult.PENDING), total=len(items),
            state_label=INSPECTION_STATES[ins.state(today)][0], state_colour=INSPECTION_STATES[ins.state(today)][1],
        )
        if ins.plan.gate_check and ins.due_date == today and can(request.user, "safety.visitors", school=ins.school):
            ctx["inside"] = list(services.inside_at(ins.school)[:50])
        return ctx


class ItemRecordView(ObjectActionView):
    """Record one item. With htmx the item's card is swapped in place (and the progress count);
    without JavaScript the page is reloaded at the item. Errors keep what was typed."""

    model = InspectionItem
    capability = "safety.inspect"

    def get_queryset(self):
        return super().get_queryset().select_related("inspection__school")

    def post(self, request, *args, **kwargs):
        item = self.object = self.get_object()
        data = request.POST
        error = None
        try:
            services.record_item(item, by=request.user, result=data.get("result", ""), note=data.get("note", ""),
                                 photo=request.FILES.get("photo"), severity=data.get("severity", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
            item.refresh_from_db()
        if request.htmx:
            return self.fragment(item, error, data)
        if error:
            messages.error(request, error)
            self.keep_input(request)
        return redirect(item.get_absolute_url())

    def fragment(self, item, error, data):
        inspection = item.inspection
        editable = inspection.status == InspectionStatus.DUE
        counts = list(inspection.items.values_list("result", flat=True))
        ctx = _item_context(item, editable=editable, severities=Severity.choices, item_error=error,
                            checked=sum(1 for r in counts if r != ItemResult.PENDING), total=len(counts), oob=True,
                            l_by=pgettext("safety", "checked by"), l_photo=pgettext("safety", "photo"), l_hazard=pgettext("safety", "Hazard"))
        if error:
            item.kept = {"result": data.get("result", ""), "note": data.get("note", ""), "severity": data.get("severity", "")}
        card = render_to_string("safety/inspection_detail.html#item_card", ctx, request=self.request)
        progress = render_to_string("safety/inspection_detail.html#progress", ctx, request=self.request)
        return HttpResponse(card + progress)


class InspectionSubmitView(ObjectActionView):
    model = Inspection
    capability = "safety.inspect"

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
        return redirect("safety:inspection_today" if can(request.user, "safety.inspect", school=self.object.school) else "safety:inspection_list")
