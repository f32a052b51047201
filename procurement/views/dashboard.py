"""The principal's dashboard: everything at a glance, each figure linking to the list behind it."""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.roles import can
from logistics.scoping import SchoolScopedMixin
from procurement.selectors import awaiting_my_signature, dashboard_figures


def _url(name, query=""):
    try:
        return reverse(name) + query
    except NoReverseMatch:
        return ""


class DashboardView(SchoolScopedMixin, TemplateView):
    capability = "core.dashboard"
    template_name = "procurement/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school, today = self.request.school, timezone.localdate()
        figures = dashboard_figures(school, today)
        lines = figures["lines"]
        month = f"{today.year}-{today.month:02d}"
        ctx.update(
            figures,
            waiting=awaiting_my_signature(school, self.request.user).count(),
            chart={
                "type": "bar",
                "data": {
                    "labels": [b["name"] for b in lines],
                    "datasets": [
                        {"label": str(_("Budget")), "data": [float(b["amount"]) for b in lines]},
                        {"label": str(_("Committed")), "data": [float(b["used"]) for b in lines]},
                    ],
                },
                "options": {"responsive": True, "maintainAspectRatio": False, "indexAxis": "y",
                            "scales": {"x": {"ticks": {"maxTicksLimit": 4}}}},
            },
            urls={
                "waiting": _url("procurement:purchase_list", "?awaiting=true"),
                "waiting_all": _url("procurement:purchase_list", "?status=submitted"),
                "spent_month": _url("procurement:purchase_list", f"?month={month}"),
                "budget": _url("procurement:budgetline_list", f"?year={today.year}"),
                "repairs": _url("repairs:repair_list"),
                "repairs_overdue": _url("repairs:repair_list", "?overdue=true"),
                "hazards": _url("safety:hazard_list"),
                "hazards_open": _url("safety:hazard_list", "?status=open"),
                # The canteen's accounts are its manager's, the accountant's and the director's; the
                # others see the published month results on the canteen's public page.
                "canteen": _url("canteen:account_list") if can(self.request.user, "canteen.accounts", school=school)
                else _url("canteen:parent_home"),
            },
        )
        return ctx
