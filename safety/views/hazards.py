"""Hazards: the list, one hazard (rectify, verify, repair ticket), the director's changes."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import DetailView, ListView, UpdateView

from logistics.models import person_columns
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin, pop_kept_input
from safety import services
from safety.choices import HazardStatus, Severity
from safety.filters import HazardFilter
from safety.forms import HazardForm, RectifyForm, RepairForm, VerifyForm
from safety.models import Hazard
from safety.services.hazards import people_for_hazards
from safety.views import rows


class HazardListView(SchoolScopedMixin, ListView):
    model = Hazard
    capability = "safety.view"
    paginate_by = 25

    def get_queryset(self):
        base = super().get_queryset()
        self.filterset = HazardFilter(self.request.GET or None, queryset=base, user=self.request.user)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base
        # Plain values of the columns a row shows (no model instances, the responsible person's name
        # columns only: a user row is wide).
        return qs.order_by("status", "deadline", "pk").values(*rows.HAZARD_ROW_FIELDS, *person_columns("responsible"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(filter=self.filterset, **kwargs)
        words = {
            "l_desc": pgettext("safety", "description"), "l_sev": pgettext("safety", "severity"),
            "l_resp": pgettext("safety", "responsible person"), "l_dead": pgettext("safety", "deadline"),
            "l_status": pgettext("safety", "status"), "l_overdue": pgettext("safety", "overdue"),
        }
        get = self.request.GET
        ctx.update(words, table_rows=rows.hazard_rows_html(rows.hazard_rows(ctx["object_list"], timezone.localdate()), words),
                   status_options=[(v, label, v == get.get("status")) for v, label in HazardStatus.choices],
                   severity_options=[(v, label, v == get.get("severity")) for v, label in Severity.choices])
        return ctx


class HazardDetailView(SchoolScopedMixin, DetailView):
    history_panel = True
    model = Hazard
    capability = "safety.view"

    def get_queryset(self):
        # Few joins: PostgreSQL spends longer planning an eight-table join than running it. The
        # verifier is usually the person looking (reused below); a linked repair ticket loads alone.
        return super().get_queryset().select_related("school", "responsible", "item__inspection__plan").defer(
            "item__inspection__plan__checklist")

    def get_context_data(self, **kwargs):
        h, request = self.object, self.request
        user, school = request.user, h.school
        if h.verified_by_id and h.verified_by_id == user.pk:
            h.verified_by = user
        director = can(user, "safety.verify_hazard", school=school)
        is_open = h.status == HazardStatus.OPEN
        ctx = super().get_context_data(
            today=timezone.localdate(), overdue=h.is_overdue(timezone.localdate()),
            can_rectify=is_open and (h.responsible_id == user.pk or director),
            can_verify=h.status == HazardStatus.RECTIFIED and director,
            can_edit=h.status != HazardStatus.VERIFIED and director,
            kept_rectify=pop_kept_input(request, reverse("safety:hazard_rectify", args=[h.pk])) or {},
            kept_verify=pop_kept_input(request, reverse("safety:hazard_verify", args=[h.pk])) or {},
            **kwargs,
        )
        if is_open and not h.repair_id and can(user, "safety.inspect", school=school):
            plan = h.item.inspection.plan if h.item_id else None
            # a room plan: that room, no query; a building or the whole school: the rooms to choose from
            ctx["repair_room"] = plan.room_id if plan is not None and plan.room_id else None
            ctx["repair_rooms"] = [] if ctx["repair_room"] else list(services.repair_rooms(h)[:200])
        return ctx


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
    form_class = VerifyForm

    def perform(self, hazard, form):
        accept = form.cleaned_data["accept"]
        services.verify_hazard(hazard, by=self.request.user, accept=accept, note=form.cleaned_data.get("note", ""))
        return _("Hazard verified and closed.") if accept else _("Sent back to be rectified.")


class HazardRepairView(ObjectActionView):
    """One click: a repair ticket in Repairs for the hazard's room (the room chosen for a building)."""

    model = Hazard
    capability = "safety.inspect"
    form_class = RepairForm

    def get_form_kwargs(self):
        return {"rooms": services.repair_rooms(self.object)}

    def perform(self, hazard, form):
        repair = services.create_repair_for_hazard(hazard, by=self.request.user, room=form.cleaned_data.get("room"))
        return _("Repair ticket %(number)s created.") % {"number": repair.number}


class HazardUpdateView(SchoolScopedMixin, UpdateView):
    """The director changes severity, responsible person or deadline (not of a closed hazard)."""

    model = Hazard
    form_class = HazardForm
    capability = "safety.verify_hazard"
    template_name = "safety/hazard_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": people_for_hazards(self.object.school)}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status == HazardStatus.VERIFIED:
            messages.error(request, _("A verified hazard cannot be changed."))
            return redirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.update_hazard(Hazard.objects.get(pk=self.object.pk), by=self.request.user, severity=d["severity"],
                                   responsible=d["responsible"], deadline=d["deadline"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Hazard updated."))
        return redirect(self.object.get_absolute_url())
