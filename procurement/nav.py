from django.utils.translation import gettext_lazy as _

from logistics.home import NavItem

NAV = [
    NavItem("procurement:purchase_list", _("Purchases"), "procurement.view", "cart"),
    NavItem("procurement:purchase_create", _("New purchase request"), "procurement.request", "cart-plus"),
    NavItem("procurement:dashboard", _("Principal's dashboard"), "core.dashboard", "speedometer2"),
    NavItem("procurement:disclosure_list", _("Finance disclosure"), "procurement.view_disclosure", "file-earmark-text"),
]
