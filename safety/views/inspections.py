"""Inspections: my list for today (phone), the history, one inspection item by item (htmx), submit."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import DetailView, ListView

from logistics.models import person_columns, row_person
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from safety import selectors, services
from safety.choices import INSPECTION_STATES, InspectionStatus, ItemResult
from safety.filters import InspectionFilter
from safety.models import Inspection, InspectionItem
from safety.views import rows

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
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = rows.today_rows(ctx["object_list"], timezone.localdate())
        return ctx


class IdsFirstPagination:
    """Paginate on primary keys alone (an index scan, however deep the page), then load the page's
    rows with their joins: page 100 of three years costs what page 1 does."""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        ids = list(ids)
        rows = {(o["pk"] if isinstance(o, dict) else o.pk): o for o in self.page_rows(queryset.model._default_manager.filter(pk__in=ids).order_by())}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated


class InspectionListView(IdsFirstPagination, SchoolScopedMixin, ListView):
    """The history of inspections (done, late, missed, to do), filterable, for the office and leaders."""

    model = Inspection
    capability = "safety.view"
    paginate_by = 25

    def get_queryset(self):
        base = super().get_queryset()
        self.filterset = InspectionFilter(self.request.GET or None, queryset=base, school=self.request.school, user=self.request.user)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base
        return qs.order_by("-due_date", "-pk")

    def plans(self) -> dict[int, tuple[str, str]]:
        """{pk: (name, area)} of the school's plans, by name (the filter's choices and every row's plan)."""
        if not hasattr(self, "_plans"):
            self._plans = selectors.plan_names(self.request.school)
        return self._plans

    def page_rows(self, qs):
        """The page's inspections as plain values (no model instances: 25 rows × 2 objects less)."""
        plans = self.plans()
        fields = ("pk", "due_date", "plan_id", "status", "submitted_at", "problem_count", "responsible_id",
                  *person_columns("responsible"))
        page = [dict(zip(fields, row, strict=True)) for row in qs.values_list(*fields)]
        for r in page:
            r["plan_name"], r["area"] = plans.get(r["plan_id"], ("", ""))
            r["person"] = row_person(r, "responsible")
        return page

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(filter=self.filterset, **kwargs)
        words = {
            "l_due": pgettext("safety", "due date"), "l_plan": pgettext("safety", "plan"), "l_area": pgettext("safety", "area"),
            "l_resp": pgettext("safety", "responsible person"), "l_status": pgettext("safety", "status"),
            "l_prob": pgettext("safety", "problems"), "l_sub": pgettext("safety", "submitted at"),
        }
        get = self.request.GET
        ctx.update(words, table_rows=rows.inspection_rows_html(rows.inspection_rows(ctx["object_list"], timezone.localdate()), words),
                   plan_options=[(pk, name, str(pk) == get.get("plan")) for pk, (name, _area) in self.plans().items()],
                   state_options=[(k, str(label), k == get.get("state")) for k, (label, _colour) in INSPECTION_STATES.items()],
                   problems_on=get.get("problems") == "true", mine_on=get.get("mine") == "true",
                   after=get.get("after", ""), before=get.get("before", ""), filtered=bool(get))
        return ctx


class InspectionDetailView(SchoolScopedMixin, DetailView):
    """One inspection, item by item: OK in one tap, or a problem with note, severity and photo."""

    model = Inspection
    capability = "safety.view"

    def get_queryset(self):
        # Few joins (planning a wide join costs more than running it: with the plan's room, its
        # building and the plan's building PostgreSQL took 1.8 ms for this one row): the plan's area
        # comes from the school's cached plan labels, and the submitter is usually the responsible
        # person (reused below).
        return super().get_queryset().select_related("school", "plan", "responsible").defer("plan__checklist")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ins, request = self.object, self.request
        if ins.submitted_by_id and ins.submitted_by_id == ins.responsible_id:
            ins.submitted_by = ins.responsible
        items = list(ins.items.select_related("hazard", "recorded_by").order_by("position"))
        editable = ins.status == InspectionStatus.DUE and can(request.user, "safety.inspect", school=ins.school)
        kept, typed = request.session.get(KEPT) or {}, {}
        if editable and kept.get("path", "").startswith("/safety/items/"):
            by_path = {reverse("safety:item_record", args=[i.pk]): i.pk for i in items}
            if kept["path"] in by_path:
                typed = {by_path[kept["path"]]: kept["data"]}
                del request.session[KEPT]
        today = timezone.localdate()
        label, colour = INSPECTION_STATES[ins.state(today)]
        words = rows.item_labels()
        cards = rows.item_cards(items, editable=editable, kept=typed)
        ctx.update(
            area=selectors.plan_names(ins.school).get(ins.plan_id, (None, ins.plan.area))[1],
            cards_html=rows.item_cards_html(cards, words, csrf=get_token(request) if editable else ""), editable=editable,
            today=today, checked=sum(1 for i in items if i.result != ItemResult.PENDING), total=len(items),
            state_label=label, state_colour=colour,
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
        typed = {item.pk: {"result": data.get("result", ""), "note": data.get("note", ""), "severity": data.get("severity", "")}} if error else {}
        cards = rows.item_cards([item], editable=editable, kept=typed, error=error)
        card = rows.item_cards_html(cards, rows.item_labels(), csrf=get_token(self.request))
        ctx = {"oob": True, "checked": sum(1 for r in counts if r != ItemResult.PENDING), "total": len(counts)}
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
