"""Views of the assets app: the register (list, card, forms, export, labels) and the store room."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from logistics.models import Room
from logistics.pdf import render_pdf
from logistics.roles import can
from logistics.scoping import SchoolScopedMixin

from . import services
from .choices import ASSET_STATUS_BADGE, AssetClass
from .filters import AssetFilter
from .forms import AssetForm, AssetSettingsForm, school_people
from .models import Asset
from .paging import IdsFirstPaginator
from .qr import qr_data_uri
from .selectors import REGISTER_ORDER

LABELS_MAX = 240


class FilteredAssetsMixin(SchoolScopedMixin):
    model = Asset
    capability = "assets.view"

    def filtered(self):
        qs = (
            Asset.objects.for_user(self.request.user).for_school(self.request.school)
            .select_related("category", "room__building", "department", "custodian").order_by(*REGISTER_ORDER)
        )
        self.filterset = AssetFilter(self.request.GET or None, queryset=qs, school=self.request.school)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else qs


class AssetListView(FilteredAssetsMixin, ListView):
    paginate_by = 50
    paginator_class = IdsFirstPaginator
    template_name = "assets/asset_list.html"

    def get_queryset(self):
        return self.filtered()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        from .selectors import register_rows

        return IdsFirstPaginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
                                 load=register_rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        ctx.update(
            title=_("Property register"), filter=self.filterset, badges=ASSET_STATUS_BADGE,
            may_manage=can(self.request.user, "assets.manage", school=school),
        )
        return ctx


class AssetExportView(FilteredAssetsMixin, View):
    """The filtered list as an Excel workbook."""

    def get(self, request, *args, **kwargs):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = str(_("Assets"))[:30]
        headers = [
            _("Asset number"), _("Name"), _("Category code"), _("Category"), _("Spec / model"), _("Unit"), _("Unit price"),
            _("Original value"), _("Class"), _("Acquisition date"), _("Funding source"), _("Department"),
            _("Responsible person"), _("Room"), _("Status"),
        ]
        ws.append([str(h) for h in headers])
        for a in self.filtered().iterator(chunk_size=500):
            ws.append([
                a.number, a.name, a.category.code, a.category.name, a.spec, a.unit, float(a.unit_price),
                float(a.original_value), str(a.get_asset_class_display()), a.acquisition_date, a.funding_source,
                str(a.department or ""), str(a.custodian or ""), str(a.room or ""), str(a.get_status_display()),
            ])
        for row in ws.iter_rows(min_row=2, min_col=7, max_col=8):
            for cell in row:
                cell.number_format = "#,##0.00"
        for row in ws.iter_rows(min_row=2, min_col=10, max_col=10):
            for cell in row:
                cell.number_format = "yyyy-mm-dd"
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="assets-{stamp}.xlsx"'
        wb.save(response)
        return response


class AssetLabelsView(FilteredAssetsMixin, View):
    """QR labels as an A4 PDF: the ticked assets (?id=…), else the filtered list (at most LABELS_MAX)."""

    def get(self, request, *args, **kwargs):
        qs = self.filtered()
        ids = [int(i) for i in request.GET.getlist("id") if i.isdigit()]
        if ids:
            qs = qs.filter(pk__in=ids)
        labels = [
            {"asset": a, "qr": qr_data_uri(request.build_absolute_uri(a.get_absolute_url()))} for a in qs[:LABELS_MAX]
        ]
        pdf = render_pdf("assets/pdf/labels.html", {"labels": labels, "school": request.school})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="asset-labels.pdf"'
        return response


class AssetDetailView(SchoolScopedMixin, DetailView):
    model = Asset
    capability = "assets.view"
    template_name = "assets/asset_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "room__building", "room__custodian", "department", "custodian", "school")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = self.object
        ctx.update(
            qr=qr_data_uri(self.request.build_absolute_uri(a.get_absolute_url())), badge=ASSET_STATUS_BADGE.get(a.status),
            may_manage=can(self.request.user, "assets.manage", school=a.school),
            damages=a.damages.select_related("liable_person", "by"),
            open_loan=a.loans.filter(returned_at__isnull=True).select_related("borrower").first(),
            may_lend=can(self.request.user, "assets.lend", school=a.school),
        )
        if can(self.request.user, "assets.damage", school=a.school) and a.status != "written_off":
            from .forms import DamageAmountForm, DamageForm, WriteOffForm

            ctx.update(damage_form=DamageForm(school=a.school), amount_form=DamageAmountForm(),
                       writeoff_form=WriteOffForm() if a.status != "to_write_off" else None)
        if can(self.request.user, "assets.stocktake", school=a.school):
            ctx["counting"] = a.stocktake_lines.filter(result="pending", stocktake__status="open").exists()
        if ctx["may_lend"]:
            from .forms import LendForm

            ctx["lend_form"] = LendForm(school=a.school)
        return ctx


class AssetCreateView(SchoolScopedMixin, FormView):
    capability = "assets.manage"
    form_class = AssetForm
    template_name = "assets/asset_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.request.school}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            asset = services.register_asset(
                school=self.request.school, by=self.request.user, category_code=data["category"].code,
                **{k: data[k] for k in ("name", "unit_price", "room", "acquisition_date", "funding_source", "spec", "unit",
                                        "department", "custodian", "note", "original_value")},
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Registered %(number)s.") % {"number": asset.number})
        return redirect(asset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Register an asset"), **kwargs)


class AssetUpdateView(SchoolScopedMixin, SingleObjectMixin, FormView):
    model = Asset
    capability = "assets.manage"
    form_class = AssetForm
    template_name = "assets/asset_form.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        instance = Asset.objects.get(pk=self.object.pk)  # a copy: a refused edit leaves self.object untouched
        return {**super().get_form_kwargs(), "school": self.object.school, "instance": instance}

    def form_valid(self, form):
        try:
            services.update_asset(self.object, by=self.request.user, **{
                k: form.cleaned_data[k] for k in services.EDITABLE_FIELDS
            })
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(number)s") % {"number": self.object.number}, **kwargs)


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class SettingsView(SchoolScopedMixin, FormView):
    capability = "assets.manage"
    form_class = AssetSettingsForm
    template_name = "assets/settings_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": services.settings_for(self.request.school)}

    def form_valid(self, form):
        services.update_settings(self.request.school, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Saved. New registrations use these thresholds."))
        return redirect("assets:settings_edit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Fixed-asset thresholds"), **kwargs)


class HoldingsView(SchoolScopedMixin, TemplateView):
    """What each room and each person holds (count and fixed-asset value), each list in one query."""

    capability = "assets.view"
    template_name = "assets/holdings.html"

    def get_context_data(self, **kwargs):
        school = self.request.school
        live = ~Q(assets__status="written_off")
        fixed_value = Sum("assets__original_value", filter=live & Q(assets__asset_class=AssetClass.FIXED))
        rooms = (
            Room.objects.filter(school=school).select_related("custodian", "building")
            .annotate(n=Count("assets", filter=live), value=fixed_value).filter(n__gt=0).order_by("name")
        )
        people = (
            school_people(school).annotate(
                n=Count("assets_held", filter=Q(assets_held__school=school) & ~Q(assets_held__status="written_off")),
                value=Sum("assets_held__original_value", filter=Q(assets_held__school=school, assets_held__asset_class=AssetClass.FIXED) & ~Q(assets_held__status="written_off")),
            ).filter(n__gt=0)
        )
        return super().get_context_data(title=_("Who holds what"), rooms=rooms, people=people, **kwargs)
