"""Screens of the repairs app. Every step is a POST-only view calling one service."""
from __future__ import annotations

import csv
import io
import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, UpdateView

from logistics.folding import folded_filter
from logistics.paging import RememberedCountMixin
from logistics.home import cached_per_school
from logistics.models import Room, defer_people, person_columns
from logistics.roles import Role, can, has_role, school_ids_for
from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import ObjectActionView, SchoolScopedMixin, log_refusal, pop_kept_input
from repairs import forms as f
from repairs import selectors, services
from repairs.choices import REPAIR_STATUS_BADGE, URGENCY_BADGE, RepairStatus
from repairs.filters import RepairFilter
from repairs.models import MaintenancePlan, Repair, RepairSettings
from repairs.paging import CappedPaginator

PAGE_SIZE = 25


def visible_repairs(user):
    """Tickets a user may open: all of a school where they see everything, else only their own."""
    ids = school_ids_for(user)
    all_schools = [sid for sid in ids if can(user, "repairs.view_all", school=sid)]
    qs = Repair.objects.for_user(user)  # the user's schools only
    if user.is_superuser or len(all_schools) == len(ids):  # sees everything in each of them: nothing more to ask
        return qs
    return qs.filter(Q(school__in=all_schools) | Q(reporter=user) | Q(assignee=user) | Q(owner=user))


LIST_COLUMNS = (
    "school_id", "number", "description", "urgency", "status", "auto_closed", "reopen_count", "created_at", "response_due",
    "completion_due", "done_at", "room_id",
    *(f"{who}__{name}" for who in ("owner", "assignee") for name in ("username", "first_name", "last_name", "full_name")),
)


def ticket_values(qs):
    """What a list row shows, as plain values (``repairs_tags.ticket_rows``): the room (named from
    the school's cached room labels, not joined: PostgreSQL hashed all 4,000 rooms of a large school
    to name 25, and the two joins doubled the cost of the query) and the two people responsible —
    only the columns the row prints, and no model instances (25 rows × 5 objects cost more than the query)."""
    return qs.values("pk", "owner_id", "assignee_id", *LIST_COLUMNS)


class TicketPaginator(CappedPaginator):
    """A ticket list's pages: counted and sliced on the tickets alone, each page's rows fetched as
    ``ticket_values`` (joining the people of those 25 rows only)."""

    rows = staticmethod(ticket_values)


class VisibleRepairMixin:
    model = Repair

    def get_queryset(self):
        return visible_repairs(self.request.user)


class RepairListView(RememberedCountMixin, SchoolScopedMixin, ListView):
    """The logistics inbox: every request of the school, filtered."""

    model = Repair
    capability = "repairs.view_all"
    paginate_by = PAGE_SIZE
    paginator_class = TicketPaginator
    title = gettext_lazy("Repair inbox")

    def get_queryset(self):
        self.filterset = RepairFilter(self.request.GET or None, queryset=super().get_queryset())
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else self.filterset.queryset

    def keeps_count(self) -> bool:
        # "overdue" grows as deadlines pass, with no change to remember: counted on every view
        return not any(self.request.GET.get(name) for name in RepairFilter.CLOCK_FILTERS)

    def get(self, request, *args, **kwargs):
        if request.GET.get("fragment") == "filter":  # the filter form alone, fetched when "Filter" is opened
            self.object_list = self.get_queryset()
            ctx = self.filter_context()
            return self.response_class(request=request, template=["repairs/repair_list.html#filterform"], context=ctx, using=self.template_engine)
        return super().get(request, *args, **kwargs)

    def filter_context(self) -> dict:
        in_use = self.filterset.is_bound and self.filterset.form.has_changed()
        return {"filter": self.filterset, "tab": getattr(self, "tab", None), **folded_filter(self.request, in_use=in_use)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.filter_context())
        ctx.update(title=self.title, export=True, badges=REPAIR_STATUS_BADGE, urgency_badges=URGENCY_BADGE)
        return ctx


class MyRepairListView(RepairListView):
    """My tickets, one relation at a time: reported by me, assigned to me (repairer), owned by me
    (first contact). Each tab reads one index, so it stays fast for a person with 16,000 tickets."""

    capability = "repairs.report"
    template_name = "repairs/repair_list.html"
    TABS = {
        "reported": ("reporter", gettext_lazy("Reported by me"), "repairs.report"),
        "assigned": ("assignee", gettext_lazy("Assigned to me"), "repairs.work"),
        "owned": ("owner", gettext_lazy("Owned by me (first contact)"), "repairs.take"),
    }

    def tabs(self) -> list[tuple[str, str]]:
        school, user = self.request.school, self.request.user
        return [(key, label) for key, (_field, label, cap) in self.TABS.items() if can(user, cap, school=school)]

    def current_tab(self) -> str:
        keys = [key for key, _label in self.tabs()]
        wanted = self.request.GET.get("as")
        if wanted in keys:
            return wanted
        if has_role(self.request.user, Role.REPAIRER, school=self.request.school):
            return "assigned"
        return "reported"

    def get_queryset(self):
        self.tab = self.current_tab()
        field = self.TABS[self.tab][0]
        base = Repair.objects.for_school(self.request.school).filter(**{field: self.request.user})
        self.filterset = RepairFilter(self.request.GET or None, queryset=base)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tab = self.current_tab()
        ctx.update(export=False, tabs=self.tabs(), tab=tab, title=self.TABS[tab][1])
        return ctx


class RepairExportView(RepairListView):
    """The filtered inbox as CSV or Excel."""

    def get(self, request, *args, **kwargs):
        header, rows = selectors.export_table(self.get_queryset())
        if request.GET.get("format") == "xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("repairs")
            ws.append(header)
            from logistics.spreadsheets import text_cells  # typed text stays text, never a formula

            for row in rows:
                ws.append(text_cells(ws, row))
            out = io.BytesIO()
            wb.save(out)
            response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = 'attachment; filename="repairs.xlsx"'
            return response

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        from logistics.spreadsheets import csv_row  # "=..." typed in a description is not a formula in Excel

        def chunks():  # a few hundred rows per chunk, streamed as they are read
            yield "\ufeff" + writer.writerow(header)
            for batch in itertools.batched(rows, 500):
                yield "".join(writer.writerow(csv_row(row)) for row in batch)

        response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="repairs.csv"'
        return response


class RepairCreateView(OneSubmissionMixin, SchoolScopedMixin, FormView):
    """Report a fault from a phone; ``?room=<pk>`` (the room's QR code) fills in the room."""

    capability = "repairs.report"
    form_class = f.RepairReportForm
    template_name = "repairs/repair_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["school"] = self.request.school
        return kwargs

    def get_initial(self):
        """``?room=<pk>`` (the room's QR label) or ``?asset=<pk>`` (from an asset card) fill the form in."""
        from assets.selectors import assets_of

        initial = super().get_initial()
        asset, room = self.request.GET.get("asset", ""), self.request.GET.get("room", "")
        if asset.isdigit():
            found = assets_of(self.request.school).filter(pk=asset).first()
            if found:
                initial["asset"] = found
                if found.room_id:
                    initial["room"] = found.room
        if room.isdigit():
            found = Room.objects.for_school(self.request.school).filter(pk=room).first()
            if found:
                initial["room"] = found
        return initial

    def get_context_data(self, **kwargs):
        """Suggestions for the asset number: what is registered in the chosen room."""
        from assets.selectors import assets_of

        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        room = form["room"].value() if form.is_bound else getattr(form.initial.get("room"), "pk", None)
        ctx["room_assets"] = assets_of(self.request.school).filter(room_id=room).order_by("number")[:100] if str(room or "").isdigit() else []
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            from django.db import transaction

            with transaction.atomic():
                repair = services.create_repair(
                    school=self.request.school, reporter=self.request.user, room=data["room"], description=data["description"],
                    urgency=data["urgency"], asset=data.get("asset"),
                )
                if data["photos"]:
                    services.add_photos(repair, data["photos"], by=self.request.user)
        except ValidationError as exc:
            form.add_error("photos" if data["photos"] else None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Request %(number)s sent to the logistics office.") % {"number": repair.number})
        return HttpResponseRedirect(repair.get_absolute_url())


class RepairDetailView(SchoolScopedMixin, VisibleRepairMixin, DetailView):
    """A ticket: deadlines, timeline, photos, materials, rating, and the steps the user may take."""
    history_panel = True

    def get_queryset(self):
        # Joining six tables made PostgreSQL spend 3–10 ms planning this one-row query; the room
        # is joined, the people come in one query below, the asset (when there is one) lazily.
        # Whether there are photos or materials at all rides along (EXISTS on their repair index): most
        # tickets have neither, and each would otherwise be a query of its own.
        from django.db.models import Exists, OuterRef

        from repairs.models import RepairMaterial, RepairPhoto

        return visible_repairs(self.request.user).select_related("room__building").annotate(
            has_photos=Exists(RepairPhoto.objects.filter(repair=OuterRef("pk"))),
            has_materials=Exists(RepairMaterial.objects.filter(repair=OuterRef("pk"))),
        )

    def get_object(self, queryset=None):
        from logistics.models import people_by_id

        obj = super().get_object(queryset)
        fields = ("reporter", "owner", "assignee", "signed_by")
        people = people_by_id(getattr(obj, f"{f}_id") for f in fields)
        for name in fields:
            if getattr(obj, f"{name}_id") in people:
                setattr(obj, name, people[getattr(obj, f"{name}_id")])
        return obj

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.object
        user = self.request.user
        school = r.school_id
        S = RepairStatus
        is_dir = can(user, "repairs.configure", school=school)
        may = {
            "take": r.status == S.SUBMITTED and can(user, "repairs.take", school=school),
            "dispatch": r.status in (S.TAKEN, S.DISPATCHED) and can(user, "repairs.dispatch", school=school) and (r.owner_id == user.pk or is_dir),
            "handover": r.status in (S.TAKEN, S.DISPATCHED, S.IN_PROGRESS) and can(user, "repairs.handover", school=school) and (r.owner_id == user.pk or is_dir),
            "work": r.status in (S.DISPATCHED, S.IN_PROGRESS) and r.assignee_id == user.pk,
            "start": r.status == S.DISPATCHED and r.assignee_id == user.pk,
            "signoff": r.status == S.DONE and r.reporter_id == user.pk,
            "cancel": r.status in (S.SUBMITTED, S.TAKEN) and (r.reporter_id == user.pk or can(user, "repairs.take", school=school)),
            "cause": not r.cause and services.final_refusal(r) is None and can(user, "repairs.dispatch", school=school),
        }
        may["material"] = may["work"] and _store_available()
        # What the person typed in a step that was refused comes back in that step's form.
        kept = self.request.session.get("action_form_data") or {}
        kept_action = next((a for a in FORM_CLASSES if kept.get("path") == reverse_action(r, a)), None) if kept else None
        data = {kept_action: pop_kept_input(self.request, reverse_action(r, kept_action))} if kept_action else {}
        wanted = {
            "dispatch": may["dispatch"], "handover": may["handover"], "note": may["work"], "cost": may["work"],
            "complete": may["work"], "material": may["material"], "signoff": may["signoff"], "reject": may["signoff"],
            "cancel": may["cancel"], "cause": may["cause"],
        }
        forms = {}
        for action, shown in wanted.items():
            if not shown:
                continue
            form_class, needs_school = FORM_CLASSES[action]
            kwargs = {"school": school} if needs_school else {}
            if action == "dispatch":
                kwargs["initial"] = {"to": r.assignee_id}
            forms[action] = form_class(data=data.get(action), **kwargs)
        ctx.update(
            may=may, forms=forms, events=r.events.values("created_at", "kind", "from_status", "to_status", "note", *person_columns("actor")),
            photos=r.photos.all() if r.has_photos else [], materials=defer_people(r.materials.all(), "by") if r.has_materials else [],
            overdue=r.is_overdue(),
            asset_repairs_last_year=selectors.asset_repairs_since(r.asset, timezone.now() - timezone.timedelta(days=365)) if r.asset_id else 0,
            flag_threshold=selectors.REPEAT_REPAIR_FLAG, badge=REPAIR_STATUS_BADGE.get(r.status), urgency_badge=URGENCY_BADGE.get(r.urgency),
            room_history=(Repair.objects.filter(room_id=r.room_id).exclude(pk=r.pk).order_by("-created_at", "-pk")
                          .values("created_at", "description", "status")[:5]) if can(user, "repairs.view_all", school=school) else [],
        )
        return ctx


# The form of each step on the ticket page, and whether it needs the school (for its choices).
FORM_CLASSES = {
    "dispatch": (f.DispatchForm, True), "handover": (f.HandoverForm, True), "note": (f.NoteForm, False),
    "cost": (f.CostForm, False), "complete": (f.CompleteForm, False), "material": (f.MaterialForm, True),
    "signoff": (f.SignOffForm, False), "reject": (f.RejectForm, False), "cancel": (f.CancelForm, False),
    "cause": (f.CauseForm, True),
}


def _store_available() -> bool:
    try:
        from assets import selectors as asset_selectors  # noqa: F401
        from assets import services as asset_services
    except ImportError:
        return False
    return hasattr(asset_services, "issue_stock") and hasattr(asset_selectors, "store_items")


def reverse_action(repair, action):
    from django.urls import reverse

    return reverse(f"repairs:repair_{action}", args=[repair.pk])


class RepairActionView(VisibleRepairMixin, ObjectActionView):
    """Base of the POST-only steps: the ticket must be visible to the user (else 404), the role
    right (else 403), and the ticket not closed or cancelled — checked before the form, so that
    whatever was typed the attempt is refused with the reason, logged to ``logistics.audit``,
    and the typed text kept. The service checks the same rule again."""

    capability = "repairs.report"
    needs_school_in_form = False

    def get_form_kwargs(self):
        return {"school": self.object.school} if self.needs_school_in_form else {}

    def get_object(self, queryset=None):
        if getattr(self, "_ticket", None) is None:
            self._ticket = super().get_object(queryset)
        return self._ticket

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        refusal = services.final_refusal(self.object)
        if refusal:
            log_refusal(request, obj=self.object, action=self.action_name(), reason=refusal)
            messages.error(request, refusal)
            self.keep_input(request)
            return HttpResponseRedirect(self.get_success_url())
        return super().post(request, *args, **kwargs)


class TakeView(RepairActionView):
    capability = "repairs.take"

    def perform(self, obj, form):
        services.take_repair(obj, by=self.request.user)
        return _("You now own request %(number)s (first contact).") % {"number": obj.number}


class HandoverView(RepairActionView):
    capability = "repairs.handover"
    form_class = f.HandoverForm
    needs_school_in_form = True

    def perform(self, obj, form):
        services.handover_repair(obj, to=form.cleaned_data["to"], by=self.request.user, reason=form.cleaned_data["reason"])
        return _("Handed over to %(who)s.") % {"who": form.cleaned_data["to"]}


class DispatchView(RepairActionView):
    capability = "repairs.dispatch"
    form_class = f.DispatchForm
    needs_school_in_form = True

    def perform(self, obj, form):
        d = form.cleaned_data
        services.dispatch_repair(obj, to=d["to"], by=self.request.user, planned_at=d["planned_at"], note=d["note"])
        return _("Dispatched to %(who)s.") % {"who": d["to"]}


class StartView(RepairActionView):
    capability = "repairs.work"

    def perform(self, obj, form):
        services.start_repair(obj, by=self.request.user)
        return _("Work started.")


class NoteView(RepairActionView):
    capability = "repairs.work"
    form_class = f.NoteForm

    def perform(self, obj, form):
        services.add_work_note(obj, by=self.request.user, note=form.cleaned_data["note"])
        return _("Work note saved.")


class CostView(RepairActionView):
    capability = "repairs.work"
    form_class = f.CostForm

    def perform(self, obj, form):
        services.add_other_cost(obj, by=self.request.user, amount=form.cleaned_data["amount"], note=form.cleaned_data["note"])
        return _("Cost recorded.")


class MaterialView(RepairActionView):
    capability = "repairs.work"
    form_class = f.MaterialForm
    needs_school_in_form = True

    def perform(self, obj, form):
        services.use_material(obj, item=form.cleaned_data["item"], quantity=form.cleaned_data["quantity"], by=self.request.user)
        return _("Material drawn from the store room.")


class CompleteView(RepairActionView):
    capability = "repairs.work"
    form_class = f.CompleteForm

    def perform(self, obj, form):
        services.complete_repair(obj, by=self.request.user, note=form.cleaned_data["note"])
        return _("Marked as done; the requester has been asked to sign it off.")


class SignOffView(RepairActionView):
    form_class = f.SignOffForm

    def perform(self, obj, form):
        d = form.cleaned_data
        services.sign_off_repair(obj, by=self.request.user, timeliness=d["timeliness"], quality=d["quality"], attitude=d["attitude"], comment=d["comment"])
        return _("Signed off. Thank you for rating the work.")


class RejectView(RepairActionView):
    form_class = f.RejectForm

    def perform(self, obj, form):
        services.reject_repair(obj, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("Rejected; the job is back with the repairer.")


class CancelView(RepairActionView):
    form_class = f.CancelForm

    def perform(self, obj, form):
        services.cancel_repair(obj, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("Request cancelled.")


class CauseView(RepairActionView):
    capability = "repairs.dispatch"
    form_class = f.CauseForm
    needs_school_in_form = True

    def perform(self, obj, form):
        d = form.cleaned_data
        services.record_cause(obj, cause=d["cause"], by=self.request.user, liable_person=d["liable_person"] or None, note=d["note"])
        return _("Cause recorded.")


class SettingsView(SchoolScopedMixin, UpdateView):
    """The director sets the school's response and completion deadlines."""

    capability = "repairs.configure"
    model = RepairSettings
    form_class = f.RepairSettingsForm
    template_name = "repairs/settings_form.html"

    def get_object(self, queryset=None):
        # GET writes nothing: the defaults (unsaved) until the director saves them through the service.
        return RepairSettings.objects.filter(school=self.request.school).first() or RepairSettings(school=self.request.school)

    def form_valid(self, form):
        try:
            services.update_settings(self.request.school, by=self.request.user, **{k: form.cleaned_data[k] for k in form.cleaned_data})
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Service deadlines saved."))
        return HttpResponseRedirect(self.request.path)


class PlanListView(SchoolScopedMixin, ListView):
    capability = "repairs.plan_maintenance"
    model = MaintenancePlan
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return super().get_queryset().select_related("room__building", "assignee")


class PlanCreateView(SchoolScopedMixin, FormView):
    capability = "repairs.plan_maintenance"
    form_class = f.MaintenancePlanForm
    template_name = "repairs/maintenanceplan_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["school"] = self.request.school
        return kwargs

    def form_valid(self, form):
        try:
            plan = services.create_plan(school=self.request.school, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Maintenance plan “%(title)s” saved.") % {"title": plan.title})
        return HttpResponseRedirect(plan.get_absolute_url())


class PlanUpdateView(SchoolScopedMixin, UpdateView):
    """Change a recurring job, or stop it (untick "active")."""

    capability = "repairs.plan_maintenance"
    model = MaintenancePlan
    form_class = f.MaintenancePlanForm
    template_name = "repairs/maintenanceplan_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["school"] = self.object.school
        return kwargs

    def form_valid(self, form):
        plan = MaintenancePlan.objects.get(pk=self.object.pk)
        try:
            services.update_plan(plan, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Maintenance plan “%(title)s” saved.") % {"title": plan.title})
        return HttpResponseRedirect(plan.get_absolute_url())


class StatsView(SchoolScopedMixin, ListView):
    """责任追究制: per-person figures for a period, each number linked to its tickets.

    The people table is short (a school's repair team) and paginated in memory; the tickets
    behind a number are a paginated list of their own (``dpage``), never counted past the cap.
    """

    capability = "repairs.stats"
    template_name = "repairs/stats.html"
    paginate_by = PAGE_SIZE
    DRILL_PAGE_SIZE = PAGE_SIZE

    def get_period(self):
        return selectors.parse_period(self.request.GET)

    # The figures are kept until the school's data changes, and a minute at most: "overdue" moves
    # with the clock, not only with the tickets.
    FIGURES_SECONDS = 60

    def get_queryset(self):
        start, end = self.get_period()
        school = self.request.school
        return cached_per_school(f"repair-figures:{start:%Y%m%d}-{end:%Y%m%d}", school,
                                 lambda: selectors.person_figures(school, start, end), self.FIGURES_SECONDS)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        start, end = self.get_period()
        school = self.request.school
        owners = cached_per_school(f"repair-owners:{start:%Y%m%d}-{end:%Y%m%d}", school,
                                   lambda: selectors.owner_figures(school, start, end), self.FIGURES_SECONDS)
        ctx.update(start=start, end=end, end_inclusive=end - timezone.timedelta(days=1), owners=owners)
        person = self.request.GET.get("person")
        metric = self.request.GET.get("metric")
        if person and person.isdigit() and metric in selectors.METRICS:
            tickets = selectors.person_tickets(self.request.school, int(person), start, end, metric)
            paginator = TicketPaginator(tickets, self.DRILL_PAGE_SIZE)
            try:
                drill_page = paginator.page(self.request.GET.get("dpage") or 1)
            except (EmptyPage, PageNotAnInteger):
                drill_page = paginator.page(1)
            ctx.update(drill=drill_page.object_list, drill_page=drill_page, drill_metric=selectors.METRICS[metric],
                       drill_person=next((p for p in ctx["object_list"] if p.pk == int(person)), None))
        return ctx


class RoomHistoryView(SchoolScopedMixin, ListView):
    """Every repair of one room."""

    capability = "repairs.view_all"
    template_name = "repairs/room_history.html"
    paginate_by = PAGE_SIZE
    paginator_class = TicketPaginator

    def get_queryset(self):
        self.room = get_object_or_404(Room.objects.for_user(self.request.user), pk=self.kwargs["room"])
        if not can(self.request.user, "repairs.view_all", school=self.room.school):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return Repair.objects.filter(room=self.room)

    def get_context_data(self, **kwargs):
        from repairs.reports import qr_data_uri, report_url

        ctx = super().get_context_data(**kwargs)
        url = report_url(self.request, self.room)
        ctx.update(room=self.room, report_url=url, qr=qr_data_uri(url))
        return ctx


class RoomLabelsView(SchoolScopedMixin, View):
    """QR labels to post in the rooms (A4 PDF): scanning one opens the fault form with the room
    filled in. All rooms of the school, or of one building (``?building=<pk>``)."""

    capability = "repairs.take"

    def get(self, request, *args, **kwargs):
        from repairs.reports import room_labels_pdf

        rooms = Room.objects.for_user(request.user).for_school(request.school).select_related("building")
        building = request.GET.get("building", "")
        if building.isdigit():
            rooms = rooms.filter(building_id=int(building))
        response = HttpResponse(room_labels_pdf(request, rooms), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="repair-qr-labels.pdf"'
        return response


class AssetHistoryView(SchoolScopedMixin, ListView):
    """Every repair of one asset; flagged when repaired 3 or more times in the last year."""

    capability = "repairs.view_all"
    template_name = "repairs/asset_history.html"
    paginate_by = PAGE_SIZE
    paginator_class = TicketPaginator

    def get_queryset(self):
        from assets.models import Asset

        self.asset = get_object_or_404(Asset.objects.for_user(self.request.user), pk=self.kwargs["asset"])
        if not can(self.request.user, "repairs.view_all", school=self.asset.school):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return Repair.objects.filter(asset=self.asset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        n = selectors.asset_repairs_since(self.asset, timezone.now() - timezone.timedelta(days=365))
        ctx.update(asset=self.asset, repairs_last_year=n, flagged=n >= selectors.REPEAT_REPAIR_FLAG)
        return ctx
