from django.utils.translation import gettext_lazy as _

from logistics.home import NavItem

NAV = [
    NavItem("repairs:repair_create", _("Report a fault"), "repairs.report", "tools"),
    NavItem("repairs:repair_list", _("Repair inbox"), "repairs.view_all", "inbox"),
    NavItem("repairs:repair_stats", _("Repair figures"), "repairs.stats", "bar-chart"),
]
