from django.utils.translation import pgettext_lazy

from logistics.home import NavItem

NAV = [
    NavItem("safety:inspection_today", pgettext_lazy("safety", "My inspections"), "safety.inspect", "clipboard-check"),
    NavItem("safety:hazard_list", pgettext_lazy("safety", "Hazards"), "safety.view", "exclamation-triangle"),
    NavItem("safety:report_month", pgettext_lazy("safety", "Safety report"), "safety.reports", "calendar3"),
    NavItem("safety:visitor_list", pgettext_lazy("safety", "Visitors"), "safety.visitors", "person-badge"),
]
