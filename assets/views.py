"""Views of the assets app: the register (list, card, forms, export, labels) and the store room."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from logistics.home import cached_per_school
from logistics.folding import filters_of, folded_filter
from logistics.paging import RememberedCountMixin
from logistics.pdf import render_pdf
from logistics.roles import can
from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import SchoolScopedMixin

from . import services
from .choices import ASSET_STATUS_BADGE, AssetClass, AssetStatus, LineResult, StocktakeStatus
from .filters import AssetFilter
from .forms import AssetForm, AssetSettingsForm
from .models import Asset, AssetSettings, Category, DamageRecord, Loan, StocktakeLine, WriteOff
from .paging import PAGE, IdsFirstPaginator
from .qr import qr_data_uri
from .selectors import REGISTER_ORDER
from .views_base import add_errors

LABELS_MAX = 240


class FilteredAssetsMixin(SchoolScopedMixin):
    model = Asset
    capability = "assets.view"

    def filtered(self):
        qs = (
            Asset.objects.for_user(self.request.user).for_school(self.request.school)
            .select_related("category", "room__building", "department", "custodian").order_by(*REGISTER_ORDER)
        )
        # Bound only to filters: ``?page=2`` alone neither builds nor validates the form.
        self.filterset = AssetFilter(filters_of(self.request) or None, queryset=qs, school=self.request.school)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else qs


class AssetListView(RememberedCountMixin, FilteredAssetsMixin, ListView):
    paginate_by = PAGE
    paginator_class = IdsFirstPaginator
    template_name = "assets/asset_list.html"

    def get_queryset(self):
        return self.filtered()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        from .selectors import register_rows

        return IdsFirstPaginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
                                 load=register_rows, remember_count=self.remembered_count)

    def get(self, request, *args, **kwargs):
        if request.GET.get("fragment") == "filter":  # the filter form alone, fetched when "Filter" is opened
            self.filtered()
            return TemplateResponse(request, "assets/_filter_form.html", {"form": self.filterset.form, "filtering": False})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school = self.request.school
        filtering = any(value for value in filters_of(self.request).values())
        ctx.update(
            title=_("Property register"), filter=self.filterset, badges=ASSET_STATUS_BADGE, filtering=filtering,
            # the form (a select of every room and person) is written in only when in use; else fetched on opening
            **folded_filter(self.request, in_use=filtering),
            may_manage=can(self.request.user, "assets.manage", school=school),
        )
        return ctx


class AssetExportView(FilteredAssetsMixin, View):
    """The filtered list as an Excel workbook: all its rows (20,000 in a large school), streamed from one
    query of plain values into a write-only workbook (no model instances, memory stays flat)."""

    def get(self, request, *args, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        from logistics.spreadsheets import text_cells  # typed text stays text, never a formula

        from .choices import AssetStatus

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(str(_("Assets"))[:30])
        headers = [
            _("Asset number"), _("Name"), _("Category code"), _("Category"), _("Spec / model"), _("Unit"), _("Unit price"),
            _("Original value"), _("Class"), _("Acquisition date"), _("Funding source"), _("Department"),
            _("Responsible person"), _("Room"), _("Status"),
        ]
        ws.append([str(h) for h in headers])
        classes = {k: str(v) for k, v in AssetClass.choices}
        statuses = {k: str(v) for k, v in AssetStatus.choices}

        def money(value):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "#,##0.00"
            return cell

        def day(value):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "yyyy-mm-dd"
            return cell

        rows = self.filtered().values_list(
            "number", "name", "category__code", "category__name", "spec", "unit", "unit_price", "original_value", "asset_class",
            "acquisition_date", "funding_source", "department__name", "custodian__full_name", "custodian__username",
            "room__building__name", "room__number", "room__name", "status",
        )
        for (number, name, code, category, spec, unit, price, value, klass, acquired, funding, dept, full_name, username,
             building, room_number, room_name, status) in rows.iterator(chunk_size=2000):
            room = " ".join(dict.fromkeys(p for p in (building, room_number, room_name) if p))
            ws.append(text_cells(ws, [
                number, name, code, category, spec, unit, money(price), money(value), classes.get(klass, klass), day(acquired),
                funding, dept or "", full_name or username or "", room, statuses.get(status, status),
            ]))
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
    """The asset card (what its QR label opens): everything about it, its loan, damage, history.

    Lean on purpose, as it is opened on a phone in a corridor: the steps (lend, damage, write-off,
    edit) are links to their own pages; whether the asset is lent, damaged or waiting in an open
    stocktake rides on the card's one query as EXISTS columns.
    """

    model = Asset
    capability = "assets.view"
    history_panel = True
    template_name = "assets/asset_detail.html"

    def get_queryset(self):
        # Five tables, not eight: PostgreSQL planned the card's query with both custodians joined in
        # 1.7–3 ms (0.7 ms without them, to run in 0.1 ms); the two people come in one query below.
        open_loans = Loan.objects.filter(asset=OuterRef("pk"), returned_at__isnull=True)
        return super().get_queryset().select_related(
            "category", "room__building", "department", "school",
        ).annotate(
            is_lent=Exists(open_loans),
            has_damage=Exists(DamageRecord.objects.filter(asset=OuterRef("pk"))),
            has_writeoff=Exists(WriteOff.objects.filter(asset=OuterRef("pk"))),
            counting=Exists(StocktakeLine.objects.filter(asset=OuterRef("pk"), result=LineResult.PENDING,
                                                         stocktake__status=StocktakeStatus.OPEN)),
        )

    def get_object(self, queryset=None):
        from logistics.models import people_by_id

        a = super().get_object(queryset)
        people = people_by_id([a.custodian_id, a.room.custodian_id if a.room_id else None])
        a.custodian = people.get(a.custodian_id)
        if a.room_id:
            a.room.custodian = people.get(a.room.custodian_id)
        return a

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a, user = self.object, self.request.user
        live = a.status != AssetStatus.WRITTEN_OFF
        ctx.update(
            qr=qr_data_uri(self.request.build_absolute_uri(a.get_absolute_url())),
            may_manage=live and can(user, "assets.manage", school=a.school),
            may_damage=live and can(user, "assets.damage", school=a.school),
            may_lend=can(user, "assets.lend", school=a.school),
            may_count=a.counting and can(user, "assets.stocktake", school=a.school),
            open_loan=a.loans.filter(returned_at__isnull=True).select_related("borrower").first() if a.is_lent else None,
            damages=list(a.damages.select_related("liable_person")) if a.has_damage else [],
            writeoffs=list(a.writeoffs.select_related("requested_by", "decided_by")) if a.has_writeoff else [],
            lendable=live and a.status not in (AssetStatus.TO_WRITE_OFF, AssetStatus.UNDER_REPAIR),
        )
        return ctx


class AssetCreateView(OneSubmissionMixin, SchoolScopedMixin, FormView):
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
            add_errors(form, exc)
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
        try:  # a written-off asset's card is final: the form is not even offered (and the attempt is logged)
            services.refuse_if_written_off(self.object, by=request.user, action="assets.update_asset")
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(self.object)
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
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(number)s") % {"number": self.object.number}, **kwargs)


class SettingsView(SchoolScopedMixin, FormView):
    capability = "assets.manage"
    form_class = AssetSettingsForm
    template_name = "assets/settings_form.html"

    def get_form_kwargs(self):
        # not get_or_create: opening the page must not write anything
        current = AssetSettings.objects.filter(school=self.request.school).first() or AssetSettings(school=self.request.school)
        return {**super().get_form_kwargs(), "instance": current}

    def form_valid(self, form):
        try:
            services.update_settings(self.request.school, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. New registrations use these thresholds."))
        return redirect("assets:settings_edit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Fixed-asset thresholds"), **kwargs)


class HoldingsView(SchoolScopedMixin, TemplateView):
    """What each room (with its custodian) or each person holds: number of assets and fixed-asset value.

    ``?by=person`` switches from rooms to people. Each is paginated, and a page is one query: the
    page's rooms (those holding anything) picked by name, their counts and sums over the assets of
    just those rooms (an index-only scan of ``(room, status, asset_class, original_value)``), and
    the number of such rooms alongside.
    """

    capability = "assets.view"
    template_name = "assets/holdings.html"
    per_page = PAGE

    def get_context_data(self, **kwargs):
        from django.http import Http404

        from .paging import IdsFirstPaginator
        from .selectors import holdings_by_person, holdings_by_room, people_holding, rooms_holding

        school = self.request.school
        by = "person" if self.request.GET.get("by") == "person" else "room"
        number = self.request.GET.get("page") or 1

        def kept(build):
            # The sums run over every asset of the people or rooms shown (a school's 20,000): a page's
            # figures are kept until anything in the school changes (cached_per_school).
            return lambda ids, total: cached_per_school(f"holdings:{by}:{number}:{total is not None}", school, lambda: build(ids, total))

        if by == "room":
            paginator = IdsFirstPaginator(rooms_holding(school), self.per_page, load=kept(holdings_by_room))
        else:
            paginator = IdsFirstPaginator(people_holding(school), self.per_page,
                                          load=kept(lambda ids, total: holdings_by_person(school, ids, total)))
        try:
            page = paginator.page(number)
        except Exception as exc:  # noqa: BLE001 - a page number out of range or not a number
            raise Http404(str(exc)) from exc
        return super().get_context_data(
            title=_("Who holds what"), by=by, page_obj=page, rows=page.object_list, paginator=paginator, **kwargs,
        )


class CategoryListView(SchoolScopedMixin, ListView):
    """The category table: the national GB/T 14885 codes and the school's own, with a form to add one."""

    model = Category
    capability = "assets.view"
    paginate_by = 100
    template_name = "assets/category_list.html"

    def get_queryset(self):
        qs = Category.objects.available_to(self.request.school).order_by("code", "school_id")
        q = (self.request.GET.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(code__startswith=q.upper()) | Q(name__icontains=q))
        return qs

    def get_context_data(self, **kwargs):
        from .forms import CategoryForm

        may_manage = can(self.request.user, "assets.manage", school=self.request.school)
        return super().get_context_data(title=_("Asset categories"), may_manage=may_manage,
                                        form=CategoryForm() if may_manage else None, **kwargs)


class CategoryCreateView(SchoolScopedMixin, FormView):
    capability = "assets.manage"
    template_name = "assets/simple_form.html"

    def get_form_class(self):
        from .forms import CategoryForm

        return CategoryForm

    def form_valid(self, form):
        try:
            category = services.create_category(self.request.school, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Category %(category)s added.") % {"category": category})
        return redirect("assets:category_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a category"), **kwargs)
