"""The monthly safety report: heat calendar per plan and area, hazards, drills; PDF and Excel."""
from __future__ import annotations

import datetime as dt
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import TemplateView

from logistics.pdf import render_pdf
from logistics.scoping import SchoolScopedMixin
from safety import selectors
from safety.choices import HazardStatus, labels


class MonthlyReportView(SchoolScopedMixin, TemplateView):
    """The month's plan completion per area (heat calendar) and hazards; PDF and Excel downloads."""

    capability = "safety.reports"
    template_name = "safety/report.html"

    def month(self) -> tuple[int, int]:
        today = timezone.localdate()
        try:
            year, month = int(self.request.GET.get("year", today.year)), int(self.request.GET.get("month", today.month))
            dt.date(year, month, 1)
        except (TypeError, ValueError):
            year, month = today.year, today.month
        return year, month

    def get(self, request, *args, **kwargs):
        year, month = self.month()
        report = selectors.monthly_report(request.school, year, month)
        fmt = request.GET.get("format")
        name = f"safety-{year}-{month:02d}"
        if fmt == "pdf":
            pdf = render_pdf("safety/pdf/monthly.html", {"r": report, "school": request.school})
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        if fmt == "xlsx":
            response = HttpResponse(
                report_xlsx(report, request.school), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        status = labels(HazardStatus.choices)
        for h in report["hazards"]:
            h.status_label = status[h.status]
        first = report["start"]
        prev = (first - dt.timedelta(days=1)).replace(day=1)
        return self.render_to_response(self.get_context_data(r=report, prev=prev, next=report["end"]))


def report_xlsx(report, school) -> bytes:
    """The same report as a workbook: summary, plans (completion), hazards, drills."""
    from openpyxl import Workbook

    from logistics.spreadsheets import text_cells  # typed text stays text, never a formula

    wb = Workbook()
    ws = wb.active
    ws.title = pgettext("safety", "Summary")
    t = report["totals"]
    ws.append([f"{school.name} {_('Monthly safety inspection and hazard report')}", f"{report['year']}-{report['month']:02d}"])
    for label, key in ((_("Inspections due"), "due"), (_("Inspections done"), "done"), (_("Hazards found"), "found"),
                       (_("Hazards rectified"), "rectified"), (_("Hazards verified"), "verified"), (_("Hazards overdue"), "overdue"),
                       (_("Drills held"), "drills")):
        ws.append([label, t[key]])
    ws2 = wb.create_sheet(_("Plans"))
    ws2.append([pgettext("safety", "plan"), pgettext("safety", "area"), _("Inspections due"), _("Inspections done"), _("Completion %")])
    for row in report["rows"]:
        ws2.append(text_cells(ws2, [row["plan"].name, str(row["plan"].area), row["due"], row["done"], row["rate"]]))
    ws3 = wb.create_sheet(_("Hazards"))
    ws3.append([pgettext("safety", "found on"), pgettext("safety", "description"), pgettext("safety", "severity"), pgettext("safety", "responsible person"), pgettext("safety", "deadline"), pgettext("safety", "status"), pgettext("safety", "overdue")])
    for h in report["hazards"]:
        ws3.append(text_cells(ws3, [h.found_on, h.description, h.get_severity_display(), str(h.responsible), h.deadline,
                                    h.get_status_display(), pgettext("safety", "yes") if h.was_overdue else ""]))
    ws4 = wb.create_sheet(_("Drills"))
    ws4.append([pgettext("safety", "held on"), pgettext("safety", "kind of drill"), pgettext("safety", "participants"), pgettext("safety", "note")])
    for d in report["drills"]:
        ws4.append(text_cells(ws4, [d.held_on, d.kind, d.participants, d.note]))
    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
