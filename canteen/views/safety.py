"""Food-safety records: receiving, samples, disinfection, certificates, accompanied meals."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from canteen import forms as f, selectors
from canteen.filters import ReceivingFilter
from canteen.choices import Meal
from canteen.models import (
    AccompaniedMeal,
    DisinfectionLog,
    HealthCertificate,
    MealSample,
    Receiving,
    Supplier,
)
from canteen.services import safety
from logistics.home import cached_per_school
from logistics.models import defer_people, person_columns
from logistics.paging import RememberedCountMixin, rows_paginator
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin, pop_kept_input
from canteen.views.base import PAGE, ServiceFormView, _apply_errors


# --- receiving -----------------------------------------------------------------------------

class SupplierListView(SchoolScopedMixin, ListView):
    model = Supplier
    capability = "canteen.view"
    paginate_by = PAGE

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            today=today, warn_until=today + dt.timedelta(days=30), may_manage=can(self.request.user, "canteen.manage", school=self.request.school),
            list_url=reverse("canteen:supplier_list"), **kwargs,
        )


class SupplierCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.SupplierForm
    title = gettext_lazy("New supplier")
    success_url = reverse_lazy("canteen:supplier_list")

    def perform(self, form):
        form.instance.school = self.request.school
        self.success_message = _("Supplier saved.")
        return form.save()


class SupplierUpdateView(SchoolScopedMixin, SingleObjectMixin, FormView):
    """Change a supplier, e.g. its renewed licence (every change is kept in the history)."""

    model = Supplier
    capability = "canteen.manage"
    form_class = f.SupplierEditForm
    template_name = "canteen/form.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Supplier.objects.get(pk=self.object.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Change supplier"), cancel_url=reverse("canteen:supplier_list"), **kwargs)

    def form_valid(self, form):
        safety.update_supplier(self.object, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Supplier saved."))
        return HttpResponseRedirect(reverse("canteen:supplier_list"))


class ReceivingListView(SchoolScopedMixin, ListView):
    model = Receiving
    capability = "canteen.view_receiving"
    paginate_by = PAGE
    # a page is plain values, the columns a row prints (``canteen_tags.receiving_rows``); the count
    # reads the deliveries alone
    paginator_class = rows_paginator(lambda qs: qs.values("pk", "received_on", "item", "amount", "status", "committee_member_id", "supplier__name"))

    def get_queryset(self):
        self.filterset = ReceivingFilter(self.request.GET, queryset=super().get_queryset())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, may_sign=can(self.request.user, "canteen.sign_receiving", school=self.request.school),
            detail_prefix=reverse("canteen:receiving_list"),  # rows link to <prefix><pk>/ (one reverse per page)
            **kwargs,
        )


class ReceivingCreateView(ServiceFormView):
    capability = "canteen.sign_receiving"
    form_class = f.ReceivingForm
    title = gettext_lazy("Record a delivery")
    success_url = reverse_lazy("canteen:receiving_list")

    def perform(self, form):
        d = form.cleaned_data
        self.success_message = _("Delivery recorded; a second person must sign it.")
        return safety.record_receiving(school=self.request.school, by=self.request.user, **{k: d[k] for k in f.ReceivingForm.Meta.fields})


class ReceivingDetailView(SchoolScopedMixin, DetailView):
    history_panel = True
    model = Receiving
    capability = "canteen.view_receiving"

    def get_context_data(self, **kwargs):
        kept = pop_kept_input(self.request, reverse("canteen:receiving_reject", args=[self.object.pk])) or {}
        end = safety.retention_end(self.object)
        seen = self.object.updated_at.isoformat(timespec="microseconds")  # sent back with a decision
        return super().get_context_data(retention_end=end, deletable=timezone.localdate() >= end, kept=kept, seen=seen, **kwargs)


class ReceivingUpdateView(SchoolScopedMixin, SingleObjectMixin, FormView):
    """Correct a delivery still waiting for its second signature (e.g. attach the certificate).
    A signed or rejected record refuses, on GET and POST alike (the service decides and logs)."""

    model = Receiving
    capability = "canteen.sign_receiving"
    form_class = f.ReceivingEditForm
    template_name = "canteen/form.html"

    def refuse_if_final(self):
        try:
            safety.check_receiving_open(self.object, by=self.request.user, action="canteen.receiving_edit")
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(self.request, msg)
            return HttpResponseRedirect(self.object.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.refuse_if_final() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.refuse_if_final() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(school=self.object.school, instance=Receiving.objects.get(pk=self.object.pk))
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Correct the delivery"), cancel_url=self.object.get_absolute_url(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data.get("certificate")
        new_certificate = upload if isinstance(upload, UploadedFile) else None
        try:
            safety.update_receiving(self.object, by=self.request.user, certificate=new_certificate, **{k: data[k] for k in safety.RECEIVING_FIELDS})
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Delivery corrected."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class ReceivingSignView(ObjectActionView):
    model = Receiving
    capability = "canteen.sign_receiving"
    form_class = f.SeenForm

    def perform(self, rec, form):
        safety.sign_receiving(rec, by=self.request.user, seen=form.cleaned_data["seen"])
        return _("Delivery accepted.")


class ReceivingRejectView(ObjectActionView):
    model = Receiving
    capability = "canteen.sign_receiving"
    form_class = f.RejectForm

    def perform(self, rec, form):
        safety.reject_receiving(rec, by=self.request.user, reason=form.cleaned_data["reason"], seen=form.cleaned_data["seen"])
        return _("Delivery rejected.")


class ReceivingDeleteView(ObjectActionView):
    model = Receiving
    capability = "canteen.manage"

    def perform(self, rec, form):
        safety.delete_receiving(rec, by=self.request.user)
        return _("Record deleted.")

    def get_success_url(self):
        if Receiving.objects.filter(pk=self.object.pk).exists():
            return self.object.get_absolute_url()
        return reverse("canteen:receiving_list")


# --- samples, disinfection, certificates, accompanied meals --------------------------------

class SampleListView(RememberedCountMixin, SchoolScopedMixin, ListView):
    """Today's dashboard: meals of the published menu still missing a sample, then all samples."""

    model = MealSample
    capability = "canteen.view"
    paginate_by = PAGE

    # a page is plain values, the columns a row prints (``canteen_tags.sample_groups``): no model
    # instances for 25 rows × 4 objects; the count reads the samples alone
    paginator_class = rows_paginator(lambda qs: qs.values(
        "pk", "day", "meal", "weight_g", "fridge_temp_c", "taken_at", "discarded_at", "dish__name", *person_columns("taken_by", "discarded_by")))

    def get_queryset(self):
        # newest first, each meal's samples together under one heading
        return super().get_queryset().order_by("-day", "-taken_at", "-pk")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        school = self.request.school

        def todays_menu():
            missing = selectors.missing_samples(school, today)
            return missing, bool(missing) or selectors.served_today(school, today)

        # what is still missing today changes only with the school's data (a sample, a menu): kept until then
        missing, served = cached_per_school(f"samples-missing:{today}", school, todays_menu)
        return super().get_context_data(
            today=today, missing=[(m, Meal(m).label, dishes) for m, dishes in missing.items()],
            served=served, now=timezone.now(),
            may_manage=can(self.request.user, "canteen.manage", school=self.request.school),
            list_url=reverse("canteen:sample_list"),  # discard buttons post to <list>/<pk>/discard/ (one reverse per page)
            **kwargs,
        )


class SampleCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.SampleForm
    title = gettext_lazy("Record a meal sample")
    success_url = reverse_lazy("canteen:sample_list")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("meal", "dish"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def perform(self, form):
        self.success_message = _("Sample recorded.")
        return safety.record_sample(school=self.request.school, by=self.request.user, **form.cleaned_data)


class SampleDiscardView(ObjectActionView):
    model = MealSample
    capability = "canteen.manage"

    def perform(self, sample, form):
        safety.discard_sample(sample, by=self.request.user)
        return _("Sample discarded.")


class DisinfectionListView(SchoolScopedMixin, ListView):
    model = DisinfectionLog
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        from django.db.models import Exists, OuterRef

        # "redone" as EXISTS on the unique redo_of index, not a LEFT JOIN of the table on itself:
        # SQLite's statistics see redo_of mostly empty and scanned the whole table for every row.
        redone = DisinfectionLog.objects.filter(redo_of=OuterRef("pk"))
        return defer_people(super().get_queryset().select_related("method"), "by").annotate(redone=Exists(redone))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_manage=can(self.request.user, "canteen.manage", school=self.request.school), create_url=reverse("canteen:disinfection_create"),
            to_redo=selectors.batches_to_redo(self.request.school).count(), **kwargs,
        )


class DisinfectionCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.DisinfectionForm
    title = gettext_lazy("Record a disinfection batch")
    success_url = reverse_lazy("canteen:disinfection_list")

    def redo_of(self):
        if not self.request.GET.get("redo", "").isdigit():
            return None
        return get_object_or_404(DisinfectionLog.objects.for_school(self.request.school).select_related("method"), pk=self.request.GET["redo"])

    def get_initial(self):
        redo = self.redo_of()
        return {"method": redo.method_id, "batch": redo.batch} if redo else {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        redo = self.redo_of()
        if redo:
            ctx["title"] = _("Disinfect batch “%(batch)s” again") % {"batch": redo.batch}
        return ctx

    def perform(self, form):
        redo = self.redo_of()
        log = safety.record_disinfection(school=self.request.school, by=self.request.user, redo_of=redo, **form.cleaned_data)
        if log.below_minimum:
            messages.warning(self.request, _("Below the minimum for this method: disinfect this batch again."))
        self.success_message = _("Disinfection recorded.")
        return log


class CertificateListView(SchoolScopedMixin, ListView):
    model = HealthCertificate
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        from django.db.models import Exists, OuterRef

        renewed = HealthCertificate.objects.filter(school=OuterRef("school"), staff_name=OuterRef("staff_name"), expires_on__gt=OuterRef("expires_on"))
        return super().get_queryset().annotate(renewed=Exists(renewed)).order_by("renewed", "expires_on", "pk")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(today=today, warn_until=today + dt.timedelta(days=30),
                                        may_manage=can(self.request.user, "canteen.manage", school=self.request.school), **kwargs)


class CertificateCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.CertificateForm
    title = gettext_lazy("New health certificate")
    success_url = reverse_lazy("canteen:certificate_list")

    def perform(self, form):
        form.instance.school = self.request.school
        self.success_message = _("Health certificate saved.")
        form.save()
        return None


class AccompaniedMealListView(SchoolScopedMixin, ListView):
    model = AccompaniedMeal
    capability = "canteen.parent_view"
    paginate_by = PAGE

    def get_queryset(self):
        qs = super().get_queryset().select_related("companion")
        if not can(self.request.user, "canteen.view", school=self.request.school):
            qs = qs.filter(companion=self.request.user)
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_record=safety.may_accompany(self.request.user, self.request.school),
            may_follow_up=can(self.request.user, "canteen.manage", school=self.request.school), **kwargs
        )


class AccompaniedMealCreateView(ServiceFormView):
    capability = "canteen.parent_view"
    form_class = f.AccompaniedMealForm
    title = gettext_lazy("Record an accompanied meal")
    success_url = reverse_lazy("canteen:accompanied_list")

    def perform(self, form):
        try:
            obj = safety.record_accompanied_meal(school=self.request.school, by=self.request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        self.success_message = _("Accompanied meal recorded.")
        return obj

    def get_success_url(self):
        return str(self.success_url)


class CommitteeReceivingView(SchoolScopedMixin, ListView):
    """Parents' committee: the last two weeks' deliveries, to record the checks they took part in."""

    model = Receiving
    capability = "canteen.parent_view"
    paginate_by = PAGE
    template_name = "canteen/committee_receiving.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.school and not safety.is_parent_committee(request.user, request.school):
            raise PermissionDenied("canteen.parent_committee")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        since = timezone.localdate() - dt.timedelta(days=14)
        return super().get_queryset().filter(received_on__gte=since).select_related("supplier", "committee_member")


class CommitteeCheckView(ObjectActionView):
    model = Receiving
    capability = "canteen.parent_view"
    form_class = f.CommitteeCheckForm

    def get_success_url(self):
        return reverse("canteen:committee_receiving")

    def perform(self, rec, form):
        safety.record_committee_check(rec, by=self.request.user, remarks=form.cleaned_data["remarks"])
        return _("Your check is recorded.")
