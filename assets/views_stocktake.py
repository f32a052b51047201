"""Stocktake views: start, mark lines on a phone, surplus, close, director confirms, discrepancy report + PDF."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from logistics.models import Room
from logistics.pdf import render_pdf
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin

from . import services
from .choices import LineResult, StocktakeStatus
from .forms import MarkLineForm, StocktakeForm, SurplusForm
from .models import Asset, Stocktake, StocktakeLine
from .views_store import add_errors


def report_context(st: Stocktake) -> dict:
    """Counts per result, the discrepancies (everything but 'found') and surplus: a fixed number of queries."""
    counts = dict(st.lines.values_list("result").annotate(n=Count("id")).values_list("result", "n"))
    discrepancies = (
        st.lines.exclude(result=LineResult.FOUND)
        .select_related("asset", "expected_room__building", "found_room__building").order_by("result", "asset__number")
    )
    summary = [(label, counts.get(value, 0)) for value, label in LineResult.choices]
    return {"stocktake": st, "summary": summary, "total": sum(counts.values()), "discrepancies": discrepancies,
            "surplus": st.surplus.select_related("room__building")}


class StocktakeListView(SchoolScopedMixin, ListView):
    model = Stocktake
    capability = "assets.stocktake"
    paginate_by = 30
    template_name = "assets/stocktake_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("started_by").annotate(n=Count("lines")).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Stocktakes"), **kwargs)


class StocktakeCreateView(SchoolScopedMixin, FormView):
    capability = "assets.stocktake"
    form_class = StocktakeForm
    template_name = "assets/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.request.school}

    def form_valid(self, form):
        try:
            st = services.start_stocktake(self.request.school, name=form.cleaned_data["name"], rooms=form.cleaned_data["rooms"],
                                          by=self.request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Stocktake started: the expected list is frozen."))
        return redirect(st)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Start a stocktake"), **kwargs)


class StocktakeDetailView(SchoolScopedMixin, DetailView):
    model = Stocktake
    capability = "assets.stocktake"
    template_name = "assets/stocktake_detail.html"

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        st = self.object
        lines = st.lines.select_related("asset", "expected_room__building", "found_room__building", "marked_by")
        show = self.request.GET.get("result")
        if show in LineResult.values:
            lines = lines.filter(result=show)
        page = Paginator(lines, 50).get_page(self.request.GET.get("page"))
        ctx = super().get_context_data(**kwargs)
        ctx.update(report_context(st))
        ctx.update(
            page_obj=page, lines=page.object_list, results=LineResult.choices, is_open=st.status == StocktakeStatus.OPEN,
            is_closed=st.status == StocktakeStatus.CLOSED,
            may_confirm=can(self.request.user, "assets.confirm_stocktake", school=st.school),
            mark_form=MarkLineForm(school=st.school), surplus_form=SurplusForm(school=st.school),
            rooms=list(Room.objects.filter(school=st.school).select_related("building").order_by("name")),
        )
        return ctx


class StocktakeReportPdfView(SchoolScopedMixin, DetailView):
    model = Stocktake
    capability = "assets.stocktake"

    def get(self, request, *args, **kwargs):
        st = self.get_object()
        pdf = render_pdf("assets/pdf/stocktake_report.html", report_context(st))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="stocktake-{st.pk}.pdf"'
        return response


class MarkLineView(ObjectActionView):
    model = StocktakeLine
    capability = "assets.stocktake"
    form_class = MarkLineForm

    def get_form_kwargs(self):
        return {"school": self.object.stocktake.school}

    def get_success_url(self):
        return self.object.stocktake.get_absolute_url() + "?result=pending"

    def perform(self, obj, form):
        services.mark_line(obj, result=form.cleaned_data["result"], found_room=form.cleaned_data["found_room"], by=self.request.user)
        return _("%(asset)s: %(result)s.") % {"asset": obj.asset, "result": obj.get_result_display()}


class ScanFoundView(ObjectActionView):
    """From the asset card reached by its QR code: one tap marks it found in the open stocktakes."""

    model = Asset
    capability = "assets.stocktake"

    def perform(self, obj, form):
        n = services.mark_found_by_scan(obj, by=self.request.user)
        return _("Marked found.") if n else _("Nothing to mark: it is not waiting in an open stocktake.")


class SurplusView(ObjectActionView):
    model = Stocktake
    capability = "assets.stocktake"
    form_class = SurplusForm

    def get_form_kwargs(self):
        return {"school": self.object.school}

    def perform(self, obj, form):
        services.record_surplus(obj, by=self.request.user, **form.cleaned_data)
        return _("Surplus item recorded.")


class CloseView(ObjectActionView):
    model = Stocktake
    capability = "assets.stocktake"

    def perform(self, obj, form):
        services.close_stocktake(obj, by=self.request.user)
        return _("Closed; the director is asked to confirm.")


class ConfirmView(ObjectActionView):
    model = Stocktake
    capability = "assets.confirm_stocktake"

    def perform(self, obj, form):
        r = services.confirm_stocktake(obj, by=self.request.user)
        return _("Confirmed: %(moved)s moved, %(damaged)s under repair, %(missing)s proposed for write-off.") % r
