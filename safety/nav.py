from django.utils.translation import gettext_lazy as _

from logistics.home import NavItem

NAV = [
    NavItem("safety:inspection_today", _("My inspections"), "safety.inspect", "clipboard-check"),
    NavItem("safety:hazard_list", _("Hazards"), "safety.view", "exclamation-triangle"),
    NavItem("safety:report_month", _("Safety report"), "safety.reports", "calendar3"),
    NavItem("safety:visitor_list", _("Visitors"), "safety.visitors", "person-badge"),
]
