"""Stocktake views: start, mark lines on a phone, surplus, close, director confirms, discrepancy report + PDF."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from logistics.home import cached_per_school
from logistics.pdf import render_pdf
from logistics.roles import can
from logistics.scoping import ObjectActionView, SchoolScopedMixin

from . import services
from .choices import LineResult, StocktakeStatus
from .forms import MarkLineForm, StocktakeForm, SurplusForm, WrongRoomForm
from .models import Asset, Stocktake, StocktakeLine
from .paging import PAGE, IdsFirstPaginator
from .selectors import room_labels, stocktake_rows
from .views_base import ObjectFormView, add_errors


PROBLEMS = "problems"  # the line filter showing every discrepancy (all but "found")


def summary_of(st: Stocktake) -> tuple[list, int]:
    """[(label, value, count)] per result and the number of expected assets, in one query."""
    counts = dict(st.lines.order_by().values_list("result").annotate(n=Count("id")).values_list("result", "n"))
    return [(label, value, counts.get(value, 0)) for value, label in LineResult.choices], sum(counts.values())


def report_context(st: Stocktake) -> dict:
    """The discrepancy report (PDF): counts per result, every discrepancy and the surplus items."""
    summary, total = summary_of(st)
    discrepancies = (
        st.lines.exclude(result=LineResult.FOUND)
        .select_related("asset", "expected_room__building", "found_room__building").order_by("result", "pk")
    )
    return {"stocktake": st, "summary": summary, "total": total, "discrepancies": discrepancies,
            "surplus": list(st.surplus.select_related("room__building"))}


class StocktakeListView(SchoolScopedMixin, ListView):
    model = Stocktake
    capability = "assets.stocktake"
    paginator_class = IdsFirstPaginator  # one query per page (keys from an index, rows joined, total alongside)
    paginate_by = PAGE
    template_name = "assets/stocktake_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("started_by").order_by("-created_at", "-id")

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
    """The count on a phone: summary per result, the expected list (filter by result or "problems"),
    one tap per line for found / missing / damaged, a page to say in which room it was found.

    A page of lines is one query whatever the size of the stocktake (lines are numbered in asset
    number order when the list is frozen, so the page is an index range of ``(stocktake, result, id)``).
    """
    history_panel = True

    model = Stocktake
    capability = "assets.stocktake"
    template_name = "assets/stocktake_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("school", "started_by", "confirmed_by")

    def get_context_data(self, **kwargs):
        from django.http import Http404

        st = self.object
        lines = st.lines.order_by("pk")
        show = self.request.GET.get("result") or ""
        if show in LineResult.values:
            lines = lines.filter(result=show)
        elif show == PROBLEMS:
            lines = lines.exclude(result=LineResult.FOUND)
        else:
            show = ""

        # The summary counts every result already: the shown list's length comes from it, so the
        # page is the rows alone (no second COUNT over a 20,000-line stocktake). The counts are kept
        # until anything changes in the school (a tap on a line is a POST: the next view counts afresh).
        summary, total = cached_per_school(f"stocktake-summary:{st.pk}", st.school, lambda: summary_of(st))
        by_result = {value: n for _label, value, n in summary}
        rooms = room_labels(st.school)
        paginator = IdsFirstPaginator(lines, PAGE, load=lambda ids, total: stocktake_rows(ids, total, rooms=rooms))
        if not show:
            paginator.count = total
        elif show == PROBLEMS:
            paginator.count = total - by_result[LineResult.FOUND]
        else:
            paginator.count = by_result[show]
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except Exception as exc:  # noqa: BLE001 - out of range or not a number
            raise Http404(str(exc)) from exc
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            summary=summary, total=total, show=show, problems=PROBLEMS, page_obj=page, lines=page.object_list,
            paginator=paginator, is_open=st.status == StocktakeStatus.OPEN, is_closed=st.status == StocktakeStatus.CLOSED,
            may_confirm=can(self.request.user, "assets.confirm_stocktake", school=st.school),
            surplus=[{**s, "room": rooms.get(s["room_id"], "")} for s in
                     st.surplus.order_by("-created_at", "-id").values("name", "room_id", "note")[:50]],
            mark_choices=[(LineResult.FOUND, LineResult.FOUND.label, "success"), (LineResult.MISSING, LineResult.MISSING.label, "danger"),
                          (LineResult.DAMAGED, LineResult.DAMAGED.label, "warning")],
            here=self.request.get_full_path(),
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


def _back(request, default: str) -> str:
    """The page the user came from (a stocktake page with its filter), if it is ours, else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class MarkLineView(ObjectActionView):
    """One tap on a line: found / missing / damaged (a wrong room needs the room: WrongRoomView)."""

    model = StocktakeLine
    capability = "assets.stocktake"
    form_class = MarkLineForm

    def get_queryset(self):
        return super().get_queryset().select_related("stocktake__school", "asset")

    def get_form_kwargs(self):
        return {"school": self.object.stocktake.school}

    def get_success_url(self):
        return _back(self.request, self.object.stocktake.get_absolute_url())

    def perform(self, obj, form):
        services.mark_line(obj, result=form.cleaned_data["result"], found_room=form.cleaned_data["found_room"], by=self.request.user)
        return _("%(asset)s: %(result)s.") % {"asset": obj.asset, "result": obj.get_result_display()}


class WrongRoomView(ObjectFormView):
    """The line's asset was found in another room: which one."""

    model = StocktakeLine
    capability = "assets.stocktake"
    form_class = WrongRoomForm
    title = _("Found in another room")
    submit_label = _("Save")

    def get_queryset(self):
        return super().get_queryset().select_related("stocktake__school", "asset", "expected_room__building")

    def refusal(self, obj):
        if obj.stocktake.status != StocktakeStatus.OPEN:
            return services.CLOSED_IS_FINAL if obj.stocktake.status == StocktakeStatus.CLOSED else services.CONFIRMED_IS_FINAL
        return None

    def form_extra(self):
        return {"school": self.object.stocktake.school}

    def get_success_url(self):
        return _back(self.request, self.object.stocktake.get_absolute_url())

    def get_title(self):
        return f"{self.title} · {self.object.asset}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["help_text"] = _("Expected in: %(room)s.") % {"room": self.object.expected_room or "—"}
        ctx["next"] = self.request.GET.get("next", "")
        return ctx

    def perform(self, obj, form):
        services.mark_line(obj, result=LineResult.WRONG_ROOM, found_room=form.cleaned_data["found_room"], by=self.request.user)
        return _("%(asset)s: %(result)s.") % {"asset": obj.asset, "result": obj.get_result_display()}


class ScanFoundView(ObjectActionView):
    """From the asset card reached by its QR code: one tap marks it found in the open stocktakes."""

    model = Asset
    capability = "assets.stocktake"

    def perform(self, obj, form):
        n = services.mark_found_by_scan(obj, by=self.request.user)
        return _("Marked found.") if n else _("Nothing to mark: it is not waiting in an open stocktake.")


class SurplusView(ObjectFormView):
    """An item found that is not on the expected list (盘盈): what, where, a note."""

    model = Stocktake
    capability = "assets.stocktake"
    form_class = SurplusForm
    title = _("Record a surplus item")
    submit_label = _("Record")

    def refusal(self, obj):
        if obj.status != StocktakeStatus.OPEN:
            return services.CONFIRMED_IS_FINAL if obj.status == StocktakeStatus.CONFIRMED else services.CLOSED_IS_FINAL
        return None

    def form_extra(self):
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
