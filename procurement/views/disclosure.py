"""The monthly finance disclosure: list, download (parents get the parent version), generate, publish."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from logistics.roles import Role, can, has_role
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from procurement import services
from procurement.forms import GenerateForm
from procurement.models import Disclosure


def sees_drafts(user, school) -> bool:
    """Staff of the office, the leadership and the accountant see unpublished versions too."""
    return can(user, "procurement.publish_disclosure", school=school) or can(user, "procurement.view", school=school)


def parent_only(user, school) -> bool:
    """Parents get the parent version (the canteen part); everyone else the full report."""
    return (has_role(user, Role.PARENT, school=school) and not sees_drafts(user, school)
            and not has_role(user, Role.TEACHER, school=school))


class DisclosureListView(SchoolScopedMixin, ListView):
    model = Disclosure
    capability = "procurement.view_disclosure"
    paginate_by = 24

    def get_queryset(self):
        from procurement.selectors import published_disclosures

        school, user = self.request.school, self.request.user
        if sees_drafts(user, school):
            return super().get_queryset().select_related("published_by")
        return published_disclosures(school, audience="parent" if parent_only(user, school) else "staff")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        ctx["parent_only"] = parent_only(self.request.user, school)
        ctx["may_publish"] = can(self.request.user, "procurement.publish_disclosure", school=school)
        if ctx["may_publish"]:
            last = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
            initial = {"year": self.request.GET.get("year") or last.year,
                       "month": self.request.GET.get("month") or last.month}
            ctx["generate_form"] = GenerateForm(initial=initial)
        return ctx


class DisclosureDownloadView(SchoolScopedMixin, DetailView):
    model = Disclosure
    capability = "procurement.view_disclosure"

    def get(self, request, *args, **kwargs):
        d = self.get_object()
        if d.published_at is None and not sees_drafts(request.user, d.school):
            raise Http404
        wants_parent = request.GET.get("part") == "parent" or parent_only(request.user, d.school)
        f = d.parent_file if wants_parent else d.file
        suffix = "-parent" if f is d.parent_file else ""
        return FileResponse(f.open("rb"), content_type="application/pdf",
                            filename=f"disclosure-{d.year}-{d.month:02d}-v{d.version}{suffix}.pdf")


class DisclosureGenerateView(SchoolScopedMixin, FormView):
    capability = "procurement.publish_disclosure"
    form_class = GenerateForm
    http_method_names = ["post"]

    def form_valid(self, form):
        from logistics.roles import require
        from logistics.services import queue_task

        school, user, d = self.request.school, self.request.user, form.cleaned_data
        require(user, "procurement.publish_disclosure", school=school)
        # Rendering a big month takes seconds: a worker does it and the accountants are notified.
        # With the broker down it is done here and now rather than lost (no sweep redoes a request).
        if not queue_task("procurement.tasks.generate_disclosure_task", school.pk, d["year"], d["month"], user.pk):
            services.generate_disclosure(school, year=d["year"], month=d["month"], by=user)
        messages.success(self.request, _("The report for %(year)s-%(month)02d is being generated; you will be "
                                         "notified when it is ready.") % {"year": d["year"], "month": d["month"]})
        return redirect("procurement:disclosure_list")

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(self.request, f"{label}: {e}" if label else e)
        query = urlencode({k: form.data.get(k, "") for k in ("year", "month")})
        return redirect(reverse("procurement:disclosure_list") + f"?{query}")


class DisclosurePublishView(ObjectActionView):
    model = Disclosure
    capability = "procurement.publish_disclosure"

    def perform(self, obj, form):
        services.publish_disclosure(obj, by=self.request.user)
        return _("Report published.")
